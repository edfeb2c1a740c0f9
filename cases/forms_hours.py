"""The hour registration form, used on the week page, the edit page and the case page."""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

from catalogue.forms import DATE_INPUT_FORMATS
from catalogue.models import Product
from meerwaarde.dates import RegistrationDateInput
from meerwaarde.form_guards import HiddenFieldsGuard, text_field

from .choices import OPEN_STATUSES, HourKind
from .hour_rules import HOURS_INVALID, HOURS_MISSING, NOTE_MAX_LENGTH, format_hours, parse_hours
from .models import Case, HourRegistration
from .selectors import cases_visible_to


class HoursField(forms.Field):
    """Reads hours with `parse_hours` ("1,5" and "1.5" alike) and shows them with
    `format_hours`; whether the amount may be booked is the service's rule."""

    widget = forms.TextInput(
        attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": "bijv. 1,5"}
    )
    default_error_messages = {"required": HOURS_MISSING, "invalid": HOURS_INVALID}

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_hours(value)
        return value

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        return parse_hours(value)


def case_label(case: Case) -> str:
    return f"{case.client.full_name} · {case.product.name} ({case.get_status_display()})"


class HourRegistrationForm(HiddenFieldsGuard, forms.Form):
    """Parses the input; the rules (quarters, 24 hours a day, closed periods, …) live in
    `cases.hour_rules` and are applied by `cases.services.hours`, whose errors the view puts
    back on these fields.

    The selects show active products and the user's open cases (plus what the
    registration already has); they accept any product and any case the user can see, so
    the service can say precisely why a choice is not allowed."""

    date = forms.DateField(
        label=_("Datum"),
        input_formats=DATE_INPUT_FORMATS,
        widget=RegistrationDateInput(),
        error_messages={
            "required": _("Vul de datum in."),
            "invalid": _("Vul een bestaande datum in, bijvoorbeeld 17-11-2025."),
        },
    )
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.none(),
        error_messages={
            "required": _("Kies een product."),
            "invalid_choice": _("Kies een product uit de lijst."),
        },
    )
    case = forms.ModelChoiceField(
        label=_("Traject"),
        required=False,
        queryset=Case.objects.none(),
        help_text=_("Optioneel: uren voor een cliënt. Het traject moet bij het product horen."),
        error_messages={"invalid_choice": _("Kies een traject uit de lijst.")},
    )
    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=HourKind.choices,
        initial=HourKind.DIRECT,
        error_messages={
            "required": _("Kies een soort uren."),
            "invalid_choice": _("Kies een soort uren uit de lijst."),
        },
    )
    hours = HoursField(
        label=_("Uren"), help_text=_("In kwartieren, bijvoorbeeld 1,5 of 0,25 (een kwartier).")
    )
    note = text_field(_("Toelichting"), max_length=NOTE_MAX_LENGTH, required=False)

    def __init__(
        self,
        *args,
        user,
        registration: HourRegistration | None = None,
        case: Case | None = None,
        **kwargs,
    ):
        if registration is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "date": registration.date,
                "product": registration.product_id,
                "case": registration.case_id,
                "kind": registration.kind,
                "hours": registration.hours,
                "note": registration.note,
            }
        super().__init__(*args, **kwargs)
        if registration is None and "date" not in self.initial:
            self.fields["date"].initial = timezone.localdate()
        current_product = registration.product_id if registration else None
        current_case = registration.case_id if registration else (case.pk if case else None)
        if case is not None:
            self.fields["case"].initial = case.pk
            self.fields["product"].initial = case.product_id

        self.fields["product"].queryset = Product.objects.order_by("name")
        shown_products = (
            Product.objects.filter(Q(is_active=True) | Q(pk=current_product))
            .order_by("name")
            .only("name")
        )
        # Evaluated when rendered, so a form that is only validated costs no extra query.
        self.fields["product"].widget.choices = CallableChoiceIterator(
            lambda: [("", _("Kies een product")), *((p.pk, p.name) for p in shown_products)]
        )

        visible = cases_visible_to(user)
        if current_case is not None:
            visible = visible | Case.objects.filter(pk=current_case)
        self.fields["case"].queryset = visible.select_related("client", "product")
        shown_cases = (
            visible.filter(Q(status__in=OPEN_STATUSES) | Q(pk=current_case))
            .select_related("client", "product")
            .order_by("client__last_name", "client__first_name", "pk")
        )
        self.fields["case"].widget.choices = CallableChoiceIterator(
            lambda: [("", _("Geen traject")), *((c.pk, case_label(c)) for c in shown_cases)]
        )

    def hide_case_and_product(self) -> None:
        """On a case page the case (and so the product) is given."""
        self.fields["case"].widget = forms.HiddenInput()
        self.fields["product"].widget = forms.HiddenInput()

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "hours": data["hours"],
            "product": data["product"],
            "kind": data["kind"],
            "case": data.get("case"),
            "note": data.get("note") or "",
        }


def hour_form_for_case(user, case: Case) -> HourRegistrationForm:
    """The form for the case page: date (today), kind, hours and note to fill in; the case
    and its product go along as hidden fields. Post it to `hours:add`."""
    form = HourRegistrationForm(user=user, case=case)
    form.hide_case_and_product()
    return form
