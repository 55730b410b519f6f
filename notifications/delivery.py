"""Delivering a notice by e-mail, text message and push, once per channel.

Each channel has one ``Delivery`` row, claimed with a conditional UPDATE before anything is sent, so
two workers (or a task run twice) never send the same thing twice. Texts and push wait for the
end of the person's quiet hours unless the notice is urgent; a text that fails falls back to
e-mail (or stays in the inbox for a person without e-mail).
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from notifications import kinds as kinds_registry
from notifications.kinds import EMAIL, PUSH, SMS
from notifications.live import send_unread_counts_to
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.render import (
    Words,
    absolute,
    email_parts,
    open_link,
    push_payload,
    sms_segments,
    sms_text,
)
from notifications.services import channels_for, preferences_of

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_AFTER = dt.timedelta(minutes=5)
CLAIMABLE = [DeliveryStatus.QUEUED, DeliveryStatus.HELD]
NO_CONFIRMED_NUMBER = "No confirmed mobile number"


def in_quiet_hours(moment: dt.datetime, start: dt.time, end: dt.time) -> bool:
    local = timezone.localtime(moment).time()
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end  # over midnight, as 21:00-08:00


def quiet_hours_end(moment: dt.datetime, end: dt.time) -> dt.datetime:
    local = timezone.localtime(moment)
    candidate = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate = timezone.make_aware(
            dt.datetime.combine(local.date() + dt.timedelta(days=1), end),
            timezone.get_current_timezone(),
        )
    return candidate


# How many notices one task delivers at most: its own, and others waiting in the queue.
BATCH = 50


@task()
def deliver(notification_id: int) -> dict[str, str]:
    """Send one notice by each of the person's channels for its kind. Safe to run twice.

    With the database queue the task also takes up to ``BATCH - 1`` other ``deliver`` tasks that
    are waiting and delivers their notices with its own, so one worker claims, sends and records
    a batch with a handful of commits instead of several per notice. Those tasks are marked done
    (or failed, with the error) as if they had run on their own."""
    waiting = _take_waiting_tasks(exclude=notification_id)
    ids = list(dict.fromkeys([notification_id, *waiting.values()]))
    try:
        outcomes, errors = deliver_notices(ids, now=timezone.now())
    except BaseException:
        _put_back(waiting)
        raise
    _close_tasks(waiting, errors)
    if notification_id in errors:
        raise errors[notification_id]
    return outcomes.get(notification_id, {})


def _take_waiting_tasks(*, exclude: int) -> dict:
    """Other ``deliver`` tasks ready to run, taken for this one (marked running, so no other
    worker runs them too): task id -> notification id."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = deliver.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return {}
    with transaction.atomic():
        rows = list(
            DBTaskResult.objects.ready()
            .filter(
                backend_name=backend.alias,
                queue_name=deliver.queue_name,
                task_path=deliver.module_path,
            )
            .select_for_update(skip_locked=True)
            .values_list("id", "args_kwargs")[: BATCH - 1]
        )
        taken = {}
        for task_id, args_kwargs in rows:
            notice = (args_kwargs or {}).get("kwargs", {}).get("notification_id")
            if isinstance(notice, int) and not isinstance(notice, bool):
                taken[task_id] = notice
        if taken:
            DBTaskResult.objects.filter(id__in=list(taken)).update(
                status=TaskResultStatus.RUNNING, started_at=timezone.now()
            )
    return taken


def _put_back(taken: dict) -> None:
    from django_tasks_db.models import DBTaskResult

    if taken:
        DBTaskResult.objects.filter(id__in=list(taken)).update(
            status=TaskResultStatus.READY, started_at=None
        )


def _close_tasks(taken: dict, errors: dict) -> None:
    from django_tasks_db.models import DBTaskResult

    if not taken:
        return
    now = timezone.now()
    done = [task_id for task_id, notice in taken.items() if notice not in errors]
    DBTaskResult.objects.filter(id__in=done).update(
        status=TaskResultStatus.SUCCESSFUL,
        finished_at=now,
        return_value=None,
        exception_class_path="",
        traceback="",
    )
    for task_id, notice in taken.items():
        if notice in errors:
            error = errors[notice]
            DBTaskResult.objects.filter(id=task_id).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{type(error).__module__}.{type(error).__qualname__}",
                traceback="".join(traceback.format_exception(error)),
            )


