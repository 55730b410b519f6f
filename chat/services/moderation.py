"""Reports, moderating messages, sanctions, room settings and meeting mode."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from chat.models import (
    LADDER,
    Appeal,
    Membership,
    Message,
    MessageState,
    Report,
    ReportCategory,
    Room,
    Sanction,
    SanctionLevel,
)
from chat.services.base import (
    ChatError,
    _broadcast_room,
    _kick,
    _log,
    _message_changed,
    _require_moderator,
    _require_reason,
    _send_after_commit,
    held_decided_event,
    moderators_group,
)

# --- Reports and moderation of messages ---------------------------------------------------------


def _report_counts(membership: Membership) -> bool:
    """Whether this member's report counts toward hiding a message: moderators, and members who
    have been in the room CHAT_REPORT_MIN_DAYS and posted there CHAT_REPORT_MIN_POSTS times (so a
    few new accounts together cannot silence someone)."""
    if membership.is_moderator:
        return True
    days = getattr(settings, "CHAT_REPORT_MIN_DAYS", 7)
    posts = getattr(settings, "CHAT_REPORT_MIN_POSTS", 3)
    return (
        membership.joined_at <= timezone.now() - timedelta(days=days)
        and membership.posted_count >= posts
    )


@transaction.atomic
def report_message(
    *, message: Message, by: User, reason: str = "", category: str = ReportCategory.OTHER
) -> Report:
    """A member reports a message, choosing what kind of problem it is (and saying why when it is
    "something else"); enough established members' reports hide it until a moderator looks."""
    if category not in ReportCategory.values:
        raise ValidationError({"category": _("Please choose what is wrong.")})
    reason = (reason or "").strip()[:300]
    if category == ReportCategory.OTHER and not reason:
        raise ValidationError({"reason": _("Please say what is wrong, in a few words.")})
    message = Message.objects.select_for_update().get(pk=message.pk)
    membership = Membership.objects.filter(room_id=message.room_id, user=by).first()
    if membership is None:
        raise PermissionDenied
    if message.author_id == by.pk:
        raise ValidationError({"reason": _("You cannot report your own message; delete it.")})
    report, _created = Report.objects.get_or_create(
        message=message,
        reporter=by,
        defaults={"reason": reason, "category": category, "counts": _report_counts(membership)},
    )
    reporters = Report.objects.filter(message=message, resolved_at=None, counts=True).count()
    if message.state == MessageState.VISIBLE and reporters >= settings.CHAT_REPORTS_TO_HIDE:
        message.state, message.hidden_by_reports = MessageState.HIDDEN, True
        message.save(update_fields=["state", "hidden_by_reports"])
        _log(
            room=message.room,
            actor=None,
            action="message.hidden_by_reports",
            subject=message.author,
            message=message,
            reason=f"{reporters} reports",
        )
        _message_changed(message)
    audit.record(actor=by, action="chat.message.reported", target=message, summary="report")
    return report


MESSAGE_ACTIONS = {"hide", "restore", "approve", "delete"}


@transaction.atomic
def moderate_message(*, message: Message, by: User, action: str, reason: str) -> Message:
    """A room moderator hides, restores, approves (a held message) or deletes a message."""
    if action not in MESSAGE_ACTIONS:
        raise ValidationError({"action": _("Please choose what to do.")})
    if action in ("approve", "restore"):
        # Showing a message speaks for itself; hiding or deleting it needs a why.
        reason = (reason or "").strip()[:300]
    else:
        reason = _require_reason(reason)
    message = (
        Message.objects.select_for_update(of=("self",))
        .select_related("author", "room")
        .get(pk=message.pk)
    )
    _require_moderator(message.room, by)
    if action == "approve" and message.state != MessageState.HELD:
        # A held message's Approve can be on several moderators' screens at once: approving one
        # another moderator hid, or its author deleted, must not show it (as the queue's does).
        raise ValidationError({"action": _("That message is no longer waiting for a moderator.")})
    was_visible = message.state == MessageState.VISIBLE
    was_held = message.state == MessageState.HELD
    message.state = {
        "hide": MessageState.HIDDEN,
        "restore": MessageState.VISIBLE,
        "approve": MessageState.VISIBLE,
        "delete": MessageState.DELETED,
    }[action]
    message.hidden_by_reports = False
    message.save(update_fields=["state", "hidden_by_reports"])
    Report.objects.filter(message=message, resolved_at=None).update(
        resolved_at=timezone.now(), resolved_by=by
    )
    _log(
        room=message.room,
        actor=by,
        action=f"message.{action}",
        subject=message.author,
        message=message,
        reason=reason,
    )
    if was_visible != (message.state == MessageState.VISIBLE):
        _message_changed(message)
    elif was_held and message.state != MessageState.HELD:
        # Hidden or deleted before anyone saw it: the members are told nothing; the moderators'
        # screens take it off (approving it is a change, above, that every screen hears).
        _send_after_commit(moderators_group(message.room_id), held_decided_event(message))
    return message


