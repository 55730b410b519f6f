"""Chat pages. Thin: parse, one access helper, one service, render.

The room page works without JavaScript (history paged by id and a post form); chat/static/chat/
room.js upgrades it to live chat over the websocket.
"""

from chat.views.meetings import end_break, floor, hand, lower_hand, mute_for_me, take_break
from chat.views.moderation import (
    add_member,
    appeal,
    delete_filter,
    lift_sanction,
    moderate,
    moderate_bulk,
    moderate_message,
    raise_concern,
    room_settings,
    sanction,
    word_filters,
)
from chat.views.rooms import (
    decide_join,
    delete_message,
    edit_message,
    history_json,
    join,
    leave,
    new_room,
    report_message,
    room,
    rooms,
)

__all__ = [
    "add_member",
    "appeal",
    "decide_join",
    "delete_filter",
    "delete_message",
    "edit_message",
    "end_break",
    "floor",
    "hand",
    "history_json",
    "join",
    "leave",
    "lift_sanction",
    "lower_hand",
    "moderate",
    "moderate_bulk",
    "moderate_message",
    "mute_for_me",
    "new_room",
    "raise_concern",
    "report_message",
    "room",
    "room_settings",
    "rooms",
    "sanction",
    "take_break",
    "word_filters",
]
