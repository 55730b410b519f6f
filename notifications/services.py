"""Telling people: ``notify`` writes one inbox row per (person, kind, key) and delivers it by the
person's other channels after commit, through django-tasks.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from notifications import kinds as kinds_registry
from notifications.kinds import CHANNELS, EMAIL, SMS
from notifications.models import (
    CalendarFeed,
    Delivery,
    DeliveryStatus,
    Notification,
    Preferences,
    PushSubscription,
    new_calendar_token,
)
from notifications.phones import e164, uk_mobile
from notifications.push import push_enabled
from notifications.render import render_kind
from notifications.sms import send_on_commit


def notify(
    *,
    to: User | Iterable[User],
    kind: str,
    key: str,
    context: dict[str, Any],
    urgent: bool = False,
) -> list[Notification]:
    """Tell ``to`` (one person or several) about ``kind``; ``key`` names the occasion, so the same
    notice is never written or sent twice, whoever calls this and however often.

    ``context`` holds plain JSON values for the kind's template, and ``url``: the path of the page
    where the person acts. Returns the notifications newly written (an empty list when every one
    existed). Delivery by e-mail, text and push happens after the surrounding transaction commits.
    """
    declared = kinds_registry.get(kind)
    people = [to] if isinstance(to, User) else list(to)
    context = dict(context)
    url = str(context.get("url") or "/me/")
    if not url.startswith("/"):
        raise ValueError("notify: context['url'] must be a path on this site, such as /me/")
    written: list[Notification] = []
    for person in people:
        if person is None or not person.is_active:
            continue
        words = render_kind(declared.template, {**context, "recipient_name": person.display_name})
        notification = Notification(
            recipient=person,
            kind=kind,
            key=str(key)[:120],
            context=context,
            url=url,
            title=words.title[:200],
            body=words.body,
            action=words.action[:80],
            urgent=urgent or declared.urgent,
            needs_answer=declared.needs_answer,
        )
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            continue  # told already
        written.append(notification)
    if written:
        # The delivery task also brings the person's open pages their new unread count, so the
        # request that told them pays only for two rows.
        ids = [n.pk for n in written]
        if _queue_is_in_this_database():
            # The delivery task is a row beside the notice, in the same transaction: the worker
            # sees both or neither, and a crash just after commit cannot lose a delivery.
            _enqueue(ids)
        else:
            transaction.on_commit(lambda: _enqueue(ids))
    return written


def _queue_is_in_this_database() -> bool:
    from django_tasks_db.backend import DatabaseBackend

    from notifications.delivery import deliver

    return isinstance(deliver.get_backend(), DatabaseBackend)


def resolve(*, to: User, kind: str, key: str) -> int:
    """The thing a notice asked for is done (answered, cancelled): it leaves Today. Returns how
    many notices were resolved."""
    now = timezone.now()
    return Notification.objects.filter(
        recipient=to, kind=kind, key=str(key)[:120], done_at__isnull=True
    ).update(done_at=now, read_at=now)


def resolve_for_everyone(*, kind: str, key: str) -> int:
    """As ``resolve``, for every person who was told (a proposal withdrawn, a shift cancelled)."""
    now = timezone.now()
    return Notification.objects.filter(kind=kind, key=str(key)[:120], done_at__isnull=True).update(
        done_at=now
    )


def mark_read(*, notification: Notification, by: User) -> None:
    """Precondition: ``by`` is the recipient (views fetch through ``access_notification``)."""
    if notification.recipient_id != by.pk:
        raise PermissionError
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        transaction.on_commit(lambda: _push_count(by.pk))


def mark_all_read(*, by: User) -> int:
    count = Notification.objects.filter(recipient=by).unread().update(read_at=timezone.now())
    transaction.on_commit(lambda: _push_count(by.pk))
    return count


def _push_count(user_id: int) -> None:
    from notifications.live import send_unread_count

    send_unread_count(user_id)


def preferences_of(user: User) -> Preferences:
    """The person's preferences, made with defaults (e-mail for every kind) on first use."""
    prefs = getattr(user, "_notice_preferences", None)
    if prefs is not None:
        return prefs
    try:
        # No query when loaded with the person (select_related("notice_preferences")).
        prefs = user.notice_preferences
    except Preferences.DoesNotExist:
        prefs, _created = Preferences.objects.get_or_create(
            user=user, defaults={"default_channels": [EMAIL]}
        )
    user._notice_preferences = prefs
    return prefs


