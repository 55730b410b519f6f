"""Match pages: the match, its answer, agreeing, pausing, resuming and ending."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentoring import forms, local_services, selectors, services
from mentoring.choices import MatchStatus, SharedItem
from mentoring.partners import letters
from mentoring.partners import people as partner_people
from mentoring.permissions import (
    access_match,
    access_match_as_working_mentor,
    can_see_meeting,
    is_coordinator,
)
from mentoring.views.base import _act_on


def match_detail(request, pk: int):
    match = access_match(request.user, pk)
    user = request.user
    is_mentor = match.mentor_id == user.pk
    context = {
        "match": match,
        "is_coordinator": is_coordinator(user),
        "is_mentor": is_mentor,
        "is_mentee": match.mentee_id == user.pk,
        "events": match.events.select_related("by"),
        "pause_form": forms.PauseForm(),
        "end_form": forms.EndForm(),
    }
    if can_see_meeting(user, match):
        context["meetings"] = match.meetings.order_by("-starts_at", "-id")
    if is_mentor and match.status in (MatchStatus.PROPOSED, MatchStatus.ACTIVE, MatchStatus.PAUSED):
        # What the mentee lets their mentor see, also on a proposal: it is what the mentor
        # decides on. Read on every load, so a change the mentee makes shows at once.
        context["shared"] = selectors.shared_with_mentor(match)
        context["SharedItem"] = SharedItem
        if SharedItem.GOALS in context["shared"].items:
            context["goals"] = selectors.goals_of(match.mentee)
        if SharedItem.LOCAL_SERVICES in context["shared"].items:
            context["services_added"] = local_services.on_my_people(match.mentee)
            context["services_suggested"] = local_services.suggestions_for(match.mentee)
            context["service_rows"] = partner_people.service_rows(match.mentee)
    context["letter_offered"] = letters.can_write(user, match)
    return render(request, "mentoring/match_detail.html", context)


@require_POST
def match_suggest_service(request, pk: int):
    """The mentor adds a local service to their mentee's "My people" (with her agreement)."""
    match = access_match_as_working_mentor(request.user, pk)
    try:
        service_id = int(request.POST.get("service", ""))
    except ValueError:
        messages.error(request, _("Please choose a service from the list."))
        return redirect("mentoring:match", pk=match.pk)
    try:
        services.suggest_service(match=match, by=request.user, service_id=service_id)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Added. %(name)s sees it on My people, with how to reach them.")
            % {"name": match.mentee.display_name},
        )
    return redirect("mentoring:match", pk=match.pk)


_match_action = partial(_act_on, access=access_match, back="mentoring:match")


@require_POST
def match_answer(request, pk: int):
    """The mentor answers a proposal. Once answered, the match is not theirs to open until the
    mentee agrees (mentoring.permissions.MENTOR_VISIBLE), so they go back to Mentoring."""
    match = access_match(request.user, pk)
    accept = request.POST.get("answer") == "yes"
    try:
        services.answer_proposal(match=match, by=request.user, accept=accept)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mentoring:home")
    name = match.mentee.display_name
    if accept:
        messages.success(
            request,
            _(
                "Thank you. We have asked %(name)s if they would like to meet you, and told the "
                "coordinator. When %(name)s says yes, they will show under My mentees and you "
                "can plan your first meeting."
            )
            % {"name": name},
        )
    else:
        messages.success(
            request,
            _("Thank you for saying. The coordinator will look for another mentor for %(name)s.")
            % {"name": name},
        )
    return redirect("mentoring:home")


@require_POST
def match_agree(request, pk: int):
    return _match_action(
        request,
        pk,
        lambda match: services.agree_to_match(match=match, by=request.user),
        _("You are matched. Your mentor will plan your first meeting."),
    )


@require_POST
def match_pause(request, pk: int):
    form = forms.PauseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose why the match is paused."))
        return redirect("mentoring:match", pk=access_match(request.user, pk).pk)
    return _match_action(
        request,
        pk,
        lambda match: services.pause_match(match=match, by=request.user, **form.cleaned_data),
        _("The match is paused. Its history is kept."),
    )


@require_POST
def match_resume(request, pk: int):
    return _match_action(
        request,
        pk,
        lambda match: services.resume_match(match=match, by=request.user),
        _("The match is active again."),
    )


@require_POST
def match_end(request, pk: int):
    form = forms.EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the match ended."))
        return redirect("mentoring:match", pk=access_match(request.user, pk).pk)
    return _match_action(
        request,
        pk,
        lambda match: services.end_match(match=match, by=request.user, **form.cleaned_data),
        _("The match has ended."),
    )
