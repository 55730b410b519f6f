import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from accounts.services import staff_without_two_factor

# Paths a staff member without an authenticator app may still reach: setting one up, logging out.
_TWO_FACTOR_SETUP_PREFIXES = (
    "/accounts/",
    "/static/",
    "/offline/",
    "/manifest.webmanifest",
    "/sw.js",
)


class StaffTwoFactorMiddleware:
    """Staff roles open other people's records, so they must use two-factor log-in.

    A staff member who has not set up an authenticator app is sent to set one up before anything
    else. Staff sessions also end after STAFF_SESSION_IDLE_SECONDS without activity.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_staff_role:
            now = int(time.time())
            last = request.session.get("last_seen", now)
            if now - last > settings.STAFF_SESSION_IDLE_SECONDS:
                logout(request)
                return redirect(f"{reverse('account_login')}?next={request.path}")
            if now - last >= 60 or "last_seen" not in request.session:
                request.session["last_seen"] = now  # a session write at most once a minute
            if not request.path.startswith(_TWO_FACTOR_SETUP_PREFIXES) and staff_without_two_factor(
                user
            ):
                return redirect("mfa_activate_totp")
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in person may show private things: never keep them in a cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
        return response
