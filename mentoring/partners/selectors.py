"""Read-side queries for partners and the gate."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.db.models import Case, CharField, Exists, F, OuterRef, Prefetch, Q, Value, When
from django.utils import timezone

from accounts.models import User
from accounts.organisations import Organisation, PartnerWorker
from accounts.roles import Role
from mentoring.choices import MatchStatus, MeetingPlace, MeetingStatus, ReferralStatus
from mentoring.models import Match, Meeting, Referral
from mentoring.partners.choices import ConsentState, PartnerStatus, ShareBack
from mentoring.partners.models import Disclosure, GateChecklist, PartnerReferral, SharingAgreement

COMING_OUT_DAYS = 28


def current_worker(user: User) -> PartnerWorker | None:
    """The person's partner-worker record while their access lasts, else None."""
    if not user.is_authenticated or not user.has_role(Role.PARTNER):
        return None
    return PartnerWorker.objects.current().select_related("organisation").filter(user=user).first()


def current_agreement(organisation: Organisation, today: date | None = None):
    today = today or timezone.localdate()
    return (
        SharingAgreement.objects.filter(organisation=organisation, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("-starts_on", "-id")
        .first()
    )


def coordinators():
    return User.objects.filter(is_active=True, groups__name=Role.COORDINATOR).distinct()


def partner_status(referral: PartnerReferral) -> PartnerStatus:
    """The one thing a partner worker sees: where the referral is, in five steps."""
    if referral.consent == ConsentState.DECLINED or referral.closed_at:
        return PartnerStatus.CLOSED
    if referral.consent == ConsentState.WAITING or referral.referral_id is None:
        return PartnerStatus.WAITING_FOR_PERSON
    mentoring = referral.referral
    if mentoring.status == ReferralStatus.CLOSED:
        return PartnerStatus.CLOSED
    held = getattr(referral, "first_meeting_held", None)  # annotated by referrals_by_worker
    if held is None:
        held = Meeting.objects.filter(match__referral=mentoring, status=MeetingStatus.HELD).exists()
    if held:
        return PartnerStatus.FIRST_MEETING_HELD
    if mentoring.status == ReferralStatus.MATCHED:
        return PartnerStatus.MATCHED
    return PartnerStatus.RECEIVED


def shared_items_for_partner(referral: PartnerReferral) -> list[dict]:
    """The items the person chose to let their referrer see, with today's values."""
    items: list[dict] = []
    if not referral.share_back or referral.referral_id is None:
        return items
    labels = dict(ShareBack.choices)
    match = (
        Match.objects.filter(referral_id=referral.referral_id, status=MatchStatus.ACTIVE)
        .select_related("mentor")
        .first()
    )
    if match is None:
        return items
    if ShareBack.MENTOR_NAME in referral.share_back:
        items.append(
            {
                "name": ShareBack.MENTOR_NAME,
                "label": labels[ShareBack.MENTOR_NAME],
                "value": match.mentor.display_name,
            }
        )
    if ShareBack.NEXT_MEETING in referral.share_back:
        meeting = match.meetings.upcoming().order_by("starts_at").first()
        if meeting is not None:
            items.append(
                {
                    "name": ShareBack.NEXT_MEETING,
                    "label": labels[ShareBack.NEXT_MEETING],
                    "value": timezone.localtime(meeting.starts_at).strftime("%A %-d %B %Y"),
                }
            )
    return items


def referrals_by_worker(user: User):
    """A worker's referrals with what their status needs, in one query."""
    held = Meeting.objects.filter(
        match__referral_id=OuterRef("referral_id"), status=MeetingStatus.HELD
    )
    return (
        PartnerReferral.objects.filter(worker=user)
        .select_related("referral", "organisation", "person")
        .annotate(first_meeting_held=Exists(held))
    )


def access_own_partner_referral(user: User, pk: int) -> PartnerReferral:
    """A partner worker's own referral; anyone else's (or a missing one) is the same 404."""
    from django.http import Http404

    referral = referrals_by_worker(user).filter(pk=pk).first()
    if referral is None:
        raise Http404
    return referral


def register_for(person: User):
    return (
        Disclosure.objects.filter(person=person)
        .select_related("organisation", "agreement")
        .order_by("-at", "-id")
    )


def whole_register():
    return Disclosure.objects.select_related(
        "organisation", "agreement", "person", "partner_worker", "recorded_by"
    ).order_by("-at", "-id")


# --- Through the gate ---------------------------------------------------------------------------


def coming_out_soon(today: date | None = None, days: int = COMING_OUT_DAYS) -> list[dict]:
    """Referrals whose person is released in the next ``days`` days, with the checklist.

    Queries: the referrals (1), their open matches (1), gate meetings (1), checklists (1).
    """
    today = today or timezone.localdate()
    gate_meetings = Meeting.objects.filter(
        place_kind=MeetingPlace.PRISON_GATE, status__in=[MeetingStatus.PLANNED, MeetingStatus.HELD]
    )
    referrals = (
        Referral.objects.filter(release_date__gte=today, release_date__lte=today + timedelta(days))
        .exclude(status=ReferralStatus.CLOSED)
        .select_related("person")
        .annotate(
            gate_booked=Exists(gate_meetings.filter(match__referral=OuterRef("pk"))),
            mentor_matched=Exists(
                Match.objects.filter(
                    referral=OuterRef("pk"),
                    status__in=[MatchStatus.ACCEPTED, MatchStatus.ACTIVE],
                )
            ),
        )
        .prefetch_related(
            Prefetch("gate_checklist", queryset=GateChecklist.objects.all()),
        )
        .order_by("release_date", "id")
    )
    rows = []
    for referral in referrals:
        checklist = getattr(referral, "gate_checklist", None)
        rows.append(
            {
                "referral": referral,
                "days_left": (referral.release_date - today).days,
                "checks": [
                    ("mentor", _label("mentor"), referral.mentor_matched),
                    ("gate", _label("gate"), referral.gate_booked),
                    ("contact", _label("contact"), bool(checklist and checklist.contact_confirmed)),
                    (
                        "appointments",
                        _label("appointments"),
                        bool(checklist and checklist.appointments_known),
                    ),
                ],
            }
        )
    return rows


def _label(name: str) -> str:
    from django.utils.translation import gettext as _

    return {
        "mentor": _("Mentor matched before release"),
        "gate": _("First meeting at the gate booked"),
        "contact": _("Phone or contact route confirmed"),
        "appointments": _("First week's appointments known (probation, treatment, housing)"),
    }[name]


GATE_MEETING_TIME = time(9, 0)


def waiting_for_person_count() -> int:
    return PartnerReferral.objects.filter(
        consent=ConsentState.WAITING, closed_at__isnull=True
    ).count()


def coming_out_without_gate_meeting_count(today: date | None = None) -> int:
    today = today or timezone.localdate()
    gate = Meeting.objects.filter(
        match__referral=OuterRef("pk"),
        place_kind=MeetingPlace.PRISON_GATE,
        status__in=[MeetingStatus.PLANNED, MeetingStatus.HELD],
    )
    return (
        Referral.objects.filter(
            release_date__gte=today, release_date__lte=today + timedelta(COMING_OUT_DAYS)
        )
        .exclude(status=ReferralStatus.CLOSED)
        .exclude(Exists(gate))
        .count()
    )


def gate_meeting_defaults(match: Match, today: date | None = None) -> dict:
    """The first meeting form's defaults: at the prison gate, on release day, when the match's
    referral has a release date still to come and nothing is planned yet."""
    today = today or timezone.localdate()
    referral = match.referral
    if not referral.release_date or referral.release_date < today:
        return {}
    if match.meetings.exclude(status=MeetingStatus.CANCELLED).exists():
        return {}
    # As text: a date input only shows a value in ISO form (yyyy-mm-dd), whatever the locale.
    return {
        "day": referral.release_date.isoformat(),
        "time": GATE_MEETING_TIME.strftime("%H:%M"),
        "place_kind": MeetingPlace.PRISON_GATE,
        "place": referral.prison,
    }


# --- Reports (impact/sources.py counts by who referred; small numbers hidden there) ---------

# Where a mentoring referral came from, besides the kinds of partner organisation.
REFERRED_THEMSELVES = "self"
REFERRED_BY_COORDINATOR = "coordinator"
REFERRER_NOT_RECORDED = "unknown"


def with_referral_source(referrals):
    """``referrals`` (a Referral QuerySet) annotated with ``source``: who asked for the mentor.

    In this order: the kind of partner organisation whose referral it became (the organisation
    at the time, even if the worker has moved on or their account is gone); the person themself;
    the kind of organisation of a partner worker on record as the referrer; anyone else on record
    (only coordinators refer other people); and ``unknown`` when the referrer's account is gone.
    An ``OrganisationKind`` value, or one of the three constants above. No query of its own:
    three left joins (partner referral, referrer's partner-worker record, their organisations).
    """
    return referrals.annotate(
        source=Case(
            When(
                partner_referral__isnull=False,
                then=F("partner_referral__organisation__kind"),
            ),
            When(referred_by=F("person"), then=Value(REFERRED_THEMSELVES)),
            When(
                referred_by__partner_worker__isnull=False,
                then=F("referred_by__partner_worker__organisation__kind"),
            ),
            When(referred_by__isnull=False, then=Value(REFERRED_BY_COORDINATOR)),
            default=Value(REFERRER_NOT_RECORDED),
            output_field=CharField(),
        )
    )
