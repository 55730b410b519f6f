"""Shifts: the rota, and places on it through ``notifications.places`` (one way to take a place)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from notifications import notify
from notifications import places as booking
from volunteering.clearance import clearance
from volunteering.models import Shift, ShiftSignup, VolunteerRole
from volunteering.services.base import _require_coordinator, _shift_words, _when

# --- Shifts --------------------------------------------------------------------------------------

MAX_REPEAT_WEEKS = 26


@transaction.atomic
def create_shifts(
    *,
    role: VolunteerRole,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    places: int,
    by: User,
    notes: str = "",
    repeat_weeks: int = 0,
) -> list[Shift]:
    """Create a shift, or a weekly series of them: ``repeat_weeks`` more after the first."""
    _require_coordinator(by)
    if ends_at <= starts_at:
        raise ValidationError(_("The shift must end after it starts."))
    if ends_at - starts_at > timedelta(hours=24):
        raise ValidationError(_("A shift can be at most 24 hours long."))
    if starts_at < timezone.now():
        raise ValidationError(_("The shift cannot start in the past."))
    if not 1 <= places <= 500:
        raise ValidationError(_("A shift needs between 1 and 500 places."))
    if not 0 <= repeat_weeks <= MAX_REPEAT_WEEKS:
        raise ValidationError(
            _("A shift can repeat for up to %(weeks)d weeks.") % {"weeks": MAX_REPEAT_WEEKS}
        )
    series = uuid.uuid4() if repeat_weeks else None
    shifts = Shift.objects.bulk_create(
        Shift(
            role=role,
            # Add weeks to the local time so a shift stays at 10:00 when the clocks change.
            starts_at=_same_local_time(starts_at, week),
            ends_at=_same_local_time(ends_at, week),
            place=place.strip(),
            places=places,
            notes=notes.strip(),
            series=series,
            created_by=by,
        )
        for week in range(repeat_weeks + 1)
    )
    audit.record(
        actor=by,
        action="volunteering.shifts_created",
        target=shifts[0],
        summary=f"{len(shifts)} shift(s) for {role.slug}",
    )
    return shifts


def _same_local_time(moment: datetime, weeks: int) -> datetime:
    local = timezone.localtime(moment)
    naive = local.replace(tzinfo=None) + timedelta(weeks=weeks)
    return timezone.make_aware(naive, timezone.get_current_timezone())


def _tell_promoted(shift: Shift, signup: ShiftSignup) -> None:
    notify(
        to=signup.volunteer,
        kind="volunteering.shift_place",
        key=f"shift:{shift.pk}:place:{signup.joined_at:%Y%m%d%H%M%S%f}",
        context={"url": reverse("volunteering:shift", args=[shift.pk]), **_shift_words(shift)},
    )


def _shift_is_open(shift: Shift) -> bool:
    # Nobody moves up into a shift that has started (a cancelled shift is gone altogether).
    return shift.starts_at > timezone.now()


# How shifts keep their places: one mechanism with events (``notifications.places``).
SHIFT_PLACES = booking.Places(
    model=ShiftSignup,
    capacity="places",
    audit_prefix="volunteering.shift_",
    tell_promoted=_tell_promoted,
    is_open=_shift_is_open,
)


@transaction.atomic
def sign_up(*, shift: Shift, volunteer: User) -> ShiftSignup:
    """Take a place on ``shift``, or join its waiting list when it is full.

    Only a volunteer cleared for the shift's role on its day may. The shift row is locked first,
    so two people can never take the last place at once. Someone already on it is told so, and
    nothing changes.
    """
    shift = booking.lock(places=SHIFT_PLACES, holder=shift)
    if shift.starts_at <= timezone.now():
        raise ValidationError(_("This shift has already started."))
    check = clearance(volunteer, shift.role, on=timezone.localdate(shift.starts_at))
    if not check.cleared:
        raise ValidationError(
            _("You are not cleared for %(role)s yet: %(why)s")
            % {"role": shift.role.title, "why": "; ".join(check.reasons)}
        )
    taken = booking.take_place(places=SHIFT_PLACES, holder=shift, person=volunteer)
    if not taken.new:
        raise ValidationError(_("You are already on this shift."))
    return taken.place


@transaction.atomic
def withdraw(*, shift: Shift, volunteer: User) -> ShiftSignup | None:
    """Give up a place (or leave the waiting list). The first person waiting gets the place and
    is told; returns them (None when nobody moved up)."""
    shift = booking.lock(places=SHIFT_PLACES, holder=shift)
    if not ShiftSignup.objects.filter(shift=shift, volunteer=volunteer).holding().exists():
        raise ValidationError(_("You are not on this shift."))
    if shift.starts_at <= timezone.now():
        raise ValidationError(_("This shift has already started. Please tell your coordinator."))
    gave_up = booking.give_up_place(places=SHIFT_PLACES, holder=shift, person=volunteer)
    if gave_up.had_place and shift.starts_at - timezone.now() <= LATE_WITHDRAWAL:
        _tell_coordinator_of_late_withdrawal(shift, gave_up.place)
    return gave_up.promoted[0] if gave_up.promoted else None


# Someone giving up a place this close to the start leaves the coordinator short: they are told.
LATE_WITHDRAWAL = timedelta(days=2)


def _tell_coordinator_of_late_withdrawal(shift: Shift, signup: ShiftSignup) -> None:
    coordinator = shift.created_by
    if coordinator is None or not coordinator.is_active:
        return
    notify(
        to=coordinator,
        kind="volunteering.shift_withdrawn",
        key=f"shift:{shift.pk}:withdrawn:{signup.pk}:{signup.joined_at:%Y%m%d%H%M%S%f}",
        context={
            "url": reverse("volunteering:shift", args=[shift.pk]),
            "volunteer_name": signup.volunteer.display_name,
            **_shift_words(shift),
        },
    )


def answer_shift_reminder(*, shift: Shift, volunteer: User, word: str) -> str:
    """A text reply to a shift reminder: YES says they will be there, NO gives up the place (the
    next person waiting gets it; the coordinator is told). Returns the confirmation's words."""
    signup = ShiftSignup.objects.filter(shift=shift, volunteer=volunteer).first()
    if signup is None or not signup.is_booked:
        return _("You are not on that shift now. Nothing has changed.")
    when = _when(shift.starts_at)
    if word.upper() == "YES":
        audit.record(
            actor=volunteer, action="volunteering.shift_confirmed", target=shift, subject=volunteer
        )
        return _("Thank you. See you on %(when)s.") % {"when": when}
    if word.upper() == "NO":
        withdraw(shift=shift, volunteer=volunteer)
        return _("You are off the shift on %(when)s. We have told your coordinator.") % {
            "when": when
        }
    raise ValidationError(_("Please reply YES or NO."))


