"""Raising and handling safeguarding concerns. Other apps call raise_concern()."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from accounts.roles import Role
from notifications import notify
from safeguarding.models import (
    AUTOMATIC_REF,
    Concern,
    ConcernAction,
    Source,
    Status,
    Urgency,
)
from safeguarding.permissions import can_raise, can_triage


def _leads() -> list[User]:
    return list(User.objects.filter(is_active=True, groups__name=Role.SAFEGUARDING_LEAD).distinct())


def _notify_leads(concern: Concern) -> None:
    # Names no one and says nothing of the worry, in any channel: it only points to the record.
    notify(
        to=_leads(),
        kind="safeguarding.concern_raised",
        key=f"concern:{concern.pk}",
        context={"url": reverse("safeguarding:detail", args=[concern.pk])},
    )


@transaction.atomic
def raise_concern(
    *,
    raised_by: User | None,
    summary: str,
    subject: User | None = None,
    subject_label: str = "",
    source: str = Source.DIRECT,
    source_ref: str = "",
) -> Concern:
    """Record a worry about a person and alert the safeguarding leads (after commit).

    Preconditions: ``raised_by`` holds a role, or is None when Alongside raises it by itself (for
    example crisis words in a chat no moderator watches; ``source_ref`` then starts with
    ``AUTOMATIC_REF``); ``summary`` is not empty; the person is named by ``subject`` (an account)
    or ``subject_label`` (how the raiser knows them), or both.
    """
    if raised_by is None:
        if not source_ref.startswith(AUTOMATIC_REF):
            raise PermissionDenied
    elif not can_raise(raised_by):
        raise PermissionDenied
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Please say what happened or what worries you.")})
    label = (subject_label or "").strip() or (str(subject) if subject else "")
    if not label:
        raise ValidationError({"subject_label": _("Please say who this is about.")})
    if source not in Source.values:
        raise ValidationError({"source": _("Unknown source.")})
    concern = Concern.objects.create(
        subject=subject,
        subject_label=label[:120],
        raised_by=raised_by,
        source=source,
        source_ref=source_ref[:80],
        summary=summary[:10000],
    )
    audit.record(actor=raised_by, action="concern.raised", target=concern, subject=subject)
    _notify_leads(concern)  # delivered after commit
    return concern


def _require_lead(by: User) -> None:
    if not can_triage(by):
        raise PermissionDenied


@transaction.atomic
def set_urgency(*, concern: Concern, urgency: str, by: User) -> None:
    _require_lead(by)
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Choose how urgent this is from the list.")})
    concern.urgency = urgency
    if concern.status == Status.NEW:
        concern.status = Status.IN_PROGRESS
    concern.save(update_fields=["urgency", "status"])
    audit.record(
        actor=by, action="concern.urgency", target=concern, subject=concern.subject, summary=urgency
    )


@transaction.atomic
def assign(*, concern: Concern, to: User, by: User) -> None:
    _require_lead(by)
    if not to.has_role(Role.SAFEGUARDING_LEAD):
        raise ValidationError({"assigned_to": _("Only a safeguarding lead can take this on.")})
    concern.assigned_to = to
    if concern.status == Status.NEW:
        concern.status = Status.IN_PROGRESS
    concern.save(update_fields=["assigned_to", "status"])
    audit.record(
        actor=by,
        action="concern.assigned",
        target=concern,
        subject=concern.subject,
        summary=str(to.pk),
    )


@transaction.atomic
def record_action(*, concern: Concern, note: str, by: User) -> ConcernAction:
    _require_lead(by)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Please say what was done.")})
    if concern.status == Status.CLOSED:
        raise ValidationError({"note": _("This concern is closed. Reopen it to add to it.")})
    action = ConcernAction.objects.create(concern=concern, note=note[:10000], by=by)
    if concern.status == Status.NEW:
        concern.status = Status.IN_PROGRESS
        concern.save(update_fields=["status"])
    audit.record(actor=by, action="concern.action", target=concern, subject=concern.subject)
    return action


@transaction.atomic
def close(*, concern: Concern, outcome: str, by: User) -> None:
    _require_lead(by)
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Please write the outcome before closing.")})
    concern.status = Status.CLOSED
    concern.outcome = outcome[:10000]
    concern.closed_at = timezone.now()
    concern.save(update_fields=["status", "outcome", "closed_at"])
    audit.record(actor=by, action="concern.closed", target=concern, subject=concern.subject)


def view_concern(*, concern: Concern, by: User) -> Concern:
    """Every look at a concern is in the audit trail."""
    _require_lead(by)
    audit.record_view(
        actor=by, target=concern, subject=concern.subject, what="safeguarding concern"
    )
    return concern
