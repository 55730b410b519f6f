"""Actions in chat. Each checks who may do it, changes state in a transaction, records moderation
in the room's log and the audit trail, and broadcasts only after the transaction commits.

Persist first, then broadcast (TRUST.md 1): a message that reached any screen is in the database,
and a broadcast that fails (the channel layer is not reliable) is made good by the client's resume.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from chat.models import (
    Membership,
    Message,
    MessageChange,
    MessageState,
    ModerationAction,
    Room,
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


def message_event(message: Message) -> dict:
    """The channel-layer event for a visible message. The client frame is encoded once here, not
    once per receiving socket (a 50-member room would otherwise encode it 50 times)."""
    frame = json.dumps({"type": "message", "message": message_payload(message)})
    return {"type": "chat.message", "id": message.pk, "frame": frame}


def moderators_group(room_id: int) -> str:
    """The group of a room's moderators' sockets (the consumer adds only moderators to it): held
    messages go there, never to ``room.<id>``."""
    return f"room.{room_id}.moderators"


def held_reason_words(held_reason: str) -> str:
    """Why a message waits for a moderator, in plain words: "held: a phone number". The filters'
    own reasons ("a phone number", "an e-mail address", "a link", ...) are already plain."""
    why = {
        "new member": _("a new member's first messages"),
        "word list": _("a word or phrase on the word list"),
        "": _("to be looked at"),
    }.get(held_reason, held_reason)
    return _("held: %(why)s") % {"why": why}


def held_event(message: Message) -> dict:
    """The channel-layer event that shows a held message to the room's moderators, live (for
    their group only). ``author`` must be loaded."""
    payload = {
        **message_payload(message),
        "state": message.state,
        "reason": held_reason_words(message.held_reason),
    }
    frame = json.dumps({"type": "held", "message": payload})
    return {"type": "chat.held", "id": message.pk, "frame": frame}


def held_decided_event(message: Message) -> dict:
    """Tells the room's moderators that a held message was hidden or deleted (approving it is a
    change the whole room hears): their screens take it off."""
    frame = json.dumps({"type": "held_decided", "id": message.pk, "state": message.state})
    return {"type": "chat.held", "id": message.pk, "frame": frame}


def change_frame(change_id: int, message: Message) -> dict:
    """What a client is told of a changed message: its state now, shown or gone."""
    if message.state == MessageState.VISIBLE:
        return {"type": "message", "message": message_payload(message), "change": change_id}
    return {"type": "removed", "id": message.pk, "change": change_id}


def _message_changed(message: Message) -> None:
    """Record that a message already in the room was approved, restored, hidden, deleted or
    edited, and tell the room's live sockets once that is committed.

    Call it inside the transaction that changed ``message`` (``author`` loaded if it is shown).
    """
    # Take the room's row, as posting does, so changes commit in the order of their ids and a
    # client resuming after the last change it saw cannot miss an earlier one committed later.
    list(Room.objects.select_for_update(no_key=True).filter(pk=message.room_id).values("pk"))
    change = MessageChange.objects.create(room_id=message.room_id, message=message)
    frame = json.dumps(change_frame(change.pk, message))
    event = {"type": "chat.change", "change": change.pk, "message": message.pk, "frame": frame}
    _send_after_commit(f"room.{message.room_id}", event)


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
