"""Meeting pages: planning, moving, cancelling, what happened, notes, worries, calendar."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.forms import show_service_errors
from mentoring import calendar, forms, services
from mentoring.models import MeetingNote
from mentoring.partners.selectors import gate_meeting_defaults
from mentoring.permissions import access_match, access_meeting, is_coordinator
from mentoring.views.base import _act_on, _posted
from notifications.calendar import ics_response, wants_details


@require_http_methods(["GET", "POST"])
def meeting_new(request, pk: int):
    match = access_match(request.user, pk)
    if not (is_coordinator(request.user) or match.mentor_id == request.user.pk):
        raise Http404
    initial = {"minutes": 60, **gate_meeting_defaults(match)}  # release day: at the gate
    form = forms.MeetingForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(
                match=match, by=request.user, **_when_and_where(form)
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Meeting planned. You will both get reminders."))
            return redirect("mentoring:meeting", pk=meeting.pk)
    return render(request, "mentoring/meeting_new.html", {"form": form, "match": match})


def _when_and_where(form) -> dict:
    """A valid meeting form's time and place, as planning and moving a meeting both take them."""
    data = form.cleaned_data
    return {
        "starts_at": form.starts_at(),
        "minutes": data["minutes"],
        "place_kind": data["place_kind"],
        "place": data["place"],
    }


def meeting_detail(request, pk: int):
    meeting = access_meeting(request.user, pk)
    user = request.user
    match = meeting.match
    is_mentor = match.mentor_id == user.pk
    note = MeetingNote.objects.filter(meeting=meeting).first()
    note_form = None
    if is_mentor:
        note_form = forms.MeetingNoteForm(
            initial={
                "notes": note.notes if note else "",
                "agreed_actions": note.agreed_actions if note else "",
            }
        )
    return render(
        request,
        "mentoring/meeting_detail.html",
        {
            "meeting": meeting,
            "match": match,
            "note": note,
            "note_form": note_form,
            # Notes are for the mentor and coordinators; the mentee sees the agreed actions only.
            "show_notes": is_mentor or is_coordinator(user),
            "can_manage": is_mentor or is_coordinator(user),
            "can_move": services.can_move_meeting(meeting, user),
            "can_cancel": services.can_cancel_meeting(meeting, user),
            "is_mentor": is_mentor,
            "status_form": forms.MeetingStatusForm(initial={"status": meeting.status}),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_move(request, pk: int):
    meeting = access_meeting(request.user, pk)
    if not services.can_move_meeting(meeting, request.user):
        raise Http404
    local = timezone.localtime(meeting.starts_at)
    form = forms.MeetingForm(
        _posted(request),
        initial={
            # As text: a date input shows a value only in ISO form (yyyy-mm-dd).
            "day": local.date().isoformat(),
            "time": local.strftime("%H:%M"),
            "minutes": meeting.minutes,
            "place_kind": meeting.place_kind,
            "place": meeting.place,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.move_meeting(meeting=meeting, by=request.user, **_when_and_where(form))
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Meeting moved. We have told the other person."))
            return redirect("mentoring:meeting", pk=meeting.pk)
    return render(request, "mentoring/meeting_move.html", {"form": form, "meeting": meeting})


@require_POST
def meeting_cancel(request, pk: int):
    return _meeting_action(
        request,
        pk,
        lambda meeting: services.cancel_meeting(meeting=meeting, by=request.user),
        _("Meeting cancelled. We have told the other person."),
    )


_meeting_action = partial(_act_on, access=access_meeting, back="mentoring:meeting")


@require_POST
def meeting_status(request, pk: int):
    form = forms.MeetingStatusForm(request.POST)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    return _meeting_action(
        request,
        pk,
        lambda meeting: services.set_meeting_status(
            meeting=meeting, by=request.user, status=status
        ),
        _("Saved."),
    )


@require_POST
def meeting_notes(request, pk: int):
    form = forms.MeetingNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Notes are too long. Please keep them brief."))
        return redirect("mentoring:meeting", pk=access_meeting(request.user, pk).pk)
    return _meeting_action(
        request,
        pk,
        lambda meeting: services.write_meeting_note(
            meeting=meeting, by=request.user, **form.cleaned_data
        ),
        _("Notes saved."),
    )


@require_http_methods(["GET", "POST"])
def meeting_concern(request, pk: int):
    meeting = access_meeting(request.user, pk)
    if not (meeting.match.mentor_id == request.user.pk or is_coordinator(request.user)):
        raise Http404
    form = forms.ConcernForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.raise_meeting_concern(
                meeting=meeting, by=request.user, summary=form.cleaned_data["summary"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request, _("Thank you. The safeguarding lead has been told and will follow up.")
            )
            return redirect("mentoring:meeting", pk=meeting.pk)
    return render(request, "mentoring/meeting_concern.html", {"meeting": meeting, "form": form})


# --- Add to my calendar -------------------------------------------------------------------------


@require_GET
def meeting_ics(request, pk: int):
    """One meeting as an ``.ics`` file, for "Add to my calendar" (the same entry as the feed)."""
    meeting = access_meeting(request.user, pk)
    entry = calendar.meeting_entry(
        meeting, viewer=request.user, details=wants_details(request.user)
    )
    return ics_response([entry], filename=f"meeting-{meeting.pk}.ics")
