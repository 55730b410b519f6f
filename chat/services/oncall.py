"""Who is on call for crisis items, and the rota that says so (one-off shifts and weekly slots)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from chat.models import OnCallShift, Room, Weekday, WeeklyOnCall
from chat.services.base import _log

# Who may be put on the on-call rota.
ROTA_ROLES = (Role.MODERATOR, Role.COORDINATOR, Role.ADMIN)


# --- Who -----------------------------------------------------------------------------------------


def can_manage_rota(user: User) -> bool:
    return user.is_authenticated and user.has_role(*ROTA_ROLES)


def safeguarding_leads() -> list[User]:
    return list(
        User.objects.filter(is_active=True, groups__name=Role.SAFEGUARDING_LEAD)
        .distinct()
        .order_by("pk")
    )


def on_call(*, room: Room | None, now: datetime) -> list[User]:
    """Who is on call at ``now`` for ``room`` (its own rota, then the organisation's)."""
    shifts = (
        OnCallShift.objects.filter(starts_at__lte=now, ends_at__gt=now, person__is_active=True)
        .filter(Q(room=None) | Q(room=room) if room is not None else Q(room=None))
        .select_related("person")
        .order_by("room_id", "starts_at", "id")
    )
    people: dict[int, User] = {}
    for shift in shifts:
        people.setdefault(shift.person_id, shift.person)
    for slot in weekly_on_call(room=room, now=now):
        people.setdefault(slot.person_id, slot.person)
    return list(people.values())


def weekly_on_call(*, room: Room | None, now: datetime) -> list[WeeklyOnCall]:
    """The weekly slots covering ``now`` (in the site's time zone, so "Mondays 18:00" means six
    in the evening in summer and in winter) for ``room`` and the organisation. One query."""
    local = timezone.localtime(now)
    today = local.weekday()
    slots = (
        WeeklyOnCall.objects.filter(weekday__in=[today, (today - 1) % 7], person__is_active=True)
        .filter(Q(room=None) | Q(room=room) if room is not None else Q(room=None))
        .select_related("person")
        .order_by("room_id", "weekday", "starts", "id")
    )
    return [slot for slot in slots if slot.covers(local)]


def who_to_tell(*, room: Room, now: datetime) -> tuple[list[User], bool]:
    """The people on call, or the safeguarding leads when nobody is (and True then)."""
    people = on_call(room=room, now=now)
    if people:
        return people, False
    return safeguarding_leads(), True


# --- The on-call rota ----------------------------------------------------------------------------


def can_be_on_call(user: User) -> bool:
    return user.is_active and user.has_role(*ROTA_ROLES, Role.SAFEGUARDING_LEAD)


def _check_rota_entry(*, by: User, person: User, room: Room | None) -> None:
    if not can_manage_rota(by):
        raise PermissionDenied
    if not can_be_on_call(person):
        raise ValidationError(
            {"person": _("Only moderators, coordinators and safeguarding leads can be on call.")}
        )
    if room is not None and room.closed_at is not None:
        raise ValidationError({"room": _("That room has closed.")})


@transaction.atomic
def add_shift(
    *, by: User, person: User, starts_at: datetime, ends_at: datetime, room: Room | None = None
) -> OnCallShift:
    """Put ``person`` on call from ``starts_at`` until ``ends_at`` (for ``room``, or everywhere)."""
    _check_rota_entry(by=by, person=person, room=room)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if ends_at - starts_at > timedelta(days=31):
        raise ValidationError({"ends_at": _("A shift can be up to 31 days long.")})
    shift = OnCallShift.objects.create(
        person=person, room=room, starts_at=starts_at, ends_at=ends_at, created_by=by
    )
    when = (
        f"{timezone.localtime(starts_at):%d %b %H:%M} to {timezone.localtime(ends_at):%d %b %H:%M}"
    )
    _log(room=room, actor=by, action="on_call.added", subject=person, reason=when)
    return shift


@transaction.atomic
def add_weekly_slot(
    *, by: User, person: User, weekday: int, starts: time, ends: time, room: Room | None = None
) -> WeeklyOnCall:
    """Put ``person`` on call every week on ``weekday`` from ``starts`` until ``ends`` (site
    time; an end at or before the start runs past midnight), for ``room`` or everywhere."""
    _check_rota_entry(by=by, person=person, room=room)
    if weekday not in Weekday.values:
        raise ValidationError({"weekday": _("Please choose a day of the week.")})
    if starts == ends:
        raise ValidationError({"ends": _("The end must be different from the start.")})
    slot = WeeklyOnCall.objects.create(
        person=person, room=room, weekday=weekday, starts=starts, ends=ends, created_by=by
    )
    when = f"{Weekday(weekday).label} {starts:%H:%M} to {ends:%H:%M}"
    _log(room=room, actor=by, action="on_call.added", subject=person, reason=when)
    return slot


@transaction.atomic
def remove_weekly_slot(*, by: User, pk: int) -> None:
    if not can_manage_rota(by):
        raise PermissionDenied
    slot = WeeklyOnCall.objects.select_related("room", "person").filter(pk=pk).first()
    if slot is None:
        return
    when = f"{slot.get_weekday_display()} {slot.starts:%H:%M} to {slot.ends:%H:%M}"
    _log(room=slot.room, actor=by, action="on_call.removed", subject=slot.person, reason=when)
    slot.delete()


@transaction.atomic
def remove_shift(*, by: User, pk: int) -> None:
    if not can_manage_rota(by):
        raise PermissionDenied
    shift = OnCallShift.objects.select_related("room", "person").filter(pk=pk).first()
    if shift is None:
        return
    _log(room=shift.room, actor=by, action="on_call.removed", subject=shift.person)
    shift.delete()