@transaction.atomic
def update_preferences(
    *,
    user: User,
    show_details: bool,
    channels: dict[str, list[str]],
    quiet_start,
    quiet_end,
) -> Preferences:
    """Save what the person chose. Kinds they may not switch off keep e-mail (or a text, for a
    person without e-mail): at least one channel besides the inbox always stays on."""
    prefs = Preferences.objects.select_for_update().get(pk=preferences_of(user).pk)
    chosen: dict[str, list[str]] = {}
    for kind in kinds_registry.all_kinds():
        picked = [c for c in channels.get(kind.name, []) if c in kind.channels and c in CHANNELS]
        if not kind.optional and not (set(picked) & {EMAIL, SMS}):
            picked.append(EMAIL if user.email else SMS)
        chosen[kind.name] = picked
    prefs.show_details = show_details
    prefs.channels = chosen
    prefs.quiet_start, prefs.quiet_end = quiet_start, quiet_end
    prefs.save()
    user._notice_preferences = prefs
    audit.record(actor=user, action="notifications.preferences_changed", subject=user)
    return prefs


@transaction.atomic
def set_default_channels(*, user: User, channels: list[str], by: User) -> Preferences:
    """Set the channels used for kinds the person has not chosen one by one, for example from a
    referral's "contact me by text message"."""
    prefs = Preferences.objects.select_for_update().get(pk=preferences_of(user).pk)
    prefs.default_channels = [c for c in channels if c in CHANNELS] or [EMAIL]
    prefs.save(update_fields=["default_channels", "updated_at"])
    user._notice_preferences = prefs
    audit.record(actor=by, action="notifications.default_channels", subject=user)
    return prefs


def channels_for(user: User, kind: kinds_registry.Kind, prefs: Preferences) -> list[str]:
    """The channels besides the inbox that this notice goes by, in order of preference."""
    if kind.account_email:
        return [EMAIL] if user.email else []
    if kind.name in prefs.channels:
        chosen = list(prefs.channels[kind.name])
    else:
        # An empty list is a choice too: "through a worker" means the inbox only.
        chosen = list(prefs.default_channels)
        if "push" in kind.channels and push_enabled() and user.push_subscriptions.exists():
            chosen.append("push")
    chosen = [c for c in chosen if c in kind.channels]
    if not kind.optional and not (set(chosen) & {EMAIL, SMS}):
        chosen.insert(0, EMAIL if user.email else SMS)
    seen: list[str] = []
    for channel in chosen:
        if channel not in seen:
            seen.append(channel)
    return seen


# How a referral says to contact the person -> the channels their notices go by.
CONTACT_CHANNELS = {"text": [SMS], "email": [EMAIL], "phone": [EMAIL], "in_person": []}

INVITATION = (
    "Alongside: a worker added this number for you. Reply YES to get texts from us, or STOP."
)


@transaction.atomic
def record_contact_preference(
    *, user: User, preference: str, by: User, phone: str = ""
) -> Preferences:
    """Honour "contact me by text message" (or e-mail, or through a worker) from the first notice.

    A number typed by someone else is kept unconfirmed: no text goes to it until the person
    confirms it (by a code on their preferences page, or by answering YES to the first text,
    which this sends, in words that say nothing about why).
    """
    prefs = Preferences.objects.select_for_update().get(pk=preferences_of(user).pk)
    channels = CONTACT_CHANNELS.get(preference, [EMAIL])
    prefs.default_channels = channels
    mobile = uk_mobile(phone) if phone else None
    number = mobile or (e164(phone) if phone else "")
    if number and number != prefs.phone:
        prefs.phone, prefs.phone_confirmed_at = number, None
        prefs.phone_code_hash, prefs.phone_invited_at = "", None
        if mobile and not prefs.texts_stopped_at:
            prefs.phone_invited_at = timezone.now()
            send_on_commit(to=mobile, body=INVITATION)
    prefs.save()
    user._notice_preferences = prefs
    audit.record(actor=by, action="notifications.contact_preference", subject=user)
    return prefs


