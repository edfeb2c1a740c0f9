from django import forms
from django.utils.translation import gettext_lazy as _


class HourImportForm(forms.Form):
    bestand = forms.FileField(
        label=_("CSV-bestand met uren"),
        help_text=_(
            "Kolommen: datum, medewerker, product, uren en eventueel client, kern, soort. "
            "Scheidingsteken puntkomma of komma, tekst in UTF-8, hoogstens 200 MB."
        ),
        error_messages={
            "required": _("Kies een CSV-bestand."),
            "empty": _("Het bestand is leeg."),
            "invalid": _("Kies een CSV-bestand."),
        },
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    alleen_controleren = forms.BooleanField(
        label=_("Alleen controleren (er wordt niets opgeslagen)"),
        required=False,
    )
