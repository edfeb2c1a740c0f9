import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.forms import DATE_INPUT_FORMATS
from catalogue.models import Area, AreaKind, Product
from meerwaarde.accounts.models import Role, Team, User
from meerwaarde.dates import RegistrationDateInput
from meerwaarde.form_guards import HiddenFieldsGuard, hidden_field_errors

from .choices import (
    INSTRUMENTS,
    CaseStatus,
    ConsentPurpose,
    ContactKind,
    Gender,
    GoalReached,
    Instrument,
    LifeDomain,
    Partner,
    ReferralSource,
    ScoreMoment,
)
from .models import Client, postcode_validator
from .selectors import clients_visible_to


def date_field(label, *, window: bool = False, planned: bool = False, **kwargs) -> forms.DateField:
    """`window`: a registration date, drawn with the registration date window (a `planned`
    date only with its lower bound); the service checks it."""
    widget = (
        RegistrationDateInput(planned=planned)
        if window or planned
        else forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        widget=widget,
        error_messages={"invalid": _("Vul een bestaande datum in, bijvoorbeeld 14-03-1958.")},
        **kwargs,
    )


class FreeTextMultipleChoiceField(forms.MultipleChoiceField):
    """Checkboxes whose values are the criteria texts; the service checks completeness."""

    def valid_value(self, value) -> bool:
        return isinstance(value, str) and 0 < len(value) <= 1000


class ClientFieldsMixin(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=100, required=False)
    last_name_prefix = forms.CharField(label=_("Tussenvoegsel"), max_length=20, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=100, required=False)
    birth_date = date_field(_("Geboortedatum"), required=False)
    gender = forms.ChoiceField(
        label=_("Geslacht"), choices=[("", _("Niet vastgelegd")), *Gender.choices], required=False
    )
    postcode = forms.CharField(
        label=_("Postcode"), max_length=7, required=False, validators=[postcode_validator]
    )
    house_number = forms.IntegerField(
        label=_("Huisnummer"),
        required=False,
        min_value=1,
        max_value=99999,
        error_messages={
            "invalid": _("Een huisnummer is een getal; een toevoeging apart invullen.")
        },
    )
    house_number_addition = forms.CharField(label=_("Toevoeging"), max_length=10, required=False)
    street = forms.CharField(label=_("Straat"), max_length=150, required=False)
    city = forms.CharField(label=_("Woonplaats"), max_length=100, required=False)
    lives_in_haarlemmermeer = forms.BooleanField(
        label=_("Woont in Haarlemmermeer"), required=False, initial=True
    )
    kern = forms.ModelChoiceField(
        label=_("Kern"),
        queryset=Area.objects.filter(kind=AreaKind.KERN, is_active=True).order_by("name"),
        required=False,
        help_text=_("Leeg: wordt zo mogelijk afgeleid uit de postcode."),
    )
    wijk = forms.ModelChoiceField(
        label=_("Wijk"),
        queryset=Area.objects.filter(kind=AreaKind.WIJK, is_active=True)
        .select_related("parent")
        .order_by("parent__name", "name"),
        required=False,
    )
    phone = forms.CharField(label=_("Telefoon"), max_length=30, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        error_messages={"invalid": _("Vul een geldig e-mailadres in.")},
    )
    language_needs = forms.CharField(label=_("Taal en tolk"), max_length=200, required=False)

    client_required = ("first_name", "last_name", "birth_date")

    def clean_birth_date(self):
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date and birth_date > datetime.date.today():
            raise forms.ValidationError(_("De geboortedatum ligt in de toekomst."))
        if birth_date and birth_date.year < datetime.date.today().year - 120:
            raise forms.ValidationError(_("Vul een geboortedatum in de afgelopen 120 jaar in."))
        return birth_date

    def require_client_fields(self) -> None:
        messages = {
            "first_name": _("Vul de voornaam in."),
            "last_name": _("Vul de achternaam in."),
            "birth_date": _("Vul de geboortedatum in."),
        }
        for name in self.client_required:
            if not self.cleaned_data.get(name) and name not in self.errors:
                self.add_error(name, messages[name])

    def client_data(self) -> dict:
        fields = [
            "first_name",
            "last_name_prefix",
            "last_name",
            "birth_date",
            "gender",
            "postcode",
            "house_number",
            "house_number_addition",
            "street",
            "city",
            "lives_in_haarlemmermeer",
            "kern",
            "wijk",
            "phone",
            "email",
            "language_needs",
        ]
        return {name: self.cleaned_data.get(name) for name in fields}


