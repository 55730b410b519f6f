"""Volunteering pages. Thin: parse → one access helper → one service or selector → render."""

from __future__ import annotations

import csv
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import audit, inputs
from accounts.forms import show_service_errors
from accounts.roles import Role
from accounts.storage import signs_its_urls
from notifications.calendar import ics_response
from notifications.places import PlaceStatus
from volunteering import selectors, services
from volunteering.calendar import shift_entry
from volunteering.forms import (
    ApplyForm,
    DBSCheckForm,
    DecideHoursForm,
    LogHoursForm,
    ReferenceForm,
    ReferenceReceivedForm,
    RiskAssessmentForm,
    ShiftChangeForm,
    ShiftForm,
    StageForm,
    StepForm,
    TrainingForm,
)
from volunteering.models import (
    DBSCheck,
    HoursEntry,
    Onboarding,
    Reference,
    Shift,
    ShiftSignup,
    TrainingCompletion,
)
from volunteering.permissions import (
    access_dbs_check,
    access_risk_assessment,
    access_shift,
    access_training,
    access_volunteer,
    is_coordinator,
    require_coordinator,
)


def _require_volunteer(user, *, or_applicant: bool = False) -> None:
    if user.has_role(Role.VOLUNTEER, Role.PEER_MENTOR):
        return
    if or_applicant and Onboarding.objects.filter(user=user).exists():
        return
    raise Http404


# --- Volunteers ----------------------------------------------------------------------------------


def home(request):
    """My volunteering: where I am, what I am cleared for, my shifts and hours."""
    user = request.user
    onboarding = Onboarding.objects.filter(user=user).first()
    if onboarding is None and not user.has_role(Role.VOLUNTEER, Role.PEER_MENTOR):
        if is_coordinator(user):
            return redirect("volunteering:pipeline")
        return redirect("volunteering:apply")
    return render(
        request,
        "volunteering/home.html",
        {
            "onboarding": onboarding,
            "clearances": selectors.my_clearances(user),
            "signups": selectors.my_upcoming_signups(user, limit=5),
            "totals": selectors.hours_totals(user),
        },
    )


