"""Budgets follow a change of the product's norm, through catalogue.services (not save()):
the budgets of open years are recomputed, those of closed (past) years keep their hours."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from catalogue.models import HourBudget, HourUnit, Product
from catalogue.services import (
    load_catalogue,
    recompute_budgets_for_product,
    save_hour_budget,
    save_product,
)
from meerwaarde.accounts.models import Role
from tests.catalogue.test_admin import admin_form_data

pytestmark = pytest.mark.django_db

THIS_YEAR = datetime.date.today().year
MEDIATION = "buurt-en-groepsbemiddeling"  # 5,4 uur per melding


def budget(product, year, **figures) -> HourBudget:
    return save_hour_budget(budget=HourBudget(product=product, year=year, **figures))


@pytest.fixture
def mediation(catalogue):
    product = catalogue[MEDIATION]
    assert (product.norm_hours, product.norm_unit) == (Decimal("5.4"), HourUnit.PER_MELDING)
    return product


def inline_rows(*budgets: HourBudget) -> dict:
    data = {
        "budgets-TOTAL_FORMS": str(len(budgets)),
        "budgets-INITIAL_FORMS": str(len(budgets)),
    }
    for index, row in enumerate(budgets):
        prefix = f"budgets-{index}-"
        data |= {
            f"{prefix}id": str(row.pk),
            f"{prefix}year": str(row.year),
            f"{prefix}planned_units": str(row.planned_units or ""),
            f"{prefix}hours_per_unit": str(row.hours_per_unit or ""),
            f"{prefix}agreed_hours": str(row.agreed_hours or ""),
            f"{prefix}notes": row.notes,
        }
    return data


def test_editing_the_norm_in_the_admin_updates_this_years_budget_and_past_years_stay(
    client, login, make_user, mediation
):
    current = budget(mediation, THIS_YEAR, planned_units=Decimal("250"))
    past = budget(mediation, THIS_YEAR - 1, planned_units=Decimal("250"))
    own_rate = budget(mediation, THIS_YEAR + 1, planned_units=Decimal("10"),
                      hours_per_unit=Decimal("3"))  # fmt: skip
    assert current.budgeted_hours == past.budgeted_hours == Decimal("1350.00")
    login(make_user(role=Role.FUNCTIONAL_ADMIN))
    url = reverse("admin:catalogue_product_change", args=[mediation.pk])
    data = admin_form_data(mediation, norm_hours="6") | inline_rows(current, past, own_rate)

    response = client.post(url, data, follow=True)

    assert response.redirect_chain, response.context["adminform"].form.errors
    assert f"De urenbegroting van {THIS_YEAR} volgt de nieuwe norm." in response.content.decode()
    current.refresh_from_db()
    past.refresh_from_db()
    own_rate.refresh_from_db()
    assert current.budgeted_hours == Decimal("1500.00")  # 250 meldingen × 6 uur
    assert past.budgeted_hours == Decimal("1350.00")  # a closed year keeps its budget
    assert own_rate.budgeted_hours == Decimal("30.00")  # its own hours per unit


def test_a_norm_that_leaves_a_budget_without_hours_is_refused_in_dutch(
    client, login, make_user, mediation
):
    current = budget(mediation, THIS_YEAR, planned_units=Decimal("250"))
    login(make_user(role=Role.FUNCTIONAL_ADMIN))
    url = reverse("admin:catalogue_product_change", args=[mediation.pk])
    data = admin_form_data(
        mediation, norm_hours="", norm_unit=HourUnit.VRAAGAFHANKELIJK, goal="nieuw"
    ) | inline_rows(current)

    response = client.post(url, data)

    assert response.status_code == 200
    assert f"de urenbegroting van {THIS_YEAR} geen uren meer" in response.content.decode()
    mediation.refresh_from_db()
    current.refresh_from_db()
    assert mediation.norm_unit == HourUnit.PER_MELDING and mediation.goal != "nieuw"
    assert current.budgeted_hours == Decimal("1350.00")


def test_the_budget_admin_computes_the_budgeted_hours(client, login, make_user, mediation):
    login(make_user(role=Role.FUNCTIONAL_ADMIN))

    response = client.post(
        reverse("admin:catalogue_hourbudget_add"),
        {"product": mediation.pk, "year": THIS_YEAR, "planned_units": "100", "notes": ""},
    )

    assert response.status_code == 302
    assert HourBudget.objects.get(product=mediation, year=THIS_YEAR).budgeted_hours == Decimal(
        "540.00"
    )
    row = HourBudget.objects.get(product=mediation, year=THIS_YEAR)
    change = reverse("admin:catalogue_hourbudget_change", args=[row.pk])
    response = client.post(
        change,
        {"product": mediation.pk, "year": THIS_YEAR, "planned_units": "", "agreed_hours": "75",
         "notes": "vast bedrag"},
    )  # fmt: skip
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.budgeted_hours == Decimal("75.00")


def test_saving_a_product_without_a_norm_change_leaves_its_budgets_alone(mediation):
    current = budget(mediation, THIS_YEAR, planned_units=Decimal("250"))
    # A stale number is not repaired by an unrelated edit: only a norm change recomputes.
    HourBudget.objects.filter(pk=current.pk).update(budgeted_hours=Decimal("1"))
    mediation.goal = "Nieuw doel"

    assert save_product(product=mediation) == []
    current.refresh_from_db()
    assert current.budgeted_hours == Decimal("1")


def test_recompute_takes_the_year_that_is_open_on_the_given_day(mediation):
    earlier = budget(mediation, THIS_YEAR - 1, planned_units=Decimal("10"))
    Product.objects.filter(pk=mediation.pk).update(norm_hours=Decimal("2"))
    mediation.refresh_from_db()

    changed = recompute_budgets_for_product(mediation, today=datetime.date(THIS_YEAR - 1, 12, 31))

    assert changed == [earlier]
    earlier.refresh_from_db()
    assert earlier.budgeted_hours == Decimal("20.00")
    assert recompute_budgets_for_product(mediation) == []  # that year is now closed


def test_the_reference_data_loader_brings_budgets_in_line_with_the_norm(mediation):
    # As if the norm had been 2 uur until the data file changed it back to 5,4.
    Product.objects.filter(pk=mediation.pk).update(norm_hours=Decimal("2"))
    mediation.refresh_from_db()
    current = budget(mediation, THIS_YEAR, planned_units=Decimal("100"))
    past = budget(mediation, THIS_YEAR - 1, planned_units=Decimal("100"))
    assert current.budgeted_hours == Decimal("200.00")

    result = load_catalogue()

    assert MEDIATION in result.updated
    current.refresh_from_db()
    past.refresh_from_db()
    assert current.budgeted_hours == Decimal("540.00")
    assert past.budgeted_hours == Decimal("200.00")
