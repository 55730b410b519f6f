"""Texts people send us: STOP and START, HELP, YES or NO to the last text that asked, and
anything else, which goes to the coordinators as a message from that person.

A domain app answers YES and NO to its own kinds of notice by registering a handler from its
``AppConfig.ready``::

    register_reply_handler("mentoring.meeting_reminder", answer_meeting_reminder)

``handler(notification, word, person) -> str`` does what the answer means (through the domain's
own services) and returns the words of the confirmation text, such as "Thanks, see you then."
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts import audit
from accounts.models import User
from accounts.roles import Role
from notifications import kinds as kinds_registry
from notifications.kinds import SMS
from notifications.models import DeliveryStatus, InboundText, Notification, Preferences
from notifications.phones import e164
from notifications.sms import send_now

log = logging.getLogger(__name__)

ReplyHandler = Callable[[Notification, str, User], str]
_HANDLERS: dict[str, ReplyHandler] = {}

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
START_WORDS = frozenset({"START", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})
ANSWERS = {"YES": "YES", "Y": "YES", "NO": "NO", "N": "NO"}
# Words that may follow a keyword without making it a message ("yes please", "no thanks").
POLITE = frozenset({"PLEASE", "PLS", "THANKS", "THANK", "YOU", "TA", "CHEERS", "X", "XX", "XXX"})
# How far back a YES or NO may answer a text that asked for one.
ANSWER_WINDOW = dt.timedelta(days=14)

STOPPED = "You will get no more texts from Alongside. Text START to get them again."
STARTED = "You will get texts from Alongside again. Text STOP to stop them."
CONFIRMED = "Thank you. You will get texts from Alongside now. Text STOP to stop them."
PASSED_ON = "Thanks, we have passed your message on."


def register_reply_handler(kind_name: str, handler: ReplyHandler) -> None:
    existing = _HANDLERS.get(kind_name)
    if existing is not None and existing is not handler:
        raise ValueError(f"A reply handler for {kind_name!r} is registered already")
    _HANDLERS[kind_name] = handler


def keyword(body: str) -> str | None:
    """STOP, START, HELP, YES or NO when that is all the text says (give or take "please",
    "thanks" and punctuation), else None: the text is a message for a person."""
    words = re.findall(r"[A-Z]+", body.upper())
    if not words or any(word not in POLITE for word in words[1:]):
        return None
    first = words[0]
    if first in STOP_WORDS:
        return "STOP"
    if first in START_WORDS:
        return "START"
    if first in HELP_WORDS:
        return "HELP"
    return ANSWERS.get(first)


def help_text() -> str:
    lines = ", ".join(f"{line['name']} {line['phone']}" for line in settings.CRISIS_SUPPORT_LINES)
    coordinator = (
        f"Your coordinator: {settings.ORGANISATION_PHONE}."
        if settings.ORGANISATION_PHONE
        else "Or text us here and a coordinator will read it."
    )
    return f"Alongside. Help now: {lines}. {coordinator}"


def receive_text(*, from_number: str, body: str, provider_ref: str) -> InboundText | None:
    """Keep a text someone sent us and act on it, once per provider message id (a provider that
    retries gets nothing done twice). Returns the stored text, or None for a repeat."""
    number = e164(from_number)
    try:
        with transaction.atomic():
            inbound = InboundText.objects.create(
                from_number=number, body=body[:1600], provider_ref=provider_ref[:80]
            )
            people = list(
                Preferences.objects.select_for_update()
                .filter(phone=number, user__is_active=True)
                .select_related("user")
                .order_by(F("phone_confirmed_at").desc(nulls_last=True), "-updated_at")
            )
            # The answer goes first, before any text it releases (both after commit).
            answer: list[str] = []
            transaction.on_commit(lambda: answer and send_now(to=number, body=answer[0]))
            inbound.sender = people[0].user if people else None
            inbound.handled_as, reply = _act(inbound, keyword(body), people)
            inbound.save(update_fields=["sender", "handled_as"])
            if reply:
                answer.append(reply)
    except IntegrityError:
        return None  # the same message again
    return inbound


def _act(inbound: InboundText, word: str | None, people: list[Preferences]) -> tuple[str, str]:
    now = timezone.now()
    if word == "STOP":
        for prefs in people:
            if prefs.texts_stopped_at is None:
                prefs.texts_stopped_at = now
                prefs.save(update_fields=["texts_stopped_at", "updated_at"])
                audit.record(
                    actor=prefs.user, action="notifications.texts_stopped", subject=prefs.user
                )
        return "stop", STOPPED
    if word == "HELP":
        return "help", help_text()
    if people and word == "START":
        for prefs in people:
            if prefs.texts_stopped_at is not None:
                prefs.texts_stopped_at = None
                prefs.save(update_fields=["texts_stopped_at", "updated_at"])
                audit.record(
                    actor=prefs.user, action="notifications.texts_started", subject=prefs.user
                )
        return "start", STARTED
    if people and word == "YES":
        invited = [p for p in people if p.phone_confirmed_at is None and p.phone_invited_at]
        if invited:
            from notifications.services import confirm_number

            for prefs in invited:
                confirm_number(prefs=prefs, by=prefs.user, how="replied YES")
            return "confirmed_number", CONFIRMED
    if people and word in ("YES", "NO"):
        answered = _answer(word, people, now=now)
        if answered:
            return f"answer:{word.lower()}", answered
    _pass_on(inbound, people)
    return "passed_on", PASSED_ON


def _answer(word: str, people: list[Preferences], *, now: dt.datetime) -> str:
    """Hand YES or NO to the domain that asked, for the person's latest text that asked for it."""
    asking = [
        k.name for k in kinds_registry.all_kinds() if word in k.replies and k.name in _HANDLERS
    ]
    if not asking:
        return ""
    notification = (
        Notification.objects.filter(
            recipient__in=[p.user for p in people if p.phone_confirmed_at],
            kind__in=asking,
            done_at__isnull=True,
            created_at__gte=now - ANSWER_WINDOW,
            deliveries__channel=SMS,
            deliveries__status__in=[DeliveryStatus.SENT, DeliveryStatus.DELIVERED],
        )
        .select_related("recipient")
        .order_by("-created_at", "-id")
        .first()
    )
    if notification is None:
        return ""
    try:
        with transaction.atomic():
            reply = _HANDLERS[notification.kind](notification, word, notification.recipient)
    except Exception:  # noqa: BLE001 - a domain's failure must not lose the person's answer
        log.exception("The reply handler for %s failed", notification.kind)
        return ""
    Notification.objects.filter(pk=notification.pk, done_at__isnull=True).update(
        done_at=now, read_at=Coalesce("read_at", Value(now))
    )
    audit.record(
        actor=notification.recipient,
        action="notifications.answered_by_text",
        target=notification,
        subject=notification.recipient,
        summary=word,
    )
    return str(reply or "Thank you, we have your answer.")


def _pass_on(inbound: InboundText, people: list[Preferences]) -> None:
    """Tell every coordinator, who reads it in their notifications and gets back to the person."""
    from notifications.services import notify

    coordinators = User.objects.filter(groups__name=Role.COORDINATOR, is_active=True).distinct()
    sender = people[0].user.display_name if people else f"Someone at {inbound.from_number}"
    notify(
        to=coordinators,
        kind="notifications.text_reply",
        key=inbound.provider_ref,
        context={"url": "/me/notifications/", "sender_name": sender, "text": inbound.body},
    )
