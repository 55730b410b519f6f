"""Moderating a room: the queue, messages, sanctions and appeals, settings, members, word lists."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import show_service_errors
from accounts.inputs import parse_id
from accounts.models import User
from chat import crisis, forms, services
from chat.models import (
    Appeal,
    BlockedAttempt,
    JoinRequest,
    Membership,
    Message,
    MessageState,
    ModerationAction,
    Report,
    Sanction,
    WordFilter,
)
from chat.permissions import (
    access_message,
    access_moderated_room,
    can_manage_filters,
)


@require_GET
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access_moderated_room(request.user, pk)
    room_obj = membership.room
    queue = (
        Message.objects.filter(room=room_obj)
        .exclude(state=MessageState.DELETED)
        .filter(
            Q(state=MessageState.HELD)
            | Q(
                pk__in=Report.objects.filter(message__room=room_obj, resolved_at=None).values(
                    "message_id"
                )
            )
        )
        .select_related("author")
        .prefetch_related("reports__reporter", "revisions")
        .order_by("id")[:100]
    )
    members = (
        Membership.objects.filter(room=room_obj)
        .select_related("user")
        .order_by("user__display_name")
    )
    sanctions: dict[int, list[Sanction]] = {}
    for sanction in Sanction.objects.filter(room=room_obj).select_related("by")[:500]:
        sanctions.setdefault(sanction.user_id, []).append(sanction)
    ladder = {}
    for m in members:
        latest = sanctions.get(m.user_id, [None])[0]
        ladder[m.user_id] = services.next_sanction_after(latest.level if latest else None)
    # How often each reporter has reported in this room (someone who reports everyone stands out).
    reports_by = dict(
        Report.objects.filter(message__room=room_obj)
        .values("reporter_id")
        .annotate(n=Count("id"))
        .values_list("reporter_id", "n")
    )
    queue = list(queue)
    for message in queue:
        message.open_reports = [r for r in message.reports.all() if not r.resolved_at]
        for report in message.open_reports:
            report.reporter_total = reports_by.get(report.reporter_id, 1)
    log = ModerationAction.objects.filter(room=room_obj).select_related("actor", "subject")[:50]
    in_force = Sanction.objects.in_force().filter(room=room_obj).select_related("user")
    appeals = Appeal.objects.filter(sanction__room=room_obj).select_related(
        "sanction", "sanction__user"
    )[:20]
    blocked = BlockedAttempt.objects.filter(room=room_obj).select_related("author")[:50]
    join_requests = JoinRequest.objects.filter(room=room_obj, decided_at=None).select_related(
        "user"
    )
    return render(
        request,
        "chat/moderate.html",
        {
            "room": room_obj,
            "crisis_items": crisis.open_items_for(request.user, room=room_obj),
            # A room's own moderator may hold no moderator role: show only doors that open.
            "can_manage_filters": can_manage_filters(request.user),
            "can_manage_rota": crisis.can_manage_rota(request.user),
            "queue": queue,
            "members": [(m, sanctions.get(m.user_id, []), ladder[m.user_id]) for m in members],
            "log": log,
            "blocked": blocked,
            "join_requests": join_requests,
            "in_force": in_force,
            "appeals": appeals,
            "keep_days": getattr(settings, "CHAT_BLOCKED_KEEP_DAYS", 90),
            "raised_hands": [m for m in members if m.hand_raised_at],
            "settings_form": forms.RoomSettingsForm(
                initial={
                    "locked": room_obj.locked,
                    "slow_mode_seconds": room_obj.slow_mode_seconds,
                    "meeting_mode": room_obj.meeting_mode,
                }
            ),
            "action_form": forms.MessageActionForm(),
            "sanction_form": forms.SanctionForm(),
            "add_form": forms.AddMemberForm(),
        },
    )


@require_POST
def moderate_message(request: HttpRequest, pk: int) -> HttpResponse:
    message, membership = access_message(request.user, pk)
    if not membership.is_moderator:
        raise Http404
    form = forms.MessageActionForm(request.POST)
    back = request.POST.get("next") == "room"
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            if action == "dismiss":
                services.dismiss_reports(
                    message=message, by=request.user, reason=form.cleaned_data["reason"]
                )
            else:
                services.moderate_message(
                    message=message,
                    by=request.user,
                    action=action,
                    reason=form.cleaned_data["reason"],
                )
        except ValidationError as error:
            flash.error(request, " ".join(error.messages))
        else:
            flash.info(request, _("Done."))
    else:
        flash.error(request, _("Please choose what to do and say why."))
    return redirect("chat:room" if back else "chat:moderate", pk=message.room_id)


@require_POST
def moderate_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or hide the messages ticked in the moderation queue, all at once."""
    membership = access_moderated_room(request.user, pk)
    ids = [parse_id(value) for value in request.POST.getlist("message")]
    try:
        changed = services.moderate_messages(
            room=membership.room,
            by=request.user,
            message_ids=[i for i in ids if i],
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
    else:
        flash.info(
            request,
            ngettext("Done: %(n)d message.", "Done: %(n)d messages.", len(changed))
            % {"n": len(changed)},
        )
    return redirect("chat:moderate", pk=pk)


def raise_concern(request: HttpRequest, pk: int) -> HttpResponse:
    message, membership = access_message(request.user, pk)
    if not membership.is_moderator:
        raise Http404
    form = forms.ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_from_message(
                message=message, by=request.user, summary=form.cleaned_data["summary"]
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            flash.info(request, _("The safeguarding leads have been told."))
            return redirect("chat:moderate", pk=message.room_id)
    return render(request, "chat/concern.html", {"message": message, "form": form})


@require_POST
def sanction(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    membership = access_moderated_room(request.user, pk)
    person = get_object_or_404(User, pk=user_id, chat_memberships__room_id=pk)
    form = forms.SanctionForm(request.POST)
    if form.is_valid():
        try:
            services.sanction_member(
                room=membership.room,
                user=person,
                by=request.user,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
                minutes=form.cleaned_data["minutes"] or 0,
            )
        except ValidationError as error:
            flash.error(request, " ".join(error.messages))
        else:
            flash.info(request, _("Done."))
    else:
        flash.error(request, _("Please choose a step and say why."))
    # A warning given from a message in the room goes back to the room.
    return redirect("chat:room" if request.POST.get("next") == "room" else "chat:moderate", pk=pk)


@require_POST
def lift_sanction(request: HttpRequest, pk: int, sanction_id: int) -> HttpResponse:
    membership = access_moderated_room(request.user, pk)
    sanction = get_object_or_404(Sanction, pk=sanction_id, room=membership.room)
    try:
        services.lift_sanction(
            sanction=sanction, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
    else:
        flash.info(request, _("Done."))
    return redirect("chat:moderate", pk=pk)


@require_POST
def appeal(request: HttpRequest, sanction_id: int) -> HttpResponse:
    """The person a sanction is about asks for a review (404 for anyone else)."""
    sanction = get_object_or_404(Sanction, pk=sanction_id, user=request.user)
    form = forms.AppealForm(request.POST)
    if form.is_valid():
        services.appeal_sanction(sanction=sanction, by=request.user, text=form.cleaned_data["text"])
        flash.info(request, _("Thank you. The room's moderators will look at it again."))
    else:
        flash.error(request, _("Please say in a few words why to look again."))
    return redirect("chat:room", pk=sanction.room_id)


@require_POST
def room_settings(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access_moderated_room(request.user, pk)
    form = forms.RoomSettingsForm(request.POST)
    if form.is_valid():
        services.update_room_settings(room=membership.room, by=request.user, **form.cleaned_data)
        flash.info(request, _("Room settings saved."))
    else:
        flash.error(request, _("Please check the settings and say why you changed them."))
    return redirect("chat:moderate", pk=pk)


@require_POST
def add_member(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access_moderated_room(request.user, pk)
    form = forms.AddMemberForm(request.POST)
    person = (
        User.objects.filter(email__iexact=form.data.get("email", ""), is_active=True).first()
        if form.is_valid()
        else None
    )
    if person is None:
        flash.error(request, _("We could not find an account with that e-mail address."))
    else:
        try:
            services.add_member(
                room=membership.room, user=person, by=request.user, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            flash.error(request, " ".join(error.messages))
        else:
            flash.info(request, _("Added."))
    return redirect("chat:moderate", pk=pk)


def word_filters(request: HttpRequest) -> HttpResponse:
    if not can_manage_filters(request.user):
        raise Http404
    form = forms.WordFilterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_word_filter(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            flash.info(request, _("Saved."))
            return redirect("chat:filters")
    return render(request, "chat/filters.html", {"form": form, "words": WordFilter.objects.all()})


@require_POST
def delete_filter(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_manage_filters(request.user):
        raise Http404
    services.delete_word_filter(by=request.user, pk=pk)
    return redirect("chat:filters")
