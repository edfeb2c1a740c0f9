"""Issue 13, point 3: a choice of an object never tells the user about an object they may
not see. Every model choice field of the project's forms is listed in `SCOPES` with an
object outside the acting user's scope; the test walks the forms, so a new form with a
model choice fails here until it is scoped and listed.

For each field the form is bound with the outsider's id and must answer with the field's
generic message (which names nothing), and neither that message nor the rendered form may
show the outsider (so its name is not among the options either)."""

import datetime
import importlib
from collections.abc import Callable
from pathlib import Path

import pytest
from django import forms
from django.http import QueryDict

from cases.models import GroupActivity
from catalogue.models import Area, AreaKind, Location
from meerwaarde.accounts.models import Role
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TeamFactory
from tests.volunteers_factories import MatchFactory, TrainingTypeFactory, VolunteerFactory

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = ["catalogue", "cases", "volunteers", "reporting", "meerwaarde"]
MODEL_CHOICE_FIELDS = (forms.ModelChoiceField, forms.ModelMultipleChoiceField)
MISSING_ID = 987654


def project_forms() -> list[type[forms.BaseForm]]:
    for app in APPS:
        for path in sorted((ROOT / app).rglob("forms*.py")):
            importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in APPS:
                found.append(sub)
    return found


def model_choice_fields() -> set[str]:
    """`module.Form.field` for every model choice field, named after the form that declares
    it (a subclass that inherits it unchanged is covered by its parent's entry)."""
    names = set()
    for cls in project_forms():
        parents = [base for base in cls.__mro__[1:] if hasattr(base, "base_fields")]
        for name, field in cls.base_fields.items():
            inherited = any(parent.base_fields.get(name) is field for parent in parents)
            if isinstance(field, MODEL_CHOICE_FIELDS) and not inherited:
                names.add(f"{cls.__module__}.{cls.__name__}.{name}")
    return names


class Outsiders:
    """Users and objects of one team and one coordinated product, and the outsiders."""

    def __init__(self, catalogue, make_user):
        self.catalogue = catalogue
        self.home_start = catalogue["home-start-en-home-start-plus"]
        self.other_product = catalogue["maatjesprojecten"]
        self.team = TeamFactory(name="Team Keuzes")
        self.other_team = TeamFactory(name="Team Vreemdeland")
        self.worker = make_user(role=Role.SOCIAL_WORKER, teams=[self.team])
        self.other_worker = make_user(
            role=Role.SOCIAL_WORKER,
            teams=[self.other_team],
            username="vreemde-werker",
            first_name="Wendelmoet",
            last_name="Buitenkamp",
        )
        self.coordinator = make_user(role=Role.COORDINATOR, teams=[self.team])
        self.home_start.coordinators.add(self.coordinator)
        self.other_client = ClientFactory(
            team=self.other_team, first_name="Rosalinde", last_name="Verborgen"
        )
        self.other_case = CaseFactory(
            client=self.other_client,
            product=self.other_product,
            team=self.other_team,
            responsible_worker=self.other_worker,
        )
        self.volunteer = VolunteerFactory(products=[self.home_start, self.other_product])
        self.other_volunteer = VolunteerFactory(
            products=[self.other_product], first_name="Geertruida", last_name="Onzichtbaar"
        )
        self.gone_kern = Area.objects.create(
            kind=AreaKind.KERN, name="Verdwenendorp", is_active=False
        )
        self.some_kern = Area.objects.create(kind=AreaKind.KERN, name="Keuzedorp")
        self.gone_wijk = Area.objects.create(
            kind=AreaKind.WIJK, name="Verdwenenwijk", parent=self.some_kern, is_active=False
        )
        self.gone_location = Location.objects.create(
            name="Gesloten PlusPunt", kind="pluspunt", area=self.some_kern, is_active=False
        )


def _intake(o, data):
    from cases.forms import IntakeForm

    return IntakeForm(data, user=o.worker)


def _hours(o, data):
    from cases.forms_hours import HourRegistrationForm

    return HourRegistrationForm(data, user=o.worker)


def _group_activity(o, data):
    from cases.forms_group_work import GroupActivityForm

    return GroupActivityForm(data, user=o.worker)


def _anonymous_contact(o, data):
    from cases.forms_group_work import AnonymousContactForm

    return AnonymousContactForm(data)


def _propose(o, data):
    from volunteers.forms_matching import ProposeForm

    return ProposeForm(data, user=o.coordinator)


def _registry_filter(o, data):
    from volunteers.forms_registry import RegistryFilterForm

    return RegistryFilterForm(data, user=o.coordinator)


def _volunteer(o, data):
    from volunteers.forms_registry import VolunteerForm

    return VolunteerForm(data, user=o.coordinator)


def _training(o, data):
    from volunteers.forms_registry import TrainingForm

    return TrainingForm(data)


def _volunteer_hours(o, data):
    from volunteers.forms_registry import VolunteerHoursForm

    return VolunteerHoursForm(data, volunteer=o.volunteer, user=o.coordinator)


def _product_admin(o, data):
    from catalogue.forms import ProductAdminForm

    return ProductAdminForm(data, instance=o.home_start)


