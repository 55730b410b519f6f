"""Reminders (never twice), the daily safety net, Today cards, navigation and the demo."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.hooks import nav_items
from accounts.roles import Role
from mentoring.choices import MatchStatus, MeetingStatus, ReminderKind
from mentoring.models import Meeting
from mentoring.tasks import enqueue_due_reminders, send_meeting_reminder
from notifications.models import Notification
from tests.factories import person
from tests.mentoring.factories import cleared_mentor, match_between, meeting_of

pytestmark = pytest.mark.django_db


def reminders(**filters):
    return Notification.objects.filter(kind="mentoring.meeting_reminder", **filters)


def test_reminder_goes_to_both_once(meeting):
    assert send_meeting_reminder.call(meeting_id=meeting.pk, kind=ReminderKind.DAY_BEFORE) == 2
    assert send_meeting_reminder.call(meeting_id=meeting.pk, kind=ReminderKind.DAY_BEFORE) == 0
    assert set(reminders().values_list("recipient", flat=True)) == {
        meeting.match.mentor_id,
        meeting.match.mentee_id,
    }
    assert (
        reminders()
        .get(recipient=meeting.match.mentee)
        .key.startswith(f"meeting:{meeting.pk}:day_before:")
    )


def test_reminder_emails_after_commit(match, django_capture_on_commit_callbacks):
    meeting = meeting_of(match, in_hours=1.9)
    with django_capture_on_commit_callbacks(execute=True):
        send_meeting_reminder.call(meeting_id=meeting.pk, kind=ReminderKind.TWO_HOURS)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [meeting.match.mentor.email, meeting.match.mentee.email]
    )
    # Discreet by default: the subject says nothing; the inbox (behind log-in) has the words.
    assert mail.outbox[0].subject == "Alongside: you have a new message"
    mentee_notice = reminders().get(recipient=meeting.match.mentee)
    assert mentee_notice.title == f"In two hours: meeting with {meeting.match.mentor.display_name}"


def test_a_reminder_queued_before_the_meeting_moved_waits_for_the_new_time(meeting):
    meeting.starts_at += timedelta(days=3)
    meeting.save()
    assert send_meeting_reminder.call(meeting_id=meeting.pk, kind=ReminderKind.DAY_BEFORE) == 0
    assert not reminders().exists()


def test_no_reminder_for_cancelled_or_past_meetings(match):
    cancelled = meeting_of(match, status=MeetingStatus.CANCELLED)
    past = meeting_of(match, in_hours=-1)
    for meeting in (cancelled, past):
        assert send_meeting_reminder.call(meeting_id=meeting.pk, kind=ReminderKind.TWO_HOURS) == 0


def test_daily_sweep_sends_what_is_due_and_is_safe_to_run_twice(
    match, django_capture_on_commit_callbacks
):
    soon = meeting_of(match, in_hours=1.5)  # two-hour reminder due now
    tomorrow = meeting_of(match, in_hours=20)  # day-before reminder due now
    far = meeting_of(match, in_hours=24 * 5)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_due_reminders(now)
        enqueue_due_reminders(now)
    keys = {key.rsplit(":", 1)[0] for key in reminders().values_list("key", flat=True)}
    assert keys == {f"meeting:{soon.pk}:two_hours", f"meeting:{tomorrow.pk}:day_before"}
    assert not reminders(key__startswith=f"meeting:{far.pk}:").exists()
    assert len(mail.outbox) == 4  # two meetings, two people, once each


def test_scheduling_soon_sends_the_due_reminder_at_once(
    client_of, match, mentor, django_capture_on_commit_callbacks
):
    from mentoring import services

    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_meeting(
            match=match,
            by=mentor,
            starts_at=timezone.now() + timedelta(hours=1),
            place_kind="phone",
        )
    # The day-before reminder would make no sense an hour ahead: only the two-hour one.
    steps = {key.split(":")[2] for key in reminders().values_list("key", flat=True)}
    assert steps == {ReminderKind.TWO_HOURS}


def test_today_cards_by_role(client_of, meeting, coordinator):
    mentee, mentor = meeting.match.mentee, meeting.match.mentor
    page = client_of(mentee).get(reverse("accounts:today")).content.decode()
    assert "My mentoring" in page and reverse("mentoring:meeting", args=[meeting.pk]) in page
    page = client_of(mentor).get(reverse("accounts:today")).content.decode()
    assert "My mentees" in page and mentee.display_name in page
    page = client_of(coordinator).get(reverse("accounts:today")).content.decode()
    assert "referrals waiting for a match" in page


def test_coordinator_card_lists_matches_that_missed_twice(client_of, coordinator, match):
    for hours in (-48, -24):
        meeting_of(match, in_hours=hours, status=MeetingStatus.MISSED)
    other = match_between(cleared_mentor(), person(Role.MENTEE))
    meeting_of(other, in_hours=-48, status=MeetingStatus.MISSED)
    meeting_of(other, in_hours=-24, status=MeetingStatus.HELD)
    page = client_of(coordinator).get(reverse("accounts:today")).content.decode()
    assert "Missed the last two meetings" in page
    assert reverse("mentoring:match", args=[match.pk]) in page
    assert reverse("mentoring:match", args=[other.pk]) not in page


def test_today_cards_cost_does_not_grow(client_of, mentor, django_assert_num_queries):
    cleared_mentor(mentor, places=6)
    client = client_of(mentor)
    url = reverse("accounts:today")
    match = match_between(mentor, person(Role.MENTEE))
    meeting_of(match)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(3):
        meeting_of(match_between(mentor, person(Role.MENTEE)))
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(url)


def test_navigation_by_role(mentee, mentor, coordinator, outsider):
    def labels(user):
        return {str(item.label) for item in nav_items(user)}

    assert {"My mentoring", "My goals", "My journey", "My people"} <= labels(mentee)
    assert "My mentees" in labels(mentor) and "My goals" not in labels(mentor)
    assert "Referrals" in labels(coordinator)
    assert not labels(outsider) & {"Referrals", "My mentees", "My goals"}


def test_seed_demo_is_idempotent(settings):
    from accounts.demo import ensure_personas
    from mentoring.demo import seed

    personas = ensure_personas()
    seed(personas, StringIO())
    seed(personas, StringIO())
    jay = personas[Role.MENTEE]
    match = jay.mentoring_as_mentee.get()
    assert match.status == MatchStatus.ACTIVE and match.mentor == personas[Role.PEER_MENTOR]
    assert Meeting.objects.filter(match=match).count() == 1


def test_demo_suggestions_show_five_mentors_with_reasons(client_of):
    from accounts.demo import ensure_personas
    from mentoring import services
    from mentoring.demo import seed
    from mentoring.models import Referral

    personas = ensure_personas()
    seed(personas, StringIO())
    waiting = Referral.objects.waiting().first()
    top, _others = services.suggestions_for(waiting)
    assert len(top) == 5
    assert all(suggestion.reasons for suggestion in top)


@pytest.mark.parametrize("who", ["mentee", "mentor", "coordinator"])
def test_each_card_costs_two_queries(meeting, coordinator, who, django_assert_num_queries):
    from mentoring.cards import cards_for
    from mentoring.models import Goal, GoalStep

    goal = Goal.objects.create(mentee=meeting.match.mentee, area="housing", words="A flat")
    GoalStep.objects.create(goal=goal, words="Call", done=True)
    GoalStep.objects.create(goal=goal, words="Visit")
    user = {
        "mentee": meeting.match.mentee,
        "mentor": meeting.match.mentor,
        "coordinator": coordinator,
    }[who]
    assert user.roles  # read once per request, before the cards
    # mentee: next meeting; goals with their steps counted. mentor: mentees and proposals; next
    # meetings. coordinator: referral counts; matches that missed twice.
    with django_assert_num_queries(2):
        [card] = cards_for(user)
        if who == "mentee":
            assert card.context["goals"][0].progress == 50
