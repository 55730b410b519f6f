"""TRUST.md group E, "a server process killed": two uvicorn processes share the test database and
a private Redis; a member on each is chatting when one process is killed outright (SIGKILL: no
shutdown, no goodbye frames). Its member is back on the surviving process within 5 seconds,
messages that were never acknowledged are re-sent with their client ids, and in the end nothing
acknowledged is lost, nothing is stored or shown twice, and both screens hold exactly the room's
stored messages."""

from __future__ import annotations

import json
import time

import pytest

from chat.models import Message
from tests.chat.conftest import session_cookie
from tests.chat.servers import AsgiServer, PrivateRedis, shared_database_url
from tests.chat.test_faults import Client, visible_ids

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

BACK_WITHIN = 5  # seconds (TRUST.md group E)


class RoomJsClient(Client):
    """test_faults.Client (which reconnects as room.js does), and a bounded wait for ids."""

    def wait_to_see(self, ids, seconds: float = 5) -> None:
        """Read frames until every message id in ``ids`` has been shown (bounded in time)."""
        deadline = time.monotonic() + seconds
        while not set(ids) <= set(self.seen):
            left = deadline - time.monotonic()
            assert left > 0, f"never shown: {set(ids) - set(self.seen)}"
            self._record(json.loads(self.ws.recv(timeout=left)))

    def fire(self, body: str, cid: str) -> None:
        """Send without waiting for the acknowledgement (it is still pending)."""
        self.pending[cid] = body
        self.ws.send(json.dumps({"type": "send", "body": body, "client_id": cid}))


def test_killed_server_process_loses_nothing_acknowledged(room, mentee, mentor, settings):
    settings.CHAT_RATE_BURST = 100
    redis = PrivateRedis()
    servers: list[AsgiServer] = []
    jay = sam = None
    try:
        for _ in range(2):
            servers.append(
                AsgiServer(
                    database_url=shared_database_url(),
                    redis_url=redis.url,
                    extra_env={"CHAT_RATE_BURST": "100"},
                )
            )
        doomed, survivor = servers
        jay = RoomJsClient(doomed, room.pk, session_cookie(mentee))
        sam = RoomJsClient(survivor, room.pk, session_cookie(mentor))
        jay.connect()
        sam.connect()
        sent: dict[str, str] = {}

        def say(client: RoomJsClient, body: str, cid: str) -> None:
            sent[cid] = body
            reply = client.send(body, cid)
            assert reply is not None and reply["type"] == "ack", (cid, reply)

        # A conversation across the two processes.
        for n in range(3):
            say(jay, f"jay {n}", f"j{n}")
            say(sam, f"sam {n}", f"s{n}")
        both = {*jay.acked.values(), *sam.acked.values()}
        assert len(both) == 6
        jay.wait_to_see(both)
        sam.wait_to_see(both)

        # Jay sends three more without reading the replies; once they are saved (so the server
        # has answered them), Jay sends two more and, at once, Jay's server is killed.
        for n in range(3):
            sent[f"f{n}"] = f"answered {n}"
            jay.fire(f"answered {n}", f"f{n}")
        deadline = time.monotonic() + 5
        while Message.objects.filter(room=room, client_id__startswith="f").count() < 3:
            assert time.monotonic() < deadline, "the server never saved Jay's messages"
            time.sleep(0.02)
        for n in range(2):
            sent[f"g{n}"] = f"in flight {n}"
            jay.fire(f"in flight {n}", f"g{n}")
        doomed.process.kill()
        doomed.process.wait(timeout=10)
        killed_at = time.monotonic()

        # Sam's process carries on; Jay types one more while disconnected (it stays pending).
        for n in range(2):
            say(sam, f"while jay is away {n}", f"w{n}")
        sent["o0"] = "typed while offline"
        assert jay.send("typed while offline", "o0") is None
        assert "o0" in jay.pending

        # Jay's page reconnects (the load balancer now sends it to the survivor), resumes and
        # re-sends everything unacknowledged with its original client id.
        jay.server = survivor
        jay.reconnect_within(BACK_WITHIN)
        back = time.monotonic() - killed_at
        assert back <= BACK_WITHIN, f"Jay took {back:.1f}s to come back"
        assert not jay.pending

        for n in range(2):
            say(jay, f"jay again {n}", f"a{n}")
            say(sam, f"sam again {n}", f"b{n}")
        for client in (jay, sam):
            client.drain(0.3)
            client.resume()

        stored = visible_ids(room)
        rows = dict(Message.objects.filter(room=room).values_list("client_id", "body"))
        # Everything sent is stored exactly once (a client id at most once per author), with
        # the words that were typed; nothing else was stored.
        assert Message.objects.filter(room=room).count() == len(sent) == len(stored)
        assert rows == sent
        for client in (jay, sam):
            assert not client.pending
            assert set(client.acked.values()) <= set(stored), "an acknowledged message was lost"
            # Each acknowledgement named the one stored message with its client id.
            mine = Message.objects.filter(room=room, client_id__in=client.acked)
            assert client.acked == dict(mine.values_list("client_id", "id"))
            assert len(client.seen) == len(set(client.seen)), "a message was shown twice"
            assert sorted(client.seen) == stored, "every stored message, and only those, shown"
    finally:
        for client in (jay, sam):
            if client is not None:
                client.close()
        for server in servers:
            server.stop()
        redis.stop()
