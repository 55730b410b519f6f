"""The platform's part of "My data": whether the person has a calendar address, and since when.

The address itself is a secret (anyone holding it reads the person's calendar), so it is never in
the file; what the calendar shows is already there, in the meetings, shifts and events sections.
"""

from __future__ import annotations

from accounts.hooks import Section
from accounts.models import User
from accounts.personal_data import section
from notifications.models import CalendarFeed


def sections(user: User) -> list[Section]:
    return section(
        "calendar",
        "Your calendar address",
        CalendarFeed.objects.filter(user=user),
        [("made_on", lambda feed: feed.created_at)],
    )
