"""Telling people: ``notify`` writes one inbox row per (person, kind, key) and delivers it by the
person's other channels after commit, through django-tasks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from accounts.models import User
from notifications import kinds as kinds_registry
from notifications.kinds import CHANNELS, EMAIL, SMS
from notifications.models import Notification, Preferences
from notifications.render import render_kind


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
        ids = [n.pk for n in written]
        transaction.on_commit(lambda: _after_commit(ids))
    return written


def _after_commit(ids: list[int]) -> None:
    from notifications.delivery import deliver
    from notifications.live import send_unread_counts

    for pk in ids:
        deliver.enqueue(notification_id=pk)
    send_unread_counts(ids)


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
    if kind.name in prefs.channels:
        chosen = list(prefs.channels[kind.name])
    else:
        # An empty list is a choice too: "through a worker" means the inbox only.
        chosen = list(prefs.default_channels)
        if "push" in kind.channels and user.push_subscriptions.exists():
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


@transaction.atomic
def record_contact_preference(
    *, user: User, preference: str, by: User, phone: str = ""
) -> Preferences:
    """Honour "contact me by text message" (or e-mail, or through a worker) from the first notice.

    A number typed by someone else is kept unconfirmed: no text goes to it until the person
    confirms it (by a code on their preferences page, or by answering YES to the first text).
    """
    prefs = Preferences.objects.select_for_update().get(pk=preferences_of(user).pk)
    channels = CONTACT_CHANNELS.get(preference, [EMAIL])
    prefs.default_channels = channels
    if phone and phone != prefs.phone:
        prefs.phone, prefs.phone_confirmed_at = phone, None
    prefs.save()
    user._notice_preferences = prefs
    audit.record(actor=by, action="notifications.contact_preference", subject=user)
    return prefs


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
