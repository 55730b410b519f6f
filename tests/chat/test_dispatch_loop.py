"""The room socket's dispatch loop (chat.consumers._dispatch_in_turn) keeps Channels' guarantees:
one message at a time from the client and the channel layer together, a source read again only
once its message is handled, and the first failure ends the socket instead of leaving it deaf."""

import asyncio

import pytest
from channels.exceptions import StopConsumer

from chat.consumers import _dispatch_in_turn


class Source:
    """A source of messages (like ``receive`` or the channel layer) fed by the test."""

    def __init__(self):
        self.queue: asyncio.Queue = asyncio.Queue()
        self.reads = 0

    async def __call__(self):
        self.reads += 1
        item = await self.queue.get()
        if isinstance(item, BaseException):
            raise item
        return item


async def settle():
    for _ in range(20):
        await asyncio.sleep(0)


async def test_one_message_at_a_time_from_both_sources():
    client, layer = Source(), Source()
    handled, release = [], asyncio.Event()

    async def dispatch(message):
        handled.append(("start", message))
        if message == "frame 1":
            await release.wait()  # a frame waiting on the database, say
        handled.append(("end", message))

    loop = asyncio.ensure_future(_dispatch_in_turn([client, layer], dispatch))
    client.queue.put_nowait("frame 1")
    await settle()
    layer.queue.put_nowait("delivery 1")
    await settle()
    # The delivery waits for the frame being handled; and the client is not read meanwhile.
    assert handled == [("start", "frame 1")]
    assert client.reads == 1
    release.set()
    await settle()
    assert handled == [
        ("start", "frame 1"),
        ("end", "frame 1"),
        ("start", "delivery 1"),
        ("end", "delivery 1"),
    ]
    assert client.reads == 2  # read again once its frame was handled
    loop.cancel()
    await asyncio.gather(loop, return_exceptions=True)


async def test_a_failing_channel_layer_ends_the_loop_with_its_error():
    client, layer = Source(), Source()
    handled = []

    async def dispatch(message):
        handled.append(message)

    loop = asyncio.ensure_future(_dispatch_in_turn([client, layer], dispatch))
    layer.queue.put_nowait("delivery 1")
    await settle()
    layer.queue.put_nowait(ConnectionError("redis went away"))
    with pytest.raises(ConnectionError, match="redis went away"):
        await asyncio.wait_for(loop, 2)
    assert handled == ["delivery 1"]
    # The client's pump was stopped too: nothing is read from a socket whose loop ended.
    reads = client.reads
    client.queue.put_nowait("frame after the end")
    await settle()
    assert client.reads == reads and not client.queue.empty()


async def test_stop_consumer_from_a_handler_ends_the_loop():
    client, layer = Source(), Source()

    async def dispatch(message):
        if message["type"] == "websocket.disconnect":
            raise StopConsumer

    loop = asyncio.ensure_future(_dispatch_in_turn([client, layer], dispatch))
    client.queue.put_nowait({"type": "websocket.disconnect", "code": 1000})
    with pytest.raises(StopConsumer):
        await asyncio.wait_for(loop, 2)


async def test_cancelling_the_loop_cancels_what_it_waits_on():
    client, layer = Source(), Source()
    started = asyncio.Event()

    async def dispatch(message):
        started.set()
        await asyncio.sleep(3600)

    loop = asyncio.ensure_future(_dispatch_in_turn([client, layer], dispatch))
    client.queue.put_nowait("frame 1")
    await asyncio.wait_for(started.wait(), 2)
    loop.cancel()
    with pytest.raises(asyncio.CancelledError):
        await loop
    layer.queue.put_nowait("delivery after cancel")
    await settle()
    assert layer.reads == 1 and not layer.queue.empty()
