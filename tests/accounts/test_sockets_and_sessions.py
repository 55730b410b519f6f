"""A socket lives and dies with the session that opened it (TRUST.md pitfall 11).

Jay is logged in twice, on a phone and a laptop, with the group chat open on both. Ending one
session closes that session's socket and leaves the other open; deactivating Jay closes both.
Staff sockets obey the pages' two-step log-in rule at the handshake.
"""

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from chat.models import MemberRole, Membership, Room, RoomKind
from config.asgi import application
from tests.factories import TEST_PASSWORD, person

pytestmark = pytest.mark.django_db(transaction=True)

CLOSE_SESSION_ENDED = 4401


@pytest.fixture
async def fresh_layer():
    layer = get_channel_layer()
    if hasattr(layer, "flush"):
        await layer.flush()
    yield layer
    if hasattr(layer, "flush"):
        await layer.flush()


def _room_with(*members, moderators=()) -> Room:
    room = Room.objects.create(name="Thursday group", kind=RoomKind.PEER_SUPPORT)
    for user in members:
        Membership.objects.create(room=room, user=user, posted_count=10)
    for user in moderators:
        Membership.objects.create(room=room, user=user, role=MemberRole.MODERATOR, posted_count=10)
    return room


def _logged_in(user) -> Client:
    """A real log-in (allauth lists the session), or a forced one for staff (no TOTP code)."""
    client = Client()
    if user.is_staff_role:
        client.force_login(user)
    else:
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
        )
        assert response.status_code == 302
    client.get(reverse("accounts:today"))
    return client


class Socket:
    def __init__(self, client: Client, room: Room):
        cookie = client.cookies["sessionid"].value
        self.comm = WebsocketCommunicator(
            application,
            f"/ws/chat/{room.pk}/",
            headers=[
                (b"host", b"testserver"),
                (b"origin", b"http://testserver"),
                (b"cookie", f"sessionid={cookie}".encode()),
            ],
        )

    async def open(self) -> bool:
        connected, _code = await self.comm.connect(timeout=3)
        if connected:
            assert (await self.comm.receive_json_from(timeout=2))["type"] == "hello"
        return connected

    async def closed_because_session_ended(self) -> bool:
        while True:
            message = await self.comm.receive_output(timeout=2)
            if message["type"] == "websocket.close":
                return message.get("code") == CLOSE_SESSION_ENDED

    async def still_open(self) -> bool:
        await self.comm.send_json_to({"type": "ping"})
        return (await self.comm.receive_json_from(timeout=2)) == {"type": "pong"}

    async def close(self):
        await self.comm.disconnect()


@pytest.fixture
def jay(db):
    return person(Role.MENTEE, display_name="Jay")


async def _two_sessions(jay):
    room = await database_sync_to_async(_room_with)(jay)
    phone = await sync_to_async(_logged_in)(jay)
    laptop = await sync_to_async(_logged_in)(jay)
    on_phone, on_laptop = Socket(phone, room), Socket(laptop, room)
    assert await on_phone.open() and await on_laptop.open()
    return phone, laptop, on_phone, on_laptop


async def test_logging_out_on_the_phone_closes_the_phones_socket_only(jay, fresh_layer):
    phone, _laptop, on_phone, on_laptop = await _two_sessions(jay)
    try:
        await sync_to_async(phone.post)(reverse("account_logout"))

        assert await on_phone.closed_because_session_ended()
        assert await on_laptop.still_open()
    finally:
        await on_phone.close()
        await on_laptop.close()


async def test_ending_my_other_sessions_closes_their_sockets_not_this_ones(jay, fresh_layer):
    _phone, laptop, on_phone, on_laptop = await _two_sessions(jay)
    try:
        # On the laptop: "End my other sessions" on allauth's sessions page.
        response = await sync_to_async(laptop.post)(reverse("usersessions_list"))
        assert response.status_code == 302

        assert await on_phone.closed_because_session_ended()
        assert await on_laptop.still_open()
    finally:
        await on_phone.close()
        await on_laptop.close()


async def test_changing_my_password_closes_the_sockets_of_my_other_sessions(jay, fresh_layer):
    phone, laptop, on_phone, on_laptop = await _two_sessions(jay)
    try:
        # On the laptop: a new password. The phone's session ends, and its open chat with it.
        response = await sync_to_async(laptop.post)(
            reverse("account_change_password"),
            {
                "oldpassword": TEST_PASSWORD,
                "password1": "a new long passphrase 2026",
                "password2": "a new long passphrase 2026",
            },
        )
        assert response.status_code == 302
        assert await on_phone.closed_because_session_ended()
        today = await sync_to_async(phone.get)(reverse("accounts:today"))
        assert today.status_code == 302 and "/accounts/login/" in today["Location"]
    finally:
        await on_phone.close()
        await on_laptop.close()


async def test_deactivating_from_any_screen_closes_every_session_and_socket(jay, fresh_layer):
    _phone, _laptop, on_phone, on_laptop = await _two_sessions(jay)

    def deactivate_as_the_django_admin_does():
        jay.is_active = False
        jay.save()

    try:
        await database_sync_to_async(deactivate_as_the_django_admin_does)()

        assert await on_phone.closed_because_session_ended()
        assert await on_laptop.closed_because_session_ended()
    finally:
        await on_phone.close()
        await on_laptop.close()


async def test_a_staff_socket_without_two_step_log_in_is_refused(fresh_layer):
    no_app = await database_sync_to_async(person)(Role.MODERATOR, totp=False)
    with_app = await database_sync_to_async(person)(Role.MODERATOR)
    room = await database_sync_to_async(_room_with)(moderators=[no_app, with_app])

    refused = Socket(await sync_to_async(_logged_in)(no_app), room)
    accepted = Socket(await sync_to_async(_logged_in)(with_app), room)
    try:
        assert not await refused.open()
        assert await accepted.open()
    finally:
        await refused.close()
        await accepted.close()


async def test_an_idle_staff_session_cannot_open_a_socket(fresh_layer, settings):
    moderator = await database_sync_to_async(person)(Role.MODERATOR)
    room = await database_sync_to_async(_room_with)(moderators=[moderator])
    client = await sync_to_async(_logged_in)(moderator)

    def go_idle():
        session = client.session
        session["last_seen"] -= settings.STAFF_SESSION_IDLE_SECONDS + 1
        session.save()

    await sync_to_async(go_idle)()
    socket = Socket(client, room)
    try:
        assert not await socket.open()
    finally:
        await socket.close()