class _Batch:
    """What one run shares: the time, one e-mail connection, one text backend, and the delivery
    rows to record at the end (one UPDATE for all of them)."""

    def __init__(self, now: dt.datetime):
        self.now = now
        self.finished: list[Delivery] = []
        self._email = None
        self._sms = None
        self._callback = False

    @property
    def email(self):
        if self._email is None:
            self._email = get_connection()
            self._email.open()
        return self._email

    @property
    def sms(self):
        if self._sms is None:
            from notifications.sms import get_backend

            self._sms = get_backend()
        return self._sms

    @property
    def status_callback(self) -> str | None:
        if self._callback is False:
            self._callback = status_callback_url()
        return self._callback

    def finish(self, delivery, status, *, error="", ref="", segments=0) -> None:
        delivery.status, delivery.error = status, error[:200]
        if ref:
            delivery.provider_ref = ref
        if segments:
            delivery.segments = segments
        delivery.updated_at = self.now
        self.finished.append(delivery)

    def close(self) -> None:
        if self.finished:
            Delivery.objects.bulk_update(
                self.finished, ["status", "error", "provider_ref", "segments", "updated_at"]
            )
            self.finished = []
        if self._email is not None:
            self._email.close()
            self._email = None


def deliver_notices(ids: list[int], *, now: dt.datetime) -> tuple[dict, dict]:
    """Deliver each notice in ``ids``: notification id -> {channel: status}, and notification id
    -> the error that stopped it (the others still go)."""
    found = (
        Notification.objects.select_related("recipient", "recipient__notice_preferences")
        .filter(pk__in=ids)
        .in_bulk()
    )
    notices = [found[pk] for pk in ids if pk in found and found[pk].recipient.is_active]
    try:
        return _deliver_many(notices, now=now)
    finally:
        send_unread_counts_to(n.recipient_id for n in notices)


def _deliver(notification: Notification, *, now: dt.datetime) -> dict[str, str]:
    outcomes, errors = _deliver_many([notification], now=now)
    if notification.pk in errors:
        raise errors[notification.pk]
    return outcomes.get(notification.pk, {})


def _deliver_many(notices: list[Notification], *, now: dt.datetime) -> tuple[dict, dict]:
    outcomes: dict[int, dict[str, str]] = {}
    errors: dict[int, BaseException] = {}
    plans = []
    for notification in notices:
        person = notification.recipient
        kind = kinds_registry.get(notification.kind)
        prefs = preferences_of(person)
        channels = channels_for(person, kind, prefs)
        outcomes[notification.pk] = {}
        if channels:
            plans.append((notification, kind, prefs, channels))
    rows = _deliveries(plans)
    batch = _Batch(now)
    to_send = []
    for notification, kind, prefs, channels in plans:
        paused = prefs.paused_until and prefs.paused_until > now and not notification.urgent
        for channel in channels:
            delivery = rows[(notification.pk, channel)]
            delivery.notification = notification
            if paused:
                if delivery.status in CLAIMABLE:
                    batch.finish(delivery, DeliveryStatus.SKIPPED, error="Taking a break")
                outcomes[notification.pk][channel] = delivery.status
                continue
            waiting = _wait_or_go(delivery, notification, prefs, now=now)
            if waiting:
                outcomes[notification.pk][channel] = waiting
            else:
                to_send.append((delivery, notification, kind, prefs))
    claimed = _claim_many([delivery for delivery, *_rest in to_send])
    try:
        for delivery, notification, kind, prefs in to_send:
            if delivery.pk not in claimed:
                outcomes[notification.pk][delivery.channel] = DeliveryStatus.SENDING
                continue  # another worker has it
            try:
                status = _send_claimed(delivery, notification, kind, prefs, batch)
            except Exception as error:  # noqa: BLE001 - one notice's fault never stops the rest
                log.exception(
                    "Could not deliver notice #%s by %s", notification.pk, delivery.channel
                )
                batch.finish(delivery, DeliveryStatus.FAILED, error=str(error) or "Not sent")
                errors[notification.pk] = error
                status = DeliveryStatus.FAILED
            outcomes[notification.pk][delivery.channel] = status
    finally:
        batch.close()
    return outcomes, errors


def _deliveries(plans) -> dict[tuple[int, str], Delivery]:
    """One row per notice and channel, made if missing: two queries for the whole batch."""
    wanted = [(n.pk, c) for n, _kind, _prefs, channels in plans for c in channels]
    if not wanted:
        return {}
    Delivery.objects.bulk_create(
        [Delivery(notification_id=pk, channel=c) for pk, c in wanted], ignore_conflicts=True
    )
    found = Delivery.objects.filter(notification_id__in={pk for pk, _c in wanted})
    return {(row.notification_id, row.channel): row for row in found}


def _wait_or_go(delivery, notification, prefs, *, now) -> str:
    """The status to report when this delivery is not to be sent now (done, or waiting for the
    end of quiet hours); an empty string when it goes now."""
    if delivery.status not in CLAIMABLE:
        return delivery.status
    if delivery.status == DeliveryStatus.HELD and delivery.not_before and delivery.not_before > now:
        return delivery.status
    quiet = in_quiet_hours(now, prefs.quiet_start, prefs.quiet_end)
    if delivery.channel in (SMS, PUSH) and quiet and not notification.urgent:
        until = quiet_hours_end(now, prefs.quiet_end)
        held = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.HELD, not_before=until
        )
        if held and deliver.get_backend().supports_defer:
            deliver.using(run_after=until).enqueue(notification_id=notification.pk)
        return DeliveryStatus.HELD
    return ""


