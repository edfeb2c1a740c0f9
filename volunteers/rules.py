"""Coordinators work with the volunteers and matches of their own products."""

import rules

from cases.rules import coordinated_product_ids, is_in_case_team
from meerwaarde.accounts.rules import is_coordinator, is_functional_admin, is_social_worker


@rules.predicate
def coordinates_a_product_of_volunteer(user, volunteer) -> bool:
    if volunteer is None:
        return False
    ids = coordinated_product_ids(user)
    return volunteer.products.filter(pk__in=ids).exists() or not volunteer.products.exists()


@rules.predicate
def coordinates_match_product(user, match) -> bool:
    return match is not None and match.case.product_id in coordinated_product_ids(user)


@rules.predicate
def is_in_match_case_team(user, match) -> bool:
    return match is not None and is_in_case_team(user, match.case)


@rules.predicate
def coordinates_hours_product(user, registration) -> bool:
    return registration is not None and registration.product_id in coordinated_product_ids(user)


rules.add_perm("volunteers.use_volunteer_pages", is_coordinator)
rules.add_perm("volunteers.view_volunteer", is_coordinator & coordinates_a_product_of_volunteer)
rules.add_perm("volunteers.change_volunteer", is_coordinator & coordinates_a_product_of_volunteer)
rules.add_perm("volunteers.manage_match", is_coordinator & coordinates_match_product)
# A social worker sees who is matched to a case of their team (name and role only).
rules.add_perm(
    "volunteers.view_match",
    (is_coordinator & coordinates_match_product) | (is_social_worker & is_in_match_case_team),
)
rules.add_perm("volunteers.register_volunteer_hours", is_coordinator)
# Booked hours are corrected or removed by a coordinator of the product they count for.
rules.add_perm("volunteers.change_volunteer_hours", is_coordinator & coordinates_hours_product)

# Configuration in the admin: training types, screening rules, suggestion weights.
rules.add_perm("volunteers", is_functional_admin)
for model in ("trainingtype", "screeningrule", "suggestionweights"):
    for action in ("view", "add", "change"):
        rules.add_perm(f"volunteers.{action}_{model}", is_functional_admin)
