from __future__ import annotations

import uuid

from notifications import sms
from notifications.sms import BaseBackend, SentText, SMSError

# Numbers the in-memory backend refuses, so tests can make a text fail.
FAILING_NUMBERS: set[str] = set()


class Backend(BaseBackend):
    """Keeps texts in ``notifications.sms.outbox`` (tests), like Django's locmem e-mail backend."""

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> str:
        if to in FAILING_NUMBERS:
            raise SMSError("The provider refused the number.")
        ref = f"SM{uuid.uuid4().hex}"
        sms.outbox.append(SentText(to=to, body=body, ref=ref))
        return ref
