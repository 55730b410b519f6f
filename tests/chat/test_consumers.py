"""The room websocket through the full ASGI application (Origin check and session auth included).

Test group B and C of TRUST.md. Every communicator is disconnected, even when a test fails.
"""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from chat import services
from chat.models import Message, MessageState
from config.asgi import application
from tests.chat.conftest import session_cookie

pytestmark = [pytest.mark.django_db(transaction=True)]

ORIGIN = b"http://testserver"


class Socket:
    """A WebsocketCommunicator logged in as ``user`` (a real session cookie) with an Origin."""

    def __init__(self, user=None, room=None, origin=ORIGIN, path=None):
        self.user, self.origin = user, origin
        self.path = path or f"/ws/chat/{room.pk}/"
        self.connected = False

    async def __aenter__(self):
        headers = [(b"host", b"testserver")]
        if self.origin is not None:
            headers.append((b"origin", self.origin))
        if self.user is not None:
            cookie = await database_sync_to_async(session_cookie)(self.user)
            headers.append((b"cookie", f"sessionid={cookie}".encode()))
        self.comm = WebsocketCommunicator(application, self.path, headers=headers)
        self.connected, self.close_code = await self.comm.connect(timeout=3)
        return self

    async def __aexit__(self, *exc):
        await self.comm.disconnect()

    async def send(self, frame):
        await self.comm.send_json_to(frame)

    async def receive(self, timeout=2):
        return await self.comm.receive_json_from(timeout=timeout)

    async def receive_type(self, kind, timeout=2):
        while True:
            frame = await self.receive(timeout)
            if frame["type"] == kind:
                return frame

    async def nothing(self, timeout=0.3):
        return await self.comm.receive_nothing(timeout=timeout)


async def test_member_connects_and_gets_hello(room, mentee, fresh_layer):
    async with Socket(mentee, room) as ws:
        assert ws.connected
        hello = await ws.receive()
        assert hello["type"] == "hello" and hello["user"] == mentee.pk
        assert hello["room"]["read_only"] is False


async def test_anonymous_is_refused(room, fresh_layer):
    async with Socket(None, room) as ws:
        assert not ws.connected


async def test_wrong_or_missing_origin_is_refused(room, mentee, fresh_layer):
    async with Socket(mentee, room, origin=b"https://evil.example") as ws:
        assert not ws.connected
    async with Socket(mentee, room, origin=None) as ws:
        assert not ws.connected


async def test_non_member_and_missing_room_are_refused(room, outsider, mentee, fresh_layer):
    async with Socket(outsider, room) as ws:
        assert not ws.connected
    async with Socket(mentee, path="/ws/chat/999999/") as ws:
        assert not ws.connected


async def test_send_is_acknowledged_with_stored_id_and_reaches_others(
    room, mentee, mentor, fresh_layer
):
    async with Socket(mentee, room) as jay, Socket(mentor, room) as sam:
        await jay.receive_type("hello")
        await sam.receive_type("hello")
        await jay.send({"type": "send", "body": "Hello Sam", "client_id": "c1"})
        ack = await jay.receive_type("ack")
        stored = await database_sync_to_async(Message.objects.get)(pk=ack["id"])
        assert stored.body == "Hello Sam" and ack["client_id"] == "c1"
        frame = await sam.receive_type("message")
        assert frame["message"]["id"] == ack["id"] and frame["message"]["body"] == "Hello Sam"
        # A retry of the same client id is acknowledged again, never stored or broadcast twice.
        await jay.send({"type": "send", "body": "Hello Sam", "client_id": "c1"})
        again = await jay.receive_type("ack")
        assert again["id"] == ack["id"] and again["duplicate"] is True
        assert await sam.nothing()
        assert await database_sync_to_async(Message.objects.count)() == 1


