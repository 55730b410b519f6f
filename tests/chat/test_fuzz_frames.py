"""Every frame type the room socket takes, fuzzed with bad payloads (issue 13; TRUST.md B).

Through the full ASGI application (Origin check, session cookie, the consumer), a member sends
hypothesis-generated frames of each type (chat/consumers.py RoomConsumer.FRAME_TYPES,
docs/chat-protocol.md) that the protocol refuses: ids that are not whole numbers from 0 to 2^63-1,
text with lone surrogates, a body that is not text or is empty or too long, a missing or bad
client id, unknown types, JSON that is not an object, not JSON at all, or nested thousands deep.

What must hold, frame by frame: an ``error`` frame in plain words comes back (a ``pong`` for a
ping, which has nothing to get wrong), the socket is never closed (so never with 1011), it still
answers a ping afterwards, and nothing in the database changed.

How it runs: hypothesis calls the test synchronously; each example runs on one event loop owned by
the test (as tests/chat/test_resume_state_machine.py does), and the database is compared between
examples from the test's own thread.
"""

from __future__ import annotations

import asyncio
import json
import os

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chat.consumers import MAX_ID, RoomConsumer
from chat.models import Membership
from tests.chat.test_consumers import Socket

pytestmark = [pytest.mark.django_db(transaction=True)]

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "15")),  # FUZZ_EXAMPLES=200 digs deeper
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TIMEOUT = 3

