"""Read-side queries the views, the Today card and the consumer share."""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from chat.models import (
    ChatBreak,
    Membership,
    Message,
    MessageState,
    Room,
    Sanction,
    SanctionLevel,
)
from chat.services import reports_waiting
from chat.services.rooms import held_waiting


def memberships_with_unread(user: User) -> QuerySet[Membership]:
    """The person's rooms with unread counts and whether they are on a break: one query."""
    unread = (
        Message.objects.filter(
            room=OuterRef("room_id"), state=MessageState.VISIBLE, id__gt=OuterRef("last_read_id")
        )
        .exclude(author=user)
        .order_by()
        .values("room")
        .annotate(n=Count("id"))
        .values("n")
    )
    resting = ChatBreak.objects.filter(
        Q(room=None) | Q(room=OuterRef("room_id")), user=user, until__gt=timezone.now()
    )
    return (
        Membership.objects.filter(user=user)
        .select_related("room")
        .annotate(
            unread=Coalesce(Subquery(unread, output_field=IntegerField()), 0),
            resting=Exists(resting),
        )
        .order_by("room__name", "room_id")
    )


def open_groups_to_join(user: User) -> QuerySet[Room]:
    """Open peer support groups the person is not in and not banned from: one query."""
    return (
        Room.objects.filter(is_open=True, closed_at=None)
        .exclude(memberships__user=user)
        .exclude(
            pk__in=Sanction.objects.in_force()
            .filter(user=user, level=SanctionLevel.BAN)
            .values("room_id")
        )
        .order_by("name", "id")
    )


def today_summary(user: User) -> dict:
    """Unread messages per room (not on a break) and, for moderators, what waits for them."""
    rows = [m for m in memberships_with_unread(user) if m.unread and not m.resting]
    # Only moderators and coordinators can moderate a room (services.add_member).
    waiting = 0
    if user.has_role(Role.MODERATOR, Role.COORDINATOR):
        waiting = reports_waiting(user) + held_waiting(user)
    return {
        "rooms": [(m.room, m.unread) for m in rows],
        "unread": sum(m.unread for m in rows),
        "waiting": waiting,
    }