async def test_a_retry_of_a_message_whose_broadcast_never_went_reaches_the_room(
    room, mentee, mentor, fresh_layer
):
    """Jay's server process died between saving "on my way" and broadcasting it; Sam, connected
    elsewhere, has since seen a later message, so a resume after the newest id would skip it.
    Jay's page re-sends what was never acknowledged: Sam gets it then, once."""
    async with Socket(mentee, room) as jay, Socket(mentor, room) as sam:
        await jay.receive_type("hello")
        await sam.receive_type("hello")
        stored = await database_sync_to_async(services.post_message)(
            room=room, author=mentee, body="on my way", client_id="lost1", broadcast=False
        )
        await sam.send({"type": "send", "body": "see you there", "client_id": "s1"})
        later = (await sam.receive_type("ack"))["id"]
        assert later > stored.message.pk
        assert (await jay.receive_type("message"))["message"]["id"] == later
        while (await sam.receive_type("message"))["message"]["id"] != later:
            pass  # Sam's own message, on Sam's screen
        await jay.send({"type": "send", "body": "on my way", "client_id": "lost1"})
        again = await jay.receive_type("ack")
        assert again["id"] == stored.message.pk and again["duplicate"] is True
        frame = await sam.receive_type("message")
        assert frame["message"]["id"] == stored.message.pk
        assert frame["message"]["body"] == "on my way"
        # A second retry is passed over by sockets that have it.
        await jay.send({"type": "send", "body": "on my way", "client_id": "lost1"})
        await jay.receive_type("ack")
        assert await sam.nothing()


async def test_xss_payloads_travel_as_plain_text(room, mentee, mentor, fresh_layer):
    payload = '<img src=x onerror=alert(1)><script>alert("x")</script>'
    async with Socket(mentee, room) as jay, Socket(mentor, room) as sam:
        await jay.receive_type("hello")
        await sam.receive_type("hello")
        await jay.send({"type": "send", "body": payload, "client_id": "x1"})
        frame = await sam.receive_type("message")
        # Delivered exactly as typed (the client renders it as a text node), never as markup.
        assert frame["message"]["body"] == payload


async def test_held_message_is_never_broadcast(room, mentee, mentor, default_filters, fresh_layer):
    async with Socket(mentee, room) as jay, Socket(mentor, room) as sam:
        await jay.receive_type("hello")
        await sam.receive_type("hello")
        await jay.send({"type": "send", "body": "text me on 07700 900123", "client_id": "h1"})
        ack = await jay.receive_type("ack")
        assert ack["state"] == MessageState.HELD
        assert await sam.nothing(0.5)
        await sam.send({"type": "resume", "after": 0})
        resumed = await sam.receive()
        assert resumed == {"type": "resumed", "last": 0, "last_change": 0}


async def test_crisis_words_send_support_lines_to_the_author(
    room, mentee, moderator, default_filters, fresh_layer, settings
):
    async with Socket(mentee, room) as jay, Socket(moderator, room) as alex:
        await jay.receive_type("hello")
        await alex.receive_type("hello")
        await jay.send({"type": "send", "body": "I want to die", "client_id": "c"})
        ack = await jay.receive_type("ack")
        assert "crisis" in ack["notices"]
        assert ack["support"] == settings.CRISIS_SUPPORT_LINES
        alert = await alex.receive_type("alert")
        assert alert["message"] == ack["id"]
        assert alert["url"].startswith("/chat/crisis/")  # the link opens the crisis item


async def test_malformed_frames_get_an_error_and_the_socket_stays_up(room, mentee, fresh_layer):
    async with Socket(mentee, room) as ws:
        await ws.receive_type("hello")
        for raw in [
            "not json",
            "[1, 2]",
            '{"no": "type"}',
            '{"type": "explode"}',
            '{"type": "resume", "after": "x"}',
            '{"type": "send", "body": 5}',
        ]:
            await ws.comm.send_to(text_data=raw)
            frame = await ws.receive()
            assert frame["type"] == "error", raw
        await ws.comm.send_to(bytes_data=b"\x00\x01")
        assert (await ws.receive())["type"] == "error"
        await ws.send({"type": "ping"})
        assert await ws.receive() == {"type": "pong"}


async def test_oversized_frame_is_refused_and_closed(room, mentee, fresh_layer):
    async with Socket(mentee, room) as ws:
        await ws.receive_type("hello")
        await ws.send({"type": "send", "body": "x" * (70 * 1024)})
        frame = await ws.receive()
        assert frame["code"] == "too_big"
        closed = await ws.comm.receive_output(timeout=1)
        assert closed == {"type": "websocket.close", "code": 1009}
    assert not await database_sync_to_async(Message.objects.exists)()


