"""Addresses of this site as people outside it see them (e-mails, calendar apps).

Built from SITE_URL, never from the request: behind a proxy the request may say http while
the public address is https, and a calendar app keeps the address for years.
"""

from __future__ import annotations

from django.conf import settings


def public_url(path: str) -> str:
    """``/x/`` as the public address, e.g. ``https://alongside.example.org/x/``."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def webcal_url(path: str) -> str:
    """The same address with the ``webcal://`` scheme: tapping it on a phone asks the calendar
    app to subscribe (and keep the feed up to date) instead of downloading a file once."""
    return "webcal://" + public_url(path).split("://", 1)[-1]
