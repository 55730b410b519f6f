"""Protocol fixes (issue 14): every bad frame gets an error frame and the socket stays open, sends
need a client id, the flood limit refills, reads are clamped, and resume sends each message once.

Every communicator is disconnected (the Socket helper's ``async with``).
"""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse

from chat import consumers, selectors, services
from chat.models import Membership, Message, MessageState
from tests.chat.test_consumers import Socket

pytestmark = [pytest.mark.django_db(transaction=True)]
call = database_sync_to_async


async def alive(ws):
    await ws.send({"type": "ping"})
    assert await ws.receive_type("pong") == {"type": "pong"}


async def test_bad_frames_get_an_error_and_the_socket_stays_open(room, mentee, fresh_layer):
    nested = "[" * 5000 + "]" * 5000
    frames = [
        nested,
        '{"a": ' * 3000 + "1" + "}" * 3000,
        "42",
        '"just text"',
        "null",
        '{"type": 5}',
        '{"type": "\\ud800"}',
        '{"type": "send", "body": "hi \\ud800", "client_id": "s1"}',
        '{"type": "send", "body": "hi", "client_id": "\\udfff"}',
        '{"type": "send", "body": ["hi"], "client_id": "s2"}',
        '{"type": "send", "body": "hi", "client_id": 7}',
        json.dumps({"type": "read", "up_to": 2**70}),
        json.dumps({"type": "read", "up_to": "12"}),
        json.dumps({"type": "read", "up_to": -1}),
        json.dumps({"type": "read", "up_to": True}),
        json.dumps({"type": "resume", "after": 2**64}),
        json.dumps({"type": "resume", "after": 1.5}),
        json.dumps({"type": "resume", "after": 0, "changes_after": 2**80}),
    ]
    async with Socket(mentee, room) as ws:
        await ws.receive_type("hello")
        for raw in frames:
            await ws.comm.send_to(text_data=raw)
            frame = await ws.receive()
            assert (frame["type"], frame["code"]) == ("error", "malformed"), raw
            assert frame["message"]
        await alive(ws)
    assert not await call(Message.objects.exists)()


async def test_a_send_with_a_bad_body_is_malformed_and_keeps_its_client_id(
    room, mentee, fresh_layer
):
    async with Socket(mentee, room) as ws:
        await ws.receive_type("hello")
        for body in (5, None, {"text": "hi"}):
            await ws.send({"type": "send", "body": body, "client_id": "c1"})
            frame = await ws.receive()
            assert (frame["code"], frame["client_id"]) == ("malformed", "c1")
        await alive(ws)


async def test_a_send_without_a_client_id_is_refused_and_not_stored(room, mentee, fresh_layer):
    async with Socket(mentee, room) as ws:
        await ws.receive_type("hello")
        for frame in (
            {"type": "send", "body": "hi"},
            {"type": "send", "body": "hi", "client_id": ""},
        ):
            await ws.send(frame)
            assert (await ws.receive())["code"] == "malformed"
        # A retry with one is stored once.
        for _ in range(2):
            await ws.send({"type": "send", "body": "hi", "client_id": "once"})
        acks = [await ws.receive_type("ack"), await ws.receive_type("ack")]
        assert [a["duplicate"] for a in acks] == [False, True]
        assert acks[0]["id"] == acks[1]["id"]
    assert await call(Message.objects.count)() == 1


async def test_the_flood_limit_refills_and_never_closes_the_socket(
    room, mentee, fresh_layer, monkeypatch
):
    monkeypatch.setattr(consumers, "FRAME_BURST", 3)
    monkeypatch.setattr(consumers, "FRAME_PER_SECOND", 20.0)
    async with Socket(mentee, room) as ws:
        await ws.receive_type("hello")
        refused = []
        # Far more refused frames than the old limit (three bursts) allowed, in several floods.
        for _flood in range(3):
            for n in range(40):
                await ws.send({"type": "send", "body": f"x{n}", "client_id": f"f{_flood}-{n}"})
            while not await ws.comm.receive_nothing(timeout=0.5):
                frame = await ws.receive()
                if frame["type"] == "error" and frame["code"] == "slow_down":
                    refused.append(frame)
            await asyncio.sleep(0.3)
        assert len(refused) > 9
        assert all(f["retry_after"] > 0 and f["client_id"].startswith("f") for f in refused)
        await alive(ws)


