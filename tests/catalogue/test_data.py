"""The catalogue data file against the source document (seed 001)."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from catalogue.entries import entries_to_lines
from catalogue.models import Cluster, HourBudget, HourUnit, Product
from catalogue.services import read_products_file

# A copy of seed 001 (the catalogue as MeerWaarde wrote it), kept with the tests so a fresh
# clone checks the data file against its source without anything beside the repository.
SEED = Path(__file__).resolve().parent / "data" / "seed_001_productcatalogus.txt"

# Lines where the transcription corrected the PDF extraction (hyphenation, a missing space,
# a two-line title joined with a dash). Everything else must be in the seed word for word.
DOCUMENTED_CORRECTIONS = {
    "Sociaal makelaar – Verbinden van netwerken in de wijk",
    "Creëren van bewustwording.",
    "Leeftijd: 13 tot 17 jaar.",
}
HYPHENATED = ("deskundigheids", "GHOR-orga", "Home-Start-meth", "Triple P3-met")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def seed_text() -> str:
    return normalise(SEED.read_text(encoding="utf-8"))


def product_lines(record: dict) -> list[str]:
    lines = [record["name"], record["hour_budget"]["text"]]
    for key in ("goal", "target_group"):
        lines += [line for line in record[key].split("\n") if line.strip()]
    for key in ("effects_micro", "effects_macro", "criteria", "method"):
        for line in entries_to_lines(record[key]):
            lines += line.split(" / ")
    return [re.sub(r"^- ", "", line.strip()) for line in lines]


def test_the_seed_has_43_products_and_so_has_the_data_file(seed_text):
    assert seed_text.count("Product ") >= 43
    raw = SEED.read_text(encoding="utf-8")
    headers = re.findall(r"^\s*Product\s*$", raw, flags=re.MULTILINE)
    assert len(headers) == 43
    assert len(read_products_file()) == 43


def test_every_line_of_the_data_file_is_in_the_seed(seed_text):
    missing = []
    for record in read_products_file():
        for line in product_lines(record):
            if line in DOCUMENTED_CORRECTIONS or any(h in line for h in HYPHENATED):
                continue
            if normalise(line) not in seed_text:
                missing.append((record["slug"], line))
    assert missing == []


@pytest.mark.django_db
def test_all_43_products_load_with_valid_units_and_clusters(catalogue):
    assert Product.objects.count() == 43
    for product in Product.objects.all():
        assert product.norm_unit in HourUnit.values
        assert product.cluster in Cluster.values
        assert product.goal and product.target_group and product.hour_budget_text
        assert product.method, product.slug
        assert (product.norm_hours is None) == (product.norm_unit == HourUnit.VRAAGAFHANKELIJK)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "hours", "unit", "participants", "coordination"),
    [
        ("buurt-en-groepsbemiddeling", "5.4", "per_melding", None, None),
        ("1-5-gesprekken", "10", "per_client", None, None),
        ("5-10-gesprekken", "20", "per_client", None, None),
        ("vangnetcontact", "6", "per_client", None, None),
        ("opvoedondersteuning", "6", "per_client", None, None),
        ("haarlemmermeer-voor-elkaar", "1501", "per_jaar", None, None),
        ("menes", "1600", "per_jaar", None, None),
        ("preventieve-huisbezoeken", "0.2", "per_huisbezoek", None, "0.2"),
        ("groepsgerichte-activiteiten", "20", "per_groep", 12, None),
        ("stapprogrammas", "60", "per_gezin", None, "15"),
        ("home-start-en-home-start-plus", "33", "per_gezin", None, None),
        ("aanbieden-van-participatieplaatsen", "19.5", "per_vrijwilliger", None, None),
        ("aanpak-de-wijk-in", None, "vraagafhankelijk", None, None),
        ("maatjesprojecten", None, "vraagafhankelijk", None, None),
    ],
)
def test_hour_budgets_match_the_seed(catalogue, slug, hours, unit, participants, coordination):
    product = catalogue[slug]
    assert product.norm_hours == (Decimal(hours) if hours else None)
    assert product.norm_unit == unit
    assert product.participants_per_unit == participants
    assert product.coordination_hours == (Decimal(coordination) if coordination else None)


@pytest.mark.django_db
def test_original_hour_texts_are_kept(catalogue):
    assert catalogue["buurt-en-groepsbemiddeling"].hour_budget_text == "5,4 uur per melding"
    assert catalogue["menes"].hour_budget_text == "1.600 uur inzet op jaarbasis"
    assert (
        catalogue["preventieve-huisbezoeken"].hour_budget_text
        == "1 uur coördinatie = 5 huisbezoeken"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "min_age", "max_age"),
    [
        ("matchmentor", 10, 23),
        ("stacks", 13, 17),
        ("track-the-talent", 15, 25),
        ("opgroeiondersteuning-sova", 8, 12),
        ("opgroeiondersteuning-jes", 8, 18),
        ("meerbabbels", 4, 7),
        ("participatiecursussen", 18, None),
        ("formulierenbrigade", 18, None),
        ("thuisadministratie", 18, None),
        ("haarlemmermeer-voor-elkaar", 14, None),
        ("nl-doet", 14, None),
    ],
)
def test_age_bounds_from_the_seed(catalogue, slug, min_age, max_age):
    assert (catalogue[slug].min_age, catalogue[slug].max_age) == (min_age, max_age)


@pytest.mark.django_db
def test_special_eligibility_rules(catalogue):
    assert catalogue["preventieve-huisbezoeken"].turns_age_this_year == 80
    assert catalogue["home-start-en-home-start-plus"].child_under_age == 7
    assert any(
        "verslavings- of psychiatrische" in c
        for c in catalogue["1-5-gesprekken"].judgement_criteria
    )
    assert catalogue["participatiecursussen"].requires_living_in_haarlemmermeer


@pytest.mark.django_db
def test_buurtbemiddeling_keeps_its_steps_and_two_mediators(catalogue):
    product = catalogue["buurt-en-groepsbemiddeling"]
    assert product.volunteer_matching == "two_mediators"
    mediators = next(
        e for e in product.method if isinstance(e, dict) and e["text"] == "Bemiddelaars:"
    )
    assert mediators["items"][0] == "Bemiddelaars hebben gesprek met partij 1."
    assert any("nazorg" in step for step in mediators["items"])


@pytest.mark.django_db
def test_yearly_norms_become_this_years_budget(catalogue):
    import datetime

    budget = HourBudget.objects.get(product=catalogue["menes"], year=datetime.date.today().year)
    assert budget.budgeted_hours == Decimal("1600")
    assert not HourBudget.objects.filter(product=catalogue["1-5-gesprekken"]).exists()
