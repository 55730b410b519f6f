"""Meetings in a person's one calendar (notifications.calendar): the feed and the single-meeting
download both take their entries from here, so they say the same thing.

The entry names the other person by the name they chose and says when; the place too, except a
meeting at the prison gate, whose place says where the person has been: that shows only to someone
who asked for details in their notices.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from mentoring.choices import MatchStatus, MeetingPlace, MeetingStatus
from mentoring.models import Meeting
from notifications.calendar import Entry


def meeting_entry(meeting: Meeting, *, viewer, details: bool) -> Entry:
    """Call with ``match__mentor`` and ``match__mentee`` selected."""
    match = meeting.match
    if viewer.pk == match.mentor_id:
        title = _("Meeting with %(name)s") % {"name": match.mentee.display_name}
    elif viewer.pk == match.mentee_id:
        title = _("Meeting with %(name)s") % {"name": match.mentor.display_name}
    else:  # a coordinator adding the pair's meeting to their own calendar
        title = _("%(mentee)s and %(mentor)s meet") % {
            "mentee": match.mentee.display_name,
            "mentor": match.mentor.display_name,
        }
    at_the_gate = meeting.place_kind == MeetingPlace.PRISON_GATE
    return Entry(
        uid=f"meeting-{meeting.pk}",
        start=meeting.starts_at,
        end=meeting.starts_at + timedelta(minutes=meeting.minutes),
        title=title,
        location=meeting.where if details or not at_the_gate else "",
        path=reverse("mentoring:meeting", args=[meeting.pk]),
        cancelled=meeting.status == MeetingStatus.CANCELLED,
    )


def calendar_entries(user, *, since: datetime, details: bool) -> list[Entry]:
    """The person's meetings (as mentor or mentee) in matches still going, cancelled ones too
    (1 query)."""
    meetings = (
        Meeting.objects.for_person(user)
        .filter(
            match__status__in=[MatchStatus.ACTIVE, MatchStatus.PAUSED],
            starts_at__gte=since,
        )
        .select_related("match__mentor", "match__mentee")
        .order_by("starts_at", "id")
    )
    return [meeting_entry(meeting, viewer=user, details=details) for meeting in meetings]
