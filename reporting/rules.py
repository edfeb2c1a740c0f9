"""Who may see and act on the aggregated figures. Nobody here ever reaches a person."""

import rules

from meerwaarde.accounts.rules import (
    is_coordinator,
    is_functional_admin,
    is_manager,
    is_municipality_api,
)

# Dashboards and exports: managers; the functioneel beheerder and coordinators read along.
rules.add_perm("reporting.view_dashboard", is_manager | is_functional_admin | is_coordinator)
rules.add_perm("reporting.export_indicators", is_manager | is_functional_admin)
rules.add_perm("reporting.recompute", is_manager | is_functional_admin)
rules.add_perm("reporting.close_period", is_manager)
# The municipality's API: its service account, and staff who check what it publishes.
rules.add_perm("reporting.use_api", is_municipality_api | is_manager | is_functional_admin)
# Indicator definitions in the admin: the functioneel beheerder sees and retires them.
rules.add_perm("reporting", is_functional_admin)
rules.add_perm("reporting.view_indicator", is_functional_admin)
rules.add_perm("reporting.change_indicator", is_functional_admin)
rules.add_perm("reporting.view_reportingperiod", is_functional_admin)
rules.add_perm("reporting.view_rolluprun", is_functional_admin)
# Marks the roll-up set aside: the beheerder reads them and removes one once dealt with.
rules.add_perm("reporting.view_quarantinedperiod", is_functional_admin)
rules.add_perm("reporting.delete_quarantinedperiod", is_functional_admin)
