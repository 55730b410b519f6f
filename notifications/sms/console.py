from __future__ import annotations

import sys
import uuid

from notifications.render import sms_segments
from notifications.sms import BaseBackend


class Backend(BaseBackend):
    """Prints texts in the terminal, the way Django's console backend prints e-mails."""

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> str:
        ref = f"console-{uuid.uuid4().hex[:12]}"
        parts = sms_segments(body)
        sys.stdout.write(f"--- Text message to {to} ({parts} part{'s' * (parts > 1)}) ---\n")
        sys.stdout.write(f"{body}\n---\n")
        sys.stdout.flush()
        return ref
