from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from notifications import kinds as kinds_registry
from notifications import selectors, services
from notifications.forms import PreferencesForm
from notifications.permissions import access_notification

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
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "prefs": prefs, "kinds": kinds_registry.all_kinds()},
    )
