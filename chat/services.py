"""Actions in chat. Each checks who may do it, changes state in a transaction, records moderation
in the room's log and the audit trail, and broadcasts only after the transaction commits.

Persist first, then broadcast (TRUST.md 1): a message that reached any screen is in the database,
and a broadcast that fails (the channel layer is not reliable) is made good by the client's resume.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from accounts.roles import Role
from chat import filters
from chat.models import (
    LADDER,
    MAX_BODY,
    Ban,
    ChatBreak,
    FilterAction,
    MemberRole,
    Membership,
    Message,
    MessageRevision,
    MessageState,
    ModerationAction,
    Report,
    Room,
    RoomKind,
    Sanction,
    SanctionLevel,
    WordFilter,
)

logger = logging.getLogger(__name__)


class ChatError(Exception):
    """A refusal the person should read: ``code`` for programs, ``message`` in plain words."""

    def __init__(self, code: str, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


@dataclass
class PostResult:
    message: Message
    duplicate: bool = False
    notices: list[str] = field(default_factory=list)
    # (group, event) pairs to broadcast; already committed when post_message returns.
    events: list[tuple[str, dict]] = field(default_factory=list)


# --- Broadcasting (after commit only) -----------------------------------------------------------


def _send_after_commit(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return

    def send() -> None:
        async_to_sync(layer.group_send)(group, event)

    # robust: a channel layer failure must not undo or fail a saved action; clients resume.
    transaction.on_commit(send, robust=True)


def message_payload(message: Message) -> dict:
    """What every client gets for a visible message. The body is plain text: clients escape it."""
    return {
        "id": message.pk,
        "room": message.room_id,
        "author": {"id": message.author_id, "name": message.author.display_name},
        "body": message.body,
        "created": message.created_at.isoformat(),
        "edited": message.edited_at is not None,
        "client_id": message.client_id,
    }


def _broadcast_message(message: Message) -> None:
    _send_after_commit(
        f"room.{message.room_id}", {"type": "chat.message", "message": message_payload(message)}
    )


def _broadcast_removed(message: Message) -> None:
    _send_after_commit(f"room.{message.room_id}", {"type": "chat.removed", "id": message.pk})


def _broadcast_room(room: Room) -> None:
    _send_after_commit(f"room.{room.pk}", {"type": "chat.room", "room": room_state(room)})


def _kick(room: Room, user: User, reason: str) -> None:
    """Close the person's open sockets to this room at once (every server process)."""
    _send_after_commit(f"user.{user.pk}", {"type": "chat.kick", "room": room.pk, "reason": reason})


def room_state(room: Room) -> dict:
    return {
        "id": room.pk,
        "read_only": room.read_only,
        "slow_mode_seconds": room.slow_mode_seconds,
        "meeting_mode": room.meeting_mode,
        "chair": room.chair_id,
        "floor": room.floor_holder_id,
    }


# --- Logging moderation -------------------------------------------------------------------------


def _log(
    *,
    room: Room | None,
    actor: User | None,
    action: str,
    reason: str = "",
    subject: User | None = None,
    message: Message | None = None,
) -> None:
    ModerationAction.objects.create(
        room=room, actor=actor, action=action, subject=subject, message=message, reason=reason[:300]
    )
    audit.record(
        actor=actor,
        action=f"chat.{action}",
        target=message or room,
        subject=subject,
        summary=f"room {room.pk}" if room else "chat",
    )


def _require_moderator(room: Room, user: User) -> Membership:
    membership = Membership.objects.filter(room=room, user=user).first()
    if membership is None or not membership.is_moderator:
        raise PermissionDenied
    return membership


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please say why, in a few words.")})
    return reason[:300]


# --- Word filters -------------------------------------------------------------------------------

_filter_cache: dict[str, tuple[float, list[tuple[str, str]]]] = {}
FILTER_CACHE_SECONDS = 10


def clear_filter_cache() -> None:
    _filter_cache.clear()


