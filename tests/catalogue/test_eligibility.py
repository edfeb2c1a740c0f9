import datetime

import pytest

from catalogue.eligibility import Person, age_on, check_eligibility, check_products
from catalogue.models import Product

TODAY = datetime.date(2026, 11, 22)


def test_age_counts_birthdays():
    assert age_on(datetime.date(2000, 11, 22), TODAY) == 26
    assert age_on(datetime.date(2000, 11, 23), TODAY) == 25
    assert age_on(datetime.date(2008, 2, 29), datetime.date(2026, 2, 28)) == 17


def check(product, **person):
    return check_eligibility(product, Person(**person), reference_date=TODAY)


@pytest.mark.django_db
def test_preventive_home_visits_for_those_turning_80_this_year(catalogue):
    product = catalogue["preventieve-huisbezoeken"]
    # Turns 80 in December: still 79 today, but fits.
    assert check(product, birth_date=datetime.date(1946, 12, 30), lives_in_haarlemmermeer=True).fits
    too_old = check(product, birth_date=datetime.date(1945, 1, 1), lives_in_haarlemmermeer=True)
    assert not too_old.fits
    assert "dit jaar 80 wordt" in too_old.reasons[0]


@pytest.mark.django_db
def test_home_start_needs_a_child_under_seven(catalogue):
    product = catalogue["home-start-en-home-start-plus"]
    parent = datetime.date(1990, 5, 1)
    assert check(product, birth_date=parent, children_ages=(3, 9)).fits
    no_young_child = check(product, birth_date=parent, children_ages=(7, 9))
    assert not no_young_child.fits
    assert "kind jonger dan 7 jaar" in no_young_child.reasons[0]
    unknown = check(product, birth_date=parent)
    assert unknown.fits and "jonger dan 7 jaar" in unknown.to_check[0]


@pytest.mark.django_db
def test_matchmentor_age_bounds_are_inclusive(catalogue):
    product = catalogue["matchmentor"]
    assert check(product, birth_date=datetime.date(2016, 11, 22)).fits  # 10 today
    assert not check(product, birth_date=datetime.date(2016, 11, 23)).fits  # 9
    assert check(product, birth_date=datetime.date(2003, 11, 23)).fits  # 23
    too_old = check(product, birth_date=datetime.date(2002, 11, 22))  # 24
    assert not too_old.fits and "Tot en met 23 jaar" in too_old.reasons[0]


@pytest.mark.django_db
def test_living_outside_haarlemmermeer_excludes_and_unknown_asks(catalogue):
    product = catalogue["participatiecursussen"]
    adult = datetime.date(1980, 1, 1)
    outside = check(product, birth_date=adult, lives_in_haarlemmermeer=False)
    assert not outside.fits and "inwoners van Haarlemmermeer" in outside.reasons[0]
    unknown = check(product, birth_date=adult)
    assert unknown.fits and unknown.to_check == ["Woont de persoon in Haarlemmermeer?"]


@pytest.mark.django_db
def test_judgement_criteria_come_along_as_a_checklist(catalogue):
    result = check(
        catalogue["1-5-gesprekken"],
        birth_date=datetime.date(1980, 1, 1),
        lives_in_haarlemmermeer=True,
    )
    assert result.fits
    assert any("verslavings- of psychiatrische" in c for c in result.judgement_criteria)


@pytest.mark.django_db
def test_a_teenager_fits_youth_products_and_not_adult_ones(catalogue):
    fitting, not_fitting = check_products(
        Product.objects.all(),
        Person(
            birth_date=datetime.date(2011, 6, 1), lives_in_haarlemmermeer=True, children_ages=()
        ),
        reference_date=TODAY,
    )
    fitting_slugs = {r.product.slug for r in fitting}
    assert {
        "stacks",
        "matchmentor",
        "track-the-talent",
        "opgroeiondersteuning-jes",
    } <= fitting_slugs
    assert {
        "formulierenbrigade",
        "participatiecursussen",
        "preventieve-huisbezoeken",
        "meerbabbels",
    }.isdisjoint(fitting_slugs)
    assert len(fitting) + len(not_fitting) == 43
