"""iCalendar files for events (RFC 5545), so people can put them in their phone's calendar."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, Event


def calendar_for(events: Iterable, request) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//events//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{settings.SITE_NAME} events")
    host = request.get_host()
    for page in events:
        item = Event()
        item.add("uid", f"event-{page.pk}@{host}")
        item.add("summary", page.title)
        item.add("dtstart", page.start)
        item.add("dtend", page.end)
        item.add("dtstamp", page.last_published_at or page.start)
        item.add("location", "Online" if page.online else page.place)
        if page.summary:
            item.add("description", page.summary)
        item.add("url", request.build_absolute_uri(page.url))
        cal.add_component(item)
    return cal.to_ical()
