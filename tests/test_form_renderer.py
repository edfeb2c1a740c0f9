"""The Python <select> renderer writes exactly what Django's templates write."""

from unittest import mock

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from meerwaarde.form_renderer import FormRenderer

HOSTILE = "<script>alert('x')</script> & \"quotes\""


class ExampleForm(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---------"), ("a", "Aap"), ("b", HOSTILE)])
    grouped = forms.ChoiceField(
        choices=[("Kernen", [("1", "Hoofddorp"), ("2", "Nieuw-Vennep")]), ("3", "onbekend")]
    )
    several = forms.MultipleChoiceField(choices=[(1, "één"), (2, "twee"), (3, HOSTILE)])
    optional = forms.ChoiceField(choices=[("x", "X")], required=False, disabled=True)
    numbers = forms.TypedChoiceField(choices=[(1, "1"), (2, "2")], coerce=int)


@pytest.mark.parametrize("name", ["plain", "grouped", "several", "optional", "numbers"])
@pytest.mark.parametrize(
    "data",
    [None, {"plain": "b", "grouped": "2", "several": ["1", "3"], "numbers": "2"}],
)
def test_select_markup_equals_djangos_templates(name, data):
    attrs = {"class": "form-select is-invalid", "aria-describedby": HOSTILE, "data-x": True}
    fast = ExampleForm(data=data, renderer=FormRenderer())[name].as_widget(attrs=attrs)
    django = ExampleForm(data=data, renderer=DjangoTemplates())[name].as_widget(attrs=attrs)
    assert fast == django
    assert "<script>" not in fast


def test_project_forms_write_selects_without_the_option_templates(settings):
    """The project's forms use this renderer, and a plain <select> never reaches Django's
    per-option templates (that is where the time went)."""
    assert settings.FORM_RENDERER == "meerwaarde.form_renderer.FormRenderer"
    with mock.patch.object(DjangoTemplates, "render", side_effect=AssertionError("template")):
        rendered = str(ExampleForm()["plain"])
    assert '<option value="b">&lt;script&gt;' in rendered
