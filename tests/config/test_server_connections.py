"""The production server keeps its database connections and its Redis connections.

Django's ASGI handler runs each request in a thread of its own, and keeps cache objects per
request context: persistent PostgreSQL connections were never reused (they piled up until
PostgreSQL refused clients) and every request opened a new connection to Redis. config/asgi.py
serves pages on a fixed thread pool and config/cache.py shares one Redis client per process.
"""

import threading
import time
import urllib.error
import urllib.request

import pytest
from django.core.cache import caches

from tests.chat.servers import AsgiServer, shared_database_url
from tests.chat.test_faults import _admin


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_page_requests_reuse_a_few_database_connections():
    app_name = f"pages-{time.monotonic_ns()}"
    server = AsgiServer(
        database_url=shared_database_url(application_name=app_name),
        extra_env={
            "DJANGO_SETTINGS_MODULE": "config.settings.base",  # persistent connections
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "HTTP_THREADS": "2",
            "STATIC_MANIFEST": "false",  # no collectstatic here: the styled 404 page links CSS
        },
    )
    try:
        for _ in range(60):  # each visit reads the page cache's generation from the database
            try:
                with urllib.request.urlopen(f"{server.url}/", timeout=5) as response:  # noqa: S310 - our loopback server
                    status = response.status
            except urllib.error.HTTPError as error:  # no home page in an empty test database
                status = error.code
            assert status in (200, 404)
        backends = _admin(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", app_name
        )[0][0]
        assert 1 <= backends <= 2
    finally:
        server.stop()


@pytest.mark.redis
def test_every_request_context_shares_one_redis_client():
    clients = []

    def in_a_fresh_context():
        clients.append(caches["default"]._cache)

    threads = [threading.Thread(target=in_a_fresh_context) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    clients.append(caches["default"]._cache)
    assert len({id(client) for client in clients}) == 1
    client = clients[0]
    assert client.get_client() is client.get_client()  # not a new redis.Redis per call
