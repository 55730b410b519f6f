"""A story cannot be live without consent and a complete anonymisation checklist — by any route."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page, WorkflowState

from stories.models import StoryPage
from tests.cms import factories

pytestmark = pytest.mark.django_db


def test_publishing_without_consent_is_refused_by_the_model():
    story = factories.story(consent=False, publish=False)
    with pytest.raises(ValidationError, match="no consent record"):
        story.save_revision().publish()
    assert not StoryPage.objects.get(pk=story.pk).live


def test_publishing_with_incomplete_checklist_is_refused_by_the_model():
    story = factories.story(checklist=False, publish=False)
    with pytest.raises(ValidationError, match="checklist"):
        story.save_revision().publish()
    assert not StoryPage.objects.get(pk=story.pk).live


def test_withdrawn_consent_counts_as_none():
    story = factories.story(publish=False)
    story.consent.withdrawn_at = story.first_published_at or story.latest_revision_created_at
    story.consent.save()
    with pytest.raises(ValidationError):
        story.save_revision().publish()


def test_a_complete_story_publishes_and_is_public(client):
    story = factories.story()
    assert story.live
    assert client.get(story.url).status_code == 200


def _edit_post_data(story, **overrides):
    data = {
        "title": story.title,
        "slug": story.slug,
        "told_by": story.told_by,
        "summary": story.summary,
        "content_note": "",
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-value": '{"blocks":[{"key":"a","text":"My story","type":"unstyled",'
        '"depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "body-0-deleted": "",
        "body-0-order": "0",
        "no_other_person_named": "on",
        "no_identifying_places": "on",
        "faces_blurred": "on",
        "action-publish": "action-publish",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_admin_publish_without_consent_is_refused_with_a_message(client_of, moderator):
    story = factories.story(consent=False, publish=False)
    client = client_of(moderator)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[story.pk]), _edit_post_data(story), follow=True
    )
    assert response.status_code == 200
    assert b"no consent record" in response.content
    assert not StoryPage.objects.get(pk=story.pk).live


def test_admin_publish_with_unticked_checklist_shows_the_missing_box(client_of, moderator):
    story = factories.story(publish=False)
    client = client_of(moderator)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[story.pk]),
        _edit_post_data(story, faces_blurred=None),
    )
    assert response.status_code == 200
    assert b"Tick this before the story can be published" in response.content
    assert not StoryPage.objects.get(pk=story.pk).live


def test_involvement_lead_cannot_publish_only_submit(client_of, involvement_lead):
    story = factories.story(publish=False)
    client = client_of(involvement_lead)
    data = _edit_post_data(story, **{"action-publish": None, "action-submit": "action-submit"})
    response = client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data)
    assert response.status_code == 302
    story = StoryPage.objects.get(pk=story.pk)
    assert not story.live
    state = WorkflowState.objects.get(object_id=str(story.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    # No storyteller account: the storyteller step is skipped, the lead's publishing is next.
    assert state.current_task_state.task.specific.__class__.__name__ == "StoryModerationTask"

    # Publishing directly is refused to the involvement lead (no publish permission).
    client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), _edit_post_data(story))
    assert not Page.objects.get(pk=story.pk).live


def test_the_lead_is_not_offered_approval_while_consent_is_missing(moderator, involvement_lead):
    story = factories.story(consent=False, publish=False)
    workflow = story.get_workflow()
    state = workflow.start(story, involvement_lead)
    task = state.current_task_state.task.specific
    assert [
        a for a in task.get_actions(story, involvement_lead) if a[0].startswith("approve")
    ] == []
    factories.give_consent(story)
    assert any(a[0] == "approve" for a in task.get_actions(story, involvement_lead))
    # A chat moderator is not part of the story review.
    assert not [a for a in task.get_actions(story, moderator) if a[0].startswith("approve")]


def test_a_story_cannot_be_created_live():
    from stories.models import StoryIndexPage

    page = StoryPage(title="Born live", told_by="X", body=[], live=True)
    with pytest.raises(ValidationError):
        StoryIndexPage.objects.get().add_child(instance=page)
    assert not StoryPage.objects.filter(title="Born live").exists()


def test_editor_shows_the_storytellers_email_not_a_list_of_people(client_of, involvement_lead):
    from tests.factories import person

    teller = person(display_name="Teller", email="teller@example.org")
    person(display_name="Somebody Else", email="else@example.org")
    story = factories.story(storyteller=teller, publish=False)
    html = client_of(involvement_lead).get(reverse("wagtailadmin_pages:edit", args=[story.pk]))
    body = html.content.decode()
    assert 'value="teller@example.org"' in body
    assert "else@example.org" not in body and "Somebody Else" not in body
