"""scripts/backup.sh and scripts/restore.sh: a back-up restored into a fresh database holds
every row of every table, with the same content."""

import datetime
import os
import subprocess
import urllib.parse
from decimal import Decimal

import psycopg
import pytest
from django.apps import apps
from django.db import connection

from cases.choices import CaseStatus, HourKind
from cases.models import Client, HourRegistration
from meerwaarde.accounts.models import Role
from reporting import services
from reporting.models import DirtyPeriod
from tests.cases_factories import CaseFactory, ClientFactory
from tests.conftest import ROOT
from tests.factories import TeamFactory, UserFactory
from tests.volunteers_factories import MatchFactory, VolunteerFactory
from volunteers.models import VolunteerHours

pytestmark = pytest.mark.django_db(transaction=True)


def database_url(name: str) -> str:
    return urllib.parse.urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


def run_script(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PG_BIN": os.environ["TEST_PG_BIN"]},
    )


def every_table() -> list[str]:
    """Every table of every model, the many-to-many link tables included."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def row_counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - our own table names
        counts[table] = cursor.fetchone()[0]
    return counts


def row(cursor, table: str, pk: int) -> tuple:
    cursor.execute(f'SELECT * FROM "{table}" WHERE id = %s', [pk])  # noqa: S608
    return cursor.fetchone()


@pytest.fixture
def fresh_database():
    """An empty database on the test server, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_herstel"
    admin_url = database_url("postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    subprocess.run(
        [f"{os.environ['TEST_PG_BIN']}/createdb", "--maintenance-db", admin_url, name],
        check=True,
        timeout=60,
    )
    yield database_url(name)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def registrations(catalogue, no_rollup_messages):
    team = TeamFactory(name="Team Hoofddorp")
    worker = UserFactory(role=Role.SOCIAL_WORKER, teams=[team])
    product = catalogue["1-5-gesprekken"]
    client = ClientFactory(
        team=team,
        first_name="Anouk",
        last_name="Çelik-de Vries",
        birth_date=datetime.date(1961, 2, 3),
    )
    case = CaseFactory(client=client, team=team, product=product, status=CaseStatus.ACTIVE)
    for _ in range(3):
        CaseFactory(client__team=team, team=team, product=product, responsible_worker=worker)
    hours = HourRegistration.objects.create(
        worker=worker, date=datetime.date(2026, 3, 4), hours=Decimal("1.75"), product=product,
        case=case, kind=HourKind.DIRECT, note="Huisbezoek — €50 schuld, ‘aanmaning’",
        created_by=worker,
    )  # fmt: skip
    volunteer = VolunteerFactory(products=[product])
    match = MatchFactory(volunteer=volunteer, case=case)
    VolunteerHours.objects.create(
        volunteer=volunteer, date=datetime.date(2026, 3, 5), hours=Decimal("2.50"),
        product=product, match=match, registered_by=worker,
    )  # fmt: skip
    # Indicators up to date here, in this process; no worker writes during the back-up.
    services.process_dirty_periods()
    assert not DirtyPeriod.objects.exists()
    return {"client": client, "hours": hours}


def test_a_backup_restored_into_a_fresh_database_has_every_row(
    registrations, fresh_database, tmp_path
):
    source_url = database_url(connection.settings_dict["NAME"])
    backup = tmp_path / "meerwaarde.dump"

    made = run_script("backup.sh", "--database-url", source_url, "--output", str(backup))
    assert made.returncode == 0, made.stderr
    assert "Back-up gemaakt" in made.stdout and backup.stat().st_size > 0
    assert oct(backup.stat().st_mode & 0o777) == "0o600"  # personal data: owner only
    restored = run_script("restore.sh", "--database-url", fresh_database, str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "Hersteld" in restored.stdout

    tables = every_table()
    with connection.cursor() as cursor:
        expected = row_counts(cursor, tables)
        sample_client = row(cursor, Client._meta.db_table, registrations["client"].pk)
        sample_hours = row(cursor, HourRegistration._meta.db_table, registrations["hours"].pk)
    with psycopg.connect(fresh_database) as copy, copy.cursor() as cursor:
        assert row_counts(cursor, tables) == expected
        assert row(cursor, Client._meta.db_table, registrations["client"].pk) == sample_client
        assert row(cursor, HourRegistration._meta.db_table, registrations["hours"].pk) == (
            sample_hours
        )
    assert expected[Client._meta.db_table] == 4 and expected[VolunteerHours._meta.db_table] == 1
    assert "Çelik-de Vries" in sample_client


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(
    registrations, fresh_database, tmp_path
):
    backup = tmp_path / "meerwaarde.dump"
    source_url = database_url(connection.settings_dict["NAME"])
    assert run_script("backup.sh", "--database-url", source_url, "-o", str(backup)).returncode == 0
    assert run_script("restore.sh", "--database-url", fresh_database, str(backup)).returncode == 0
    with psycopg.connect(fresh_database, autocommit=True) as copy:
        copy.execute("DELETE FROM cases_hourregistration")

    refused = run_script("restore.sh", "--database-url", fresh_database, str(backup))
    assert refused.returncode != 0
    assert "is niet leeg" in refused.stderr
    with psycopg.connect(fresh_database) as copy:
        assert copy.execute("SELECT count(*) FROM cases_hourregistration").fetchone() == (0,)

    forced = run_script("restore.sh", "--force", "--database-url", fresh_database, str(backup))
    assert forced.returncode == 0, forced.stderr
    with psycopg.connect(fresh_database) as copy:
        assert copy.execute("SELECT count(*) FROM cases_hourregistration").fetchone() == (1,)


def test_backup_without_a_database_explains_in_dutch(tmp_path):
    env_less = subprocess.run(
        ["bash", str(ROOT / "scripts" / "backup.sh"), "-o", str(tmp_path / "x.dump")],
        capture_output=True, text=True, timeout=60,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    )  # fmt: skip
    assert env_less.returncode != 0 and "geen database opgegeven" in env_less.stderr
    assert not (tmp_path / "x.dump").exists()
