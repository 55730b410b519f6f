"""ASGI entry point: web pages through Django's WSGI handler on a fixed pool of threads,
websockets through Channels.

Why pages go through WSGI here: Django's ASGI handler runs every request's synchronous code in a
thread of its own, so a persistent database connection is never reused (each request pays for a
new PostgreSQL connection, and idle ones pile up until PostgreSQL refuses more clients). Every
view of ours is synchronous, so a2wsgi runs them on HTTP_THREADS reusable threads per process,
each keeping its connection (CONN_MAX_AGE, with health checks). bench/pages.py measures it.

Websockets pass the Origin check and get the session user before any consumer runs; consumers
refuse the anonymous themselves. The Origin must be one of the site's own origins, scheme, host
and port together (SITE_URL and CSRF_TRUSTED_ORIGINS): Channels' AllowedHostsOriginValidator
compares the host only, so a page on another port or over plain http of the same host passed.
"""

import gc
import os
from urllib.parse import urlsplit

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

django_wsgi_app = get_wsgi_application()

from a2wsgi import WSGIMiddleware  # noqa: E402
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import OriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from config.websocket_urls import websocket_urlpatterns  # noqa: E402

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_key(url: str) -> tuple[str, str, int] | None:
    """("https", "example.org", 443) for an origin or a site address; None when it is not one."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme]


def site_origins() -> frozenset[tuple[str, str, int]]:
    """The origins this site's pages are served from."""
    found = (_origin_key(url) for url in [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS])
    return frozenset(key for key in found if key is not None)


class SiteOriginValidator(OriginValidator):
    """Refuses a websocket whose Origin is not exactly one of the site's own origins."""

    def __init__(self, application, origins=None):
        super().__init__(application, allowed_origins=[])
        self.origins = site_origins() if origins is None else origins

    def valid_origin(self, parsed_origin) -> bool:
        if parsed_origin is None:
            return False
        return _origin_key(parsed_origin.geturl()) in self.origins


application = ProtocolTypeRouter(
    {
        "http": WSGIMiddleware(django_wsgi_app, workers=settings.HTTP_THREADS),
        "websocket": SiteOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# Everything loaded so far (Django, Wagtail, our apps: about 200,000 objects) lives as long as the
# process. Frozen, it is out of the garbage collector's sight: a full collection scans only what
# came later instead of pausing every socket and page of the process for 60-140 ms.
gc.freeze()
