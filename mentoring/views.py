"""Mentoring pages. Thin: parse, one access helper, one service, render.

A service's PermissionDenied becomes a 404 (as the access helpers give), its ValidationError a
plain message on the form with nothing changed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import audit, inputs
from accounts.forms import show_service_errors
from accounts.models import User
from accounts.roles import Role
from mentoring import calendar, forms, journey, local_services, matching, selectors, services
from mentoring.choices import MatchStatus, ReferralStatus, SharedItem
from mentoring.models import (
    GoalStep,
    MeetingNote,
    MenteeSettings,
    Referral,
)
from mentoring.partners import letters
from mentoring.partners import people as partner_people
from mentoring.partners.selectors import gate_meeting_defaults
from mentoring.permissions import (
    access_goal,
    access_match,
    access_match_as_working_mentor,
    access_meeting,
    access_referral,
    can_see_meeting,
    is_coordinator,
    require_coordinator,
)
from notifications.calendar import ics_response, wants_details


def _posted(request):
    """The form data on POST (even when every box is unticked), else None for an unbound form."""
    return request.POST if request.method == "POST" else None


def _require_mentee(user: User) -> None:
    if not user.has_role(Role.MENTEE):
        raise Http404


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


# --- Referrals ----------------------------------------------------------------------------------


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


# --- Matches ------------------------------------------------------------------------------------


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


def _match_action(request, pk: int, action, success: str):
    match = access_match(request.user, pk)
    try:
        action(match)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("mentoring:match", pk=match.pk)


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


# --- Meetings -----------------------------------------------------------------------------------


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


def _meeting_action(request, pk: int, action, success: str):
    meeting = access_meeting(request.user, pk)
    try:
        action(meeting)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("mentoring:meeting", pk=meeting.pk)


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


# --- Goals, check-ins, sharing ------------------------------------------------------------------


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


# --- Add to my calendar -------------------------------------------------------------------------


@require_GET
def meeting_ics(request, pk: int):
    """One meeting as an ``.ics`` file, for "Add to my calendar" (the same entry as the feed)."""
    meeting = access_meeting(request.user, pk)
    entry = calendar.meeting_entry(
        meeting, viewer=request.user, details=wants_details(request.user)
    )
    return ics_response([entry], filename=f"meeting-{meeting.pk}.ics")
