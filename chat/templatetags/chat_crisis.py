from django import template

from chat.crisis import plain_action as _plain_action
from chat.services.base import held_reason_words

register = template.Library()


@register.filter
def plain_action(code: str) -> str:
    """A moderation log code (``crisis.alert``) in plain words."""
    return _plain_action(code or "")


@register.filter
def held_why(held_reason: str) -> str:
    """Why a message waits for a moderator, in plain words ("held: a new member's first
    messages"), the same words the live ``held`` frame carries."""
    return held_reason_words(held_reason or "")


@register.filter
def support_href(line: dict) -> str:
    """A support line's link: ``sms:`` for a text line, ``tel:`` for the others."""
    number = str(line.get("phone", "")).replace(" ", "")
    return f"sms:{number}" if line.get("how") == "text" else f"tel:{number}"
