"""Websocket frame types in the access-policy table (config/policy.py SOCKET_POLICY, issues 13, 16).

Every frame type the room socket takes has a row; the consumer asks the table for every frame;
someone outside the room, a staff member who is not in it, and a partner worker (even one added to
the room) are refused every type; a row that leaves someone out refuses them that type, with an
error frame and nothing changed.
"""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from accounts.roles import Role
from chat import consumers
from chat.consumers import RoomConsumer
from chat.models import Membership, Message
from config import policy
from config.policy import PARTNER, ROOM_MEMBER, ROOM_MODERATOR, SOCKET_POLICY, frame_allowed
from config.websocket_urls import websocket_urlpatterns
from tests.chat.test_consumers import Socket
from tests.factories import person

pytestmark = [pytest.mark.django_db(transaction=True)]
call = database_sync_to_async
FRAME_TYPES = sorted(RoomConsumer.FRAME_TYPES)

# A well-formed frame of each type, which a member of the room may send.
GOOD = {
    "send": {"type": "send", "body": "Hello all", "client_id": "policy-1"},
    "resume": {"type": "resume", "after": 0},
    "read": {"type": "read", "up_to": 1},
    "ping": {"type": "ping"},
}


def test_every_frame_type_has_a_row_and_every_row_a_frame_type():
    routed = {route.callback.consumer_class for route in websocket_urlpatterns}
    assert {consumer.SOCKET for consumer in routed} == set(SOCKET_POLICY)
    assert set(SOCKET_POLICY["chat.room"]) == set(RoomConsumer.FRAME_TYPES) == set(GOOD)
    # The consumer names the table's relations.
    assert (consumers.ROOM_MEMBER, consumers.ROOM_MODERATOR) == (ROOM_MEMBER, ROOM_MODERATOR)


@pytest.mark.parametrize("frame_type", FRAME_TYPES)
def test_the_table_refuses_partner_workers_every_frame_type(frame_type):
    for roles in (
        frozenset({PARTNER}),
        frozenset({PARTNER, Role.MENTEE}),
        frozenset({PARTNER, Role.MODERATOR}),
    ):
        for relation in (None, ROOM_MEMBER, ROOM_MODERATOR):
            allowed = frame_allowed(
                "chat.room", frame_type, roles=frozenset(roles), relation=relation
            )
            assert allowed is False, (roles, relation)
    member = frame_allowed("chat.room", frame_type, roles=frozenset(), relation=ROOM_MEMBER)
    assert member is True
    stranger = frame_allowed("chat.room", frame_type, roles=frozenset(), relation=None)
    assert stranger is False
    assert frame_allowed("chat.room", "nonsense", roles=frozenset(), relation=ROOM_MEMBER) is None


def _state(room):
    return (
        Message.objects.filter(room=room).count(),
        sorted(Membership.objects.filter(room=room).values_list("user_id", "last_read_id")),
    )


async def _answer(ws, frame):
    await ws.send(frame)
    if frame["type"] == "read":  # no reply when it works: ask for a pong behind it
        await ws.send({"type": "ping"})
    answer = await ws.receive()
    while answer["type"] == "message":  # resume replays first
        answer = await ws.receive()
    return answer


@pytest.mark.parametrize("frame_type", FRAME_TYPES)
async def test_outsiders_staff_and_partner_workers_are_refused_each_type(
    frame_type, room, mentee, outsider, coordinator, fresh_layer
):
    partner = await call(person)(Role.PARTNER)
    await call(Membership.objects.create)(room=room, user=partner)  # added by mistake
    before = await call(_state)(room)
    for user in (outsider, coordinator, partner):
        async with Socket(user, room) as ws:
            # Refused at the handshake: no frame of any type reaches the room.
            assert not ws.connected, user
    assert await call(_state)(room) == before
    async with Socket(mentee, room) as ws:
        await ws.receive_type("hello")
        answer = await _answer(ws, GOOD[frame_type])
        assert answer["type"] != "error", answer


@pytest.mark.parametrize("frame_type", FRAME_TYPES)
async def test_a_row_that_leaves_members_out_refuses_them_that_type(
    frame_type, room, mentee, moderator, fresh_layer, monkeypatch
):
    monkeypatch.setitem(SOCKET_POLICY["chat.room"], frame_type, policy.allow(ROOM_MODERATOR))
    before = await call(_state)(room)
    async with Socket(mentee, room) as ws:
        await ws.receive_type("hello")
        await ws.send(GOOD[frame_type])
        refused = await ws.receive()
        assert (refused["type"], refused["code"]) == ("error", "not_allowed")
        assert refused["message"] == "You cannot do that in this room."
        other = "resume" if frame_type == "ping" else "ping"
        assert (await _answer(ws, GOOD[other]))["type"] != "error"  # still open
    assert await call(_state)(room) == before
    async with Socket(moderator, room) as ws:
        await ws.receive_type("hello")
        assert (await _answer(ws, GOOD[frame_type]))["type"] != "error"


async def test_a_frame_type_with_no_row_is_unknown(room, mentee, fresh_layer, monkeypatch):
    monkeypatch.delitem(SOCKET_POLICY["chat.room"], "ping")
    async with Socket(mentee, room) as ws:
        await ws.receive_type("hello")
        await ws.send({"type": "ping"})
        assert (await ws.receive())["code"] == "unknown_type"


async def test_a_room_socket_without_the_table_refuses_everyone(room, mentee, fresh_layer):
    # Deny by default: the consumer without its rows lets nobody send anything, so it refuses
    # the handshake.
    comm = WebsocketCommunicator(RoomConsumer.as_asgi(), f"/ws/chat/{room.pk}/")
    comm.scope["url_route"] = {"kwargs": {"room_id": room.pk}}
    comm.scope["user"] = mentee
    comm.scope["session"] = None
    connected, code = await comm.connect(timeout=3)
    await comm.disconnect()
    assert not connected and code == consumers.CLOSE_NOT_ALLOWED
