"""Chat fixtures: a peer support group with a moderator and two established members."""

from datetime import timedelta

import pytest
from channels.layers import get_channel_layer
from django.test import Client
from django.utils import timezone

from chat import services
from chat.models import MemberRole, Membership, Room, RoomKind
from chat.services import base as services_base


@pytest.fixture(autouse=True)
def _fresh_filter_cache():
    services.clear_filter_cache()
    yield
    services.clear_filter_cache()


@pytest.fixture
def default_filters(db):
    services.install_default_filters()


def make_room(*members, moderators=(), kind=RoomKind.PEER_SUPPORT, **fields) -> Room:
    room = Room.objects.create(name=fields.pop("name", "Thursday group"), kind=kind, **fields)
    # Established members: in the room for a month and posting, so their messages are not held
    # as a newcomer's would be and their reports count.
    since = timezone.now() - timedelta(days=30)
    for user in moderators:
        Membership.objects.create(
            room=room, user=user, role=MemberRole.MODERATOR, posted_count=10, joined_at=since
        )
    for user in members:
        Membership.objects.create(room=room, user=user, posted_count=10, joined_at=since)
    return room


@pytest.fixture
def room(db, moderator, mentee, mentor):
    return make_room(mentee, mentor, moderators=[moderator])


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture
async def fresh_layer():
    layer = get_channel_layer()
    if hasattr(layer, "flush"):
        await layer.flush()
    yield layer
    if hasattr(layer, "flush"):
        await layer.flush()


class RecordingLayer:
    """Stands in for the channel layer in service tests: records what would be broadcast."""

    def __init__(self):
        self.sent: list[tuple[str, dict]] = []

    async def group_send(self, group, event):
        self.sent.append((group, event))

    def types(self, group=None) -> list[str]:
        return [e["type"] for g, e in self.sent if group is None or g == group]


@pytest.fixture
def layer(monkeypatch):
    recorder = RecordingLayer()
    monkeypatch.setattr(services_base, "get_channel_layer", lambda: recorder)
    return recorder


@pytest.fixture(autouse=True)
def _close_worker_connections(request):
    """After a websocket test on PostgreSQL, end the idle connections its worker threads left on
    this run's own test database (the threads are gone; their connections would block the
    database's teardown). Nothing outside this test database is touched."""
    yield
    from django.db import connection

    marker = request.node.get_closest_marker("django_db")
    if connection.vendor != "postgresql" or not (marker and marker.kwargs.get("transaction")):
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle'"
        )


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The word filters' figures (tests/chat/test_filters.py), whenever that test ran."""
    from tests.chat import test_filters
    from tests.chat.filter_corpus import figures_line

    if test_filters.FIGURES:
        terminalreporter.write_line(figures_line(test_filters.FIGURES))
