"""What mentoring tells people: the referred person (by their own route), coordinators, the
mentor and mentee through a proposal, and the other person when a meeting moves or is called off."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.choices import MeetingStatus
from notifications import sms
from notifications.models import Notification
from notifications.services import preferences_of
from tests.mentoring.factories import cleared_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_text_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def notices(kind, **filters):
    return Notification.objects.filter(kind=f"mentoring.{kind}", **filters)


def test_a_referral_tells_the_person_what_happens_next_by_their_own_route(
    client_of, mentee, coordinator, django_capture_on_commit_callbacks
):
    client = client_of(coordinator)
    # No quiet hours, so the text is due at once whatever the time of day of the run.
    quiet = preferences_of(type(mentee).objects.get(pk=mentee.pk))
    quiet.quiet_start = quiet.quiet_end = time(0, 0)
    quiet.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mentoring:referral_new"),
            {
                "email": mentee.email,
                "contact_preference": "text",
                "phone": "07911 123456",
                "needs": ["housing"],
            },
        )
    assert response.status_code == 302
    (told,) = notices("referred", recipient=mentee)
    assert told.title == "You have been put forward for a mentor"
    assert "What happens next" in told.body and coordinator.display_name in told.body
    prefs = preferences_of(mentee)
    assert prefs.default_channels == ["sms"] and prefs.phone == "+447911123456"
    # A number typed by someone else gets one text asking if it is theirs, saying nothing of
    # why; no notice goes to it until they confirm, and none by e-mail, as they asked for texts.
    assert prefs.phone_confirmed_at is None
    assert [text.to for text in sms.outbox] == ["+447911123456"]
    assert "mentor" not in sms.outbox[0].body.lower()
    assert mail.outbox == []
    assert client_of(mentee).get(told.url).status_code == 200


def test_a_bad_phone_number_is_refused_in_plain_words(client_of, mentee, coordinator):
    response = client_of(coordinator).post(
        reverse("mentoring:referral_new"),
        {"email": mentee.email, "contact_preference": "text", "phone": "12"},
    )
    assert response.status_code == 200
    assert "Please give a UK mobile number" in response.content.decode()
    assert not notices("referred").exists()


def test_through_a_worker_means_the_inbox_only(
    mentee, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.refer(person=mentee, by=coordinator, contact_preference="in_person")
    assert notices("referred", recipient=mentee).exists()
    assert mail.outbox == [] and sms.outbox == []


def test_coordinators_hear_of_a_self_referral(
    mentee, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.refer(person=mentee, by=mentee, contact_preference="email")
    (told,) = notices("referral_received")
    assert told.recipient == coordinator
    assert told.url == reverse("mentoring:suggestions", args=[referral.pk])
    assert [m.to for m in mail.outbox] == [[mentee.email], [coordinator.email]]


def test_a_proposal_waits_for_the_mentor_then_the_mentee(mentor, mentee, coordinator):
    cleared_mentor(mentor)
    referral = services.refer(person=mentee, by=coordinator, contact_preference="email")
    match = services.propose_match(referral=referral, mentor=mentor, by=coordinator)
    proposal = notices("match_proposed").get()
    assert proposal.recipient == mentor and proposal.needs_answer and proposal.done_at is None

    services.answer_proposal(match=match, by=mentor, accept=True)
    proposal.refresh_from_db()
    assert proposal.done_at is not None
    said_yes = notices("mentor_said_yes").get()
    assert said_yes.recipient == mentee and said_yes.needs_answer
    assert said_yes.title == "Your mentor said yes"
    assert notices("proposal_answered", recipient=coordinator).get().context["accepted"] is True

    services.agree_to_match(match=match, by=mentee)
    said_yes.refresh_from_db()
    assert said_yes.done_at is not None
    assert notices("match_started", recipient=mentor).exists()


def test_a_declined_proposal_sends_the_coordinator_back_to_the_suggestions(
    mentor, mentee, coordinator
):
    cleared_mentor(mentor)
    referral = services.refer(person=mentee, by=coordinator, contact_preference="email")
    match = services.propose_match(referral=referral, mentor=mentor, by=coordinator)
    services.answer_proposal(match=match, by=mentor, accept=False)
    answer = notices("proposal_answered").get()
    assert answer.url == reverse("mentoring:suggestions", args=[referral.pk])
    assert not notices("mentor_said_yes").exists()


@pytest.mark.parametrize("who_moves", ["mentor", "mentee"])
def test_either_person_can_move_a_meeting_and_the_other_is_told(
    who_moves, client_of, meeting, django_capture_on_commit_callbacks
):
    mentor, mentee = meeting.match.mentor, meeting.match.mentee
    mover, other = (mentor, mentee) if who_moves == "mentor" else (mentee, mentor)
    page = client_of(mover).get(reverse("mentoring:meeting", args=[meeting.pk]))
    assert "Move this meeting" in page.content.decode()
    new_day = timezone.localdate() + timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(mover).post(
            reverse("mentoring:meeting_move", args=[meeting.pk]),
            {
                "day": new_day.isoformat(),
                "time": "16:00",
                "minutes": "60",
                "place_kind": meeting.place_kind,
                "place": "",
            },
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).date() == new_day
    (told,) = notices("meeting_changed")
    assert told.recipient == other and "16:00" in told.title
    assert mover.display_name in told.body
    assert [m.to for m in mail.outbox] == [[other.email]]


def test_another_matchs_mentee_cannot_move_the_meeting(meeting, other_mentee, client_of):
    from django.core.exceptions import PermissionDenied

    was = meeting.starts_at
    later = timezone.now() + timedelta(days=6)
    with pytest.raises(PermissionDenied):
        services.move_meeting(meeting=meeting, by=other_mentee, starts_at=later)
    url = reverse("mentoring:meeting_move", args=[meeting.pk])
    response = client_of(other_mentee).post(
        url, {"day": later.date().isoformat(), "time": "10:00", "minutes": "60"}
    )
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.starts_at == was and not notices("meeting_changed").exists()


def test_a_mentee_cannot_move_a_meeting_once_the_match_has_ended(meeting, mentee, coordinator):
    from django.core.exceptions import PermissionDenied

    services.end_match(match=meeting.match, by=coordinator, reason="moved_on")
    meeting.refresh_from_db()
    with pytest.raises((PermissionDenied, ValidationError)):
        services.move_meeting(
            meeting=meeting, by=mentee, starts_at=timezone.now() + timedelta(days=6)
        )


def test_the_mentee_can_cancel_and_the_mentor_is_told(client_of, meeting):
    mentor, mentee = meeting.match.mentor, meeting.match.mentee
    page = client_of(mentee).get(reverse("mentoring:meeting", args=[meeting.pk]))
    assert "Cancel this meeting" in page.content.decode()
    client_of(mentee).post(reverse("mentoring:meeting_cancel", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    (told,) = notices("meeting_changed")
    assert told.recipient == mentor and told.title.startswith("Meeting cancelled")
    # Twice changes nothing and tells nobody twice.
    client_of(mentee).post(reverse("mentoring:meeting_cancel", args=[meeting.pk]))
    assert notices("meeting_changed").count() == 1


def test_a_coordinator_cancelling_tells_both(meeting, coordinator):
    services.set_meeting_status(meeting=meeting, by=coordinator, status=MeetingStatus.CANCELLED)
    told = {n.recipient for n in notices("meeting_changed")}
    assert told == {meeting.match.mentor, meeting.match.mentee}


def test_a_cancelled_meeting_is_not_reminded(meeting, mentee):
    from mentoring.choices import ReminderKind
    from mentoring.tasks import send_meeting_reminder

    services.cancel_meeting(meeting=meeting, by=mentee)
    assert send_meeting_reminder.call(meeting_id=meeting.pk, kind=ReminderKind.DAY_BEFORE) == 0


def test_a_text_reply_to_a_reminder_confirms_or_cancels(meeting):
    from mentoring.choices import ReminderKind
    from mentoring.notices import reply_to_meeting_reminder
    from mentoring.tasks import send_meeting_reminder

    send_meeting_reminder.call(meeting_id=meeting.pk, kind=ReminderKind.DAY_BEFORE)
    mentee, mentor = meeting.match.mentee, meeting.match.mentor
    reminder = Notification.objects.get(kind="mentoring.meeting_reminder", recipient=mentee)

    assert reply_to_meeting_reminder(reminder, "yes", mentee).startswith("Thank you. See you")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED

    words = reply_to_meeting_reminder(reminder, "NO", mentee)
    assert "cancelled" in words
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert notices("meeting_changed").get().recipient == mentor
    assert "no longer planned" in reply_to_meeting_reminder(reminder, "NO", mentee)