async def test_long_message_under_frame_limit_gets_error_and_socket_stays(
    room, mentee, fresh_layer
):
    async with Socket(mentee, room) as ws:
        await ws.receive_type("hello")
        await ws.send({"type": "send", "body": "x" * 2001, "client_id": "l"})
        frame = await ws.receive()
        assert (frame["type"], frame["code"], frame["client_id"]) == ("error", "too_long", "l")
        await ws.send({"type": "ping"})
        assert await ws.receive() == {"type": "pong"}


async def test_flood_is_limited(room, mentee, fresh_layer, settings):
    settings.CHAT_RATE_BURST = 5
    async with Socket(mentee, room) as ws:
        await ws.receive_type("hello")
        for n in range(12):
            await ws.send({"type": "send", "body": f"flood {n}", "client_id": f"f{n}"})
        replies = []
        while len(replies) < 12:
            frame = await ws.receive()
            if frame["type"] in ("ack", "error"):
                replies.append(frame)
        kinds = [f["type"] for f in replies]
        assert kinds.count("ack") == 5
        assert {f["code"] for f in replies if f["type"] == "error"} == {"rate_limited"}
    assert await database_sync_to_async(Message.objects.count)() == 5


async def test_banned_members_socket_closes_live_and_reconnect_is_refused(
    room, mentee, moderator, fresh_layer
):
    async with Socket(mentee, room) as jay:
        await jay.receive_type("hello")
        await database_sync_to_async(services.sanction_member)(
            room=room, user=mentee, by=moderator, level="ban", reason="dealing"
        )
        closing = await jay.receive_type("closing", timeout=1)
        assert closing["reason"] == "ban"
        assert await jay.comm.receive_output(timeout=1) == {"type": "websocket.close", "code": 4403}
    async with Socket(mentee, room) as again:
        assert not again.connected


async def test_removed_member_is_closed_but_others_stay(
    room, mentee, mentor, moderator, fresh_layer
):
    async with Socket(mentee, room) as jay, Socket(mentor, room) as sam:
        await jay.receive_type("hello")
        await sam.receive_type("hello")
        await database_sync_to_async(services.sanction_member)(
            room=room, user=mentee, by=moderator, level="removal", reason="left the group rules"
        )
        await jay.receive_type("closing", timeout=1)
        await sam.send({"type": "ping"})
        assert await sam.receive() == {"type": "pong"}


async def test_session_ended_closes_the_socket(room, mentee, fresh_layer):
    async with Socket(mentee, room) as jay:
        await jay.receive_type("hello")
        await fresh_layer.group_send(f"user.{mentee.pk}", {"type": "session.ended"})
        await jay.receive_type("closing", timeout=1)
        assert await jay.comm.receive_output(timeout=1) == {"type": "websocket.close", "code": 4401}


async def test_moderator_delete_reaches_open_screens(room, mentee, mentor, moderator, fresh_layer):
    async with Socket(mentor, room) as sam:
        await sam.receive_type("hello")
        message = await database_sync_to_async(services.post_message)(
            room=room, author=mentee, body="hi"
        )
        await sam.receive_type("message")
        await database_sync_to_async(services.moderate_message)(
            message=message.message, by=moderator, action="delete", reason="test"
        )
        removed = await sam.receive_type("removed")
        assert removed["id"] == message.message.pk


async def test_resume_after_reconnect_gives_exactly_the_missing_messages(
    room, mentee, mentor, fresh_layer, settings
):
    settings.CHAT_RATE_BURST = 1000
    async with Socket(mentor, room) as sam:
        await sam.receive_type("hello")
        seen = []
        for n in range(3):
            result = await database_sync_to_async(services.post_message)(
                room=room, author=mentee, body=f"before {n}"
            )
            seen.append((await sam.receive_type("message"))["message"]["id"])
    # Sam is offline: messages arrive, and one is later deleted (it must not come back).
    missed = []
    for n in range(5):
        result = await database_sync_to_async(services.post_message)(
            room=room, author=mentee, body=f"missed {n}"
        )
        missed.append(result.message.pk)
    await database_sync_to_async(services.delete_own_message)(message=result.message, by=mentee)
    missed.pop()
    async with Socket(mentor, room) as sam:
        await sam.receive_type("hello")
        await sam.send({"type": "resume", "after": seen[-1]})
        got = []
        while True:
            frame = await sam.receive()
            if frame["type"] == "resumed":
                break
            got.append(frame["message"]["id"])
        assert got == missed
        assert frame["last"] == missed[-1]


