"""Crisis pages. Thin: one access helper, one service, render. No JavaScript needed."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import show_service_errors
from chat import crisis, crisis_forms
from chat.models import (
    CheckInReply,
    CheckInWording,
    MemberRole,
    Membership,
    OnCallShift,
    WeeklyOnCall,
)
from chat.services import crisis as services


@require_GET
def items(request: HttpRequest) -> HttpResponse:
    """Every open crisis item the person can act on, oldest first."""
    found = crisis.open_items_for(request.user)
    if not found and not request.user.has_role(*services.CRISIS_ROLES):
        raise Http404
    return render(
        request,
        "chat/crisis_items.html",
        # Only people who keep the rota are shown its pages (a safeguarding lead is not).
        {"items": found, "can_manage_rota": services.can_manage_rota(request.user)},
    )


@require_GET
def item(request: HttpRequest, pk: int) -> HttpResponse:
    found = crisis.access_crisis_item(request.user, pk)
    return render(
        request,
        "chat/crisis_item.html",
        {
            "item": found,
            "messages_in_crisis": crisis.later_crisis_messages(found),
            "check_ins": found.check_ins.select_related("sent_by"),
            "log": crisis.item_log(found),
            "handled_form": crisis_forms.HandledForm(),
            "support_lines": settings.CRISIS_SUPPORT_LINES,
            "escalate_minutes": settings.CHAT_CRISIS_ESCALATE_MINUTES,
            # The room's moderation page is for its own moderators only.
            "moderates_room": Membership.objects.filter(
                room_id=found.room_id, user=request.user, role=MemberRole.MODERATOR
            ).exists(),
        },
    )


def _act(request: HttpRequest, pk: int, action) -> HttpResponse:
    found = crisis.access_crisis_item(request.user, pk)
    try:
        action(found)
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404 from None
    return redirect("chat:crisis_item", pk=pk)


@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    def do(found):
        services.claim_crisis(item=found, by=request.user)
        flash.info(request, _("Thank you. It is yours now, and it will not be escalated."))

    return _act(request, pk, do)


@require_POST
def handled(request: HttpRequest, pk: int) -> HttpResponse:
    form = crisis_forms.HandledForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""

    def do(found):
        services.handle_crisis(item=found, by=request.user, note=note)
        flash.info(request, _("Marked as handled."))

    return _act(request, pk, do)


def concern(request: HttpRequest, pk: int) -> HttpResponse:
    found = crisis.access_crisis_item(request.user, pk)
    initial = _(
        "%(name)s used words in chat that can mean they are in danger. Please reach out to them."
    ) % {"name": found.person.display_name}
    form = crisis_forms.CrisisConcernForm(request.POST or None, initial={"summary": initial})
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_from_crisis(
                item=found, by=request.user, summary=form.cleaned_data["summary"]
            )
        except ValidationError as error:
            show_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            flash.info(request, _("The safeguarding leads have been told."))
            return redirect("chat:crisis_item", pk=pk)
    return render(request, "chat/crisis_concern.html", {"item": found, "form": form})


def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator picks pre-written words, changes them if they like, and sends them."""
    found = crisis.access_crisis_item(request.user, pk)
    wordings = list(CheckInWording.objects.all())
    chosen = next((w for w in wordings if str(w.pk) == request.GET.get("wording")), None)
    if chosen is None and wordings:
        chosen = wordings[0]
    form = crisis_forms.CheckInForm(
        request.POST or None, initial={"body": chosen.body if chosen else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.send_check_in(item=found, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            show_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            flash.info(request, _("Sent. You will be told when they answer."))
            return redirect("chat:crisis_item", pk=pk)
    return render(
        request,
        "chat/crisis_check_in.html",
        {"item": found, "form": form, "wordings": wordings, "chosen": chosen},
    )


def my_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's private page: the moderator's words, the support lines, and a reply."""
    found = crisis.access_check_in(request.user, pk)
    # Bound on every POST, an empty one too: the refusal below adds an error to the form.
    form = crisis_forms.ReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            reply = form.cleaned_data["reply"]
            try:
                services.reply_to_check_in(
                    check_in=found, by=request.user, reply=reply, words=form.cleaned_data["words"]
                )
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                flash.info(request, _("Thank you. The moderator has been told."))
                return redirect("chat:check_in", pk=pk)
        else:
            form.add_error(None, _("Please choose an answer, or write one."))
    return render(
        request,
        "chat/crisis_my_check_in.html",
        {
            "check_in": found,
            "form": form,
            "replies": [
                (value, label) for value, label in CheckInReply.choices if value != "words"
            ],
            "support_lines": settings.CRISIS_SUPPORT_LINES,
        },
        status=400 if request.method == "POST" else 200,
    )


def wordings(request: HttpRequest) -> HttpResponse:
    """The pre-written check-ins: moderators and coordinators change them and add their own."""
    crisis.require_rota_manager(request.user)
    pk = request.POST.get("pk") or None
    form = crisis_forms.WordingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_wording(by=request.user, pk=pk and int(pk), **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        except (PermissionDenied, ValueError):
            raise Http404 from None
        else:
            flash.info(request, _("Saved."))
            return redirect("chat:check_in_wordings")
    return render(
        request,
        "chat/crisis_wordings.html",
        {"form": form, "wordings": CheckInWording.objects.all()},
    )


@require_POST
def delete_wording(request: HttpRequest, pk: int) -> HttpResponse:
    crisis.require_rota_manager(request.user)
    services.delete_wording(by=request.user, pk=pk)
    flash.info(request, _("Removed."))
    return redirect("chat:check_in_wordings")


def on_call(request: HttpRequest) -> HttpResponse:
    """Who is on call: see the rota, put someone on it for once or every week."""
    crisis.require_rota_manager(request.user)
    weekly = request.POST.get("kind") == "weekly"
    form = crisis_forms.ShiftForm(request.POST if request.POST and not weekly else None)
    weekly_form = crisis_forms.WeeklySlotForm(request.POST if weekly else None)
    chosen, add = (weekly_form, services.add_weekly_slot) if weekly else (form, services.add_shift)
    if request.method == "POST" and chosen.is_valid():
        try:
            add(by=request.user, **chosen.cleaned_data)
        except ValidationError as error:
            show_service_errors(chosen, error)
        else:
            flash.info(request, _("Added to the rota."))
            return redirect("chat:on_call")
    shifts, weekly_slots, now_on_call = crisis.rota()
    return render(
        request,
        "chat/crisis_on_call.html",
        {
            "form": form,
            "weekly_form": weekly_form,
            "shifts": shifts,
            "weekly_slots": weekly_slots,
            "now_on_call": now_on_call,
            "leads": services.safeguarding_leads(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def remove_shift(request: HttpRequest, pk: int) -> HttpResponse:
    crisis.require_rota_manager(request.user)
    get_object_or_404(OnCallShift, pk=pk)
    services.remove_shift(by=request.user, pk=pk)
    flash.info(request, _("Taken off the rota."))
    return redirect("chat:on_call")


@require_POST
def remove_weekly_slot(request: HttpRequest, pk: int) -> HttpResponse:
    crisis.require_rota_manager(request.user)
    get_object_or_404(WeeklyOnCall, pk=pk)
    services.remove_weekly_slot(by=request.user, pk=pk)
    flash.info(request, _("Taken off the rota."))
    return redirect("chat:on_call")
