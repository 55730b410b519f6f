import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from stories.models import StoryPage, StoryTheme
from tests.cms import factories

pytestmark = pytest.mark.django_db

SHARE = reverse("stories:share")


def test_share_your_story_access(client, client_of, outsider, mentee):
    assert client.get(SHARE).status_code == 302
    # Someone who joined on their own (no role yet) may send a story in too: it is a draft.
    assert client_of(outsider).get(SHARE).status_code == 200
    assert client_of(mentee).get(SHARE).status_code == 200


def test_sharing_creates_a_draft_for_involvement_leads(client_of, mentee, involvement_lead):
    theme = StoryTheme.objects.get(slug="housing")
    response = client_of(mentee).post(
        SHARE,
        {
            "told_by": "J",
            "title": "A roof at last",
            "story": "<script>alert(1)</script> It took two years to find a flat.",
            "themes": [theme.pk],
        },
    )
    assert response.status_code == 302
    story = StoryPage.objects.get(title="A roof at last")
    assert not story.live
    assert story.storyteller == mentee
    assert list(story.themes.all()) == [theme]
    assert "<script>" not in str(story.body[0].value)
    assert story.publish_blockers()  # no consent yet: cannot be published
    assert AuditEvent.objects.filter(action="story.shared", actor=mentee).exists()


def test_bad_share_input_changes_nothing(client_of, mentee):
    response = client_of(mentee).post(SHARE, {"told_by": "", "title": "x", "story": "\x00 short"})
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not StoryPage.objects.filter(title="x").exists()


def test_rss_feed_lists_published_stories_only(client):
    factories.story(title="Out in the open")
    factories.story(title="Still a draft", publish=False)
    response = client.get(reverse("stories:feed"))
    assert response.status_code == 200
    assert b"Out in the open" in response.content
    assert b"Still a draft" not in response.content


def test_story_index_filters_by_theme(client):
    factories.story(title="About work", themes=("work",))
    factories.story(title="About family", themes=("family",))
    response = client.get("/stories/?theme=work")
    assert b"About work" in response.content
    assert b"About family" not in response.content


def test_content_note_is_shown_before_the_story(client):
    story = factories.story(content_note="mentions overdose")
    html = client.get(story.url).content.decode()
    assert "<details" in html
    assert html.index("mentions overdose") < html.index("I left")


def test_reserved_slug_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        factories.story(title="feed")
