"""Forms of the volunteer registry. They parse input; the services decide what is valid."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.forms_hours import HoursField
from cases.hour_rules import NOTE_MAX_LENGTH, format_hours
from cases.models import GroupActivity
from cases.rules import coordinated_product_ids
from catalogue.models import Product
from meerwaarde.dates import RegistrationDateInput
from meerwaarde.form_guards import (
    MODEL_CHOICE_ERRORS,
    HiddenFieldsGuard,
    hidden_field_errors,
    text_field,
)
from meerwaarde.text_limits import SHORT_TEXT_LENGTH

from .models import DayPart, Match, TrainingType, Volunteer, VolunteerStatus, Weekday
from .services.registry import MAX_MATCHES_LIMIT, coordinator_products, kern_choices
from .services.volunteer_hours import activity_choices

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"]
DATE_ERRORS = {"invalid": _("Vul een bestaande datum in, bijvoorbeeld 14-03-1975.")}
WITHOUT_MATCH = "zonder-koppeling"


def date_field(label, *, required=False, window: bool = False, **kwargs) -> forms.DateField:
    """`window`: a registration date, drawn with the registration date window."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=(
            RegistrationDateInput()
            if window
            else forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        ),
        error_messages=DATE_ERRORS,
        **kwargs,
    )


def slot_value(weekday: int, day_part: str) -> str:
    return f"{weekday}-{day_part}"


SLOT_CHOICES = [
    (slot_value(day, part), f"{day_label} {part_label}")
    for day, day_label in Weekday.choices
    for part, part_label in DayPart.choices
]


class RegistryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Naam"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Alle statussen")),
            *VolunteerStatus.choices,
            (WITHOUT_MATCH, _("Actief, zonder koppeling")),
        ],
    )
    product = forms.ModelChoiceField(
        label=_("Product"),
        required=False,
        queryset=Product.objects.none(),
        empty_label=_("Alle producten"),
        error_messages={"invalid_choice": _("Kies een product uit de lijst.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = coordinator_products(user)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        status = data.get("status") or ""
        return {
            "name": data.get("q") or "",
            "status": "" if status == WITHOUT_MATCH else status,
            "without_match": status == WITHOUT_MATCH,
            "product": data.get("product"),
        }


class VolunteerForm(HiddenFieldsGuard, forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=100)
    last_name_prefix = forms.CharField(label=_("Tussenvoegsel"), max_length=20, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=100)
    birth_date = date_field(_("Geboortedatum"))
    phone = forms.CharField(
        label=_("Telefoon"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    # Checked by the service, which gives the Dutch message.
    email = forms.CharField(
        label=_("E-mail"), max_length=254, required=False, widget=forms.EmailInput
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    kern = forms.ModelChoiceField(
        label=_("Woont in kern"),
        required=False,
        queryset=kern_choices(),
        empty_label=_("Onbekend"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=VolunteerStatus.choices)
    products = forms.ModelMultipleChoiceField(
        label=_("Werkt voor"),
        required=False,
        queryset=Product.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen producten die u zelf coördineert."),
        error_messages=MODEL_CHOICE_ERRORS,
    )
    kernen_served = forms.ModelMultipleChoiceField(
        label=_("Kernen waar hij/zij wil werken"),
        required=False,
        queryset=kern_choices(),
        widget=forms.CheckboxSelectMultiple,
        error_messages=MODEL_CHOICE_ERRORS,
    )
    max_matches = forms.IntegerField(
        label=_("Maximaal aantal koppelingen tegelijk"),
        initial=1,
        error_messages={"invalid": _("Vul een heel getal in.")},
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_MATCHES_LIMIT}),
    )
    languages = forms.CharField(
        label=_("Talen"),
        required=False,
        max_length=300,
        help_text=_("Gescheiden door komma's, bijvoorbeeld: Nederlands, Arabisch, Engels."),
    )
    skills = text_field(
        _("Wat kan hij/zij"), required=False, max_length=SHORT_TEXT_LENGTH, textarea_rows=3
    )
    wishes = text_field(
        _("Wat wil hij/zij en waar wordt hij/zij blij van"),
        required=False,
        max_length=SHORT_TEXT_LENGTH,
        textarea_rows=3,
    )
    vog_date = date_field(_("Datum VOG"))
    availability = forms.MultipleChoiceField(
        label=_("Beschikbaar"),
        required=False,
        choices=SLOT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies dagdelen uit het rooster.")},
    )
    version = forms.IntegerField(
        required=False, min_value=0, widget=forms.HiddenInput, error_messages=hidden_field_errors()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = coordinator_products(user)

    @classmethod
    def initial_for(cls, volunteer: Volunteer) -> dict:
        return {
            "first_name": volunteer.first_name,
            "last_name_prefix": volunteer.last_name_prefix,
            "last_name": volunteer.last_name,
            "birth_date": volunteer.birth_date,
            "phone": volunteer.phone,
            "email": volunteer.email,
            "postcode": volunteer.postcode,
            "kern": volunteer.kern_id,
            "status": volunteer.status,
            "products": [p.pk for p in volunteer.products.all()],
            "kernen_served": [a.pk for a in volunteer.kernen_served.all()],
            "max_matches": volunteer.max_matches,
            "languages": ", ".join(volunteer.languages or []),
            "skills": volunteer.skills,
            "wishes": volunteer.wishes,
            "vog_date": volunteer.vog_date,
            "availability": [
                slot_value(slot.weekday, slot.day_part) for slot in volunteer.availability.all()
            ],
            "version": volunteer.version,
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for key in ("availability", "version"):
            data.pop(key, None)
        return data

    def slots(self) -> set[tuple[int, str]]:
        result = set()
        for value in self.cleaned_data.get("availability") or []:
            weekday, day_part = value.split("-", 1)
            result.add((int(weekday), day_part))
        return result

    def availability_grid(self) -> list[dict]:
        """Rows per weekday with one checkbox per day part, for the table in the template."""
        selected = set(self["availability"].value() or [])
        rows = []
        for day, day_label in Weekday.choices:
            cells = []
            for part, part_label in DayPart.choices:
                value = slot_value(day, part)
                cells.append(
                    {
                        "value": value,
                        "id": f"id_availability_{day}_{part}",
                        "label": f"{day_label} {part_label}",
                        "checked": value in selected,
                    }
                )
            rows.append({"label": day_label, "cells": cells})
        return rows

    @staticmethod
    def day_parts():
        return [label for _value, label in DayPart.choices]


class TrainingForm(forms.Form):
    training = forms.ModelChoiceField(
        label=_("Training"),
        queryset=TrainingType.objects.all(),
        error_messages={
            "required": _("Kies een training."),
            "invalid_choice": _("Kies een training uit de lijst."),
        },
    )
    completed_on = date_field(_("Afgerond op"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].error_messages["required"] = _(
            "Vul de datum in waarop de training is afgerond."
        )


class VolunteerHoursForm(forms.Form):
    """Registering or correcting a volunteer's hours. The choices are the coordinator's own
    products among the volunteer's, the volunteer's matches on them and their active
    group activities; the service checks that match and activity fit the product."""

    date = date_field(_("Datum"), required=True, window=True)
    hours = HoursField(label=_("Uren"), help_text=_("In kwartieren, bijvoorbeeld 1,5 of 0,75."))
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.none(),
        error_messages={
            "required": _("Kies een product."),
            "invalid_choice": _("Kies een product uit de lijst."),
        },
    )
    match = forms.ModelChoiceField(
        label=_("Koppeling"),
        required=False,
        queryset=Match.objects.none(),
        empty_label=_("Geen koppeling"),
        error_messages={"invalid_choice": _("Kies een koppeling uit de lijst.")},
    )
    activity = forms.ModelChoiceField(
        label=_("Groepsactiviteit"),
        required=False,
        queryset=GroupActivity.objects.none(),
        empty_label=_("Geen groepsactiviteit"),
        help_text=_("Kies een koppeling óf een groepsactiviteit, of geen van beide."),
        error_messages={"invalid_choice": _("Kies een groepsactiviteit uit de lijst.")},
    )
    note = text_field(_("Toelichting"), max_length=NOTE_MAX_LENGTH, required=False)

    def __init__(self, *args, volunteer: Volunteer, user, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        own = coordinated_product_ids(user)
        self.fields["date"].error_messages["required"] = _("Vul de datum in.")
        products = Q(pk__in=volunteer.products.values("pk"))
        if current is not None:
            # Correcting older hours keeps their product, even if the volunteer left it.
            products |= Q(pk=current.product_id)
        self.fields["product"].queryset = (
            Product.objects.filter(products).filter(pk__in=own).order_by("name")
        )
        self.fields["match"].queryset = volunteer.matches.filter(
            case__product__in=own
        ).select_related("case__product")
        self.fields["match"].label_from_instance = lambda match: (
            f"{match.case.product.name} – {match.get_role_display()} ({match.get_status_display()})"
        )
        self.fields["activity"].queryset = activity_choices(volunteer, current=current).filter(
            product__in=own
        )
        self.fields["activity"].label_from_instance = lambda activity: (
            f"{activity.product.name} – {activity.name}"
        )

    @staticmethod
    def initial_for(registration) -> dict:
        return {
            "date": registration.date,
            "hours": format_hours(registration.hours),
            "product": registration.product_id,
            "match": registration.match_id,
            "activity": registration.activity_id,
            "note": registration.note,
        }

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "hours": data["hours"],
            "product": data["product"],
            "match": data.get("match"),
            "activity": data.get("activity"),
            "note": data.get("note") or "",
        }
