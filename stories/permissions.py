"""Who may do what to which story. Missing and forbidden both give 404."""

from __future__ import annotations

from django.http import Http404
from wagtail.models import TaskState

from accounts.roles import Role
from stories.models import StoryPage, StorytellerApprovalTask


def may_share_story(user) -> bool:
    """Anyone with an account (a verified e-mail address) may send a story in, including
    someone who joined on their own and holds no role yet: a shared story is only a draft, and
    nothing is published until an involvement lead has talked it through with them and their
    consent is on record (StoryPage.publish_blockers)."""
    return user.is_authenticated and user.is_active


def access_own_story(user, page_id: int) -> StoryPage:
    """A story whose storyteller is ``user`` (or any story for an involvement lead)."""
    story = StoryPage.objects.filter(pk=page_id).first()
    if story is None:
        raise Http404
    if story.storyteller_id == user.pk or user.has_role(Role.INVOLVEMENT_LEAD):
        return story
    raise Http404


def access_storyteller_review(user, task_state_id: int) -> TaskState:
    """An in-progress storyteller approval for a story ``user`` told."""
    task_state = (
        TaskState.objects.filter(
            pk=task_state_id,
            status=TaskState.STATUS_IN_PROGRESS,
            task__content_type__model=StorytellerApprovalTask._meta.model_name,
            task__content_type__app_label=StorytellerApprovalTask._meta.app_label,
        )
        .select_related("workflow_state", "revision")
        .first()
    )
    if task_state is None:
        raise Http404
    story = StoryPage.objects.filter(pk=task_state.workflow_state.object_id).first()
    if story is None or story.storyteller_id != user.pk:
        raise Http404
    return task_state
