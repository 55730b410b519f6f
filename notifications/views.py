from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.links import public_url, webcal_url
from notifications import calendar, selectors, services
from notifications import kinds as kinds_registry
from notifications.delivery import record_status
from notifications.forms import PhoneCodeForm, PhoneForm, PreferencesForm
from notifications.inbound import receive_text
from notifications.models import CalendarFeed
from notifications.permissions import access_notification
from notifications.phones import national
from notifications.push import push_enabled
from notifications.render import absolute
from notifications.sms.twilio import request_is_from_twilio

PAGE_SIZE = 20


def inbox(request):
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


def open_notification(request, pk):
    """The link in every e-mail, text and push: marks the notice read, then goes where the
    person acts."""
    notification = access_notification(request.user, pk)
    services.mark_read(notification=notification, by=request.user)
    target = notification.url
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts=None)
    if not safe or not target.startswith("/"):
        target = "/me/"
    return redirect(target)


@require_POST
def mark_read(request, pk):
    notification = access_notification(request.user, pk)
    services.mark_read(notification=notification, by=request.user)
    return redirect("notifications:inbox")


@require_POST
def mark_all_read(request):
    count = services.mark_all_read(by=request.user)
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:inbox")


@require_http_methods(["GET", "POST"])
def preferences(request):
    user = request.user
    prefs = services.preferences_of(user)

    def channels_for(kind):
        return services.channels_for(user, kind, prefs)

    form = PreferencesForm(
        request.POST or None,
        prefs=prefs,
        channels_for=channels_for,
        initial={
            "show_details": prefs.show_details,
            "quiet_start": prefs.quiet_start,
            "quiet_end": prefs.quiet_end,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.update_preferences(
            user=user,
            show_details=form.cleaned_data["show_details"],
            channels=form.chosen_channels(),
            quiet_start=form.cleaned_data["quiet_start"],
            quiet_end=form.cleaned_data["quiet_end"],
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    return _preferences_page(request, form=form)


def _preferences_page(request, *, form=None, phone_form=None, code_form=None, status=200):
    user = request.user
    prefs = services.preferences_of(user)
    if form is None:
        form = PreferencesForm(
            prefs=prefs,
            channels_for=lambda kind: services.channels_for(user, kind, prefs),
            initial={
                "show_details": prefs.show_details,
                "quiet_start": prefs.quiet_start,
                "quiet_end": prefs.quiet_end,
            },
        )
    waiting_for_code = bool(prefs.phone and not prefs.phone_confirmed_at and prefs.phone_code_hash)
    context = {
        "form": form,
        "prefs": prefs,
        "kinds": kinds_registry.all_kinds(),
        "phone_form": phone_form or PhoneForm(initial={"phone": national(prefs.phone)}),
        "code_form": code_form or PhoneCodeForm(),
        "waiting_for_code": waiting_for_code,
        "phone_display": national(prefs.phone),
        "push_public_key": settings.VAPID_PUBLIC_KEY if push_enabled() else "",
    }
    return render(request, "notifications/preferences.html", context, status=status)


@require_POST
def phone(request):
    """Keep the number the person typed and text it a code."""
    form = PhoneForm(request.POST)
    if form.is_valid():
        try:
            services.send_phone_code(user=request.user, phone=form.cleaned_data["phone"])
        except services.PhoneError as error:
            form.add_error("phone", str(error))
        else:
            messages.success(request, _("We have texted you a code. Type it in below."))
            return redirect(reverse("notifications:preferences") + "#phone")
    return _preferences_page(request, phone_form=form, status=400)


@require_POST
def phone_confirm(request):
    form = PhoneCodeForm(request.POST)
    if form.is_valid():
        try:
            services.confirm_phone(user=request.user, code=form.cleaned_data["code"])
        except services.PhoneError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("Thank you. Your number is confirmed."))
            return redirect(reverse("notifications:preferences") + "#phone")
    return _preferences_page(request, code_form=form, status=400)


@require_POST
def texts(request):
    """The "Stop all texts" and "Start texts again" buttons."""
    stop = request.POST.get("texts") == "stop"
    services.set_texts_stopped(user=request.user, stopped=stop)
    if stop:
        messages.success(request, _("We will not text you any more. You can start again here."))
    else:
        messages.success(request, _("We will text you again."))
    return redirect(reverse("notifications:preferences") + "#phone")


@require_POST
def push_subscription(request):
    """The page's "Get notifications on this phone" button posts the browser's subscription
    here as JSON (with the CSRF token in a header); ``"unsubscribe": true`` removes it."""
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "Not JSON"}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"error": "Not a subscription"}, status=400)
    subscription = data.get("subscription") if isinstance(data.get("subscription"), dict) else {}
    endpoint = str(subscription.get("endpoint") or data.get("endpoint") or "")
    if data.get("unsubscribe"):
        services.unsubscribe_push(user=request.user, endpoint=endpoint)
        return JsonResponse({"subscribed": False})
    keys = subscription.get("keys") if isinstance(subscription.get("keys"), dict) else {}
    try:
        services.subscribe_push(
            user=request.user,
            endpoint=endpoint,
            p256dh=str(keys.get("p256dh") or ""),
            auth=str(keys.get("auth") or ""),
        )
    except services.PushSubscriptionError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"subscribed": True}, status=201)


