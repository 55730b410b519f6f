"""The mentee's own: goals and steps, check-ins, sharing, weekly target, suggested services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from mentoring import selectors
from mentoring.choices import GoalStatus, Need, SharedItem
from mentoring.models import CheckIn, Goal, GoalStep, Match, MenteeSettings, SuggestedService
from mentoring.permissions import MENTOR_WORKING
from notifications import notify


def _require_self(mentee: User, by: User) -> None:
    if mentee.pk != by.pk:
        raise PermissionDenied


@transaction.atomic
def add_goal(*, mentee: User, by: User, area: str, words: str) -> Goal:
    _require_self(mentee, by)
    words = (words or "").strip()
    if not words:
        raise ValidationError({"words": _("Please write your goal in your own words.")})
    if area not in Need.values:
        raise ValidationError({"area": _("Choose an area from the list.")})
    return Goal.objects.create(mentee=mentee, area=area, words=words[:300])


@transaction.atomic
def add_goal_step(*, goal: Goal, by: User, words: str, service_id: int | None = None) -> GoalStep:
    """A step towards the mentee's goal; it may be about a service on her "My people"."""
    _require_self(goal.mentee, by)
    words = (words or "").strip()
    if not words:
        raise ValidationError({"words": _("Please write the step.")})
    if service_id is not None and not (
        SharedItem.LOCAL_SERVICES in selectors.shared_items(goal.mentee_id)
        and SuggestedService.objects.filter(mentee=goal.mentee, service_id=service_id).exists()
    ):
        raise ValidationError({"service": _("Choose a service from your My people page.")})
    return GoalStep.objects.create(goal=goal, words=words[:200], service_id=service_id)


@transaction.atomic
def set_step_done(*, step: GoalStep, by: User, done: bool) -> GoalStep:
    _require_self(step.goal.mentee, by)
    step.done = done
    step.save(update_fields=["done"])
    return step


@transaction.atomic
def set_goal_status(*, goal: Goal, by: User, status: str) -> Goal:
    _require_self(goal.mentee, by)
    if status not in GoalStatus.values:
        raise ValidationError(_("Choose from the list."))
    goal.status = status
    goal.reached_on = timezone.localdate() if status == GoalStatus.REACHED else None
    goal.save(update_fields=["status", "reached_on"])
    return goal


@transaction.atomic
def check_in(*, mentee: User, by: User, feeling: int, line: str = "", hours=None) -> CheckIn:
    _require_self(mentee, by)
    if feeling not in range(1, 6):
        raise ValidationError({"feeling": _("Choose a number from 1 to 5.")})
    return CheckIn.objects.create(
        mentee=mentee, feeling=feeling, line=(line or "").strip()[:280], hours_this_week=hours
    )


@transaction.atomic
def set_sharing(*, mentee: User, by: User, items: list[str]) -> MenteeSettings:
    """What the mentee's mentor may see. Takes effect on the mentor's next page load."""
    _require_self(mentee, by)
    if any(item not in SharedItem.values for item in items):
        raise ValidationError(_("Choose from the list."))
    row, _created = MenteeSettings.objects.get_or_create(mentee=mentee)
    row.shared = sorted(set(items))
    row.save(update_fields=["shared", "updated_at"])
    if SharedItem.LOCAL_SERVICES not in row.shared:
        # Kept only under her agreement: taking it back takes away what the mentor added.
        SuggestedService.objects.filter(mentee=mentee).delete()
    audit.record(
        actor=by, action="sharing.changed", target=row, subject=mentee, summary=",".join(row.shared)
    )
    return row


# --- Local services on "My people" -------------------------------------------------------------


@transaction.atomic
def suggest_service(*, match: Match, by: User, service_id: int) -> SuggestedService:
    """The mentor adds a local service to the mentee's "My people".

    Preconditions: ``by`` is the match's mentor and the match is active or paused; the mentee
    agreed (``SharedItem.LOCAL_SERVICES``); the service is published in the directory.
    """
    from accounts import hooks

    if match.mentor_id != by.pk or match.status not in MENTOR_WORKING:
        raise PermissionDenied
    if SharedItem.LOCAL_SERVICES not in selectors.shared_items(match.mentee_id):
        raise ValidationError(_("They have not asked for suggestions of local services."))
    found = hooks.local_services_by_id([service_id])
    if not found:
        raise ValidationError(_("That service is not in the directory any more."))
    row, created = SuggestedService.objects.get_or_create(
        mentee=match.mentee, service_id=service_id, defaults={"suggested_by": by}
    )
    if created:
        audit.record(
            actor=by,
            action="mentoring.service_suggested",
            target=row,
            subject=match.mentee,
            summary=str(service_id),
        )
        notify(
            to=match.mentee,
            kind="partners.service_added",
            key=f"service:{row.pk}",
            context={
                "url": reverse("mentoring:people"),
                "mentor_name": by.display_name,
                "service_name": found[0].name,
            },
        )
    return row


@transaction.atomic
def set_weekly_target(*, mentee: User, by: User, hours: int | None) -> MenteeSettings:
    _require_self(mentee, by)
    if hours is not None and not 0 < hours <= 60:
        raise ValidationError({"hours": _("Choose a number of hours from 1 to 60.")})
    row, _created = MenteeSettings.objects.get_or_create(mentee=mentee)
    row.weekly_hours_target = hours
    row.save(update_fields=["weekly_hours_target", "updated_at"])
    return row
