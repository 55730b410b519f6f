"""One worker delivers the notices waiting in the database queue in batches: each notice once,
every task closed as if it had run alone, and one notice's fault never holds up the others."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from notifications import delivery, notify
from notifications.models import Delivery, DeliveryStatus
from tests.factories import person

CONTEXT = {"url": "/me/", "sender_name": "Sam", "text": "Running late"}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


def tell(someone, key):
    with transaction.atomic():
        return notify(to=someone, kind="tests.any_channel", key=key, context=CONTEXT)[0]


def run_worker() -> int:
    """db_worker's own loop until the queue is empty; returns how many tasks it started."""
    started = []

    def count(**kwargs):
        started.append(kwargs["task_result"].id)

    task_started.connect(count, weak=False)
    try:
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()
    finally:
        task_started.disconnect(count)
    return len(started)


@pytest.mark.django_db(transaction=True)
def test_one_task_delivers_the_notices_waiting_behind_it(settings):
    settings.TASKS = DATABASE_QUEUE
    people = [person() for _ in range(5)]
    notices = [tell(someone, f"batch-{n}") for n, someone in enumerate(people)]
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 5

    assert run_worker() == 1  # the first task took the four behind it
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }
    assert Delivery.objects.filter(
        notification__in=notices, status=DeliveryStatus.SENT
    ).count() == len(notices)

    # The same notices queued again (a retry, a second sweep): nothing goes twice.
    for notice in notices:
        delivery.deliver.enqueue(notification_id=notice.pk)
    run_worker()
    assert len(mail.outbox) == 5


@pytest.mark.django_db(transaction=True)
def test_a_notice_that_cannot_be_rendered_fails_its_own_task_only(settings, monkeypatch):
    settings.TASKS = DATABASE_QUEUE
    good, bad = person(), person()
    kept = tell(good, "fine")
    broken = tell(bad, "broken")
    real_email_parts = delivery.email_parts

    def email_parts(notification, words, **kwargs):
        if notification.pk == broken.pk:
            raise ValueError("a template that cannot be rendered")
        return real_email_parts(notification, words, **kwargs)

    monkeypatch.setattr(delivery, "email_parts", email_parts)
    run_worker()
    assert [m.to[0] for m in mail.outbox] == [good.email]
    tasks = {
        task.args_kwargs["kwargs"]["notification_id"]: task for task in DBTaskResult.objects.all()
    }
    assert tasks[kept.pk].status == TaskResultStatus.SUCCESSFUL
    assert tasks[broken.pk].status == TaskResultStatus.FAILED
    assert "a template that cannot be rendered" in tasks[broken.pk].traceback
    failed = Delivery.objects.get(notification=broken)
    assert failed.status == DeliveryStatus.FAILED and "cannot be rendered" in failed.error


class BrokenMail:
    """An e-mail server that cannot be reached."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connection refused")


@pytest.mark.django_db(transaction=True)
def test_an_email_that_cannot_go_is_tried_again_later_then_reported(settings, caplog):
    settings.TASKS = DATABASE_QUEUE
    settings.EMAIL_BACKEND = "tests.notifications.test_batches.BrokenMail"
    someone = person()
    notice = tell(someone, "unreachable")
    run_worker()
    row = Delivery.objects.get(notification=notice)
    assert row.status == DeliveryStatus.QUEUED and "refused" in row.error and row.attempts == 1
    later = DBTaskResult.objects.filter(status=TaskResultStatus.READY).get()
    assert later.run_after > timezone.now()  # tried again in a few minutes, not dropped

    for _attempt in range(delivery.MAX_ATTEMPTS - 1):
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
        run_worker()
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED and row.attempts == delivery.MAX_ATTEMPTS
    assert any("Could not send" in r.getMessage() for r in caplog.records if r.levelname == "ERROR")
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