def active_filters() -> list[tuple[str, str]]:
    """(phrase, action) pairs; read at most every few seconds per process."""
    cached = _filter_cache.get("all")
    if cached and time.monotonic() - cached[0] < FILTER_CACHE_SECONDS:
        return cached[1]
    rows = list(WordFilter.objects.values_list("phrase", "action"))
    _filter_cache["all"] = (time.monotonic(), rows)
    return rows


def _support_numbers() -> frozenset[str]:
    """The crisis support lines' numbers: sharing them is never a boundaries problem."""
    return frozenset(filters._digits(line["phone"]) for line in settings.CRISIS_SUPPORT_LINES)


def install_default_filters() -> int:
    """Add the default word lists (filters.DEFAULT_FILTERS); keeps moderators' own changes."""
    existing = set(WordFilter.objects.values_list("phrase", flat=True))
    new = [
        WordFilter(phrase=phrase, action=action, note=_("default list"))
        for action, phrases in filters.DEFAULT_FILTERS.items()
        for phrase in phrases
        if phrase not in existing
    ]
    WordFilter.objects.bulk_create(new)
    clear_filter_cache()
    return len(new)


@transaction.atomic
def save_word_filter(
    *, by: User, phrase: str, action: str, note: str = "", pk: int | None = None
) -> WordFilter:
    from chat.permissions import can_manage_filters

    if not can_manage_filters(by):
        raise PermissionDenied
    phrase = filters.normalise(phrase or "").strip()
    if not phrase:
        raise ValidationError({"phrase": _("Please give a word or phrase.")})
    if action not in FilterAction.values:
        raise ValidationError({"action": _("Please choose what happens.")})
    clash = WordFilter.objects.filter(phrase=phrase).exclude(pk=pk).exists()
    if clash:
        raise ValidationError({"phrase": _("That word or phrase is already on the list.")})
    if pk:
        word = WordFilter.objects.select_for_update().get(pk=pk)
        word.phrase, word.action, word.note = phrase, action, note[:120]
        word.save()
    else:
        word = WordFilter.objects.create(phrase=phrase, action=action, note=note[:120])
    _log(room=None, actor=by, action="filter.saved", reason=f"{action}: {phrase}")
    transaction.on_commit(clear_filter_cache)
    return word


@transaction.atomic
def delete_word_filter(*, by: User, pk: int) -> None:
    from chat.permissions import can_manage_filters

    if not can_manage_filters(by):
        raise PermissionDenied
    word = WordFilter.objects.filter(pk=pk).first()
    if word is None:
        return
    _log(room=None, actor=by, action="filter.deleted", reason=word.phrase)
    word.delete()
    transaction.on_commit(clear_filter_cache)


# --- Posting ------------------------------------------------------------------------------------


def _take_token(membership: Membership, now) -> float | None:
    """Token bucket: returns None if a token was taken, else the seconds until one is free."""
    burst = float(settings.CHAT_RATE_BURST)
    rate = float(settings.CHAT_RATE_PER_SECOND)
    if membership.tokens_at is None:
        tokens = burst
    else:
        elapsed = (now - membership.tokens_at).total_seconds()
        tokens = min(burst, membership.tokens + elapsed * rate)
    if tokens < 1:
        membership.tokens, membership.tokens_at = tokens, now
        return (1 - tokens) / rate
    membership.tokens, membership.tokens_at = tokens - 1, now
    return None


def _clean_body(body) -> str:
    if not isinstance(body, str):
        raise ChatError("invalid", _("A message must be text."))
    body = body.replace("\x00", "").strip()
    if not body:
        raise ChatError("empty", _("Please write something first."))
    if len(body) > MAX_BODY:
        raise ChatError(
            "too_long",
            _("Messages can be up to %(max)s characters. Yours has %(n)s.")
            % {"max": MAX_BODY, "n": len(body)},
        )
    return body


