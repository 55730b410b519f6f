"""Words for each channel, from one template per kind, with every link absolute.

A kind's template has blocks (``title``, ``body``, ``action``, optional ``sms``); each is rendered
on its own. Texts, push and e-mail subjects are discreet unless the person chose "show details":
people in recovery often share a phone and a lock screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import BlockNode
from django.urls import reverse

from notifications import kinds

DISCREET_TITLE = "Alongside: you have a new message"
DISCREET_SMS = "Alongside: you have a new message. {link}"


def absolute(path: str) -> str:
    """An address that opens from an e-mail or a phone: SITE_URL plus the path."""
    if path.startswith(("http://", "https://")):
        return path
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path.lstrip("/"))


@dataclass(frozen=True)
class Words:
    title: str
    body: str
    action: str
    sms: str


def _blocks(template) -> dict[str, BlockNode]:
    return {node.name: node for node in template.template.nodelist.get_nodes_by_type(BlockNode)}


def _clean(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def render_kind(template_name: str, context: dict) -> Words:
    """Render a kind's blocks with ``context`` (plain values, as stored on the notification)."""
    template = get_template(template_name)  # cached by the loader in production
    blocks = _blocks(template)
    ctx = Context({**context, "site_url": settings.SITE_URL}, autoescape=False)

    def part(name: str) -> str:
        node = blocks.get(name)
        if node is None:
            return ""
        with ctx.bind_template(template.template):
            return _clean(node.nodelist.render(ctx))

    title = " ".join(part("title").split())
    return Words(
        title=title,
        body=part("body"),
        action=" ".join(part("action").split()),
        sms=" ".join(part("sms").split()),
    )


def open_link(notification) -> str:
    """The absolute link in every message: it marks the notice read and lands where they act."""
    return absolute(reverse("notifications:open", args=[notification.pk]))


# --- Text messages -------------------------------------------------------------------------------

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")


def sms_segments(text: str) -> int:
    """How many parts a text is sent in: 160 GSM-7 characters in one (153 each when split), or
    70 (67) once any character falls outside GSM-7, such as an emoji or a curly quote."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text):
        length = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, part = 160, 153
    else:
        length = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
        single, part = 70, 67
    if length <= single:
        return 1
    return -(-length // part)


_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


def sms_text(words: Words, link: str, *, show_details: bool, replies: str = "") -> str:
    """A short text with one link: discreet unless the person chose details. Curly quotes and
    dashes are made plain so the text stays in one GSM-7 part where it can."""
    if not show_details:
        text = DISCREET_SMS.format(link=link)
    else:
        core = (words.sms or words.title).translate(_PLAIN)
        text = f"Alongside: {core} {link}"
        if sms_segments(text) > 1:  # shorten the words, never the link
            room = 160 - len("Alongside:  ") - len(link) - 3
            text = f"Alongside: {core[: max(room, 20)].rstrip()}... {link}"
    if replies:
        text = f"{text} {replies}"
    return text


# --- E-mail --------------------------------------------------------------------------------------


def email_parts(notification, words: Words, *, show_details: bool) -> tuple[str, str, str]:
    """Subject, plain text and HTML of the e-mail: a clear subject, the one action as a link.

    An invitation to an account (``Kind.account_email``) shows its words whatever the person's
    choice: its link to choose a password is the way in, and its words name nothing private."""
    show_details = show_details or kinds.get(notification.kind).account_email
    link = open_link(notification)
    context = {
        "words": words,
        "link": link,
        "show_details": show_details,
        "preferences_link": absolute(reverse("notifications:preferences")),
        "site_url": settings.SITE_URL,
    }
    subject = f"Alongside: {words.title}" if show_details else DISCREET_TITLE
    text = render_to_string("notifications/email/message.txt", context)
    html = render_to_string("notifications/email/message.html", context)
    return subject, text, html


def push_payload(notification, words: Words, *, show_details: bool) -> dict:
    return {
        "title": "Alongside",
        "body": words.title if show_details else "You have a new message",
        "url": open_link(notification),
        "tag": f"n{notification.pk}",
    }
