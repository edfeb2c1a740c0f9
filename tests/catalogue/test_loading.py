from decimal import Decimal

import pytest
import yaml
from django.core.management import CommandError, call_command

from catalogue.entries import entries_to_text, text_to_entries
from catalogue.models import Area, AreaKind, HourBudget, Product
from catalogue.numbers import parse_dutch_decimal
from catalogue.services import (
    CatalogueDataError,
    load_catalogue,
    read_products_file,
    save_hour_budget,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5,4", "5.4"),
        ("1.600", "1600"),
        ("1501", "1501"),
        ("19,5", "19.5"),
        ("0,2", "0.2"),
        ("1.234,5", "1234.5"),
        ("5.4", "5.4"),
        (" 10 ", "10"),
        (7, "7"),
    ],
)
def test_dutch_numbers_parse(text, expected):
    assert parse_dutch_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "vijf", "5,4,3", "NaN", "1e400x"])
def test_bad_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_dutch_decimal(text)


def test_entries_round_trip_through_text():
    entries = [
        "Eerste punt",
        {"text": "Bemiddelaars:", "items": ["Gesprek partij 1", "Gesprek partij 2"]},
    ]
    text = entries_to_text(entries)
    assert text == "Eerste punt\nBemiddelaars:\n- Gesprek partij 1\n- Gesprek partij 2"
    assert text_to_entries(text) == entries
    assert text_to_entries("\n  \nlosse regel\n") == ["losse regel"]


@pytest.fixture
def empty_catalogue(db):
    HourBudget.objects.all().delete()
    Product.objects.all().delete()


def test_loading_twice_updates_and_never_duplicates(empty_catalogue):
    first = load_catalogue()
    assert len(first.created) == 43
    Product.objects.filter(slug="menes").update(goal="gewijzigd")
    second = load_catalogue()
    assert second.created == []
    assert second.updated == ["menes"]
    assert len(second.unchanged) == 42
    assert Product.objects.count() == 43
    assert Product.objects.get(slug="menes").goal != "gewijzigd"
    assert HourBudget.objects.filter(product__slug="menes").count() == 1


def test_admin_edits_survive_a_reload_unless_overwritten(empty_catalogue):
    load_catalogue()
    Product.objects.filter(slug="stacks").update(goal="Aangepast door beheer", edited_in_admin=True)
    result = load_catalogue()
    assert result.skipped == ["stacks"]
    assert Product.objects.get(slug="stacks").goal == "Aangepast door beheer"
    load_catalogue(overwrite_admin_edits=True)
    assert Product.objects.get(slug="stacks").goal != "Aangepast door beheer"


def write_variant(tmp_path, change):
    records = read_products_file()
    change(records)
    path = tmp_path / "products.yaml"
    path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r[5]["hour_budget"].update(hours="vijf"), "geen geldig getal"),
        (lambda r: r[5]["hour_budget"].update(unit="per_eeuw"), "per_eeuw"),
        (lambda r: r[7].pop("goal"), "ontbreekt"),
        (lambda r: r[9].update(slug=r[8]["slug"]), "dubbele slug"),
        (lambda r: r[3]["eligibility"].update(min_age=30, max_age=20), "maximumleeftijd"),
    ],
)
def test_a_bad_data_file_loads_nothing(empty_catalogue, tmp_path, change, message):
    path = write_variant(tmp_path, change)
    with pytest.raises(CatalogueDataError, match=message):
        load_catalogue(path=path)
    assert Product.objects.count() == 0


@pytest.mark.django_db
def test_command_reports_bad_data_in_dutch_and_fails(tmp_path):
    path = write_variant(tmp_path, lambda r: r[0]["hour_budget"].update(hours="veel"))
    with pytest.raises(CommandError, match="Catalogus niet geladen"):
        call_command("load_catalogue", file=path)


@pytest.mark.django_db
def test_areas_load_idempotently_with_wijken(catalogue):
    hoofddorp = Area.objects.get(kind=AreaKind.KERN, name="Hoofddorp")
    assert "2132" in hoofddorp.postcodes
    assert hoofddorp.wijken.filter(name="Floriande").exists()
    assert Area.objects.filter(kind=AreaKind.KERN).count() == 24
    assert Area.objects.get(parent__name="Nieuw-Vennep", name="Getsewoud-Noord")
    before = Area.objects.count()
    call_command("load_areas")
    assert Area.objects.count() == before


@pytest.mark.django_db
def test_budget_hours_follow_planned_units(catalogue):
    from django.core.exceptions import ValidationError

    budget = save_hour_budget(
        budget=HourBudget(
            product=catalogue["buurt-en-groepsbemiddeling"], year=2027, planned_units=100
        )
    )
    assert budget.budgeted_hours == Decimal("540.00")

    on_demand = HourBudget(product=catalogue["maatjesprojecten"], year=2027)
    with pytest.raises(ValidationError, match="vast aantal afgesproken uren"):
        on_demand.full_clean()
    on_demand.agreed_hours = Decimal("300")
    save_hour_budget(budget=on_demand)
    assert on_demand.budgeted_hours == Decimal("300")

    duplicate = HourBudget(
        product=catalogue["buurt-en-groepsbemiddeling"], year=2027, planned_units=1
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean()
