"""TRUST.md group C: a hypothesis state machine drives the real room consumer (the full ASGI
application: Origin check, session cookie, the consumer, the in-memory channel layer) through
sends, retries, dropped sockets, reconnects with resume and slow readers. Whatever the order:

- a retry of a client id gets the same stored id back, marked duplicate, and is never stored
  twice; it is broadcast again (its first broadcast may have died with a server process), and
  only a message sent again is ever broadcast twice;
- every acknowledged id is in the database, with its author, client id and state;
- nothing is broadcast that is not already committed and visible (checked at the moment of the
  broadcast, from another database connection), and held messages reach nobody;
- no connection delivers a message twice, or out of order but for a message broadcast again
  (room.js inserts by id);
- after every client has reconnected (re-sending what was never acknowledged) and resumed, each
  client's ids are exactly the room's visible ids in the database.

How it runs: hypothesis calls the rules synchronously, but the communicators and the consumers
they start are asyncio tasks that must all live on one event loop for the whole example (their
queues and the channel layer's queues bind to the loop that first uses them). asgiref's
async_to_sync would run each call on a new loop (or a new thread), stranding those tasks, so the
test owns one dedicated loop and runs each step with loop.run_until_complete. Between steps the
loop is idle, so nothing happens "behind the test's back" except work a step left running. Sync
ORM checks run between steps, in the test's own thread, where no loop is running.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import itertools
import json
import uuid

import pytest
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from channels.testing import WebsocketCommunicator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from chat import consumers, services
from chat.models import Message, MessageState
from config.asgi import application
from tests.chat.conftest import make_room, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True)]

ORIGIN = b"http://testserver"
TIMEOUT = 3  # seconds to wait for any one frame; a healthy step takes milliseconds
MAX_FRAMES = 2000  # bounds every read loop

MACHINE_SETTINGS = hypothesis_settings(
    max_examples=15,
    stateful_step_count=20,
    deadline=None,
    database=None,  # no example database in the work tree; a failure prints its steps
    suppress_health_check=[HealthCheck.too_slow],
)


def _visible_in_room(message_id: int, group: str) -> bool:
    room_id = int(group.removeprefix("room."))
    return Message.objects.filter(
        pk=message_id, room_id=room_id, state=MessageState.VISIBLE
    ).exists()


class CheckingLayer(InMemoryChannelLayer):
    """The in-memory layer, noting every room broadcast of a message: one that is not committed
    and visible in the database at that moment is a problem, and one sent twice is noted (by its
    client id: the machine checks it was sent again). Problems are
    recorded rather than raised (the consumer would swallow an exception from group_send)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.broadcast_ids: set[int] = set()
        self.sent_again: set[str] = set()  # client ids of messages broadcast more than once
        self.problems: list[str] = []

    async def group_send(self, group, message):
        if message.get("type") == "chat.message":
            message_id = message["id"]
            if message_id in self.broadcast_ids:
                self.sent_again.add(json.loads(message["frame"])["message"]["client_id"])
            self.broadcast_ids.add(message_id)
            if not await database_sync_to_async(_visible_in_room)(message_id, group):
                self.problems.append(
                    f"message {message_id} broadcast to {group} but not stored as visible"
                )
        await super().group_send(group, message)


IN_MEMORY_LAYER = {
    "default": {"BACKEND": f"{CheckingLayer.__module__}.{CheckingLayer.__qualname__}"}
}


class Tab:
    """One member's chat page, behaving like room.js: it remembers the highest id it has shown,
    keeps unacknowledged sends, and on reconnect resumes, then re-sends them with their ids."""

    def __init__(self, user, cookie: str):
        self.user, self.cookie = user, cookie
        self.comm: WebsocketCommunicator | None = None
        self.slow = False  # not reading its socket for now
        self.shown: set[int] = set()
        self.on_connection: list[int] = []  # message ids delivered on the current socket
        self.acked: dict[str, int] = {}
        self.pending: dict[str, str] = {}  # client id -> body, sent but not acknowledged
        self.used: dict[str, str] = {}  # every client id this tab has sent, with its body

    def __repr__(self) -> str:
        return self.user.display_name

    @property
    def last_seen(self) -> int:
        return max(self.shown, default=0)


