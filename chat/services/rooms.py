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


@transaction.atomic
def start_group(
    *,
    by: User,
    name: str,
    kind: str = RoomKind.PEER_SUPPORT,
    is_open: bool = False,
    description: str = "",
) -> Room:
    """A coordinator starts a group and is its first moderator: the room and the moderator's
    place in it, together or not at all (no group left without a moderator)."""
    room = create_room(by=by, name=name, kind=kind, is_open=is_open, description=description)
    add_member(room=room, user=by, by=by, role=MemberRole.MODERATOR)
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
    from chat.models import SanctionLevel

    if _sanction_in_force(room, user, SanctionLevel.BAN):
        raise ValidationError({"email": _("That person is banned from this room.")})

    if _sanction_in_force(room, user, SanctionLevel.REMOVAL, SanctionLevel.BAN):
        raise ValidationError(
            {"email": _("That person was removed: let them back in first (under People).")}
        )
    membership = _new_membership(room=room, user=user, role=role, agreed_at=timezone.now())
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    _log(room=room, actor=by, action="member.added", subject=user, reason=role)
    return membership


# Open groups are open to people with one of these roles; anyone else asks and a moderator decides.
MEMBER_ROLES = (Role.MENTEE, Role.PEER_MENTOR, Role.VOLUNTEER)

DEFAULT_AGREEMENT = _(
    "Be kind: everyone here is working on their recovery.\n"
    "Keep it safe: no phone numbers, addresses, e-mail or social media names, and no meeting up "
    "outside the group's own meetings.\n"
    "No offering, asking for or talking up drugs or alcohol.\n"
    "What is said here stays here.\n"
    "If you are worried about someone, or about yourself, tell a moderator."
)


def house_rules(room: Room) -> list[str]:
    """The room's house rules, one a line, in plain words."""
    return [line for line in (room.agreement or DEFAULT_AGREEMENT).splitlines() if line.strip()]


def may_join_open_groups(user: User) -> bool:
    return user.is_authenticated and user.has_role(*MEMBER_ROLES)


def _sanction_in_force(room: Room, user: User, *levels: str):
    from chat.models import Sanction

    return Sanction.objects.in_force().filter(room=room, user=user, level__in=levels).first()


def _new_membership(*, room: Room, user: User, **fields) -> Membership:
    """A membership that carries any mute still in force (a mute belongs to the person and the
    room, so leaving and joining again does not end it)."""
    from chat.models import SanctionLevel

    mute = _sanction_in_force(room, user, SanctionLevel.MUTE)
    membership, _created = Membership.objects.get_or_create(
        room=room, user=user, defaults={**fields, "muted_until": mute.until if mute else None}
    )
    return membership


def _refuse_if_kept_out(room: Room, user: User) -> None:
    from chat.models import SanctionLevel

    if _sanction_in_force(room, user, SanctionLevel.REMOVAL, SanctionLevel.BAN):
        raise PermissionDenied


@transaction.atomic
def join_room(*, room: Room, user: User, agreed: bool = False) -> Membership:
    """Join an open peer support group: for people with a member role (MEMBER_ROLES) who agree to
    its house rules. Removed or banned people are refused until a moderator lets them back."""
    if not room.is_open or room.closed_at is not None or not may_join_open_groups(user):
        raise PermissionDenied
    _refuse_if_kept_out(room, user)
    if not agreed:
        raise ValidationError({"agreed": _("Please read the house rules and tick to agree.")})
    membership = _new_membership(room=room, user=user, agreed_at=timezone.now())
    if membership.agreed_at is None:
        Membership.objects.filter(pk=membership.pk).update(agreed_at=timezone.now())
    _log(room=room, actor=user, action="member.joined", subject=user, reason="agreed house rules")
    return membership


@transaction.atomic
def ask_to_join(*, room: Room, user: User, agreed: bool = False):
    """Someone without a member role asks to join an open group; its moderators decide."""
    from chat.models import JoinRequest

    if not room.is_open or room.closed_at is not None:
        raise PermissionDenied
    _refuse_if_kept_out(room, user)
    if not agreed:
        raise ValidationError({"agreed": _("Please read the house rules and tick to agree.")})
    request, created = JoinRequest.objects.get_or_create(room=room, user=user, decided_at=None)
    if created:
        _log(room=room, actor=user, action="member.asked_to_join", subject=user)
    return request


@transaction.atomic
def decide_join_request(*, request, by: User, approve: bool):
    """A room moderator lets someone in (they agreed to the house rules when asking) or not."""
    from chat.models import JoinRequest
    from chat.services.base import _require_moderator

    request = (
        JoinRequest.objects.select_for_update().select_related("room", "user").get(pk=request.pk)
    )
    _require_moderator(request.room, by)
    if request.decided_at is not None:
        return request
    request.decided_at, request.decided_by, request.approved = timezone.now(), by, approve
    request.save(update_fields=["decided_at", "decided_by", "approved"])
    if approve:
        _refuse_if_kept_out(request.room, request.user)
        membership = _new_membership(
            room=request.room, user=request.user, agreed_at=request.created_at
        )
        if membership.agreed_at is None:
            Membership.objects.filter(pk=membership.pk).update(agreed_at=request.created_at)
    _log(
        room=request.room,
        actor=by,
        action="member.request_approved" if approve else "member.request_declined",
        subject=request.user,
    )
    return request


@transaction.atomic
def leave_room(*, membership: Membership) -> None:
    membership.delete()


# --- Muting someone for yourself ---------------------------------------------------------------


@transaction.atomic
def mute_for_me(*, room: Room, user: User, muted: User, on: bool) -> None:
    """A member stops (or starts again) seeing another member's messages in full: they collapse
    for this member only. Both must be in the room; nobody else is told."""
    from chat.models import PersonalMute

    if muted.pk == user.pk:
        raise ValidationError({"user": _("You cannot mute yourself.")})
    in_room = Membership.objects.filter(room=room, user_id__in=[user.pk, muted.pk]).count()
    if in_room != 2:
        raise PermissionDenied
    if on:
        PersonalMute.objects.get_or_create(user=user, muted=muted)
    else:
        PersonalMute.objects.filter(user=user, muted=muted).delete()


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