BULK_ACTIONS = {"approve", "hide"}
BULK_LIMIT = 100


@transaction.atomic
def moderate_messages(
    *, room: Room, by: User, message_ids: list[int], action: str, reason: str = ""
) -> list[Message]:
    """A room moderator approves (held ones) or hides (visible ones) many messages of the queue at
    once, in one transaction: each message changed is logged and broadcast as a change, and its
    reports are closed. Messages of another room, and ones already in that state, are left alone.

    Approving speaks for itself; hiding needs a why (one for them all).
    """
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": _("Please choose what to do.")})
    reason = (reason or "").strip()[:300] if action == "approve" else _require_reason(reason)
    ids = sorted({int(pk) for pk in message_ids})[:BULK_LIMIT]
    if not ids:
        raise ValidationError({"message": _("Please choose at least one message.")})
    _require_moderator(room, by)
    was = MessageState.HELD if action == "approve" else MessageState.VISIBLE
    now_state = MessageState.VISIBLE if action == "approve" else MessageState.HIDDEN
    # Locked in id order, so two moderators acting on overlapping choices cannot deadlock.
    changed = list(
        Message.objects.select_for_update(of=("self",))
        .select_related("author", "room")
        .filter(room=room, pk__in=ids, state=was)
        .order_by("id")
    )
    for message in changed:
        message.state, message.hidden_by_reports = now_state, False
    Message.objects.bulk_update(changed, ["state", "hidden_by_reports"])
    Report.objects.filter(message__in=changed, resolved_at=None).update(
        resolved_at=timezone.now(), resolved_by=by
    )
    for message in changed:
        _log(
            room=room,
            actor=by,
            action=f"message.{action}",
            subject=message.author,
            message=message,
            reason=reason,
        )
        _message_changed(message)
    return changed


@transaction.atomic
def dismiss_reports(*, message: Message, by: User, reason: str) -> None:
    reason = _require_reason(reason)
    _require_moderator(message.room, by)
    Report.objects.filter(message=message, resolved_at=None).update(
        resolved_at=timezone.now(), resolved_by=by
    )
    _log(
        room=message.room,
        actor=by,
        action="reports.dismissed",
        subject=message.author,
        message=message,
        reason=reason,
    )


def concern_from_message(*, message: Message, by: User, summary: str):
    """A room moderator raises a safeguarding concern about a message's author."""
    from safeguarding.models import Source
    from safeguarding.services import raise_concern

    _require_moderator(message.room, by)
    with transaction.atomic():
        concern = raise_concern(
            raised_by=by,
            summary=summary,
            subject=message.author,
            source=Source.CHAT_MESSAGE,
            source_ref=f"message:{message.pk}",
        )
        _log(
            room=message.room,
            actor=by,
            action="concern.raised",
            subject=message.author,
            message=message,
            reason=_("safeguarding concern raised"),
        )
    return concern


# --- Sanctions ----------------------------------------------------------------------------------


def next_sanction(*, room: Room, user: User) -> str:
    """The next step on the ladder (warning → timed mute → removal) for this person here."""
    latest = Sanction.objects.filter(room=room, user=user).values_list("level", flat=True).first()
    return next_sanction_after(latest)


