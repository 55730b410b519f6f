"""Read-only figures across the programme: what needs a coordinator today, and the impact report.

Nothing here changes anything. Each function states its query count, and none grows with the data:
counting is done by the database (``aggregate`` with ``Count(filter=...)``). The one exception is
the two medians: SQLite has no median, so one query returns the waiting times (one pair of dates
per referral in the period) and Python takes the middle value.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Sum
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from cms.models import EventPage
from mentoring import selectors as mentoring_selectors
from mentoring.choices import EndReason, GoalStatus, MatchStatus, MeetingStatus, Need
from mentoring.models import Goal, Match, Meeting, Referral
from notifications.places import PlaceStatus
from stories.models import StoryPage
from volunteering.models import (
    DBSCheck,
    HoursEntry,
    HoursStatus,
    Onboarding,
    ShiftSignup,
    Stage,
    TrainingCompletion,
)

NO_SHIFT_DAYS = 90
EXPIRY_DAYS = 60


# --- What needs a coordinator today --------------------------------------------------------------


def waiting_referrals_count() -> int:
    """One query."""
    return mentoring_selectors.waiting_referrals().count()


def proposals_waiting_count() -> int:
    """One query."""
    return mentoring_selectors.proposals_waiting().count()


def missed_twice_in_a_row_count() -> int:
    """One query (mentoring's selector loads the few matches concerned)."""
    return len(mentoring_selectors.missed_twice_in_a_row())


def pending_hours() -> tuple[int, int]:
    """(entries, minutes) of hours waiting for approval: one query."""
    totals = HoursEntry.objects.pending().aggregate(entries=Count("id"), minutes=Sum("minutes"))
    return totals["entries"], totals["minutes"] or 0


def expiring_dbs_checks(*, today: date | None = None, days: int = EXPIRY_DAYS):
    """DBS checks whose re-check falls in the next ``days`` days with no newer check.

    The same rule as ``volunteering.selectors.expiring_clearances``, as a QuerySet to count.
    """
    today = today or timezone.localdate()
    newer = DBSCheck.objects.filter(
        volunteer=OuterRef("volunteer"), recheck_due__gt=OuterRef("recheck_due")
    )
    return DBSCheck.objects.filter(
        recheck_due__gte=today, recheck_due__lte=today + timedelta(days=days)
    ).exclude(Exists(newer))


def expiring_training(*, today: date | None = None, days: int = EXPIRY_DAYS):
    """Verified training running out in the next ``days`` days with no newer completion."""
    today = today or timezone.localdate()
    newer = TrainingCompletion.objects.filter(
        user=OuterRef("user"), course=OuterRef("course"), expires_on__gt=OuterRef("expires_on")
    )
    return (
        TrainingCompletion.objects.verified()
        .filter(expires_on__gte=today, expires_on__lte=today + timedelta(days=days))
        .exclude(Exists(newer))
    )


def volunteers_without_recent_shift(*, now: datetime | None = None, days: int = NO_SHIFT_DAYS):
    """Active volunteers with no shift (past or coming) that started in the last ``days`` days.

    Each carries ``last_shift``: when their latest shift started, or None if they never had one.
    People whose volunteering is paused are left out (they asked for the break), and so are
    peer mentors with a current mentee: they give their time in meetings, not shifts.
    """
    now = now or timezone.now()
    recent = ShiftSignup.objects.filter(
        volunteer=OuterRef("pk"),
        status=PlaceStatus.BOOKED,
        shift__starts_at__gte=now - timedelta(days=days),
    )
    return (
        User.objects.filter(is_active=True, groups__name=Role.VOLUNTEER)
        .exclude(onboarding__stage=Stage.PAUSED)
        .exclude(Exists(recent))
        .exclude(Exists(Match.objects.visible_to_mentor(OuterRef("pk"))))
        .annotate(
            last_shift=Max(
                "shift_signups__shift__starts_at",
                filter=Q(shift_signups__status=PlaceStatus.BOOKED),
            )
        )
        .order_by(F("last_shift").asc(nulls_first=True), "display_name", "pk")
    )


# --- The impact report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included (local time)."""

    start: date
    end: date

    @classmethod
    def last_twelve_months(cls, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        try:
            year_ago = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            year_ago = today.replace(year=today.year - 1, day=28)
        return cls(year_ago + timedelta(days=1), today)

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def ends_before(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))


@dataclass
class ImpactReport:
    period: Period
    referrals: int = 0
    attended_first_meeting: int = 0
    days_to_match: list[int] = field(default_factory=list)
    days_to_first_meeting: list[int] = field(default_factory=list)
    active_matches: int = 0
    endings: dict[str, int] = field(default_factory=dict)
    meetings_held: int = 0
    meetings_missed: int = 0
    goals_by_area: dict[str, int] = field(default_factory=dict)
    volunteers: int = 0
    volunteer_minutes: int = 0
    hour_value_gbp: Decimal = Decimal(0)
    pathway_applied: int = 0
    pathway_volunteering: int = 0
    events_held: int = 0
    event_places: int = 0
    stories_published: int = 0

    @property
    def median_days_to_match(self) -> float | None:
        return statistics.median(self.days_to_match) if self.days_to_match else None

    @property
    def median_days_to_first_meeting(self) -> float | None:
        return statistics.median(self.days_to_first_meeting) if self.days_to_first_meeting else None

    @property
    def matches_ended(self) -> int:
        return sum(self.endings.values())

    @property
    def goals_reached(self) -> int:
        return sum(self.goals_by_area.values())

    @property
    def volunteer_hours(self) -> Decimal:
        return (Decimal(self.volunteer_minutes) / 60).quantize(Decimal("0.1"))

    @property
    def volunteer_value_gbp(self) -> Decimal:
        return (Decimal(self.volunteer_minutes) / 60 * self.hour_value_gbp).quantize(Decimal("1"))


def impact_report(period: Period, *, now: datetime | None = None) -> ImpactReport:
    """Every figure of the impact report for ``period``: nine queries whatever the data size.

    Referrals, timings and pathway are about people referred in the period; matches count when
    they were active at any time in it; meetings, goals, endings, hours, events and stories when
    they happened in it.
    """
    now = now or timezone.now()
    report = ImpactReport(period=period, hour_value_gbp=settings.VOLUNTEER_HOUR_VALUE_GBP)
    _referrals(report, period)  # 1 query
    _timings(report, period)  # 1 query
    _matches(report, period)  # 1 query
    _meetings(report, period, now)  # 1 query
    _goals(report, period)  # 1 query
    _volunteering(report, period)  # 1 query
    _pathway(report, period)  # 1 query
    _events(report, period, now)  # 1 query
    report.stories_published = (  # 1 query
        StoryPage.objects.live()
        .filter(first_published_at__gte=period.starts_at, first_published_at__lt=period.ends_before)
        .count()
    )
    return report


def _received_in(period: Period):
    return Referral.objects.filter(
        created_at__gte=period.starts_at, created_at__lt=period.ends_before
    )


def _referrals(report: ImpactReport, period: Period) -> None:
    """How many people were referred, and how many went to a first meeting. Who referred them
    is in ``impact.sources``."""
    attended = Exists(
        Meeting.objects.filter(match__referral=OuterRef("pk"), status=MeetingStatus.HELD)
    )
    totals = _received_in(period).aggregate(
        total=Count("id"), attended=Count("id", filter=Q(attended))
    )
    report.referrals = totals["total"]
    report.attended_first_meeting = totals["attended"]


def _timings(report: ImpactReport, period: Period) -> None:
    rows = (
        _received_in(period)
        .annotate(
            matched_at=Min("matches__activated_at"),
            first_meeting_at=Min(
                "matches__meetings__starts_at",
                filter=Q(matches__meetings__status=MeetingStatus.HELD),
            ),
        )
        .filter(matched_at__isnull=False)
        .order_by()
        .values_list("created_at", "matched_at", "first_meeting_at")
    )
    for created_at, matched_at, first_meeting_at in rows:
        report.days_to_match.append(_days(created_at, matched_at))
        if first_meeting_at is not None:
            report.days_to_first_meeting.append(_days(created_at, first_meeting_at))


def _days(start: datetime, end: datetime) -> int:
    return max((end - start).days, 0)


def _matches(report: ImpactReport, period: Period) -> None:
    ended_in_period = Q(ended_at__gte=period.starts_at, ended_at__lt=period.ends_before)
    active_in_period = Q(activated_at__lt=period.ends_before) & (
        Q(ended_at__isnull=True) | Q(ended_at__gte=period.starts_at)
    )
    counts = Match.objects.filter(activated_at__isnull=False).aggregate(
        active=Count("id", filter=active_in_period),
        **{
            f"ended_{reason}": Count(
                "id", filter=ended_in_period & Q(status=MatchStatus.ENDED, end_reason=reason)
            )
            for reason in EndReason.values
        },
    )
    report.active_matches = counts["active"]
    report.endings = {reason: counts[f"ended_{reason}"] for reason in EndReason.values}


def _meetings(report: ImpactReport, period: Period, now: datetime) -> None:
    in_period = Q(starts_at__gte=period.starts_at, starts_at__lt=min(period.ends_before, now))
    counts = Meeting.objects.filter(in_period).aggregate(
        held=Count("id", filter=Q(status=MeetingStatus.HELD)),
        missed=Count("id", filter=Q(status=MeetingStatus.MISSED)),
    )
    report.meetings_held, report.meetings_missed = counts["held"], counts["missed"]


def _goals(report: ImpactReport, period: Period) -> None:
    counts = Goal.objects.filter(
        status=GoalStatus.REACHED, reached_on__gte=period.start, reached_on__lte=period.end
    ).aggregate(**{f"reached_{area}": Count("id", filter=Q(area=area)) for area in Need.values})
    report.goals_by_area = {area: counts[f"reached_{area}"] for area in Need.values}


def _volunteering(report: ImpactReport, period: Period) -> None:
    totals = HoursEntry.objects.filter(
        status=HoursStatus.APPROVED, worked_on__gte=period.start, worked_on__lte=period.end
    ).aggregate(people=Count("volunteer_id", distinct=True), minutes=Sum("minutes", default=0))
    report.volunteers, report.volunteer_minutes = totals["people"], totals["minutes"]


def _pathway(report: ImpactReport, period: Period) -> None:
    """People once referred for a mentor who applied to volunteer in the period."""
    was_mentee = Exists(
        Referral.objects.filter(
            person=OuterRef("user_id"), created_at__date__lte=OuterRef("applied_on")
        )
    )
    counts = (
        Onboarding.objects.filter(applied_on__gte=period.start, applied_on__lte=period.end)
        .filter(was_mentee)
        .aggregate(
            applied=Count("id"),
            volunteering=Count("id", filter=Q(stage=Stage.ACTIVE)),
        )
    )
    report.pathway_applied, report.pathway_volunteering = counts["applied"], counts["volunteering"]


def _events(report: ImpactReport, period: Period, now: datetime) -> None:
    counts = (
        EventPage.objects.live()
        .filter(start__gte=period.starts_at, start__lt=period.ends_before, end__lt=now)
        .aggregate(
            events=Count("id", distinct=True),
            places=Count("registrations", filter=Q(registrations__status=PlaceStatus.BOOKED)),
        )
    )
    report.events_held, report.event_places = counts["events"], counts["places"]
