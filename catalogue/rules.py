import rules

from meerwaarde.accounts.rules import has_any_role, is_functional_admin

# Every role uses the catalogue to find the right help and its norms.
rules.add_perm("catalogue.view_catalogue", has_any_role)

# The functioneel beheerder maintains it in the admin.
rules.add_perm("catalogue", is_functional_admin)
for model in ("product", "hourbudget", "area", "location"):
    for action in ("view", "add", "change"):
        rules.add_perm(f"catalogue.{action}_{model}", is_functional_admin)
for model in ("hourbudget", "location"):
    rules.add_perm(f"catalogue.delete_{model}", is_functional_admin)
