"""Django's Redis cache, without building a new client object for every call.

Django's RedisCacheClient makes a fresh ``redis.Redis`` around its connection pool on each get or
set; redis-py's constructor fills a table of some 170 response callbacks every time, which costs
more than the round trip to Redis itself. A ``redis.Redis`` is safe to share between threads (it
takes a connection from the pool per command), so one per pool is enough. Measured with
`bench/pages.py`: the anonymous page cache reads the shared generation on every visit.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            # setdefault: two threads racing here keep one client between them.
            client = self._clients.setdefault(index, client)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
