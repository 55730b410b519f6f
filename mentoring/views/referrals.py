"""Referral pages: referring, the list, risk notes, suggestions and pairs kept apart."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import audit, inputs
from accounts.forms import show_service_errors
from accounts.models import User
from accounts.roles import Role
from mentoring import forms, matching, services
from mentoring.choices import ReferralStatus
from mentoring.models import Referral
from mentoring.permissions import access_referral, is_coordinator, require_coordinator
from mentoring.views.base import _posted


@require_http_methods(["GET", "POST"])
def refer_self(request):
    form = forms.ReferralForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.refer(person=request.user, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. A coordinator will be in touch."))
            return redirect("mentoring:referral", pk=referral.pk)
    return render(request, "mentoring/refer.html", {"form": form, "self_referral": True})


@require_http_methods(["GET", "POST"])
def referral_new(request):
    require_coordinator(request.user)
    form = forms.CoordinatorReferralForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.refer(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Referral saved. Here are the people who could help."))
            return redirect("mentoring:suggestions", pk=referral.pk)
    return render(request, "mentoring/refer.html", {"form": form, "self_referral": False})


def referral_list(request):
    require_coordinator(request.user)
    # The ones that need the coordinator first: waiting, then proposed, then matched, then closed
    # (by the status's name, "waiting" came last, below every matched one).
    stage = Case(
        *(When(status=value, then=Value(i)) for i, value in enumerate(ReferralStatus.values)),
        default=Value(len(ReferralStatus.values)),
    )
    referrals = Referral.objects.select_related("person", "referred_by").order_by(
        stage, "created_at", "id"
    )
    return render(request, "mentoring/referral_list.html", {"referrals": referrals})


def referral_detail(request, pk: int):
    referral = access_referral(request.user, pk)
    matches = referral.matches.select_related("mentor").order_by("-proposed_at", "-id")
    return render(
        request,
        "mentoring/referral_detail.html",
        {
            "referral": referral,
            "matches": matches,
            "is_coordinator": is_coordinator(request.user),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def referral_risk(request, pk: int):
    """Risk information: coordinators only, and every view is written to the audit trail."""
    require_coordinator(request.user)
    referral = access_referral(request.user, pk)
    form = forms.RiskNoteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_risk_note(
                referral=referral, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            return redirect("mentoring:referral_risk", pk=pk)
    audit.record_view(
        actor=request.user, target=referral, subject=referral.person, what="risk information"
    )
    notes = referral.risk_notes.select_related("written_by")
    return render(
        request,
        "mentoring/referral_risk.html",
        {"referral": referral, "notes": notes, "form": form},
    )


# --- Matching -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def suggestions(request, pk: int):
    """The top five mentors with their reasons, and a way to choose someone else (with a reason)."""
    require_coordinator(request.user)
    referral = access_referral(request.user, pk)
    top, others = services.suggestions_for(referral)
    people = User.objects.in_bulk([s.mentor_id for s in [*top, *others]])
    choices = [(people[s.mentor_id], s) for s in [*top, *others]]
    form = forms.ProposeForm(_posted(request), choices=choices)
    if request.method == "POST" and referral.status == "waiting" and form.is_valid():
        try:
            match = services.propose_match(
                referral=referral,
                mentor=people[form.cleaned_data["mentor"]],
                by=request.user,
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Proposed. The mentor has been asked."))
            return redirect("mentoring:match", pk=match.pk)
    rows = [(people[s.mentor_id], s) for s in top]
    return render(
        request,
        "mentoring/suggestions.html",
        {
            "referral": referral,
            "rows": rows,
            "form": form,
            "others": len(others),
            "weights": matching.weights_table(),
            "min_months": settings.MENTORING_ELIGIBLE_AFTER_MONTHS,
            "do_not_match_form": forms.DoNotMatchForm(mentors=[m for m, _s in choices]),
        },
    )


@require_POST
def do_not_match(request, pk: int):
    require_coordinator(request.user)
    referral = access_referral(request.user, pk)
    mentors = User.objects.filter(
        groups__name=Role.PEER_MENTOR, pk=inputs.parse_id(request.POST.get("mentor"))
    )
    form = forms.DoNotMatchForm(request.POST, mentors=mentors)
    if form.is_valid():
        try:
            services.record_do_not_match(
                mentor=get_object_or_404(mentors, pk=form.cleaned_data["mentor"]),
                mentee=referral.person,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Recorded. They will not be suggested together."))
    else:
        messages.error(request, _("Please choose a mentor and say why."))
    return redirect("mentoring:suggestions", pk=pk)
