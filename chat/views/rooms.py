"""Rooms: the list, a room and its history, joining and leaving, one's own messages."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import show_service_errors
from accounts.inputs import parse_id
from accounts.models import User
from chat import forms, selectors, services
from chat.models import (
    JoinRequest,
    Membership,
    Message,
    MessageState,
    PersonalMute,
    Sanction,
)
from chat.permissions import (
    access_joinable_room,
    access_message,
    access_moderated_room,
    access_room,
    can_manage_filters,
    can_manage_rooms,
)


def _int(value, default: int = 0) -> int:
    # An id or a cursor: plain digits that fit a database id (accounts.inputs), else ``default``.
    return parse_id(value) or default


@require_GET
def rooms(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "chat/rooms.html",
        {
            "memberships": selectors.memberships_with_unread(request.user),
            "joinable": selectors.open_groups_to_join(request.user),
            "can_create": can_manage_rooms(request.user),
            # Moderators and admins keep the word lists; an admin moderates no room of their own.
            "can_manage_filters": can_manage_filters(request.user),
        },
    )


def _history(membership: Membership, user: User, *, before: int = 0, after: int = 0):
    """One page of history by id, oldest first, and whether there is more before it."""
    page = settings.CHAT_HISTORY_PAGE
    rows = (
        Message.objects.filter(room_id=membership.room_id)
        .shown_to(user, moderator=membership.is_moderator)
        .select_related("author")
    )
    if membership.is_moderator:
        rows = rows.prefetch_related(
            "revisions"
        )  # moderators read an edited message's earlier words
    if after:
        found = list(rows.filter(id__gt=after).order_by("id")[: page + 1])
        return found[:page], False, len(found) > page
    if before:
        rows = rows.filter(id__lt=before)
    found = list(rows.order_by("-id")[: page + 1])
    return list(reversed(found[:page])), len(found) > page, False


def _kept_out(request: HttpRequest, pk: int) -> HttpResponse | None:
    """A removed or banned person gets a plain page saying so, why, until when, and how to ask
    for a review (others get the usual 404)."""
    sanction = (
        Sanction.objects.in_force()
        .filter(room_id=pk, user=request.user, level__in=["removal", "ban"])
        .select_related("room")
        .first()
    )
    if sanction is None:
        return None
    return render(
        request,
        "chat/kept_out.html",
        {"sanction": sanction, "room": sanction.room, "appeal_form": forms.AppealForm()},
        status=403,
    )


def room(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        membership = access_room(request.user, pk)
    except Http404:
        kept_out = _kept_out(request, pk)
        if kept_out is None:
            raise
        return kept_out
    # A fresh client id with every page: sending the same form twice (a double tap, the back
    # button) stores the message once.
    form = forms.PostForm(request.POST or None, initial={"client_id": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            result = services.post_message(
                room=membership.room,
                author=request.user,
                body=form.cleaned_data["body"],
                client_id=form.cleaned_data["client_id"],
            )
        except services.ChatError as refusal:
            form.add_error("body", refusal.message)
        else:
            _tell_author(request, result)
            if {"crisis", "support"} & set(result.notices):
                # Every support line, on the page itself (no JavaScript needed).
                return redirect(f"{reverse('chat:room', args=[pk])}?support=1#chat-support")
            return redirect(f"{reverse('chat:room', args=[pk])}#m{result.message.pk}")
    before = _int(request.GET.get("before"))
    # Read before the history: live chat asks for every change after it, so none made while
    # the page is being built can slip between the two.
    last_change = services.latest_change_id(membership.room_id)
    history, more_before, _more_after = _history(membership, request.user, before=before)
    if history and not before:
        services.mark_read(membership=membership, up_to=history[-1].pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "chat/room.html",
        {
            "membership": membership,
            "room": membership.room,
            "history": history,
            "more_before": more_before,
            "older_than": history[0].pk if history else 0,
            "last_change": last_change,
            "newer": bool(before),
            "form": form,
            "break_form": forms.BreakForm(),
            "resting": services.on_break(request.user, membership.room_id),
            "edit_seconds": settings.CHAT_EDIT_SECONDS,
            "support_lines": settings.CRISIS_SUPPORT_LINES,
            "show_support": request.GET.get("support") == "1",
            "my_sanctions": Sanction.objects.filter(room_id=pk, user=request.user)[:20],
            "muted_ids": set(
                PersonalMute.objects.filter(user=request.user).values_list("muted_id", flat=True)
            ),
            "appeal_form": forms.AppealForm(),
            "raised_hands": _raised_hands(membership),
        },
        status=status,
    )


def _raised_hands(membership: Membership) -> list[Membership]:
    """For the chair of a meeting: who has a hand up, first raised first (one query)."""
    room_obj = membership.room
    if not room_obj.meeting_mode or room_obj.chair_id != membership.user_id:
        return []
    return list(
        Membership.objects.filter(room=room_obj)
        .exclude(hand_raised_at=None)
        .select_related("user")
        .order_by("hand_raised_at", "id")
    )


def _tell_author(request: HttpRequest, result: services.PostResult) -> None:
    if "held" in result.notices:
        flash.info(
            request, _("Thanks. A moderator will look at your message before others see it.")
        )
    if {"crisis", "support"} & set(result.notices):
        flash.warning(
            request,
            _(
                "It sounds like things are hard. You are not on your own: "
                "people you can talk to now are listed on this page."
            ),
        )


@require_GET
def history_json(request: HttpRequest, pk: int) -> JsonResponse:
    membership = access_room(request.user, pk)
    history, more_before, more_after = _history(
        membership,
        request.user,
        before=_int(request.GET.get("before")),
        after=_int(request.GET.get("after")),
    )
    # Only visible messages travel as JSON (held/hidden ones stay on the server-rendered page).
    rows = [services.message_payload(m) for m in history if m.state == MessageState.VISIBLE]
    return JsonResponse({"messages": rows, "more_before": more_before, "more_after": more_after})


def join(request: HttpRequest, pk: int) -> HttpResponse:
    """The house rules, and join (people with a member role) or ask to join (anyone else)."""
    room_obj = access_joinable_room(request.user, pk)
    may_join = services.may_join_open_groups(request.user)
    form = forms.JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = services.join_room if may_join else services.ask_to_join
        try:
            action(room=room_obj, user=request.user, agreed=form.cleaned_data["agreed"])
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            if may_join:
                return redirect("chat:room", pk=pk)
            flash.info(request, _("Thanks. A moderator will look at your request and let you in."))
            return redirect("chat:rooms")
    asked = JoinRequest.objects.filter(room=room_obj, user=request.user, decided_at=None).exists()
    return render(
        request,
        "chat/join.html",
        {
            "room": room_obj,
            "rules": services.house_rules(room_obj),
            "form": form,
            "may_join": may_join,
            "asked": asked,
        },
    )


@require_POST
def decide_join(request: HttpRequest, pk: int) -> HttpResponse:
    join_request = get_object_or_404(JoinRequest, pk=pk, decided_at=None)
    access_moderated_room(request.user, join_request.room_id)
    services.decide_join_request(
        request=join_request, by=request.user, approve=request.POST.get("approve") == "1"
    )
    flash.info(request, _("Done."))
    return redirect("chat:moderate", pk=join_request.room_id)


@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access_room(request.user, pk)
    services.leave_room(membership=membership)
    flash.info(request, _("You have left %(room)s.") % {"room": membership.room.name})
    return redirect("chat:rooms")


def edit_message(request: HttpRequest, pk: int) -> HttpResponse:
    message, _membership = access_message(request.user, pk)
    if message.author_id != request.user.pk:
        raise Http404
    form = forms.EditForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_message(message=message, by=request.user, body=form.cleaned_data["body"])
        except services.ChatError as refusal:
            form.add_error("body", refusal.message)
        except PermissionDenied:
            raise Http404 from None
        else:
            return redirect(f"{reverse('chat:room', args=[message.room_id])}#m{message.pk}")
    return render(request, "chat/edit.html", {"message": message, "form": form})


@require_POST
def delete_message(request: HttpRequest, pk: int) -> HttpResponse:
    message, _membership = access_message(request.user, pk)
    try:
        services.delete_own_message(message=message, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    flash.info(request, _("Your message was deleted."))
    return redirect("chat:room", pk=message.room_id)


def report_message(request: HttpRequest, pk: int) -> HttpResponse:
    message, _membership = access_message(request.user, pk)
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_message(
                message=message,
                by=request.user,
                category=form.cleaned_data["category"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            flash.info(request, _("Thank you. The room's moderators will look at it."))
            return redirect("chat:room", pk=message.room_id)
    return render(request, "chat/report.html", {"message": message, "form": form})


def new_room(request: HttpRequest) -> HttpResponse:
    if not can_manage_rooms(request.user):
        raise Http404
    form = forms.RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            room_obj = services.start_group(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            return redirect("chat:moderate", pk=room_obj.pk)
    return render(request, "chat/new_room.html", {"form": form})
