"""The unread count in the header, kept live over the person's open websockets."""

from __future__ import annotations

import logging
from collections import Counter

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from notifications.models import Notification

log = logging.getLogger(__name__)


def send_unread_count(user_id: int) -> None:
    count = Notification.objects.filter(recipient_id=user_id).unread().count()
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            f"user.{user_id}", {"type": "notifications.unread", "count": count}
        )
    except Exception:  # noqa: BLE001 - a live badge must never stop a notice being delivered
        log.warning("Could not update the unread count of #%s live", user_id, exc_info=True)


def send_unread_counts(notification_ids: list[int]) -> None:
    recipients = Counter(
        Notification.objects.filter(pk__in=notification_ids).values_list("recipient_id", flat=True)
    )
    for user_id in recipients:
        send_unread_count(user_id)
