from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from cms import glossary

register = template.Library()


@register.filter(is_safe=True)
def explain_acronyms(value):
    """Apply to HTML that is already safe (rendered rich text); plain text is escaped first."""
    if isinstance(value, SafeString):
        html = str(value)
    elif hasattr(value, "__html__"):
        html = value.__html__()
    else:
        html = conditional_escape(str(value))
    return mark_safe(glossary.explain_acronyms(html))  # noqa: S308 - input escaped above


@register.filter
def tel(value: str) -> str:
    return "".join(ch for ch in str(value) if ch.isdigit() or ch == "+")
