"""Referrals: referring a person for a mentor, risk notes, and pairs kept apart."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.inputs import NAME_REFUSED, has_unsafe_characters
from accounts.models import User
from accounts.roles import Role
from accounts.services import new_account, set_password_link
from mentoring.choices import Need, ReferralStatus, SharedItem
from mentoring.models import DoNotMatch, MenteeSettings, Referral, RiskNote
from mentoring.services.base import _coordinators, _require_coordinator
from notifications import notify
from notifications.services import record_contact_preference

REFERRAL_FIELDS = {
    "contact_preference",
    "area",
    "needs",
    "prison",
    "release_date",
    "wants_experience",
    "wants_gender",
    "wants_language",
    "availability",
    "consent_to_share",
}
# Shared with a mentor when a person ticks "share my referral with a mentor"; the rest (release
# date, prison, the story they told) stays private until they choose it item by item.
DEFAULT_SHARED = [SharedItem.NEEDS, SharedItem.AVAILABILITY, SharedItem.AREA, SharedItem.GOALS]


@transaction.atomic
def refer(
    *,
    person: User | None = None,
    by: User,
    email: str = "",
    display_name: str = "",
    phone: str = "",
    risk: str = "",
    **fields,
) -> Referral:
    """Refer ``person`` for a mentor. Coordinators refer anyone; anyone may refer themselves.

    A coordinator may give ``email`` instead of ``person``: someone with no account yet gets one
    (named ``display_name``), and an e-mailed invitation to choose a password (or to log in by an
    e-mailed code), all in this one transaction. ``risk``, when given, is kept as the referral's
    first risk note (coordinators only), in the same transaction.

    A person has one referral waiting at a time. Their contact route ("text message", "through a
    worker", with ``phone`` when given) is how Alongside tells them things from the first notice;
    they are told what happens next, and the coordinators that a referral is waiting.
    """
    invited = False
    if person is None:
        _require_coordinator(by)
        person, invited = _person_to_refer(email=email, display_name=display_name, by=by)
    if by.pk != person.pk:
        _require_coordinator(by)
    unknown = set(fields) - REFERRAL_FIELDS
    if unknown:
        raise ValueError(f"Unknown referral fields: {sorted(unknown)}")
    if Referral.objects.filter(
        person=person, status__in=[ReferralStatus.WAITING, ReferralStatus.MATCHING]
    ).exists():
        raise ValidationError(_("There is already a referral waiting for this person."))
    if any(need not in Need.values for need in fields.get("needs", [])):
        raise ValidationError(_("Choose needs from the list."))
    referral = Referral.objects.create(person=person, referred_by=by, **fields)
    if not person.has_role(Role.MENTEE):
        # Being referred makes the person a mentee: their goals, their mentoring card on Today
        # and, once a mentor says yes, the match page are theirs from now on.
        person.groups.add(Group.objects.get_or_create(name=Role.MENTEE)[0])
        person.forget_roles()
    if referral.consent_to_share:
        settings_row, _created = MenteeSettings.objects.get_or_create(mentee=person)
        if not settings_row.shared:
            settings_row.shared = list(DEFAULT_SHARED)
            settings_row.save(update_fields=["shared", "updated_at"])
    audit.record(
        actor=by,
        action="referral.self" if by.pk == person.pk else "referral.made",
        target=referral,
        subject=person,
    )
    if (risk or "").strip():
        add_risk_note(referral=referral, by=by, body=risk)
    record_contact_preference(
        user=person, preference=referral.contact_preference, by=by, phone=phone
    )
    self_referral = by.pk == person.pk
    if invited:
        notify(
            to=person,
            kind="mentoring.invited",
            key=f"invited:{person.pk}",
            context={
                "url": reverse("accounts:today"),
                "invited_by": by.display_name,
                "set_password_link": set_password_link(person),
            },
        )
    notify(
        to=person,
        kind="mentoring.referred",
        key=f"referral:{referral.pk}",
        context={
            "url": reverse("mentoring:referral", args=[referral.pk]),
            "self_referral": self_referral,
            "referred_by": "" if self_referral else by.display_name,
        },
    )
    notify(
        to=_coordinators(besides=by),
        kind="mentoring.referral_received",
        key=f"referral:{referral.pk}",
        context={
            "url": reverse("mentoring:suggestions", args=[referral.pk]),
            "referred_by": _("Someone, for themselves") if self_referral else by.display_name,
            "day": date_filter(timezone.localtime(referral.created_at), "j F"),
        },
    )
    return referral


def _person_to_refer(*, email: str, display_name: str, by: User) -> tuple[User, bool]:
    """(the person with this e-mail address, whether their account was made just now)."""
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Please give the person's e-mail address.")})
    person = User.objects.filter(email__iexact=email).first()
    if person is not None:
        if not person.is_active or person.has_role(Role.PARTNER):
            raise ValidationError({"email": _("This e-mail address cannot be used.")})
        return person, False
    display_name = (display_name or "").strip()
    if not display_name:
        raise ValidationError(
            {
                "display_name": _(
                    "No one on Alongside has that e-mail address yet. Give the name they go by, "
                    "and we will make them an account and e-mail them an invitation."
                )
            }
        )
    if has_unsafe_characters(display_name):
        raise ValidationError({"display_name": NAME_REFUSED})
    person = new_account(email=email, display_name=display_name, role=Role.MENTEE)
    audit.record(actor=by, action="account.invited", target=person, subject=person)
    return person, True


@transaction.atomic
def add_risk_note(*, referral: Referral, by: User, body: str) -> RiskNote:
    _require_coordinator(by)
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Please write the risk information."))
    note = RiskNote.objects.create(referral=referral, written_by=by, body=body[:5000])
    audit.record(actor=by, action="risk_note.added", target=note, subject=referral.person)
    return note


@transaction.atomic
def record_do_not_match(*, mentor: User, mentee: User, reason: str, by: User) -> DoNotMatch:
    """Keep a pair apart for good. Members never see it; coordinators give a short reason."""
    _require_coordinator(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please say why, in a few words."))
    rule, _created = DoNotMatch.objects.update_or_create(
        mentor=mentor, mentee=mentee, defaults={"reason": reason[:200], "recorded_by": by}
    )
    audit.record(actor=by, action="do_not_match.recorded", target=rule, subject=mentee)
    return rule
