"""Delivering a notice by e-mail, text message and push, once per channel.

Each channel has one ``Delivery`` row, claimed with a conditional UPDATE before anything is sent, so
two workers (or a task run twice) never send the same thing twice. Texts and push wait for the
end of the person's quiet hours unless the notice is urgent; a text that fails falls back to
e-mail (or stays in the inbox for a person without e-mail).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks import task

from notifications import kinds as kinds_registry
from notifications.kinds import EMAIL, PUSH, SMS
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


@task()
def deliver(notification_id: int) -> dict[str, str]:
    """Send one notice by each of the person's channels for its kind. Safe to run twice."""
    notification = (
        Notification.objects.select_related("recipient", "recipient__notice_preferences")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or not notification.recipient.is_active:
        return {}
    return _deliver(notification, now=timezone.now())


def _deliveries(notification: Notification, channels: list[str]) -> dict[str, Delivery]:
    """One row per channel, made if missing: two queries, whatever the number of channels."""
    Delivery.objects.bulk_create(
        [Delivery(notification=notification, channel=c) for c in channels],
        ignore_conflicts=True,
    )
    rows = Delivery.objects.filter(notification=notification, channel__in=channels)
    return {row.channel: row for row in rows}


def _deliver(notification: Notification, *, now: dt.datetime) -> dict[str, str]:
    person = notification.recipient
    kind = kinds_registry.get(notification.kind)
    prefs = preferences_of(person)
    outcome: dict[str, str] = {}
    paused = prefs.paused_until and prefs.paused_until > now and not notification.urgent
    channels = channels_for(person, kind, prefs)
    if not channels:
        return outcome
    rows = _deliveries(notification, channels)
    for channel in channels:
        delivery = rows[channel]
        delivery.notification = notification
        if paused:
            if delivery.status in CLAIMABLE:
                _finish(delivery, DeliveryStatus.SKIPPED, error="Taking a break")
            outcome[channel] = delivery.status
            continue
        outcome[channel] = _send(delivery, notification, kind, prefs, now=now)
    return outcome


def _claim(delivery: Delivery) -> bool:
    """Take the row for sending, unless another worker took it first (a conditional UPDATE)."""
    claimed = Delivery.objects.filter(pk=delivery.pk, status__in=CLAIMABLE).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1
    )
    if claimed:
        delivery.status, delivery.attempts = DeliveryStatus.SENDING, delivery.attempts + 1
    return bool(claimed)


def _send(delivery, notification, kind, prefs, *, now) -> str:
    channel = delivery.channel
    if delivery.status not in CLAIMABLE:
        return delivery.status
    if delivery.status == DeliveryStatus.HELD and delivery.not_before and delivery.not_before > now:
        return delivery.status
    quiet = in_quiet_hours(now, prefs.quiet_start, prefs.quiet_end)
    if channel in (SMS, PUSH) and quiet and not notification.urgent:
        until = quiet_hours_end(now, prefs.quiet_end)
        held = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.HELD, not_before=until
        )
        if held and deliver.get_backend().supports_defer:
            deliver.using(run_after=until).enqueue(notification_id=notification.pk)
        return DeliveryStatus.HELD
    if not _claim(delivery):
        return DeliveryStatus.SENDING  # another worker has it
    words = Words(notification.title, notification.body, notification.action, "")
    if channel == SMS:
        return _send_text(delivery, notification, kind, prefs)
    if channel == PUSH:
        return _send_push(delivery, notification, words, prefs)
    return _send_email(delivery, notification, words, prefs)


def _finish(delivery, status: str, *, error: str = "", ref: str = "", segments: int = 0) -> None:
    delivery.status, delivery.error = status, error[:200]
    fields = ["status", "error", "updated_at"]
    if ref:
        delivery.provider_ref = ref
        fields.append("provider_ref")
    if segments:
        delivery.segments = segments
        fields.append("segments")
    delivery.save(update_fields=fields)


def _send_email(delivery, notification, words, prefs) -> str:
    person = notification.recipient
    if not person.email:
        _finish(delivery, DeliveryStatus.SKIPPED, error="No e-mail address")
        return DeliveryStatus.SKIPPED
    subject, text, html = email_parts(notification, words, show_details=prefs.show_details)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[person.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except OSError as error:  # SMTP and connection errors
        return _retry_or_fail(delivery, notification, str(error) or "Could not send the e-mail")
    _finish(delivery, DeliveryStatus.SENT)
    return DeliveryStatus.SENT


def _retry_or_fail(delivery, notification, error: str) -> str:
    """Try again later while attempts are left; after that, report it, never drop it silently."""
    if delivery.attempts < MAX_ATTEMPTS and deliver.get_backend().supports_defer:
        _finish(delivery, DeliveryStatus.QUEUED, error=error)
        deliver.using(run_after=timezone.now() + RETRY_AFTER).enqueue(
            notification_id=notification.pk
        )
        return DeliveryStatus.QUEUED
    _finish(delivery, DeliveryStatus.FAILED, error=error)
    log.error(
        "Could not send %s notice #%s by %s: %s",
        notification.kind,
        notification.pk,
        delivery.channel,
        error,
    )
    return DeliveryStatus.FAILED


def _send_text(delivery, notification, kind, prefs) -> str:
    from notifications.sms import SMSError, get_backend

    if not prefs.can_text:
        why = "Texts stopped" if prefs.texts_stopped_at else NO_CONFIRMED_NUMBER
        _finish(delivery, DeliveryStatus.SKIPPED, error=why)
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
        ref = get_backend().send(to=prefs.phone, body=body, status_callback=status_callback_url())
    except SMSError as error:
        _finish(delivery, DeliveryStatus.FAILED, error=str(error) or "The text could not be sent")
        fall_back(notification, failed=SMS)
        return DeliveryStatus.FAILED
    _finish(delivery, DeliveryStatus.SENT, ref=ref, segments=sms_segments(body))
    return DeliveryStatus.SENT


def reply_hint(kind) -> str:
    words = {"YES": "YES to confirm", "NO": "NO to cancel"}
    said = [words[reply] for reply in kind.replies if reply in words]
    return f"Reply {' or '.join(said)}." if said else ""


def status_callback_url() -> str | None:
    try:
        return absolute(reverse("notifications:sms_status"))
    except NoReverseMatch:
        return None


def _send_push(delivery, notification, words, prefs) -> str:
    from notifications.push import PushError, send_push

    try:
        payload = push_payload(notification, words, show_details=prefs.show_details)
        sent = send_push(notification.recipient, payload)
    except PushError as error:
        _finish(delivery, DeliveryStatus.FAILED, error=str(error))
        return DeliveryStatus.FAILED
    if not sent:
        _finish(delivery, DeliveryStatus.SKIPPED, error="No phone has notifications switched on")
        return DeliveryStatus.SKIPPED
    _finish(delivery, DeliveryStatus.SENT)
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
    return _send_email(delivery, notification, words, prefs)


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
