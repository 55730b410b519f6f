"""Pages for coordinators: the pipeline, a volunteer's file, the rota, approvals, reports.
Thin: parse → one access helper → one service or selector → render."""

from __future__ import annotations

import csv
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import audit, inputs
from accounts.forms import show_service_errors
from volunteering import selectors, services
from volunteering.forms import (
    DBSCheckForm,
    DecideHoursForm,
    ReferenceForm,
    ReferenceReceivedForm,
    RiskAssessmentForm,
    ShiftChangeForm,
    ShiftForm,
    StageForm,
    StepForm,
    TrainingForm,
)
from volunteering.models import DBSCheck, Onboarding, Reference, TrainingCompletion
from volunteering.permissions import (
    access_dbs_check,
    access_risk_assessment,
    access_shift,
    access_training,
    access_volunteer,
    require_coordinator,
)

# --- Coordinators --------------------------------------------------------------------------------


def pipeline(request):
    require_coordinator(request.user)
    board = selectors.pipeline()
    return render(
        request,
        "volunteering/pipeline.html",
        {
            "board": [
                (stage, label, board[stage])
                for stage, label in StageForm.base_fields["stage"].choices
            ]
        },
    )


@never_cache
def volunteer_file(request, user_pk: int):
    """One volunteer's onboarding file. It shows DBS details, so each view is audited."""
    person = access_volunteer(request.user, user_pk)
    onboarding = getattr(person, "onboarding", None)
    dbs_checks = list(
        DBSCheck.objects.filter(volunteer=person).prefetch_related("risk_assessments__role")
    )
    if dbs_checks:
        audit.record_view(
            actor=request.user, target=dbs_checks[0], subject=person, what="DBS details"
        )
    return render(
        request,
        "volunteering/volunteer_file.html",
        {
            "person": person,
            "onboarding": onboarding,
            "references": Reference.objects.filter(volunteer=person),
            "dbs_checks": dbs_checks,
            "training": TrainingCompletion.objects.filter(user=person).select_related("course"),
            "clearances": selectors.my_clearances(person),
            "stage_form": StageForm(initial={"stage": onboarding.stage if onboarding else None}),
            "step_form": StepForm(initial={"on": timezone.localdate()}),
            "reference_form": ReferenceForm(),
            "received_form": ReferenceReceivedForm(initial={"received_on": timezone.localdate()}),
            "dbs_form": DBSCheckForm(),
            "training_form": TrainingForm(),
        },
    )


def _back_to_file(person_pk: int):
    return redirect("volunteering:volunteer", user_pk=person_pk)