# --- The person's mobile number, and stopping texts -------------------------------------------

CODE_LIFETIME = dt.timedelta(minutes=15)
CODE_TRIES = 5
RESEND_AFTER = dt.timedelta(seconds=60)
CODES_PER_DAY = 5
# Texts skipped for want of a confirmed number are sent once it is confirmed, if this recent.
RELEASE_WINDOW = dt.timedelta(days=7)


class PhoneError(Exception):
    """Something the person can put right; the message says how, in plain words."""


def _code_hash(user: User, number: str, code: str) -> str:
    return salted_hmac("notifications.phone_code", f"{user.pk}:{number}:{code}").hexdigest()


def send_phone_code(*, user: User, phone: str) -> Preferences:
    """Keep ``phone`` (a UK mobile) as the person's number, unconfirmed, and text it a 6-digit
    code that works for 15 minutes. Raises ``PhoneError`` for a number that is not a UK mobile,
    when texts are stopped, or when codes are asked for too often."""
    number = uk_mobile(phone)
    if number is None:
        raise PhoneError(_("Enter a UK mobile number, such as 07123 456789."))
    now = timezone.now()
    with transaction.atomic():
        prefs = Preferences.objects.select_for_update().get(pk=preferences_of(user).pk)
        if prefs.texts_stopped_at:
            raise PhoneError(_("You stopped texts from us. Start texts again first."))
        if prefs.phone == number and prefs.phone_confirmed_at:
            raise PhoneError(_("That number is confirmed already."))
        if prefs.phone_code_sent_at and now - prefs.phone_code_sent_at < RESEND_AFTER:
            raise PhoneError(_("We sent a code a moment ago. Wait a minute, then ask again."))
        counter = f"notifications:phone-codes:{user.pk}"
        cache.add(counter, 0, timeout=24 * 3600)
        if cache.incr(counter) > CODES_PER_DAY:
            raise PhoneError(_("You have asked for a lot of codes today. Try again tomorrow."))
        code = f"{secrets.randbelow(10**6):06d}"
        if prefs.phone != number:
            prefs.phone, prefs.phone_confirmed_at, prefs.phone_invited_at = number, None, None
        prefs.phone_code_hash = _code_hash(user, number, code)
        prefs.phone_code_sent_at, prefs.phone_code_attempts = now, 0
        prefs.save()
        user._notice_preferences = prefs
        audit.record(actor=user, action="notifications.phone_code_sent", subject=user)
        send_on_commit(
            to=number,
            body=f"Alongside: your code is {code}. It works for 15 minutes. "
            "Do not give it to anyone.",
        )
    return prefs


def confirm_phone(*, user: User, code: str) -> Preferences:
    """Confirm the person's number with the code we texted. Raises ``PhoneError`` for a wrong,
    used-up or old code; a wrong try counts even so."""
    now = timezone.now()
    problem = ""
    with transaction.atomic():
        prefs = Preferences.objects.select_for_update().get(pk=preferences_of(user).pk)
        user._notice_preferences = prefs
        if not prefs.phone or not prefs.phone_code_hash:
            problem = _("Ask for a code first.")
        elif prefs.phone_code_attempts >= CODE_TRIES:
            problem = _("That code was tried too many times. Ask for a new code.")
        elif prefs.phone_code_sent_at is None or now - prefs.phone_code_sent_at > CODE_LIFETIME:
            problem = _("That code has run out. Ask for a new code.")
        elif not constant_time_compare(
            prefs.phone_code_hash, _code_hash(user, prefs.phone, "".join(code.split()))
        ):
            prefs.phone_code_attempts += 1
            prefs.save(update_fields=["phone_code_attempts", "updated_at"])
            left = CODE_TRIES - prefs.phone_code_attempts
            problem = (
                _("That code is not right. Check the text and try again.")
                if left
                else _("That code is not right, and was tried too many times. Ask for a new code.")
            )
        else:
            confirm_number(prefs=prefs, by=user, how="code")
    if problem:
        raise PhoneError(problem)
    return prefs


