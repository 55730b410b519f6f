"""Texts through Twilio, with Twilio's own library: sending, and checking that a request to our
webhooks (delivery reports, replies) really comes from Twilio.

Settings: ``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN`` and either
``TWILIO_MESSAGING_SERVICE_SID`` (preferred: Twilio picks the sender and handles opt-outs) or
``TWILIO_FROM_NUMBER``.
"""

from __future__ import annotations

from collections.abc import Mapping

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from notifications.sms import BaseBackend, SMSError

TIMEOUT_SECONDS = 10


class Backend(BaseBackend):
    # Where Twilio's REST API lives; tests point it at a fake Twilio on loopback.
    api_base_url: str | None = None

    def __init__(self) -> None:
        if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
            raise ImproperlyConfigured(
                "SMS_BACKEND is Twilio: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN."
            )
        if not (settings.TWILIO_MESSAGING_SERVICE_SID or settings.TWILIO_FROM_NUMBER):
            raise ImproperlyConfigured(
                "SMS_BACKEND is Twilio: set TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER."
            )
        self.client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=TwilioHttpClient(timeout=TIMEOUT_SECONDS),
        )
        if self.api_base_url:
            self.client.api.base_url = self.api_base_url

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> str:
        sender: dict[str, str] = (
            {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
            if settings.TWILIO_MESSAGING_SERVICE_SID
            else {"from_": settings.TWILIO_FROM_NUMBER}
        )
        if status_callback:
            sender["status_callback"] = status_callback
        try:
            message = self.client.messages.create(to=to, body=body, **sender)
        except TwilioRestException as error:
            # Twilio's error code names the reason (21610: the person texted STOP to Twilio).
            raise SMSError(
                f"Twilio refused the text (error {error.code or error.status})"
            ) from error
        except (TwilioException, requests.RequestException) as error:
            raise SMSError("Could not reach Twilio") from error
        return str(message.sid)


def request_is_from_twilio(*, url: str, params: Mapping[str, str], signature: str) -> bool:
    """True when ``X-Twilio-Signature`` matches the full URL Twilio called and the form it
    posted, signed with our auth token. Without a token nothing is trusted."""
    token = settings.TWILIO_AUTH_TOKEN
    if not token or not signature:
        return False
    return RequestValidator(token).validate(url, params, signature)
