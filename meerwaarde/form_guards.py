"""What every form answers to input the page never offered: an id outside the user's scope,
a text longer than the field holds, a hidden field someone changed.

- A model choice outside the user's scope gets `INVALID_CHOICE`, the same answer as an id
  that does not exist, so the answer tells nothing about the object behind the id.
- Free text has a length limit (`meerwaarde.text_limits`) in the model, the form
  (`text_field`) and the service (`check_text_length`), with one Dutch message.
- `HiddenFieldsGuard` turns an error on a hidden field (a tampered `version`, step or id)
  into a message above the form; the field itself shows nothing on the page.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INVALID_CHOICE = _("Maak een geldige keuze.")
FORM_TAMPERED = _(
    "Het formulier is verouderd of beschadigd. Laad de pagina opnieuw en probeer het nog eens."
)
TOO_LONG = _("Gebruik hooguit %(limit_value)d tekens (nu %(show_value)d).")

MODEL_CHOICE_ERRORS = {
    "invalid_choice": INVALID_CHOICE,
    "invalid_pk_value": INVALID_CHOICE,
    "invalid_list": INVALID_CHOICE,
}
HIDDEN_FIELD_ERRORS = {
    "required": FORM_TAMPERED,
    "invalid": FORM_TAMPERED,
    "invalid_choice": FORM_TAMPERED,
    "min_value": FORM_TAMPERED,
    "max_value": FORM_TAMPERED,
}


def text_field(label, *, max_length: int, textarea_rows: int | None = None, **kwargs):
    """A free-text field with its limit and the Dutch message when the text is longer."""
    error_messages = {"max_length": TOO_LONG, **kwargs.pop("error_messages", {})}
    if textarea_rows is not None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": textarea_rows}))
    return forms.CharField(
        label=label, max_length=max_length, error_messages=error_messages, **kwargs
    )


def too_long_message(value: str, limit: int) -> str | None:
    """The Dutch message when `value` is longer than `limit`, else None."""
    if len(value or "") <= limit:
        return None
    return TOO_LONG % {"limit_value": limit, "show_value": len(value)}


def check_text_length(field: str, value: str, limit: int) -> None:
    """For services: refuses a text longer than the limit, on the field it belongs to."""
    message = too_long_message(value, limit)
    if message:
        raise ValidationError({field: message}, code="max_length")


class HiddenFieldsGuard:
    """Mixin for a form with hidden fields. Nobody types in a hidden field, so an error on
    one means the page is stale or the value was changed: the error moves above the form
    (the hidden field has no place to show it) with the field's own message — which
    `hidden_field_errors` sets to `FORM_TAMPERED` — and the form is invalid."""

    def add_error(self, field, error):
        if field is not None and field in self.fields and self.fields[field].widget.is_hidden:
            if hasattr(self, "cleaned_data"):
                self.cleaned_data.pop(field, None)
            field = None
        super().add_error(field, error)


def hidden_field_errors(**extra) -> dict:
    """The error messages of a hidden field: every error is the stale-or-tampered one."""
    return {**HIDDEN_FIELD_ERRORS, **extra}
