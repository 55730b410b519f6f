"""One calendar for each person: their meetings, shifts and events as iCalendar (RFC 5545).

Domains say what goes in it through the ``calendar_entries(user, since, details)`` hook on their
AppConfig (accounts/hooks.py), returning plain ``Entry`` values. This module turns entries into
``.ics`` in one way, for both uses: the person's private feed (a secret address their phone
subscribes to) and the "add to my calendar" download on a meeting, shift or event page, so the
two always say the same thing.

Discreet by default, like texts and phone notifications: a calendar shows on a lock screen. An
entry's words come from the domain, which hides what would tell a passer-by where the person has
been (a meeting "at the prison gate") unless the person chose to see details in notices.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from accounts import hooks
from accounts.links import public_url
from notifications.models import Preferences

# How far back the feed goes: a phone keeps what it already has, and a month of the past lets a
# person look up "when did I last see Sam" without the feed growing for ever.
FEED_DAYS_BACK = 30


@dataclass(frozen=True)
class Entry:
    """One thing in a person's calendar.

    ``uid`` is stable for the item ("meeting-12"), so a phone updates the entry it has instead of
    adding a second one when the time moves. ``path`` is the item's page on this site.
    """

    uid: str
    start: datetime
    end: datetime
    title: str
    location: str = ""
    path: str = ""
    description: str = ""
    cancelled: bool = False


def wants_details(user) -> bool:
    """The person's "show details" choice for notices; off unless they turned it on."""
    if user is None or not user.is_authenticated:
        return False
    return Preferences.objects.filter(user=user, show_details=True).exists()


def entries_for(user, *, now: datetime | None = None) -> list[Entry]:
    """Everything in ``user``'s calendar, from FEED_DAYS_BACK days ago on, in time order.
    Each domain's hook costs one query."""
    since = (now or timezone.now()) - timedelta(days=FEED_DAYS_BACK)
    entries = hooks.calendar_entries(user, since=since, details=wants_details(user))
    return sorted(entries, key=lambda entry: (entry.start, entry.uid))


def _host() -> str:
    # From SITE_URL, never the request: a calendar app keeps the UID for as long as the entry.
    return urlsplit(settings.SITE_URL).hostname or "alongside"


def to_ics(entries: Iterable[Entry], *, name: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name or settings.SITE_NAME)
    host, stamp = _host(), timezone.now()
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.start)
        event.add("dtend", entry.end)
        # Some calendar apps ignore STATUS and show a cancelled entry as if it were on: say it.
        title = entry.title
        if entry.cancelled:
            title = _("Cancelled: %(title)s") % {"title": title}
        event.add("summary", title)
        if entry.location:
            event.add("location", entry.location)
        lines = [entry.description] if entry.description else []
        if entry.path:
            url = public_url(entry.path)
            event.add("url", url)
            lines.append(url)
        if lines:
            event.add("description", "\n\n".join(lines))
        event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def ics_response(entries: Iterable[Entry], *, filename: str, name: str = "") -> HttpResponse:
    """An ``.ics`` answer: a phone opens it in its calendar app ("add to my calendar")."""
    response = HttpResponse(to_ics(entries, name=name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
