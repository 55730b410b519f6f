"""Sent exactly once when two workers race for the same notice, or two requests tell the same
occasion at the same moment (PostgreSQL: real row locks and a real unique constraint)."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications import notify, sms
from notifications.delivery import deliver
from notifications.kinds import SMS
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.services import preferences_of
from notifications.sms import locmem
from tests.factories import person

CONTEXT = {"url": "/me/", "sender_name": "Sam", "text": "Running late"}


class SlowBackend(locmem.Backend):
    """Takes a moment to send, so a second worker arrives while the first is sending."""

    def send(self, **kwargs):
        time.sleep(0.3)
        return super().send(**kwargs)


def texting(user):
    prefs = preferences_of(user)
    prefs.phone, prefs.phone_confirmed_at = "+447400123456", timezone.now()
    prefs.default_channels = [SMS]
    prefs.quiet_start, prefs.quiet_end = dt.time(0, 0), dt.time(0, 0)  # no quiet hours
    prefs.save()


def at_once(work, count=2):
    barrier = threading.Barrier(count)
    errors = []

    def run():
        try:
            barrier.wait(timeout=10)
            work()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_one_notice_send_one_text(settings):
    settings.SMS_BACKEND = "tests.notifications.test_concurrency.SlowBackend"
    someone = person()
    texting(someone)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    [notification] = notify(to=someone, kind="tests.any_channel", key="race", context=CONTEXT)
    at_once(lambda: deliver.call(notification_id=notification.pk))
    assert len(sms.outbox) == 1
    delivery = Delivery.objects.get(notification=notification, channel=SMS)
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_telling_the_same_occasion_twice_at_once_sends_once(settings):
    settings.SMS_BACKEND = "tests.notifications.test_concurrency.SlowBackend"
    someone = person()
    texting(someone)

    def tell():
        with transaction.atomic():
            notify(to=someone, kind="tests.any_channel", key="same", context=CONTEXT)
            time.sleep(0.2)  # the other request's insert waits on this one's row

    at_once(tell)  # tasks run at once after commit (the immediate backend)
    assert Notification.objects.filter(recipient=someone, key="same").count() == 1
    assert len(sms.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_a_notice_and_its_task_commit_together(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    someone = person()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(to=someone, kind="tests.any_channel", key="rolled-back", context=CONTEXT)
        raise RuntimeError("the request failed")
    assert DBTaskResult.objects.count() == 0
    with transaction.atomic():
        [notification] = notify(to=someone, kind="tests.any_channel", key="kept", context=CONTEXT)
    [task] = DBTaskResult.objects.all()
    assert task.args_kwargs["kwargs"] == {"notification_id": notification.pk}
