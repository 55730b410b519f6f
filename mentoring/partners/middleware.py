"""Partner workers reach only their own few pages; every page they open is audited.

Deny by default, like the rest of the site: a new page anywhere is closed to partner workers the
day it is added, unless it is named here.
"""

from __future__ import annotations

from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from accounts import audit
from accounts.roles import Role

# URL names a partner worker may open (besides log-in machinery under /accounts/).
PARTNER_ALLOWED = frozenset(
    {
        "accounts:today",
        "accounts:profile",
        "accounts:my_data",
        "accounts:my_data_download",
        "notifications:inbox",
        "notifications:open",
        "notifications:mark_read",
        "notifications:mark_all_read",
        "notifications:preferences",
        "mentoring:partners:refer",
        "mentoring:partners:referrals",
        "mentoring:partners:status",
    }
)
# Log-in, log-out, two-step log-in set-up, password change (allauth), and the app shell.
ALWAYS_OPEN_PREFIXES = ("/accounts/", "/static/", "/offline/", "/manifest.webmanifest", "/sw.js")


class PartnerAccessMiddleware:
    """After StaffTwoFactorMiddleware: a partner worker without two-step log-in is sent to set
    it up first; one whose access ended is logged out (their account is switched off too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not (user.is_authenticated and user.has_role(Role.PARTNER)):
            return self.get_response(request)
        if request.path.startswith(ALWAYS_OPEN_PREFIXES):
            return self.get_response(request)
        from mentoring.partners.selectors import current_worker

        if current_worker(user) is None:
            logout(request)
            return redirect(f"{reverse('account_login')}?next={request.path}")
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            name = ""
        if name not in PARTNER_ALLOWED:
            raise Http404
        response = self.get_response(request)
        audit.record(
            actor=user, action="partner.viewed", summary=f"{request.method} {request.path}"
        )
        return response