@require_http_methods(["GET", "POST"])
def apply(request):
    if Onboarding.objects.filter(user=request.user).exists():
        messages.info(request, _("You have already applied."))
        return redirect("volunteering:home")
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_to_volunteer(
                user=request.user,
                why=form.cleaned_data["why"],
                availability=form.cleaned_data["availability"],
                lived_experience_to_use=form.cleaned_data["lived_experience_to_use"],
                roles=form.cleaned_data["roles"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request, _("Thank you for applying. A coordinator will be in touch soon.")
            )
            return redirect("volunteering:home")
    return render(request, "volunteering/apply.html", {"form": form})


@require_http_methods(["GET", "POST"])
def my_training(request):
    _require_volunteer(request.user, or_applicant=True)
    form = TrainingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_training(
                user=request.user,
                course=form.cleaned_data["course"],
                completed_on=form.cleaned_data["completed_on"],
                certificate=form.cleaned_data["certificate"],
                by=request.user,
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request, _("Saved. A coordinator will check it, then it counts for your roles.")
            )
            return redirect("volunteering:my_training")
    completions = TrainingCompletion.objects.filter(user=request.user).select_related("course")
    return render(
        request,
        "volunteering/my_training.html",
        {"form": form, "completions": completions, "today": timezone.localdate()},
    )


@never_cache
@require_GET
def certificate(request, pk: int):
    """The certificate file, for its owner and coordinators only."""
    completion = access_training(request.user, pk)
    if not completion.certificate:
        raise Http404
    if completion.user_id != request.user.pk:
        audit.record_view(
            actor=request.user,
            target=completion,
            subject=completion.user,
            what="training certificate",
        )
    if signs_its_urls(completion.certificate.storage):
        # Object storage: a signed address that stops working within a minute.
        storage, name = completion.certificate.storage, completion.certificate.name
        return HttpResponseRedirect(
            storage.url(name, parameters={"ResponseContentType": completion.certificate_type})
        )
    response = FileResponse(
        completion.certificate.open("rb"), content_type=completion.certificate_type
    )
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def shifts(request):
    _require_volunteer(request.user)
    return render(
        request,
        "volunteering/shifts.html",
        {
            "open_shifts": selectors.open_shifts_for(request.user),
            "signups": selectors.my_upcoming_signups(request.user),
        },
    )


def shift_detail(request, pk: int):
    shift = access_shift(request.user, pk)
    signup = (
        ShiftSignup.objects.with_waiting_position()
        .filter(shift=shift, volunteer=request.user)
        .first()
    )
    counts = Shift.objects.filter(pk=shift.pk).with_taken_places().values("taken", "waiting")[0]
    return render(
        request,
        "volunteering/shift_detail.html",
        {
            "shift": shift,
            "signup": signup,
            "counts": counts,
            "can_log": signup
            and signup.status == PlaceStatus.BOOKED
            and shift.starts_at < timezone.now(),
            "is_coordinator": is_coordinator(request.user),
            # Their shifts list (a coordinator who does not volunteer has none: the rota).
            "can_volunteer": request.user.has_role(Role.VOLUNTEER, Role.PEER_MENTOR),
            "started": shift.starts_at <= timezone.now(),
        },
    )


@require_GET
def shift_ics(request, pk: int):
    """One shift as an ``.ics`` file, for "Add to my calendar" (the same entry as the feed)."""
    return ics_response([shift_entry(access_shift(request.user, pk))], filename=f"shift-{pk}.ics")


@require_POST
def shift_sign_up(request, pk: int):
    shift = access_shift(request.user, pk)
    try:
        signup = services.sign_up(shift=shift, volunteer=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if signup.status == PlaceStatus.BOOKED:
            messages.success(request, _("You are signed up. Thank you!"))
        else:
            messages.info(
                request,
                _(
                    "The shift is full, so you are on the waiting list. We will e-mail you if a "
                    "place comes up."
                ),
            )
    return redirect("volunteering:shift", pk=shift.pk)


@require_POST
def shift_withdraw(request, pk: int):
    shift = access_shift(request.user, pk)
    try:
        services.withdraw(shift=shift, volunteer=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have withdrawn from this shift."))
    return redirect("volunteering:shift", pk=shift.pk)


@require_http_methods(["GET", "POST"])
def my_hours(request):
    _require_volunteer(request.user)
    to_log = selectors.shifts_to_log(request.user)
    shift_choices = Shift.objects.filter(pk__in=[s.pk for s in to_log])
    initial = {"worked_on": timezone.localdate()}
    proposed = None
    if shift_id := request.GET.get("shift"):
        proposed = next((s for s in to_log if str(s.pk) == shift_id), None)
        if proposed:
            hours, minutes = divmod(proposed.duration_minutes, 60)
            initial = {
                "worked_on": timezone.localdate(proposed.starts_at),
                "hours": hours,
                "minutes": minutes,
                "role": proposed.role_id,
                "shift": proposed.pk,
            }
    form = LogHoursForm(request.POST or None, initial=initial, shifts=shift_choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.log_hours(
                volunteer=request.user,
                worked_on=data["worked_on"],
                minutes=data["total_minutes"],
                role=data["role"],
                shift=data["shift"],
                note=data["note"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Your hours are logged. A coordinator will approve them."))
            return redirect("volunteering:my_hours")
    entries = HoursEntry.objects.filter(volunteer=request.user).select_related("role")[:50]
    return render(
        request,
        "volunteering/my_hours.html",
        {
            "form": form,
            "proposed": proposed,
            "to_log": to_log,
            "entries": entries,
            "totals": selectors.hours_totals(request.user),
        },
    )


def my_record(request):
    """A printable record of training and hours to take to a job interview."""
    _require_volunteer(request.user)
    return render(
        request,
        "volunteering/my_record.html",
        {
            "record": selectors.printable_record(request.user),
            "today": timezone.localdate(),
            "organisation": settings.ORGANISATION_NAME,
            "address": settings.ORGANISATION_ADDRESS,
        },
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
