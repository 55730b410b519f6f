"""Moderating from a phone, over the socket: a raised hand reaches the chair's page with the name
(so it can be listed without a reload), and many messages shown at once reach members as changes."""

import pytest
from channels.db import database_sync_to_async

from chat import services
from chat.models import Membership, Message, MessageState
from tests.chat.test_consumers import Socket

pytestmark = [pytest.mark.django_db(transaction=True)]


async def test_a_raised_hand_reaches_the_chair_with_the_name(room, mentee, moderator, fresh_layer):
    await database_sync_to_async(services.update_room_settings)(
        room=room, by=moderator, reason="Weekly meeting", meeting_mode=True
    )
    async with Socket(moderator, room) as chair:
        await chair.receive_type("hello")
        membership = await database_sync_to_async(Membership.objects.select_related("room").get)(
            room=room, user=mentee
        )
        await database_sync_to_async(services.raise_hand)(membership=membership, raised=True)
        frame = await chair.receive_type("hand")
        assert frame == {"type": "hand", "user": mentee.pk, "name": "Jay Mentee", "raised": True}


async def test_many_shown_at_once_reach_members_as_changes(
    room, mentee, mentor, moderator, fresh_layer
):
    def hold_two():
        return [
            Message.objects.create(
                room=room, author=mentee, body=f"wait {n}", state=MessageState.HELD
            )
            for n in range(2)
        ]

    waiting = await database_sync_to_async(hold_two)()
    async with Socket(mentor, room) as sam:
        await sam.receive_type("hello")
        await database_sync_to_async(services.moderate_messages)(
            room=room, by=moderator, message_ids=[m.pk for m in waiting], action="approve"
        )
        frames = [await sam.receive_type("message"), await sam.receive_type("message")]
        assert sorted(f["message"]["body"] for f in frames) == ["wait 0", "wait 1"]
        assert all(f["change"] for f in frames)
