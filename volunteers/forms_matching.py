"""Forms of the matching pages; the rules live in `volunteers.services.matching`."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.forms import DATE_INPUT_FORMATS
from meerwaarde.dates import RegistrationDateInput
from meerwaarde.form_guards import text_field
from meerwaarde.text_limits import NOTE_LENGTH

from .models import MatchStatus, Volunteer
from .services.matching import EVALUATION_KINDS
from .services.registry import volunteers_visible_to


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        initial=datetime.date.today,
        widget=RegistrationDateInput(),
        error_messages={
            "required": _("Vul de datum in."),
            "invalid": _("Vul een bestaande datum in, bijvoorbeeld 17-11-2025."),
        },
    )


class ProposeForm(forms.Form):
    """Accepts only volunteers the coordinator may see: the answer to any other id is the
    same as to an id that does not exist, so it tells nothing about that volunteer."""

    volunteer = forms.ModelChoiceField(
        label=_("Vrijwilliger"),
        queryset=Volunteer.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Kies een vrijwilliger."),
            "invalid_choice": _("Kies een vrijwilliger uit de suggesties."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers_visible_to(user)


class MatchStatusForm(forms.Form):
    """One form with a submit button per allowed next status."""

    to_status = forms.ChoiceField(
        label=_("Nieuwe status"),
        choices=MatchStatus.choices,
        error_messages={
            "required": _("Kies de nieuwe status."),
            "invalid_choice": _("Kies een geldige status."),
        },
    )
    on = _date_field(_("Datum"))
    reason = forms.CharField(
        label=_("Reden (verplicht bij afbreken)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Houd de reden korter dan 300 tekens.")},
    )


class EvaluationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort evaluatie"),
        choices=[
            (EVALUATION_KINDS[0], _("Tussenevaluatie")),
            (EVALUATION_KINDS[1], _("Eindevaluatie")),
        ],
        error_messages={
            "required": _("Kies tussenevaluatie of eindevaluatie."),
            "invalid_choice": _("Kies tussenevaluatie of eindevaluatie."),
        },
    )
    date = _date_field(_("Datum evaluatie"))
    notes = text_field(
        _("Wat is er besproken?"),
        max_length=NOTE_LENGTH,
        textarea_rows=3,
        error_messages={"required": _("Schrijf kort op wat er besproken is.")},
    )
