"""Posting a message: checks, the word lists and the boundaries policy, then save and send."""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from chat import filters
from chat.models import (
    MAX_BODY,
    BlockedAttempt,
    Membership,
    Message,
    MessageState,
    Room,
    RoomKind,
)
from chat.services.base import (
    ChatError,
    PostResult,
    _log,
    _send_after_commit,
    held_event,
    message_event,
    moderators_group,
)
from chat.services.word_lists import _support_numbers, active_filters

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
        raise ChatError("malformed", _("A message must be text."))
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
    message and broadcasts it again, in case its first broadcast never went), read-only, mute,
    meeting mode, slow mode, rate limit, word filters and the boundaries policy, new members'
    first messages. Broadcast after commit: a
    visible message to the room, a held one to the room's moderators only. With
    ``broadcast=False`` the caller sends ``result.events`` itself (the websocket consumer does, on
    its own event loop, once this has returned and so committed).
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


# The fields of the room that posting reads, fetched with the membership in one statement.
_ROOM_FIELDS = (
    "name",
    "kind",
    "locked",
    "closed_at",
    "slow_mode_seconds",
    "meeting_mode",
    "chair",
    "floor_holder",
)


@functools.cache
def _membership_for_post_sql(vendor: str, lock: bool = True) -> str:
    """One statement: the member's row, their room's, and whether this client id was used before.

    With ``lock`` it locks both rows (the room's too: posts in a room are serialised, so ids commit
    in the order they were taken and a client resuming after the last id it saw cannot miss an
    earlier one committed later). Written by hand because it is the hottest query of chat: built by
    the ORM (select_related, a Subquery annotation, select_for_update) it cost 3.7 ms of CPU per
    message against 0.8 ms for the same SQL through Manager.raw(), measured under
    bench/chat_load.py's ceiling, where CPU per message is what runs out.
    """
    qn = connection.ops.quote_name
    membership, room, message = Membership._meta, Room._meta, Message._meta
    room_columns = ", ".join(
        f"r.{qn(room.get_field(name).column)} AS {qn('room_' + name)}" for name in _ROOM_FIELDS
    )
    lock_sql = ""
    if lock and connection.features.has_select_for_update:
        lock_sql = " " + connection.ops.for_update_sql(no_key=True)
    # Only quoted identifiers from the models' _meta go into the text; values are parameters.
    return (
        f"SELECT m.*, {room_columns}, "  # noqa: S608
        f"(SELECT x.{qn('id')} FROM {qn(message.db_table)} x WHERE x.{qn('author_id')} = %s "
        f"AND x.{qn('client_id')} = %s AND x.{qn('client_id')} <> '' LIMIT 1) AS retried_id "
        f"FROM {qn(membership.db_table)} m JOIN {qn(room.db_table)} r ON r.{qn('id')} = "
        f"m.{qn('room_id')} WHERE m.{qn('room_id')} = %s AND m.{qn('user_id')} = %s{lock_sql}"
    )


def _membership_for_post(
    *, room_id: int, author: User, client_id: str, lock: bool = True
) -> Membership | None:
    """The author's membership of the room, with ``.room`` and ``.retried_id`` (the id of their
    message with this client id, if any). Locked (``lock``): call inside a transaction."""
    sql = _membership_for_post_sql(connection.vendor, lock)
    rows = Membership.objects.raw(sql, [author.pk, client_id, room_id, author.pk])
    membership = next(iter(rows), None)
    if membership is None:
        return None
    values = {}
    for name in _ROOM_FIELDS:
        # The same conversions the ORM applies (SQLite hands back text and 0/1, for example).
        field = Room._meta.get_field(name)
        value = getattr(membership, f"room_{name}")
        column = field.get_col(Room._meta.db_table)
        for converter in connection.ops.get_db_converters(column) + column.get_db_converters(
            connection
        ):
            value = converter(value, column, connection)
        values[field.attname] = value
    membership.room = Room(id=room_id, **values)
    return membership


_MESSAGE_FIELDS = (
    "room",
    "author",
    "body",
    "client_id",
    "state",
    "held_reason",
    "created_at",
    "hidden_by_reports",
)
_MEMBERSHIP_FIELDS = ("tokens", "tokens_at", "last_posted_at", "posted_count", "last_read_id")


