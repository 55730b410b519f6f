"""Chat pages. Thin: parse, one access helper, one service, render.

The room page works without JavaScript (history paged by id and a post form); chat/static/chat/
room.js upgrades it to live chat over the websocket.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import show_service_errors
from accounts.inputs import parse_id
from accounts.models import User
from chat import crisis, forms, selectors, services
from chat.models import (
    Appeal,
    BlockedAttempt,
    JoinRequest,
    Membership,
    Message,
    MessageState,
    ModerationAction,
    PersonalMute,
    Report,
    Sanction,
    WordFilter,
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


# --- Moderation ---------------------------------------------------------------------------------


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


# --- Meeting mode and breaks --------------------------------------------------------------------


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


# --- Rooms and word lists -----------------------------------------------------------------------


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
