"""The site's part of "My data": the events a person signed up for."""

from __future__ import annotations

from accounts.hooks import Section
from accounts.models import User
from accounts.personal_data import section
from cms.models import EventRegistration


def sections(user: User) -> list[Section]:
    return section(
        "cms.event_places",
        "Events you signed up for",
        EventRegistration.objects.filter(user=user).select_related("event").order_by("pk"),
        ["event.title", "event.start", "status", "joined_at"],
    )
