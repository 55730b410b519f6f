"""Meeting mode (hands and the floor), breaks, and muting someone for yourself."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from chat import forms, services
from chat.permissions import (
    access_room,
)
from chat.views.rooms import _int


@require_POST
def mute_for_me(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    membership = access_room(request.user, pk)
    person = get_object_or_404(User, pk=user_id, chat_memberships__room_id=pk)
    on = request.POST.get("on") == "1"
    try:
        services.mute_for_me(room=membership.room, user=request.user, muted=person, on=on)
    except (ValidationError, PermissionDenied):
        raise Http404 from None
    if on:
        flash.info(
            request,
            _("Messages from %(name)s are folded away for you. Only you know.")
            % {"name": person.display_name},
        )
    return redirect("chat:room", pk=pk)


@require_POST
def hand(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access_room(request.user, pk)
    try:
        services.raise_hand(membership=membership, raised=request.POST.get("raised") == "1")
    except services.ChatError as refusal:
        flash.error(request, refusal.message)
    return redirect("chat:room", pk=pk)


@require_POST
def floor(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access_room(request.user, pk)
    if membership.room.chair_id != request.user.pk:
        raise Http404
    to_id = _int(request.POST.get("user"))
    person = get_object_or_404(User, pk=to_id, chat_memberships__room_id=pk) if to_id else None
    services.give_floor(room=membership.room, by=request.user, to=person)
    return redirect("chat:room", pk=pk)


@require_POST
def lower_hand(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access_room(request.user, pk)
    if membership.room.chair_id != request.user.pk:
        raise Http404
    person = get_object_or_404(
        User, pk=_int(request.POST.get("user")), chat_memberships__room_id=pk
    )
    try:
        services.lower_hand(room=membership.room, by=request.user, user=person)
    except PermissionDenied:
        raise Http404 from None
    return redirect("chat:room", pk=pk)


@require_POST
def take_break(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access_room(request.user, pk)
    form = forms.BreakForm(request.POST)
    if form.is_valid():
        services.take_break(
            user=request.user,
            room=None if form.cleaned_data["everywhere"] else membership.room,
            minutes=form.cleaned_data["minutes"],
            pause_notices=form.cleaned_data["pause_notices"],
        )
        flash.info(request, _("Break started. Take care of yourself."))
    return redirect("chat:room", pk=pk)


@require_POST
def end_break(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access_room(request.user, pk)
    services.end_break(user=request.user, room=membership.room)
    services.end_break(user=request.user, room=None)
    return redirect("chat:room", pk=pk)
