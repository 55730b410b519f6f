"""Benchmark: 10,000 notices of mixed kinds for 2,000 people, delivered by ONE django-tasks
database worker on PostgreSQL, with the in-memory e-mail and text backends.

    .venv/bin/python bench/notify.py            # server from DATABASE_URL, or local PostgreSQL

Creates a throwaway database (``bench_notify``) on the PostgreSQL server named by DATABASE_URL,
migrates it, makes 2,000 people (four in ten confirmed for texts, one in ten with details shown),
then:

1. calls ``notify`` 10,000 times, each in its own transaction as a request would, timing
   ``notify()`` + commit (which writes the inbox row and enqueues the delivery task): the p99 is
   ``enqueue_p99_ms``;
2. starts one worker process (``db_worker``'s own run loop, the Worker class, in a process of its
   own) and times it draining the queue: ``per_s`` is notices delivered per second of that;
3. while it runs, a second sweep calls ``notify`` again for 2,000 of the same keys, and enqueues
   ``deliver`` a second time for 500 notices (a task run twice, a retry);
4. the worker counts what its in-memory outboxes hold: ``sent`` is the notices that went out by
   e-mail or text, ``duplicates`` any notice sent twice by one channel (or written twice).

The last line reads ``notify: sent=<n> per_s=<n> duplicates=<n> enqueue_p99_ms=<n>``. Targets:
sent=10000, duplicates=0 (the script exits 1 when either is missed: that is a bug, not a slow
machine), per_s >= 200 and enqueue_p99_ms <= 20 (reported on a "missed target" line). The
database is dropped afterwards (BENCH_KEEP=1 keeps it).
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

PEOPLE = 2_000
NOTICES = 10_000
SECOND_SWEEP = 2_000
RUN_TWICE = 500
BENCH_DB = "bench_notify"
TARGET_PER_S = 200
TARGET_P99_MS = 20

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._postgres import database_urls, recreate  # noqa: E402

# Production settings (config.settings.base), with the database worker and in-memory outboxes.
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.base",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-" + "q7w8e9r0" * 8,
    "ALLOWED_HOSTS": "localhost",
    "SECURE_SSL_REDIRECT": "false",
    "TASKS_BACKEND": "django_tasks_db.backend.DatabaseBackend",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "SMS_BACKEND": "notifications.sms.locmem.Backend",
    "SITE_URL": "https://alongside.example.org",
    "LOG_LEVEL": "ERROR",
}
KINDS = ("bench.reminder", "bench.message", "bench.news")
LINK = re.compile(r"/me/notifications/(\d+)/")


def _setup() -> None:
    for name in ("REDIS_URL",):  # the in-memory channel layer: nothing but PostgreSQL is measured
        os.environ.pop(name, None)
    os.environ.update(BENCH_ENV)
    import django

    django.setup()
    from notifications.kinds import EMAIL, SMS, Kind, register

    template = "notifications/kinds/text_reply.txt"
    register(
        Kind(name="bench.reminder", label="Reminder", template=template, channels=(EMAIL, SMS)),
        Kind(name="bench.message", label="Message", template=template, replies=("YES", "NO")),
        Kind(name="bench.news", label="News", template=template, channels=(EMAIL,)),
    )


def _fill() -> list:
    import datetime as dt

    from django.utils import timezone

    from accounts.models import User
    from notifications.models import Preferences

    rnd = random.Random(20261201)
    people = []
    for n in range(PEOPLE):
        user = User(email=f"person{n}@bench.invalid", display_name=f"Person {n}")
        user.set_unusable_password()
        people.append(user)
    people = User.objects.bulk_create(people)
    now = timezone.now()
    prefs = []
    for n, user in enumerate(people):
        texts = n % 10 < 4
        prefs.append(
            Preferences(
                user=user,
                default_channels=["sms"] if texts else ["email"],
                phone=f"+4774{n:08d}" if texts else "",
                phone_confirmed_at=now if texts else None,
                show_details=rnd.random() < 0.1,
                quiet_start=dt.time(0, 0),
                quiet_end=dt.time(0, 0),  # no quiet hours: everything goes now
            )
        )
    Preferences.objects.bulk_create(prefs)
    return people


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _tell(person, kind: str, key: str) -> list:
    from django.db import transaction

    from notifications import notify

    with transaction.atomic():
        return notify(
            to=person,
            kind=kind,
            key=key,
            context={"url": "/me/", "sender_name": "Sam", "text": f"About {key}"},
        )


def main() -> None:
    original_url = os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}")
    bench_url, maintenance_url = database_urls(original_url, BENCH_DB, "bench/notify.py")
    recreate(maintenance_url, BENCH_DB)
    worker = None
    try:
        os.environ["DATABASE_URL"] = bench_url
        _setup()
        from django.core.management import call_command
        from django.db import connection

        from notifications.delivery import deliver
        from notifications.models import Delivery, Notification

        call_command("migrate", verbosity=0)
        people = _fill()
        rnd = random.Random(7)
        plan = [(people[i % PEOPLE], rnd.choice(KINDS), f"n{i}") for i in range(NOTICES)]

        timings = []
        started = time.perf_counter()
        for person, kind, key in plan:
            t0 = time.perf_counter()
            _tell(person, kind, key)
            timings.append((time.perf_counter() - t0) * 1000)
        enqueue_s = time.perf_counter() - started
        sys.stdout.write(
            f"enqueued {NOTICES} in {enqueue_s:.1f} s; notify()+commit ms: "
            f"p50={statistics.median(timings):.1f} p99={_percentile(timings, 0.99):.1f} "
            f"max={max(timings):.1f}\n"
        )

        worker = subprocess.Popen(  # noqa: S603 - this script, as the one worker
            [sys.executable, __file__, "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        # The second sweep, while the worker delivers: nothing new is written or sent.
        again = sum(len(_tell(person, kind, key)) for person, kind, key in plan[:SECOND_SWEEP])
        twice = list(Notification.objects.order_by("?").values_list("pk", flat=True)[:RUN_TWICE])
        for pk in twice:
            deliver.enqueue(notification_id=pk)
        worker.stdin.write("done\n")
        worker.stdin.flush()
        out, _err = worker.communicate(timeout=3600)
        report = json.loads(out.strip().splitlines()[-1])
        written = Notification.objects.count()
        statuses = {}
        for channel, status in Delivery.objects.values_list("channel", "status"):
            statuses[f"{channel}:{status}"] = statuses.get(f"{channel}:{status}", 0) + 1
        connection.close()
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
            worker.wait(timeout=20)
        if not os.environ.get("BENCH_KEEP"):
            recreate(maintenance_url, BENCH_DB, drop_only=True)

    duplicates = report["duplicates"] + max(0, written - NOTICES) + again
    per_s = report["sent"] / report["seconds"] if report["seconds"] else 0
    sys.stdout.write(
        f"second sweep: {again} written of {SECOND_SWEEP}; {RUN_TWICE} tasks run twice\n"
        f"worker: {report['tasks']} tasks in {report['seconds']:.1f} s; "
        f"{report['emails']} e-mails, {report['texts']} texts; deliveries {statuses}\n"
    )
    p99 = _percentile(timings, 0.99)
    missed = []
    if per_s < TARGET_PER_S:
        missed.append(f"per_s {per_s:.0f} < {TARGET_PER_S}")
    if p99 > TARGET_P99_MS:
        missed.append(f"enqueue_p99_ms {p99:.1f} > {TARGET_P99_MS}")
    for line in missed:
        sys.stdout.write(f"missed target: {line}\n")
    sys.stdout.write(
        f"notify: sent={report['sent']} per_s={per_s:.0f} duplicates={duplicates} "
        f"enqueue_p99_ms={p99:.1f}\n"
    )
    if report["sent"] != NOTICES or duplicates:
        sys.exit(1)


def run_worker() -> None:
    """The one worker: db_worker's loop until the parent says it is done and the queue is empty;
    then what the in-memory outboxes hold, as one line of JSON."""
    _setup()
    from django.core import mail
    from django_tasks.signals import task_finished, task_started
    from django_tasks_db.management.commands.db_worker import Worker

    from notifications import sms

    mail.outbox = []
    times: list[float] = []

    def started(**kwargs):
        if not times:
            times.append(time.perf_counter())

    def finished(**kwargs):
        finished.last = time.perf_counter()
        finished.count += 1

    finished.last, finished.count = 0.0, 0
    task_started.connect(started, weak=False)
    task_finished.connect(finished, weak=False)
    worker = Worker(
        queue_names=["default"],
        interval=0.05,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="bench",
        excluded_queue_names=[],
    )

    def wait_for_parent():
        sys.stdin.readline()
        worker.batch = True  # stop once nothing is ready

    threading.Thread(target=wait_for_parent, daemon=True).start()
    worker.run()
    emails = [int(m) for msg in mail.outbox for m in LINK.findall(msg.body)[:1]]
    texts = [int(m) for text in sms.outbox for m in LINK.findall(text.body)[:1]]
    duplicates = (len(emails) - len(set(emails))) + (len(texts) - len(set(texts)))
    seconds = (finished.last - times[0]) if times else 0.0
    sys.stdout.write(
        json.dumps(
            {
                "sent": len(set(emails) | set(texts)),
                "emails": len(emails),
                "texts": len(texts),
                "duplicates": duplicates,
                "tasks": finished.count,
                "seconds": seconds,
            }
        )
        + "\n"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--worker"]:
        run_worker()
    else:
        main()