@functools.cache
def _save_post_sql(vendor: str) -> tuple[str, str]:
    qn = connection.ops.quote_name
    columns = [qn(Message._meta.get_field(name).column) for name in _MESSAGE_FIELDS]
    insert = (
        f"INSERT INTO {qn(Message._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    if connection.features.can_return_columns_from_insert:
        insert += f" RETURNING {qn('id')}"
    assignments = ", ".join(
        f"{qn(Membership._meta.get_field(name).column)} = %s" for name in _MEMBERSHIP_FIELDS
    )
    update = f"UPDATE {qn(Membership._meta.db_table)} SET {assignments} WHERE {qn('id')} = %s"  # noqa: S608
    return insert, update


def _save_post(*, message: Message, membership: Membership) -> None:
    """Insert ``message`` and save the author's membership (tokens, counts, read position).

    The same two statements ``message.save()`` and ``membership.save(update_fields=…)`` would send,
    with values prepared by the fields themselves, without building the queries every time:
    about 1 ms of CPU per message less, which is what the chat's ceiling is made of.
    """
    insert, update = _save_post_sql(connection.vendor)

    def prepared(instance, names):
        return [
            field.get_db_prep_save(getattr(instance, field.attname), connection)
            for field in (instance._meta.get_field(name) for name in names)
        ]

    with connection.cursor() as cursor:
        cursor.execute(insert, prepared(message, _MESSAGE_FIELDS))
        if connection.features.can_return_columns_from_insert:
            message.pk = cursor.fetchone()[0]
        else:
            message.pk = connection.ops.last_insert_id(cursor, Message._meta.db_table, "id")
        message._state.adding, message._state.db = False, connection.alias
        membership.last_read_id = max(membership.last_read_id, message.pk)
        cursor.execute(update, [*prepared(membership, _MEMBERSHIP_FIELDS), membership.pk])


@dataclass
class _Decision:
    """What the checks decided for one post: a refusal, or the state to save the message in."""

    verdict: filters.Verdict | None = None
    refusal: ChatError | None = None
    state: str = MessageState.VISIBLE
    held_reason: str = ""
    notices: list[str] = field(default_factory=list)


def _decide(*, membership: Membership, author: User, body: str, now) -> _Decision:
    """The checks, in order, against the membership and room as read. Takes a token from the
    membership's bucket (in memory: the caller saves it). Changes nothing in the database."""
    room = membership.room
    moderator = membership.is_moderator
    if room.closed_at is not None:
        return _Decision(
            refusal=ChatError("read_only", _("This room has closed. You can still read it."))
        )
    if room.locked and not moderator:
        return _Decision(
            refusal=ChatError("read_only", _("A moderator has made this room read-only for now."))
        )
    if membership.muted_until and membership.muted_until > now:
        return _Decision(
            refusal=ChatError(
                "muted",
                _("A moderator has paused your messages here until %(time)s.")
                % {"time": timezone.localtime(membership.muted_until).strftime("%H:%M")},
                retry_after=(membership.muted_until - now).total_seconds(),
            )
        )
    if room.meeting_mode and author.pk not in (room.chair_id, room.floor_holder_id):
        return _Decision(
            refusal=ChatError(
                "not_your_turn",
                _("This is a meeting: raise your hand and the chair will give you the floor."),
            )
        )
    if room.slow_mode_seconds and not moderator and membership.last_posted_at:
        wait = room.slow_mode_seconds - (now - membership.last_posted_at).total_seconds()
        if wait > 0:
            return _Decision(
                refusal=ChatError(
                    "slow_mode",
                    _("Slow mode is on: you can post again in %(n)s seconds.")
                    % {"n": int(wait) + 1},
                    retry_after=wait,
                )
            )
    wait = _take_token(membership, now)
    if wait is not None:
        return _Decision(
            refusal=ChatError(
                "rate_limited",
                _("That is a lot of messages at once. Please wait a moment."),
                retry_after=wait,
            )
        )

    verdict = filters.check(body, active_filters(), _support_numbers())
    if verdict.block:
        return _Decision(
            verdict=verdict,
            refusal=ChatError(
                "blocked",
                _("This message was not sent: it looks like it breaks the group's rules."),
            ),
        )
    decision = _Decision(verdict=verdict)
    if verdict.hold_reason:
        if room.kind == RoomKind.PAIR and verdict.hold_reason != "word list":
            # A pair room has no moderator to review a hold: the boundaries policy refuses it.
            decision.refusal = ChatError(
                "boundaries",
                _("Please keep contact details out of chat (%(what)s): talk to your coordinator.")
                % {"what": verdict.hold_reason},
            )
            return decision
        decision.state, decision.held_reason = MessageState.HELD, verdict.hold_reason
    elif (
        not moderator
        and room.kind != RoomKind.PAIR
        and membership.posted_count < settings.CHAT_NEW_MEMBER_HOLD
    ):
        decision.state, decision.held_reason = MessageState.HELD, "new member"
    if decision.state == MessageState.HELD:
        decision.notices.append("held")
    if verdict.support:
        decision.notices.append("support")
    if verdict.crisis:
        decision.notices.append("crisis")
    return decision


def _new_message(*, membership: Membership, author: User, body: str, client_id: str, now, decision):
    membership.last_posted_at = now
    membership.posted_count += 1
    return Message(
        room=membership.room,
        author=author,
        body=body,
        client_id=client_id,
        state=decision.state,
        held_reason=decision.held_reason,
        created_at=now,
    )


def _post(*, room_id: int, author: User, body: str, client_id: str) -> PostResult | ChatError:
    if connection.vendor == "postgresql":
        result = _post_in_one_statement(
            room_id=room_id, author=author, body=body, client_id=client_id
        )
        if result is not None:
            return result
    return _post_locked(room_id=room_id, author=author, body=body, client_id=client_id)


@transaction.atomic
def _post_locked(
    *, room_id: int, author: User, body: str, client_id: str
) -> PostResult | ChatError:
    # Refusals are returned, not raised, so what they record (the token taken, a blocked
    # message in the log) is committed.
    membership = _membership_for_post(room_id=room_id, author=author, client_id=client_id)
    if membership is None or not author.is_active:
        return ChatError("not_member", _("You are not in this room."))
    room = membership.room
    if membership.retried_id:
        existing = Message.objects.get(pk=membership.retried_id)
        if existing.room_id != room_id:
            return ChatError("malformed", _("That message id was used in another room."))
        existing.author = author
        return PostResult(message=existing, duplicate=True, events=_events_again(existing))
    now = timezone.now()
    decision = _decide(membership=membership, author=author, body=body, now=now)
    if decision.refusal is not None:
        if decision.refusal.code == "blocked":
            _keep_blocked(room=room, author=author, body=body, verdict=decision.verdict)
        if decision.refusal.code in ("rate_limited", "blocked"):
            membership.save(update_fields=["tokens", "tokens_at"])
        return decision.refusal
    message = _new_message(
        membership=membership,
        author=author,
        body=body,
        client_id=client_id,
        now=now,
        decision=decision,
    )
    _save_post(message=message, membership=membership)
    events = []
    message.author = author
    if message.state == MessageState.VISIBLE:
        events.append((f"room.{room.pk}", message_event(message)))
    else:
        # Held: to the room's moderators' own group only, never to the members.
        events.append((moderators_group(room.pk), held_event(message)))
    if decision.verdict.crisis:
        events.extend(_alert_moderators(room=room, message=message))
    return PostResult(message=message, notices=decision.notices, events=events)


def _events_again(message: Message) -> list[tuple[str, dict]]:
    """A retried post that was stored already is broadcast again, as it is now: its first
    broadcast may never have gone (the server process died between the commit and the send,
    and the author's page re-sends what was never acknowledged), and members who saw later
    messages would not get it from a resume either. Sockets that have it pass it over (the
    consumer sends an id once per connection). ``author`` must be loaded."""
    if message.state == MessageState.VISIBLE:
        return [(f"room.{message.room_id}", message_event(message))]
    if message.state == MessageState.HELD:
        return [(moderators_group(message.room_id), held_event(message))]
    return []  # hidden or deleted since: nothing to show


# What the checks read, compared again in the statement that saves the message: if any changed
# since the (unlocked) read, nothing is saved and the post is checked again under the locks.
_CHECKED_ROOM_FIELDS = (
    "kind",
    "locked",
    "closed_at",
    "slow_mode_seconds",
    "meeting_mode",
    "chair",
    "floor_holder",
)
_CHECKED_MEMBERSHIP_FIELDS = (
    "role",
    "muted_until",
    "tokens",
    "tokens_at",
    "last_posted_at",
    "posted_count",
)


@functools.cache
def _post_in_one_statement_sql(vendor: str) -> str:
    """PostgreSQL: lock the room's row and the member's, check that what the post was decided on
    is unchanged, insert the message and save the membership, in one statement.

    The room's row lock is taken before the message's id is (the INSERT reads from the locked
    row), and the statement commits on its own: ids still commit in the order they were taken,
    and the lock is held for the statement alone, not across round trips from a Python thread
    that has to win the GIL back from the event loop between them.
    """
    qn = connection.ops.quote_name
    room, membership, message = Room._meta, Membership._meta, Message._meta

    def unchanged(meta, names) -> str:
        return " AND ".join(
            f"{qn(meta.get_field(name).column)} IS NOT DISTINCT FROM %s" for name in names
        )

    lock = connection.ops.for_update_sql(no_key=True)
    columns = ", ".join(qn(message.get_field(name).column) for name in _MESSAGE_FIELDS)
    values = ", ".join(["%s"] * len(_MESSAGE_FIELDS))
    assignments = ", ".join(
        f"{qn(membership.get_field(name).column)} = %s"
        for name in _MEMBERSHIP_FIELDS
        if name != "last_read_id"
    )
    read = qn(membership.get_field("last_read_id").column)
    # Only quoted identifiers from the models' _meta go into the text; values are parameters.
    return (
        f"WITH r AS (SELECT {qn('id')} FROM {qn(room.db_table)} "  # noqa: S608
        f"WHERE {qn('id')} = %s AND {unchanged(room, _CHECKED_ROOM_FIELDS)} {lock}), "
        f"m AS (SELECT {qn('id')} FROM {qn(membership.db_table)} "
        f"WHERE {qn('id')} = %s AND {unchanged(membership, _CHECKED_MEMBERSHIP_FIELDS)} {lock}), "
        f"ins AS (INSERT INTO {qn(message.db_table)} ({columns}) SELECT {values} FROM r, m "
        f"RETURNING {qn('id')}), "
        f"upd AS (UPDATE {qn(membership.db_table)} AS mm SET {assignments}, "
        f"{read} = GREATEST(mm.{read}, ins.{qn('id')}) FROM ins WHERE mm.{qn('id')} = %s) "
        f"SELECT {qn('id')} FROM ins"
    )


def _post_in_one_statement(
    *, room_id: int, author: User, body: str, client_id: str
) -> PostResult | None:
    """The common case in two round trips and no transaction held open: read without locks,
    decide, then save in one statement that locks, checks nothing changed, and commits.

    None when the post needs the locked path: a refusal (some record what they refused), a retry
    of a client id, crisis words (they open a crisis item), or a change since the read.
    """
    membership = _membership_for_post(
        room_id=room_id, author=author, client_id=client_id, lock=False
    )
    if membership is None or not author.is_active or membership.retried_id:
        return None
    room = membership.room

    def prepared(instance, names):
        return [
            field.get_db_prep_save(getattr(instance, field.attname), connection)
            for field in (instance._meta.get_field(name) for name in names)
        ]

    # As read, before the decision takes a token from the bucket.
    seen = [
        room_id,
        *prepared(room, _CHECKED_ROOM_FIELDS),
        membership.pk,
        *prepared(membership, _CHECKED_MEMBERSHIP_FIELDS),
    ]
    now = timezone.now()
    decision = _decide(membership=membership, author=author, body=body, now=now)
    if decision.refusal is not None or decision.verdict.crisis:
        return None
    message = _new_message(
        membership=membership,
        author=author,
        body=body,
        client_id=client_id,
        now=now,
        decision=decision,
    )
    saved = [name for name in _MEMBERSHIP_FIELDS if name != "last_read_id"]
    params = [
        *seen,
        *prepared(message, _MESSAGE_FIELDS),
        *prepared(membership, saved),
        membership.pk,
    ]
    sql = _post_in_one_statement_sql(connection.vendor)
    # Inside a caller's transaction, a savepoint keeps a failed insert (a client id raced) from
    # breaking it; on its own (the websocket) the statement is its own transaction.
    inner = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    with inner, connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None  # the room or the membership changed since the read: check again, locked
    message.pk = row[0]
    message._state.adding, message._state.db = False, connection.alias
    membership.last_read_id = max(membership.last_read_id, message.pk)
    events = []
    message.author = author
    if message.state == MessageState.VISIBLE:
        events.append((f"room.{room.pk}", message_event(message)))
    else:
        events.append((moderators_group(room.pk), held_event(message)))
    return PostResult(message=message, notices=decision.notices, events=events)


def _keep_blocked(*, room: Room, author: User, body: str, verdict: filters.Verdict) -> None:
    """Keep a refused message for the room's moderators (the words, and which rule)."""
    rule = ", ".join(verdict.rules)[:200] or "word list"
    BlockedAttempt.objects.create(room=room, author=author, body=body, rule=rule)
    _log(room=room, actor=None, action="message.blocked", subject=author, reason=rule)


def purge_blocked_attempts(*, now) -> int:
    """Delete blocked messages older than CHAT_BLOCKED_KEEP_DAYS (they hold what people wrote)."""
    keep = timedelta(days=getattr(settings, "CHAT_BLOCKED_KEEP_DAYS", 90))
    deleted, _rows = BlockedAttempt.objects.filter(created_at__lt=now - keep).delete()
    return deleted


def _alert_moderators(*, room: Room, message: Message) -> list[tuple[str, dict]]:
    """Crisis words: a crisis item, the people on call told, live alerts (chat.services.crisis)."""
    from chat.services.crisis import open_crisis

    return open_crisis(room=room, message=message)
