"""The storyteller approves the text on their own page, and can withdraw consent at any time."""

import pytest
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from accounts.models import AuditEvent
from accounts.roles import Role
from stories.models import StoryConsent, StoryPage
from tests.cms import factories
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def storyteller(db):
    return person(Role.MENTEE, display_name="Kim Storyteller")


def _submit(story, by):
    return story.get_workflow().start(story, by)


def test_storyteller_approves_then_the_involvement_lead_publishes(
    client_of, storyteller, involvement_lead, moderator, outsider, client
):
    story = factories.story(storyteller=storyteller, publish=False)
    state = _submit(story, involvement_lead)
    task_state = state.current_task_state
    assert task_state.task.specific.__class__.__name__ == "StorytellerApprovalTask"
    url = reverse("stories:review", args=[task_state.pk])

    assert client.get(url).status_code == 302  # anonymous → log in
    assert client_of(outsider).get(url).status_code == 404
    assert client_of(involvement_lead).get(url).status_code == 404  # not theirs to approve
    mine = client_of(storyteller)
    page = mine.get(url)
    assert page.status_code == 200
    assert b"Finding my feet" in page.content

    response = mine.post(url, {"decision": "approve"})
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.current_task_state.task.specific.__class__.__name__ == "StoryModerationTask"
    assert mine.get(url).status_code == 404  # done: nothing left to approve

    # The involvement lead, not a chat moderator, approves in the admin: the story goes live.
    publish_state = state.current_task_state
    task = publish_state.task.specific
    assert not [a for a in task.get_actions(story, moderator) if a[0].startswith("approve")]
    response = client_of(involvement_lead).post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[story.pk, "approve", publish_state.pk],
        ),
        {"comment": ""},
    )
    assert response.status_code in (200, 302)
    assert StoryPage.objects.get(pk=story.pk).live


def test_storyteller_can_ask_for_changes(client_of, storyteller, involvement_lead):
    story = factories.story(storyteller=storyteller, publish=False)
    state = _submit(story, involvement_lead)
    client_of(storyteller).post(
        reverse("stories:review", args=[state.current_task_state.pk]),
        {"decision": "changes", "comment": "Please take out the town"},
    )
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert TaskState.objects.filter(status=TaskState.STATUS_REJECTED).count() == 1


def test_review_without_a_decision_changes_nothing(client_of, storyteller, involvement_lead):
    story = factories.story(storyteller=storyteller, publish=False)
    state = _submit(story, involvement_lead)
    response = client_of(storyteller).post(
        reverse("stories:review", args=[state.current_task_state.pk]), {"decision": "maybe"}
    )
    assert response.status_code == 200
    state.current_task_state.refresh_from_db()
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_withdrawal_unpublishes_at_once_and_is_audited(client, client_of, storyteller):
    story = factories.story(storyteller=storyteller)
    url = story.url
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # now served from the anonymous page cache

    today = client_of(storyteller).get(reverse("accounts:today"))
    assert b"Take my story down" in today.content

    withdraw = reverse("stories:withdraw", args=[story.pk])
    assert withdraw in today.content.decode()
    # One tap only asks: nothing changes until the person says yes on the next page.
    asked = client_of(storyteller).get(withdraw)
    assert asked.status_code == 200
    assert "It will come off the site straight away" in asked.content.decode()
    assert client_of(storyteller).post(withdraw).status_code == 200
    assert StoryPage.objects.get(pk=story.pk).live
    response = client_of(storyteller).post(withdraw, {"confirm": "yes"})
    assert response.status_code == 302

    assert client.get(url).status_code == 404  # the very next request
    assert not StoryPage.objects.get(pk=story.pk).live
    assert StoryConsent.objects.get(story=story).withdrawn_at is not None
    assert AuditEvent.objects.filter(action="story.consent_withdrawn", subject=storyteller).exists()
    # And it cannot be published again on the old consent.
    with pytest.raises(Exception, match="consent"):
        StoryPage.objects.get(pk=story.pk).save_revision().publish()


def test_only_the_storyteller_may_withdraw(client, client_of, storyteller, outsider, moderator):
    story = factories.story(storyteller=storyteller)
    url = reverse("stories:withdraw", args=[story.pk])
    yes = {"confirm": "yes"}
    assert client.post(url, yes).status_code == 302 and StoryPage.objects.get(pk=story.pk).live
    assert client_of(outsider).post(url, yes).status_code == 404
    assert client_of(outsider).get(url).status_code == 404
    assert client_of(moderator).post(url, yes).status_code == 404
    assert client_of(storyteller).get(url).status_code == 200  # the confirmation page
    assert StoryPage.objects.get(pk=story.pk).live


def test_involvement_lead_may_withdraw_on_the_storytellers_behalf(client_of, involvement_lead):
    story = factories.story()
    client_of(involvement_lead).post(
        reverse("stories:withdraw", args=[story.pk]), {"confirm": "yes"}
    )
    assert not StoryPage.objects.get(pk=story.pk).live


def test_the_involvement_leads_today_lists_shared_stories_and_those_ready_to_publish(
    client_of, storyteller, involvement_lead, moderator
):
    from stories.services import share_story

    shared = share_story(
        by=storyteller, told_by="K.", title="SENTINEL-SHARED", story="My words", themes=[]
    )
    approved = factories.story(storyteller=storyteller, publish=False)
    state = _submit(approved, involvement_lead)
    client_of(storyteller).post(
        reverse("stories:review", args=[state.current_task_state.pk]), {"decision": "approve"}
    )
    waiting = factories.story(storyteller=storyteller, publish=False, title="SENTINEL-WAITING")
    _submit(waiting, involvement_lead)  # with the storyteller: nothing for the lead yet

    today = client_of(involvement_lead).get(reverse("accounts:today")).content.decode()
    assert "Stories waiting for you" in today
    assert reverse("wagtailadmin_pages:edit", args=[shared.pk]) in today
    ready = today.split("ready for you to publish")[1]
    assert reverse("wagtailadmin_pages:edit", args=[approved.pk]) in ready
    assert "SENTINEL-WAITING" not in today
    assert (
        "Stories waiting for you"
        not in client_of(moderator).get(reverse("accounts:today")).content.decode()
    )
