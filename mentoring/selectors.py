"""Read-side queries mentoring's views, cards and benchmark share.

Loading candidates for matching costs a fixed number of queries however many mentors there are:
one for mentors and their profiles (with their open matches counted in SQL), the clearance check
(volunteering's ``clearances``), one for do-not-match pairs and one for never-again requests.
"""

from __future__ import annotations

import gc
import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery, TextField
from django.db.models.functions import Cast, Coalesce, Lower
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from mentoring.choices import (
    OPEN_MATCH_STATES,
    GoalStatus,
    MatchStatus,
    MeetingStatus,
    SharedItem,
)
from mentoring.matching import MenteeFacts, MentorFacts, Rules
from mentoring.models import (
    DoNotMatch,
    Goal,
    Match,
    Meeting,
    MenteeSettings,
    MentorProfile,
    NeverAgain,
    Referral,
)

PEER_MENTOR_ROLE = "peer-mentor"


def cleared_mentor_ids(users) -> set[int]:
    """Ids of the ``users`` volunteering has cleared to mentor today (trained, checked, in date).

    The one place mentoring asks volunteering; ``clearances`` costs a fixed number of queries.
    """
    from volunteering.services import clearances

    return {user_id for user_id, c in clearances(users, PEER_MENTOR_ROLE).items() if c.cleared}


def months_between(start: date | None, today: date) -> int | None:
    if start is None:
        return None
    months = (today.year - start.year) * 12 + (today.month - start.month)
    if today.day < start.day:
        months -= 1
    return max(months, 0)


