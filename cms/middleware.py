"""A page cache for anonymous visitors, invalidated on every publish and unpublish.

Only responses that Wagtail served for a public page are stored (``before_serve_page`` marks
them), never one that sets a cookie. The key carries ``PageCacheGeneration``, a database row that
every publish and unpublish bumps: one tiny query per visit buys "a withdrawn story vanishes at
once" on every server process, whichever cache backend they share or not.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from cms.models import PageCacheGeneration

# Paths that are never Wagtail pages: skip even the generation lookup.
_NOT_PAGES = (
    "/admin/",
    "/django-admin/",
    "/documents/",
    "/accounts/",
    "/me/",
    "/safeguarding/",
    "/volunteering/",
    "/mentoring/",
    "/chat/",
    "/site/",
    "/static/",
    "/media/",
    "/manifest.webmanifest",
    "/sw.js",
    "/offline/",
    "/sitemap.xml",
)
MARK = "_cms_page_cacheable"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or request.path.startswith(_NOT_PAGES)
            # A session or a pending message may personalise the page: serve it fresh.
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "messages" in request.COOKIES
            or request.user.is_authenticated
        ):
            return self.get_response(request)
        key = f"page:{PageCacheGeneration.current()}:{request.get_host()}:{request.get_full_path()}"
        response = cache.get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            getattr(request, MARK, False)
            and response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