def post_message(
    *, room: Room | int, author: User, body: str, client_id: str = "", broadcast: bool = True
) -> PostResult:
    """Save a message from ``author`` in ``room`` as visible or held, or refuse with ChatError.

    Checks, in order: length, membership, a retry of the same ``client_id`` (returns the stored
    message, nothing broadcast again), read-only, mute, meeting mode, slow mode, rate limit, word
    filters and the boundaries policy, new members' first messages. Broadcast after commit, and only
    for visible messages. With ``broadcast=False`` the caller sends ``result.events`` itself (the
    websocket consumer does, on its own event loop, once this has returned and so committed).
    """
    body = _clean_body(body)
    client_id = str(client_id or "")[:64]
    room_id = room if isinstance(room, int) else room.pk
    try:
        result = _post(room_id=room_id, author=author, body=body, client_id=client_id)
        if broadcast and isinstance(result, PostResult):
            for group, event in result.events:
                _send_after_commit(group, event)
    except IntegrityError:
        # Two retries raced with one client id: the other one won; give its message back.
        existing = Message.objects.filter(author=author, client_id=client_id).first()
        if client_id and existing is not None:
            return PostResult(message=existing, duplicate=True)
        raise
    if isinstance(result, ChatError):
        raise result
    return result


@transaction.atomic
def _post(*, room_id: int, author: User, body: str, client_id: str) -> PostResult | ChatError:
    # Refusals are returned, not raised, so what they record (the token taken, a blocked
    # message in the log) is committed.
    membership = (
        Membership.objects.select_for_update()
        .select_related("room")
        .filter(room_id=room_id, user=author)
        .first()
    )
    if membership is None or not author.is_active:
        return ChatError("not_member", _("You are not in this room."))
    room = membership.room
    if client_id:
        existing = Message.objects.filter(author=author, client_id=client_id).first()
        if existing is not None:
            if existing.room_id != room_id:
                return ChatError("invalid", _("That message id was used in another room."))
            return PostResult(message=existing, duplicate=True)
    now = timezone.now()
    moderator = membership.is_moderator
    if room.closed_at is not None:
        return ChatError("read_only", _("This room has closed. You can still read it."))
    if room.locked and not moderator:
        return ChatError("read_only", _("A moderator has made this room read-only for now."))
    if membership.muted_until and membership.muted_until > now:
        return ChatError(
            "muted",
            _("A moderator has paused your messages here until %(time)s.")
            % {"time": timezone.localtime(membership.muted_until).strftime("%H:%M")},
            retry_after=(membership.muted_until - now).total_seconds(),
        )
    if room.meeting_mode and author.pk not in (room.chair_id, room.floor_holder_id):
        return ChatError(
            "not_your_turn",
            _("This is a meeting: raise your hand and the chair will give you the floor."),
        )
    if room.slow_mode_seconds and not moderator and membership.last_posted_at:
        wait = room.slow_mode_seconds - (now - membership.last_posted_at).total_seconds()
        if wait > 0:
            return ChatError(
                "slow_mode",
                _("Slow mode is on: you can post again in %(n)s seconds.") % {"n": int(wait) + 1},
                retry_after=wait,
            )
    wait = _take_token(membership, now)
    if wait is not None:
        membership.save(update_fields=["tokens", "tokens_at"])
        return ChatError(
            "rate_limited",
            _("That is a lot of messages at once. Please wait a moment."),
            retry_after=wait,
        )

    verdict = filters.check(body, active_filters(), _support_numbers())
    notices: list[str] = []
    if verdict.block:
        _log(room=room, actor=None, action="message.blocked", subject=author, reason="word list")
        membership.save(update_fields=["tokens", "tokens_at"])
        return ChatError(
            "blocked",
            _("This message was not sent: it looks like it breaks the group's rules."),
        )
    state, held_reason = MessageState.VISIBLE, ""
    if verdict.hold_reason:
        if room.kind == RoomKind.PAIR and verdict.hold_reason != "word list":
            # A pair room has no moderator to review a hold: the boundaries policy refuses it.
            return ChatError(
                "boundaries",
                _("Please keep contact details out of chat (%(what)s): talk to your coordinator.")
                % {"what": verdict.hold_reason},
            )
        state, held_reason = MessageState.HELD, verdict.hold_reason
    elif (
        not moderator
        and room.kind != RoomKind.PAIR
        and membership.posted_count < settings.CHAT_NEW_MEMBER_HOLD
    ):
        state, held_reason = MessageState.HELD, "new member"
    if state == MessageState.HELD:
        notices.append("held")
    if verdict.support:
        notices.append("support")
    if verdict.crisis:
        notices.append("crisis")

    message = Message.objects.create(
        room=room,
        author=author,
        body=body,
        client_id=client_id,
        state=state,
        held_reason=held_reason,
        created_at=now,
    )
    membership.last_posted_at = now
    membership.posted_count += 1
    membership.last_read_id = max(membership.last_read_id, message.pk)
    membership.save(
        update_fields=["tokens", "tokens_at", "last_posted_at", "posted_count", "last_read_id"]
    )
    events = []
    if state == MessageState.VISIBLE:
        message.author = author
        events.append(
            (f"room.{room.pk}", {"type": "chat.message", "message": message_payload(message)})
        )
    if verdict.crisis:
        events.extend(_alert_moderators(room=room, message=message))
    return PostResult(message=message, notices=notices, events=events)


