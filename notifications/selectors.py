from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.hooks import TodayCard
from notifications.models import Notification

TODAY_LIMIT = 5


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user).unread().count()


def inbox(user):
    return Notification.objects.filter(recipient=user).only(
        "id", "title", "body", "action", "created_at", "read_at", "needs_answer", "done_at"
    )


def today_cards(user) -> list[TodayCard]:
    """New notices and those waiting for an answer, at the top of Today (one query)."""
    if not user.is_authenticated:
        return []
    waiting = list(
        Notification.objects.filter(recipient=user)
        .filter(Q(read_at__isnull=True) | Q(needs_answer=True, done_at__isnull=True))
        .only("id", "title", "needs_answer", "done_at", "read_at", "created_at", "urgent")
        .order_by("-needs_answer", "-created_at", "-id")[: TODAY_LIMIT + 1]
    )
    if not waiting:
        return []
    return [
        TodayCard(
            title=_("For you"),
            template="notifications/today_card.html",
            context={"items": waiting[:TODAY_LIMIT], "more": len(waiting) > TODAY_LIMIT},
            order=1,
            url=reverse("notifications:inbox"),
        )
    ]
