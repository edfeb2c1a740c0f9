"""Forms of group work and walk-in contacts. They parse input; the rules live in
cases/services/group_work.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Area, AreaKind
from meerwaarde.form_guards import text_field

from .choices import ContactTopic, Partner
from .forms import date_field
from .hour_rules import NOTE_MAX_LENGTH
from .services.group_work import (
    MAX_PARTICIPANTS,
    MAX_VOLUNTEERS,
    active_locations,
    group_work_products,
)


def required_date_field(label, message, *, planned: bool = False) -> forms.DateField:
    field = date_field(label, window=True, planned=planned)
    field.error_messages["required"] = message
    return field


def count_field(label, *, maximum: int, required: bool = True, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=maximum,
        required=required,
        error_messages={
            "required": _("Vul een aantal in (0 als er niemand was)."),
            "invalid": _("Vul een heel getal in, bijvoorbeeld 12."),
            "min_value": _("Een aantal is 0 of meer."),
            "max_value": _("Een aantal is hooguit %(limit_value)s."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


class GroupActivityForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=group_work_products(),
        error_messages={
            "required": _("Kies een product."),
            "invalid_choice": _("Kies een product uit de lijst."),
        },
        help_text=_("Producten die per groep, cursus, activiteit of bijeenkomst werken."),
    )
    name = forms.CharField(
        label=_("Naam van de activiteit"),
        max_length=150,
        error_messages={"required": _("Geef de activiteit een naam.")},
        help_text=_("Bijvoorbeeld: Koffieochtend Pax, Participatiecursus voorjaar."),
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=None,
        error_messages={
            "required": _("Kies een team."),
            "invalid_choice": _("Kies een van je eigen teams."),
        },
    )
    location = forms.ModelChoiceField(
        label=_("Locatie"),
        queryset=active_locations(),
        required=False,
        error_messages={"invalid_choice": _("Kies een locatie uit de lijst.")},
    )
    kern = forms.ModelChoiceField(
        label=_("Kern"),
        queryset=Area.objects.filter(kind=AreaKind.KERN, is_active=True).order_by("name"),
        required=False,
        help_text=_("Leeg: de kern van de locatie."),
        error_messages={"invalid_choice": _("Kies een kern uit de lijst.")},
    )
    start_date = required_date_field(_("Startdatum"), _("Vul de startdatum in."), planned=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = user.teams.filter(is_active=True).order_by("name")
        self.fields["team"].queryset = teams
        if not self.is_bound:
            self.initial.setdefault("team", teams.first())
            self.initial.setdefault("start_date", timezone.localdate())


class GroupSessionForm(forms.Form):
    date = required_date_field(_("Datum"), _("Vul de datum van de bijeenkomst in."))
    participants = count_field(_("Aantal deelnemers"), maximum=MAX_PARTICIPANTS)
    new_participants = count_field(
        _("Waarvan nieuw"), maximum=MAX_PARTICIPANTS, required=False, initial=0
    )
    volunteers = count_field(
        _("Aantal vrijwilligers"), maximum=MAX_VOLUNTEERS, required=False, initial=0
    )
    note = text_field(_("Toelichting"), max_length=NOTE_MAX_LENGTH, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())

    def clean_new_participants(self) -> int:
        return self.cleaned_data.get("new_participants") or 0

    def clean_volunteers(self) -> int:
        return self.cleaned_data.get("volunteers") or 0


class AnonymousContactForm(forms.Form):
    """Deliberately no name, birth date, address or free text: a walk-in contact is
    anonymous, and a free-text field would invite personal data."""

    date = required_date_field(_("Datum"), _("Vul de datum in."))
    location = forms.ModelChoiceField(
        label=_("Locatie"),
        queryset=active_locations(),
        error_messages={
            "required": _("Kies de locatie."),
            "invalid_choice": _("Kies een locatie uit de lijst."),
        },
    )
    topic = forms.ChoiceField(
        label=_("Onderwerp"),
        choices=[("", "—"), *ContactTopic.choices],
        error_messages={
            "required": _("Kies een onderwerp."),
            "invalid_choice": _("Kies een onderwerp uit de lijst."),
        },
    )
    referred_on = forms.TypedChoiceField(
        label=_("Doorverwezen?"),
        choices=[("nee", _("Nee")), ("ja", _("Ja"))],
        coerce=lambda value: value == "ja",
        initial="nee",
        widget=forms.RadioSelect,
    )
    referred_to = forms.ChoiceField(
        label=_("Doorverwezen naar"),
        choices=[("", "—"), *Partner.choices],
        required=False,
        help_text=_("Alleen invullen bij een doorverwijzing."),
        error_messages={"invalid_choice": _("Kies een partner uit de lijst.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
