import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meerwaarde.accounts.models import Role, User
from meerwaarde.form_guards import MODEL_CHOICE_ERRORS, too_long_message
from meerwaarde.text_limits import REPORT_LENGTH

from .eligibility import Person
from .entries import entries_to_text, text_to_entries
from .models import Cluster, Product
from .services import check_budgets_follow_norm

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Zoeken"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("bijv. eenzaamheid, opvoeden, taal")}
        ),
    )
    cluster = forms.ChoiceField(
        label=_("Cluster"), required=False, choices=[("", _("Alle clusters")), *Cluster.choices]
    )
    leeftijd = forms.IntegerField(
        label=_("Leeftijd van de persoon"),
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": _("Vul een leeftijd in hele jaren in."),
            "min_value": _("Een leeftijd is 0 jaar of meer."),
            "max_value": _("Vul een leeftijd tot en met 120 jaar in."),
        },
    )
    vrijwilligers = forms.ChoiceField(
        label=_("Werkt met vrijwilligers"),
        required=False,
        choices=[("", _("Maakt niet uit")), ("ja", _("Ja")), ("nee", _("Nee"))],
    )

    def filters(self) -> dict:
        data = self.cleaned_data
        volunteers = {"ja": True, "nee": False}.get(data.get("vrijwilligers") or "")
        return {
            "query": data.get("q") or "",
            "cluster": data.get("cluster") or "",
            "age": data.get("leeftijd"),
            "works_with_volunteers": volunteers,
        }


class EligibilityForm(forms.Form):
    LIVES_CHOICES = [
        ("", _("Nog niet bekend")),
        ("ja", _("In Haarlemmermeer")),
        ("nee", _("Buiten Haarlemmermeer")),
    ]

    geboortedatum = forms.DateField(
        label=_("Geboortedatum"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul de geboortedatum in."),
            "invalid": _("Vul een bestaande datum in, bijvoorbeeld 14-03-1958."),
        },
    )
    woonplaats = forms.ChoiceField(label=_("Woonplaats"), required=False, choices=LIVES_CHOICES)
    kinderen = forms.CharField(
        label=_("Leeftijden van de kinderen in het gezin"),
        required=False,
        max_length=100,
        help_text=_(
            "Bijvoorbeeld: 2, 5, 11. Leeg laten als dit niet bekend is; "
            "'geen' als er geen kinderen zijn."
        ),
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or datetime.date.today()

    def clean_geboortedatum(self) -> datetime.date:
        birth_date = self.cleaned_data["geboortedatum"]
        if birth_date > self.today:
            raise forms.ValidationError(_("De geboortedatum ligt in de toekomst."))
        if birth_date.year < self.today.year - 120:
            raise forms.ValidationError(_("Vul een geboortedatum in de afgelopen 120 jaar in."))
        return birth_date

    def clean_kinderen(self) -> tuple[int, ...] | None:
        text = (self.cleaned_data.get("kinderen") or "").strip().lower()
        if not text:
            return None
        if text == "geen":
            return ()
        parts = [part for part in re.split(r"[,;\s]+", text) if part]
        # ASCII digits only: "²".isdigit() is true, but int("²") fails.
        if not all(re.fullmatch(r"[0-9]{1,3}", part) for part in parts):
            raise forms.ValidationError(
                _("Vul leeftijden in hele jaren in, gescheiden door komma's (bijv. 2, 5, 11).")
            )
        ages = tuple(int(part) for part in parts)
        if any(age > 30 for age in ages):
            raise forms.ValidationError(_("Een kind in het gezin is hooguit 30 jaar."))
        return ages

    def person(self) -> Person:
        lives = {"ja": True, "nee": False}.get(self.cleaned_data.get("woonplaats") or "")
        return Person(
            birth_date=self.cleaned_data["geboortedatum"],
            lives_in_haarlemmermeer=lives,
            children_ages=self.cleaned_data.get("kinderen"),
        )


class ListAsTextField(forms.CharField):
    """A list edited as text. The text is limited before it becomes a list (the length
    validator of a CharField would count the list's items instead)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *, max_length: int = REPORT_LENGTH, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def text(self, value) -> str:
        text = super().to_python(value) or ""
        message = too_long_message(text, self.max_length)
        if message:
            raise forms.ValidationError(message, code="max_length")
        return text


class EntryListField(ListAsTextField):
    """Edits a list of entries as text: one per line, sub-items on lines starting with '- '."""

    widget = forms.Textarea(attrs={"rows": 8})

    def prepare_value(self, value):
        if isinstance(value, list):
            return entries_to_text(value)
        return value

    def to_python(self, value):
        return text_to_entries(self.text(value))


class LineListField(ListAsTextField):
    """Edits a list of strings as text, one per line."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        return [line.strip() for line in self.text(value).splitlines() if line.strip()]


class ProductAdminForm(forms.ModelForm):
    effects_micro = EntryListField(label=_("Maatschappelijk effect microniveau"), required=False)
    effects_macro = EntryListField(label=_("Maatschappelijk effect macroniveau"), required=False)
    criteria = EntryListField(label=_("Criteria om deel te nemen"), required=False)
    method = EntryListField(
        label=_("Werkwijze/methodiek"),
        required=False,
        help_text=_("Eén punt per regel; een deelstap op een eigen regel die begint met '- '."),
    )
    judgement_criteria = LineListField(
        label=_("Criteria ter beoordeling (checklist bij de intake)"), required=False
    )
    keywords = LineListField(label=_("Zoekwoorden"), required=False)

    class Meta:
        model = Product
        fields = [
            "name",
            "slug",
            "cluster",
            "position",
            "is_active",
            "keywords",
            "goal",
            "target_group",
            "effects_micro",
            "effects_macro",
            "criteria",
            "method",
            "hour_budget_text",
            "norm_hours",
            "norm_unit",
            "participants_per_unit",
            "coordination_hours",
            "min_age",
            "max_age",
            "turns_age_this_year",
            "requires_living_in_haarlemmermeer",
            "child_under_age",
            "judgement_criteria",
            "works_with_volunteers",
            "volunteer_matching",
            "coordinators",
        ]

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                check_budgets_follow_norm(self.instance)
            except ValidationError as error:
                self._update_errors(error)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("coordinators")
        if field is not None:
            # Only coordinators coordinate; ones already linked stay choosable.
            current = Q(pk__in=self.instance.coordinators.values("pk")) if self.instance.pk else Q()
            field.queryset = User.objects.filter(
                Q(role=Role.COORDINATOR, is_active=True) | current
            ).order_by("first_name", "last_name", "username")
            field.error_messages.update(MODEL_CHOICE_ERRORS)
