"""Demo content for ``manage.py seed_demo``: Jay matched with Sam, a meeting tomorrow, goals, and
more people so the suggestions page has five mentors with reasons. Safe to run again."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import ConsentPurpose, User
from accounts.roles import Role
from accounts.services import give_consent, profile_for
from mentoring.choices import (
    ContactPreference,
    Gender,
    GoalStatus,
    MatchStatus,
    MeetingPlace,
    Need,
    ReferralStatus,
    SharedItem,
)
from mentoring.models import (
    Goal,
    GoalStep,
    Match,
    MatchEvent,
    Meeting,
    MenteeSettings,
    MentorProfile,
    Referral,
)

DEMO_DOMAIN = "alongside.example"
# name, gender, area, languages, interests, lived experience, free, helps with
MENTORS = [
    (
        "Kofi",
        Gender.MAN,
        "Hackney",
        ["English", "Twi"],
        ["football"],
        ["prison", "drugs"],
        ["tue-evening", "sat-morning"],
        [Need.HOUSING, Need.WORK],
    ),
    (
        "Marta",
        Gender.WOMAN,
        "Hackney",
        ["English", "Polish"],
        ["cooking"],
        ["residential_rehab", "alcohol"],
        ["tue-evening", "wed-afternoon"],
        [Need.RECOVERY, Need.FAMILY],
    ),
    (
        "Dev",
        Gender.MAN,
        "Tower Hamlets",
        ["English", "Bengali"],
        ["music"],
        ["prison", "homelessness"],
        ["mon-morning", "tue-evening"],
        [Need.HOUSING, Need.MONEY],
    ),
    (
        "Lou",
        Gender.NON_BINARY,
        "Islington",
        ["English"],
        ["art"],
        ["mental_health", "care_leaver"],
        ["thu-evening"],
        [Need.HEALTH, Need.LEARNING],
    ),
    (
        "Reece",
        Gender.MAN,
        "Hackney",
        ["English"],
        ["football", "fishing"],
        ["prison", "probation"],
        ["sat-morning"],
        [Need.WORK, Need.MONEY],
    ),
    (
        "Ana",
        Gender.WOMAN,
        "Camden",
        ["English", "Portuguese"],
        ["walking"],
        ["drugs", "community_treatment"],
        ["fri-afternoon"],
        [Need.RECOVERY, Need.HEALTH],
    ),
]
MENTEES = [("Chris", "Hackney", ["prison"]), ("Tasha", "Camden", ["alcohol"])]


def _person(name: str, *roles: str) -> User:
    email = f"{name.lower()}@{DEMO_DOMAIN}"
    user, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
    if created:
        user.set_unusable_password()
        user.save()
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _mentor(user, gender, area, languages, interests, lived, free, helps):
    MentorProfile.objects.update_or_create(
        user=user, defaults={"places": 2, "gender": gender, "helps_with": list(helps)}
    )
    give_consent(user=user, purpose=ConsentPurpose.LIVED_EXPERIENCE)
    profile = profile_for(user)
    profile.area, profile.languages, profile.interests = area, languages, interests
    profile.lived_experience, profile.availability = lived, free
    profile.save()
    _clear(user)


def _clear(user) -> None:
    """Clear a demo mentor through volunteering's own demo helper: it owns those records.

    The helper is private to volunteering's demo; the lead engineer is asked to make it public.
    """
    from volunteering import demo as volunteering_demo
    from volunteering.models import VolunteerRole

    role = VolunteerRole.objects.get(slug="peer-mentor")
    volunteering_demo.clear_for_demo(user, role, timezone.localdate())


@transaction.atomic
def seed(personas: dict, stdout) -> None:
    jay, sam, dee = personas[Role.MENTEE], personas[Role.PEER_MENTOR], personas[Role.COORDINATOR]
    _mentor(
        sam,
        Gender.WOMAN,
        "Hackney",
        ["English"],
        ["football"],
        ["prison", "drugs"],
        ["tue-evening"],
        [Need.HOUSING, Need.RECOVERY],
    )
    for name, *facts in MENTORS:
        _mentor(_person(name, Role.PEER_MENTOR, Role.VOLUNTEER), *facts)

    referral = Referral.objects.filter(person=jay).first() or Referral.objects.create(
        person=jay,
        referred_by=dee,
        contact_preference=ContactPreference.TEXT,
        area="Hackney",
        needs=[Need.HOUSING, Need.WORK],
        availability=["tue-evening"],
        consent_to_share=True,
        status=ReferralStatus.MATCHED,
    )
    MenteeSettings.objects.get_or_create(
        mentee=jay,
        defaults={"shared": [SharedItem.NEEDS, SharedItem.GOALS], "weekly_hours_target": 16},
    )
    match = Match.objects.filter(mentee=jay, mentor=sam).first()
    if match is None:
        now = timezone.now()
        match = Match.objects.create(
            referral=referral,
            mentor=sam,
            mentee=jay,
            proposed_by=dee,
            status=MatchStatus.ACTIVE,
            activated_at=now,
            reasons=[
                {"factor": "lived_experience", "text": "Both have been in prison"},
                {"factor": "availability", "text": "Both free Tuesday evenings"},
            ],
        )
        for status in (MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.ACTIVE):
            MatchEvent.objects.create(match=match, status=status, by=dee)
        tomorrow = timezone.localtime(now + timedelta(days=1)).replace(
            hour=18, minute=0, second=0, microsecond=0
        )
        Meeting.objects.create(
            match=match,
            starts_at=tomorrow,
            place_kind=MeetingPlace.PLACE,
            place="The Mill café, Hackney",
            scheduled_by=sam,
        )
        goal = Goal.objects.create(mentee=jay, area=Need.HOUSING, words="Get my own flat")
        GoalStep.objects.create(goal=goal, words="Register with the council", done=True)
        GoalStep.objects.create(goal=goal, words="Open a bank account")
        Goal.objects.create(
            mentee=jay, area=Need.WORK, words="Finish my forklift course", status=GoalStatus.WORKING
        )

    for name, area, wants in MENTEES:
        mentee = _person(name, Role.MENTEE)
        if not Referral.objects.filter(person=mentee).exists():
            Referral.objects.create(
                person=mentee,
                referred_by=dee,
                contact_preference=ContactPreference.PHONE,
                area=area,
                needs=[Need.HOUSING, Need.RECOVERY],
                wants_experience=wants,
                availability=["tue-evening", "sat-morning"],
                consent_to_share=True,
            )
    proposed = _proposal_waiting_for(sam, mentee_name="Chris", by=dee)
    stdout.write(
        "Mentoring: Jay is matched with Sam; a meeting tomorrow; Tasha's referral waiting for a "
        "match" + ("; Chris proposed to Sam, waiting for Sam's answer" if proposed else "")
    )


def _proposal_waiting_for(mentor: User, *, mentee_name: str, by: User) -> bool:
    """Propose a waiting demo mentee to ``mentor`` through the real service, so the mentor's
    Today asks "Mentoring Chris?" (told once: the notice has a key)."""
    from django.core.exceptions import ValidationError

    from mentoring.services import propose_match

    referral = Referral.objects.filter(
        person__email=f"{mentee_name.lower()}@{DEMO_DOMAIN}", status=ReferralStatus.WAITING
    ).first()
    if referral is None:
        return False
    try:
        propose_match(referral=referral, mentor=mentor, by=by)
    except ValidationError:
        # Not among the top five on this laptop's data: a coordinator may still choose them.
        propose_match(
            referral=referral, mentor=mentor, by=by, override_reason="Demo: a proposal to answer"
        )
    return True