def _alert_moderators(*, room: Room, message: Message) -> list[tuple[str, dict]]:
    """Crisis words: moderators get an alert in the log and, if online, on their screens."""
    ModerationAction.objects.create(
        room=room,
        actor=None,
        action="crisis.alert",
        subject=message.author,
        message=message,
        reason="crisis words",
    )
    moderator_ids = Membership.objects.filter(room=room, role=MemberRole.MODERATOR).values_list(
        "user_id", flat=True
    )
    return [
        (f"user.{user_id}", {"type": "chat.alert", "room": room.pk, "message": message.pk})
        for user_id in moderator_ids
    ]


# --- Own messages -------------------------------------------------------------------------------


@transaction.atomic
def edit_message(*, message: Message, by: User, body: str) -> Message:
    """The author changes their message within CHAT_EDIT_SECONDS; the old text is kept."""
    body = _clean_body(body)
    message = Message.objects.select_for_update().select_related("author").get(pk=message.pk)
    if message.author_id != by.pk or message.state not in (
        MessageState.VISIBLE,
        MessageState.HELD,
    ):
        raise PermissionDenied
    if timezone.now() - message.created_at > timedelta(seconds=settings.CHAT_EDIT_SECONDS):
        raise ChatError("too_late", _("Messages can only be changed in the first 5 minutes."))
    room = Room.objects.get(pk=message.room_id)
    if room.read_only:
        raise ChatError("read_only", _("This room is read-only."))
    verdict = filters.check(body, active_filters(), _support_numbers())
    if verdict.block:
        raise ChatError("blocked", _("This change was not saved: it breaks the group's rules."))
    MessageRevision.objects.create(message=message, body=message.body)
    was_visible = message.state == MessageState.VISIBLE
    message.body, message.edited_at = body, timezone.now()
    if verdict.hold_reason:
        message.state, message.held_reason = MessageState.HELD, verdict.hold_reason
    message.save(update_fields=["body", "edited_at", "state", "held_reason"])
    if message.state == MessageState.VISIBLE:
        _send_after_commit(
            f"room.{message.room_id}",
            {"type": "chat.edited", "message": message_payload(message)},
        )
    elif was_visible:
        _broadcast_removed(message)
    return message


@transaction.atomic
def delete_own_message(*, message: Message, by: User) -> None:
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.author_id != by.pk or message.state == MessageState.DELETED:
        raise PermissionDenied
    message.state = MessageState.DELETED
    message.save(update_fields=["state"])
    _broadcast_removed(message)


# --- Reading ------------------------------------------------------------------------------------


