"""Demo content for `manage.py seed_demo`: home page words, events past and coming. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cms.models import EventIndexPage, EventPage, HomePage

HOME_INTRO = (
    "<p>Alongside connects people leaving prison or in recovery from drugs and alcohol with "
    "peer mentors who have walked the same road. Volunteers give their time; coordinators "
    "make the matches; everyone is here by choice.</p>"
)

EVENTS = [
    # slug, title, days from now, hours long, online, place, access, capacity, audience, summary
    (
        "coffee-morning",
        "Coffee morning",
        2,
        2,
        False,
        "The Hub, 12 Market Street",
        "Step-free entrance, accessible toilet, quiet room upstairs (lift).",
        20,
        "anyone",
        "Tea, toast and a chat with people who have been there.",
    ),
    (
        "festival-of-strengths",
        "Festival of strengths",
        12,
        5,
        False,
        "Riverside community centre",
        "Step-free throughout. Hearing loop in the main hall. Buses 4 and 17 stop outside.",
        80,
        "members",
        "Music, food and stories: a day to celebrate how far people have come.",
    ),
    (
        "peer-mentor-training-refresher",
        "Peer mentor training refresher",
        20,
        3,
        True,
        "",
        "",
        12,
        "peer_mentors",
        "Boundaries, safeguarding and looking after yourself: a refresher online.",
    ),
    (
        "consultation-day-spring",
        "Consultation day: what should change?",
        -30,
        4,
        False,
        "Town hall, committee room 2",
        "Step-free via the side entrance on Church Lane.",
        30,
        "anyone",
        "Members told commissioners what works and what doesn't.",
    ),
]


def seed(personas, stdout) -> None:
    home = HomePage.objects.first()
    if home is None:
        return
    if not home.intro or "connects people" not in home.intro or not home.summary:
        home.intro = HOME_INTRO
        home.save_revision().publish()
    index = EventIndexPage.objects.first()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    created = 0
    for slug, title, days, hours, online, place, access, capacity, audience, summary in EVENTS:
        if EventPage.objects.filter(slug=slug).exists():
            continue
        start = (now + timedelta(days=days)).replace(hour=10)
        event = EventPage(
            title=title,
            slug=slug,
            start=start,
            end=start + timedelta(hours=hours),
            online=online,
            place="Online" if online else place,
            access_information=access,
            online_details="A link is sent the day before." if online else "",
            capacity=capacity,
            audience=audience,
            summary=summary,
            live=False,
        )
        index.add_child(instance=event)
        event.save_revision().publish()
        created += 1
    stdout.write(f"cms: home page and {created} new event(s)")
