"""The form renderer: Django's own, except that <select> lists are written in Python.

Django renders every <option> through its own template include (~0.1 ms each); a choice list
of a few hundred entries (a large team's social workers on the intake form) then costs tens
of milliseconds per page. The markup here is the same as Django's select.html and
select_option.html, with the same escaping; any other widget, or an option with a template of
its own, goes through the templates as usual.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def render_attrs(attrs: dict) -> str:
    """attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def render_option(option: dict) -> str:
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"'
        f"{render_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>"
    )


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE and self._options_are_plain(context["widget"]):
            return self._render_select(context["widget"])
        return super().render(template_name, context, request)

    @staticmethod
    def _options_are_plain(widget: dict) -> bool:
        return all(
            option["template_name"] == OPTION_TEMPLATE
            for _group_name, options, _index in widget["optgroups"]
            for option in options
        )

    @staticmethod
    def _render_select(widget: dict) -> str:
        parts = [f'<select name="{conditional_escape(widget["name"])}"']
        parts.append(render_attrs(widget["attrs"]))
        parts.append(">")
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                parts.append("\n  ")
                parts.append(render_option(option))
                parts.append("\n")  # select_option.html ends in a newline
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)
