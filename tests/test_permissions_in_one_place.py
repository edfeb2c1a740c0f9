"""Permissions live in one place: every rule is a predicate registered with `add_perm` in an
app's rules.py; views, selectors, services and templates ask for a named permission
(`user.has_perm`, `permission_required`, `require_perm`, `perms.<app>.<name>`,
`{% has_perm %}`), never for a role. Read from the source (ast for Python, a pattern for
templates), so a new role comparison fails here with its file and line.

What counts as a role check:
- reading `.role` of a user (`user.role`, `request.user.role`, `actor.role`, `..._by.role`);
- the `Role` choices of meerwaarde.accounts.models (`Role.COORDINATOR`, `role=Role...`);
- comparing with a role's stored value (`== "coordinator"`, `in ("manager", ...)`);
- calling a predicate from a rules module with `.test(...)` instead of its permission;
- `user.role` in a template.

The allow-list names the files where the role itself is the subject, with the reason (the
User model, which defines the field and derives is_staff from it, reads `self.role` and is
not matched).
`demo/`, `loadtest/` and `bench/` create users with roles as data and are not scanned.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_PACKAGES = ("meerwaarde", "catalogue", "cases", "volunteers", "reporting", "home")
ROLE_VALUES = {"sociaal_werker", "coordinator", "manager", "functioneel_beheerder", "gemeente_api"}
USER_NAMES = {"user", "actor"}

ALLOWED = {
    "home/views.py": (
        "the start page per role: which overview a user sees first, not what they may do "
        "(every page behind it checks its own permission)"
    ),
    "cases/forms.py": (
        "the responsible worker is chosen among colleagues whose role is sociaal werker: a "
        "query for people by role, not a check on the acting user"
    ),
    "catalogue/forms.py": (
        "a product's coordinator is chosen among users with the coordinator role: a query "
        "for people by role, not a check on the acting user"
    ),
    "reporting/management/commands/create_api_token.py": (
        "creates the municipality's API service account, so it sets and checks that role"
    ),
}

TEMPLATE_ROLE = re.compile(r"\buser\.role\b")


def _is_user_expression(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in USER_NAMES or node.id.endswith("_by")
    if isinstance(node, ast.Attribute):
        return node.attr in USER_NAMES or node.attr.endswith("_by")
    return False


def role_checks_in_python(source: str) -> list[tuple[int, str]]:
    """(line, what) for every role check in `source`."""
    tree = ast.parse(source)
    role_names: set[str] = set()
    predicate_names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                local = alias.asname or alias.name
                if node.module.endswith("accounts.models") and alias.name == "Role":
                    role_names.add(local)
                if node.module == "models" and alias.name == "Role":  # inside accounts
                    role_names.add(local)
                if node.module.split(".")[-1] == "rules":
                    predicate_names.add(local)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "role":
            if _is_user_expression(node.value):
                found.append((node.lineno, "reads the role of a user"))
        elif isinstance(node, ast.Name) and node.id in role_names:
            found.append((node.lineno, "uses the Role choices"))
        elif isinstance(node, ast.Compare):
            constants = [
                item
                for operand in [node.left, *node.comparators]
                for item in (
                    [operand]
                    if not isinstance(operand, ast.Tuple | ast.List | ast.Set)
                    else operand.elts
                )
            ]
            if any(
                isinstance(item, ast.Constant) and item.value in ROLE_VALUES for item in constants
            ):
                found.append((node.lineno, "compares with a role's value"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "test"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in predicate_names
        ):
            found.append((node.lineno, f"calls the predicate {node.func.value.id}.test()"))
    return found


def role_checks_in_template(text: str) -> list[tuple[int, str]]:
    return [
        (number, "reads user.role in a template")
        for number, line in enumerate(text.splitlines(), start=1)
        if TEMPLATE_ROLE.search(line)
    ]


def application_python_files():
    for package in APP_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or path.name == "rules.py":
                continue
            yield relative, path


def application_templates():
    for base in [ROOT / "templates", *(ROOT / package for package in APP_PACKAGES)]:
        for path in sorted(base.rglob("*.html")) + sorted(base.rglob("*.txt")):
            if "templates" in path.relative_to(ROOT).parts:
                yield path.relative_to(ROOT).as_posix(), path


def all_role_checks() -> dict[str, list[tuple[int, str]]]:
    found = {}
    for relative, path in application_python_files():
        checks = role_checks_in_python(path.read_text(encoding="utf-8"))
        if checks:
            found[relative] = checks
    for relative, path in application_templates():
        checks = role_checks_in_template(path.read_text(encoding="utf-8"))
        if checks:
            found[relative] = checks
    return found


def test_no_role_checks_outside_rules_and_the_allow_list():
    found = all_role_checks()
    offending = [
        f"{relative}:{line}: {what}"
        for relative, checks in sorted(found.items())
        if relative not in ALLOWED
        for line, what in checks
    ]
    assert not offending, (
        "Ask for a permission registered with rules.add_perm (user.has_perm, require_perm, "
        "perms.<app>.<name>) instead of the role:\n" + "\n".join(offending)
    )


def test_every_allow_listed_file_still_needs_its_exception():
    found = all_role_checks()
    stale = [relative for relative in ALLOWED if relative not in found]
    assert not stale, f"No role check left in {stale}: remove it from ALLOWED."


def test_the_checker_recognises_each_kind_of_role_check():
    source = """
from meerwaarde.accounts.models import Role
from meerwaarde.accounts.rules import is_social_worker

def scope(user, request, case, closed_by):
    if user.role == "x":
        pass
    if request.user.role:
        pass
    if closed_by.role:
        pass
    if case.team.name == "coordinator":
        pass
    if "manager" in (case.kind,):
        pass
    if is_social_worker.test(user):
        pass
    return Role.MANAGER
"""
    lines = sorted(line for line, _what in role_checks_in_python(source))
    assert lines == [6, 8, 10, 12, 14, 16, 18]
    assert role_checks_in_template('{% if user.role == "manager" %}x{% endif %}') == [
        (1, "reads user.role in a template")
    ]


def test_the_checker_leaves_other_roles_and_permission_checks_alone():
    source = """
def figures(source, match, user, case):
    if source.role == "denominator":
        pass
    if match.role == "bemiddelaar":
        pass
    return user.has_perm("cases.change_case", case)
"""
    assert role_checks_in_python(source) == []
    assert role_checks_in_template("{{ match.get_role_display }} {% if perms.cases.x %}") == []