async def test_resume_during_live_traffic_has_no_gaps_or_duplicates(
    room, mentee, mentor, fresh_layer, settings
):
    settings.CHAT_RATE_BURST = 1000
    for n in range(30):
        await database_sync_to_async(services.post_message)(
            room=room, author=mentee, body=f"old {n}"
        )

    async def chatter():
        for n in range(10):
            await database_sync_to_async(services.post_message)(
                room=room, author=mentor, body=f"live {n}"
            )

    async with Socket(mentee, room) as jay:
        await jay.receive_type("hello")
        await jay.send({"type": "resume", "after": 0})
        task = asyncio.create_task(chatter())
        ids = []
        while len(ids) < 40:
            frame = await jay.receive(timeout=3)
            if frame["type"] == "message":
                ids.append(frame["message"]["id"])
        await task
        assert await jay.nothing()
    expected = await database_sync_to_async(
        lambda: list(Message.objects.filter(room=room).values_list("id", flat=True))
    )()
    assert sorted(ids) == expected and len(set(ids)) == len(ids)


async def test_database_error_gives_error_frame_and_nothing_broadcast(
    room, mentee, mentor, fresh_layer, monkeypatch
):
    from django.db import OperationalError

    def broken(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    async with Socket(mentee, room) as jay, Socket(mentor, room) as sam:
        await jay.receive_type("hello")
        await sam.receive_type("hello")
        monkeypatch.setattr(services, "post_message", broken)
        await jay.send({"type": "send", "body": "hello", "client_id": "d1"})
        frame = await jay.receive()
        assert (frame["type"], frame["code"], frame["client_id"]) == ("error", "unavailable", "d1")
        assert await sam.nothing()
        monkeypatch.undo()
        await jay.send({"type": "send", "body": "hello", "client_id": "d1"})
        assert (await jay.receive_type("ack"))["duplicate"] is False
        await sam.receive_type("message")


async def test_resume_brings_changes_made_while_away(
    room, mentee, mentor, moderator, fresh_layer, settings
):
    """Approved, hidden and edited while Sam was offline: on resume Sam's screen catches up, and
    a message restored after being removed shows again on a live screen."""
    settings.CHAT_RATE_BURST = 1000
    settings.CHAT_NEW_MEMBER_HOLD = 0
    call = database_sync_to_async
    kept = (await call(services.post_message)(room=room, author=mentee, body="kept")).message
    hidden = (await call(services.post_message)(room=room, author=mentee, body="rude")).message
    settings.CHAT_NEW_MEMBER_HOLD = 100
    held = (await call(services.post_message)(room=room, author=mentor, body="held")).message
    assert held.state == MessageState.HELD
    settings.CHAT_NEW_MEMBER_HOLD = 0
    last = (await call(services.post_message)(room=room, author=mentee, body="last")).message
    async with Socket(mentor, room) as sam:
        hello = await sam.receive_type("hello")
    # Sam is away; a moderator approves the held message (older than Sam's last id), hides one,
    # and Jay edits one.
    await call(services.moderate_message)(message=held, by=moderator, action="approve", reason="ok")
    await call(services.moderate_message)(message=hidden, by=moderator, action="hide", reason="no")
    await call(services.edit_message)(message=kept, by=mentee, body="kept, and edited")
    async with Socket(mentor, room) as sam:
        await sam.receive_type("hello")
        await sam.send({"type": "resume", "after": last.pk, "changes_after": hello["last_change"]})
        frames = []
        while (frame := await sam.receive())["type"] != "resumed":
            frames.append(frame)
        assert [(f["type"], f.get("id") or f["message"]["id"]) for f in frames] == [
            ("message", held.pk),
            ("removed", hidden.pk),
            ("message", kept.pk),
        ]
        assert frames[2]["message"]["body"] == "kept, and edited"
        assert frame["last_change"] == frames[-1]["change"]

        # Live: removed, then restored, shows again (it is not taken for a duplicate).
        await call(services.moderate_message)(
            message=hidden, by=moderator, action="restore", reason="fine on review"
        )
        restored = await sam.receive_type("message")
        assert restored["message"]["id"] == hidden.pk
        await call(services.moderate_message)(
            message=hidden, by=moderator, action="hide", reason="x"
        )
        assert (await sam.receive_type("removed"))["id"] == hidden.pk
        await call(services.moderate_message)(
            message=hidden, by=moderator, action="restore", reason="y"
        )
        assert (await sam.receive_type("message"))["message"]["id"] == hidden.pk


# --- Held messages reach the room's moderators live (and nobody else) --------------------------


def _moderators_group_channels(layer, room):
    """The channels in the room's moderators' group, on the in-memory layer (None elsewhere: the
    Redis layers keep their groups in Redis)."""
    from channels.layers import InMemoryChannelLayer

    if not isinstance(layer, InMemoryChannelLayer):
        return None
    return set(layer.groups.get(services.moderators_group(room.pk), {}))


async def test_a_held_message_reaches_the_moderator_live_and_no_member(
    room, mentee, mentor, moderator, default_filters, fresh_layer
):
    call = database_sync_to_async
    async with (
        Socket(mentee, room) as jay,
        Socket(mentor, room) as sam,
        Socket(moderator, room) as alex,
    ):
        for ws in (jay, sam, alex):
            await ws.receive_type("hello")
        await jay.send({"type": "send", "body": "text me on 07700 900123", "client_id": "h1"})
        ack = await jay.receive_type("ack")
        assert ack["state"] == MessageState.HELD

        held = await alex.receive_type("held")
        assert held["message"]["id"] == ack["id"]
        assert held["message"]["body"] == "text me on 07700 900123"
        assert held["message"]["author"] == {"id": mentee.pk, "name": "Jay Mentee"}
        assert held["message"]["state"] == "held"
        assert held["message"]["reason"] == "held: a phone number"
        # The other member gets nothing, and the author nothing but their ack.
        assert await sam.nothing(0.5)
        assert await jay.nothing(0.1)

        # Approved: the member sees it now; the moderator's copy is the same id, as a change.
        message = await call(Message.objects.get)(pk=ack["id"])
        await call(services.moderate_message)(
            message=message, by=moderator, action="approve", reason=""
        )
        shown = await sam.receive_type("message")
        assert shown["message"]["id"] == ack["id"] and shown["change"]
        again = await alex.receive_type("message")
        assert (again["message"]["id"], again["change"]) == (ack["id"], shown["change"])
        assert (await jay.receive_type("message"))["message"]["id"] == ack["id"]
        assert await alex.nothing()


async def test_a_new_members_first_message_reaches_the_moderator_with_why(
    room, mentee, moderator, fresh_layer, settings
):
    settings.CHAT_NEW_MEMBER_HOLD = 100
    async with Socket(mentee, room) as jay, Socket(moderator, room) as alex:
        await jay.receive_type("hello")
        await alex.receive_type("hello")
        # Posted from the page without JavaScript (the service broadcasts): live all the same.
        await database_sync_to_async(services.post_message)(
            room=room, author=mentee, body="Hello, I'm new here"
        )
        held = await alex.receive_type("held")
        assert held["message"]["reason"] == "held: a new member's first messages"
        assert await jay.nothing()


async def test_only_moderators_join_the_moderators_group(room, mentee, moderator, fresh_layer):
    async with Socket(mentee, room) as jay, Socket(moderator, room) as alex:
        await jay.receive_type("hello")
        assert (await alex.receive_type("hello"))["moderator"] is True
        channels = _moderators_group_channels(fresh_layer, room)
        if channels is not None:
            assert len(channels) == 1  # the moderator's socket, not the member's
        # Whatever reaches the group (or a member's socket by mistake) goes to moderators only.
        event = {"type": "chat.held", "id": 1, "frame": '{"type": "held", "message": {"id": 1}}'}
        await fresh_layer.group_send(services.moderators_group(room.pk), event)
        assert (await alex.receive())["type"] == "held"
        await fresh_layer.group_send(f"user.{mentee.pk}", event)
        assert await jay.nothing()
    if channels is not None:
        assert not _moderators_group_channels(fresh_layer, room)  # left on disconnect


async def test_a_moderator_made_a_member_while_connected_gets_no_more_held_messages(
    room, mentee, moderator, fresh_layer, settings
):
    from chat.models import MemberRole, Membership

    call = database_sync_to_async
    settings.CHAT_NEW_MEMBER_HOLD = 100
    async with Socket(moderator, room) as alex:
        hello = await alex.receive_type("hello")
        await call(services.post_message)(room=room, author=mentee, body="first")
        assert (await alex.receive_type("held"))["message"]["body"] == "first"
        # Made a member (as the admin would, with nothing told to the socket).
        await call(Membership.objects.filter(room=room, user=moderator).update)(
            role=MemberRole.MEMBER
        )
        await call(services.post_message)(room=room, author=mentee, body="second")
        assert await alex.nothing(0.5)
        channels = _moderators_group_channels(fresh_layer, room)
        assert not channels  # it left the group (None: not the in-memory layer)
        # A resume brings no held message either; a member's messages still come.
        await alex.send({"type": "resume", "after": hello["last_id"]})
        assert (await alex.receive())["type"] == "resumed"
        settings.CHAT_NEW_MEMBER_HOLD = 0
        await call(services.post_message)(room=room, author=mentee, body="third")
        assert (await alex.receive_type("message"))["message"]["body"] == "third"


async def test_a_moderator_who_left_the_room_gets_no_more_held_messages(
    room, mentee, moderator, fresh_layer, settings
):
    from chat.models import Membership

    call = database_sync_to_async
    settings.CHAT_NEW_MEMBER_HOLD = 100
    async with Socket(moderator, room) as alex:
        await alex.receive_type("hello")
        membership = await call(Membership.objects.get)(room=room, user=moderator)
        await call(services.leave_room)(membership=membership)
        await call(services.post_message)(room=room, author=mentee, body="anyone there?")
        assert await alex.nothing(0.5)


async def test_a_moderators_resume_brings_the_held_messages_missed(
    room, mentee, mentor, moderator, fresh_layer, settings
):
    call = database_sync_to_async
    async with Socket(moderator, room) as alex:
        hello = await alex.receive_type("hello")
    settings.CHAT_NEW_MEMBER_HOLD = 100
    first = (await call(services.post_message)(room=room, author=mentee, body="one")).message
    hidden = (await call(services.post_message)(room=room, author=mentee, body="two")).message
    await call(services.moderate_message)(message=hidden, by=moderator, action="hide", reason="x")
    settings.CHAT_NEW_MEMBER_HOLD = 0
    visible = (await call(services.post_message)(room=room, author=mentor, body="three")).message
    async with Socket(moderator, room) as alex, Socket(mentor, room) as sam:
        await alex.receive_type("hello")
        await sam.receive_type("hello")
        for ws in (alex, sam):
            await ws.send({"type": "resume", "after": hello["last_id"]})
        frames = []
        while (frame := await alex.receive())["type"] != "resumed":
            frames.append(frame)
        # The visible message, then the one still waiting (not the one hidden meanwhile).
        assert [(f["type"], f["message"]["id"]) for f in frames] == [
            ("message", visible.pk),
            ("held", first.pk),
        ]
        member_frames = []
        while (frame := await sam.receive())["type"] != "resumed":
            member_frames.append(frame)
        assert [f["type"] for f in member_frames] == ["message"]


async def test_a_held_message_hidden_leaves_the_moderators_screens_and_cannot_be_approved(
    room, mentee, mentor, moderator, fresh_layer, settings
):
    from django.core.exceptions import ValidationError

    call = database_sync_to_async
    settings.CHAT_NEW_MEMBER_HOLD = 100
    async with Socket(moderator, room) as alex, Socket(mentor, room) as sam:
        await alex.receive_type("hello")
        await sam.receive_type("hello")
        held = (await call(services.post_message)(room=room, author=mentee, body="hm")).message
        await alex.receive_type("held")
        await call(services.moderate_message)(
            message=held, by=moderator, action="hide", reason="not for this group"
        )
        decided = await alex.receive_type("held_decided")
        assert (decided["id"], decided["state"]) == (held.pk, "hidden")
        assert await sam.nothing()
        # A second moderator's stale Approve does not show it.
        with pytest.raises(ValidationError):
            await call(services.moderate_message)(
                message=held, by=moderator, action="approve", reason=""
            )
        assert await sam.nothing()
    assert (await call(Message.objects.get)(pk=held.pk)).state == MessageState.HIDDEN
