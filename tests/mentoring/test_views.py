"""Every page and action: anonymous → log in; the wrong person → 404; the right person → 200."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, User
from accounts.roles import Role
from accounts.services import profile_for
from mentoring.choices import ContactPreference, MatchStatus, MeetingStatus, SharedItem
from mentoring.models import (
    Goal,
    GoalStep,
    Match,
    Meeting,
    MeetingNote,
    Referral,
    RiskNote,
)
from tests.factories import person
from tests.mentoring.factories import cleared_mentor, match_between, meeting_of, referral_for

pytestmark = pytest.mark.django_db


def assert_login_redirect(client, url, method="get"):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- GET pages: (url name, args factory, who may, who may not) ---------------------------------


@pytest.fixture
def world(mentor, mentee, coordinator, other_mentor, other_mentee, outsider, meeting):
    match = meeting.match
    goal = Goal.objects.create(mentee=mentee, area="housing", words="A flat")
    return {
        "mentor": mentor,
        "mentee": mentee,
        "coordinator": coordinator,
        "other_mentor": other_mentor,
        "other_mentee": other_mentee,
        "outsider": outsider,
        "match": match,
        "meeting": meeting,
        "referral": match.referral,
        "goal": goal,
    }


PAGES = [
    # name, args, allowed, refused
    ("referrals", lambda w: [], ["coordinator"], ["mentor", "mentee", "outsider"]),
    ("referral_new", lambda w: [], ["coordinator"], ["mentor", "mentee", "outsider"]),
    (
        "referral",
        lambda w: [w["referral"].pk],
        ["coordinator", "mentee"],
        ["mentor", "other_mentee", "outsider"],
    ),
    ("referral_risk", lambda w: [w["referral"].pk], ["coordinator"], ["mentor", "mentee"]),
    ("suggestions", lambda w: [w["referral"].pk], ["coordinator"], ["mentor", "mentee"]),
    (
        "match",
        lambda w: [w["match"].pk],
        ["coordinator", "mentor", "mentee"],
        ["other_mentor", "other_mentee", "outsider"],
    ),
    (
        "meeting_new",
        lambda w: [w["match"].pk],
        ["coordinator", "mentor"],
        ["mentee", "other_mentor", "outsider"],
    ),
    (
        "meeting",
        lambda w: [w["meeting"].pk],
        ["coordinator", "mentor", "mentee"],
        ["other_mentor", "other_mentee", "outsider"],
    ),
    (
        "meeting_move",
        lambda w: [w["meeting"].pk],
        ["coordinator", "mentor", "mentee"],
        ["other_mentor", "other_mentee", "outsider"],
    ),
    (
        "meeting_concern",
        lambda w: [w["meeting"].pk],
        ["coordinator", "mentor"],
        ["mentee", "other_mentor"],
    ),
    ("goals", lambda w: [], ["mentee"], ["mentor", "outsider"]),
    ("goal", lambda w: [w["goal"].pk], ["mentee", "coordinator"], ["mentor", "other_mentee"]),
    ("check_in", lambda w: [], ["mentee"], ["mentor", "outsider"]),
    ("sharing", lambda w: [], ["mentee"], ["mentor", "outsider"]),
    ("journey", lambda w: [], ["mentee"], ["mentor", "outsider"]),
    ("people", lambda w: [], ["mentee"], ["mentor", "outsider"]),
    ("home", lambda w: [], ["mentee", "mentor", "coordinator", "outsider"], []),
    ("refer_self", lambda w: [], ["outsider", "mentee"], []),
]


@pytest.mark.parametrize(("name", "args", "allowed", "refused"), PAGES, ids=[p[0] for p in PAGES])
def test_page_permissions(client, client_of, world, name, args, allowed, refused):
    url = reverse(f"mentoring:{name}", args=args(world))
    assert_login_redirect(client, url)
    for who in allowed:
        assert client_of(world[who]).get(url).status_code == 200, who
    for who in refused:
        assert client_of(world[who]).get(url).status_code == 404, who


ACTIONS = [
    ("match_answer", "match", {"answer": "yes"}),
    ("match_agree", "match", {}),
    ("match_pause", "match", {"reason": "relapse"}),
    ("match_resume", "match", {}),
    ("match_end", "match", {"reason": "moved_on"}),
    ("meeting_status", "meeting", {"status": "held"}),
    ("meeting_notes", "meeting", {"notes": "x", "agreed_actions": "y"}),
    ("meeting_move", "meeting", {"day": "2030-01-01", "time": "10:00", "minutes": "60"}),
    ("meeting_cancel", "meeting", {}),
    ("do_not_match", "referral", {"mentor": "1", "reason": "x"}),
]


@pytest.mark.parametrize(("name", "target", "data"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_actions_refuse_anonymous_and_strangers(client, client_of, world, name, target, data):
    url = reverse(f"mentoring:{name}", args=[world[target].pk])
    assert_login_redirect(client, url, "post")
    for who in ("other_mentor", "other_mentee", "outsider"):
        assert client_of(world[who]).post(url, data).status_code == 404, who
    world["match"].refresh_from_db()
    assert world["match"].status == MatchStatus.ACTIVE
    assert not MeetingNote.objects.exists()
    world["meeting"].refresh_from_db()
    assert world["meeting"].status == MeetingStatus.PLANNED


def test_mentee_cannot_pause_or_end(client_of, world):
    client = client_of(world["mentee"])
    match = world["match"]
    client.post(reverse("mentoring:match_pause", args=[match.pk]), {"reason": "relapse"})
    assert (
        client.post(
            reverse("mentoring:match_end", args=[match.pk]), {"reason": "moved_on"}
        ).status_code
        == 404
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE


def test_mentor_sees_only_active_mentees(client_of, mentor, coordinator):
    cleared_mentor(mentor)
    ended = match_between(mentor, person(Role.MENTEE), status=MatchStatus.ENDED)
    declined = match_between(mentor, person(Role.MENTEE), status=MatchStatus.DECLINED)
    client = client_of(mentor)
    assert client.get(reverse("mentoring:match", args=[ended.pk])).status_code == 404
    # A proposal they said no to still opens from the notice that asked them: its status and
    # history only, no question left and nothing the mentee shares.
    declined.referral.area = "SENTINEL-AREA"
    declined.referral.save()
    page = client.get(reverse("mentoring:match", args=[declined.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Would you mentor" not in body and "SENTINEL-AREA" not in body
    assert "shared" not in page.context
    old_meeting = meeting_of(ended)
    assert client.get(reverse("mentoring:meeting", args=[old_meeting.pk])).status_code == 404


# --- Consent, item by item ----------------------------------------------------------------------


def test_mentor_sees_only_what_the_mentee_shares_and_changes_apply_at_once(client_of, world):
    referral = world["referral"]
    referral.prison = "SENTINEL-PRISON"
    referral.needs = ["housing"]
    referral.area = "SENTINEL-AREA"
    referral.save()
    mentee_client = client_of(world["mentee"])
    mentor_client = client_of(world["mentor"])
    url = reverse("mentoring:match", args=[world["match"].pk])

    mentee_client.post(reverse("mentoring:sharing"), {"items": [SharedItem.NEEDS]})
    page = mentor_client.get(url).content.decode()
    assert "Housing" in page
    assert "SENTINEL-PRISON" not in page and "SENTINEL-AREA" not in page

    mentee_client.post(reverse("mentoring:sharing"), {"items": [SharedItem.PRISON]})
    page = mentor_client.get(url).content.decode()
    assert "SENTINEL-PRISON" in page
    assert "Housing" not in page

    mentee_client.post(reverse("mentoring:sharing"), {})
    page = mentor_client.get(url).content.decode()
    assert "SENTINEL-PRISON" not in page


def test_risk_notes_only_for_coordinators_and_every_view_audited(client_of, world):
    RiskNote.objects.create(referral=world["referral"], body="SENTINEL-RISK")
    for who in ("mentor", "mentee"):
        for name in ("referral", "match"):
            target = world["referral"] if name == "referral" else world["match"]
            page = client_of(world[who]).get(reverse(f"mentoring:{name}", args=[target.pk]))
            assert b"SENTINEL-RISK" not in page.content
    coordinator = client_of(world["coordinator"])
    url = reverse("mentoring:referral_risk", args=[world["referral"].pk])
    assert b"SENTINEL-RISK" in coordinator.get(url).content
    coordinator.get(url)
    assert AuditEvent.objects.filter(action="viewed", actor=world["coordinator"]).count() == 2


def test_notes_for_mentor_and_coordinator_actions_for_the_mentee(client_of, world):
    meeting = world["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=meeting.starts_at.replace(year=2020))
    client_of(world["mentor"]).post(
        reverse("mentoring:meeting_notes", args=[meeting.pk]),
        {"notes": "SENTINEL-NOTES", "agreed_actions": "Call the housing office"},
    )
    url = reverse("mentoring:meeting", args=[meeting.pk])
    mentee_page = client_of(world["mentee"]).get(url).content.decode()
    assert "Call the housing office" in mentee_page and "SENTINEL-NOTES" not in mentee_page
    assert "SENTINEL-NOTES" in client_of(world["coordinator"]).get(url).content.decode()
    assert "SENTINEL-NOTES" in client_of(world["mentor"]).get(url).content.decode()


def test_mentor_raises_a_safeguarding_concern_from_a_meeting(client_of, world):
    from safeguarding.models import Concern, Source

    meeting = world["meeting"]
    response = client_of(world["mentor"]).post(
        reverse("mentoring:meeting_concern", args=[meeting.pk]), {"summary": "He seemed unsafe"}
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.source == Source.MEETING
    assert concern.source_ref == f"meeting:{meeting.pk}"
    assert concern.subject == world["mentee"]


# --- Referral and matching through the pages ----------------------------------------------------


def test_coordinator_refers_sees_reasons_and_proposes(client_of, coordinator, mentee):
    mentors = [cleared_mentor(area="Leeds", languages=["Polish"]) for _ in range(6)]
    client = client_of(coordinator)
    response = client.post(
        reverse("mentoring:referral_new"),
        {
            "email": mentee.email,
            "contact_preference": ContactPreference.TEXT,
            "area": "Leeds",
            "wants_language": "Polish",
            "risk": "SENTINEL-RISK",
        },
    )
    referral = Referral.objects.get(person=mentee)
    assert response["Location"] == reverse("mentoring:suggestions", args=[referral.pk])
    page = client.get(response["Location"]).content.decode()
    assert page.count("Both live in Leeds") == 5
    assert "Both speak Polish" in page
    assert "Living in the same area" in page  # the weights, shown
    assert "SENTINEL-RISK" not in page
    response = client.post(response["Location"], {"mentor": mentors[0].pk})
    match = Match.objects.get(mentee=mentee)
    assert match.mentor == mentors[0]
    assert "Both live in Leeds" in match.reason_texts


def test_members_never_see_each_others_history_in_the_reasons(client_of, coordinator, mentee):
    mentor = cleared_mentor(availability=["tue-evening"], lived_experience=["prison"])
    profile = profile_for(mentee)
    profile.lived_experience = ["prison"]
    profile.save()
    referral = referral_for(mentee, availability=["tue-evening"])
    client_of(coordinator).post(
        reverse("mentoring:suggestions", args=[referral.pk]), {"mentor": mentor.pk}
    )
    match = Match.objects.get()
    url = reverse("mentoring:match", args=[match.pk])
    assert "Both have been in prison" in client_of(coordinator).get(url).content.decode()
    page = client_of(mentor).get(url).content.decode()
    assert "Both free Tuesday evenings" in page
    assert "Both have been in prison" not in page
    client_of(mentor).post(reverse("mentoring:match_answer", args=[match.pk]), {"answer": "yes"})
    page = client_of(mentee).get(url).content.decode()
    assert "Both free Tuesday evenings" in page
    assert "Both have been in prison" not in page


def test_bad_referral_input_is_a_message_not_a_500(client_of, coordinator):
    response = client_of(coordinator).post(
        reverse("mentoring:referral_new"),
        {"email": "nobody@example.org", "contact_preference": "x\x00"},
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not Referral.objects.exists()
    assert not User.objects.filter(email="nobody@example.org").exists()


def test_suggestions_page_queries_do_not_grow(
    client_of, coordinator, mentee, django_assert_max_num_queries
):
    referral = referral_for(mentee, area="Leeds")
    client = client_of(coordinator)
    url = reverse("mentoring:suggestions", args=[referral.pk])
    for _ in range(2):
        cleared_mentor(area="Leeds")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(6):
        cleared_mentor(area="Leeds")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_mentor_accepts_mentee_agrees_meeting_planned(client_of, coordinator, mentee, mentor):
    cleared_mentor(mentor)
    referral = referral_for(mentee)
    client_of(coordinator).post(
        reverse("mentoring:suggestions", args=[referral.pk]), {"mentor": mentor.pk}
    )
    match = Match.objects.get()
    client_of(mentor).post(reverse("mentoring:match_answer", args=[match.pk]), {"answer": "yes"})
    client_of(mentee).post(reverse("mentoring:match_agree", args=[match.pk]))
    match.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE
    response = client_of(mentor).post(
        reverse("mentoring:meeting_new", args=[match.pk]),
        {"day": "2099-01-05", "time": "18:00", "minutes": 60, "place_kind": "phone", "place": ""},
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("mentoring:meeting", args=[meeting.pk])
    today = client_of(mentee).get(reverse("accounts:today")).content.decode()
    assert reverse("mentoring:meeting", args=[meeting.pk]) in today


def test_meeting_in_the_past_is_refused_with_a_message(client_of, match, mentor):
    response = client_of(mentor).post(
        reverse("mentoring:meeting_new", args=[match.pk]),
        {"day": "2001-01-05", "time": "18:00", "minutes": 60, "place_kind": "phone"},
    )
    assert response.status_code == 200
    assert b"in the future" in response.content
    assert not Meeting.objects.exists()


# --- Goals and check-ins (the calendar: tests/notifications/test_calendar.py) ---------------


def test_goals_steps_and_check_ins(client_of, mentee, other_mentee):
    client = client_of(mentee)
    client.post(reverse("mentoring:goals"), {"area": "housing", "words": "My own flat"})
    goal = Goal.objects.get(mentee=mentee)
    client.post(reverse("mentoring:goal", args=[goal.pk]), {"words": "Call the council"})
    step = GoalStep.objects.get()
    client.post(reverse("mentoring:goal_step", args=[goal.pk, step.pk]), {"done": "yes"})
    assert client.get(reverse("mentoring:goals")).content.decode().count("100%") >= 1
    assert (
        client_of(other_mentee)
        .post(reverse("mentoring:goal_step", args=[goal.pk, step.pk]), {"done": "no"})
        .status_code
        == 404
    )
    client.post(reverse("mentoring:weekly_target"), {"hours": "16"})
    client.post(reverse("mentoring:check_in"), {"feeling": "4", "line": "Better", "hours": "12"})
    page = client.get(reverse("mentoring:goals")).content.decode()
    assert "16 hours a week" in page and "12.0 hours" in page


def test_journey_and_my_people(client_of, world):
    meeting = world["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.HELD, starts_at=meeting.starts_at.replace(year=2020)
    )
    client = client_of(world["mentee"])
    assert "You met Sam Mentor" in client.get(reverse("mentoring:journey")).content.decode()
    assert "Sam Mentor" in client.get(reverse("mentoring:people")).content.decode()


def test_referral_list_query_count_is_pinned(client_of, coordinator, django_assert_num_queries):
    client = client_of(coordinator)
    url = reverse("mentoring:referrals")
    client.get(url)
    for _ in range(3):
        referral_for(person(Role.MENTEE))
    # 4 are the site's own on every page: session, user, roles, two-factor check.
    # 1 is this page's: referrals joined with the people referred and referring.
    # + 1: the count of unread notifications in the header.
    with django_assert_num_queries(6) as small:
        client.get(url)
    for _ in range(5):
        referral_for(person(Role.MENTEE))
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


@pytest.mark.parametrize("who", ["coordinator", "mentor", "mentee"])
def test_mentoring_home_query_count_does_not_grow(client_of, world, who):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_of(world[who])
    url = reverse("mentoring:home")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for _ in range(3):
        referral_for(person(Role.MENTEE))
        meeting_of(world["match"])
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_journey_includes_the_way_into_volunteering(client_of, mentee):
    from tests.volunteering.factories import make_cleared

    referral_for(mentee, release_date=timezone.localdate() - timedelta(days=90))
    make_cleared(mentee)
    page = client_of(mentee).get(reverse("mentoring:journey")).content.decode()
    assert "You were referred for a mentor" in page
    assert "Your release day" in page
    assert "Completed induction" in page
    # Oldest first: release day (90 days ago) comes before the referral (today).
    assert page.index("Your release day") < page.index("You were referred for a mentor")


def test_a_mentor_who_says_yes_lands_on_a_page_they_can_see_and_is_told_what_next(
    client_of, coordinator, mentee, mentor
):
    cleared_mentor(mentor)
    referral = referral_for(mentee)
    client_of(coordinator).post(
        reverse("mentoring:suggestions", args=[referral.pk]), {"mentor": mentor.pk}
    )
    match = Match.objects.get()
    response = client_of(mentor).post(
        reverse("mentoring:match_answer", args=[match.pk]), {"answer": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("mentoring:home")
    page = response.content.decode()
    assert "Page not found" not in page
    assert f"We have asked {mentee.display_name} if they would like to meet you" in page


def test_a_mentor_who_says_not_this_time_is_thanked_on_mentoring(
    client_of, coordinator, mentee, mentor
):
    cleared_mentor(mentor)
    referral = referral_for(mentee)
    client_of(coordinator).post(
        reverse("mentoring:suggestions", args=[referral.pk]), {"mentor": mentor.pk}
    )
    match = Match.objects.get()
    response = client_of(mentor).post(
        reverse("mentoring:match_answer", args=[match.pk]), {"answer": "no"}, follow=True
    )
    assert response.status_code == 200
    assert "Thank you for saying" in response.content.decode()


def test_my_people_promises_only_what_is_there(
    client_of, coordinator, mentee, mentor, django_capture_on_commit_callbacks
):
    client = client_of(mentee)
    empty = client.get(reverse("mentoring:people")).content.decode()
    assert "coordinator will show here" not in empty
    assert "When a peer mentor is matched with you, they will show here" in empty
    cleared_mentor(mentor)
    referral = referral_for(mentee)
    client_of(coordinator).post(
        reverse("mentoring:suggestions", args=[referral.pk]), {"mentor": mentor.pk}
    )
    match = Match.objects.get()
    client_of(mentor).post(reverse("mentoring:match_answer", args=[match.pk]), {"answer": "yes"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mentoring:match_agree", args=[match.pk]))
    page = client.get(reverse("mentoring:people")).content.decode()
    assert "in the private chat for the two of you: open Chat in the menu" in page
    # ...and that chat is really there, in Chat, in the menu.
    menu_chat = reverse("chat:rooms")
    assert f'href="{menu_chat}"' in page
    assert mentor.display_name in client.get(menu_chat).content.decode()