def mark_read(*, membership: Membership, up_to: int) -> None:
    """Move the read position forward (never back). One query."""
    Membership.objects.filter(pk=membership.pk, last_read_id__lt=up_to).update(last_read_id=up_to)


def latest_visible_id(room_id: int) -> int:
    return (
        Message.objects.filter(room_id=room_id, state=MessageState.VISIBLE)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )


def messages_after(*, room_id: int, after: int, limit: int = 200) -> list[dict]:
    """Visible messages after id ``after``, oldest first (what a reconnecting client missed)."""
    rows = (
        Message.objects.filter(room_id=room_id, state=MessageState.VISIBLE, id__gt=after)
        .select_related("author")
        .order_by("id")[:limit]
    )
    return [message_payload(m) for m in rows]


# --- Reports and moderation of messages ---------------------------------------------------------


@transaction.atomic
def report_message(*, message: Message, by: User, reason: str) -> Report:
    """A member reports a message; enough distinct reporters hide it until a moderator looks."""
    reason = _require_reason(reason)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if not Membership.objects.filter(room_id=message.room_id, user=by).exists():
        raise PermissionDenied
    if message.author_id == by.pk:
        raise ValidationError({"reason": _("You cannot report your own message; delete it.")})
    report, _created = Report.objects.get_or_create(
        message=message, reporter=by, defaults={"reason": reason}
    )
    reporters = Report.objects.filter(message=message, resolved_at=None).count()
    if message.state == MessageState.VISIBLE and reporters >= settings.CHAT_REPORTS_TO_HIDE:
        message.state, message.hidden_by_reports = MessageState.HIDDEN, True
        message.save(update_fields=["state", "hidden_by_reports"])
        _log(
            room=message.room,
            actor=None,
            action="message.hidden_by_reports",
            subject=message.author,
            message=message,
            reason=f"{reporters} reports",
        )
        _broadcast_removed(message)
    audit.record(actor=by, action="chat.message.reported", target=message, summary="report")
    return report


MESSAGE_ACTIONS = {"hide", "restore", "approve", "delete"}


@transaction.atomic
def moderate_message(*, message: Message, by: User, action: str, reason: str) -> Message:
    """A room moderator hides, restores, approves (a held message) or deletes a message."""
    if action not in MESSAGE_ACTIONS:
        raise ValidationError({"action": _("Please choose what to do.")})
    reason = _require_reason(reason)
    message = (
        Message.objects.select_for_update().select_related("author", "room").get(pk=message.pk)
    )
    _require_moderator(message.room, by)
    was_visible = message.state == MessageState.VISIBLE
    message.state = {
        "hide": MessageState.HIDDEN,
        "restore": MessageState.VISIBLE,
        "approve": MessageState.VISIBLE,
        "delete": MessageState.DELETED,
    }[action]
    message.hidden_by_reports = False
    message.save(update_fields=["state", "hidden_by_reports"])
    Report.objects.filter(message=message, resolved_at=None).update(
        resolved_at=timezone.now(), resolved_by=by
    )
    _log(
        room=message.room,
        actor=by,
        action=f"message.{action}",
        subject=message.author,
        message=message,
        reason=reason,
    )
    if was_visible and message.state != MessageState.VISIBLE:
        _broadcast_removed(message)
    elif not was_visible and message.state == MessageState.VISIBLE:
        _broadcast_message(message)
    return message


@transaction.atomic
def dismiss_reports(*, message: Message, by: User, reason: str) -> None:
    reason = _require_reason(reason)
    _require_moderator(message.room, by)
    Report.objects.filter(message=message, resolved_at=None).update(
        resolved_at=timezone.now(), resolved_by=by
    )
    _log(
        room=message.room,
        actor=by,
        action="reports.dismissed",
        subject=message.author,
        message=message,
        reason=reason,
    )