async def test_read_past_the_newest_message_is_clamped(room, mentee, mentor, fresh_layer):
    first = (await call(services.post_message)(room=room, author=mentor, body="one")).message
    async with Socket(mentee, room) as ws:
        await ws.receive_type("hello")
        await ws.send({"type": "read", "up_to": first.pk + 1000})
        await alive(ws)
    membership = await call(Membership.objects.get)(room=room, user=mentee)
    assert membership.last_read_id == first.pk
    await call(services.post_message)(room=room, author=mentor, body="two")

    def unread():
        return next(m.unread for m in selectors.memberships_with_unread(mentee))

    assert await call(unread)() == 1


async def test_resumed_always_says_the_last_change(room, mentee, mentor, moderator, fresh_layer):
    message = (await call(services.post_message)(room=room, author=mentor, body="hm")).message
    await call(services.moderate_message)(message=message, by=moderator, action="hide", reason="x")
    async with Socket(mentee, room) as ws:
        hello = await ws.receive_type("hello")
        await ws.send({"type": "resume", "after": 0})
        resumed = await ws.receive_type("resumed")
        assert resumed["last_change"] == hello["last_change"] > 0


async def test_a_message_posted_and_approved_while_away_comes_once(
    room, mentee, mentor, moderator, fresh_layer, settings
):
    async with Socket(mentee, room) as ws:
        hello = await ws.receive_type("hello")
    settings.CHAT_NEW_MEMBER_HOLD = 100
    held = (await call(services.post_message)(room=room, author=mentor, body="new here")).message
    assert held.state == MessageState.HELD
    await call(services.moderate_message)(message=held, by=moderator, action="approve", reason="ok")
    async with Socket(mentee, room) as ws:
        await ws.receive_type("hello")
        await ws.send(
            {"type": "resume", "after": hello["last_id"], "changes_after": hello["last_change"]}
        )
        frames = []
        while (frame := await ws.receive())["type"] != "resumed":
            frames.append(frame)
        assert [f["message"]["id"] for f in frames] == [held.pk]
        assert frame["last_change"] >= 1
        # The change was passed on: a later resume from it sends nothing again.
        await ws.send({"type": "resume", "after": held.pk, "changes_after": frame["last_change"]})
        assert (await ws.receive())["type"] == "resumed"


def test_the_page_form_posts_once_when_sent_twice(client_of, room, mentee):
    client = client_of(mentee)
    page = client.get(reverse("chat:room", args=[room.pk])).content.decode()
    assert 'type="hidden" name="client_id"' in page
    for _ in range(2):
        answer = client.post(
            reverse("chat:room", args=[room.pk]), {"body": "Hello all", "client_id": "page-1"}
        )
        assert answer.status_code == 302
    assert Message.objects.filter(room=room, body="Hello all").count() == 1


def test_every_frame_type_the_server_sends_is_documented():
    """docs/chat-protocol.md is enough to write a client: each type of frame the room socket or
    the chat services put on the wire has its row (or, for hello and pong, its paragraph)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sources = [root / "chat" / "consumers.py", *sorted((root / "chat" / "services").glob("*.py"))]
    sent = set()
    for source in sources:
        sent |= set(re.findall(r'"type": "([a-z_]+)"', source.read_text()))
    doc = (root / "docs" / "chat-protocol.md").read_text()
    server_rows = doc.split("## Server → client", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", server_rows, flags=re.MULTILINE))
    documented |= {"hello", "pong"}  # under Connecting, and ping's reply
    assert {"held", "held_decided", "message", "removed"} <= sent
    assert sent <= documented, sent - documented
