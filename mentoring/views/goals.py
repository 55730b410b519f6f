"""The mentee's pages: goals and steps, check-ins, sharing, journey and my people."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import show_service_errors
from mentoring import forms, journey, local_services, selectors, services
from mentoring.models import GoalStep, MenteeSettings
from mentoring.partners import people as partner_people
from mentoring.permissions import access_goal
from mentoring.views.base import _posted, _require_mentee


@require_http_methods(["GET", "POST"])
def goals(request):
    _require_mentee(request.user)
    form = forms.GoalForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_goal(mentee=request.user, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Goal added."))
            return redirect("mentoring:goals")
    settings_row = MenteeSettings.objects.filter(mentee=request.user).first()
    latest = request.user.mentoring_check_ins.first()
    return render(
        request,
        "mentoring/goals.html",
        {
            "goals": selectors.goals_of(request.user),
            "form": form,
            "target": settings_row.weekly_hours_target if settings_row else None,
            "latest": latest,
            "target_form": forms.WeeklyTargetForm(
                initial={"hours": settings_row.weekly_hours_target if settings_row else None}
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def goal_detail(request, pk: int):
    goal = access_goal(request.user, pk)
    is_owner = goal.mentee_id == request.user.pk
    on_my_people = local_services.on_my_people(goal.mentee) if is_owner else []
    form = forms.GoalStepForm(_posted(request), services=on_my_people)
    if request.method == "POST":
        if not is_owner:
            raise Http404
        if "status" in request.POST:
            status_form = forms.GoalStatusForm(request.POST)
            if status_form.is_valid():
                services.set_goal_status(goal=goal, by=request.user, **status_form.cleaned_data)
                return redirect("mentoring:goal", pk=goal.pk)
        elif form.is_valid():
            try:
                services.add_goal_step(
                    goal=goal,
                    by=request.user,
                    words=form.cleaned_data["words"],
                    service_id=form.cleaned_data.get("service"),
                )
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                return redirect("mentoring:goal", pk=goal.pk)
    return render(
        request,
        "mentoring/goal_detail.html",
        {
            "goal": goal,
            "steps": local_services.steps_with_services(goal),
            "form": form,
            "is_owner": is_owner,
            "status_form": forms.GoalStatusForm(initial={"status": goal.status}),
        },
    )


@require_POST
def goal_step(request, pk: int, step_pk: int):
    goal = access_goal(request.user, pk)
    if goal.mentee_id != request.user.pk:
        raise Http404
    step = get_object_or_404(GoalStep, pk=step_pk, goal=goal)
    services.set_step_done(step=step, by=request.user, done=request.POST.get("done") == "yes")
    return redirect("mentoring:goal", pk=goal.pk)


@require_POST
def weekly_target(request):
    _require_mentee(request.user)
    form = forms.WeeklyTargetForm(request.POST)
    if form.is_valid():
        services.set_weekly_target(
            mentee=request.user, by=request.user, hours=form.cleaned_data["hours"]
        )
        messages.success(request, _("Target saved."))
    else:
        messages.error(request, _("Choose a number of hours from 1 to 60, or leave it empty."))
    return redirect("mentoring:goals")


@require_http_methods(["GET", "POST"])
def check_in(request):
    _require_mentee(request.user)
    form = forms.CheckInForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.check_in(
            mentee=request.user,
            by=request.user,
            feeling=data["feeling"],
            line=data["line"],
            hours=data["hours"],
        )
        messages.success(request, _("Thank you for checking in."))
        return redirect("mentoring:goals")
    recent = request.user.mentoring_check_ins.all()[:5]
    return render(request, "mentoring/check_in.html", {"form": form, "recent": recent})


@require_http_methods(["GET", "POST"])
def sharing(request):
    """The mentee chooses, item by item, what their mentor may see."""
    _require_mentee(request.user)
    current = sorted(selectors.shared_items(request.user.pk))
    form = forms.SharingForm(_posted(request), initial={"items": current})
    if request.method == "POST" and form.is_valid():
        services.set_sharing(mentee=request.user, by=request.user, items=form.cleaned_data["items"])
        messages.success(request, _("Saved. Your mentor sees this from now on."))
        return redirect("mentoring:sharing")
    return render(request, "mentoring/sharing.html", {"form": form})


# --- Journey and my people ----------------------------------------------------------------------


def my_journey(request):
    _require_mentee(request.user)
    return render(request, "mentoring/journey.html", {"events": journey.timeline_for(request.user)})


def my_people(request):
    _require_mentee(request.user)
    context = {
        "people": journey.my_people(request.user),
        "service_rows": partner_people.service_rows(request.user),
        "agreed": local_services.agreed(request.user.pk),
    }
    return render(request, "mentoring/people.html", context)
