"""The room websocket: JSON frames, documented in docs/chat-protocol.md.

Thin: it checks access in the database before joining any group, then calls chat.services for
every action. All database work goes through _db (database_sync_to_async on a bounded pool of
threads), never the sync ORM on the event loop.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for

from asgiref.sync import SyncToAsync
from channels.consumer import get_handler_name
from channels.db import DatabaseSyncToAsync
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, close_old_connections, connections

from accounts.services import session_group, socket_allowed
from chat import services
from chat.permissions import membership_in

logger = logging.getLogger(__name__)

# Close codes (4000-4999 are ours): the client shows a plain message and does not reconnect.
CLOSE_NOT_ALLOWED = 4403
CLOSE_SESSION_ENDED = 4401
CLOSE_TOO_BIG = 1009

# Every frame costs a token from a bucket that refills; a frame without a token gets a
# ``slow_down`` error frame (and is dropped), however long the connection has been open.
FRAME_BURST = 20
FRAME_PER_SECOND = 5.0
RESUME_BATCH = 200
# Ids are 64-bit in the database; a larger number is a malformed frame, not a database error.
MAX_ID = 2**63 - 1

# Who may send a frame type: (frame type, roles=, relation=) -> allowed, or None for a type the
# table has no row for. The access-policy table's rows for this socket (config/policy.py
# SOCKET_POLICY), given at routing; without them every frame is refused.
FrameRule = Callable[..., bool | None]
# The relations the table's cells name for a room socket.
ROOM_MEMBER = "room_member"
ROOM_MODERATOR = "room_moderator"


async def _dispatch_in_turn(sources, dispatch) -> None:
    """Channels' ``await_many_dispatch`` with a long-lived task per source instead of a new task
    and an ``asyncio.wait`` per message (that loop runs once per delivery per socket: 50 times for
    one message in a 50-member room, and it was a sixth of the event loop's time at the ceiling).

    The same guarantees: messages are dispatched one at a time, whichever source they come from
    (a lock: uncontended, it costs no wake-up); a source is read again only once its last message
    has been dispatched (so a client's frames queue in the server, which pauses reading, not in
    here); the first exception, ``StopConsumer`` included, ends the loop and is raised."""
    turn = asyncio.Lock()

    async def pump(source):
        while True:
            message = await source()
            async with turn:
                await dispatch(message)

    tasks = [asyncio.ensure_future(pump(source)) for source in sources]
    try:
        done, _pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            task.result()  # raises: a pump only ends by an exception
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _refuse_every_frame(frame_type: str, **standing) -> bool:
    return False


# One pool per event loop (a server process runs one loop; each test its own), shut down when
# its loop is gone, as the loop's default executor would be.
_pools: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _db_pool() -> ThreadPoolExecutor:
    """The threads the room sockets' database work runs on: CHAT_DB_THREADS per process, each
    call keeping to the connection handling of database_sync_to_async (a broken or expired
    connection is closed before and after every call)."""
    loop = asyncio.get_running_loop()
    pool = _pools.get(loop)
    if pool is None:
        pool = ThreadPoolExecutor(
            max_workers=settings.CHAT_DB_THREADS, thread_name_prefix="chat-db"
        )
        _pools[loop] = pool
        weakref.finalize(loop, pool.shutdown, wait=False)
    return pool


def shutdown_db_pools() -> None:
    """Close every pool thread's database connections and stop the threads (the test suite's
    teardown calls it: PostgreSQL refuses to drop a database while they hold connections)."""
    for pool in list(_pools.values()):
        threads = len(pool._threads)
        if threads:
            # One task per thread: each waits at the barrier until every thread holds one.
            barrier = threading.Barrier(threads)

            def close(barrier=barrier):
                try:
                    barrier.wait(timeout=5)
                except threading.BrokenBarrierError:
                    pass
                connections.close_all()

            wait_for([pool.submit(close) for _ in range(threads)], timeout=10)
        pool.shutdown(wait=True)
    _pools.clear()


class _SocketDatabaseCall(DatabaseSyncToAsync):
    """database_sync_to_async for the room sockets, with the connection's health taken on trust.

    Django checks a persistent connection (CONN_HEALTH_CHECKS: a ``SELECT 1`` round trip) before
    the first query of every call, one round trip in three for a post. Here a call runs on the
    connection it finds and, if that connection turns out to be broken (the backend was killed,
    the server restarted), runs once more on a new one (_once_more_if_broken). Everything else
    is as Channels does it: old, obsolete or failed connections are closed before and after.
    """

    def thread_handler(self, loop, *args, **kwargs):
        close_old_connections()
        for conn in connections.all(initialized_only=True):
            if conn.connection is not None:
                conn.health_check_done = True
        try:
            return SyncToAsync.thread_handler(self, loop, *args, **kwargs)
        finally:
            close_old_connections()


def _once_more_if_broken(fn):
    """Call ``fn``; if it failed because the connection it was given had broken since its last
    use, call it again on a new connection. Safe for what the socket calls: reads, and writes that
    a second try cannot double (a post is keyed by its client id; read marks only go up)."""

    @functools.wraps(fn)
    def call(*args, **kwargs):
        conn = connections[DEFAULT_DB_ALIAS]
        reused = conn.connection is not None
        try:
            return fn(*args, **kwargs)
        except DatabaseError:
            if not reused or conn.connection is None or not conn.connection.closed:
                raise  # a new connection that failed, or an error that is not a lost connection
            conn.close()
            return fn(*args, **kwargs)

    return call


def _db(fn):
    # Not thread-sensitive: each call may use any thread of the pool (and its connection), so one
    # slow query does not queue every socket of the process behind the one sync thread; bounded,
    # so a busy room holds at most CHAT_DB_THREADS connections of the process.
    return _SocketDatabaseCall(
        _once_more_if_broken(fn), thread_sensitive=False, executor=_db_pool()
    )


def _connect_check(user, room_id: int):
    membership = membership_in(user, room_id)
    if membership is None:
        return None
    return {
        "roles": user.roles,
        "moderator": membership.is_moderator,
        "room": services.room_state(membership.room),
        "last_id": services.latest_visible_id(room_id),
        "last_change": services.latest_change_id(room_id),
        "name": user.display_name,
    }


def _moderates(user, room_id: int) -> bool:
    """Whether the person moderates the room now: the connect check's answer, asked again."""
    membership = membership_in(user, room_id)
    return membership is not None and membership.is_moderator


