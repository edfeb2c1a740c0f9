"""Who may do what with clients, cases and registrations."""

import rules

from meerwaarde.accounts.rules import (
    has_any_role,
    is_coordinator,
    is_functional_admin,
    is_manager,
    is_social_worker,
)


def team_ids(user) -> set[int]:
    """The user's team ids, cached on the user object for the request."""
    if not hasattr(user, "_team_ids"):
        user._team_ids = set(user.teams.values_list("id", flat=True))
    return user._team_ids


def coordinated_product_ids(user) -> set[int]:
    if not hasattr(user, "_coordinated_product_ids"):
        user._coordinated_product_ids = set(user.coordinated_products.values_list("id", flat=True))
    return user._coordinated_product_ids


@rules.predicate
def is_in_case_team(user, case) -> bool:
    return case is not None and case.team_id in team_ids(user)


@rules.predicate
def coordinates_case_product(user, case) -> bool:
    return case is not None and case.product_id in coordinated_product_ids(user)


@rules.predicate
def is_in_client_team(user, client) -> bool:
    if client is None:
        return False
    ids = team_ids(user)
    return client.team_id in ids or client.cases.filter(team_id__in=ids).exists()


@rules.predicate
def is_own_hour_registration(user, registration) -> bool:
    return registration is not None and registration.worker_id == user.pk


works_with_clients = is_social_worker | is_coordinator

# The scopes of cases_visible_to / clients_visible_to: a social worker reaches the cases
# and clients of their teams, a coordinator the cases of the products they coordinate.
rules.add_perm("cases.view_team_cases", is_social_worker)
rules.add_perm("cases.view_team_clients", is_social_worker)
rules.add_perm("cases.view_product_cases", is_coordinator)

rules.add_perm("cases.register_intake", is_social_worker)
rules.add_perm("cases.view_case_list", works_with_clients)
rules.add_perm(
    "cases.view_case",
    (is_social_worker & is_in_case_team) | (is_coordinator & coordinates_case_product),
)
# Status, contacts, referrals and the outcome (cases.services.case_flow).
rules.add_perm("cases.change_case", is_social_worker & is_in_case_team)
rules.add_perm("cases.view_client", is_social_worker & is_in_client_team)
rules.add_perm("cases.change_client", is_social_worker & is_in_client_team)
rules.add_perm("cases.register_hours", works_with_clients)
# Staff hours are corrected or removed by the worker who registered them only.
rules.add_perm("cases.change_hours", is_own_hour_registration)
rules.add_perm("cases.register_group_session", works_with_clients)
rules.add_perm("cases.register_anonymous_contact", works_with_clients)
rules.add_perm("cases.view_my_work", is_social_worker)
rules.add_perm("cases.manage_group_activity", works_with_clients)
# Buurtbemiddeling: the coordinator of the product runs the meldingen; the team's social
# workers may follow them.
rules.add_perm("cases.view_mediation_overview", works_with_clients)
rules.add_perm(
    "cases.run_mediation",
    (is_coordinator & coordinates_case_product) | (is_social_worker & is_in_case_team),
)
rules.add_perm("cases.import_hours", is_functional_admin)
# AVG requests (cases.services.privacy): inzage by the social worker for the clients of
# their teams and by the functioneel beheerder for every client; anonymising is the
# beheerder's alone.
rules.add_perm("cases.request_inzage", is_social_worker | is_functional_admin)
rules.add_perm("cases.handle_requests_for_every_client", is_functional_admin)
rules.add_perm("cases.anonymise_client", is_functional_admin)

# Configuration in the admin for the functioneel beheerder: no client files there.
rules.add_perm("cases", is_functional_admin)
for model in ("closedperiod", "importbatch", "groupactivity"):
    rules.add_perm(f"cases.view_{model}", is_functional_admin)
rules.add_perm("cases.change_groupactivity", is_functional_admin)
rules.add_perm("cases.add_groupactivity", is_functional_admin)
# Closing is the manager's "Periode sluiten" on the dashboard; reopening one closed by
# mistake is the functioneel beheerder's, with a reason (cases.services.periods).
rules.add_perm("cases.close_period", is_manager)
rules.add_perm("cases.reopen_period", is_functional_admin)

__all__ = ["has_any_role"]
