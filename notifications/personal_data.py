"""The platform's part of "My data": what the person was told and how, their choices about it,
the texts they sent us, and whether they have a calendar address.

Left out on purpose: the words of each notice (they name other people: "Sam said yes"; the
inbox shows them to the person), the calendar address and push addresses (secrets: anyone holding
one reads the calendar or sends to the phone) and the phone-confirmation code.
"""

from __future__ import annotations

from accounts.hooks import Section
from accounts.models import User
from accounts.personal_data import section
from notifications import kinds
from notifications.models import (
    CalendarFeed,
    InboundText,
    Notification,
    Preferences,
    PushSubscription,
)


def _kind_label(notification: Notification) -> str:
    try:
        return str(kinds.get(notification.kind).label)
    except LookupError:
        return notification.kind


def sections(user: User) -> list[Section]:
    notices = Notification.objects.filter(recipient=user).prefetch_related("deliveries")
    return [
        *section(
            "notices",
            "What we told you, and how",
            notices.order_by("created_at", "pk"),
            [
                ("about", _kind_label),
                "created_at",
                "read_at",
                (
                    "sent_by",
                    lambda n: {d.channel: d.get_status_display() for d in n.deliveries.all()},
                ),
            ],
        ),
        *section(
            "notice_choices",
            "How you want to be told",
            Preferences.objects.filter(user=user),
            [
                "show_details",
                "default_channels",
                "channels",
                "quiet_start",
                "quiet_end",
                "phone",
                "phone_confirmed_at",
                "texts_stopped_at",
                "paused_until",
            ],
        ),
        *section(
            "texts_you_sent",
            "Text messages you sent us",
            InboundText.objects.filter(sender=user).order_by("received_at", "pk"),
            ["from_number", "body", "received_at"],
        ),
        *section(
            "phone_notifications",
            "Phones with notifications switched on",
            PushSubscription.objects.filter(user=user).order_by("created_at", "pk"),
            ["created_at"],
        ),
        *section(
            "calendar",
            "Your calendar address",
            CalendarFeed.objects.filter(user=user),
            [("made_on", lambda feed: feed.created_at)],
        ),
    ]
