from django import template

from volunteering.services import format_minutes

register = template.Library()


@register.filter
def hours(minutes) -> str:
    """120 → "2 hours"; 90 → "1 h 30 min"."""
    return format_minutes(minutes or 0)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, 0)