def load_candidates(
    *, today: date | None = None, mentor_ids=None, check_clearance: bool = True
) -> list[MentorFacts]:
    """Every peer mentor (or those in ``mentor_ids``) as plain facts for ``matching.rank``, in a
    fixed number of queries: one, plus volunteering's clearance check.

    ``check_clearance=False`` skips that check and marks everyone cleared. It exists only to put
    candidates in order before asking volunteering about the best few (see
    ``services.suggestions_for``); never decide anything on such facts.
    """
    today = today or timezone.localdate()
    mentors = MentorProfile.objects.filter(
        user__is_active=True, user__groups__name=Role.PEER_MENTOR
    )
    if mentor_ids is not None:
        mentors = mentors.filter(user_id__in=mentor_ids)
    open_matches = (
        Match.objects.filter(mentor=OuterRef("user_id"), status__in=OPEN_MATCH_STATES)
        .order_by()
        .values("mentor")
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = list(
        mentors.annotate(
            taken=Coalesce(Subquery(open_matches), 0),
            area_lower=Lower("user__profile__area"),
            **{name: as_text(path) for name, path in JSON_COLUMNS.items()},
        )
        .values_list(
            "user_id",
            "places",
            "taken",
            "gender",
            "released_on",
            "recovery_since",
            "area_lower",
            *JSON_COLUMNS,
        )
        .order_by("user_id")
    )
    if check_clearance:
        cleared = cleared_mentor_ids([row[0] for row in rows]) if rows else set()
    else:
        cleared = {row[0] for row in rows}
    with _collector_paused():
        return _facts(rows, cleared, today)


def _facts(rows, cleared: set[int], today: date) -> list[MentorFacts]:
    lists = _decode_lists(row[7:] for row in rows)
    return [
        MentorFacts(
            id=user_id,
            cleared=user_id in cleared,
            free_places=places - taken,
            gender=gender,
            area=" ".join((area or "").split()),
            languages=frozenset(languages or ()),
            interests=frozenset(interests or ()),
            lived_experience=frozenset(lived or ()),
            availability=frozenset(availability or ()),
            helps_with=frozenset(helps_with or ()),
            months_since_release=months_between(released_on, today),
            months_in_recovery=months_between(recovery_since, today),
        )
        for (user_id, places, taken, gender, released_on, recovery_since, area, *_json), (
            helps_with,
            languages,
            interests,
            lived,
            availability,
        ) in zip(rows, lists, strict=True)
    ]


@contextmanager
def _collector_paused():
    """Build many small objects without Python's cycle collector stepping in every few hundred.

    In a process holding a few hundred thousand objects (any Django worker), building 10,000
    candidates with their sets set off repeated collections that cost five times the work itself.
    Nothing built here forms a cycle; the collector is back on as soon as the list is made.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# The list-valued columns, read as JSON text and decoded in one go (see _decode_lists).
# Free-text lists come lower-cased by the database, as matching compares them (accounts' profile
# form already trims them to single spaces): normalising 10,000 mentors in Python is slow.
JSON_COLUMNS = {
    "helps_with_json": ("helps_with", False),
    "languages_json": ("user__profile__languages", True),
    "interests_json": ("user__profile__interests", True),
    "lived_json": ("user__profile__lived_experience", False),
    "availability_json": ("user__profile__availability", False),
}


def as_text(column: tuple[str, bool]):
    path, lower = column
    text = Cast(path, TextField())
    return Lower(text) if lower else text


def _decode_lists(rows) -> list:
    """Decode every row's JSON columns with one ``json.loads``: for 10,000 mentors, 50,000
    separate decodes (what JSONField does per value) cost more than ranking them all."""
    body = ",".join("[" + ",".join(value or "null" for value in row) + "]" for row in rows)
    return json.loads("[" + body + "]")


def mentee_facts(referral: Referral) -> MenteeFacts:
    """The referred person as plain facts: their profile, referral and never-again list."""
    profile = getattr(referral.person, "profile", None)
    languages = set(profile.languages if profile else [])
    if referral.wants_language:
        languages.add(referral.wants_language)
    never_again = NeverAgain.objects.filter(mentee_id=referral.person_id).values_list(
        "mentor_id", flat=True
    )
    return MenteeFacts(
        id=referral.person_id,
        area=referral.area or (profile.area if profile else ""),
        languages=frozenset(languages),
        interests=frozenset(profile.interests if profile else ()),
        lived_experience=frozenset(profile.lived_experience if profile else ()),
        availability=frozenset(referral.availability or (profile.availability if profile else ())),
        needs=frozenset(referral.needs),
        wants_gender=referral.wants_gender,
        wants_experience=frozenset(referral.wants_experience),
        never_again=frozenset(never_again),
    )


def rules_for(mentee_id: int) -> Rules:
    pairs = DoNotMatch.objects.filter(mentee_id=mentee_id).values_list("mentor_id", "mentee_id")
    return Rules(do_not_match=frozenset(pairs), min_months=settings.MENTORING_ELIGIBLE_AFTER_MONTHS)


# --- What people see ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedView:
    """What a mentor may see of their mentee: only the items the mentee chose, read fresh."""

    items: frozenset[str]
    referral: Referral | None
    profile: object | None

    def shows(self, item: str) -> bool:
        return item in self.items


def shared_items(mentee_id: int) -> frozenset[str]:
    row = MenteeSettings.objects.filter(mentee_id=mentee_id).values_list("shared", flat=True)
    return frozenset(next(iter(row), []) or [])


def shared_with_mentor(match: Match) -> SharedView:
    items = shared_items(match.mentee_id)
    profile = (
        getattr(match.mentee, "profile", None) if SharedItem.LIVED_EXPERIENCE in items else None
    )
    return SharedView(items=items, referral=match.referral, profile=profile)


def mentor_matches(user: User):
    """A mentor's current mentees (active or paused)."""
    return (
        Match.objects.visible_to_mentor(user)
        .select_related("mentee")
        .order_by("mentee__display_name", "id")
    )


def current_match_for_mentee(user: User) -> Match | None:
    return (
        Match.objects.filter(mentee=user, status__in=OPEN_MATCH_STATES)
        .select_related("mentor")
        .first()
    )


def next_meetings(user: User, *, limit: int = 3):
    return (
        Meeting.objects.for_person(user)
        .filter(match__status=MatchStatus.ACTIVE)
        .upcoming()
        .select_related("match__mentor", "match__mentee")[:limit]
    )


def goals_of(user: User):
    return Goal.objects.filter(mentee=user).prefetch_related("steps")


def open_goals_count(user: User) -> int:
    return Goal.objects.filter(mentee=user, status=GoalStatus.WORKING).count()


def missed_twice_in_a_row() -> list[Match]:
    """Active matches whose last two past meetings were both missed (one query)."""
    now = timezone.now()
    last_two = Meeting.objects.filter(
        match=OuterRef("pk"),
        starts_at__lt=now,
        status__in=[MeetingStatus.HELD, MeetingStatus.MISSED],
    ).order_by("-starts_at", "-id")
    return list(
        Match.objects.active()
        .annotate(
            last=Subquery(last_two.values("status")[:1]),
            before=Subquery(last_two.values("status")[1:2]),
        )
        .filter(last=MeetingStatus.MISSED, before=MeetingStatus.MISSED)
        .select_related("mentor", "mentee")
    )


def waiting_referrals():
    return Referral.objects.waiting().select_related("person", "referred_by")


def proposals_waiting(*, mentor: User | None = None):
    query = Q(status__in=[MatchStatus.PROPOSED, MatchStatus.ACCEPTED])
    if mentor is not None:
        query &= Q(mentor=mentor, status=MatchStatus.PROPOSED)
    return Match.objects.filter(query).select_related("mentor", "mentee")