# --- Bad payloads ---------------------------------------------------------------------------------

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
JUNK = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
NOT_TEXT = JUNK.filter(lambda value: not isinstance(value, str))
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
WITH_SURROGATE = st.tuples(st.text(max_size=10), SURROGATES, st.text(max_size=10)).map("".join)
STORABLE = st.characters(exclude_categories=("Cs",))
NOT_AN_ID = st.one_of(
    st.integers(max_value=-1),
    st.integers(min_value=MAX_ID + 1, max_value=2**200),
    st.floats(),
    st.booleans(),
    st.none(),
    st.text(max_size=20),
    st.integers(min_value=0, max_value=100).map(str),
    st.lists(st.integers(min_value=0), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
AN_ID = st.integers(min_value=0, max_value=MAX_ID)
EXTRA = st.dictionaries(st.sampled_from(["extra", "room", "author", "id", "user"]), JUNK)
BAD_CLIENT_ID = st.one_of(
    NOT_TEXT, st.just(""), WITH_SURROGATE, st.text(STORABLE, min_size=65, max_size=80)
)
BAD_BODY = st.one_of(
    NOT_TEXT,
    WITH_SURROGATE,
    st.text(st.sampled_from(" \t\r\n"), max_size=5),  # nothing to say
    st.integers(min_value=2001, max_value=20_000).map(lambda n: "x" * n),  # over 2,000
)


def _frame(kind: str, fields: dict, extra: dict) -> dict:
    return {**extra, **fields, "type": kind}


SEND = st.one_of(
    # A client id that is missing or bad refuses the frame, whatever the body.
    st.builds(
        _frame,
        st.just("send"),
        st.fixed_dictionaries({}, optional={"body": JUNK, "client_id": BAD_CLIENT_ID}).filter(
            lambda f: "client_id" not in f or f["client_id"] is not None
        ),
        EXTRA,
    ),
    st.builds(
        _frame,
        st.just("send"),
        st.fixed_dictionaries(
            {"client_id": st.text(STORABLE, min_size=1, max_size=64), "body": BAD_BODY}
        ),
        EXTRA,
    ),
)
RESUME = st.one_of(
    st.builds(_frame, st.just("resume"), st.fixed_dictionaries({"after": NOT_AN_ID}), EXTRA),
    st.builds(
        _frame,
        st.just("resume"),
        st.fixed_dictionaries(
            {"after": AN_ID, "changes_after": NOT_AN_ID.filter(lambda v: v is not None)}
        ),
        EXTRA,
    ),
)
READ = st.builds(
    _frame, st.just("read"), st.fixed_dictionaries({}, optional={"up_to": NOT_AN_ID}), EXTRA
)
PING = st.builds(_frame, st.just("ping"), st.just({}), EXTRA)  # anything else in it is ignored
FRAMES = {"send": SEND, "resume": RESUME, "read": READ, "ping": PING}

# Frames that are not one of the types: a wrong type, not an object, not JSON, nested too deep.
NOT_A_TYPE = st.one_of(
    st.text(max_size=20).filter(lambda t: t not in RoomConsumer.FRAME_TYPES),
    st.sampled_from(["Send", "send ", "SEND", "send\x00", "ｓｅｎｄ", "ping\u200b"]),
)
RAW = st.one_of(
    st.builds(lambda kind, extra: json.dumps({**extra, "type": kind}), NOT_A_TYPE, EXTRA),
    st.builds(lambda value: json.dumps({"type": value}), NOT_TEXT | WITH_SURROGATE),
    JUNK.filter(lambda value: not isinstance(value, dict)).map(json.dumps),
    st.dictionaries(st.text(max_size=5).filter(lambda k: k != "type"), JUNK).map(json.dumps),
    st.text(max_size=200),  # mostly not JSON
    st.integers(min_value=600, max_value=6000).map(lambda n: "[" * n + "]" * n),
    st.integers(min_value=600, max_value=6000).map(lambda n: '{"a":' * n + "1" + "}" * n),
    st.just('{"type": "send", "body": "hi", "client_id": "c1"'),  # cut short
)

# --- Running a socket -----------------------------------------------------------------------------


def _snapshot():
    """What a refused frame must not change: every chat row count, and each member's read
    position, posting counts and rate-limit tokens."""
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("chat").get_models()
    }
    members = sorted(
        Membership.objects.values_list(
            "pk", "last_read_id", "posted_count", "last_posted_at", "tokens"
        )
    )
    return counts, members


def _plain_words(message) -> bool:
    """A sentence for a person (field names in quotes allowed), not an exception's text."""
    return (
        isinstance(message, str)
        and len(message.split()) >= 3
        and (message[:1].isupper() or message[:1] == '"')
        and message.endswith(".")
        and not any(word in message for word in ("Traceback", "Error", "None", "{", "<"))
    )


async def _next_frame(ws) -> dict:
    output = await ws.comm.receive_output(timeout=TIMEOUT)
    assert output["type"] == "websocket.send", f"the socket was closed: {output}"
    return json.loads(output["text"])


async def _exchange(user, room, raws: list[str], *, quiet=True) -> list[tuple[str, dict]]:
    answers = []
    async with Socket(user, room) as ws:
        assert ws.connected
        assert (await _next_frame(ws))["type"] == "hello"
        for raw in raws:
            # send_input, not send_to: an empty text frame is a frame too.
            await ws.comm.send_input({"type": "websocket.receive", "text": raw})
            answers.append((raw, await _next_frame(ws)))
        await ws.send({"type": "ping"})
        answers.append(("ping afterwards", await _next_frame(ws)))
        if quiet:  # one answer to each frame, nothing more
            assert await ws.comm.receive_nothing(timeout=0.05)
    return answers


@pytest.fixture
def run():
    loop = asyncio.new_event_loop()
    yield loop.run_until_complete
    loop.close()


def _check(answers, *, expect="error"):
    *refused, (_, last) = answers
    for raw, answer in refused:
        shown = raw[:200]
        assert answer["type"] == expect, f"{shown!r} -> {answer}"
        if expect == "error":
            assert answer["code"] in ("malformed", "unknown_type", "empty", "too_long"), shown
            assert _plain_words(answer["message"]), f"{shown!r} -> {answer['message']!r}"
    assert last == {"type": "pong"}  # still open and answering


@pytest.mark.parametrize("frame_type", sorted(RoomConsumer.FRAME_TYPES))
def test_bad_frames_of_each_type_get_an_error_and_change_nothing(
    frame_type, room, mentee, fresh_layer, run
):
    before = _snapshot()

    @FUZZ
    @given(frames=st.lists(FRAMES[frame_type], min_size=1, max_size=6))
    def fuzz(frames):
        answers = run(_exchange(mentee, room, [json.dumps(frame) for frame in frames]))
        _check(answers, expect="pong" if frame_type == "ping" else "error")
        assert _snapshot() == before

    fuzz()


def test_frames_that_are_no_type_get_an_error_and_change_nothing(room, mentee, fresh_layer, run):
    before = _snapshot()

    @FUZZ
    @given(raws=st.lists(RAW, min_size=1, max_size=6))
    def fuzz(raws):
        _check(run(_exchange(mentee, room, raws)))
        assert _snapshot() == before

    fuzz()


def test_the_fuzz_sees_a_change_and_a_closed_socket(room, mentee, fresh_layer, run):
    # The checks above can fail: a good frame changes the snapshot, and a closing is noticed.
    before = _snapshot()
    good = json.dumps({"type": "send", "body": "Hello all", "client_id": "fuzz-good"})
    answers = run(_exchange(mentee, room, [good], quiet=False))
    assert answers[0][1]["type"] == "ack" and _snapshot() != before
    with pytest.raises(AssertionError, match="closed"):
        run(_exchange(mentee, room, ["x" * 70_000]))  # over 64 KB: closed with 1009
