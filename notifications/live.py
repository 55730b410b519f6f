"""The unread count in the header, kept live over the person's open websockets."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db.models import Count

from notifications.models import Notification

log = logging.getLogger(__name__)


def send_unread_count(user_id: int) -> None:
    send_unread_counts_to([user_id])


def send_unread_counts_to(user_ids: Iterable[int]) -> None:
    """Tell each person's open pages their unread count: one query and one trip to the channel
    layer for all of them, whatever their number."""
    ids = sorted(set(user_ids))
    layer = get_channel_layer()
    if not ids or layer is None:
        return
    counts = dict(
        Notification.objects.filter(recipient_id__in=ids)
        .unread()
        .order_by()
        .values("recipient_id")
        .annotate(unread=Count("id"))
        .values_list("recipient_id", "unread")
    )

    async def send_all() -> None:
        for user_id in ids:
            await layer.group_send(
                f"user.{user_id}", {"type": "notifications.unread", "count": counts.get(user_id, 0)}
            )

    try:
        async_to_sync(send_all)()
    except Exception:  # noqa: BLE001 - a live badge must never stop a notice being delivered
        log.warning("Could not update the unread counts of %s people live", len(ids), exc_info=True)
