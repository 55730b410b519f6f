"""The daily sweep: shift reminders the day before, expiry reminders 60/30/7 days ahead, once each.
(Shifts in the person's calendar: tests/notifications/test_calendar.py.)"""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.hooks import run_daily
from notifications.models import Notification
from notifications.places import PlaceStatus
from tests.volunteering.factories import DBSCheckFactory, ShiftFactory, TrainingCompletionFactory
from volunteering.models import ShiftSignup

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(7, 0)))


def sweep(now, capture):
    with capture(execute=True):
        run_daily(now)


def test_shift_reminder_the_day_before_once(
    now, role, event_helper, django_capture_on_commit_callbacks
):
    tomorrow = now + timedelta(days=1, hours=3)
    shift = ShiftFactory(role=role, starts_at=tomorrow, ends_at=tomorrow + timedelta(hours=2))
    ShiftSignup.objects.create(shift=shift, volunteer=event_helper, status=PlaceStatus.BOOKED)
    later = ShiftFactory(role=role, starts_at=tomorrow + timedelta(days=1))
    ShiftSignup.objects.create(shift=later, volunteer=event_helper, status=PlaceStatus.BOOKED)

    sweep(now, django_capture_on_commit_callbacks)
    sweep(now, django_capture_on_commit_callbacks)

    (notice,) = Notification.objects.filter(kind="volunteering.shift_reminder")
    assert notice.recipient == event_helper
    assert notice.title.startswith("Your shift tomorrow")
    assert shift.place in notice.body
    # E-mailed once, discreetly: the words are behind the link.
    assert [m.to for m in mail.outbox] == [[event_helper.email]]
    assert shift.place not in mail.outbox[0].subject + mail.outbox[0].body


def test_expiry_reminders_60_30_7_days_before_never_twice(
    now, volunteer, django_capture_on_commit_callbacks
):
    today = timezone.localdate(now)
    dbs = DBSCheckFactory(volunteer=volunteer, recheck_due=today + timedelta(days=60))

    def subjects():
        return list(
            Notification.objects.filter(kind="volunteering.expiry_warning").values_list(
                "title", flat=True
            )
        )

    sweep(now, django_capture_on_commit_callbacks)
    sweep(now, django_capture_on_commit_callbacks)  # twice the same day: nothing new
    assert len(subjects()) == 1

    for days_later in (29, 30, 31, 52, 53):
        sweep(now + timedelta(days=days_later), django_capture_on_commit_callbacks)

    assert len(subjects()) == 3
    assert len(mail.outbox) == 3
    keys = Notification.objects.filter(kind="volunteering.expiry_warning").values_list(
        "key", flat=True
    )
    assert sorted(keys) == [f"dbs:{dbs.pk}:{step}" for step in (30, 60, 7)]


def test_a_renewed_check_is_not_nagged(now, volunteer, django_capture_on_commit_callbacks):
    today = timezone.localdate(now)
    DBSCheckFactory(volunteer=volunteer, recheck_due=today + timedelta(days=20))
    DBSCheckFactory(volunteer=volunteer, recheck_due=today + timedelta(days=1000))

    sweep(now, django_capture_on_commit_callbacks)

    assert not Notification.objects.filter(kind="volunteering.expiry_warning").exists()
    assert not mail.outbox


def test_training_expiry_reminder_names_the_course(
    now, volunteer, django_capture_on_commit_callbacks
):
    done = TrainingCompletionFactory(user=volunteer)
    done.expires_on = timezone.localdate(now) + timedelta(days=5)
    done.save()

    sweep(now, django_capture_on_commit_callbacks)

    (notice,) = Notification.objects.filter(kind="volunteering.expiry_warning")
    assert done.course.title in notice.title
    assert notice.key == f"training:{done.pk}:7"