def next_sanction_after(latest: str | None) -> str:
    if latest is None:
        return LADDER[0]
    if latest in LADDER:
        return LADDER[min(LADDER.index(latest) + 1, len(LADDER) - 1)]
    return SanctionLevel.REMOVAL


@transaction.atomic
def sanction_member(
    *, room: Room, user: User, by: User, level: str, reason: str, minutes: int = 0
) -> Sanction:
    """Warn, mute for ``minutes``, remove or ban a member. Removal and ban close their sockets."""
    if level not in SanctionLevel.values:
        raise ValidationError({"level": _("Please choose a step.")})
    reason = _require_reason(reason)
    _require_moderator(room, by)
    if user.pk == by.pk:
        raise ValidationError({"level": _("You cannot sanction yourself.")})
    membership = Membership.objects.select_for_update().filter(room=room, user=user).first()
    if membership is None and level != SanctionLevel.BAN:
        raise ValidationError({"level": _("That person is not in this room.")})
    until = None
    if level == SanctionLevel.MUTE:
        if not 1 <= minutes <= 60 * 24 * 30:
            raise ValidationError({"minutes": _("Mute for between 1 minute and 30 days.")})
        until = timezone.now() + timedelta(minutes=minutes)
        membership.muted_until = until
        membership.save(update_fields=["muted_until"])
    elif level in (SanctionLevel.REMOVAL, SanctionLevel.BAN):
        if membership is not None:
            membership.delete()
        _kick(room, user, level)
    sanction = Sanction.objects.create(
        room=room, user=user, level=level, reason=reason, until=until, by=by
    )
    _log(room=room, actor=by, action=f"member.{level}", subject=user, reason=reason)
    return sanction


_LIFT_ACTIONS = {
    SanctionLevel.MUTE: "member.unmuted",
    SanctionLevel.REMOVAL: "member.let_back_in",
    SanctionLevel.BAN: "member.unbanned",
}


@transaction.atomic
def lift_sanction(*, sanction: Sanction, by: User, reason: str = "") -> Sanction:
    """Unmute, let back in (after a removal) or unban: the sanction stays on record, lifted.

    A reason is optional: the action says what happened. Someone let back in or unbanned joins
    again themselves (an open group) or is added by a moderator.
    """
    sanction = Sanction.objects.select_for_update().select_related("room").get(pk=sanction.pk)
    room, user = sanction.room, sanction.user
    _require_moderator(room, by)
    if sanction.level not in _LIFT_ACTIONS or sanction.lifted_at is not None:
        raise ValidationError({"level": _("There is nothing to lift.")})
    # Every sanction of this kind in force for the person here ends (one mute after another).
    Sanction.objects.in_force().filter(room=room, user=user, level=sanction.level).update(
        lifted_at=timezone.now(), lifted_by=by
    )
    if sanction.level == SanctionLevel.MUTE:
        Membership.objects.filter(room=room, user=user).update(muted_until=None)
    _log(
        room=room,
        actor=by,
        action=_LIFT_ACTIONS[sanction.level],
        subject=user,
        reason=(reason or "").strip()[:300],
    )
    sanction.refresh_from_db()
    return sanction


def _latest_in_force(room: Room, user: User, level: str) -> Sanction | None:
    return Sanction.objects.in_force().filter(room=room, user=user, level=level).first()


def lift_mute(*, room: Room, user: User, by: User, reason: str = "") -> None:
    sanction = _latest_in_force(room, user, SanctionLevel.MUTE)
    if sanction is not None:
        lift_sanction(sanction=sanction, by=by, reason=reason)
    else:
        _require_moderator(room, by)
        Membership.objects.filter(room=room, user=user).update(muted_until=None)


def lift_ban(*, room: Room, user: User, by: User, reason: str = "") -> None:
    sanction = _latest_in_force(room, user, SanctionLevel.BAN)
    if sanction is not None:
        lift_sanction(sanction=sanction, by=by, reason=reason)
    else:
        _require_moderator(room, by)


