"""Events in a person's one calendar (notifications.calendar), and on the event pages' "Add to my
calendar" and the public list of events: every one takes its entries from here.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from cms.models import EventPage, EventRegistration
from notifications.calendar import Entry
from notifications.places import PlaceStatus


def event_entry(page: EventPage, *, has_a_place: bool = False) -> Entry:
    """``has_a_place``: the entry is for someone booked on it, so it says how to join online
    (the page shows that only to people with a place)."""
    lines = [page.summary] if page.summary else []
    if has_a_place and page.online and page.online_details:
        lines.append(_("How to join: %(details)s") % {"details": page.online_details})
    return Entry(
        uid=f"event-{page.pk}",
        start=page.start,
        end=page.end,
        title=page.title,
        location=_("Online") if page.online else page.place,
        # Wagtail gives a full address when several sites are set up; the entry wants the path.
        path=urlsplit(page.url or "").path,
        description="\n\n".join(lines),
    )


def calendar_entries(user, *, since: datetime, details: bool) -> list[Entry]:
    """Published events the person has a place at (1 query). A place given up, or an event taken
    off the site, leaves the calendar when the phone next looks."""
    registrations = (
        EventRegistration.objects.filter(
            user=user,
            status=PlaceStatus.BOOKED,
            event__live=True,
            event__start__gte=since,
        )
        .select_related("event")
        .order_by("event__start", "event_id")
    )
    return [event_entry(row.event, has_a_place=True) for row in registrations]
