"""Forms of the Buurtbemiddeling pages. They parse input; the rules live in
cases/services/mediation.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meerwaarde.form_guards import HiddenFieldsGuard, hidden_field_errors

from .choices import MediationStep, Partner
from .forms import date_field

ACCEPT = "accepteren"
REFER_ON = "doorverwijzen"

NOTE_HELP = {
    MediationStep.INTAKE: _("Wat is er gemeld, door wie, en welke informatie is uitgewisseld?"),
    MediationStep.ASSESSMENT: _("Waarom wel of geen bemiddeling?"),
    MediationStep.MEDIATORS_ASSIGNED: _("Welke twee bemiddelaars zijn ingeschakeld?"),
    MediationStep.TALK_PARTY_1: _("Verslag van de bemiddelaars."),
    MediationStep.TALK_PARTY_2: _("Verslag van de bemiddelaars."),
    MediationStep.JOINT_TALK: _("Verslag van de bemiddelaars: welke afspraken zijn gemaakt?"),
    MediationStep.AFTERCARE: _("Hoe is de stand van zaken bij beide partijen?"),
}


class MediationPartyForm(forms.Form):
    name = forms.CharField(
        label=_("Naam"), max_length=150, error_messages={"required": _("Vul de naam in.")}
    )
    address = forms.CharField(label=_("Adres"), max_length=200, required=False)
    phone = forms.CharField(label=_("Telefoon"), max_length=30, required=False)


class MediationStepForm(HiddenFieldsGuard, forms.Form):
    step = forms.ChoiceField(
        choices=MediationStep.choices,
        widget=forms.HiddenInput,
        error_messages=hidden_field_errors(),
    )
    date = date_field(_("Datum"), window=True)
    note = forms.CharField(
        label=_("Verslag"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Schrijf een kort verslag van deze stap.")},
    )

    def __init__(self, *args, step: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages["required"] = _("Vul de datum in.")
        self.fields["note"].help_text = NOTE_HELP.get(step, "")
        if not self.is_bound:
            self.initial.setdefault("step", step)
            self.initial.setdefault("date", timezone.localdate())


class AssessmentForm(MediationStepForm):
    """The assessment decides: bemiddeling (accept) or refer the resident on."""

    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[(ACCEPT, _("Accepteren: bemiddeling gaat door")), (REFER_ON, _("Doorverwijzen"))],
        widget=forms.RadioSelect,
        initial=ACCEPT,
        error_messages={
            "required": _("Kies accepteren of doorverwijzen."),
            "invalid_choice": _("Kies accepteren of doorverwijzen."),
        },
    )
    partner = forms.ChoiceField(
        label=_("Doorverwijzen naar"),
        choices=[("", "—"), *Partner.choices],
        required=False,
        help_text=_("Alleen bij doorverwijzen."),
        error_messages={"invalid_choice": _("Kies een partner uit de lijst.")},
    )
    partner_detail = forms.CharField(label=_("Toelichting partner"), max_length=200, required=False)

    field_order = ["step", "date", "decision", "partner", "partner_detail", "note"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == REFER_ON and not cleaned.get("partner"):
            self.add_error("partner", _("Kies naar welke partner is doorverwezen."))
        return cleaned


def step_form_class(step: str) -> type[MediationStepForm]:
    return AssessmentForm if step == MediationStep.ASSESSMENT else MediationStepForm
