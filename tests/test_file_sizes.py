"""No file of application code grows past 500 lines (issue 14): a module that does is
split into a package or sibling modules along its seams. Migrations, tests, `bench/`,
`scripts/` and `loadtest/` (tooling, not the application) are aside."""

import os
from pathlib import Path

from django.conf import settings

MAX_LINES = 500
NOT_APPLICATION_CODE = {
    "tests",
    "bench",
    "scripts",
    "loadtest",
    "migrations",
    "node_modules",
    "venv",
    "var",
}


def application_files() -> list[Path]:
    found = []
    for directory, subdirectories, files in os.walk(settings.BASE_DIR):
        # Pruned in place: os.walk does not descend into tooling, hidden or virtualenv folders.
        subdirectories[:] = [
            name
            for name in subdirectories
            if name not in NOT_APPLICATION_CODE and not name.startswith((".", "__"))
        ]
        found += [Path(directory) / name for name in files if name.endswith(".py")]
    return sorted(found)


def test_the_scan_covers_the_apps_and_skips_the_tooling():
    scanned = {path.relative_to(settings.BASE_DIR).as_posix() for path in application_files()}
    assert {
        "manage.py",
        "cases/models/clients.py",
        "reporting/services.py",
        "volunteers/models.py",
        "demo/generator/base.py",
        "meerwaarde/settings.py",
    } <= scanned
    assert not any(
        name.startswith(("tests/", "bench/", "scripts/", "loadtest/")) or "/migrations/" in name
        for name in scanned
    )


def test_no_file_of_application_code_is_longer_than_500_lines():
    too_long = {}
    for path in application_files():
        with path.open(encoding="utf-8") as source:
            lines = sum(1 for _line in source)
        if lines > MAX_LINES:
            too_long[path.relative_to(settings.BASE_DIR).as_posix()] = lines
    assert too_long == {}
