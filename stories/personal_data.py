"""Stories' part of "My data": the stories a person told, as plain text, with their consent.

Only the storyteller receives a story; the involvement lead who drafted it does not (it is the
storyteller's story, and Wagtail's revisions and page ownership are the organisation's records).
"""

from __future__ import annotations

from accounts.hooks import Section
from accounts.models import User
from accounts.personal_data import section
from stories.models import StoryConsent, StoryPage


def story_text(page: StoryPage) -> str:
    """The story's words, without markup: headings, paragraphs and quotes in order."""
    parts = page.body.stream_block.get_searchable_content(page.body)
    return "\n\n".join(str(part).strip() for part in parts if str(part).strip())


def sections(user: User) -> list[Section]:
    stories = StoryPage.objects.filter(storyteller=user).order_by("pk")
    return [
        *section(
            "stories.stories",
            "Stories you told",
            stories,
            [
                "title",
                "told_by",
                "summary",
                "content_note",
                ("story", story_text),
                "live",
                "first_published_at",
            ],
        ),
        *section(
            "stories.consents",
            "Your agreement to each story",
            StoryConsent.objects.filter(story__storyteller=user)
            .select_related("story")
            .order_by("pk"),
            [
                "story.title",
                "consented_by",
                "given_on",
                "method",
                "placements",
                "review_on",
                "withdrawn_at",
            ],
        ),
    ]
