"""One way for a service to check the acting user: the named permission registered with
`rules.add_perm` in the app's rules.py, object-level where the answer depends on the
object. Views scope their reads through the `get_visible_<object>_or_404` selectors; the
service checks again, so a second caller (a task, a command, another service) cannot skip
the rule.

Where a new rule goes: a predicate and an `add_perm` in the app's rules.py; the view asks
`user.has_perm(...)` (or uses `permission_required`), a template `perms.<app>.<name>` or
`{% has_perm %}`, and the write service calls `require_perm`. No role comparisons outside
rules.py (tests/test_permissions_in_one_place.py keeps it so)."""

from django.core.exceptions import PermissionDenied


def require_perm(user, perm: str, obj=None, *, message: str = "") -> None:
    """Raises PermissionDenied (with `message`, when given, for the form that shows it)
    unless `user` has `perm` (on `obj`)."""
    if user is None or not user.has_perm(perm, obj):
        if message:
            raise PermissionDenied(message)
        raise PermissionDenied