def _claim_many(deliveries: list[Delivery]) -> set[int]:
    """Take rows for sending, unless another worker took them first: the rows still waiting are
    locked (skipping any another worker holds) and marked "sending" in one transaction, which
    commits before anything is sent."""
    if not deliveries:
        return set()
    with transaction.atomic():
        free = list(
            Delivery.objects.filter(pk__in=[d.pk for d in deliveries], status__in=CLAIMABLE)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        if free:
            Delivery.objects.filter(pk__in=free).update(
                status=DeliveryStatus.SENDING, attempts=F("attempts") + 1
            )
    claimed = set(free)
    for delivery in deliveries:
        if delivery.pk in claimed:
            delivery.status, delivery.attempts = DeliveryStatus.SENDING, delivery.attempts + 1
    return claimed


def _claim(delivery: Delivery) -> bool:
    """Take one row for sending, unless another worker took it first (a conditional UPDATE)."""
    claimed = Delivery.objects.filter(pk=delivery.pk, status__in=CLAIMABLE).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1
    )
    if claimed:
        delivery.status, delivery.attempts = DeliveryStatus.SENDING, delivery.attempts + 1
    return bool(claimed)


def _send(delivery, notification, kind, prefs, *, now) -> str:
    """Send one delivery now unless it waits or another worker has it (``release_held``)."""
    waiting = _wait_or_go(delivery, notification, prefs, now=now)
    if waiting:
        return waiting
    if not _claim(delivery):
        return DeliveryStatus.SENDING  # another worker has it
    batch = _Batch(now)
    try:
        return _send_claimed(delivery, notification, kind, prefs, batch)
    finally:
        batch.close()


def _send_claimed(delivery, notification, kind, prefs, batch: _Batch) -> str:
    words = Words(notification.title, notification.body, notification.action, "")
    if delivery.channel == SMS:
        return _send_text(delivery, notification, kind, prefs, batch)
    if delivery.channel == PUSH:
        return _send_push(delivery, notification, words, prefs, batch)
    return _send_email(delivery, notification, words, prefs, batch)


def _send_email(delivery, notification, words, prefs, batch: _Batch) -> str:
    person = notification.recipient
    if not person.email:
        batch.finish(delivery, DeliveryStatus.SKIPPED, error="No e-mail address")
        return DeliveryStatus.SKIPPED
    subject, text, html = email_parts(notification, words, show_details=prefs.show_details)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[person.email])
    message.attach_alternative(html, "text/html")
    try:
        message.connection = batch.email
        message.send()
    except OSError as error:  # SMTP and connection errors
        return _retry_or_fail(
            delivery, notification, str(error) or "Could not send the e-mail", batch
        )
    batch.finish(delivery, DeliveryStatus.SENT)
    return DeliveryStatus.SENT


def _retry_or_fail(delivery, notification, error: str, batch: _Batch) -> str:
    """Try again later while attempts are left; after that, report it, never drop it silently."""
    if delivery.attempts < MAX_ATTEMPTS and deliver.get_backend().supports_defer:
        batch.finish(delivery, DeliveryStatus.QUEUED, error=error)
        deliver.using(run_after=timezone.now() + RETRY_AFTER).enqueue(
            notification_id=notification.pk
        )
        return DeliveryStatus.QUEUED
    batch.finish(delivery, DeliveryStatus.FAILED, error=error)
    log.error(
        "Could not send %s notice #%s by %s: %s",
        notification.kind,
        notification.pk,
        delivery.channel,
        error,
    )
    return DeliveryStatus.FAILED


def _send_text(delivery, notification, kind, prefs, batch: _Batch) -> str:
    from notifications.sms import SMSError

    if not prefs.can_text:
        why = "Texts stopped" if prefs.texts_stopped_at else NO_CONFIRMED_NUMBER
        batch.finish(delivery, DeliveryStatus.SKIPPED, error=why)
        if notification.urgent or not _waiting_for_confirmation(prefs):
            fall_back(notification, failed=SMS)
        return DeliveryStatus.SKIPPED
    words = Words(notification.title, notification.body, notification.action, "")
    if prefs.show_details:
        from notifications.render import render_kind

        words = render_kind(kind.template, notification.context)
    replies = reply_hint(kind)
    link = open_link(notification)
    body = sms_text(words, link, show_details=prefs.show_details, replies=replies)
    try:
        ref = batch.sms.send(to=prefs.phone, body=body, status_callback=batch.status_callback)
    except SMSError as error:
        batch.finish(delivery, DeliveryStatus.FAILED, error=str(error) or "The text could not go")
        fall_back(notification, failed=SMS)
        return DeliveryStatus.FAILED
    batch.finish(delivery, DeliveryStatus.SENT, ref=ref, segments=sms_segments(body))
    return DeliveryStatus.SENT


