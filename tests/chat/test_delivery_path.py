"""The delivery path at a room's ceiling (bench/chat_load.py): a message reaches every member's
socket without a hop to the sync thread, and posts from many sockets at once are all kept, each
with an id greater than the last one its poster got."""

from __future__ import annotations

import threading

import pytest
from channels.layers import get_channel_layer
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from chat import services
from chat.models import Membership, Message, Room
from chat.services import posting
from tests.chat.conftest import make_room
from tests.chat.test_consumers import Socket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sync_hops(monkeypatch):
    """Counts Channels' dispatch hops to the sync thread (to close old database connections)."""
    from channels import consumer

    hops = []
    real = consumer.aclose_old_connections

    async def counted():
        hops.append(1)
        await real()

    monkeypatch.setattr(consumer, "aclose_old_connections", counted)
    return hops


async def test_a_message_reaches_members_without_a_sync_hop(
    room, mentee, mentor, fresh_layer, sync_hops
):
    async with Socket(mentee, room) as jay, Socket(mentor, room) as sam:
        await jay.receive_type("hello")
        await sam.receive_type("hello")
        sync_hops.clear()
        layer = get_channel_layer()
        frame = '{"type": "message", "message": {"id": 9001, "body": "Hello"}}'
        for _n in range(5):
            await layer.group_send(
                f"room.{room.pk}", {"type": "chat.message", "id": 9001, "frame": frame}
            )
        await layer.group_send(f"room.{room.pk}", {"type": "notifications.unread", "count": 2})
        for screen in (jay, sam):
            assert (await screen.receive_type("message"))["message"]["body"] == "Hello"
            assert (await screen.receive_type("unread"))["count"] == 2
            # Sent once per socket, however often the layer brings it.
            assert await screen.nothing()
        assert sync_hops == []
        # A frame from the browser still goes through Channels' dispatch as before.
        await jay.send({"type": "ping"})
        assert (await jay.receive_type("pong"))["type"] == "pong"
        assert len(sync_hops) == 1


def _post_many(room: Room, author, tag: str, got: list[int], errors: list[Exception]) -> None:
    try:
        for n in range(15):
            result = services.post_message(
                room=room.pk, author=author, body=f"{tag} {n}", client_id=f"{tag}-{n}"
            )
            got.append(result.message.pk)
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
    finally:
        connections.close_all()


def test_posts_from_many_sockets_at_once_are_all_kept_in_order(
    room, mentee, mentor, moderator, settings
):
    settings.CHAT_RATE_BURST = 1000
    # Jay posts from two sockets at once (their membership row is contended too).
    posters = {"jay-phone": mentee, "jay-laptop": mentee, "sam": mentor, "mo": moderator}
    got = {tag: [] for tag in posters}
    errors: list[Exception] = []
    threads = [
        threading.Thread(target=_post_many, args=(room, user, tag, got[tag], errors))
        for tag, user in posters.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    for tag in posters:
        ids = got[tag]
        assert len(ids) == 15 and ids == sorted(ids)  # each socket's ids only go up
        bodies = list(
            Message.objects.filter(pk__in=ids).order_by("id").values_list("body", flat=True)
        )
        assert bodies == [f"{tag} {n}" for n in range(15)]
    assert Message.objects.filter(room=room).count() == 60
    jay = Membership.objects.get(room=room, user=mentee)
    assert jay.posted_count == 10 + 30
    assert jay.last_read_id == max(got["jay-phone"] + got["jay-laptop"])


@pytest.mark.postgres
def test_a_post_takes_two_statements_and_commits_on_its_own(room, mentee, mentor):
    posting.active_filters()  # the word lists are read once every few seconds, not per post
    with CaptureQueriesContext(connection) as queries:
        result = services.post_message(room=room, author=mentee, body="Hello", client_id="a1")
    assert len(queries) == 2, [q["sql"][:60] for q in queries]
    assert result.events and result.events[0][1]["id"] == result.message.pk
    assert Message.objects.get(pk=result.message.pk).body == "Hello"
    assert Membership.objects.get(room=room, user=mentee).last_read_id == result.message.pk


@pytest.mark.postgres
def test_a_room_locked_between_the_read_and_the_save_refuses_the_post(
    room, mentee, moderator, monkeypatch
):
    """The room is read without a lock; if a moderator changes it before the message is saved,
    nothing is saved and the post is checked again, under the room's lock."""
    real = posting._decide
    calls = []

    def decide_then_lock(**kwargs):
        decision = real(**kwargs)
        if not calls:
            Room.objects.filter(pk=room.pk).update(locked=True)
        calls.append(1)
        return decision

    monkeypatch.setattr(posting, "_decide", decide_then_lock)
    with pytest.raises(services.ChatError) as refused:
        services.post_message(room=room, author=mentee, body="Just in time?", client_id="b1")
    assert refused.value.code == "read_only" and len(calls) == 2
    assert not Message.objects.exists()
    assert Membership.objects.get(room=room, user=mentee).posted_count == 10
    # A moderator may still post in a read-only room.
    assert services.post_message(room=room, author=moderator, body="Back soon", client_id="b2")


@pytest.mark.postgres
def test_a_mute_between_the_read_and_the_save_refuses_the_post(room, mentee, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    real = posting._decide
    calls = []

    def decide_then_mute(**kwargs):
        decision = real(**kwargs)
        if not calls:
            Membership.objects.filter(room=room, user=mentee).update(
                muted_until=timezone.now() + timedelta(hours=1)
            )
        calls.append(1)
        return decision

    monkeypatch.setattr(posting, "_decide", decide_then_mute)
    with pytest.raises(services.ChatError) as refused:
        services.post_message(room=room, author=mentee, body="Can I?", client_id="m1")
    assert refused.value.code == "muted"
    assert not Message.objects.exists()


def test_sqlite_and_postgres_agree_on_a_new_members_first_message(mentee, moderator):
    newcomer_room = make_room(moderators=[moderator])
    Membership.objects.create(room=newcomer_room, user=mentee)
    result = services.post_message(room=newcomer_room, author=mentee, body="Hi all", client_id="n")
    assert result.message.state == "held" and result.notices == ["held"]
    # To the room's moderators only, never to the room.
    assert [(group, event["type"]) for group, event in result.events] == [
        (services.moderators_group(newcomer_room.pk), "chat.held")
    ]
    membership = Membership.objects.get(room=newcomer_room, user=mentee)
    assert membership.posted_count == 1 and membership.tokens_at is not None


@pytest.fixture
def persistent_connections(monkeypatch):
    """Production's connection settings for the sockets' pool threads (the test settings close
    connections after every call): kept for a minute, with health checks; health checks counted."""
    from django.db import DEFAULT_DB_ALIAS
    from django.db.backends.postgresql.base import DatabaseWrapper

    from chat import consumers

    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "CONN_MAX_AGE", 60)
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "CONN_HEALTH_CHECKS", True)
    checks = []
    real = DatabaseWrapper.is_usable

    def counted(self):
        checks.append(1)
        return real(self)

    monkeypatch.setattr(DatabaseWrapper, "is_usable", counted)
    yield checks
    consumers.shutdown_db_pools()  # close the kept connections


