"""Outcomes pages. Thin: parse, one access helper, one service, render. Works without
JavaScript: one question per screen, every question skippable."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import audit
from accounts.forms import show_service_errors
from accounts.models import CONSENT_WORDING, ConsentPurpose, User
from accounts.roles import Role
from accounts.services import has_consent, withdraw_consent
from mentoring.outcomes import charts, forms, health, questionnaires, selectors, services
from mentoring.outcomes.milestones import MILESTONES, count_days
from mentoring.outcomes.models import MilestoneClock
from mentoring.outcomes.permissions import (
    access_match_member,
    access_match_outcomes,
    access_own_clock,
    access_own_response,
)
from mentoring.permissions import access_meeting, is_coordinator, require_coordinator


def _require_mentee(user: User) -> None:
    if not user.has_role(Role.MENTEE):
        raise Http404


def _posted(request):
    return request.POST if request.method == "POST" else None


# --- "How things are" ---------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def self_check_start(request, slug: str = questionnaires.SELF_CHECK):
    """The start of any questionnaire in use (a charity's own measure too): its consent, and
    alone or with my mentor."""
    _require_mentee(request.user)
    definition = questionnaires.load_all().get(slug)
    if definition is None or not definition.enabled:
        raise Http404
    consented = has_consent(request.user, ConsentPurpose.OUTCOMES)
    form = forms.StartForm(_posted(request))
    last = request.GET.get("last") == "1" or request.POST.get("last") == "1"
    if request.method == "POST" and form.is_valid():
        try:
            response = services.start_questionnaire(
                person=request.user,
                by=request.user,
                agree=form.cleaned_data["agree"],
                with_mentor=form.cleaned_data["with_mentor"],
                last=last,
                slug=slug,
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            return redirect("mentoring:outcomes:step", pk=response.pk, number=1)
    return render(
        request,
        "mentoring/outcomes/start.html",
        {
            "definition": definition,
            "form": form,
            "consented": consented,
            "wording": CONSENT_WORDING[ConsentPurpose.OUTCOMES][1],
            "last": last,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def self_check_step(request, pk: int, number: int):
    response = access_own_response(request.user, pk)
    definition = questionnaires.get(response.questionnaire)
    if not 1 <= number <= len(definition.items):
        raise Http404
    item = definition.items[number - 1]
    initial = {"value": response.answers.get(item.key), "words": response.words.get(item.key, "")}
    form = forms.answer_form(item, _posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        skip = request.POST.get("action") == "skip"
        try:
            services.answer_item(
                response=response,
                by=request.user,
                item=item.key,
                value=None if skip else form.cleaned_data["value"],
                words="" if skip else form.cleaned_data["words"],
            )
            if number == len(definition.items):
                services.finish_questionnaire(response=response, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            if number < len(definition.items):
                return redirect("mentoring:outcomes:step", pk=response.pk, number=number + 1)
            messages.success(request, _('Saved. Thank you for doing "How things are".'))
            return redirect("mentoring:outcomes:mine")
    return render(
        request,
        "mentoring/outcomes/step.html",
        {
            "definition": definition,
            "item": item,
            "form": form,
            "number": number,
            "count": len(definition.items),
            "response": response,
        },
    )


@never_cache
def self_check_mine(request):
    """My answers over time: a chart per area with a table behind it, what got better and what
    got harder, in my words. Queries: consent (1), answers (1), sharing (1), audit (1)."""
    _require_mentee(request.user)
    responses = selectors.completed_self_checks(request.user.pk)
    journey = selectors.journey_of(responses)
    audit.record_view(
        actor=request.user, target=request.user, subject=request.user, what="how things are"
    )
    return render(
        request,
        "mentoring/outcomes/mine.html",
        {
            "journey": journey,
            "charts": charts.for_journey(journey),
            "due": not responses or selectors.due_after(responses[-1].completed_at, timezone.now()),
            "shared": selectors.shared_domains(request.user.pk),
            "consented": has_consent(request.user, ConsentPurpose.OUTCOMES),
        },
    )


@require_POST
def self_check_forget(request):
    """Stop keeping my answers: consent taken back, every answer erased at once."""
    _require_mentee(request.user)
    withdraw_consent(user=request.user, purpose=ConsentPurpose.OUTCOMES)
    messages.success(request, _("Done. We no longer keep your answers, and they are deleted."))
    return redirect("mentoring:outcomes:mine")


@require_http_methods(["GET", "POST"])
def self_check_sharing(request):
    """The mentee chooses, area by area, what of "How things are" their mentor sees."""
    _require_mentee(request.user)
    definition = questionnaires.self_check()
    choices = [(d.key, d.label) for d in definition.domains]
    current = sorted(selectors.shared_domains(request.user.pk))
    form = forms.SharingForm(_posted(request), initial={"domains": current}, choices=choices)
    if request.method == "POST" and form.is_valid():
        services.set_outcome_sharing(
            mentee=request.user, by=request.user, domains=form.cleaned_data["domains"]
        )
        messages.success(request, _("Saved. Your mentor sees this from now on."))
        return redirect("mentoring:outcomes:sharing")
    return render(request, "mentoring/outcomes/sharing.html", {"form": form})


@never_cache
def match_self_checks(request, pk: int):
    """A mentee's "How things are" for their mentor (the shared areas only) or a coordinator
    (every area). Every view is audited."""
    match = access_match_outcomes(request.user, pk)
    only = None if is_coordinator(request.user) else selectors.shared_domains(match.mentee_id)
    journey = selectors.journey_of(selectors.completed_self_checks(match.mentee_id), only=only)
    today = timezone.localdate()
    shared_clocks = [
        (clock, count_days(clock.started_on, [f.on for f in clock.fresh_starts.all()], today))
        for clock in MilestoneClock.objects.filter(
            person_id=match.mentee_id, shared_with_mentor=True
        ).prefetch_related("fresh_starts")
    ]
    audit.record_view(actor=request.user, target=match, subject=match.mentee, what="how things are")
    return render(
        request,
        "mentoring/outcomes/match_self_checks.html",
        {
            "match": match,
            "journey": journey,
            "charts": charts.for_journey(journey),
            "health": health.health_of(match) if is_coordinator(request.user) else None,
            "clocks": shared_clocks,
        },
    )


# --- After a meeting ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def meeting_feedback(request, pk: int):
    meeting = access_meeting(request.user, pk)
    if request.user.pk not in (meeting.match.mentor_id, meeting.match.mentee_id):
        raise Http404
    form = forms.FeedbackForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.give_meeting_feedback(
                meeting=meeting,
                by=request.user,
                face=form.cleaned_data["face"],
                line=form.cleaned_data["line"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Thank you for saying how it went."))
            return redirect("accounts:today")
    return render(request, "mentoring/outcomes/feedback.html", {"meeting": meeting, "form": form})


# --- Ending well --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def match_close(request, pk: int):
    require_coordinator(request.user)
    match = access_match_outcomes(request.user, pk)
    form = forms.CloseForm(_posted(request), choices=services.CLOSE_CHOICES)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_match(match=match, by=request.user, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Done. Both people are asked what helped, and the mentee for a last check."),
            )
            return redirect("mentoring:match", pk=match.pk)
    return render(request, "mentoring/outcomes/close.html", {"match": match, "form": form})


@require_http_methods(["GET", "POST"])
def reflection(request, pk: int):
    match = access_match_member(request.user, pk)
    form = forms.ReflectionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.write_reflection(match=match, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your words help us do better."))
            if match.mentee_id == request.user.pk:
                return redirect(reverse("mentoring:outcomes:start") + "?last=1")
            return redirect("accounts:today")
    return render(request, "mentoring/outcomes/reflection.html", {"match": match, "form": form})


@require_POST
def start_again(request, pk: int):
    match = access_match_member(request.user, pk)
    try:
        match = services.wish_to_start_again(match=match, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if match.status == "active":
            messages.success(request, _("You are both ready: the match has started again."))
        else:
            messages.success(request, _("Thank you. We will start again when you both say yes."))
    return redirect("mentoring:match", pk=match.pk)


# --- For coordinators ---------------------------------------------------------------------------


def needs_check_in(request):
    """Active matches that need a check-in, with the reasons. One query for all of them."""
    require_coordinator(request.user)
    return render(
        request,
        "mentoring/outcomes/needs_check_in.html",
        {"found": health.needing_check_in(), "days": health.NO_MEETING_DAYS},
    )


def time_to_help(request):
    """Days from referral (or release, when later) to first contact and first meeting."""
    require_coordinator(request.user)
    page = Paginator(selectors.time_to_help(), 50).get_page(request.GET.get("page"))
    rows = [
        {
            "referral": referral,
            "to_contact": selectors.days_between(referral.counted_from, referral.first_contact),
            "to_meeting": selectors.days_between(referral.counted_from, referral.first_meeting),
        }
        for referral in page
    ]
    return render(
        request,
        "mentoring/outcomes/time_to_help.html",
        {"page": page, "rows": rows, "wait_days": selectors.referral_wait_days()},
    )


# --- Milestones ---------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def milestones(request):
    """My dates and milestones. Private: only I see them unless I share one."""
    if not request.user.has_role(Role.MENTEE, Role.PEER_MENTOR):
        raise Http404
    form = forms.MilestoneForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.set_milestone_date(person=request.user, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Saved. Only you see this unless you share it."))
            return redirect("mentoring:outcomes:milestones")
    today = timezone.localdate()
    clocks = [
        (clock, count_days(clock.started_on, [f.on for f in clock.fresh_starts.all()], today))
        for clock in MilestoneClock.objects.filter(person=request.user).prefetch_related(
            "fresh_starts"
        )
    ]
    return render(
        request,
        "mentoring/outcomes/milestones.html",
        {
            "clocks": clocks,
            "form": form,
            "again_form": forms.StartAgainForm(initial={"on": today}),
            "milestones": MILESTONES,
        },
    )


@require_POST
def milestone_start_again(request, pk: int):
    clock = access_own_clock(request.user, pk)
    form = forms.StartAgainForm(request.POST)
    if form.is_valid():
        try:
            services.start_again(clock=clock, by=request.user, on=form.cleaned_data["on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Starting again. Every good day you had still counts."))
    else:
        messages.error(request, _("Please give the date you are starting again."))
    return redirect("mentoring:outcomes:milestones")
