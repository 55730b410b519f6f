"""Faults (TRUST.md group E) against real server processes: Redis restarted mid-conversation, and
PostgreSQL connections killed and refused. Nothing acknowledged is lost or duplicated; clients are
back within 5 seconds; a send the database could not save gets an error frame, and the first send
after recovery succeeds."""

from __future__ import annotations

import json
import time

import psycopg
import pytest
from django.db import connection
from websockets.exceptions import ConnectionClosed, WebSocketException
from websockets.sync.client import connect

from chat.models import Message, MessageState
from tests.chat.conftest import session_cookie
from tests.chat.servers import AsgiServer, PrivateRedis, shared_database_url

pytestmark = pytest.mark.django_db(transaction=True)


class Client:
    """A chat client the way room.js behaves: reconnects, re-sends unacknowledged messages with
    their client id, and resumes from the last id it saw."""

    def __init__(self, server: AsgiServer, room_id: int, cookie: str):
        self.server, self.room_id, self.cookie = server, room_id, cookie
        self.ws = None
        self.seen: list[int] = []
        self.acked: dict[str, int] = {}
        self.pending: dict[str, str] = {}

    def connect(self) -> None:
        self.ws = connect(
            self.server.ws_url(self.room_id),
            additional_headers={"Cookie": f"sessionid={self.cookie}"},
            origin=self.server.url,
            open_timeout=2,
            legacy=True,  # connect directly, not as a context manager
        )
        assert self._next("hello", timeout=2)

    def reconnect_within(self, seconds: float) -> float:
        """Reconnect (if needed) and resume; returns how long it took."""
        started = time.monotonic()
        while True:
            try:
                if self.ws is None:
                    self.connect()
                self.ws.send(json.dumps({"type": "ping"}))
                self._next("pong", timeout=1)
                break
            except (OSError, WebSocketException, TimeoutError, AssertionError):
                self.close()
                if time.monotonic() - started > seconds:
                    raise
                time.sleep(0.2)
        # As room.js does: resume from the last id seen first, then re-send what was never
        # acknowledged (its echo would otherwise raise the "last id seen" past what was missed).
        self.resume()
        for cid, body in list(self.pending.items()):
            self.send(body, cid)
        return time.monotonic() - started

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
            self.ws = None

    def _record(self, frame: dict) -> None:
        if frame["type"] == "message":
            self.seen.append(frame["message"]["id"])
        elif frame["type"] == "ack":
            self.acked[frame["client_id"]] = frame["id"]
            self.pending.pop(frame["client_id"], None)

    def _next(self, kind: str, timeout: float = 3, client_id: str | None = None) -> dict | None:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(kind)
            frame = json.loads(self.ws.recv(timeout=left))
            self._record(frame)
            if frame["type"] == kind and (client_id is None or frame.get("client_id") == client_id):
                return frame
            if frame["type"] == "error" and client_id and frame.get("client_id") == client_id:
                return frame

    def send(self, body: str, cid: str) -> dict | None:
        """Send once; the reply (ack or error), or None if the socket is down (kept pending)."""
        self.pending[cid] = body
        try:
            self.ws.send(json.dumps({"type": "send", "body": body, "client_id": cid}))
            frame = self._next("ack", client_id=cid)
        except (ConnectionClosed, TimeoutError, AttributeError):
            # AttributeError: no socket at all just now.
            self.close()
            return None
        if frame["type"] == "error":
            self.pending.pop(cid, None)
        return frame

    def resume(self) -> None:
        after = max(self.seen, default=0)
        self.ws.send(json.dumps({"type": "resume", "after": after}))
        self._next("resumed", timeout=5)

    def drain(self, seconds: float = 0.5) -> None:
        try:
            while True:
                self._record(json.loads(self.ws.recv(timeout=seconds)))
        except TimeoutError:
            return


def visible_ids(room) -> list[int]:
    return list(
        Message.objects.filter(room=room, state=MessageState.VISIBLE).values_list("id", flat=True)
    )


@pytest.fixture
def cookies(mentee, mentor):
    return session_cookie(mentee), session_cookie(mentor)


@pytest.mark.redis
def test_redis_restart_loses_nothing_acknowledged(room, cookies, settings):
    settings.CHAT_RATE_BURST = 100
    redis = PrivateRedis()
    server = AsgiServer(
        database_url=shared_database_url(),
        redis_url=redis.url,
        extra_env={"CHAT_RATE_BURST": "100"},
    )
    jay, sam = Client(server, room.pk, cookies[0]), Client(server, room.pk, cookies[1])
    try:
        jay.connect()
        sam.connect()
        for n in range(3):
            assert jay.send(f"before {n}", f"b{n}")["type"] == "ack"
        sam.drain()
        assert len(sam.seen) == 3

        redis.stop()
        # The database still takes messages while Redis is down; what the socket could not carry
        # stays pending on the client and is re-sent with its client id.
        for n in range(3):
            jay.send(f"during {n}", f"d{n}")
        redis.start()
        back = max(jay.reconnect_within(5), sam.reconnect_within(5))
        assert back <= 5, f"clients took {back:.1f}s to come back"

        for n in range(3):
            assert jay.send(f"after {n}", f"a{n}")["type"] == "ack"
        sam.drain(1)
        sam.resume()
        jay.resume()

        stored = visible_ids(room)
        assert len(stored) == 9 and not jay.pending
        assert set(jay.acked.values()) <= set(stored)
        for client in (jay, sam):
            assert sorted(set(client.seen)) == stored, "every saved message reached every client"
    finally:
        jay.close()
        sam.close()
        server.stop()
        redis.stop()


def _admin(sql: str, *params) -> list:
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        cursor = admin.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


@pytest.mark.postgres
def test_postgres_connection_killed_then_refused_then_back(room, cookies):
    name = connection.settings_dict["NAME"]
    app_name = f"chat-fault-{time.monotonic_ns()}"
    # Production settings: persistent connections (CONN_MAX_AGE) with health checks.
    server = AsgiServer(
        database_url=shared_database_url(application_name=app_name),
        extra_env={
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
        },
    )
    jay = Client(server, room.pk, cookies[0])

    def kill_server_connections() -> int:
        # Only the backends of this test's server process, by their application name.
        rows = _admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = %s AND datname = %s",
            app_name,
            name,
        )
        return len(rows)

    try:
        jay.connect()
        assert jay.send("before", "c1")["type"] == "ack"
        assert kill_server_connections() >= 1
        # A killed connection is noticed (health check) and replaced: the next send just works.
        assert jay.send("after a kill", "c2")["type"] == "ack"

        _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            kill_server_connections()
            refused = jay.send("while down", "c3")
            assert refused["type"] == "error" and refused["code"] == "unavailable"
        finally:
            _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        # The socket stayed up; the first send after recovery (a retry with the same id) succeeds.
        retried = jay.send("while down", "c3")
        assert retried["type"] == "ack" and retried["duplicate"] is False
        bodies = list(Message.objects.filter(room=room).values_list("body", flat=True))
        assert bodies == ["before", "after a kill", "while down"]
    finally:
        jay.close()
        server.stop()
