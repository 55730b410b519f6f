"""Read-side queries shared by pages, Today cards, reports and other apps.

Each function states its query count; none grows with the number of rows it summarises.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.places import PlaceStatus
from volunteering.models import (
    DBSCheck,
    HoursEntry,
    HoursStatus,
    Onboarding,
    Shift,
    ShiftSignup,
    Stage,
    TrainingCompletion,
    VolunteerRole,
)
from volunteering.services import Clearance, clearances

# --- A volunteer's own view ----------------------------------------------------------------------


def roles_with_courses() -> list[VolunteerRole]:
    """Every role with its courses (2 queries)."""
    return list(VolunteerRole.objects.prefetch_related("required_courses"))


def my_clearances(user: User, *, on: date | None = None) -> list[tuple[VolunteerRole, Clearance]]:
    """The person's clearance for every role: 2 queries, then at most 5 per role."""
    return [(role, clearances([user], role, on=on)[user.pk]) for role in roles_with_courses()]


def open_shifts_for(user: User, *, now=None) -> list[Shift]:
    """Upcoming shifts for roles the person is cleared for, with places taken and their sign-up."""
    now = now or timezone.now()
    cleared = [role.pk for role, check in my_clearances(user) if check.cleared]
    return list(
        Shift.objects.upcoming(now)
        .filter(role_id__in=cleared)
        .select_related("role")
        .with_taken_places()
        .annotate(
            my_status=Subquery(
                ShiftSignup.objects.filter(shift=OuterRef("pk"), volunteer=user).values("status")[
                    :1
                ]
            )
        )[:50]
    )


def my_upcoming_signups(user: User, *, now=None, limit: int = 20) -> list[ShiftSignup]:
    """One query."""
    return list(
        ShiftSignup.objects.filter(
            volunteer=user,
            status__in=[PlaceStatus.BOOKED, PlaceStatus.WAITING],
            shift__starts_at__gte=now or timezone.now(),
        )
        .select_related("shift__role")
        .with_waiting_position()
        .order_by("shift__starts_at")[:limit]
    )


def shifts_to_log(user: User, *, now=None) -> list[Shift]:
    """Shifts the person held in the last 60 days and has not logged: each proposes its hours."""
    now = now or timezone.now()
    logged = HoursEntry.objects.counted().filter(volunteer=user, shift=OuterRef("pk"))
    return list(
        Shift.objects.filter(
            signups__volunteer=user,
            signups__status=PlaceStatus.BOOKED,
            starts_at__lt=now,
            starts_at__gte=now - timedelta(days=60),
        )
        .exclude(Exists(logged))
        .select_related("role")
        .order_by("-starts_at")[:10]
    )


@dataclass(frozen=True)
class HoursTotals:
    approved_minutes: int
    pending_minutes: int
    pending_count: int


def hours_totals(user: User) -> HoursTotals:
    """One query."""
    totals = HoursEntry.objects.filter(volunteer=user).aggregate(
        approved=Sum("minutes", filter=Q(status=HoursStatus.APPROVED), default=0),
        pending=Sum("minutes", filter=Q(status=HoursStatus.PENDING), default=0),
        pending_count=Count("id", filter=Q(status=HoursStatus.PENDING)),
    )
    return HoursTotals(totals["approved"], totals["pending"], totals["pending_count"])


