"""`manage.py run_due`, for cron every few minutes: what is due is done on time even where the task
backend cannot wait (the default runs tasks at once), once only however often it runs."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.roles import Role
from mentoring import services as mentoring_services
from mentoring.choices import ContactPreference, MatchStatus, ReminderKind
from mentoring.models import Match
from mentoring.partners import choice
from mentoring.partners.models import MentorIntro
from notifications.models import Notification
from tests.factories import person
from tests.mentoring.factories import cleared_mentor, match_between, meeting_of

pytestmark = pytest.mark.django_db


def run_due() -> str:
    out = StringIO()
    call_command("run_due", stdout=out)
    return out.getvalue()


def told(person, kind):
    return Notification.objects.filter(recipient=person, kind=kind)


def mentor_with_words(name):
    mentor = cleared_mentor(person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name=name))
    MentorIntro.objects.create(mentor=mentor, words=f"I am {name}.")
    return mentor


def test_a_mentor_who_did_not_answer_in_time_is_timed_out_and_the_next_choice_asked_once(
    mentee, coordinator, clock, settings
):
    settings.MENTOR_ANSWER_HOURS = 48
    ash, bo = mentor_with_words("Ash"), mentor_with_words("Bo")
    referral = mentoring_services.refer(
        person=mentee, by=coordinator, contact_preference=ContactPreference.TEXT
    )
    shortlist = choice.offer_shortlist(referral=referral, by=coordinator, mentors=[ash, bo])
    start = clock.moment
    choice.answer_shortlist(shortlist=shortlist, by=mentee, answer="picked", mentor=ash)
    choice.set_next_choice(shortlist=shortlist, by=mentee, mentor=bo)
    asked_ash = Match.objects.get(mentor=ash)

    clock.set(start + timedelta(hours=47, minutes=55))  # five minutes before the deadline
    assert "Did 0 due thing(s)" in run_due()
    asked_ash.refresh_from_db()
    assert asked_ash.status == MatchStatus.PROPOSED
    assert not Match.objects.filter(mentor=bo).exists()
    assert not told(mentee, "partners.choice_timed_out").exists()

    clock.set(start + timedelta(hours=48, minutes=5))  # the next cron run, after the deadline
    out = run_due()
    assert "Did 1 due thing(s)" in out and "mentoring 1" in out
    asked_ash.refresh_from_db()
    assert asked_ash.status == MatchStatus.TIMED_OUT
    asked_bo = Match.objects.get(mentor=bo)
    assert asked_bo.status == MatchStatus.PROPOSED and asked_bo.mentee == mentee
    notice = told(mentee, "partners.choice_timed_out").get()
    assert "Ash did not answer in time, so we have asked Bo" in notice.body
    sent = len(mail.outbox)

    clock.set(start + timedelta(hours=48, minutes=10))  # and the one after: nothing more
    assert "Did 0 due thing(s)" in run_due()
    assert told(mentee, "partners.choice_timed_out").count() == 1
    assert told(bo, "mentoring.match_proposed").count() == 1
    assert told(ash, "partners.proposal_lapsed").count() == 1
    assert Match.objects.filter(mentor=bo).count() == 1
    assert len(mail.outbox) == sent
    assert not told(coordinator, "partners.mentor_late").exists()  # Bo still has time


def test_the_two_hours_reminder_is_sent_when_its_time_comes_and_once(mentor, mentee, clock):
    cleared_mentor(mentor)
    meeting = meeting_of(match_between(mentor, mentee), in_hours=5)
    start = clock.moment
    reminders = Notification.objects.filter(kind="mentoring.meeting_reminder")

    clock.set(start + timedelta(hours=2, minutes=55))  # five minutes before the reminder is due
    run_due()
    assert not reminders.exists()

    clock.set(start + timedelta(hours=3, minutes=5))
    assert "mentoring 1" in run_due()
    assert set(reminders.values_list("recipient", flat=True)) == {mentor.pk, mentee.pk}
    assert {key.split(":")[2] for key in reminders.values_list("key", flat=True)} == {
        ReminderKind.TWO_HOURS
    }
    assert meeting.pk == int(reminders.first().key.split(":")[1])

    clock.set(start + timedelta(hours=3, minutes=10))
    assert "mentoring 0" in run_due()
    assert reminders.count() == 2


def test_it_says_in_one_line_what_each_part_did():
    out = run_due()
    assert out.count("\n") == 1
    assert out.startswith("Did 0 due thing(s) (")
    for part in ("chat 0", "mentoring 0", "notifications 0"):
        assert part in out
