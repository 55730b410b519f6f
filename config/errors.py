"""The page shown when Alongside itself fails (DEBUG off).

Django renders 500.html with no request and no context processors; the crisis lines must still
show, so this view passes them in. Anything that could itself fail (the static files manifest, a
template) falls back to plain HTML with the same help lines.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponseServerError
from django.template.loader import render_to_string
from django.utils.html import escape

logger = logging.getLogger(__name__)


def _stylesheet() -> str:
    try:
        return staticfiles_storage.url("css/alongside.css")
    except Exception:  # noqa: BLE001 - a missing manifest must not hide the error page
        return ""


def _plain(lines: list[dict]) -> str:
    items = "".join(
        f"<li>{escape(line['name'])}: {escape(line['phone'])}. {escape(line['text'])}</li>"
        for line in lines
    )
    return (
        '<!doctype html><html lang="en-GB"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Sorry, something went wrong – Alongside</title>"
        "<h1>Sorry, something went wrong</h1><p>It is our fault, not yours. Please try again "
        'in a minute.</p><p><a href="/me/">Go to Today</a></p>'
        f"<h2>Need to talk to someone now?</h2><ul>{items}</ul></html>"
    )


def server_error(request, template_name: str = "500.html"):
    lines = getattr(settings, "CRISIS_SUPPORT_LINES", [])
    try:
        body = render_to_string(
            template_name, {"crisis_support": lines, "stylesheet": _stylesheet()}
        )
    except Exception:  # noqa: BLE001 - the error page must always answer
        logger.exception("500.html could not be rendered")
        body = _plain(lines)
    return HttpResponseServerError(body)