def pathway_events(user: User) -> list[tuple[date, str]]:
    """Plain-words steps on a person's way into volunteering, oldest first (3 queries).

    The mentoring journey shows these next to a mentee's own milestones.
    """
    events: list[tuple[date, str]] = []
    onboarding = Onboarding.objects.filter(user=user).first()
    if onboarding is None:
        return events
    events.append((onboarding.applied_on, _("Applied to volunteer")))
    if onboarding.interviewed_on:
        events.append((onboarding.interviewed_on, _("Had a volunteer interview")))
    if onboarding.induction_completed_on:
        events.append((onboarding.induction_completed_on, _("Completed induction")))
    for completed_on, title in (
        TrainingCompletion.objects.verified()
        .filter(user=user)
        .values_list("completed_on", "course__title")
    ):
        events.append((completed_on, _("Completed training: %s") % title))
    first_shift = (
        Shift.objects.filter(
            signups__volunteer=user,
            signups__status=PlaceStatus.BOOKED,
            starts_at__lt=timezone.now(),
        )
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    if first_shift:
        events.append((timezone.localdate(first_shift), _("First shift")))
    return sorted(events, key=lambda event: event[0])


# --- Coordinators --------------------------------------------------------------------------------


def pipeline() -> dict[str, list[Onboarding]]:
    """People on their way in, by step (1 query, plus one for the roles they want)."""
    board: dict[str, list[Onboarding]] = {stage: [] for stage in Stage.values}
    for onboarding in (
        Onboarding.objects.select_related("user")
        .prefetch_related("roles_wanted")
        .order_by("applied_on", "id")
    ):
        board[onboarding.stage].append(onboarding)
    return board


def week_rota(start: date) -> list[tuple[date, list[Shift]]]:
    """Shifts in the seven days from ``start``, each with who is on it (2 queries)."""
    begin = timezone.make_aware(datetime.combine(start, time.min))
    shifts = (
        Shift.objects.between(begin, begin + timedelta(days=7))
        .select_related("role")
        .with_taken_places()
        .prefetch_related(
            Prefetch(
                "signups",
                queryset=ShiftSignup.objects.filter(status=PlaceStatus.BOOKED).select_related(
                    "volunteer"
                ),
                to_attr="people",
            )
        )
    )
    days: dict[date, list[Shift]] = {start + timedelta(days=n): [] for n in range(7)}
    for shift in shifts:
        days.setdefault(timezone.localdate(shift.starts_at), []).append(shift)
    return list(days.items())


def pending_hours(*, limit: int = 200) -> list[HoursEntry]:
    """Hours waiting for approval, oldest first (1 query)."""
    return list(
        HoursEntry.objects.pending()
        .select_related("volunteer", "role", "shift")
        .order_by("worked_on", "id")[:limit]
    )


@dataclass(frozen=True)
class Expiring:
    person: User
    what: str
    expires_on: date


def expiring_clearances(*, today: date | None = None, days: int = 60) -> list[Expiring]:
    """DBS checks and training running out within ``days`` with nothing newer (2 queries)."""
    today = today or timezone.localdate()
    until = today + timedelta(days=days)
    newer_dbs = DBSCheck.objects.filter(
        volunteer=OuterRef("volunteer"), recheck_due__gt=OuterRef("recheck_due")
    )
    newer_training = TrainingCompletion.objects.filter(
        user=OuterRef("user"), course=OuterRef("course"), expires_on__gt=OuterRef("expires_on")
    )
    found = [
        Expiring(dbs.volunteer, _("DBS check"), dbs.recheck_due)
        for dbs in DBSCheck.objects.filter(recheck_due__gte=today, recheck_due__lte=until)
        .exclude(Exists(newer_dbs))
        .select_related("volunteer")
    ]
    found += [
        Expiring(done.user, done.course.title, done.expires_on)
        for done in TrainingCompletion.objects.verified()
        .filter(expires_on__gte=today, expires_on__lte=until)
        .exclude(Exists(newer_training))
        .select_related("user", "course")
    ]
    return sorted(found, key=lambda item: (item.expires_on, item.person.display_name))


def coordinator_counts(*, today: date | None = None) -> dict[str, int]:
    """Numbers for the coordinator's Today card (3 queries)."""
    today = today or timezone.localdate()
    return {
        "pending_hours": HoursEntry.objects.pending().count(),
        "in_pipeline": Onboarding.objects.in_pipeline().count(),
        "expiring": len(expiring_clearances(today=today)),
    }


# --- Reports -------------------------------------------------------------------------------------


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class MonthlyReport:
    start: date
    end: date  # exclusive
    months: list[date]
    by_volunteer: list[dict]  # {"volunteer_id", "name", "minutes": {month: int}, "total": int}
    by_role: list[dict]  # {"role", "minutes": {month: int}, "total": int}
    active_by_month: dict[date, int]
    total_minutes: int
    hour_value_gbp: Decimal

    @property
    def total_hours(self) -> Decimal:
        return (Decimal(self.total_minutes) / 60).quantize(Decimal("0.1"))

    @property
    def value_gbp(self) -> Decimal:
        return (Decimal(self.total_minutes) / 60 * self.hour_value_gbp).quantize(Decimal("1"))


def monthly_report(*, months: int = 12, today: date | None = None) -> MonthlyReport:
    """Approved hours per volunteer and per role for each of the last ``months`` months.

    Four queries whatever the number of people: sums per volunteer and month (which also give
    the active volunteers per month), the names of those volunteers, role titles, and sums per
    role and month.
    The sums are made by the database from the covering index on (status, month, ...).
    """
    today = today or timezone.localdate()
    end = months_back(first_of_month(today), -1)
    start = months_back(end, months)
    month_list = [months_back(end, n) for n in range(months, 0, -1)]
    approved = HoursEntry.objects.filter(
        status=HoursStatus.APPROVED, month__gte=start, month__lt=end
    )

    volunteers: dict[int, dict] = {}
    active: dict[date, int] = dict.fromkeys(month_list, 0)
    for volunteer_id, month, minutes in (
        approved.values("volunteer_id", "month")
        .annotate(minutes=Sum("minutes"))
        .order_by()
        .values_list("volunteer_id", "month", "minutes")
    ):
        month = _as_date(month)
        entry = volunteers.setdefault(
            volunteer_id, {"volunteer_id": volunteer_id, "name": "", "minutes": {}, "total": 0}
        )
        entry["minutes"][month] = minutes
        entry["total"] += minutes
        active[month] = active.get(month, 0) + 1
    for pk, name in User.objects.filter(pk__in=volunteers).values_list("pk", "display_name"):
        volunteers[pk]["name"] = name

    titles = dict(VolunteerRole.objects.values_list("pk", "title"))
    roles: dict[str, dict] = {}
    for role_id, month, minutes in (
        approved.values("role_id", "month")
        .annotate(minutes=Sum("minutes"))
        .order_by()
        .values_list("role_id", "month", "minutes")
    ):
        title = titles[role_id]
        entry = roles.setdefault(title, {"role": title, "minutes": {}, "total": 0})
        entry["minutes"][_as_date(month)] = minutes
        entry["total"] += minutes

    return MonthlyReport(
        start=start,
        end=end,
        months=month_list,
        by_volunteer=sorted(volunteers.values(), key=lambda v: (v["name"], v["volunteer_id"])),
        by_role=sorted(roles.values(), key=lambda r: r["role"]),
        active_by_month=active,
        total_minutes=sum(v["total"] for v in volunteers.values()),
        hour_value_gbp=settings.VOLUNTEER_HOUR_VALUE_GBP,
    )


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


@dataclass(frozen=True)
class Retention:
    earlier: int  # people who gave time 7-12 months ago
    stayed: int  # ...of whom also gave time in the last 6 months

    @property
    def percent(self) -> int:
        return round(100 * self.stayed / self.earlier) if self.earlier else 0


def retention(*, today: date | None = None) -> Retention:
    """Of the people with approved hours 7 to 12 months ago, how many still volunteer (1 query)."""
    today = today or timezone.localdate()
    mid, start = today - timedelta(days=182), today - timedelta(days=365)
    approved = HoursEntry.objects.filter(status=HoursStatus.APPROVED)
    recent = approved.filter(worked_on__gte=mid, worked_on__lte=today).values("volunteer_id")
    counts = approved.filter(worked_on__gte=start, worked_on__lt=mid).aggregate(
        earlier=Count("volunteer_id", distinct=True),
        stayed=Count("volunteer_id", distinct=True, filter=Q(volunteer_id__in=recent)),
    )
    return Retention(counts["earlier"], counts["stayed"])


def printable_record(user: User) -> dict:
    """A person's training and approved hours, for a job interview (3 queries)."""
    by_role = list(
        HoursEntry.objects.approved()
        .filter(volunteer=user)
        .values("role__title")
        .annotate(minutes=Sum("minutes"), first=Min("worked_on"), last=Max("worked_on"))
        .order_by("role__title")
    )
    return {
        "training": list(
            TrainingCompletion.objects.verified().filter(user=user).select_related("course")
        ),
        "hours_by_role": by_role,
        "total_minutes": sum(row["minutes"] for row in by_role),
        "onboarding": Onboarding.objects.filter(user=user).first(),
    }
