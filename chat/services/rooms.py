"""Rooms and who is in them: groups, pair rooms from mentoring's signals, breaks."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from accounts.roles import Role
from chat.models import (
    Ban,
    ChatBreak,
    MemberRole,
    Membership,
    Message,
    MessageState,
    Room,
    RoomKind,
)
from chat.services.base import (
    _broadcast_room,
    _log,
    logger,
)


@transaction.atomic
def create_room(
    *,
    by: User,
    name: str,
    kind: str = RoomKind.PEER_SUPPORT,
    is_open: bool = False,
    description: str = "",
) -> Room:
    from chat.permissions import can_manage_rooms

    if not can_manage_rooms(by):
        raise PermissionDenied
    if kind not in (RoomKind.PEER_SUPPORT, RoomKind.SUPERVISION):
        raise ValidationError({"kind": _("Choose a peer support or a supervision group.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Please give the group a name.")})
    room = Room.objects.create(
        name=name[:80],
        kind=kind,
        is_open=is_open and kind == RoomKind.PEER_SUPPORT,
        description=description[:300],
    )
    audit.record(actor=by, action="chat.room.created", target=room, summary=kind)
    return room


SUPERVISION_ROLES = (Role.PEER_MENTOR, Role.COORDINATOR)


@transaction.atomic
def add_member(*, room: Room, user: User, by: User, role: str = MemberRole.MEMBER) -> Membership:
    """Coordinators (and the room's moderators) add people; supervision groups take only peer
    mentors and coordinators; moderators must hold the site's moderator or coordinator role."""
    from chat.permissions import can_manage_rooms

    is_room_mod = Membership.objects.filter(room=room, user=by, role=MemberRole.MODERATOR).exists()
    if not (can_manage_rooms(by) or is_room_mod) or room.kind == RoomKind.PAIR:
        raise PermissionDenied
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose member or moderator.")})
    if room.kind == RoomKind.SUPERVISION and not user.has_role(*SUPERVISION_ROLES):
        raise ValidationError({"email": _("Supervision groups are for peer mentors and staff.")})
    if role == MemberRole.MODERATOR and not user.has_role(Role.MODERATOR, Role.COORDINATOR):
        raise ValidationError({"role": _("Only moderators and coordinators can moderate.")})
    if Ban.objects.filter(room=room, user=user).exists():
        raise ValidationError({"email": _("That person is banned from this room.")})
    membership, _created = Membership.objects.update_or_create(
        room=room, user=user, defaults={"role": role}
    )
    _log(room=room, actor=by, action="member.added", subject=user, reason=role)
    return membership


@transaction.atomic
def join_room(*, room: Room, user: User) -> Membership:
    """Join an open peer support group (access_joinable_room checked bans)."""
    if not room.is_open or Ban.objects.filter(room=room, user=user).exists():
        raise PermissionDenied
    membership, _created = Membership.objects.get_or_create(room=room, user=user)
    return membership


@transaction.atomic
def leave_room(*, membership: Membership) -> None:
    membership.delete()


# --- Taking a break -----------------------------------------------------------------------------


BREAK_CHOICES_MINUTES = (60, 60 * 24, 60 * 24 * 7)


@transaction.atomic
def take_break(
    *, user: User, room: Room | None, minutes: int, pause_notices: bool = False
) -> ChatBreak:
    """Quiet a room (or all chat) for a while: no unread counts, a reminder on the room page.
    With ``pause_notices`` only urgent notifications reach the person until the break ends."""
    if minutes not in BREAK_CHOICES_MINUTES:
        raise ValidationError({"minutes": _("Please choose how long.")})
    if room is not None and not Membership.objects.filter(room=room, user=user).exists():
        raise PermissionDenied
    until = timezone.now() + timedelta(minutes=minutes)
    chat_break, _created = ChatBreak.objects.update_or_create(
        user=user, room=room, defaults={"until": until}
    )
    if pause_notices:
        from notifications.services import take_a_break

        take_a_break(user=user, until=until)
    return chat_break


def end_break(*, user: User, room: Room | None) -> None:
    ChatBreak.objects.filter(user=user, room=room).delete()
    if room is None:
        from notifications.models import Preferences
        from notifications.services import take_a_break

        if Preferences.objects.filter(user=user, paused_until__gt=timezone.now()).exists():
            take_a_break(user=user, until=None)


def on_break(user: User, room_id: int | None = None) -> bool:
    q = Q(room=None) | Q(room_id=room_id) if room_id else Q(room=None)
    return ChatBreak.objects.filter(q, user=user, until__gt=timezone.now()).exists()


# --- Pair rooms (mentoring's signals) -----------------------------------------------------------


@transaction.atomic
def open_pair_room(*, match_id: int, mentor_id: int, mentee_id: int) -> Room | None:
    """A match became active (or resumed): its room opens with both people in it."""
    people = {u.pk: u for u in User.objects.filter(pk__in=[mentor_id, mentee_id])}
    if len(people) != 2:
        logger.warning("pair room for match %s: a person is missing", match_id)
        return None
    room, created = Room.objects.select_for_update().get_or_create(
        match_id=match_id,
        defaults={
            "name": _("%(a)s and %(b)s")
            % {"a": people[mentor_id].display_name, "b": people[mentee_id].display_name},
            "kind": RoomKind.PAIR,
        },
    )
    if room.closed_at is not None:
        room.closed_at = None
        room.save(update_fields=["closed_at"])
    for user_id in (mentor_id, mentee_id):
        Membership.objects.get_or_create(room=room, user_id=user_id)
    if created:
        audit.record(actor=None, action="chat.pair_room.opened", target=room, summary="match")
    _broadcast_room(room)
    return room


@transaction.atomic
def close_pair_room(*, match_id: int, reason: str = "") -> None:
    """A match ended: its room stays readable by both people but takes no new messages."""
    room = Room.objects.select_for_update().filter(match_id=match_id).first()
    if room is None or room.closed_at is not None:
        return
    room.closed_at = timezone.now()
    room.save(update_fields=["closed_at"])
    audit.record(actor=None, action="chat.pair_room.closed", target=room, summary=reason[:60])
    _broadcast_room(room)


# --- Lists --------------------------------------------------------------------------------------


def reports_waiting(user: User) -> int:
    """Messages with open reports, in rooms the person moderates. One query."""
    return (
        Message.objects.filter(
            room__memberships__user=user, room__memberships__role=MemberRole.MODERATOR
        )
        .filter(reports__resolved_at=None, reports__isnull=False)
        .exclude(state=MessageState.DELETED)
        .aggregate(n=Count("id", distinct=True))["n"]
    )


def held_waiting(user: User) -> int:
    """Held messages waiting for a moderator, in rooms the person moderates. One query."""
    return Message.objects.filter(
        room__memberships__user=user,
        room__memberships__role=MemberRole.MODERATOR,
        state=MessageState.HELD,
    ).count()
