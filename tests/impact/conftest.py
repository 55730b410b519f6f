"""A small world with known answers for the impact report.

In the last twelve months:
- 13 people referred: 6 referred themselves, 5 by a coordinator, 2 by a housing service's worker;
  plus 2 referred 500 days ago (outside the period, never counted).
- 10 of them matched, after 2, 4, … 20 days (median 11); 7 went to a first meeting, 5 days after
  their match (7, 9, … 19 days after referral: median 13). 7 of 13 is 54%.
- 10 matches active in the period; 6 ended: 5 with goals met, 1 back in custody (a handful:
  hidden, and "goals met" with it, or it could be worked out from the total of 6).
- Meetings in the period: 7 held, 3 missed (one planned meeting in the future is not counted).
- Goals reached: 5 housing, 6 work and training; 1 family (hidden, and housing with it);
  one reached 500 days ago is not counted.
- 5 volunteers gave 2 hours each twice: 20 approved hours, worth £244 at £12.21; a waiting and a
  rejected entry are not counted.
- 1 person once referred applied to volunteer (fewer than 5).
- 1 past event with 6 places taken (and 1 cancelled); 1 story published.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.organisations import OrganisationKind
from accounts.roles import Role
from cms.models import EventRegistration
from mentoring.choices import ContactPreference, EndReason, GoalStatus, MatchStatus, MeetingStatus
from mentoring.models import Goal, Match, Meeting, Referral
from notifications.places import PlaceStatus
from tests.cms.factories import event, story
from tests.factories import person
from tests.mentoring.partner_factories import organisation, partner_worker
from tests.volunteering.factories import ensure_roles
from volunteering.models import HoursEntry, HoursStatus, Onboarding, Stage, VolunteerRole


@dataclass
class World:
    coordinator: object
    mentor: object
    mentees: list
    volunteers: list
    referrals: list


def refer(mentee, by, created_at) -> Referral:
    return Referral.objects.create(
        person=mentee,
        referred_by=by,
        contact_preference=ContactPreference.TEXT,
        created_at=created_at,
    )


def build_world(coordinator, *, publishing: bool = True) -> World:
    """``publishing=False`` leaves out the event and story (browser tests have no page tree)."""
    now = timezone.now()
    start = now - timedelta(days=100)
    mentor = person(Role.PEER_MENTOR, Role.VOLUNTEER)
    partner = partner_worker(
        organisation(f"Northshire Housing {uuid.uuid4().hex[:6]}", OrganisationKind.HOUSING)
    )
    mentees = [person(Role.MENTEE) for _ in range(13)]
    referrers = [None] * 6 + [coordinator] * 5 + [partner] * 2
    referrals = [
        refer(mentee, by or mentee, start) for mentee, by in zip(mentees, referrers, strict=True)
    ]
    for old in (person(Role.MENTEE), person(Role.MENTEE)):
        refer(old, old, now - timedelta(days=500))

    for number, referral in enumerate(referrals[:10]):
        activated = start + timedelta(days=2 * (number + 1))
        match = Match.objects.create(
            referral=referral,
            mentor=mentor,
            mentee=referral.person,
            status=MatchStatus.ACTIVE,
            activated_at=activated,
        )
        if number < 7:
            Meeting.objects.create(
                match=match,
                starts_at=activated + timedelta(days=5),
                place_kind="place",
                status=MeetingStatus.HELD,
            )
        elif number < 10:
            Meeting.objects.create(
                match=match,
                starts_at=activated + timedelta(days=3),
                place_kind="place",
                status=MeetingStatus.MISSED,
            )
        if number < 6:
            Match.objects.filter(pk=match.pk).update(
                status=MatchStatus.ENDED,
                ended_at=now - timedelta(days=10),
                end_reason=EndReason.GOALS_MET if number < 5 else EndReason.CUSTODY,
            )
    Meeting.objects.create(
        match=Match.objects.filter(status=MatchStatus.ACTIVE).first(),
        starts_at=now + timedelta(days=2),
        place_kind="place",
    )

    today = timezone.localdate()
    for area, count in (("housing", 5), ("work", 6), ("family", 1)):
        for _ in range(count):
            Goal.objects.create(
                mentee=mentees[0],
                area=area,
                words="A goal",
                status=GoalStatus.REACHED,
                reached_on=today - timedelta(days=20),
            )
    Goal.objects.create(
        mentee=mentees[1],
        area="money",
        words="Long ago",
        status=GoalStatus.REACHED,
        reached_on=today - timedelta(days=500),
    )
    Goal.objects.create(mentee=mentees[1], area="money", words="Still working")

    ensure_roles()
    role = VolunteerRole.objects.get(slug="event-helper")
    volunteers = [person(Role.VOLUNTEER) for _ in range(5)]
    for volunteer in volunteers:
        for days_ago in (30, 40):
            HoursEntry.objects.create(
                volunteer=volunteer,
                role=role,
                worked_on=today - timedelta(days=days_ago),
                minutes=120,
                status=HoursStatus.APPROVED,
            )
    HoursEntry.objects.create(
        volunteer=volunteers[0], role=role, worked_on=today - timedelta(days=3), minutes=60
    )
    HoursEntry.objects.create(
        volunteer=volunteers[1],
        role=role,
        worked_on=today - timedelta(days=3),
        minutes=600,
        status=HoursStatus.REJECTED,
    )
    Onboarding.objects.create(
        user=mentees[2],
        why="To give back",
        applied_on=today - timedelta(days=5),
        stage=Stage.APPLIED,
    )

    if publishing:
        _events_and_story(mentees)
    return World(coordinator, mentor, mentees, volunteers, referrals)


def _events_and_story(mentees) -> None:
    past = event(title="Summer picnic", days=-20, capacity=20)
    for guest in mentees[:6]:
        EventRegistration.objects.create(event=past, user=guest, status=PlaceStatus.BOOKED)
    EventRegistration.objects.create(event=past, user=mentees[7], status=PlaceStatus.CANCELLED)
    story(title="Finding my feet")


@pytest.fixture
def world(coordinator) -> World:
    return build_world(coordinator)
