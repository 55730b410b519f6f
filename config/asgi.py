"""ASGI entry point: web pages through Django's WSGI handler on a fixed pool of threads,
websockets through Channels.

Why pages go through WSGI here: Django's ASGI handler runs every request's synchronous code in a
thread of its own, so a persistent database connection is never reused (each request pays for a
new PostgreSQL connection, and idle ones pile up until PostgreSQL refuses more clients). Every
view of ours is synchronous, so a2wsgi runs them on HTTP_THREADS reusable threads per process,
each keeping its connection (CONN_MAX_AGE, with health checks). bench/pages.py measures it.

Websockets pass the Origin check (as strict as ALLOWED_HOSTS) and get the session user before any
consumer runs; consumers refuse the anonymous themselves.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

django_wsgi_app = get_wsgi_application()

from a2wsgi import WSGIMiddleware  # noqa: E402
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from config.websocket_urls import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": WSGIMiddleware(django_wsgi_app, workers=settings.HTTP_THREADS),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# Everything loaded so far (Django, Wagtail, our apps: about 200,000 objects) lives as long as the
# process. Frozen, it is out of the garbage collector's sight: a full collection scans only what
# came later instead of pausing every socket and page of the process for 60-140 ms.
gc.freeze()