@transaction.atomic
def appeal_sanction(*, sanction: Sanction, by: User, text: str) -> Appeal:
    """The person sanctioned asks the room's moderators to look again; it goes in the room's
    moderation log (where moderators see it) with their words."""
    if sanction.user_id != by.pk:
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            {"text": _("Please say, in a few words, why it should be looked at.")}
        )
    appeal = Appeal.objects.create(sanction=sanction, text=text[:2000])
    _log(
        room=sanction.room,
        actor=by,
        action=f"sanction.appeal.{sanction.level}",
        subject=by,
        reason=text,
    )
    return appeal


# --- Room settings, membership ------------------------------------------------------------------


@transaction.atomic
def update_room_settings(
    *,
    room: Room,
    by: User,
    reason: str,
    locked: bool | None = None,
    slow_mode_seconds: int | None = None,
    meeting_mode: bool | None = None,
) -> Room:
    """Lock/unlock, slow mode and meeting mode. The one switching meeting mode on chairs it."""
    reason = _require_reason(reason)
    room = Room.objects.select_for_update().get(pk=room.pk)
    _require_moderator(room, by)
    changes = []
    if locked is not None and locked != room.locked:
        room.locked = locked
        changes.append("locked" if locked else "unlocked")
    if slow_mode_seconds is not None and slow_mode_seconds != room.slow_mode_seconds:
        if not 0 <= slow_mode_seconds <= 3600:
            raise ValidationError({"slow_mode_seconds": _("Choose between 0 and 3600 seconds.")})
        room.slow_mode_seconds = slow_mode_seconds
        changes.append(f"slow mode {slow_mode_seconds}s")
    if meeting_mode is not None and meeting_mode != room.meeting_mode:
        room.meeting_mode = meeting_mode
        room.chair = by if meeting_mode else None
        room.floor_holder = None
        Membership.objects.filter(room=room).update(hand_raised_at=None)
        changes.append("meeting mode on" if meeting_mode else "meeting mode off")
    room.save()
    for change in changes:
        action = f"room.{change.split(' ')[0]}"
        _log(room=room, actor=by, action=action, reason=f"{change}: {reason}")
    if changes:
        _broadcast_room(room)
    return room


@transaction.atomic
def raise_hand(*, membership: Membership, raised: bool) -> None:
    room = membership.room
    if not room.meeting_mode:
        raise ChatError("no_meeting", _("This room is not in a meeting just now."))
    Membership.objects.filter(pk=membership.pk).update(
        hand_raised_at=timezone.now() if raised else None
    )
    _hand_changed(room, membership.user, raised=raised)


def _hand_changed(room: Room, user: User, *, raised: bool) -> None:
    # With the name, so the chair's page can list a newly raised hand without a reload.
    _send_after_commit(
        f"room.{room.pk}",
        {"type": "chat.hand", "user": user.pk, "name": user.display_name, "raised": raised},
    )


@transaction.atomic
def lower_hand(*, room: Room, by: User, user: User) -> None:
    """The chair lowers a member's raised hand (without giving them the floor)."""
    room = Room.objects.select_for_update().get(pk=room.pk)
    if not room.meeting_mode or room.chair_id != by.pk:
        raise PermissionDenied
    lowered = Membership.objects.filter(room=room, user=user).exclude(hand_raised_at=None)
    if not lowered.update(hand_raised_at=None):
        return  # not raised (or not a member): nothing to do, nothing to log
    _log(room=room, actor=by, action="room.hand_lowered", subject=user, reason="hand lowered")
    _hand_changed(room, user, raised=False)


@transaction.atomic
def give_floor(*, room: Room, by: User, to: User | None) -> Room:
    """The chair gives the floor to a member (or takes it back with ``to=None``)."""
    room = Room.objects.select_for_update().get(pk=room.pk)
    if not room.meeting_mode or room.chair_id != by.pk:
        raise PermissionDenied
    if to is not None:
        if not Membership.objects.filter(room=room, user=to).exists():
            raise ValidationError({"user": _("That person is not in this room.")})
        Membership.objects.filter(room=room, user=to).update(hand_raised_at=None)
    room.floor_holder = to
    room.save(update_fields=["floor_holder"])
    _log(room=room, actor=by, action="room.floor", subject=to, reason="floor given")
    _broadcast_room(room)
    return room
