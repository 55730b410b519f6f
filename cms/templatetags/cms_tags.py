from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from cms import glossary

register = template.Library()


def _html(value) -> str:
    if isinstance(value, SafeString):
        return str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return conditional_escape(str(value))


@register.filter(is_safe=True)
def explain_acronyms(value):
    """Apply to HTML that is already safe (rendered rich text); plain text is escaped first.
    Explains the first use in this piece of text; ``{% explained %}`` does it once per page."""
    return mark_safe(glossary.explain_acronyms(_html(value)))  # noqa: S308 - input escaped above


@register.simple_tag(takes_context=True)
def explained(context, value):
    """``{% explained value %}``: explain each acronym at its first use on the whole page (the
    request remembers which are done, across StreamField blocks and includes)."""
    seen = glossary.explained_on(context.get("request"))
    return mark_safe(glossary.explain_acronyms(_html(value), explained=seen))  # noqa: S308


@register.simple_tag
def glossary_url() -> str:
    return glossary.glossary_url()


@register.filter
def tel(value: str) -> str:
    return "".join(ch for ch in str(value) if ch.isdigit() or ch == "+")