# --- Twilio's webhooks: public, but only Twilio can sign a request ----------------------------


def _from_twilio(request) -> bool:
    return request_is_from_twilio(
        url=absolute(request.get_full_path()),
        params=request.POST,
        signature=request.headers.get("X-Twilio-Signature", ""),
    )


EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


@csrf_exempt
@login_not_required
@require_POST
def sms_status(request):
    """A delivery report for a text we sent (Twilio's ``StatusCallback``)."""
    if not _from_twilio(request):
        return HttpResponseForbidden()
    record_status(
        provider_ref=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus", ""),
        error=request.POST.get("ErrorCode", ""),
    )
    return HttpResponse(status=204)


@csrf_exempt
@login_not_required
@require_POST
def sms_inbound(request):
    """A text someone sent to our number. Any answer goes as a text of its own (so it is logged
    and sent like every other text); Twilio gets empty TwiML."""
    if not _from_twilio(request):
        return HttpResponseForbidden()
    receive_text(
        from_number=request.POST.get("From", ""),
        body=request.POST.get("Body", ""),
        provider_ref=request.POST.get("MessageSid", ""),
    )
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


# --- The one calendar ---------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    """The person's private calendar address: make it, replace it, turn it off."""
    user = request.user
    if request.method == "POST":
        if request.POST.get("action") == "off":
            if services.turn_off_calendar(user=user):
                messages.success(request, _("Your calendar address is turned off."))
        else:
            had_one = services.calendar_feed_of(user) is not None
            services.new_calendar_address(user=user)
            if had_one:
                messages.success(
                    request,
                    _("Your new calendar address is ready. The old one has stopped working."),
                )
            else:
                messages.success(request, _("Your calendar address is ready."))
        return redirect("calendar:settings")
    feed = services.calendar_feed_of(user)
    path = reverse("calendar:feed", args=[feed.token]) if feed else ""
    return render(
        request,
        "notifications/calendar.html",
        {
            "feed": feed,
            "url": public_url(path) if feed else "",
            "webcal": webcal_url(path) if feed else "",
            "details": calendar.wants_details(user),
        },
    )


@login_not_required
@never_cache
@require_GET
def calendar_feed(request, token: str):
    """The person's calendar, for their phone to subscribe to. The secret address is the only
    key: a wrong, replaced or turned-off one gives 404, as does a switched-off account."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(Q(token=token) | Q(earlier_token=token))
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    return calendar.ics_response(calendar.entries_for(feed.user), filename="alongside.ics")
