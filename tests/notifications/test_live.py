"""The header's unread count changes live on a page with a websocket (the chat room)."""

import pytest
from channels.db import database_sync_to_async

from notifications import notify
from tests.chat.test_consumers import Socket

pytestmark = [pytest.mark.django_db(transaction=True)]


def _tell(user, key):
    return notify(
        to=user,
        kind="tests.any_channel",
        key=key,
        context={"url": "/me/", "sender_name": "Sam", "text": "x"},
    )


async def test_a_new_notice_updates_the_count_on_an_open_room(room, mentee, fresh_layer):
    async with Socket(mentee, room) as ws:
        assert ws.connected
        await ws.receive_type("hello")
        await database_sync_to_async(_tell)(mentee, "live-1")
        frame = await ws.receive_type("unread")
        assert frame == {"type": "unread", "count": 1}
        await database_sync_to_async(_tell)(mentee, "live-2")
        assert (await ws.receive_type("unread"))["count"] == 2
