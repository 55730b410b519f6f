"""A story's life in a real browser at 390×844: written, approved, published, read, withdrawn."""

import re

import pytest
from django.core.cache import cache

from accounts.roles import Role
from stories.models import StoryIndexPage, StoryPage
from tests.cms import factories
from tests.factories import person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_story_written_approved_published_read_and_withdrawn(
    page, login, browser, live_server, involvement_lead, moderator
):
    storyteller = person(Role.MENTEE, display_name="Kim", email="kim@example.org")
    index = StoryIndexPage.objects.get()

    # 1. The involvement lead writes the story in the Wagtail admin and submits it.
    login(page, involvement_lead)
    page.goto(f"/admin/pages/add/stories/storypage/{index.pk}/")
    page.fill("#id_title", "Out of the gate")
    page.fill("#id_told_by", "K.")
    page.fill("#id_storyteller", "kim@example.org")
    page.fill("#id_content_note", "mentions prison")
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Paragraph").first.click()
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    editor.type("The day I left, a peer mentor was waiting with a coffee.")
    for box in ("no_other_person_named", "no_identifying_places", "faces_blurred"):
        page.check(f"#id_{box}")
    page.locator(
        ".footer__container .dropdown-toggle, [data-w-dropdown-target='toggle']"
    ).last.click()
    page.get_by_role(
        "button", name=re.compile("Submit to Story review|Submit for moderation")
    ).click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))
    story = StoryPage.objects.get(title="Out of the gate")
    assert not story.live
    factories.give_consent(story)  # recorded by the involvement lead (Stories → Consent records)

    # 2. The storyteller reads the text on their own page and approves it.
    login(page, storyteller)
    page.goto("/me/")
    page.get_by_role("link", name="Read it and tell us if it is right").click()
    assert page.get_by_text("The day I left").is_visible()
    page.get_by_role("button", name="Yes, it is right").click()
    page.wait_for_url("**/me/")

    # 3. The moderator approves in the admin, which publishes it.
    login(page, moderator)
    page.goto(f"/admin/pages/{story.pk}/edit/")
    page.locator(
        ".footer__container .dropdown-toggle, [data-w-dropdown-target='toggle']"
    ).last.click()
    page.locator(
        'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
    ).click()
    for _ in range(50):  # the admin redirects once the workflow has published the page
        page.wait_for_timeout(200)
        story.refresh_from_db()
        if story.live:
            break
    assert story.live

    # 4. A visitor on a phone reads it behind its content note.
    visitor = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    reader = visitor.new_page()
    reader.goto(story.url)
    note = reader.locator("details.content-note")
    assert note.get_by_text("mentions prison").is_visible()
    assert not reader.get_by_text("The day I left").is_visible()
    note.locator("summary").click()
    assert reader.get_by_text("The day I left").is_visible()

    # 5. The storyteller withdraws consent from their home page: the story is gone at once.
    login(page, storyteller)
    page.goto("/me/")
    page.get_by_role("button", name="Take my story down").click()
    page.wait_for_url("**/me/")
    response = reader.goto(story.url)
    assert response.status == 404
    visitor.close()


@pytest.mark.parametrize("which", ["home", "story", "event", "glossary", "stories"])
def test_public_pages_are_accessible(page, assert_accessible, which):
    story = factories.story(content_note="mentions overdose")
    event = factories.event()
    url = {
        "home": "/",
        "story": story.url,
        "event": event.url,
        "glossary": "/glossary/",
        "stories": "/stories/",
    }[which]
    page.goto(url)
    if which == "story":
        page.locator("details.content-note summary").click()
    assert_accessible(page)
