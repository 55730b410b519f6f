"""Two real ASGI server processes share rooms through the Redis channel layer (a private
redis-server this test starts) and one database: a message sent through one reaches a client of
the other."""

import asyncio
import json

import pytest
import websockets

from tests.chat.conftest import session_cookie
from tests.chat.servers import AsgiServer, PrivateRedis, shared_database_url

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def private_redis():
    redis = PrivateRedis()
    yield redis
    redis.stop()


@pytest.fixture
def two_servers(private_redis):
    servers = []
    try:
        for _n in range(2):
            servers.append(
                AsgiServer(database_url=shared_database_url(), redis_url=private_redis.url)
            )
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def cookies(mentee, mentor):
    return session_cookie(mentee), session_cookie(mentor)


async def open_socket(server, room, cookie):
    return await websockets.connect(
        server.ws_url(room.pk),
        additional_headers={"Cookie": f"sessionid={cookie}"},
        origin=server.url,
        open_timeout=10,
    )


async def next_of(ws, kind, timeout=5, message_id=None):
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if frame["type"] == kind and (message_id is None or frame["message"]["id"] == message_id):
            return frame


async def test_message_crosses_server_processes(two_servers, room, cookies):
    jay_cookie, sam_cookie = cookies
    one, two = two_servers
    jay = await open_socket(one, room, jay_cookie)
    sam = await open_socket(two, room, sam_cookie)
    try:
        await next_of(jay, "hello")
        await next_of(sam, "hello")
        await jay.send(json.dumps({"type": "send", "body": "across processes", "client_id": "x"}))
        ack = await next_of(jay, "ack")
        got = await next_of(sam, "message")
        assert got["message"]["id"] == ack["id"] and got["message"]["body"] == "across processes"
        await next_of(jay, "message", message_id=ack["id"])  # the sender's own copy
        # And back the other way.
        await sam.send(json.dumps({"type": "send", "body": "and back", "client_id": "y"}))
        ack = await next_of(sam, "ack")
        assert (await next_of(jay, "message"))["message"]["id"] == ack["id"]
    finally:
        await jay.close()
        await sam.close()
