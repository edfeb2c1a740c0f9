"""Permission predicates per role. Views and templates ask `user.has_perm(...)`; the
answers live here, not in scattered `if` statements."""

import rules

from .models import Role


def _has_role(role: str):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.is_active and user.role == role)

    return predicate


is_social_worker = _has_role(Role.SOCIAL_WORKER)
is_coordinator = _has_role(Role.COORDINATOR)
is_manager = _has_role(Role.MANAGER)
is_functional_admin = _has_role(Role.FUNCTIONAL_ADMIN)
is_municipality_api = _has_role(Role.MUNICIPALITY_API)
has_any_role = is_social_worker | is_coordinator | is_manager | is_functional_admin

# Configuration that the functioneel beheerder maintains in the admin (not client files).
rules.add_perm("accounts", is_functional_admin)
for model in ("user", "team"):
    for action in ("view", "add", "change"):
        rules.add_perm(f"accounts.{action}_{model}", is_functional_admin)

# The account history (passwords, authenticators, lockouts): read-only, for the beheerder.
rules.add_perm("accounts.view_accountevent", is_functional_admin)
# Resetting passwords and authenticators, lifting lockouts (accounts.services).
rules.add_perm("accounts.manage_accounts", is_functional_admin)

# The change history and the lock-out records: readable by the functioneel beheerder only.
# A lockout is lifted on the user's page, with a reason (accounts.services.lift_lockout),
# never by deleting the record.
rules.add_perm("auditlog", is_functional_admin)
rules.add_perm("auditlog.view_logentry", is_functional_admin)
rules.add_perm("audit", is_functional_admin)
rules.add_perm("audit.view_personaldataaccess", is_functional_admin)
rules.add_perm("axes", is_functional_admin)
rules.add_perm("axes.view_accessattempt", is_functional_admin)
rules.add_perm("axes.view_accessfailurelog", is_functional_admin)

# Every user with a role uses the application; the admin is for the functioneel beheerder.
rules.add_perm("accounts.use_app", has_any_role)
rules.add_perm("accounts.access_admin", is_functional_admin)
