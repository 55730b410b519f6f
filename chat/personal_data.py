"""Chat's part of "My data": the person's memberships, their own messages and reports, and the
sanctions on them. Never another member's message, and never a pair room's name (it holds the
other person's name): a pair room is called "Your mentoring chat".
"""

from __future__ import annotations

from accounts.hooks import Section
from accounts.models import User
from accounts.personal_data import section
from chat.models import ChatBreak, Membership, Message, Report, Room, RoomKind, Sanction


def room_label(room: Room) -> str:
    return "Your mentoring chat" if room.kind == RoomKind.PAIR else room.name


def _room(row) -> str:
    return room_label(row.room)


def sections(user: User) -> list[Section]:
    return [
        *section(
            "chat.memberships",
            "Chat groups you are in",
            Membership.objects.filter(user=user).select_related("room").order_by("pk"),
            [("room", _room), "role", "joined_at"],
        ),
        *section(
            "chat.messages",
            "Messages you wrote",
            Message.objects.filter(author=user).select_related("room").order_by("pk"),
            [("room", _room), "body", "state", "created_at", "edited_at"],
        ),
        *section(
            "chat.reports",
            "Messages you reported",
            Report.objects.filter(reporter=user).order_by("pk"),
            ["reason", "created_at", "resolved_at"],
        ),
        *section(
            "chat.sanctions",
            "Limits put on you in chat",
            Sanction.objects.filter(user=user).select_related("room").order_by("pk"),
            [("room", _room), "level", "reason", "until", "created_at"],
        ),
        *section(
            "chat.breaks",
            "Breaks you took from chat",
            ChatBreak.objects.filter(user=user).select_related("room").order_by("pk"),
            [("room", lambda row: room_label(row.room) if row.room_id else ""), "until"],
        ),
    ]