def _one_thread(monkeypatch):
    """One pool thread, so every call gets the same (reused) connection."""
    monkeypatch.setattr("django.conf.settings.CHAT_DB_THREADS", 1)


@pytest.fixture
def socket_post(persistent_connections, monkeypatch):
    """``post_message`` as the room socket calls it, on one pool thread's kept connection."""
    from chat.consumers import _db

    _one_thread(monkeypatch)

    async def post(**kwargs):
        # Made inside the test's event loop: each loop has its own pool.
        return await _db(services.post_message)(**kwargs)

    return post


@pytest.mark.postgres
async def test_a_post_on_a_kept_connection_makes_no_health_check_round_trip(
    room, mentee, persistent_connections, socket_post
):
    post = socket_post
    await post(room=room.pk, author=mentee, body="first", client_id="k0", broadcast=False)
    persistent_connections.clear()
    for n in range(1, 4):
        result = await post(
            room=room.pk, author=mentee, body=f"post {n}", client_id=f"k{n}", broadcast=False
        )
        assert result.message.pk
    # Django would have sent SELECT 1 before each of these three posts.
    assert persistent_connections == []


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _kill(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        return cursor.fetchone()[0]


@pytest.mark.postgres
async def test_a_killed_connection_is_replaced_and_the_post_saved_once(room, mentee, socket_post):
    from asgiref.sync import sync_to_async

    from chat.consumers import _db

    post = socket_post
    await post(room=room.pk, author=mentee, body="before", client_id="b1", broadcast=False)
    # The pool thread's connection is killed while it waits (as a restart of PostgreSQL would).
    assert await sync_to_async(_kill)(await _db(_backend_pid)())
    result = await post(room=room.pk, author=mentee, body="after", client_id="b2", broadcast=False)
    assert result.duplicate is False
    bodies = await sync_to_async(
        lambda: list(
            Message.objects.filter(room=room).order_by("id").values_list("body", flat=True)
        )
    )()
    assert bodies == ["before", "after"]


@pytest.mark.postgres
async def test_an_error_that_is_not_a_lost_connection_is_not_tried_twice(
    room, persistent_connections, monkeypatch
):
    from django.db import ProgrammingError

    from chat.consumers import _db

    _one_thread(monkeypatch)
    calls = []

    def bad_query():
        calls.append(1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM chat_room")

    await _db(lambda: Room.objects.count())()  # the thread's connection, kept
    with pytest.raises(ProgrammingError):
        await _db(bad_query)()
    assert calls == [1]
