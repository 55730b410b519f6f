"""A story's life in a real browser at 390×844: written, approved, published, read, withdrawn."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect
from wagtail.models import TaskState

from accounts.roles import Role
from stories.models import StoryIndexPage, StoryPage
from tests.cms import factories
from tests.e2e.waiting import wait_for
from tests.factories import person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _site():
    cache.clear()
    factories.ensure_site()  # an earlier transactional test may have flushed the database


def test_story_written_approved_published_read_and_withdrawn(
    page, login, browser, live_server, involvement_lead, settings
):
    # Wagtail's autosave may create the draft while the test is still typing, and the explicit
    # submit then races it; a person would not notice, a timed test does.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
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
    editor.wait_for()
    editor.click()
    editor.press_sequentially("The day I left, a peer mentor was waiting with a coffee.")
    expect(editor).to_contain_text("waiting with a coffee")
    page.click("#id_told_by")  # leave the rich-text editor so it writes its hidden field
    expect(page.locator('input[name="body-0-value"]')).to_have_value(
        re.compile("waiting with a coffee")
    )
    for box in ("no_other_person_named", "no_identifying_places", "faces_blurred"):
        page.check(f"#id_{box}")
    page.locator(
        ".footer__container .dropdown-toggle, [data-w-dropdown-target='toggle']"
    ).last.click()
    submit = page.get_by_role(
        "button", name=re.compile("Submit to Story review|Submit for moderation")
    )
    submit.wait_for()
    submit.click()
    story = wait_for(lambda: StoryPage.objects.filter(title="Out of the gate").first(), page)
    assert wait_for(
        lambda: TaskState.objects.filter(
            workflow_state__object_id=str(story.pk), status="in_progress"
        ).first(),
        page,
    )
    assert not story.live
    factories.give_consent(story)  # recorded by the involvement lead (Stories → Consent records)

    # 2. The storyteller reads the text on their own page and approves it.
    login(page, storyteller)
    page.goto("/me/")

    page.get_by_role("link", name="Read it and tell us if it is right").click()
    expect(page.get_by_text("The day I left")).to_be_visible()
    page.get_by_role("button", name="Yes, it is right").click()
    page.wait_for_url("**/me/")

    # 3. The involvement lead (not a chat moderator) approves in the admin, which publishes it.
    login(page, involvement_lead)
    page.goto(f"/admin/pages/{story.pk}/edit/")
    page.locator(
        ".footer__container .dropdown-toggle, [data-w-dropdown-target='toggle']"
    ).last.click()
    page.locator(
        'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
    ).click()
    assert wait_for(lambda: StoryPage.objects.filter(pk=story.pk, live=True).first(), page)

    # 4. A visitor on a phone reads it behind its content note.
    visitor = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    reader = visitor.new_page()
    reader.goto(story.url)
    note = reader.locator("details.content-note")
    expect(note.get_by_text("mentions prison")).to_be_visible()
    expect(reader.get_by_text("The day I left")).to_be_hidden()
    note.locator("summary").click()
    expect(reader.get_by_text("The day I left")).to_be_visible()

    # 5. The storyteller withdraws consent from their home page: the story is gone at once.
    login(page, storyteller)
    page.goto("/me/")
    page.get_by_role("link", name="Take my story down").click()
    page.get_by_role("button", name="Yes, take it down").click()
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
