"""Forms of the manager dashboard: choosing a period, recomputing it, closing it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .periods import Period, parse_period


class PeriodForm(forms.Form):
    periode = forms.CharField(label=_("Periode"), max_length=7)

    def clean_periode(self) -> Period:
        try:
            return parse_period(self.cleaned_data["periode"])
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class ClosePeriodForm(PeriodForm):
    bevestigen = forms.BooleanField(
        label=_(
            "Ik begrijp dat de cijfers van deze periode definitief worden en dat de uren in deze "
            "periode daarna niet meer kunnen worden gewijzigd."
        ),
        error_messages={"required": _("Vink aan dat u de periode definitief wilt sluiten.")},
    )
