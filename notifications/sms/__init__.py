"""Text messages: a backend setting like EMAIL_BACKEND (``SMS_BACKEND``).

- ``notifications.sms.console.Backend``: prints each text (the default, for ``make run``);
- ``notifications.sms.locmem.Backend``: keeps texts in ``notifications.sms.outbox`` (tests);
- ``notifications.sms.twilio.Backend``: sends through Twilio's own client library.

A backend's ``send`` returns the provider's id for the message (used to match delivery reports)
or raises ``SMSError``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string


class SMSError(Exception):
    """The provider refused or could not be reached; the notice falls back to e-mail."""


@dataclass(frozen=True)
class SentText:
    to: str
    body: str
    ref: str


# Texts "sent" by the in-memory backend, like django.core.mail.outbox.
outbox: list[SentText] = []


class BaseBackend:
    def send(self, *, to: str, body: str, status_callback: str | None = None) -> str:
        raise NotImplementedError


def get_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()


def send_now(*, to: str, body: str) -> bool:
    """Send a text that is not a notice (a code, an answer to a text). A failure is logged, not
    raised: the person can ask again."""
    try:
        get_backend().send(to=to, body=body)
    except SMSError:
        logging.getLogger(__name__).warning("Could not send a direct text", exc_info=True)
        return False
    return True


def send_on_commit(*, to: str, body: str) -> None:
    """``send_now`` once the surrounding transaction commits."""
    transaction.on_commit(lambda: send_now(to=to, body=body))
