"""`{% form_once_token %}`: the hidden one-time token of a guarded form (see
meerwaarde/forms_once.py). Renders nothing where there is no request with a session."""

from django import template
from django.utils.html import format_html

from meerwaarde.forms_once import FIELD_NAME, issue_form_token

register = template.Library()


@register.simple_tag(takes_context=True)
def form_once_token(context) -> str:
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return ""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', FIELD_NAME, issue_form_token(request)
    )
