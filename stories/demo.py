"""Demo stories, told by pseudonyms, each with a consent record. Idempotent."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from cms.models import CustomImage
from stories.models import StoryConsent, StoryIndexPage, StoryPage, StoryTheme

STORIES = [
    {
        "slug": "the-day-i-stopped-running",
        "title": "The day I stopped running",
        "told_by": "J.",
        "persona": "mentee",
        "themes": ["recovery", "prison"],
        "content_note": "mentions overdose and prison",
        "summary": "Seven sentences, one overdose, and the peer mentor who waited at the gate.",
        "image": True,
        "body": [
            ("heading", {"text": "Release day", "level": "h2"}),
            (
                "paragraph",
                "<p>When I came out the last time I had a DRR, a bin bag of clothes and a "
                "travel warrant. I'd done it all before. This time someone from Alongside was at "
                "the gate.</p>",
            ),
            (
                "quote",
                {
                    "text": "She didn't tell me what to do. She just kept turning up.",
                    "attribution": "",
                },
            ),
            (
                "paragraph",
                "<p>My ETE worker found me a course; my mentor sat with me at the DIP "
                "appointment because I couldn't face it on my own. Two years on, I'm the one at "
                "the gate.</p>",
            ),
        ],
    },
    {
        "slug": "a-key-of-my-own",
        "title": "A key of my own",
        "told_by": "Dee-Dee",
        "persona": None,
        "themes": ["housing", "family"],
        "content_note": "",
        "summary": "From sofa-surfing to a flat where my kids can stay the weekend.",
        "image": False,
        "body": [
            (
                "paragraph",
                "<p>Housing was the thing nobody could fix. My probation officer had my OASys "
                "and a list of hostels. My peer mentor had been in the same hostel, and knew "
                "which door to knock on.</p>",
            ),
            (
                "paragraph",
                "<p>The first night in the flat I didn't sleep, I just kept locking and "
                "unlocking the door. Now my kids stay every other weekend.</p>",
            ),
        ],
    },
    {
        "slug": "talking-to-150-police-officers",
        "title": "Talking to 150 police officers",
        "told_by": "Ray",
        "persona": None,
        "themes": ["recovery", "peer-mentoring"],
        "content_note": "",
        "summary": "I used to run from them. Last spring I told them my story.",
        "image": False,
        "body": [
            (
                "paragraph",
                "<p>I was on the IOM list for years. Last spring the involvement lead asked if "
                "I'd speak at a police training day. I said no three times.</p>",
            ),
            (
                "paragraph",
                "<p>Afterwards an officer I'd known for a decade shook my hand. Something "
                "changed in how they work with people like me.</p>",
            ),
        ],
    },
]


def _sunrise_image() -> CustomImage:
    existing = CustomImage.objects.filter(title="Sunrise over rooftops (demo)").first()
    if existing:
        return existing
    picture = Image.new("RGB", (1200, 675), (250, 200, 120))
    draw = ImageDraw.Draw(picture)
    for y in range(675):
        draw.line([(0, y), (1200, y)], fill=(250 - y // 8, 190 - y // 6, 120 + y // 10))
    draw.ellipse([500, 380, 700, 580], fill=(255, 236, 170))
    draw.rectangle([0, 560, 1200, 675], fill=(60, 60, 80))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=80)
    return CustomImage.objects.create(
        title="Sunrise over rooftops (demo)",
        description="The sun rising over a row of rooftops",
        file=ContentFile(out.getvalue(), name="sunrise.jpg"),
    )


def seed(personas, stdout) -> None:
    index = StoryIndexPage.objects.first()
    if index is None:
        return
    today = timezone.localdate()
    created = 0
    for spec in STORIES:
        if StoryPage.objects.filter(slug=spec["slug"]).exists():
            continue
        story = StoryPage(
            title=spec["title"],
            slug=spec["slug"],
            told_by=spec["told_by"],
            storyteller=personas.get(spec["persona"]) if spec["persona"] else None,
            summary=spec["summary"],
            content_note=spec["content_note"],
            body=spec["body"],
            image=_sunrise_image() if spec["image"] else None,
            no_other_person_named=True,
            no_identifying_places=True,
            faces_blurred=True,
            live=False,
        )
        index.add_child(instance=story)
        story.themes.set(StoryTheme.objects.filter(slug__in=spec["themes"]))
        story.save()
        StoryConsent.objects.create(
            story=story,
            consented_by=f"{spec['told_by']} (demo)",
            given_on=today - timedelta(days=40),
            method="written",
            placements=["website", "talks"],
            review_on=today + timedelta(days=325),
        )
        story.save_revision().publish()
        created += 1
    waiting = _draft_waiting_for_the_storyteller(index, personas, today)
    shared = _shared_by_a_member(personas)
    stdout.write(
        f"stories: {created} new published story(ies) with consent records"
        + ("; a draft waiting for Jay to read and approve" if waiting else "")
        + ("; a story Priya shared, waiting for the involvement lead" if shared else "")
    )


# Jay's second story, drafted by the involvement lead from what Jay told her, and sent to Jay to
# read: the first step of the review workflow, so the storyteller has something to approve.
DRAFT = {
    "slug": "learning-to-ask-for-help",
    "title": "Learning to ask for help",
    "told_by": "J.",
    "summary": "Why the hardest phone call was the one that worked.",
    "body": [
        (
            "paragraph",
            "<p>For years I thought asking for help meant I had failed. The first time I rang "
            "my mentor instead of going out, nothing dramatic happened. We just talked, and I "
            "went to bed.</p>",
        ),
    ],
}


def _draft_waiting_for_the_storyteller(index, personas, today) -> bool:
    jay, lead = personas.get("mentee"), personas.get("involvement_lead")
    if jay is None or lead is None or StoryPage.objects.filter(slug=DRAFT["slug"]).exists():
        return False
    story = StoryPage(
        title=DRAFT["title"],
        slug=DRAFT["slug"],
        told_by=DRAFT["told_by"],
        storyteller=jay,
        summary=DRAFT["summary"],
        body=DRAFT["body"],
        no_other_person_named=True,
        no_identifying_places=True,
        faces_blurred=True,
        live=False,
    )
    index.add_child(instance=story)
    story.themes.set(StoryTheme.objects.filter(slug__in=["recovery"]))
    story.save()
    StoryConsent.objects.create(
        story=story,
        consented_by=f"{DRAFT['told_by']} (demo)",
        given_on=today - timedelta(days=3),
        method="written",
        placements=["website"],
        review_on=today + timedelta(days=362),
    )
    story.save_revision(user=lead)
    # Starting the workflow sends it to the storyteller first (stories.ready_to_read on Today).
    story.get_workflow().start(story, lead)
    return True


SHARED_TITLE = "What volunteering gave me back"


def _shared_by_a_member(personas) -> bool:
    """Priya sends a story in through "Share your story": the involvement lead's Today lists it."""
    from stories.services import share_story

    priya = personas.get("volunteer")
    if priya is None or StoryPage.objects.filter(title=SHARED_TITLE).exists():
        return False
    share_story(
        by=priya,
        told_by="P.",
        title=SHARED_TITLE,
        story=(
            "I started by making the tea at the Tuesday drop-in. A year later I help run it. "
            "It gave me a reason to get up, and people who notice if I don't."
        ),
        themes=StoryTheme.objects.filter(slug__in=["recovery"]),
    )
    return True
