"""Actions on stories: sharing one, the storyteller's approval, and withdrawing consent."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.text import slugify
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import TaskState

from accounts import audit
from accounts.models import User
from accounts.roles import Role
from notifications import notify, resolve
from stories.models import StoryConsent, StoryIndexPage, StoryPage
from stories.permissions import may_share_story


def share_story(*, by: User, told_by: str, title: str, story: str, themes) -> StoryPage:
    """Create a draft story from a member's own words, for involvement leads to pick up.

    The draft has no consent record and an empty checklist, so it cannot be published until an
    involvement lead has talked it through with the storyteller.
    """
    if not may_share_story(by):
        raise PermissionDenied
    index = StoryIndexPage.objects.first()
    if index is None:
        raise PermissionDenied
    body = [("paragraph", linebreaks(escape(story)))]
    with transaction.atomic():
        page = StoryPage(
            title=title,
            slug=_unique_slug(index, title),
            told_by=told_by,
            storyteller=by,
            body=body,
            live=False,
        )
        index.add_child(instance=page)
        page.themes.set(themes)
        page.save()  # a ParentalManyToMany is written with the page
        page.save_revision(user=None, log_action=False)
        audit.record(
            actor=by, action="story.shared", target=page, subject=by, summary="Shared a story"
        )
        notify(
            to=_involvement_leads(),
            kind="stories.shared",
            key=f"story:{page.pk}:shared",
            context={
                "url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
                "title": page.title,
            },
        )
    return page


def _involvement_leads() -> list[User]:
    return list(User.objects.filter(groups__name=Role.INVOLVEMENT_LEAD, is_active=True).distinct())


def _unique_slug(index: StoryIndexPage, title: str) -> str:
    base = slugify(title)[:60] or "story"
    taken = set(index.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def notify_storyteller_of_review(*, task_state: TaskState, storyteller_id: int) -> None:
    storyteller = User.objects.filter(pk=storyteller_id).first()
    if storyteller is not None:
        notify(
            to=storyteller,
            kind="stories.ready_to_read",
            key=f"review:{task_state.pk}",
            context={
                "url": reverse("stories:review", args=[task_state.pk]),
                "title": task_state.workflow_state.content_object.title,
            },
        )


def review_story_text(
    *, task_state: TaskState, by: User, approve: bool, comment: str = ""
) -> TaskState:
    """The storyteller approves the text, or asks for changes (the workflow goes back to drafts).

    Precondition: ``task_state`` came from ``access_storyteller_review(by, ...)``.
    """
    with transaction.atomic():
        task_state = TaskState.objects.select_for_update().get(pk=task_state.pk)
        if task_state.status != TaskState.STATUS_IN_PROGRESS:
            return task_state
        if approve:
            task_state.approve(user=by, comment=comment[:500])
        else:
            task_state.reject(user=by, comment=comment[:500])
        audit.record(
            actor=by,
            action="story.approved_by_storyteller" if approve else "story.changes_requested",
            target=task_state,
            subject=by,
            summary="Storyteller approved the text" if approve else "Storyteller asked for changes",
        )
        resolve(to=by, kind="stories.ready_to_read", key=f"review:{task_state.pk}")
    return task_state


def withdraw_story_consent(*, story: StoryPage, by: User) -> StoryPage:
    """Withdraw consent and take the story down at once; the public URL 404s from now on.

    Precondition: ``story`` came from ``access_own_story(by, ...)``. Safe to call twice.
    """
    with transaction.atomic():
        story = StoryPage.objects.select_for_update().get(pk=story.pk)
        now = timezone.now()
        withdrawn = list(
            StoryConsent.objects.filter(story=story, withdrawn_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        StoryConsent.objects.filter(pk__in=withdrawn).update(withdrawn_at=now)
        was_live = story.live
        if story.live:
            # The storyteller is not an editor: this service has authorised them already.
            UnpublishPageAction(story, user=by).execute(skip_permission_checks=True)
        if (workflow_state := story.current_workflow_state) is not None:
            if (waiting := workflow_state.current_task_state) is not None:
                # The review stops: it no longer waits for the storyteller's answer.
                resolve(to=by, kind="stories.ready_to_read", key=f"review:{waiting.pk}")
            workflow_state.cancel(user=by)
        audit.record(
            actor=by,
            action="story.consent_withdrawn",
            target=story,
            subject=story.storyteller,
            summary="Storyteller consent withdrawn; story unpublished",
        )
        if withdrawn or was_live:
            # Once per consent withdrawn; calling this twice tells nobody twice.
            notify(
                to=_involvement_leads(),
                kind="stories.consent_withdrawn",
                key=f"story:{story.pk}:withdrawn:{max(withdrawn, default=0)}",
                context={
                    "url": reverse("wagtailadmin_pages:edit", args=[story.pk]),
                    "title": story.title,
                },
            )
    return story