def concern_from_message(*, message: Message, by: User, summary: str):
    """A room moderator raises a safeguarding concern about a message's author."""
    from safeguarding.models import Source
    from safeguarding.services import raise_concern

    _require_moderator(message.room, by)
    with transaction.atomic():
        concern = raise_concern(
            raised_by=by,
            summary=summary,
            subject=message.author,
            source=Source.CHAT_MESSAGE,
            source_ref=f"message:{message.pk}",
        )
        _log(
            room=message.room,
            actor=by,
            action="concern.raised",
            subject=message.author,
            message=message,
            reason=_("safeguarding concern raised"),
        )
    return concern


# --- Sanctions ----------------------------------------------------------------------------------


def next_sanction(*, room: Room, user: User) -> str:
    """The next step on the ladder (warning → timed mute → removal) for this person here."""
    latest = Sanction.objects.filter(room=room, user=user).values_list("level", flat=True).first()
    return next_sanction_after(latest)


def next_sanction_after(latest: str | None) -> str:
    if latest is None:
        return LADDER[0]
    if latest in LADDER:
        return LADDER[min(LADDER.index(latest) + 1, len(LADDER) - 1)]
    return SanctionLevel.REMOVAL


@transaction.atomic
def sanction_member(
    *, room: Room, user: User, by: User, level: str, reason: str, minutes: int = 0
) -> Sanction:
    """Warn, mute for ``minutes``, remove or ban a member. Removal and ban close their sockets."""
    if level not in SanctionLevel.values:
        raise ValidationError({"level": _("Please choose a step.")})
    reason = _require_reason(reason)
    _require_moderator(room, by)
    if user.pk == by.pk:
        raise ValidationError({"level": _("You cannot sanction yourself.")})
    membership = Membership.objects.select_for_update().filter(room=room, user=user).first()
    if membership is None and level != SanctionLevel.BAN:
        raise ValidationError({"level": _("That person is not in this room.")})
    until = None
    if level == SanctionLevel.MUTE:
        if not 1 <= minutes <= 60 * 24 * 30:
            raise ValidationError({"minutes": _("Mute for between 1 minute and 30 days.")})
        until = timezone.now() + timedelta(minutes=minutes)
        membership.muted_until = until
        membership.save(update_fields=["muted_until"])
    elif level in (SanctionLevel.REMOVAL, SanctionLevel.BAN):
        if membership is not None:
            membership.delete()
        if level == SanctionLevel.BAN:
            Ban.objects.update_or_create(room=room, user=user, defaults={"reason": reason})
        _kick(room, user, level)
    sanction = Sanction.objects.create(
        room=room, user=user, level=level, reason=reason, until=until, by=by
    )
    _log(room=room, actor=by, action=f"member.{level}", subject=user, reason=reason)
    return sanction


@transaction.atomic
def lift_mute(*, room: Room, user: User, by: User, reason: str) -> None:
    reason = _require_reason(reason)
    _require_moderator(room, by)
    Membership.objects.filter(room=room, user=user).update(muted_until=None)
    _log(room=room, actor=by, action="member.unmuted", subject=user, reason=reason)


@transaction.atomic
def lift_ban(*, room: Room, user: User, by: User, reason: str) -> None:
    reason = _require_reason(reason)
    _require_moderator(room, by)
    Ban.objects.filter(room=room, user=user).delete()
    _log(room=room, actor=by, action="member.unbanned", subject=user, reason=reason)


# --- Room settings, membership ------------------------------------------------------------------


