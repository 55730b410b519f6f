"""Pages for volunteers: my volunteering, applying, training, shifts, hours, my record.
Thin: parse → one access helper → one service or selector → render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import audit
from accounts.forms import show_service_errors
from accounts.roles import Role
from accounts.storage import signs_its_urls
from notifications.calendar import ics_response
from notifications.places import PlaceStatus
from volunteering import selectors, services
from volunteering.calendar import shift_entry
from volunteering.forms import ApplyForm, LogHoursForm, TrainingForm
from volunteering.models import HoursEntry, Onboarding, Shift, ShiftSignup, TrainingCompletion
from volunteering.permissions import access_shift, access_training, is_coordinator


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
