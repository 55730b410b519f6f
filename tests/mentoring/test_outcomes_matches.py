"""After each meeting, the health of each match, ending well, milestones and time to help."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import ConsentPurpose
from accounts.services import give_consent
from mentoring.choices import MatchStatus, MeetingStatus, PauseReason
from mentoring.models import Match, MatchEvent, Meeting
from mentoring.outcomes import health, selectors, services
from mentoring.outcomes.milestones import count_days
from mentoring.outcomes.models import Face, MeetingFeedback, Phase, Reflection, Response
from tests.mentoring.factories import meeting_of, referral_for

pytestmark = pytest.mark.django_db


def past_meeting(match, *, days_ago, status=MeetingStatus.HELD):
    return meeting_of(match, in_hours=-24 * days_ago, status=status)


def reasons(match):
    found = health.health_of(match)
    return found.reasons if found else None


def self_check(mentee, answers, *, days_ago):
    give_consent(user=mentee, purpose=ConsentPurpose.OUTCOMES)
    Response.objects.create(
        person=mentee,
        questionnaire="how-things-are",
        answers=answers,
        completed_at=timezone.now() - timedelta(days=days_ago),
    )


# --- After each meeting -------------------------------------------------------------------------


def test_both_people_say_how_it_went_once_it_has_happened(mentor, mentee, match):
    soon = meeting_of(match, in_hours=2)
    with pytest.raises(ValidationError):
        services.give_meeting_feedback(meeting=soon, by=mentee, face=Face.GOOD)
    done = past_meeting(match, days_ago=1, status=MeetingStatus.PLANNED)
    services.give_meeting_feedback(meeting=done, by=mentee, face=Face.GOOD, line="Good chat")
    services.give_meeting_feedback(meeting=done, by=mentor, face=Face.OK)
    services.give_meeting_feedback(meeting=done, by=mentor, face=Face.POOR)  # changed their mind
    assert sorted(MeetingFeedback.objects.values_list("face", flat=True)) == [1, 3]


def test_someone_outside_the_match_cannot_give_feedback(match, other_mentee, client_of):
    done = past_meeting(match, days_ago=1)
    with pytest.raises(PermissionDenied):
        services.give_meeting_feedback(meeting=done, by=other_mentee, face=Face.GOOD)
    url = reverse("mentoring:outcomes:feedback", args=[done.pk])
    assert client_of(other_mentee).post(url, {"face": "3"}).status_code == 404


def test_one_tap_on_today(client_of, mentor, mentee, match):
    done = past_meeting(match, days_ago=1, status=MeetingStatus.PLANNED)
    today = client_of(mentee).get("/me/").content.decode()
    assert "How did it go?" in today and "It happened" not in today
    mentor_today = client_of(mentor).get("/me/").content.decode()
    assert "It happened" in mentor_today and "It was missed" in mentor_today
    response = client_of(mentee).post(
        reverse("mentoring:outcomes:feedback", args=[done.pk]), {"face": "3", "line": "Helpful"}
    )
    assert response.status_code == 302
    assert MeetingFeedback.objects.get(person=mentee).line == "Helpful"
    assert "How did it go?" not in client_of(mentee).get("/me/").content.decode()
    client_of(mentor).post(reverse("mentoring:meeting_status", args=[done.pk]), {"status": "held"})
    done.refresh_from_db()
    assert done.status == MeetingStatus.HELD


def test_the_mentor_moves_a_meeting_and_someone_outside_the_match_cannot(
    client_of, mentor, outsider, match
):
    # The mentee may move it too (issue 12): tests/mentoring/test_notices.py.
    planned = meeting_of(match, in_hours=24)
    url = reverse("mentoring:meeting_move", args=[planned.pk])
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    form = {"day": day, "time": "10:00", "minutes": "60", "place_kind": "phone", "place": ""}
    assert client_of(outsider).post(url, form).status_code == 404
    assert client_of(mentor).post(url, form).status_code == 302
    planned.refresh_from_db()
    assert timezone.localtime(planned.starts_at).date().isoformat() == day


# --- The health of each match -------------------------------------------------------------------


def test_a_new_match_is_on_track(match):
    assert reasons(match) == []


def test_no_meeting_for_three_weeks_raises_and_clears(match):
    Match.objects.filter(pk=match.pk).update(activated_at=timezone.now() - timedelta(days=30))
    assert reasons(match) == ["No meeting for three weeks"]
    past_meeting(match, days_ago=2)
    assert reasons(match) == []


def test_two_missed_in_a_row_raises_and_clears(match):
    past_meeting(match, days_ago=9, status=MeetingStatus.MISSED)
    past_meeting(match, days_ago=2, status=MeetingStatus.MISSED)
    assert reasons(match) == ["Missed the last two meetings"]
    past_meeting(match, days_ago=1)
    assert reasons(match) == []


def test_two_poor_answers_raise_and_clear(match, mentor, mentee):
    first, second = past_meeting(match, days_ago=8), past_meeting(match, days_ago=1)
    services.give_meeting_feedback(meeting=first, by=mentee, face=Face.POOR)
    services.give_meeting_feedback(meeting=second, by=mentor, face=Face.POOR)
    assert reasons(match) == ["The last two meetings did not go well"]
    services.give_meeting_feedback(meeting=second, by=mentee, face=Face.GOOD)
    assert reasons(match) == []


def test_a_self_check_getting_worse_raises_and_clears(match, mentee):
    self_check(mentee, {"home": 4, "money": 4, "hope": 5}, days_ago=40)
    self_check(mentee, {"home": 2, "money": 3, "hope": 3}, days_ago=5)
    assert reasons(match) == ["Their self-check says things are getting harder"]
    self_check(mentee, {"home": 3, "money": 3, "hope": 3}, days_ago=0)
    assert reasons(match) == []


def test_a_skipped_question_is_not_getting_worse(match, mentee):
    self_check(mentee, {"home": 4, "money": 4}, days_ago=40)
    self_check(mentee, {"home": 4}, days_ago=1)
    assert reasons(match) == []


def test_needs_you_today_and_the_list_of_matches_needing_a_check_in(
    client_of, coordinator, match, other_mentor, other_mentee, django_assert_num_queries
):
    from tests.mentoring.factories import cleared_mentor, match_between

    long_ago = timezone.now() - timedelta(days=30)
    Match.objects.filter(pk=match.pk).update(activated_at=long_ago)
    for n in range(3):  # more matches on track: the page costs the same
        from tests.factories import person

        match_between(cleared_mentor(), person("mentee", display_name=f"Fine {n}"))
    today = client_of(coordinator).get("/me/").content.decode()
    assert "Matches that need a check-in" in today
    client = client_of(coordinator)
    url = reverse("mentoring:outcomes:needs_check_in")
    client.get(url)
    # 1 session, 2 user, 3 roles, 4 staff two-step check, 5 every active match with its last
    # meetings, answers and self-checks (one query), 6 the unread notices count in the header.
    with django_assert_num_queries(6):
        page = client.get(url).content.decode()
    assert f"{match.mentee.display_name} and {match.mentor.display_name}" in page
    assert "No meeting for three weeks" in page
    assert "Fine 0" not in page


def test_only_coordinators_see_the_check_in_list(client_of, mentor, mentee):
    for user in (mentor, mentee):
        assert client_of(user).get(reverse("mentoring:outcomes:needs_check_in")).status_code == 404


# --- Ending well --------------------------------------------------------------------------------


def test_paused_back_in_custody_keeps_the_history_and_resumes_when_both_want(
    client_of, coordinator, mentor, mentee, match
):
    client_of(coordinator).post(
        reverse("mentoring:outcomes:close", args=[match.pk]),
        {"reason": "paused_custody", "note": "Recalled"},
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.PAUSED
    assert MatchEvent.objects.filter(match=match, reason=PauseReason.RECALL).exists()
    services.wish_to_start_again(match=match, by=mentee)
    match.refresh_from_db()
    assert match.status == MatchStatus.PAUSED  # one of the two is not enough
    client_of(mentor).post(reverse("mentoring:outcomes:start_again", args=[match.pk]))
    match.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE and match.mentor == mentor
    assert list(match.events.values_list("status", flat=True))[-2:] == ["paused", "active"]


def test_paused_relapse_is_a_pause_too(coordinator, match):
    services.close_match(match=match, by=coordinator, reason="paused_relapse")
    match.refresh_from_db()
    assert match.status == MatchStatus.PAUSED


def test_only_a_coordinator_closes_a_match(client_of, mentor, match):
    with pytest.raises(PermissionDenied):
        services.close_match(match=match, by=mentor, reason="paused_relapse")
    url = reverse("mentoring:outcomes:close", args=[match.pk])
    assert client_of(mentor).get(url).status_code == 404


def test_ending_asks_each_person_to_look_back_and_the_mentee_for_a_last_check(
    client_of, coordinator, mentor, mentee, match
):
    services.close_match(match=match, by=coordinator, reason="goals_met")
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED
    for person in (mentor, mentee):
        assert (
            "What helped, and what would you change?"
            in client_of(person).get("/me/").content.decode()
        )
    answer = client_of(mentee).post(
        reverse("mentoring:outcomes:reflection", args=[match.pk]),
        {"helped": "Someone who got it", "change": "More time"},
    )
    assert answer["Location"] == reverse("mentoring:outcomes:start") + "?last=1"
    services.write_reflection(match=match, by=mentor, helped="Honesty", change="")
    assert Reflection.objects.filter(match=match).count() == 2
    assert "What helped" not in client_of(mentee).get("/me/").content.decode()
    last = services.start_questionnaire(person=mentee, by=mentee, agree=True, last=True)
    assert last.phase == Phase.LAST and last.match == match


def test_a_reflection_waits_for_the_end(mentor, match):
    with pytest.raises(ValidationError):
        services.write_reflection(match=match, by=mentor, helped="x", change="")


# --- Milestones ---------------------------------------------------------------------------------


def test_a_lapse_is_starting_again_and_keeps_every_good_day():
    today = date(2026, 12, 1)
    days = count_days(date(2026, 1, 1), [date(2026, 5, 1)], today)
    assert days.current_run == 214  # 1 May to 1 December
    assert days.total_good_days == 120 + 214  # January to April kept
    assert days.longest_run == 214
    assert days.starts_again == 1
    assert days.reached == (30, 90, 180)
    assert days.next_milestone == 365


def test_milestones_are_private_and_starting_again_never_resets(client_of, mentee, mentor):
    client = client_of(mentee)
    start = timezone.localdate() - timedelta(days=100)
    client.post(
        reverse("mentoring:outcomes:milestones"),
        {"kind": "recovery", "started_on": start.isoformat()},
    )
    page = client.get(reverse("mentoring:outcomes:milestones")).content.decode()
    assert "100 days" in page and "Only you see this." in page
    clock = mentee.milestone_clocks.get()
    client.post(
        reverse("mentoring:outcomes:start_again_clock", args=[clock.pk]),
        {"on": (timezone.localdate() - timedelta(days=10)).isoformat()},
    )
    page = client.get(reverse("mentoring:outcomes:milestones")).content.decode()
    assert "10 days since starting again" in page
    assert "100 good days in all. Your longest run is 90 days." in page
    url = reverse("mentoring:outcomes:start_again_clock", args=[clock.pk])
    assert client_of(mentor).post(url, {"on": timezone.localdate().isoformat()}).status_code == 404


# --- Time to help -------------------------------------------------------------------------------


def test_days_count_from_release_when_later_to_first_contact_and_meeting(
    client_of, coordinator, mentor, mentee
):
    referral = referral_for(mentee, release_date=timezone.localdate() - timedelta(days=10))
    referral.created_at = timezone.now() - timedelta(days=40)
    referral.save()
    match = Match.objects.create(
        referral=referral,
        mentor=mentor,
        mentee=mentee,
        status=MatchStatus.ACTIVE,
        activated_at=timezone.now() - timedelta(days=8),
    )
    Meeting.objects.create(
        match=match,
        starts_at=timezone.now() - timedelta(days=7),
        status=MeetingStatus.HELD,
        place_kind="place",
    )
    row = selectors.time_to_help().get(pk=referral.pk)
    assert selectors.days_between(row.counted_from, row.first_contact) == 2
    assert selectors.days_between(row.counted_from, row.first_meeting) == 3
    page = client_of(coordinator).get(reverse("mentoring:outcomes:time_to_help"))
    assert page.status_code == 200 and mentee.display_name in page.content.decode()


def test_a_referral_waiting_too_long_needs_you_today(client_of, coordinator, mentee, settings):
    settings.MENTORING_REFERRAL_WAIT_DAYS = 7
    referral = referral_for(mentee)
    assert not selectors.referrals_waiting_too_long().exists()
    referral.created_at = timezone.now() - timedelta(days=8)
    referral.save()
    assert list(selectors.referrals_waiting_too_long()) == [referral]
    referral.release_date = timezone.localdate() - timedelta(days=2)  # released since
    referral.save()
    assert not selectors.referrals_waiting_too_long().exists()
    today = client_of(coordinator).get("/me/").content.decode()
    assert "Referrals waiting more than 7 days for a first meeting" in today