def _held_for_moderator(user, room_id: int, after: int) -> list[str] | None:
    """The held frames a moderator's resume brings (see services.held_after), or None if the
    person no longer moderates the room."""
    if not _moderates(user, room_id):
        return None
    return services.held_after(room_id=room_id, after=after, limit=RESUME_BATCH)


def _mark_read(user, room_id: int, up_to: int) -> None:
    membership = membership_in(user, room_id)
    if membership is not None:
        services.mark_read(membership=membership, up_to=up_to)


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID


def _is_text(value) -> bool:
    """Text that can be stored: a str without lone surrogates (JSON allows "\\ud800")."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _peek_client_id(text_data: str) -> str | None:
    """The client id of a ``send`` frame, read only to answer it (a frame refused for flooding
    is not otherwise parsed)."""
    try:
        content = json.loads(text_data)
    except (ValueError, RecursionError):
        return None
    if isinstance(content, dict) and content.get("type") == "send":
        client_id = content.get("client_id")
        if _is_text(client_id) and len(client_id) <= 64:
            return client_id
    return None


class RoomConsumer(AsyncJsonWebsocketConsumer):
    SOCKET = "chat.room"  # its rows in the access-policy table
    # Every frame type a client may send, with its handler. Who may send each is the table's.
    FRAME_TYPES = {"send": "_send_message", "resume": "_resume", "read": "_read", "ping": "_ping"}
    # Channel-layer events whose handlers only send to this socket (no database): Channels'
    # dispatch would first hop to the one thread-sensitive sync thread to close old database
    # connections, once per event per socket (50 hops for one message in a 50-member room). The
    # connections this consumer uses are looked after where they are used (_db), and a handler
    # that needs the database goes through _db too (chat.held does).
    NO_DATABASE_EVENTS = frozenset(
        {
            "chat.message",
            "chat.change",
            "chat.held",
            "chat.room",
            "chat.hand",
            "chat.alert",
            "chat.kick",
            "session.ended",
            "notifications.unread",
        }
    )
    _NO_DATABASE_HANDLERS = {
        event: get_handler_name({"type": event}) for event in NO_DATABASE_EVENTS
    }
    room_id: int
    user_id: int
    frame_allowed: FrameRule = staticmethod(_refuse_every_frame)

    def __init__(self, *args, frame_allowed: FrameRule | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if frame_allowed is not None:
            self.frame_allowed = frame_allowed

    async def __call__(self, scope, receive, send):
        """``AsyncConsumer.__call__`` (Channels 4.3) with ``_dispatch_in_turn`` for its loop."""
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        sources = [receive]
        if self.channel_layer is not None:
            self.channel_name = await self.channel_layer.new_channel()
            self.channel_receive = functools.partial(self.channel_layer.receive, self.channel_name)
            sources.append(self.channel_receive)
        self.base_send = send
        try:
            await _dispatch_in_turn(sources, self.dispatch)
        except StopConsumer:
            pass

    async def dispatch(self, message):
        handler = self._NO_DATABASE_HANDLERS.get(message.get("type"))
        if handler is not None:
            await getattr(self, handler)(message)
            return
        await super().dispatch(message)

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        self.room_id = int(self.scope["url_route"]["kwargs"]["room_id"])
        self.user_id = user.pk
        session = self.scope.get("session")
        try:
            # The pages' log-in rules first (staff need two-step log-in), then the room's.
            allowed = await _db(socket_allowed)(user=user, session=session)
            hello = await _db(_connect_check)(user, self.room_id) if allowed else None
        except DatabaseError:
            logger.warning("chat connect: database unavailable")
            await self.close(code=1011)
            return
        if hello is not None:
            self.roles = hello.pop("roles")
            self.relation = ROOM_MODERATOR if hello["moderator"] else ROOM_MEMBER
        if hello is None or not any(self._may_send(kind) for kind in self.FRAME_TYPES):
            # Not a member, removed or banned, or someone the table lets send nothing (a partner
            # worker, even if added to a room): refused before joining any group.
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        self.groups_joined: list[str] = []
        # user.<id>: every socket of the person (ban, password change, deactivation);
        # session.<hash>: this session's only (logging out elsewhere leaves this one open).
        groups = [f"room.{self.room_id}", f"user.{self.user_id}"]
        if session is not None and session.session_key:
            groups.append(session_group(session.session_key))
        if self.relation == ROOM_MODERATOR:
            # room.<id>.moderators: held messages, live, for the room's moderators alone.
            groups.append(services.moderators_group(self.room_id))
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)
        self.sent_ids: set[int] = set()
        self.sent_order: deque[int] = deque()
        # message id -> the latest change to it that this connection passed on
        self.change_of: dict[int, int] = {}
        self.resuming = False
        self.buffered: list[dict] = []
        self.tokens = float(FRAME_BURST)
        self.tokens_at = time.monotonic()
        await self.accept()
        await self.send_json({"type": "hello", **hello, "user": self.user_id})

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    # --- Frames from the client -----------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if bytes_data is not None:
            await self._error("malformed", "Send JSON text frames.")
            return
        if len(text_data.encode("utf-8", "surrogatepass")) > settings.WEBSOCKET_MAX_MESSAGE_BYTES:
            await self._error("too_big", "That frame is too large.")
            await self.close(code=CLOSE_TOO_BIG)
            return
        wait = self._take_token()
        if wait is not None:
            extra = {"retry_after": max(0.001, round(wait, 3))}
            client_id = _peek_client_id(text_data)
            if client_id is not None:
                extra["client_id"] = client_id
            await self._error("slow_down", "Too many frames: please slow down.", **extra)
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            # RecursionError: JSON nested thousands deep.
            await self._error("malformed", "That was not valid JSON.")
            return
        if not isinstance(content, dict) or not _is_text(content.get("type")):
            await self._error("malformed", 'Each frame is a JSON object with a "type".')
            return
        await self.receive_json(content)

    def _may_send(self, frame_type: str) -> bool | None:
        return self.frame_allowed(frame_type, roles=self.roles, relation=self.relation)

    async def receive_json(self, content, **kwargs):
        frame_type = content["type"]
        allowed = self._may_send(frame_type)
        if allowed is None or frame_type not in self.FRAME_TYPES:
            await self._error("unknown_type", "Unknown frame type.")
            return
        if not allowed:
            await self._error("not_allowed", "You cannot do that in this room.")
            return
        await getattr(self, self.FRAME_TYPES[frame_type])(content)

    def _take_token(self) -> float | None:
        """Take a token: None if there was one, else the seconds until there is."""
        now = time.monotonic()
        self.tokens = min(FRAME_BURST, self.tokens + (now - self.tokens_at) * FRAME_PER_SECOND)
        self.tokens_at = now
        if self.tokens < 1:
            return (1 - self.tokens) / FRAME_PER_SECOND
        self.tokens -= 1
        return None

    async def _error(self, code: str, message: str, **extra) -> None:
        await self.send_json({"type": "error", "code": code, "message": message, **extra})

    async def _ping(self, content) -> None:
        await self.send_json({"type": "pong"})

    async def _send_message(self, content) -> None:
        client_id = content.get("client_id")
        if not _is_text(client_id) or not 1 <= len(client_id) <= 64:
            # Required: a retry without one could not be told from a new message.
            await self._error(
                "malformed", '"client_id" must be text of 1 to 64 characters (make it random).'
            )
            return
        body = content.get("body")
        if not _is_text(body):
            await self._error("malformed", '"body" must be text.', client_id=client_id)
            return
        user = self.scope["user"]
        try:
            result = await _db(services.post_message)(
                room=self.room_id,
                author=user,
                body=body,
                client_id=client_id,
                broadcast=False,
            )
        except services.ChatError as refusal:
            await self._error(
                refusal.code,
                str(refusal.message),
                client_id=client_id,
                retry_after=refusal.retry_after,
            )
            if refusal.code == "not_member":
                await self.close(code=CLOSE_NOT_ALLOWED)
            return
        except DatabaseError:
            logger.warning("chat send: database unavailable")
            await self._error(
                "unavailable",
                "We could not save that just now. Please try again in a moment.",
                client_id=client_id,
            )
            return
        # Saved and committed: broadcast from this event loop (no worker thread waits on it). The
        # layer may fail or drop; clients that miss a message get it when they resume.
        for group, event in result.events:
            try:
                await self.channel_layer.group_send(group, event)
            except Exception:  # noqa: BLE001 - any layer failure: the message is safe in the database
                logger.warning("chat send: broadcast failed; clients will resume", exc_info=True)
        message = result.message
        ack = {
            "type": "ack",
            "client_id": client_id,
            "id": message.pk,
            "state": message.state,
            "duplicate": result.duplicate,
            "notices": result.notices,
        }
        if {"crisis", "support"} & set(result.notices):
            ack["support"] = settings.CRISIS_SUPPORT_LINES
        await self.send_json(ack)

    async def _resume(self, content) -> None:
        after = content.get("after", 0)
        changes_after = content.get("changes_after")
        if not _is_id(after) or not (changes_after is None or _is_id(changes_after)):
            await self._error(
                "malformed", '"after" and "changes_after" must be ids (whole numbers).'
            )
            return
        self.resuming = True
        held_after = after
        replayed: set[int] = set()
        try:
            # The newest change before the replay: every change up to it is already in the state
            # the replay reads, so it is not sent again for a message the replay brought.
            try:
                changes_seen = await _db(services.latest_change_id)(self.room_id)
            except DatabaseError:
                await self._error("unavailable", "Could not load history; try again.")
                return
            while True:
                try:
                    batch = await _db(services.messages_after)(
                        room_id=self.room_id, after=after, limit=RESUME_BATCH
                    )
                except DatabaseError:
                    await self._error("unavailable", "Could not load history; try again.")
                    return
                for payload in batch:
                    frame = json.dumps({"type": "message", "message": payload})
                    await self._deliver(payload["id"], frame)
                    replayed.add(payload["id"])
                    after = payload["id"]
                if len(batch) < RESUME_BATCH:
                    break
            if self.relation == ROOM_MODERATOR:
                await self._resume_held(held_after)
            while changes_after is not None:
                try:
                    changes, last = await _db(services.changes_after)(
                        room_id=self.room_id, after=changes_after, limit=RESUME_BATCH
                    )
                except DatabaseError:
                    await self._error("unavailable", "Could not load history; try again.")
                    return
                for change, message_id, frame in changes:
                    if message_id in replayed and change <= changes_seen:
                        # Posted and approved (or edited) while away: the replay sent it as it
                        # is now; mark the change as passed on rather than send it twice.
                        self.change_of[message_id] = max(self.change_of.get(message_id, 0), change)
                        continue
                    await self._deliver_change(change, message_id, frame)
                if last == changes_after:
                    break
                changes_after = last
        finally:
            self.resuming = False
            buffered, self.buffered = self.buffered, []
            # New messages first, by id; then changes, by change id.
            for event in sorted(buffered, key=lambda e: (e["type"] != "chat.message", e["order"])):
                await self._dispatch_live(event)
        # Without changes_after no change was replayed: last_change is then the room's newest
        # change before the replay (send it as changes_after next time).
        last_change = changes_seen if changes_after is None else max(changes_after, changes_seen)
        await self.send_json({"type": "resumed", "last": after, "last_change": last_change})

    async def _resume_held(self, after: int) -> None:
        """A moderator's resume: the messages still held with an id after ``after`` (before the
        changes, so an approval replayed after them updates them in place)."""
        try:
            frames = await _db(_held_for_moderator)(self.scope["user"], self.room_id, after)
        except DatabaseError:
            return  # the moderation queue has them; the next resume tries again
        if frames is None:
            await self._stop_moderating()
            return
        for frame in frames:
            await self.send(text_data=frame)

    async def _stop_moderating(self) -> None:
        """No longer a moderator of the room (made a member, or left it, since connecting): out
        of the moderators' group, and the frame table's answers become a member's."""
        group = services.moderators_group(self.room_id)
        if group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
            self.groups_joined.remove(group)
        self.relation = ROOM_MEMBER

    async def _read(self, content) -> None:
        up_to = content.get("up_to")
        if not _is_id(up_to):
            await self._error("malformed", '"up_to" must be a message id.')
            return
        try:
            await _db(_mark_read)(self.scope["user"], self.room_id, up_to)
        except DatabaseError:
            await self._error("unavailable", "Could not save where you read up to.")

    async def _deliver(self, message_id: int, frame: str) -> None:
        """Send a message frame once per connection, whatever mix of live and resume brings it."""
        if message_id in self.sent_ids or message_id in self.change_of:
            # Sent already, or changed since: the change's frame carries its state now.
            return
        self.sent_ids.add(message_id)
        self.sent_order.append(message_id)
        if len(self.sent_order) > 5000:
            self.sent_ids.discard(self.sent_order.popleft())
        await self.base_send({"type": "websocket.send", "text": frame})  # self.send, two hops less

    async def _deliver_change(self, change: int, message_id: int, frame: str) -> None:
        """Send a change's frame unless this connection passed on a later change to the same
        message already (changes made through different server processes may cross)."""
        if self.change_of.get(message_id, 0) >= change:
            return
        self.change_of[message_id] = change
        if len(self.change_of) > 5000:
            self.change_of.pop(next(iter(self.change_of)))
        await self.base_send({"type": "websocket.send", "text": frame})

    async def _dispatch_live(self, event) -> None:
        if event["type"] == "chat.message":
            await self._deliver(event["id"], event["frame"])
        else:
            await self._deliver_change(event["change"], event["message"], event["frame"])

    # --- Events from the channel layer ----------------------------------------------------------

    async def chat_message(self, event):
        if self.resuming:
            self.buffered.append({**event, "order": event["id"]})
            return
        await self._deliver(event["id"], event["frame"])

    async def chat_change(self, event):
        """A message already in the room was approved, restored, hidden, deleted or edited."""
        if self.resuming:
            self.buffered.append({**event, "order": event["change"]})
            return
        await self._dispatch_live(event)

    async def chat_held(self, event):
        """A message held for a moderator, or one a moderator hid or deleted while held: for the
        room's moderators only. Asked again in the database (held messages are few, moderators'
        sockets fewer): someone whose moderator role ended since connecting is not sent it, even
        if nothing told this socket (a role changed in the admin, a moderator who left)."""
        if self.relation != ROOM_MODERATOR:
            return
        try:
            still = await _db(_moderates)(self.scope["user"], self.room_id)
        except DatabaseError:
            return  # the moderation queue has it, and a resume brings it
        if not still:
            await self._stop_moderating()
            return
        await self.send(text_data=event["frame"])

    async def chat_room(self, event):
        await self.send_json({"type": "room", "room": event["room"]})

    async def chat_hand(self, event):
        await self.send_json(
            {
                "type": "hand",
                "user": event["user"],
                "name": event.get("name", ""),
                "raised": event["raised"],
            }
        )

    async def chat_alert(self, event):
        if event["room"] == self.room_id:
            await self.send_json(
                {"type": "alert", "message": event["message"], "url": event.get("url", "")}
            )

    async def chat_kick(self, event):
        if event["room"] == self.room_id:
            await self.send_json({"type": "closing", "reason": event.get("reason", "removed")})
            await self.close(code=CLOSE_NOT_ALLOWED)

    async def session_ended(self, event):
        await self.send_json({"type": "closing", "reason": "session_ended"})
        await self.close(code=CLOSE_SESSION_ENDED)

    async def notifications_unread(self, event):
        """The header's unread count, kept live (notifications.live)."""
        await self.send_json({"type": "unread", "count": int(event.get("count", 0))})


class BareBroadcastConsumer(AsyncWebsocketConsumer):
    """The benchmark's baseline (bench/chat_load.py): join a group and re-broadcast every frame.

    No authentication, no database. Routed only when CHAT_BENCH_ROUTES is on; never in production.
    """

    async def connect(self):
        self.group = f"bare.{int(self.scope['url_route']['kwargs']['room_id'])}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(self.group, {"type": "bare.frame", "text": text_data})

    async def bare_frame(self, event):
        await self.send(text_data=event["text"])