@transaction.atomic
def update_room_settings(
    *,
    room: Room,
    by: User,
    reason: str,
    locked: bool | None = None,
    slow_mode_seconds: int | None = None,
    meeting_mode: bool | None = None,
) -> Room:
    """Lock/unlock, slow mode and meeting mode. The one switching meeting mode on chairs it."""
    reason = _require_reason(reason)
    room = Room.objects.select_for_update().get(pk=room.pk)
    _require_moderator(room, by)
    changes = []
    if locked is not None and locked != room.locked:
        room.locked = locked
        changes.append("locked" if locked else "unlocked")
    if slow_mode_seconds is not None and slow_mode_seconds != room.slow_mode_seconds:
        if not 0 <= slow_mode_seconds <= 3600:
            raise ValidationError({"slow_mode_seconds": _("Choose between 0 and 3600 seconds.")})
        room.slow_mode_seconds = slow_mode_seconds
        changes.append(f"slow mode {slow_mode_seconds}s")
    if meeting_mode is not None and meeting_mode != room.meeting_mode:
        room.meeting_mode = meeting_mode
        room.chair = by if meeting_mode else None
        room.floor_holder = None
        Membership.objects.filter(room=room).update(hand_raised_at=None)
        changes.append("meeting mode on" if meeting_mode else "meeting mode off")
    room.save()
    for change in changes:
        action = f"room.{change.split(' ')[0]}"
        _log(room=room, actor=by, action=action, reason=f"{change}: {reason}")
    if changes:
        _broadcast_room(room)
    return room


@transaction.atomic
def raise_hand(*, membership: Membership, raised: bool) -> None:
    room = membership.room
    if not room.meeting_mode:
        raise ChatError("no_meeting", _("This room is not in a meeting just now."))
    Membership.objects.filter(pk=membership.pk).update(
        hand_raised_at=timezone.now() if raised else None
    )
    _send_after_commit(
        f"room.{room.pk}",
        {"type": "chat.hand", "user": membership.user_id, "raised": raised},
    )


@transaction.atomic
def give_floor(*, room: Room, by: User, to: User | None) -> Room:
    """The chair gives the floor to a member (or takes it back with ``to=None``)."""
    room = Room.objects.select_for_update().get(pk=room.pk)
    if not room.meeting_mode or room.chair_id != by.pk:
        raise PermissionDenied
    if to is not None:
        if not Membership.objects.filter(room=room, user=to).exists():
            raise ValidationError({"user": _("That person is not in this room.")})
        Membership.objects.filter(room=room, user=to).update(hand_raised_at=None)
    room.floor_holder = to
    room.save(update_fields=["floor_holder"])
    _log(room=room, actor=by, action="room.floor", subject=to, reason="floor given")
    _broadcast_room(room)
    return room


@transaction.atomic
def create_room(
    *,
    by: User,
    name: str,
    kind: str = RoomKind.PEER_SUPPORT,
    is_open: bool = False,
    description: str = "",
) -> Room:
    from chat.permissions import can_manage_rooms

    if not can_manage_rooms(by):
        raise PermissionDenied
    if kind not in (RoomKind.PEER_SUPPORT, RoomKind.SUPERVISION):
        raise ValidationError({"kind": _("Choose a peer support or a supervision group.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Please give the group a name.")})
    room = Room.objects.create(
        name=name[:80],
        kind=kind,
        is_open=is_open and kind == RoomKind.PEER_SUPPORT,
        description=description[:300],
    )
    audit.record(actor=by, action="chat.room.created", target=room, summary=kind)
    return room


SUPERVISION_ROLES = (Role.PEER_MENTOR, Role.COORDINATOR)


@transaction.atomic
def add_member(*, room: Room, user: User, by: User, role: str = MemberRole.MEMBER) -> Membership:
    """Coordinators (and the room's moderators) add people; supervision groups take only peer
    mentors and coordinators; moderators must hold the site's moderator or coordinator role."""
    from chat.permissions import can_manage_rooms

    is_room_mod = Membership.objects.filter(room=room, user=by, role=MemberRole.MODERATOR).exists()
    if not (can_manage_rooms(by) or is_room_mod) or room.kind == RoomKind.PAIR:
        raise PermissionDenied
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose member or moderator.")})
    if room.kind == RoomKind.SUPERVISION and not user.has_role(*SUPERVISION_ROLES):
        raise ValidationError({"email": _("Supervision groups are for peer mentors and staff.")})
    if role == MemberRole.MODERATOR and not user.has_role(Role.MODERATOR, Role.COORDINATOR):
        raise ValidationError({"role": _("Only moderators and coordinators can moderate.")})
    if Ban.objects.filter(room=room, user=user).exists():
        raise ValidationError({"email": _("That person is banned from this room.")})
    membership, _created = Membership.objects.update_or_create(
        room=room, user=user, defaults={"role": role}
    )
    _log(room=room, actor=by, action="member.added", subject=user, reason=role)
    return membership


