"""Who may see and do what in chat. Missing and forbidden both give 404 (existence never leaks).

Used by views and by the websocket consumer (through database_sync_to_async).
"""

from __future__ import annotations

from django.http import Http404

from accounts.models import User
from accounts.roles import Role
from chat.models import Membership, Message, MessageState, Room, Sanction, SanctionLevel


def membership_in(user: User, room_id: int) -> Membership | None:
    """The person's membership of the room (with the room), or None. One query."""
    if not user.is_authenticated or not user.is_active:
        return None
    membership = (
        Membership.objects.select_related("room").filter(user=user, room_id=room_id).first()
    )
    if (
        membership is not None
        and membership.room.is_open
        and not membership.is_moderator
        and membership.agreed_at is None
        and not user.has_role(Role.MENTEE, Role.PEER_MENTOR, Role.VOLUNTEER)
    ):
        # A role-less account in an open group that no moderator let in (joined before joining
        # asked for a member role) reads nothing there.
        return None
    return membership


def access_room(user: User, pk: int) -> Membership:
    """The person's membership of room ``pk`` (``.room`` loaded); 404 unless they are a member.

    Removal and a ban delete the membership, so both lose access at once.
    """
    membership = membership_in(user, pk)
    if membership is None:
        raise Http404
    return membership


def access_moderated_room(user: User, pk: int) -> Membership:
    """As access_room, for the room's moderators only."""
    membership = access_room(user, pk)
    if not membership.is_moderator:
        raise Http404
    return membership


def access_joinable_room(user: User, pk: int) -> Room:
    """An open peer support group the person may join (not banned from it)."""
    room = Room.objects.filter(pk=pk, is_open=True, closed_at=None).first()
    banned = (
        room is not None
        and Sanction.objects.in_force()
        .filter(room=room, user=user, level=SanctionLevel.BAN)
        .exists()
    )
    if room is None or banned:
        raise Http404
    return room


def access_message(user: User, pk: int) -> tuple[Message, Membership]:
    """A message the person can see, and their membership of its room.

    Members see visible messages and their own held ones; moderators also see held and hidden ones.
    """
    message = Message.objects.select_related("room", "author").filter(pk=pk).first()
    if message is None:
        raise Http404
    membership = membership_in(user, message.room_id)
    if membership is None or message.state == MessageState.DELETED:
        raise Http404
    if not membership.is_moderator and message.state != MessageState.VISIBLE:
        if not (message.state == MessageState.HELD and message.author_id == user.pk):
            raise Http404
    return message, membership


def can_manage_filters(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.MODERATOR, Role.ADMIN)


def can_manage_rooms(user: User) -> bool:
    """Coordinators create groups and add members; moderators run them."""
    return user.is_authenticated and user.has_role(Role.COORDINATOR, Role.ADMIN)