class IntakeForm(ClientFieldsMixin):
    existing_client = forms.ModelChoiceField(
        label=_("Bestaande cliënt"),
        queryset=Client.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Deze cliënt is niet gevonden.")},
    )
    confirm_new_client = forms.BooleanField(
        label=_("Het is niet dezelfde persoon: toch een nieuwe cliënt aanmaken"), required=False
    )
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.filter(is_active=True),
        error_messages={"required": _("Kies een product.")},
    )
    confirmed_criteria = FreeTextMultipleChoiceField(
        label=_("Criteria bevestigd"), required=False, widget=forms.CheckboxSelectMultiple
    )
    referral_source = forms.ChoiceField(
        label=_("Verwijzer"),
        choices=[("", "—"), *ReferralSource.choices],
        error_messages={"required": _("Kies een verwijzer.")},
    )
    referral_source_detail = forms.CharField(
        label=_("Toelichting verwijzer"), max_length=200, required=False
    )
    question = forms.CharField(
        label=_("Hulpvraag"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Beschrijf de hulpvraag.")},
    )
    life_domains = forms.MultipleChoiceField(
        label=_("Leefgebieden"),
        choices=LifeDomain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_caregiver = forms.BooleanField(label=_("Mantelzorger"), required=False)
    caregiver_overburdened = forms.BooleanField(label=_("(Zwaar) overbelast"), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    responsible_worker = forms.ModelChoiceField(
        label=_("Verantwoordelijk sociaal werker"), queryset=User.objects.none()
    )
    start_status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (CaseStatus.REGISTERED, _("Aangemeld (intake volgt)")),
            (CaseStatus.INTAKE, _("Intake gedaan of bezig")),
        ],
        initial=CaseStatus.REGISTERED,
    )
    registered_on = date_field(_("Aanmelddatum"), window=True, required=False)
    consent_registration = forms.BooleanField(
        label=_("De cliënt geeft toestemming om zijn of haar gegevens te registreren"),
        required=False,
    )
    consent_share_referrer = forms.BooleanField(
        label=_("… en voor terugkoppeling aan de verwijzer"), required=False
    )
    consent_share_partners = forms.BooleanField(
        label=_("… en om gegevens te delen met netwerkpartners bij een doorverwijzing"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["existing_client"].queryset = clients_visible_to(user)
        teams = user.teams.filter(is_active=True).order_by("name")
        self.fields["team"].queryset = teams
        self.fields["responsible_worker"].queryset = (
            User.objects.filter(is_active=True, role=Role.SOCIAL_WORKER, teams__in=teams)
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["responsible_worker"].label_from_instance = lambda u: u.display_name
        if not self.is_bound:
            self.initial.setdefault("team", teams.first())
            self.initial.setdefault("responsible_worker", user)
            self.initial.setdefault("registered_on", datetime.date.today())
            self.initial.setdefault("lives_in_haarlemmermeer", True)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("existing_client"):
            self.require_client_fields()
        if cleaned.get("caregiver_overburdened") and not cleaned.get("is_caregiver"):
            self.add_error(
                "caregiver_overburdened", _("Alleen een mantelzorger kan overbelast zijn.")
            )
        return cleaned

    def consents(self) -> dict[str, bool]:
        return {
            ConsentPurpose.REGISTRATION: self.cleaned_data.get("consent_registration", False),
            ConsentPurpose.SHARE_WITH_REFERRER: self.cleaned_data.get(
                "consent_share_referrer", False
            ),
            ConsentPurpose.SHARE_WITH_PARTNERS: self.cleaned_data.get(
                "consent_share_partners", False
            ),
        }


class ClientForm(HiddenFieldsGuard, ClientFieldsMixin):
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, error_messages=hidden_field_errors()
    )

    def clean(self):
        cleaned = super().clean()
        self.require_client_fields()
        return cleaned


class CaseVersionField(forms.IntegerField):
    """The case version the page showed (optimistic locking). Optional so that a caller
    without the page (an old tab, a script) is not refused; the pages always send it."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            min_value=0,
            widget=forms.HiddenInput,
            error_messages=hidden_field_errors(),
            **kwargs,
        )


class StatusChangeForm(HiddenFieldsGuard, forms.Form):
    to_status = forms.ChoiceField(choices=CaseStatus.choices)
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)
    version = CaseVersionField()


class ContactForm(forms.Form):
    date = date_field(_("Datum"), window=True)
    kind = forms.ChoiceField(label=_("Soort"), choices=ContactKind.choices)
    summary = forms.CharField(
        label=_("Verslag"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        error_messages={"required": _("Schrijf een kort verslag.")},
    )


class ReferralForm(forms.Form):
    partner = forms.ChoiceField(label=_("Partner"), choices=[("", "—"), *Partner.choices])
    partner_detail = forms.CharField(label=_("Toelichting partner"), max_length=200, required=False)
    date = date_field(_("Datum"), window=True)
    data_shared = forms.BooleanField(
        label=_("Gegevens gedeeld met de partner (alleen met toestemming)"), required=False
    )
    note = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )


class CloseCaseForm(HiddenFieldsGuard, forms.Form):
    version = CaseVersionField()
    goal_reached = forms.ChoiceField(
        label=_("Doel bereikt"),
        choices=GoalReached.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Geef aan of het doel is bereikt.")},
    )
    can_continue_independently = forms.TypedChoiceField(
        label=_("Kan zelfstandig verder"),
        choices=[("ja", _("Ja")), ("nee", _("Nee"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Geef aan of de cliënt zelfstandig verder kan.")},
    )
    referred_to = forms.ChoiceField(
        label=_("Doorverwezen naar"),
        choices=[("", _("Niet doorverwezen")), *Partner.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    instrument = forms.ChoiceField(
        label=_("Voor- en nameting (optioneel)"),
        choices=[("", _("Geen meting")), *Instrument.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.score_rows = []
        for instrument, spec in INSTRUMENTS.items():
            for domain in spec["domains"]:
                row = {"instrument": instrument, "domain": domain, "fields": []}
                for moment in ScoreMoment:
                    name = f"score_{instrument}_{moment}_{domain}"
                    self.fields[name] = forms.IntegerField(
                        label=f"{domain.label} ({moment.label.lower()})",
                        required=False,
                        min_value=spec["min"],
                        max_value=spec["max"],
                        error_messages={
                            "min_value": _("Score van %(min)s tot en met %(max)s.")
                            % {"min": spec["min"], "max": spec["max"]},
                            "max_value": _("Score van %(min)s tot en met %(max)s.")
                            % {"min": spec["min"], "max": spec["max"]},
                            "invalid": _("Vul een heel getal in."),
                        },
                    )
                    row["fields"].append(name)
                self.score_rows.append(row)

    def score_tables(self):
        """[(instrument label, [(domain label, before field, after field), …]), …]"""
        tables = []
        for instrument in INSTRUMENTS:
            rows = [
                (row["domain"].label, self[row["fields"][0]], self[row["fields"][1]])
                for row in self.score_rows
                if row["instrument"] == instrument
            ]
            tables.append((Instrument(instrument).label, INSTRUMENTS[instrument], rows))
        return tables

    def scores(self):
        from .services.case_flow import Score

        instrument = self.cleaned_data.get("instrument")
        if not instrument:
            return []
        result = []
        for row in self.score_rows:
            if row["instrument"] != instrument:
                continue
            for name, moment in zip(row["fields"], ScoreMoment, strict=True):
                value = self.cleaned_data.get(name)
                if value is not None:
                    result.append(Score(instrument, moment, row["domain"], value))
        return result

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("instrument") and not self.errors and not self.scores():
            self.add_error("instrument", _("Vul ten minste één score in, of kies 'Geen meting'."))
        return cleaned