def confirm_number(*, prefs: Preferences, by: User, how: str) -> None:
    """The person showed the number is theirs (a code, or YES to our first text). Inside the
    caller's transaction, with ``prefs`` locked: texts skipped for want of a confirmed number in
    the last week go out now, once each."""
    from notifications.delivery import NO_CONFIRMED_NUMBER

    now = timezone.now()
    prefs.phone_confirmed_at = now
    prefs.phone_code_hash, prefs.phone_code_attempts = "", 0
    prefs.save()
    audit.record(actor=by, action="notifications.phone_confirmed", subject=prefs.user, summary=how)
    skipped = Delivery.objects.filter(
        notification__recipient_id=prefs.user_id,
        notification__created_at__gte=now - RELEASE_WINDOW,
        notification__read_at__isnull=True,
        notification__done_at__isnull=True,
        channel=SMS,
        status=DeliveryStatus.SKIPPED,
        error=NO_CONFIRMED_NUMBER,
    )
    ids = list(skipped.values_list("notification_id", flat=True))
    if ids:
        # Conditional: two confirmations at once release each text once.
        Delivery.objects.filter(
            notification_id__in=ids, channel=SMS, status=DeliveryStatus.SKIPPED
        ).update(status=DeliveryStatus.QUEUED, error="")
        transaction.on_commit(lambda: _enqueue(ids))


def _enqueue(ids: list[int]) -> None:
    from notifications.delivery import deliver

    for pk in ids:
        deliver.enqueue(notification_id=pk)


@transaction.atomic
def set_texts_stopped(*, user: User, stopped: bool) -> Preferences:
    """The "Stop all texts" and "Start texts again" buttons: nothing is texted while stopped."""
    prefs = Preferences.objects.select_for_update().get(pk=preferences_of(user).pk)
    if bool(prefs.texts_stopped_at) != stopped:
        prefs.texts_stopped_at = timezone.now() if stopped else None
        prefs.save(update_fields=["texts_stopped_at", "updated_at"])
        action = "notifications.texts_stopped" if stopped else "notifications.texts_started"
        audit.record(actor=user, action=action, subject=user)
    user._notice_preferences = prefs
    return prefs


# --- Phone notifications (web push) -------------------------------------------------------------


class PushSubscriptionError(Exception):
    pass


def subscribe_push(*, user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Keep a browser's push subscription for the person. A browser belongs to whoever switched
    notifications on last in it (a shared phone): the endpoint moves to them."""
    if not endpoint.startswith("https://") or len(endpoint) > 500:
        raise PushSubscriptionError("The push address must be https")
    if not (0 < len(p256dh) <= 200 and 0 < len(auth) <= 100):
        raise PushSubscriptionError("The subscription keys are missing")
    with transaction.atomic():
        subscription, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
        )
        audit.record(actor=user, action="notifications.push_on", subject=user)
    return subscription


def unsubscribe_push(*, user: User, endpoint: str) -> int:
    with transaction.atomic():
        count, _rows = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
        if count:
            audit.record(actor=user, action="notifications.push_off", subject=user)
    return count


@transaction.atomic
def take_a_break(*, user: User, until) -> Preferences:
    """Only urgent notices reach the person until ``until`` (``None`` ends the break at once);
    everything else still waits in their inbox."""
    prefs = Preferences.objects.select_for_update().get(pk=preferences_of(user).pk)
    prefs.paused_until = until
    prefs.save(update_fields=["paused_until", "updated_at"])
    user._notice_preferences = prefs
    audit.record(actor=user, action="notifications.break", subject=user)
    return prefs


# --- The one calendar ---------------------------------------------------------------------------


def calendar_feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


@transaction.atomic
def new_calendar_address(*, user: User) -> CalendarFeed:
    """Give the person their private calendar address, or a new one in place of the one they have
    (then every earlier address stops working at once)."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = CalendarFeed.objects.create(user=user)
        audit.record(actor=user, action="calendar.address_made", target=feed, subject=user)
        return feed
    feed.token = new_calendar_token()
    feed.earlier_token = None
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "earlier_token", "created_at"])
    audit.record(actor=user, action="calendar.address_replaced", target=feed, subject=user)
    return feed


@transaction.atomic
def turn_off_calendar(*, user: User) -> bool:
    """The person's calendar address stops working; True when there was one."""
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        audit.record(actor=user, action="calendar.off", subject=user)
    return bool(deleted)
