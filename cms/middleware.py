"""A page cache for anonymous visitors, invalidated on every publish and unpublish.

Only responses that Wagtail served for a public page are stored (``before_serve_page`` marks
them), never one that sets a cookie. Pages are kept in the process's own memory (the "pages"
cache) under a key carrying ``PageCacheGeneration``, which every publish and unpublish changes:
"a withdrawn story vanishes at once" on every server process. Reading the generation costs a
shared-cache lookup (Redis) or, without a shared cache, one small query.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches

from cms.models import GENERATION_ATTR, PageCacheGeneration

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
        generation = PageCacheGeneration.current()
        setattr(request, GENERATION_ATTR, generation)
        key = f"page:{generation}:{request.get_host()}:{request.get_full_path()}"
        pages = caches["pages"]
        response = pages.get(key)
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
            pages.set(key, response, settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
