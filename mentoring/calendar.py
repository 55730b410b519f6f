"""A person's meetings as an iCalendar feed (RFC 5545), for their phone's calendar app.

The feed names the other person by the name they chose and says where; nothing else about them.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from mentoring.choices import MeetingStatus


def feed_for(user, meetings, *, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Alongside//Mentoring meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Alongside meetings"))
    host = base_url.split("//", 1)[-1].strip("/") or "alongside"
    stamp = timezone.now()
    for meeting in meetings:
        match = meeting.match
        other = match.mentee if match.mentor_id == user.pk else match.mentor
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.starts_at + timedelta(minutes=meeting.minutes))
        event.add("summary", _("Meeting with %(name)s") % {"name": other.display_name})
        event.add("location", meeting.where)
        event.add(
            "status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED"
        )
        calendar.add_component(event)
    return calendar.to_ical()