def _people_on(shift: Shift) -> list[ShiftSignup]:
    return list(shift.signups.holding().select_related("volunteer").order_by("joined_at", "id"))


@transaction.atomic
def update_shift(
    *,
    shift: Shift,
    by: User,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    places: int,
    notes: str = "",
) -> Shift:
    """A coordinator changes a shift to come. Everyone signed up or waiting is told when its time
    or place changes; more places go to the people waiting longest."""
    _require_coordinator(by)
    shift = Shift.objects.select_for_update().select_related("role").get(pk=shift.pk)
    if shift.starts_at <= timezone.now():
        raise ValidationError(_("This shift has already started, so it cannot be changed."))
    if ends_at <= starts_at:
        raise ValidationError(_("The shift must end after it starts."))
    if ends_at - starts_at > timedelta(hours=24):
        raise ValidationError(_("A shift can be at most 24 hours long."))
    if starts_at < timezone.now():
        raise ValidationError(_("The shift cannot start in the past."))
    if not 1 <= places <= 500:
        raise ValidationError(_("A shift needs between 1 and 500 places."))
    booking.check_capacity(places=SHIFT_PLACES, holder=shift, capacity=places)
    was = {"was": _when(shift.starts_at), "was_place": shift.place}
    moved = shift.starts_at != starts_at or shift.ends_at != ends_at or shift.place != place.strip()
    shift.starts_at, shift.ends_at, shift.place = starts_at, ends_at, place.strip()
    shift.places, shift.notes = places, notes.strip()
    shift.save(update_fields=["starts_at", "ends_at", "place", "places", "notes"])
    audit.record(actor=by, action="volunteering.shift_changed", target=shift)
    if moved:
        stamp = f"{timezone.now():%Y%m%d%H%M%S%f}"
        for signup in _people_on(shift):
            notify(
                to=signup.volunteer,
                kind="volunteering.shift_changed",
                key=f"shift:{shift.pk}:changed:{stamp}",
                context={
                    "url": reverse("volunteering:shift", args=[shift.pk]),
                    "change": "changed",
                    "waiting": signup.is_waiting,
                    **was,
                    **_shift_words(shift),
                },
            )
    # More places go to the people waiting longest.
    booking.promote(places=SHIFT_PLACES, holder=shift)
    return shift


@transaction.atomic
def cancel_shift(*, shift: Shift, by: User) -> int:
    """A coordinator cancels a shift to come: it is gone, and everyone signed up or waiting is
    told (nobody moves up from the waiting list, as there is no shift). Returns how many were
    told. Hours already logged against it keep their record without the shift."""
    _require_coordinator(by)
    shift = Shift.objects.select_for_update().select_related("role").get(pk=shift.pk)
    if shift.starts_at <= timezone.now():
        raise ValidationError(_("This shift has already started, so it cannot be cancelled."))
    people = booking.cancel_all(places=SHIFT_PLACES, holder=shift)
    words = {"was": _when(shift.starts_at), "was_place": shift.place, **_shift_words(shift)}
    audit.record(
        actor=by,
        action="volunteering.shift_cancelled",
        target=shift,
        summary=f"{shift.role.slug} on {shift.starts_at:%Y-%m-%d %H:%M}",
    )
    key = f"shift:{shift.pk}:cancelled"
    for signup in people:
        notify(
            to=signup.volunteer,
            kind="volunteering.shift_changed",
            key=key,
            context={"url": reverse("volunteering:shifts"), "change": "cancelled", **words},
        )
    shift.delete()
    return len(people)
