"""Thin views: parse, one access helper, one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stories import services
from stories.feeds import StoriesFeed
from stories.forms import ShareStoryForm
from stories.permissions import access_own_story, access_storyteller_review, may_share_story

feed = login_not_required(StoriesFeed())


def share(request):
    if not may_share_story(request.user):
        raise Http404
    form = ShareStoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.share_story(by=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Thank you. An involvement lead will be in touch before anything is published."),
        )
        return redirect("accounts:today")
    return render(request, "stories/share.html", {"form": form})


def review(request, task_state_id: int):
    task_state = access_storyteller_review(request.user, task_state_id)
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision in ("approve", "changes"):
            services.review_story_text(
                task_state=task_state,
                by=request.user,
                approve=decision == "approve",
                comment=request.POST.get("comment", ""),
            )
            messages.success(
                request,
                _("Thank you: the involvement lead will check it and publish it.")
                if decision == "approve"
                else _("Thank you: the involvement lead will look at your changes."),
            )
            return redirect("accounts:today")
        messages.error(request, _("Choose whether the story is right or needs changes."))
    story = task_state.revision.as_object()
    return render(request, "stories/review.html", {"story": story, "task_state": task_state})


@require_http_methods(["GET", "POST"])
def withdraw(request, page_id: int):
    """Taking a story down cannot be undone in one tap: first a page that says what happens,
    then a second, deliberate button (no JavaScript needed)."""
    story = access_own_story(request.user, page_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.withdraw_story_consent(story=story, by=request.user)
        messages.success(request, _("Your story has been taken down. It is no longer on the site."))
        return redirect("accounts:today")
    return render(request, "stories/withdraw.html", {"story": story})
