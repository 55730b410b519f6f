"""Django's Redis cache, with one set of connections per process instead of one per request.

Two costs in Django's own backend, both measured with py-spy under `bench/pages.py`:

- Django keeps cache objects in a context-local (asgiref ``Local``), and the ASGI server runs each
  request in a fresh context, so every request built a new cache object, a new connection pool
  and so a new TCP connection to Redis (with its handshake and a version lookup in redis-py).
  The client and its pools are shared by the whole process here instead.
- ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` on every call, and redis-py's
  constructor fills a table of some 170 response callbacks each time. A ``redis.Redis`` is safe
  to share between threads (it takes a connection from the pool per command), so one per pool.
"""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property

_clients: dict[str, SharedRedisCacheClient] = {}
_lock = threading.Lock()


class SharedRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._redis_clients = {}

    def _get_connection_pool(self, write):
        with _lock:  # two threads must not both create the pool (and leak one)
            return super()._get_connection_pool(write)

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._redis_clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            client = self._redis_clients.setdefault(index, client)
        return client


class SharedRedisCache(RedisCache):
    @cached_property
    def _cache(self):
        key = repr((self._servers, sorted(self._options.items())))
        with _lock:
            if key not in _clients:
                _clients[key] = SharedRedisCacheClient(self._servers, **self._options)
            return _clients[key]
