"""Crisis routing, read side: who may open what (missing and forbidden both give 404), what the
pages list, the "Needs you today" counts, and the moderation log in plain words."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from chat.models import (
    CheckIn,
    CrisisItem,
    MemberRole,
    ModerationAction,
    OnCallShift,
    Room,
    WeeklyOnCall,
)
from chat.services.crisis import CRISIS_ROLES, can_act_on, can_manage_rota, on_call
from chat.services.rooms import held_waiting, reports_waiting


def access_crisis_item(user: User, pk: int) -> CrisisItem:
    """A crisis item the person may act on (services.crisis.can_act_on); 404 otherwise."""
    item = (
        CrisisItem.objects.select_related("room", "person", "message", "claimed_by", "handled_by")
        .filter(pk=pk)
        .first()
    )
    if item is None or not can_act_on(user, item):
        raise Http404
    return item


def access_check_in(user: User, pk: int) -> CheckIn:
    """A check-in sent to this person; 404 for anyone else (moderators read it on the item)."""
    check_in = CheckIn.objects.select_related("item").filter(pk=pk, to_id=user.pk).first()
    if check_in is None or not user.is_active:
        raise Http404
    return check_in


def require_rota_manager(user: User) -> None:
    if not can_manage_rota(user):
        raise Http404


def open_items_for(user: User, *, room: Room | None = None) -> list[CrisisItem]:
    """Open crisis items the person can act on (in ``room`` if given), oldest first: one query."""
    items = CrisisItem.objects.open().select_related("room", "person", "message", "claimed_by")
    if room is not None:
        items = items.filter(room=room)
    if not user.has_role(*CRISIS_ROLES):
        items = items.filter(
            room__memberships__user=user, room__memberships__role=MemberRole.MODERATOR
        )
    return list(items.order_by("created_at", "id")[:100])


def later_crisis_messages(item: CrisisItem) -> list[ModerationAction]:
    """Every crisis message from the person in the room since the item opened (the first too)."""
    return list(
        ModerationAction.objects.filter(
            room=item.room_id,
            subject=item.person_id,
            action="crisis.alert",
            created_at__gte=item.created_at,
        )
        .select_related("message")
        .order_by("id")
    )


def item_log(item: CrisisItem) -> list[ModerationAction]:
    return list(
        ModerationAction.objects.filter(
            room=item.room_id, subject=item.person_id, created_at__gte=item.created_at
        )
        .filter(action__startswith="crisis.")
        .select_related("actor")
        .order_by("id")
    )


def rota(now=None) -> tuple[list[OnCallShift], list[WeeklyOnCall], list[User]]:
    """One-off shifts that have not ended yet, the weekly slots, and who is on call for the
    organisation now (from both)."""
    now = now or timezone.now()
    shifts = list(
        OnCallShift.objects.filter(ends_at__gt=now)
        .select_related("person", "room")
        .order_by("starts_at", "id")[:200]
    )
    weekly = list(WeeklyOnCall.objects.select_related("person", "room")[:200])
    return shifts, weekly, on_call(room=None, now=now)


def attention_items(user: User) -> list:
    """Crises, reports and held messages for the "Needs you today" card (one query each)."""
    from accounts.hooks import AttentionItem
    from chat.services.crisis import crises_waiting

    if not user.is_authenticated:
        return []
    items = []
    if user.has_role(*CRISIS_ROLES):
        count = crises_waiting(user)
        if count or user.has_role(Role.MODERATOR):
            items.append(
                AttentionItem(
                    _("Someone may be in danger"), count, reverse("chat:crisis_items"), order=5
                )
            )
    if user.has_role(Role.MODERATOR, Role.COORDINATOR):
        items += [
            AttentionItem(
                _("Chat reports waiting"), reports_waiting(user), reverse("chat:rooms"), order=30
            ),
            AttentionItem(
                _("Messages waiting for a moderator"),
                held_waiting(user),
                reverse("chat:rooms"),
                order=31,
            ),
        ]
    return items


# --- The moderation log in plain words ----------------------------------------------------------

PLAIN_ACTIONS = {
    "crisis.alert": gettext_lazy("Crisis words: support lines shown, people on call told"),
    "crisis.concern": gettext_lazy("Safeguarding leads told (a room no moderator watches)"),
    "crisis.claimed": gettext_lazy("Said they are looking at a crisis"),
    "crisis.handled": gettext_lazy("Marked a crisis handled"),
    "crisis.escalated": gettext_lazy("Nobody acted in time: safeguarding concern raised"),
    "crisis.check_in": gettext_lazy("Sent a private check-in"),
    "crisis.check_in_reply": gettext_lazy("Answered a private check-in"),
    "concern.raised": gettext_lazy("Raised a safeguarding concern"),
    "message.blocked": gettext_lazy("Message stopped by the word list"),
    "message.hidden_by_reports": gettext_lazy("Message hidden after reports"),
    "message.hide": gettext_lazy("Hid a message"),
    "message.restore": gettext_lazy("Showed a message again"),
    "message.approve": gettext_lazy("Approved a held message"),
    "message.delete": gettext_lazy("Deleted a message"),
    "reports.dismissed": gettext_lazy("Kept a message and closed its reports"),
    "member.added": gettext_lazy("Added someone"),
    "member.warning": gettext_lazy("Gave a warning"),
    "member.mute": gettext_lazy("Paused someone's messages"),
    "member.removal": gettext_lazy("Removed someone from the room"),
    "member.ban": gettext_lazy("Banned someone from the room"),
    "member.unmuted": gettext_lazy("Let someone post again"),
    "member.unbanned": gettext_lazy("Lifted a ban"),
    "room.locked": gettext_lazy("Made the room read-only"),
    "room.unlocked": gettext_lazy("Opened the room for messages again"),
    "room.slow": gettext_lazy("Changed slow mode"),
    "room.meeting": gettext_lazy("Changed meeting mode"),
    "room.floor": gettext_lazy("Gave someone the floor"),
    "room.hand_lowered": gettext_lazy("Lowered someone's raised hand"),
    "filter.saved": gettext_lazy("Changed the word list"),
    "filter.deleted": gettext_lazy("Took a word off the word list"),
    "on_call.added": gettext_lazy("Put someone on call"),
    "on_call.removed": gettext_lazy("Took someone off the on-call rota"),
    "check_in_wording.saved": gettext_lazy("Changed a pre-written check-in"),
    "check_in_wording.deleted": gettext_lazy("Removed a pre-written check-in"),
}


def plain_action(code: str) -> str:
    """What a log code means, in words; an unknown code is made readable rather than shown raw."""
    words = PLAIN_ACTIONS.get(code)
    if words is not None:
        return str(words)
    return code.replace(".", ": ").replace("_", " ").capitalize()