def _tracked(method):
    """Mark the machine failed when a step or invariant fails, so teardown only cleans up."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except BaseException:
            self.failed = True
            raise

    return wrapper


class ResumeMachine(RuleBasedStateMachine):
    # Set by the test function: the loop, the layer, the people and their session cookies.
    loop: asyncio.AbstractEventLoop
    layer: CheckingLayer
    people: list
    cookies: dict[int, str]

    def __init__(self):
        super().__init__()
        self.failed = False
        self.room = None
        self.tabs = [Tab(user, self.cookies[user.pk]) for user in self.people]
        self.numbers = itertools.count(1)
        self.run_id = uuid.uuid4().hex[:10]  # client ids are unique per author across rooms
        self.authors: dict[str, int] = {}  # client id -> author id, for everything sent
        self.bodies: dict[str, str] = {}
        self.held: set[str] = set()  # client ids whose body the boundaries policy holds
        # One layer serves every example: what an earlier (perhaps failed) example saw is not
        # this one's.
        self.layer.broadcast_ids.clear()
        self.layer.sent_again.clear()
        self.layer.problems.clear()
        self.sends: collections.Counter[str] = collections.Counter()  # client id -> times sent

    def run(self, coroutine):
        return self.loop.run_until_complete(coroutine)

    # --- Talking to the consumer ----------------------------------------------------------------

    def _record(self, tab: Tab, frame: dict) -> None:
        kind = frame["type"]
        if kind == "message":
            message = frame["message"]
            message_id, client_id = message["id"], message["client_id"]
            assert message["room"] == self.room.pk
            assert message_id not in tab.on_connection, f"{message_id} delivered twice to {tab}"
            # Sends never overlap in this harness (each waits for its ack), so ids commit in
            # order and even live delivery is in id order (docs/chat-protocol.md allows
            # otherwise for messages committed at the same moment), but for a message sent
            # again: its retry broadcasts it (again, or for the first time if its socket went
            # between the commit and the broadcast) to connections that never had it.
            assert (
                not tab.on_connection
                or message_id > tab.on_connection[-1]
                or self.sends[client_id] > 1
            ), f"{tab} got {message_id} after {tab.on_connection[-1]}"
            assert client_id not in self.held, "a held message reached a screen"
            assert message["author"]["id"] == self.authors[client_id]
            assert message["body"] == self.bodies[client_id]
            tab.on_connection.append(message_id)
            tab.shown.add(message_id)
        elif kind == "ack":
            client_id = frame["client_id"]
            assert client_id in tab.used, f"{tab} got an ack for {client_id}"
            if client_id in tab.acked:
                # A retry: the same stored message, never a second one.
                assert frame["id"] == tab.acked[client_id] and frame["duplicate"] is True
            expected = MessageState.HELD if client_id in self.held else MessageState.VISIBLE
            assert frame["state"] == expected
            tab.acked[client_id] = frame["id"]
            tab.pending.pop(client_id, None)
        elif kind not in ("hello", "resumed", "pong"):
            raise AssertionError(f"{tab} got an unexpected frame: {frame}")

    async def _next(
        self, tab: Tab, kind: str, client_id: str | None = None, message_id: int | None = None
    ) -> dict:
        """Read (and check) frames until one of ``kind``; a missing one fails after TIMEOUT."""
        for _ in range(MAX_FRAMES):
            frame = await tab.comm.receive_json_from(timeout=TIMEOUT)
            self._record(tab, frame)
            if frame["type"] != kind:
                continue
            if client_id is not None and frame["client_id"] != client_id:
                continue
            if message_id is not None and frame["message"]["id"] != message_id:
                continue
            return frame
        raise AssertionError(f"{tab}: no {kind} frame")

    async def _catch_up(self, tab: Tab) -> None:
        """Read everything the consumer sent before it answered a ping."""
        await tab.comm.send_json_to({"type": "ping"})
        await self._next(tab, "pong")

    async def _send(self, tab: Tab, client_id: str, body: str) -> dict:
        tab.pending[client_id] = body
        self.sends[client_id] += 1
        await tab.comm.send_json_to({"type": "send", "body": body, "client_id": client_id})
        return await self._next(tab, "ack", client_id)

    async def _connect(self, tab: Tab) -> None:
        headers = [
            (b"host", b"testserver"),
            (b"origin", ORIGIN),
            (b"cookie", f"sessionid={tab.cookie}".encode()),
        ]
        comm = WebsocketCommunicator(application, f"/ws/chat/{self.room.pk}/", headers=headers)
        connected, code = await comm.connect(timeout=TIMEOUT)
        assert connected, f"{tab} was refused ({code})"
        tab.comm, tab.on_connection, tab.slow = comm, [], False
        hello = await self._next(tab, "hello")
        assert hello["user"] == tab.user.pk
        # As room.js does on hello: resume from the last id shown, then re-send what was never
        # acknowledged, with the same client ids.
        await comm.send_json_to({"type": "resume", "after": tab.last_seen})
        await self._next(tab, "resumed")
        for client_id, body in list(tab.pending.items()):
            ack = await self._send(tab, client_id, body)
            if not ack["duplicate"] and client_id not in self.held:
                # Saved only now (it was lost with the socket): it comes back live.
                await self._next(tab, "message", message_id=ack["id"])

    async def _drop(self, tab: Tab) -> None:
        comm, tab.comm, tab.slow = tab.comm, None, False
        # The consumer finishes the frames it already has (a send is saved, or not) before it
        # handles the disconnect; give it time to, so no save is left running into later steps.
        await comm.disconnect(timeout=TIMEOUT)

    def _visible_ids(self) -> list[int]:
        return list(
            Message.objects.filter(room=self.room, state=MessageState.VISIBLE)
            .order_by("id")
            .values_list("id", flat=True)
        )

    def _new_message(self, tab: Tab, held: bool = False) -> tuple[str, str]:
        number = next(self.numbers)
        client_id = f"{self.run_id}-{number}"
        name = tab.user.display_name.split()[0].lower()
        # An e-mail address is held for a moderator by the boundaries policy.
        body = f"{name} number {number}" + (f", write to {name}@example.org" if held else "")
        self.authors[client_id], self.bodies[client_id] = tab.user.pk, body
        if held:
            self.held.add(client_id)
        tab.used[client_id] = body
        return client_id, body

    # --- Who may do what ------------------------------------------------------------------------

    def _readers(self) -> list[Tab]:
        return [t for t in self.tabs if t.comm is not None and not t.slow]

    def _online(self) -> list[Tab]:
        return [t for t in self.tabs if t.comm is not None]

    def _offline(self) -> list[Tab]:
        return [t for t in self.tabs if t.comm is None]

    def _slow(self) -> list[Tab]:
        return [t for t in self.tabs if t.comm is not None and t.slow]

    def _retriers(self) -> list[Tab]:
        return [t for t in self._readers() if t.used]

    # --- The rules ------------------------------------------------------------------------------

    @initialize(earlier=st.integers(min_value=0, max_value=5))
    @_tracked
    def open_room(self, earlier):
        self.room = make_room(*self.people)
        # Messages posted before anyone is connected (the HTTP form): found by resume.
        for _ in range(earlier):
            tab = self.tabs[0]
            client_id, body = self._new_message(tab)
            self.sends[client_id] += 1
            result = services.post_message(
                room=self.room, author=tab.user, body=body, client_id=client_id, broadcast=False
            )
            tab.acked[client_id] = result.message.pk
        for tab in self.tabs:
            self.run(self._connect(tab))

    @precondition(lambda self: self._readers())
    @rule(
        data=st.data(),
        held=st.lists(st.sampled_from([False, False, False, True]), min_size=1, max_size=3),
    )
    @_tracked
    def send(self, data, held):
        """One to three messages in a row; now and then one the boundaries policy holds."""
        tab = data.draw(st.sampled_from(self._readers()), label="sender")
        for is_held in held:
            client_id, body = self._new_message(tab, held=is_held)
            ack = self.run(self._send(tab, client_id, body))
            assert ack["duplicate"] is False
            if not is_held:
                # Everyone reading the room (the sender too) sees it live, after what they
                # had. Waiting for it also keeps each step's outcome the same on replay.
                for reader in self._readers():
                    self.run(self._next(reader, "message", message_id=ack["id"]))

    @precondition(lambda self: self._retriers())
    @rule(data=st.data())
    @_tracked
    def retry(self, data):
        tab = data.draw(st.sampled_from(self._retriers()), label="retrier")
        # In sending order: a draw must pick the same message when hypothesis replays it.
        client_id = data.draw(st.sampled_from(list(tab.used)), label="client_id")
        before = tab.acked.get(client_id)
        ack = self.run(self._send(tab, client_id, tab.used[client_id]))
        if before is not None:
            assert ack["id"] == before and ack["duplicate"] is True

    @precondition(lambda self: self._readers())
    @rule(data=st.data())
    @_tracked
    def send_then_lose_the_socket(self, data):
        """The socket drops right after a send: the ack (if any) never reaches the client."""
        tab = data.draw(st.sampled_from(self._readers()), label="sender")
        client_id, body = self._new_message(tab)
        tab.pending[client_id] = body
        self.sends[client_id] += 1
        self.run(tab.comm.send_json_to({"type": "send", "body": body, "client_id": client_id}))
        self.run(self._drop(tab))

    @precondition(lambda self: self._online())
    @rule(data=st.data())
    @_tracked
    def drop(self, data):
        tab = data.draw(st.sampled_from(self._online()), label="dropped")
        self.run(self._drop(tab))

    @precondition(lambda self: self._offline())
    @rule(data=st.data())
    @_tracked
    def reconnect(self, data):
        tab = data.draw(st.sampled_from(self._offline()), label="returning")
        self.run(self._connect(tab))
        # Nothing else is in flight, so after resume this tab has every visible message.
        assert sorted(tab.shown) == self._visible_ids()

    @precondition(lambda self: self._readers())
    @rule(data=st.data())
    @_tracked
    def stop_reading(self, data):
        tab = data.draw(st.sampled_from(self._readers()), label="slow")
        tab.slow = True

    @precondition(lambda self: self._slow())
    @rule(data=st.data())
    @_tracked
    def drain(self, data):
        tab = data.draw(st.sampled_from(self._slow()), label="draining")
        self.run(self._catch_up(tab))
        tab.slow = False

    @precondition(lambda self: self._readers())
    @rule(data=st.data())
    @_tracked
    def resume_in_place(self, data):
        """room.js resumes now and then on an open socket: nothing comes twice."""
        tab = data.draw(st.sampled_from(self._readers()), label="resuming")

        async def resume():
            await tab.comm.send_json_to({"type": "resume", "after": tab.last_seen})
            await self._next(tab, "resumed")

        self.run(resume())

    # --- What must always hold ------------------------------------------------------------------

    @invariant()
    @_tracked
    def acks_and_screens_match_the_database(self):
        if self.room is None:
            return
        rows = {
            pk: (author, client_id, state)
            for pk, author, client_id, state in Message.objects.filter(room=self.room).values_list(
                "pk", "author_id", "client_id", "state"
            )
        }
        for tab in self.tabs:
            for client_id, message_id in tab.acked.items():
                state = MessageState.HELD if client_id in self.held else MessageState.VISIBLE
                assert rows.get(message_id) == (tab.user.pk, client_id, state), client_id
        # Everything stored was sent by one of us, each client id once.
        stored = [(author, client_id) for author, client_id, _ in rows.values()]
        assert len(set(stored)) == len(stored)
        assert all(self.authors.get(client_id) == author for author, client_id in stored)
        visible = {pk for pk, (_, _, state) in rows.items() if state == MessageState.VISIBLE}
        for tab in self.tabs:
            assert tab.shown <= visible, f"{tab} was shown {tab.shown - visible}"
        assert not self.layer.problems, self.layer.problems
        never_retried = {cid for cid in self.layer.sent_again if self.sends[cid] < 2}
        assert not never_retried, f"broadcast twice but sent once: {never_retried}"

    # --- The end of each run --------------------------------------------------------------------

    async def _everyone_back(self) -> None:
        for tab in self.tabs:
            if tab.comm is None:
                await self._connect(tab)
        for tab in self.tabs:
            if tab.slow:
                await self._catch_up(tab)
                tab.slow = False
            await tab.comm.send_json_to({"type": "resume", "after": tab.last_seen})
            await self._next(tab, "resumed")

    @_tracked
    def _converge(self) -> None:
        """Every tab back and resumed: each shows exactly the room's visible messages."""
        self.run(self._everyone_back())
        visible = self._visible_ids()
        for tab in self.tabs:
            assert not tab.pending, f"{tab} still waits for {tab.pending}"
            assert sorted(tab.shown) == visible, f"{tab} differs from the room"
        assert not self.layer.problems, self.layer.problems
        sent = set(self.authors)
        stored = set(Message.objects.filter(room=self.room).values_list("client_id", flat=True))
        assert stored == sent, "every message sent is stored once, and nothing else"

    def teardown(self):
        try:
            if self.room is not None and not self.failed:
                self._converge()
        finally:
            errors = []
            for tab in self.tabs:
                if tab.comm is not None:
                    comm, tab.comm = tab.comm, None
                    try:
                        self.run(comm.disconnect())
                    except Exception as error:  # noqa: BLE001 - disconnect every tab, then raise
                        errors.append(error)
            self.run(self.layer.flush())
            if errors and not self.failed:
                raise errors[0]


def test_send_drop_reconnect_and_slow_clients_converge_on_the_room(
    mentee, mentor, volunteer, settings, monkeypatch
):
    settings.CHANNEL_LAYERS = IN_MEMORY_LAYER
    settings.CHAT_RATE_BURST = 10_000  # the per-member rate limit has its own tests
    # The frame limiter too (test_consumers.py): here it would turn a burst of steps on one
    # socket into slow_down errors.
    monkeypatch.setattr(consumers, "FRAME_BURST", 10_000)
    layer = get_channel_layer()
    assert isinstance(layer, CheckingLayer)
    people = [mentee, mentor, volunteer]
    loop = asyncio.new_event_loop()
    try:
        ResumeMachine.loop, ResumeMachine.layer, ResumeMachine.people = loop, layer, people
        ResumeMachine.cookies = {user.pk: session_cookie(user) for user in people}
        run_state_machine_as_test(ResumeMachine, settings=MACHINE_SETTINGS)
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()
