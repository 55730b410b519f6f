"""The personal-data register: each persona's "My data" download holds their own data and nothing
planted in anybody else's rows.

Every persona is tied to other people in every way the platform allows (they referred someone,
assessed a volunteer's DBS check, decided hours, mentor one person and are mentored by another,
share chat rooms, drafted someone's story, raised a concern). Other people's rows carry
``SENTINEL-<uuid>`` values; the persona's own carry ``OWN-<uuid>`` values that must be there.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import audit, services
from accounts.personal_data import rows
from accounts.roles import Role
from chat.models import Membership, Message, ModerationAction, Report, Room, RoomKind, Sanction
from cms.models import EventRegistration
from mentoring.models import (
    CheckIn,
    DoNotMatch,
    Goal,
    Match,
    MeetingNote,
    MentorProfile,
    NeverAgain,
    RiskNote,
)
from notifications.models import InboundText, Notification
from notifications.places import PlaceStatus
from safeguarding.models import ConcernAction
from safeguarding.services import raise_concern
from tests.cms import factories as pages
from tests.factories import TEST_PASSWORD, person
from tests.mentoring.factories import meeting_of, referral_for
from tests.volunteering.factories import (
    DBSCheckFactory,
    OnboardingFactory,
    ReferenceFactory,
    RiskAssessmentFactory,
    TrainingCompletionFactory,
    ensure_roles,
)
from volunteering.models import HoursEntry, VolunteerRole

pytestmark = pytest.mark.django_db

PERSONAS = [
    "mentee",
    "mentor",
    "volunteer",
    "coordinator",
    "safeguarding_lead",
    "moderator",
    "involvement_lead",
    "admin_user",
]


def sentinel() -> str:
    return f"SENTINEL-{uuid.uuid4().hex[:12]}"


def someone_else(*roles: str):
    """Another person whose name, e-mail and profile are all sentinels."""
    name = sentinel()
    other = person(*roles, display_name=name, email=f"{name.lower()}@example.org", totp=False)
    services.update_profile(user=other, by=other, area=sentinel(), accessibility_needs=sentinel())
    return other


def plant_other_peoples_rows(me) -> None:
    ensure_roles()
    role = VolunteerRole.objects.get(slug="peer-mentor")
    other_mentee = someone_else(Role.MENTEE)
    other_mentor = someone_else(Role.PEER_MENTOR, Role.VOLUNTEER)
    MentorProfile.objects.create(user=other_mentor, places=2)

    # A referral I made about someone else, with a risk note I wrote on it.
    referral = referral_for(
        other_mentee, area=sentinel(), prison=sentinel(), wants_language=sentinel()[:40]
    )
    referral.referred_by = me
    referral.save()
    RiskNote.objects.create(referral=referral, written_by=me, body=sentinel())

    # I mentor someone: the match's reasons, notes and their "never again" are not mine.
    as_mentor = Match.objects.create(
        referral=referral,
        mentor=me,
        mentee=other_mentee,
        proposed_by=me,
        reasons=[{"text": sentinel(), "factor": "area"}],
        override_reason=sentinel(),
        end_note=sentinel(),
    )
    meeting_of(as_mentor, place="Library")
    NeverAgain.objects.create(mentee=other_mentee, mentor=me)
    DoNotMatch.objects.create(mentor=me, mentee=other_mentee, reason=sentinel(), recorded_by=me)
    Goal.objects.create(mentee=other_mentee, area="housing", words=sentinel())
    CheckIn.objects.create(mentee=other_mentee, feeling=3, line=sentinel())

    # Someone mentors me: their private notes about our meeting are not mine.
    as_mentee = Match.objects.create(
        referral=referral_for(me),
        mentor=other_mentor,
        mentee=me,
        reasons=[{"text": sentinel(), "factor": "lived_experience"}],
    )
    met = meeting_of(as_mentee, in_hours=-24)
    MeetingNote.objects.create(meeting=met, written_by=other_mentor, notes=sentinel())

    # Volunteering records I decided or recorded about someone else.
    OnboardingFactory(user=other_mentor, why=sentinel(), interviewed_by=me)
    ReferenceFactory(volunteer=other_mentor, referee_name=sentinel())
    # A certificate number is 12 characters at most (PostgreSQL holds to it).
    number = sentinel()[:12]
    check = DBSCheckFactory(volunteer=other_mentor, certificate_number=number, recorded_by=me)
    RiskAssessmentFactory(dbs_check=check, assessor=me, notes=sentinel())
    TrainingCompletionFactory(user=other_mentor, verified_by=me)
    HoursEntry.objects.create(
        volunteer=other_mentor,
        role=role,
        worked_on=timezone.localdate() - timedelta(days=2),
        minutes=60,
        note=sentinel(),
        decided_by=me,
    )

    # Safeguarding: a concern I raised, handle and act on.
    concern = raise_concern(raised_by=me, subject=other_mentee, summary=sentinel())
    concern.assigned_to = me
    concern.outcome = sentinel()
    concern.save()
    ConcernAction.objects.create(concern=concern, by=me, note=sentinel())

    # Chat: a pair room named after the other person, their messages, their report on me.
    pair = Room.objects.create(
        name=f"{other_mentor.display_name} and me", kind=RoomKind.PAIR, match_id=as_mentee.pk
    )
    group = Room.objects.create(name="Thursday group", kind=RoomKind.PEER_SUPPORT, chair=me)
    for room in (pair, group):
        Membership.objects.create(room=room, user=me)
        Membership.objects.create(room=room, user=other_mentor)
    mine = Message.objects.create(room=group, author=me, body="OK")
    theirs = Message.objects.create(room=group, author=other_mentor, body=sentinel())
    Message.objects.create(room=pair, author=other_mentor, body=sentinel())
    Report.objects.create(message=mine, reporter=other_mentor, reason=sentinel())
    Report.objects.create(message=theirs, reporter=other_mentee, reason=sentinel(), resolved_by=me)
    Sanction.objects.create(room=group, user=other_mentor, level="mute", reason=sentinel(), by=me)
    Sanction.objects.create(room=group, user=other_mentee, level="ban", reason=sentinel(), by=me)
    ModerationAction.objects.create(
        room=group, actor=me, action="hide", subject=other_mentor, message=theirs, reason=sentinel()
    )

    # A story told by someone else, which I drafted and own in Wagtail.
    story = pages.story(title=sentinel(), storyteller=other_mentee, body_text=sentinel())
    story.owner = me
    story.save()
    story.save_revision(user=me)

    # The audit trail about other people, with me as the actor.
    audit.record(actor=me, action="viewed", target=referral, subject=other_mentee, summary="x")

    # A notice to me that names someone else, and a text someone else sent us.
    Notification.objects.create(
        recipient=me, kind="mentoring.mentor_said_yes", key=sentinel(), title=sentinel(), url="/"
    )
    InboundText.objects.create(
        sender=other_mentee, from_number="+447700900001", body=sentinel(), provider_ref=sentinel()
    )


def plant_my_own_rows(me) -> dict[str, str]:
    """My own data in every app, each with a marker that must reach my download."""
    ensure_roles()
    own = {key: f"OWN-{key}-{uuid.uuid4().hex[:8]}" for key in (
        "area", "prison", "goal", "check_in", "hours", "message", "story", "notes", "event",
        "agreed", "text",
    )}  # fmt: skip
    services.update_profile(user=me, by=me, area=own["area"])
    InboundText.objects.create(
        sender=me, from_number="+447700900002", body=own["text"], provider_ref=own["text"]
    )
    referral_for(me, prison=own["prison"])
    Goal.objects.create(mentee=me, area="housing", words=own["goal"])
    CheckIn.objects.create(mentee=me, feeling=4, line=own["check_in"])
    HoursEntry.objects.create(
        volunteer=me,
        role=VolunteerRole.objects.get(slug="peer-mentor"),
        worked_on=timezone.localdate() - timedelta(days=1),
        minutes=90,
        note=own["hours"],
    )
    room = Room.objects.create(name="Friday group", kind=RoomKind.PEER_SUPPORT)
    Membership.objects.create(room=room, user=me)
    Message.objects.create(room=room, author=me, body=own["message"])
    pages.story(title="My own story", storyteller=me, body_text=own["story"])
    # A meeting I had as a mentor, with the notes I wrote, and one as a mentee.
    other = person(Role.MENTEE)
    as_mentor = Match.objects.create(referral=referral_for(other), mentor=me, mentee=other)
    MeetingNote.objects.create(
        meeting=meeting_of(as_mentor, in_hours=-2), written_by=me, notes=own["notes"]
    )
    mentor = person(Role.PEER_MENTOR)
    as_mentee = Match.objects.create(referral=referral_for(me), mentor=mentor, mentee=me)
    MeetingNote.objects.create(
        meeting=meeting_of(as_mentee, in_hours=-3), written_by=mentor, agreed_actions=own["agreed"]
    )
    EventRegistration.objects.create(
        event=pages.event(title=own["event"]), user=me, status=PlaceStatus.BOOKED
    )
    return own


def download(client_of, me) -> str:
    client = client_of(me)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    response = client.get(reverse("accounts:my_data_download"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_nothing_of_anyone_else_is_in_my_download(persona, request, client_of):
    me = request.getfixturevalue(persona)
    plant_other_peoples_rows(me)

    body = download(client_of, me)

    assert "sentinel-" not in body.lower(), [
        line.strip() for line in body.splitlines() if "sentinel-" in line.lower()
    ]
    assert json.loads(body)["account"]["email"] == me.email


@pytest.mark.parametrize("persona", PERSONAS)
def test_my_own_data_is_all_in_my_download(persona, request, client_of):
    me = request.getfixturevalue(persona)
    own = plant_my_own_rows(me)

    data = json.loads(download(client_of, me))

    body = json.dumps(data)
    missing = [key for key, value in own.items() if value not in body]
    assert not missing, f"{persona}'s own {missing} are not in their download"
    assert data["account"]["display_name"] == me.display_name
    assert data["account"]["roles"] == sorted(me.roles)
    # A story comes as its words, not as Wagtail's blocks.
    (story,) = data["stories.stories"]
    assert story["story"] == own["story"] and story["title"] == "My own story"


def test_a_storytellers_download_works_and_holds_the_story_as_text(client_of, mentee):
    pages.story(
        storyteller=mentee, body_text="I left with nowhere to go. <b>Then</b> I found help."
    )

    data = json.loads(download(client_of, mentee))

    (story,) = data["stories.stories"]
    assert "nowhere to go" in story["story"] and "<" not in story["story"]
    assert data["stories.consents"][0]["method"] == "written"


def test_a_pair_room_is_named_without_the_other_person(client_of, mentee, mentor):
    room = Room.objects.create(name="Sam Mentor and Jay Mentee", kind=RoomKind.PAIR, match_id=1)
    Membership.objects.create(room=room, user=mentee)

    data = json.loads(download(client_of, mentee))

    assert [row["room"] for row in data["chat.memberships"]] == ["Your mentoring chat"]
    assert "Sam Mentor" not in json.dumps(data)


def test_rows_hold_only_the_fields_named(mentee):
    services.update_profile(user=mentee, by=mentee, area="Leeds", accessibility_needs="Quiet room")
    (row,) = rows([mentee.profile], ["area"])
    assert row == {"area": "Leeds"}
