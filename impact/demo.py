"""A year of history so the impact report tells a story in ``make run``. Safe to run again.

Forty people referred over the last twelve months from several sources, their matches in every
state (some ended, each with a reason), meetings held and missed, goals reached across the areas
of life, volunteers with approved and waiting hours, two mentees who went on to volunteer, and
places taken at past events. History needs dates in the past, which the services (rightly) do not
allow, so rows are written directly; nothing here runs outside ``manage.py seed_demo``.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from cms.models import EventIndexPage, EventPage, EventRegistration
from mentoring.choices import (
    ContactPreference,
    EndReason,
    GoalStatus,
    MatchStatus,
    MeetingPlace,
    MeetingStatus,
    Need,
    ReferralStatus,
)
from mentoring.models import Goal, Match, Meeting, MentorProfile, Referral
from notifications.places import PlaceStatus
from volunteering.models import (
    DBSCheck,
    HoursEntry,
    HoursStatus,
    Onboarding,
    Shift,
    ShiftSignup,
    Stage,
    VolunteerRole,
)

DOMAIN = "impact.alongside.example"
MENTEE_NAMES = [
    "Aaron", "Bea", "Callum", "Dani", "Eli", "Fern", "Gus", "Hana", "Idris", "Jodie",
    "Kai", "Lena", "Mo", "Nell", "Omar", "Pia", "Quinn", "Rhys", "Suki", "Theo",
    "Uma", "Vic", "Wes", "Xena", "Yusuf", "Zara", "Ade", "Bryn", "Cleo", "Dom",
    "Esme", "Finn", "Gio", "Hope", "Ivo", "Jade", "Kit", "Lior", "Mina", "Noor",
]  # fmt: skip
MENTOR_NAMES = ["Paddy", "Grace", "Tariq", "Linh", "Beth", "Olu"]
VOLUNTEER_NAMES = ["Carys", "Desmond", "Femi", "Harriet", "Jonah", "Maya", "Ravi", "Sian"]
# How the 40 matches ended up, in order of referral (oldest first).
ENDINGS = [
    EndReason.GOALS_MET, EndReason.GOALS_MET, EndReason.MOVED_ON, EndReason.GOALS_MET,
    EndReason.DISENGAGED, EndReason.CUSTODY, EndReason.GOALS_MET, EndReason.MOVED_ON,
    EndReason.DISENGAGED, EndReason.GOALS_MET, EndReason.NOT_RIGHT, EndReason.GOALS_MET,
]  # fmt: skip
GOAL_WORDS = {
    Need.HOUSING: "Get my own tenancy",
    Need.WORK: "Finish my forklift course",
    Need.RECOVERY: "Six months without a drink",
    Need.FAMILY: "See my kids every weekend",
    Need.HEALTH: "Register with a GP",
    Need.MONEY: "Set up a bank account",
    Need.LEARNING: "Pass my English level 1",
}


def seed(personas, stdout) -> None:
    if Referral.objects.filter(person__email__endswith=f"@{DOMAIN}").exists():
        stdout.write("impact: a year of history is already there")
        return
    rng = random.Random(7)  # noqa: S311 - demo data, the same every time
    with transaction.atomic():
        counts = _history(personas, rng)
    stdout.write(
        "impact: a year of history ({referrals} referrals, {meetings} meetings, "
        "{hours} hours entries, {places} event places)".format(**counts)
    )


def _person(name: str, *roles: str) -> User:
    user, created = User.objects.get_or_create(
        email=f"{name.lower()}@{DOMAIN}", defaults={"display_name": name}
    )
    if created:
        user.set_unusable_password()
        user.save()
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _history(personas, rng: random.Random) -> dict[str, int]:
    now = timezone.now()
    coordinator = personas.get(Role.COORDINATOR)
    partner = _person("Partner-worker")
    mentors = [_person(name, Role.PEER_MENTOR, Role.VOLUNTEER) for name in MENTOR_NAMES]
    for mentor in mentors:
        MentorProfile.objects.get_or_create(user=mentor, defaults={"places": 6})
    mentees = [_person(name, Role.MENTEE) for name in MENTEE_NAMES]

    referrals, matches, meetings, goals = [], [], [], []
    sources = [coordinator, partner, "self"]
    for index, mentee in enumerate(mentees):
        # Spread over the last year, oldest first; the last ten are still on their way.
        created = now - timedelta(days=360 - index * 9, hours=rng.randint(0, 8))
        source = sources[index % 3] if index % 9 else None
        referrals.append(
            Referral(
                person=mentee,
                referred_by=mentee if source == "self" else source,
                contact_preference=ContactPreference.TEXT,
                area="Hackney",
                needs=[rng.choice(Need.values)],
                consent_to_share=True,
                created_at=created,
                status=ReferralStatus.WAITING,
            )
        )
    Referral.objects.bulk_create(referrals)

    for index, referral in enumerate(referrals):
        if index >= 34:
            continue  # six recent referrals still waiting for a match
        mentor = mentors[index % len(mentors)]
        proposed = referral.created_at + timedelta(days=rng.randint(5, 25))
        match = Match(
            referral=referral,
            mentor=mentor,
            mentee=referral.person,
            proposed_by=coordinator,
            proposed_at=min(proposed, now - timedelta(days=1)),
        )
        if index >= 31:
            match.status = MatchStatus.PROPOSED if index < 33 else MatchStatus.ACCEPTED
            referral.status = ReferralStatus.MATCHING
        else:
            match.activated_at = match.proposed_at + timedelta(days=rng.randint(2, 10))
            referral.status = ReferralStatus.MATCHED
            if index < len(ENDINGS):
                match.status = MatchStatus.ENDED
                match.end_reason = ENDINGS[index]
                match.ended_at = min(
                    match.activated_at + timedelta(days=rng.randint(90, 200)),
                    now - timedelta(days=3),
                )
            else:
                match.status = MatchStatus.PAUSED if index in (20, 25) else MatchStatus.ACTIVE
        matches.append(match)
    Match.objects.bulk_create(matches)
    Referral.objects.bulk_update(referrals, ["status"])

    for position, match in enumerate(matches):
        if match.activated_at is None:
            continue
        until = match.ended_at or now
        when = match.activated_at + timedelta(days=rng.randint(3, 12))
        # Three people never made a first meeting; two active matches missed the last two.
        if position in (4, 8, 15):
            when = until
        planned = []
        while when < until:
            status = MeetingStatus.HELD if rng.random() > 0.15 else MeetingStatus.MISSED
            planned.append([when, status])
            when += timedelta(days=14)
        if position in (17, 22) and len(planned) >= 2:
            planned[-1][1] = planned[-2][1] = MeetingStatus.MISSED
        meetings += [
            Meeting(
                match=match,
                starts_at=starts_at,
                place_kind=MeetingPlace.PLACE,
                place="The Hub café",
                status=status,
                scheduled_by=match.mentor,
                created_at=starts_at - timedelta(days=7),
            )
            for starts_at, status in planned
        ]
        for area in rng.sample(GOAL_AREAS, 2):
            reached = rng.random() < 0.6 and until - match.activated_at > timedelta(days=40)
            goals.append(
                Goal(
                    mentee=match.mentee,
                    area=area,
                    words=GOAL_WORDS[area],
                    status=GoalStatus.REACHED if reached else GoalStatus.WORKING,
                    reached_on=timezone.localdate(until - timedelta(days=rng.randint(1, 30)))
                    if reached
                    else None,
                    created_at=match.activated_at + timedelta(days=7),
                )
            )
    Meeting.objects.bulk_create(meetings)
    Goal.objects.bulk_create(goals)

    hours = _volunteering(mentees, rng, coordinator, now)
    places = _events(mentees + mentors, now)
    return {
        "referrals": len(referrals),
        "meetings": len(meetings),
        "hours": hours,
        "places": places,
    }


GOAL_AREAS = list(GOAL_WORDS)


def _volunteering(mentees, rng: random.Random, coordinator, now) -> int:
    role = VolunteerRole.objects.filter(slug="event-helper").first()
    if role is None:
        return 0
    today = timezone.localdate(now)
    volunteers = [_person(name, Role.VOLUNTEER) for name in VOLUNTEER_NAMES]
    # The pathway: two people mentored early in the year now give time themselves.
    pathway = mentees[:2]
    for person in pathway:
        person.groups.add(Group.objects.get_or_create(name=Role.VOLUNTEER)[0])
    for person in volunteers + pathway:
        applied = today - timedelta(days=120 if person in pathway else 400)
        Onboarding.objects.get_or_create(
            user=person,
            defaults={
                "why": "I want to give back what I was given.",
                "applied_on": applied,
                "interviewed_on": applied + timedelta(days=7),
                "induction_completed_on": applied + timedelta(days=21),
                "stage": Stage.INDUCTION if person is pathway[-1] else Stage.ACTIVE,
            },
        )
    entries = []
    # The last volunteer has drifted away: no hours this year.
    for position, person in enumerate(volunteers[:-1] + pathway[:1]):
        start = 360 if person not in pathway else 80
        for days_ago in range(start, 0, -rng.randint(6, 12) - position):
            pending = days_ago < 10
            entries.append(
                HoursEntry(
                    volunteer=person,
                    role=role,
                    worked_on=today - timedelta(days=days_ago),
                    minutes=rng.choice([90, 120, 180, 240]),
                    status=HoursStatus.PENDING if pending else HoursStatus.APPROVED,
                    decided_by=None if pending else coordinator,
                    decided_at=None
                    if pending
                    else timezone.make_aware(
                        datetime.combine(today - timedelta(days=days_ago - 2), time(17))
                    ),
                )
            )
    HoursEntry.objects.bulk_create(entries)
    _shifts(role, volunteers[:-1], now)
    # One DBS check to renew soon, so "Needs you today" has something to show.
    DBSCheck.objects.get_or_create(
        volunteer=volunteers[0],
        defaults={
            "issued_on": today - timedelta(days=3 * 365 - 40),
            "certificate_number": "001234567890",
            "recheck_due": today + timedelta(days=40),
            "recorded_by": coordinator,
        },
    )
    return len(entries)


def _shifts(role, volunteers, now) -> None:
    """A monthly community café shift over the year; the most recent months had fewer people."""
    signups = []
    for month in range(12, 0, -1):
        starts = (now - timedelta(days=30 * month)).replace(hour=10, minute=0, second=0)
        shift = Shift.objects.create(
            role=role,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            place="Community café, High Street",
            places=6,
        )
        team = volunteers if month > 3 else volunteers[: len(volunteers) // 2]
        signups += [
            ShiftSignup(shift=shift, volunteer=person, status=PlaceStatus.BOOKED)
            for person in team[:6]
        ]
    ShiftSignup.objects.bulk_create(signups)


PAST_EVENTS = [
    ("summer-picnic", "Summer picnic in the park", 150),
    ("winter-lunch", "Winter lunch", 300),
]


def _events(people, now) -> int:
    index = EventIndexPage.objects.first()
    if index is None:
        return 0
    for slug, title, days_ago in PAST_EVENTS:
        if EventPage.objects.filter(slug=slug).exists():
            continue
        start = (now - timedelta(days=days_ago)).replace(hour=12, minute=0, second=0)
        event = EventPage(
            title=title,
            slug=slug,
            start=start,
            end=start + timedelta(hours=3),
            place="Victoria Park",
            capacity=40,
            summary="Food, games and good company.",
            live=False,
        )
        index.add_child(instance=event)
        event.save_revision().publish()
    past = list(EventPage.objects.live().filter(end__lt=now))
    registrations = [
        EventRegistration(event=event, user=person, status=PlaceStatus.BOOKED)
        for number, event in enumerate(past)
        for person in people[number * 5 : number * 5 + 12]
    ]
    EventRegistration.objects.bulk_create(registrations, ignore_conflicts=True)
    return len(registrations)
