from django import template

from meerwaarde.hours import format_hours

register = template.Library()


@register.filter
def hours(value) -> str:
    """A number of hours as Dutch readers expect it: 5,4 — 1.600 — 0,2 (`format_hours`)."""
    if value is None or value == "":
        return ""
    return format_hours(value)
