"""Does a product fit a person? Decides what can be decided from facts (age, living in
Haarlemmermeer, children's ages) and hands the rest to the worker as a checklist."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import Product


@dataclass(frozen=True)
class Person:
    birth_date: datetime.date
    lives_in_haarlemmermeer: bool | None = None  # None: not known yet
    children_ages: tuple[int, ...] | None = None  # None: not known; () means no children


@dataclass
class EligibilityResult:
    product: Product
    fits: bool
    reasons: list[str] = field(default_factory=list)  # why it does not fit
    to_check: list[str] = field(default_factory=list)  # facts still unknown
    judgement_criteria: list[str] = field(default_factory=list)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def check_eligibility(
    product: Product, person: Person, *, reference_date: datetime.date
) -> EligibilityResult:
    reasons: list[str] = []
    to_check: list[str] = []
    age = age_on(person.birth_date, reference_date)

    if product.turns_age_this_year is not None:
        turns = reference_date.year - person.birth_date.year
        if turns != product.turns_age_this_year:
            reasons.append(
                _("Alleen voor wie dit jaar %(age)s wordt; deze persoon wordt %(turns)s.")
                % {"age": product.turns_age_this_year, "turns": turns}
            )
    if product.min_age is not None and age < product.min_age:
        reasons.append(
            _("Vanaf %(min)s jaar; deze persoon is %(age)s.") % {"min": product.min_age, "age": age}
        )
    if product.max_age is not None and age > product.max_age:
        reasons.append(
            _("Tot en met %(max)s jaar; deze persoon is %(age)s.")
            % {"max": product.max_age, "age": age}
        )
    if product.requires_living_in_haarlemmermeer:
        if person.lives_in_haarlemmermeer is False:
            reasons.append(_("Alleen voor inwoners van Haarlemmermeer."))
        elif person.lives_in_haarlemmermeer is None:
            to_check.append(_("Woont de persoon in Haarlemmermeer?"))
    if product.child_under_age is not None:
        limit = product.child_under_age
        if person.children_ages is None:
            to_check.append(
                _("Woont er een kind jonger dan %(limit)s jaar in het gezin?") % {"limit": limit}
            )
        elif not any(child_age < limit for child_age in person.children_ages):
            reasons.append(
                _("Er moet een kind jonger dan %(limit)s jaar in het gezin wonen.")
                % {"limit": limit}
            )
    return EligibilityResult(
        product=product,
        fits=not reasons,
        reasons=reasons,
        to_check=to_check,
        judgement_criteria=list(product.judgement_criteria),
    )


def check_products(
    products, person: Person, *, reference_date: datetime.date
) -> tuple[list[EligibilityResult], list[EligibilityResult]]:
    """(fitting, not fitting), each in catalogue order."""
    results = [check_eligibility(p, person, reference_date=reference_date) for p in products]
    return [r for r in results if r.fits], [r for r in results if not r.fits]
