"""Shifts in a person's one calendar (notifications.calendar): the feed and the single-shift
download both take their entries from here. A shift says its role, time and place, as the rota does.
"""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from notifications.calendar import Entry
from notifications.places import PlaceStatus
from volunteering.models import Shift, ShiftSignup


def shift_entry(shift: Shift) -> Entry:
    """Call with ``role`` selected."""
    return Entry(
        uid=f"shift-{shift.pk}",
        start=shift.starts_at,
        end=shift.ends_at,
        title=shift.role.title,
        location=shift.place,
        path=reverse("volunteering:shift", args=[shift.pk]),
        description=shift.notes,
    )


def calendar_entries(user, *, since: datetime, details: bool) -> list[Entry]:
    """Shifts the person has a place on (1 query). A cancelled shift is deleted, and a place given
    up is no longer the person's: both simply leave the calendar when the phone next looks."""
    signups = (
        ShiftSignup.objects.filter(
            volunteer=user, status=PlaceStatus.BOOKED, shift__starts_at__gte=since
        )
        .select_related("shift__role")
        .order_by("shift__starts_at", "shift_id")
    )
    return [shift_entry(signup.shift) for signup in signups]
