"""Helpers the mentoring pages share, and the mentoring home page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from accounts.models import User
from accounts.roles import Role
from mentoring import selectors
from mentoring.models import Referral
from mentoring.permissions import is_coordinator


def _posted(request):
    """The form data on POST (even when every box is unticked), else None for an unbound form."""
    return request.POST if request.method == "POST" else None


def _require_mentee(user: User) -> None:
    if not user.has_role(Role.MENTEE):
        raise Http404


def _act_on(
    request, pk: int, action: Callable, success: str, *, access: Callable, back: str
) -> HttpResponse:
    """One button on a match or meeting page: open the thing with ``access(user, pk)`` (404 when
    it is not theirs), run ``action(thing)`` (a service call), say ``success`` or the service's
    plain refusal, and go back to the ``back`` page of the thing. A PermissionDenied is a 404."""
    thing = access(request.user, pk)
    try:
        action(thing)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(back, pk=thing.pk)


# --- Home ---------------------------------------------------------------------------------------


def home(request):
    """Mentoring at a glance, by role: what the person does here."""
    user = request.user
    context = {}
    if is_coordinator(user):
        context["waiting"] = selectors.waiting_referrals()
        context["proposals"] = selectors.proposals_waiting()
    if user.has_role(Role.PEER_MENTOR):
        context["my_matches"] = selectors.mentor_matches(user)
        context["my_proposals"] = selectors.proposals_waiting(mentor=user)
    if user.has_role(Role.MENTEE):
        context["my_match"] = selectors.current_match_for_mentee(user)
        context["my_referral"] = Referral.objects.filter(person=user).order_by("-id").first()
    if not context and not user.has_role(Role.MENTEE):
        context["can_refer_self"] = True
    context["meetings"] = selectors.next_meetings(user, limit=5)
    return render(request, "mentoring/home.html", context)