@transaction.atomic
def join_room(*, room: Room, user: User) -> Membership:
    """Join an open peer support group (access_joinable_room checked bans)."""
    if not room.is_open or Ban.objects.filter(room=room, user=user).exists():
        raise PermissionDenied
    membership, _created = Membership.objects.get_or_create(room=room, user=user)
    return membership


@transaction.atomic
def leave_room(*, membership: Membership) -> None:
    membership.delete()


# --- Taking a break -----------------------------------------------------------------------------


BREAK_CHOICES_MINUTES = (60, 60 * 24, 60 * 24 * 7)


@transaction.atomic
def take_break(*, user: User, room: Room | None, minutes: int) -> ChatBreak:
    """Quiet a room (or all chat) for a while: no unread counts, a reminder on the room page."""
    if minutes not in BREAK_CHOICES_MINUTES:
        raise ValidationError({"minutes": _("Please choose how long.")})
    if room is not None and not Membership.objects.filter(room=room, user=user).exists():
        raise PermissionDenied
    until = timezone.now() + timedelta(minutes=minutes)
    chat_break, _created = ChatBreak.objects.update_or_create(
        user=user, room=room, defaults={"until": until}
    )
    return chat_break


def end_break(*, user: User, room: Room | None) -> None:
    ChatBreak.objects.filter(user=user, room=room).delete()


def on_break(user: User, room_id: int | None = None) -> bool:
    q = Q(room=None) | Q(room_id=room_id) if room_id else Q(room=None)
    return ChatBreak.objects.filter(q, user=user, until__gt=timezone.now()).exists()


# --- Pair rooms (mentoring's signals) -----------------------------------------------------------


@transaction.atomic
def open_pair_room(*, match_id: int, mentor_id: int, mentee_id: int) -> Room | None:
    """A match became active (or resumed): its room opens with both people in it."""
    people = {u.pk: u for u in User.objects.filter(pk__in=[mentor_id, mentee_id])}
    if len(people) != 2:
        logger.warning("pair room for match %s: a person is missing", match_id)
        return None
    room, created = Room.objects.select_for_update().get_or_create(
        match_id=match_id,
        defaults={
            "name": _("%(a)s and %(b)s")
            % {"a": people[mentor_id].display_name, "b": people[mentee_id].display_name},
            "kind": RoomKind.PAIR,
        },
    )
    if room.closed_at is not None:
        room.closed_at = None
        room.save(update_fields=["closed_at"])
    for user_id in (mentor_id, mentee_id):
        Membership.objects.get_or_create(room=room, user_id=user_id)
    if created:
        audit.record(actor=None, action="chat.pair_room.opened", target=room, summary="match")
    _broadcast_room(room)
    return room


@transaction.atomic
def close_pair_room(*, match_id: int, reason: str = "") -> None:
    """A match ended: its room stays readable by both people but takes no new messages."""
    room = Room.objects.select_for_update().filter(match_id=match_id).first()
    if room is None or room.closed_at is not None:
        return
    room.closed_at = timezone.now()
    room.save(update_fields=["closed_at"])
    audit.record(actor=None, action="chat.pair_room.closed", target=room, summary=reason[:60])
    _broadcast_room(room)


# --- Lists --------------------------------------------------------------------------------------


def reports_waiting(user: User) -> int:
    """Messages with open reports or held, in rooms the person moderates. One query."""
    return (
        Message.objects.filter(
            room__memberships__user=user, room__memberships__role=MemberRole.MODERATOR
        )
        .filter(Q(state=MessageState.HELD) | Q(reports__resolved_at=None, reports__isnull=False))
        .exclude(state=MessageState.DELETED)
        .aggregate(n=Count("id", distinct=True))["n"]
    )
