"""Read-side queries for outcomes. Each states its query count; none grows with the data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from accounts.models import User
from mentoring.choices import MatchStatus, MeetingStatus, ReferralStatus
from mentoring.models import Match, Meeting, Referral
from mentoring.outcomes import questionnaires
from mentoring.outcomes.models import (
    MeetingFeedback,
    OutcomeSharing,
    Reflection,
    Response,
)

FEEDBACK_DAYS = 14
REFLECTION_DAYS = 30


def referral_wait_days() -> int:
    """How many days a referral may wait for a first meeting before it needs a coordinator."""
    return int(getattr(settings, "MENTORING_REFERRAL_WAIT_DAYS", 14))


# --- "How things are" ---------------------------------------------------------------------------


def shared_domains(mentee_id: int) -> frozenset[str]:
    """One query."""
    row = OutcomeSharing.objects.filter(mentee_id=mentee_id).values_list("domains", flat=True)
    return frozenset(next(iter(row), []) or [])


def completed_self_checks(person_id: int) -> list[Response]:
    """One query."""
    return list(
        Response.objects.completed()
        .filter(person_id=person_id, questionnaire=questionnaires.SELF_CHECK)
        .order_by("completed_at", "id")
    )


@dataclass
class Point:
    on: date
    value: int | None  # the answer, 1 to 5; None when skipped
    label: str
    words: str = ""


@dataclass
class DomainJourney:
    key: str
    label: str
    points: list[Point] = field(default_factory=list)

    @property
    def answered(self) -> list[Point]:
        return [p for p in self.points if p.value is not None]

    @property
    def change(self) -> int:
        answered = self.answered
        return answered[-1].value - answered[0].value if len(answered) >= 2 else 0

    @property
    def latest_words(self) -> str:
        return next((p.words for p in reversed(self.points) if p.words), "")


@dataclass
class Journey:
    dates: list[date]
    domains: list[DomainJourney]

    @property
    def better(self) -> list[DomainJourney]:
        return [d for d in self.domains if d.change > 0]

    @property
    def harder(self) -> list[DomainJourney]:
        return [d for d in self.domains if d.change < 0]


def journey_of(responses: list[Response], *, only: frozenset[str] | None = None) -> Journey:
    """The self-checks as one line per area (no queries). ``only`` keeps the areas shared."""
    definition = questionnaires.self_check()
    domains = []
    for domain in definition.domains:
        if only is not None and domain.key not in only:
            continue
        items = [item for item in definition.items if item.domain == domain.key]
        row = DomainJourney(domain.key, domain.label)
        for response in responses:
            item = items[0]
            value = response.answers.get(item.key)
            row.points.append(
                Point(
                    on=timezone.localdate(response.completed_at),
                    value=value,
                    label=item.scale.label_of(value),
                    words=response.words.get(item.key, ""),
                )
            )
        domains.append(row)
    return Journey([timezone.localdate(r.completed_at) for r in responses], domains)


def due_after(last: datetime | None, now: datetime) -> bool:
    every = questionnaires.self_check().every_days or 30
    return last is None or last <= now - timedelta(days=every)


def self_check_due(user: User, *, now: datetime | None = None) -> bool:
    """A mentee in an active match whose self-check is due (never done, or the last is a month
    old). One query."""
    now = now or timezone.now()
    last = (
        Response.objects.completed()
        .filter(person=OuterRef("mentee"), questionnaire=questionnaires.SELF_CHECK)
        .order_by("-completed_at")
        .values("completed_at")[:1]
    )
    rows = list(
        Match.objects.filter(mentee=user, status=MatchStatus.ACTIVE)
        .annotate(last=Subquery(last))
        .values_list("last", flat=True)[:1]
    )
    return bool(rows) and due_after(rows[0], now)


def mentees_due_a_self_check(*, now: datetime) -> list[User]:
    """Mentees of active matches whose self-check is due. One query."""
    every = questionnaires.self_check().every_days or 30
    recent = Response.objects.completed().filter(
        person=OuterRef("pk"),
        questionnaire=questionnaires.SELF_CHECK,
        completed_at__gt=now - timedelta(days=every),
    )
    return list(
        User.objects.filter(is_active=True, mentoring_as_mentee__status=MatchStatus.ACTIVE).exclude(
            Exists(recent)
        )
    )


# --- After a meeting, after a match -------------------------------------------------------------


def meetings_to_feed_back(user: User, *, now: datetime | None = None, limit: int = 3):
    """Meetings of the last fortnight this person was in and has not said how it went. One
    query."""
    now = now or timezone.now()
    given = MeetingFeedback.objects.filter(meeting=OuterRef("pk"), person=user)
    return list(
        Meeting.objects.for_person(user)
        .filter(
            starts_at__lte=now,
            starts_at__gte=now - timedelta(days=FEEDBACK_DAYS),
            status__in=[MeetingStatus.PLANNED, MeetingStatus.HELD],
            match__status__in=[MatchStatus.ACTIVE, MatchStatus.PAUSED],
        )
        .exclude(Exists(given))
        .select_related("match__mentor", "match__mentee")
        .order_by("-starts_at")[:limit]
    )


def matches_to_reflect_on(user: User, *, now: datetime | None = None):
    """Matches this person was in that ended or paused in the last month, with no reflection
    from them yet. One query."""
    now = now or timezone.now()
    written = Reflection.objects.filter(match=OuterRef("pk"), person=user)
    return list(
        Match.objects.filter(Q(mentor=user) | Q(mentee=user))
        .filter(
            Q(status=MatchStatus.ENDED, ended_at__gte=now - timedelta(days=REFLECTION_DAYS))
            | Q(
                status=MatchStatus.PAUSED,
                events__status=MatchStatus.PAUSED,
                events__at__gte=now - timedelta(days=REFLECTION_DAYS),
            )
        )
        .exclude(Exists(written))
        .select_related("mentor", "mentee")
        .distinct()[:3]
    )


# --- Time to help -------------------------------------------------------------------------------


def time_to_help():
    """Referrals with ``counted_from`` (the referral, or the release date when later),
    ``first_contact`` (the match agreed: both people introduced) and ``first_meeting`` (the
    first meeting held). One query."""
    return (
        Referral.objects.annotate(
            counted_from=_counted_from(),
            first_contact=Min("matches__activated_at"),
            first_meeting=Min(
                "matches__meetings__starts_at",
                filter=Q(matches__meetings__status=MeetingStatus.HELD),
            ),
        )
        .select_related("person")
        .order_by("-created_at", "-id")
    )


def _counted_from():
    # SQLite's MAX(a, NULL) is NULL, so an absent release date stands in as the referral's day.
    made = TruncDate("created_at")
    return Greatest(made, Coalesce(F("release_date"), made))


def days_between(start: date | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max((timezone.localdate(end) - start).days, 0)


def referrals_waiting_too_long(*, today: date | None = None):
    """Referrals not yet closed with no first meeting held ``referral_wait_days()`` after they
    were made (or after release, when later). A QuerySet: count it in one query."""
    today = today or timezone.localdate()
    limit = today - timedelta(days=referral_wait_days())
    held = Meeting.objects.filter(match__referral=OuterRef("pk"), status=MeetingStatus.HELD)
    return (
        Referral.objects.exclude(status=ReferralStatus.CLOSED)
        .exclude(Exists(held))
        .annotate(counted_from=_counted_from())
        .filter(counted_from__lte=limit)
    )
