"""A person's shifts as an iCalendar feed their phone's calendar subscribes to."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from accounts.models import User
from volunteering.models import ShiftSignup, SignupStatus


def shifts_calendar(user: User) -> bytes:
    """Shifts the person has a place on, from 30 days ago onwards (1 query)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Alongside//Volunteer shifts//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Alongside shifts")
    signups = ShiftSignup.objects.filter(
        volunteer=user,
        status=SignupStatus.SIGNED_UP,
        shift__starts_at__gte=timezone.now() - timedelta(days=30),
    ).select_related("shift__role")
    host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "alongside"
    for signup in signups:
        shift = signup.shift
        event = Event()
        event.add("uid", f"shift-{shift.pk}@{host}")
        event.add("summary", shift.role.title)
        event.add("dtstart", shift.starts_at)
        event.add("dtend", shift.ends_at)
        event.add("dtstamp", timezone.now())
        event.add("location", shift.place)
        if shift.notes:
            event.add("description", shift.notes)
        calendar.add_component(event)
    return calendar.to_ical()