def _report(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@require_POST
def move_stage(request, user_pk: int):
    person = access_volunteer(request.user, user_pk)
    onboarding = get_object_or_404(Onboarding, user=person)
    form = StageForm(request.POST)
    if form.is_valid():
        services.move_to_stage(
            onboarding=onboarding, stage=form.cleaned_data["stage"], by=request.user
        )
        messages.success(request, _("Moved to: %s") % onboarding.get_stage_display())
    else:
        messages.error(request, _("Choose a step from the list."))
    return _back_to_file(person.pk)


@require_POST
def record_step(request, user_pk: int):
    person = access_volunteer(request.user, user_pk)
    onboarding = get_object_or_404(Onboarding, user=person)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a step and give its date."))
        return _back_to_file(person.pk)
    try:
        services.record_step(onboarding=onboarding, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Saved."))
    return _back_to_file(person.pk)


@require_POST
def add_reference(request, user_pk: int):
    person = access_volunteer(request.user, user_pk)
    form = ReferenceForm(request.POST)
    if form.is_valid():
        services.add_reference(volunteer=person, by=request.user, **form.cleaned_data)
        messages.success(request, _("Reference added."))
    else:
        messages.error(request, _("Give the referee's name."))
    return _back_to_file(person.pk)


@require_POST
def reference_received(request, user_pk: int, pk: int):
    person = access_volunteer(request.user, user_pk)
    reference = get_object_or_404(Reference, pk=pk, volunteer=person)
    form = ReferenceReceivedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date it came and whether it is satisfactory."))
        return _back_to_file(person.pk)
    try:
        services.record_reference(reference=reference, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Reference recorded."))
    return _back_to_file(person.pk)


@require_POST
def add_dbs_check(request, user_pk: int):
    person = access_volunteer(request.user, user_pk)
    form = DBSCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please fill in the level, issue date and certificate number."))
        return _back_to_file(person.pk)
    try:
        services.record_dbs_check(volunteer=person, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("DBS check recorded."))
    return _back_to_file(person.pk)


@require_POST
def add_training(request, user_pk: int):
    person = access_volunteer(request.user, user_pk)
    form = TrainingForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the course and the date it was completed."))
        return _back_to_file(person.pk)
    try:
        services.record_training(user=person, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Training recorded."))
    return _back_to_file(person.pk)


@require_POST
def verify_training(request, pk: int):
    require_coordinator(request.user)
    completion = access_training(request.user, pk)
    services.verify_training(completion=completion, by=request.user)
    messages.success(request, _("Training verified."))
    return _back_to_file(completion.user_id)


@never_cache
@require_http_methods(["GET", "POST"])
def new_risk_assessment(request, dbs_pk: int):
    dbs = access_dbs_check(request.user, dbs_pk)
    form = RiskAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.record_risk_assessment(
                dbs_check=dbs, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Risk assessment saved."))
            return redirect("volunteering:risk_assessment", pk=assessment.pk)
    audit.record_view(actor=request.user, target=dbs, subject=dbs.volunteer, what="DBS details")
    return render(request, "volunteering/risk_assessment_form.html", {"form": form, "dbs": dbs})


@never_cache
def risk_assessment(request, pk: int):
    assessment = access_risk_assessment(request.user, pk)
    audit.record_view(
        actor=request.user,
        target=assessment,
        subject=assessment.dbs_check.volunteer,
        what="risk assessment",
    )
    return render(request, "volunteering/risk_assessment.html", {"assessment": assessment})


def _week_start(chosen: date) -> date:
    return chosen - timedelta(days=chosen.weekday())


def rota(request):
    """The week's shifts, one day under another so it reads on a phone."""
    require_coordinator(request.user)
    raw = request.GET.get("week")
    chosen = inputs.parse_date(raw)
    if raw and chosen is None:
        messages.error(
            request, _("We can only show weeks between 1900 and 2100: here is this week.")
        )
    start = _week_start(chosen or timezone.localdate())
    return render(
        request,
        "volunteering/rota.html",
        {
            "days": selectors.week_rota(start),
            "start": start,
            "previous": start - timedelta(days=7),
            "next": start + timedelta(days=7),
        },
    )


@require_http_methods(["GET", "POST"])
def new_shift(request):
    require_coordinator(request.user)
    form = ShiftForm(request.POST or None, initial={"repeat_weeks": 0, "places": 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.create_shifts(
                role=data["role"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                places=data["places"],
                notes=data["notes"],
                repeat_weeks=data["repeat_weeks"],
                by=request.user,
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("%(count)d shift(s) created.") % {"count": len(created)})
            week = timezone.localdate(created[0].starts_at).isoformat()
            return redirect(f"{reverse('volunteering:rota')}?week={week}")
    return render(request, "volunteering/shift_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def change_shift(request, pk: int):
    require_coordinator(request.user)
    shift = access_shift(request.user, pk)
    local_start, local_end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    form = ShiftChangeForm(
        request.POST or None,
        initial={
            "day": local_start.date(),
            "starts": local_start.time(),
            "ends": local_end.time(),
            "place": shift.place,
            "places": shift.places,
            "notes": shift.notes,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_shift(
                shift=shift,
                by=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                places=data["places"],
                notes=data["notes"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Shift changed. We have told everyone on it."))
            return redirect("volunteering:shift", pk=shift.pk)
    return render(request, "volunteering/shift_change.html", {"form": form, "shift": shift})


@require_POST
def cancel_shift(request, pk: int):
    require_coordinator(request.user)
    shift = access_shift(request.user, pk)
    week = timezone.localdate(shift.starts_at).isoformat()
    try:
        told = services.cancel_shift(shift=shift, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("volunteering:shift", pk=shift.pk)
    messages.success(
        request,
        ngettext(
            "Shift cancelled. We have told the %(count)d person on it.",
            "Shift cancelled. We have told the %(count)d people on it.",
            told,
        )
        % {"count": told},
    )
    return redirect(f"{reverse('volunteering:rota')}?week={week}")


@require_http_methods(["GET", "POST"])
def approvals(request):
    require_coordinator(request.user)
    pending = selectors.pending_hours()
    data = request.POST or None
    if data is not None and data.get("all") == "yes":
        # "Select all": every entry the page showed (never one that arrived since).
        data = data.copy()
        data.setlist("entries", data.getlist("shown"))
    form = DecideHoursForm(data, entry_ids=[entry.pk for entry in pending])
    if request.method == "POST":
        if form.is_valid():
            decided = services.decide_hours(
                entry_ids=form.cleaned_data["entries"],
                approve=form.cleaned_data["decision"] == "approve",
                by=request.user,
            )
            messages.success(request, _("%(count)d entries decided.") % {"count": decided})
            return redirect("volunteering:approvals")
        messages.error(request, " ".join(form.errors.get("entries", [])) or _("Please try again."))
    return render(request, "volunteering/approvals.html", {"pending": pending, "form": form})


def reports(request):
    require_coordinator(request.user)
    return render(
        request,
        "volunteering/reports.html",
        {
            "report": selectors.monthly_report(),
            "retention": selectors.retention(),
            "expiring": selectors.expiring_clearances(),
        },
    )


@require_GET
def reports_csv(request):
    require_coordinator(request.user)
    report = selectors.monthly_report()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="volunteer-hours.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [_("Volunteer"), *[month.strftime("%Y-%m") for month in report.months], _("Total hours")]
    )
    for row in report.by_volunteer:
        writer.writerow(
            [
                _csv_safe(row["name"]),
                *[_hours(row["minutes"].get(month, 0)) for month in report.months],
                _hours(row["total"]),
            ]
        )
    audit.record(actor=request.user, action="volunteering.report_exported")
    return response


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.2f}"


def _csv_safe(value: str) -> str:
    """Stop a spreadsheet reading a name as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
