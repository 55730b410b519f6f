import pytest

from notifications import sms
from notifications.kinds import Kind, register
from notifications.sms import locmem
from tests.chat.conftest import fresh_layer, room  # noqa: F401 - for the live-count tests


@pytest.fixture(autouse=True)
def _empty_text_outbox():
    sms.outbox.clear()
    locmem.FAILING_NUMBERS.clear()
    yield
    sms.outbox.clear()
    locmem.FAILING_NUMBERS.clear()


# A kind that may use every channel, with the platform's own words, for testing the layer itself.
register(
    Kind(
        name="tests.any_channel",
        label="A test notice",
        template="notifications/kinds/text_reply.txt",
        replies=("YES", "NO"),
    )
)
