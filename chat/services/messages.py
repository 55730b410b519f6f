"""A member's own messages (change, delete) and reading: read marks and what was missed."""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import BigIntegerField, F, Max, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from chat import filters
from chat.models import (
    Membership,
    Message,
    MessageChange,
    MessageRevision,
    MessageState,
    Room,
)
from chat.services.base import (
    ChatError,
    _message_changed,
    change_frame,
    held_event,
    message_payload,
)
from chat.services.posting import _clean_body, _keep_blocked
from chat.services.word_lists import _support_numbers, active_filters

# --- Own messages -------------------------------------------------------------------------------


def edit_message(*, message: Message, by: User, body: str) -> Message:
    """The author changes their message within CHAT_EDIT_SECONDS; the old text is kept."""
    body = _clean_body(body)
    result = _edit(message=message, by=by, body=body)
    if isinstance(result, ChatError):
        raise result
    return result


@transaction.atomic
def _edit(*, message: Message, by: User, body: str) -> Message | ChatError:
    # A refusal is returned, not raised, so the blocked attempt it keeps is committed.
    message = (
        Message.objects.select_for_update(of=("self",)).select_related("author").get(pk=message.pk)
    )
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
        _keep_blocked(room=room, author=by, body=body, verdict=verdict)
        return ChatError("blocked", _("This change was not saved: it breaks the group's rules."))
    MessageRevision.objects.create(message=message, body=message.body)
    was_visible = message.state == MessageState.VISIBLE
    message.body, message.edited_at = body, timezone.now()
    if verdict.hold_reason:
        message.state, message.held_reason = MessageState.HELD, verdict.hold_reason
    message.save(update_fields=["body", "edited_at", "state", "held_reason"])
    if message.state == MessageState.VISIBLE or was_visible:
        _message_changed(message)
    return message


@transaction.atomic
def delete_own_message(*, message: Message, by: User) -> None:
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.author_id != by.pk or message.state == MessageState.DELETED:
        raise PermissionDenied
    message.state = MessageState.DELETED
    message.save(update_fields=["state"])
    _message_changed(message)


# --- Reading ------------------------------------------------------------------------------------


def mark_read(*, membership: Membership, up_to: int) -> None:
    """Move the read position forward (never back), to ``up_to`` or the room's newest message
    if that is lower (a position past the newest would hide the next messages from the unread
    count). One query."""
    newest = (
        Message.objects.filter(room_id=membership.room_id)
        .order_by()
        .values("room_id")
        .annotate(top=Max("id"))
        .values("top")
    )
    big = BigIntegerField()
    target = Least(
        Value(min(up_to, 2**63 - 1), output_field=big),
        Coalesce(Subquery(newest, output_field=big), Value(0, output_field=big)),
    )
    Membership.objects.filter(pk=membership.pk).update(
        last_read_id=Greatest(F("last_read_id"), target)
    )


def latest_visible_id(room_id: int) -> int:
    return (
        Message.objects.filter(room_id=room_id, state=MessageState.VISIBLE)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )


def latest_change_id(room_id: int) -> int:
    return (
        MessageChange.objects.filter(room_id=room_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )


def changes_after(
    *, room_id: int, after: int, limit: int = 200
) -> tuple[list[tuple[int, int, str]], int]:
    """Up to ``limit`` changes after change id ``after``: their (change id, message id, client
    frame) oldest first, and the last change id they cover.

    A client that was away gets each changed message's state now (shown or gone), once per
    message: only its latest change in the batch is sent. Two queries.
    """
    rows = list(
        MessageChange.objects.filter(room_id=room_id, id__gt=after)
        .order_by("id")
        .values_list("id", "message_id")[:limit]
    )
    latest = {message_id: change_id for change_id, message_id in rows}
    messages = Message.objects.select_related("author").in_bulk(list(latest))
    return [
        (change_id, message_id, json.dumps(change_frame(change_id, messages[message_id])))
        for message_id, change_id in sorted(latest.items(), key=lambda item: item[1])
        if message_id in messages
    ], (rows[-1][0] if rows else after)


def messages_after(*, room_id: int, after: int, limit: int = 200) -> list[dict]:
    """Visible messages after id ``after``, oldest first (what a reconnecting client missed)."""
    rows = (
        Message.objects.filter(room_id=room_id, state=MessageState.VISIBLE, id__gt=after)
        .select_related("author")
        .order_by("id")[:limit]
    )
    return [message_payload(m) for m in rows]


def held_after(*, room_id: int, after: int, limit: int = 200) -> list[str]:
    """The ``held`` frames of messages still waiting for a moderator with an id after ``after``,
    oldest first: what a moderator's screen missed while away (ids only grow, so one held while
    they were away has a larger id than the last message they saw). For moderators only: the
    caller checks. One query."""
    rows = (
        Message.objects.filter(room_id=room_id, state=MessageState.HELD, id__gt=after)
        .select_related("author")
        .order_by("id")[:limit]
    )
    return [held_event(m)["frame"] for m in rows]