def _waiting_for_confirmation(prefs) -> bool:
    """A number we have asked the person to confirm (a code, or YES to a worker's number): the
    text goes when they do (notifications.services.confirm_number), not by e-mail meanwhile, as
    they asked for texts. Urgent notices fall back to e-mail all the same."""
    return bool(
        prefs.phone
        and prefs.phone_confirmed_at is None
        and prefs.texts_stopped_at is None
        and (prefs.phone_invited_at or prefs.phone_code_hash)
    )


def reply_hint(kind) -> str:
    words = {"YES": "YES to confirm", "NO": "NO to cancel"}
    said = [words[reply] for reply in kind.replies if reply in words]
    return f"Reply {' or '.join(said)}." if said else ""


def status_callback_url() -> str | None:
    try:
        return absolute(reverse("notifications:sms_status"))
    except NoReverseMatch:
        return None


def _send_push(delivery, notification, words, prefs, batch: _Batch) -> str:
    from notifications.push import PushError, send_push

    try:
        payload = push_payload(notification, words, show_details=prefs.show_details)
        sent = send_push(notification.recipient, payload)
    except PushError as error:
        batch.finish(delivery, DeliveryStatus.FAILED, error=str(error))
        return DeliveryStatus.FAILED
    if not sent:
        batch.finish(
            delivery, DeliveryStatus.SKIPPED, error="No phone has notifications switched on"
        )
        return DeliveryStatus.SKIPPED
    batch.finish(delivery, DeliveryStatus.SENT)
    return DeliveryStatus.SENT


def fall_back(notification: Notification, *, failed: str) -> str | None:
    """A text that could not go: send the notice by e-mail instead, once. Without e-mail it stays
    in the inbox, where it always is."""
    if failed == EMAIL or not notification.recipient.email:
        return None
    delivery, created = Delivery.objects.get_or_create(notification=notification, channel=EMAIL)
    if not created and delivery.status not in CLAIMABLE:
        return None
    prefs = preferences_of(notification.recipient)
    if not _claim(delivery):
        return None
    words = Words(notification.title, notification.body, notification.action, "")
    batch = _Batch(timezone.now())
    try:
        return _send_email(delivery, notification, words, prefs, batch)
    finally:
        batch.close()


# Twilio's words for a text's progress -> ours; the others ("queued", "accepted", "sending")
# change nothing.
PROVIDER_STATUSES = {
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "failed": DeliveryStatus.FAILED,
    "undelivered": DeliveryStatus.FAILED,
}


def record_status(*, provider_ref: str, status: str, error: str = "") -> Delivery | None:
    """A delivery report from the text provider (``status`` in its words or ours). A text that
    failed falls back to e-mail, once; a late "sent" never undoes "delivered"."""
    ours = PROVIDER_STATUSES.get(status, status)
    delivery = (
        Delivery.objects.select_related("notification__recipient")
        .filter(provider_ref=provider_ref, channel=SMS)
        .first()
    )
    if delivery is None or not provider_ref:
        return None
    if ours == DeliveryStatus.DELIVERED:
        if Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENT).update(
            status=DeliveryStatus.DELIVERED
        ):
            delivery.status = DeliveryStatus.DELIVERED
    elif ours == DeliveryStatus.FAILED:
        why = f"The phone network refused it{f' ({error})' if error else ''}"[:200]
        failed = Delivery.objects.filter(
            pk=delivery.pk, status__in=[DeliveryStatus.SENT, DeliveryStatus.DELIVERED]
        ).update(status=DeliveryStatus.FAILED, error=why)
        if failed:
            delivery.status, delivery.error = DeliveryStatus.FAILED, why
            fall_back(delivery.notification, failed=SMS)
    return delivery


def release_held(*, now: dt.datetime) -> int:
    """Send what waited for the end of quiet hours (the daily sweep and ``send_held`` call it)."""
    due = (
        Delivery.objects.filter(status=DeliveryStatus.HELD, not_before__lte=now)
        .select_related("notification__recipient")
        .order_by("not_before", "id")
    )
    sent = 0
    for delivery in due:
        notification = delivery.notification
        prefs = preferences_of(notification.recipient)
        kind = kinds_registry.get(notification.kind)
        if _send(delivery, notification, kind, prefs, now=now) == DeliveryStatus.SENT:
            sent += 1
    return sent