def _other_match(o):
    return MatchFactory(volunteer=o.volunteer, case=o.other_case)


def _other_activity(o):
    return GroupActivity.objects.create(
        product=o.other_product,
        name="Vreemde koffieochtend",
        team=o.other_team,
        start_date=datetime.date(2025, 1, 6),
        created_by=o.other_worker,
    )


def _inactive_product(o):
    product = o.catalogue["ouder-en-kind-inloop-oki"]
    product.is_active = False
    product.save(update_fields=["is_active"])
    return product


# field -> (form builder, the outsider: an object outside the user's scope, or None when
# the choices are reference data every user of the form may see — then an id that does
# not exist stands in).
Scope = tuple[Callable, Callable | None]
SCOPES: dict[str, Scope] = {
    # Reference data: active kernen and wijken.
    "cases.forms.ClientFieldsMixin.kern": (_intake, lambda o: o.gone_kern),
    "cases.forms.ClientFieldsMixin.wijk": (_intake, lambda o: o.gone_wijk),
    # Clients of the worker's teams; active products; the worker's teams and colleagues.
    "cases.forms.IntakeForm.existing_client": (_intake, lambda o: o.other_client),
    "cases.forms.IntakeForm.product": (_intake, _inactive_product),
    "cases.forms.IntakeForm.team": (_intake, lambda o: o.other_team),
    "cases.forms.IntakeForm.responsible_worker": (_intake, lambda o: o.other_worker),
    # Any product (the service explains an inactive one); the cases the worker may see.
    "cases.forms_hours.HourRegistrationForm.product": (_hours, None),
    "cases.forms_hours.HourRegistrationForm.case": (_hours, lambda o: o.other_case),
    # Group work products, the user's teams, active locations and kernen.
    "cases.forms_group_work.GroupActivityForm.product": (_group_activity, lambda o: o.home_start),
    "cases.forms_group_work.GroupActivityForm.team": (_group_activity, lambda o: o.other_team),
    "cases.forms_group_work.GroupActivityForm.location": (
        _group_activity,
        lambda o: o.gone_location,
    ),
    "cases.forms_group_work.GroupActivityForm.kern": (_group_activity, lambda o: o.gone_kern),
    "cases.forms_group_work.AnonymousContactForm.location": (
        _anonymous_contact,
        lambda o: o.gone_location,
    ),
    # The coordinator's volunteers and products.
    "volunteers.forms_matching.ProposeForm.volunteer": (_propose, lambda o: o.other_volunteer),
    "volunteers.forms_registry.RegistryFilterForm.product": (
        _registry_filter,
        lambda o: o.other_product,
    ),
    "volunteers.forms_registry.VolunteerForm.kern": (_volunteer, lambda o: o.gone_kern),
    "volunteers.forms_registry.VolunteerForm.products": (_volunteer, lambda o: o.other_product),
    "volunteers.forms_registry.VolunteerForm.kernen_served": (_volunteer, lambda o: o.gone_kern),
    "volunteers.forms_registry.TrainingForm.training": (_training, None),
    "volunteers.forms_registry.VolunteerHoursForm.product": (
        _volunteer_hours,
        lambda o: o.other_product,
    ),
    "volunteers.forms_registry.VolunteerHoursForm.match": (_volunteer_hours, _other_match),
    "volunteers.forms_registry.VolunteerHoursForm.activity": (_volunteer_hours, _other_activity),
    # Only coordinators coordinate a product.
    "catalogue.forms.ProductAdminForm.coordinators": (_product_admin, lambda o: o.other_worker),
}


def test_every_model_choice_field_is_scoped_and_listed():
    """A new form (or field) with a model choice must be added to SCOPES, with an object the
    user may not see — and so be scoped before this test passes."""
    assert model_choice_fields() == set(SCOPES)


def words_of(outsider) -> list[str]:
    words = [str(outsider)]
    for attribute in ("name", "first_name", "last_name", "full_name", "username"):
        value = getattr(outsider, attribute, "")
        if isinstance(value, str) and len(value) > 3:
            words.append(value)
    return words


@pytest.mark.parametrize("qualified_name", sorted(SCOPES))
def test_a_choice_outside_the_scope_gets_a_generic_answer(qualified_name, catalogue, make_user):
    TrainingTypeFactory()
    world = Outsiders(catalogue, make_user)
    build, outsider_of = SCOPES[qualified_name]
    name = qualified_name.rsplit(".", 1)[1]
    outsider = outsider_of(world) if outsider_of else None
    value = str(outsider.pk if outsider is not None else MISSING_ID)
    data = QueryDict(mutable=True)
    data[name] = value
    form = build(world, data)

    assert not form.is_valid()
    field = form.fields[name]
    expected = str(field.error_messages["invalid_choice"])
    shown = form.errors.get(name) or form.non_field_errors()
    assert expected in shown, shown
    assert "%(" not in expected and value not in expected
    if outsider is not None:
        page = str(form)
        for word in words_of(outsider):
            assert word not in " ".join(shown)
            assert word not in page, f"{word!r} is shown by {qualified_name}"
