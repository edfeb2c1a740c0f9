import datetime

import pytest
from django.urls import reverse

from catalogue.models import HourBudget, Product
from meerwaarde.accounts.models import Role
from tests.outbox import changes_recorded


def admin_form_data(product: Product, **changes) -> dict:
    from catalogue.entries import entries_to_text

    data = {
        "name": product.name,
        "slug": product.slug,
        "cluster": product.cluster,
        "position": product.position,
        "is_active": "on",
        "keywords": "\n".join(product.keywords),
        "goal": product.goal,
        "target_group": product.target_group,
        "effects_micro": entries_to_text(product.effects_micro),
        "effects_macro": entries_to_text(product.effects_macro),
        "criteria": entries_to_text(product.criteria),
        "method": entries_to_text(product.method),
        "hour_budget_text": product.hour_budget_text,
        "norm_hours": str(product.norm_hours or ""),
        "norm_unit": product.norm_unit,
        "participants_per_unit": product.participants_per_unit or "",
        "coordination_hours": str(product.coordination_hours or ""),
        "min_age": product.min_age if product.min_age is not None else "",
        "max_age": product.max_age if product.max_age is not None else "",
        "turns_age_this_year": "",
        "child_under_age": "",
        "judgement_criteria": "\n".join(product.judgement_criteria),
        "volunteer_matching": product.volunteer_matching,
        "retention_years": product.retention_years,
        "budgets-TOTAL_FORMS": "1",
        "budgets-INITIAL_FORMS": "0",
        "budgets-MIN_NUM_FORMS": "0",
        "budgets-MAX_NUM_FORMS": "1000",
        "budgets-0-year": "2027",
        "budgets-0-planned_units": "120",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_functional_admin_edits_a_product_and_its_budget(client, login, make_user, catalogue):
    login(make_user(role=Role.FUNCTIONAL_ADMIN))
    product = catalogue["1-5-gesprekken"]
    url = reverse("admin:catalogue_product_change", args=[product.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, admin_form_data(product, method="Intake\n- eerste gesprek\n- plan maken\nAfronding")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    product.refresh_from_db()
    assert product.method == [
        {"text": "Intake", "items": ["eerste gesprek", "plan maken"]},
        "Afronding",
    ]
    assert product.edited_in_admin
    budget = product.budgets.get(year=2027)
    assert budget.budgeted_hours == 1200  # 120 cliënten × 10 uur


@pytest.mark.django_db
def test_a_budget_edited_in_beheer_is_recorded_for_reporting(client, login, make_user, catalogue):
    """Through the product page (inline) and the budget page: every month of the year."""
    login(make_user(role=Role.FUNCTIONAL_ADMIN))
    product = catalogue["1-5-gesprekken"]
    year_2027 = [("catalogue.HourBudget", datetime.date(2027, m, 1)) for m in range(1, 13)]
    with changes_recorded() as changes:
        response = client.post(
            reverse("admin:catalogue_product_change", args=[product.pk]), admin_form_data(product)
        )
    assert response.status_code == 302
    assert changes == year_2027

    budget = product.budgets.get(year=2027)
    with changes_recorded() as changes:
        response = client.post(
            reverse("admin:catalogue_hourbudget_change", args=[budget.pk]),
            {"product": product.pk, "year": "2027", "planned_units": "130", "notes": ""},
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert changes == year_2027
    assert HourBudget.objects.get(pk=budget.pk).budgeted_hours == 1300

    with changes_recorded() as changes:
        client.post(reverse("admin:catalogue_hourbudget_delete", args=[budget.pk]), {"post": "yes"})
    assert not HourBudget.objects.filter(pk=budget.pk).exists()
    assert changes == year_2027


@pytest.mark.django_db
def test_bad_admin_input_gets_a_dutch_message_and_saves_nothing(
    client, login, make_user, catalogue
):
    login(make_user(role=Role.FUNCTIONAL_ADMIN))
    product = catalogue["stacks"]
    url = reverse("admin:catalogue_product_change", args=[product.pk])
    response = client.post(url, admin_form_data(product, min_age="20", max_age="10", goal="nieuw"))
    assert response.status_code == 200
    assert "maximumleeftijd ligt onder de minimumleeftijd" in response.content.decode()
    product.refresh_from_db()
    assert product.goal != "nieuw" and not product.budgets.filter(year=2027).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COORDINATOR, Role.MANAGER])
def test_other_roles_cannot_edit_the_catalogue(client, login, make_user, catalogue, role):
    login(make_user(role=role))
    url = reverse("admin:catalogue_product_change", args=[catalogue["stacks"].pk])
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_functional_admin_sets_the_retention_period_of_a_product(
    client, login, make_user, catalogue
):
    login(make_user(role=Role.FUNCTIONAL_ADMIN))
    product = catalogue["1-5-gesprekken"]
    url = reverse("admin:catalogue_product_change", args=[product.pk])
    response = client.post(url, admin_form_data(product, retention_years="0"))
    assert (
        response.status_code == 200
        and "retention_years" in response.context["adminform"].form.errors
    )
    response = client.post(url, admin_form_data(product, retention_years="10"))
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.retention_years == 10
