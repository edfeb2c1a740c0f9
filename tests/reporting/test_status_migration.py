"""reporting 0007 drops the stored status: every period that was definitief stays closed,
as a closed period in force (cases.ClosedPeriod), without duplicating existing ones."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("reporting", "0006_dirty_period_quarantine"), ("cases", "0006_free_text_length_limits")]
AFTER = [("reporting", "0007_status_derived_from_closed_periods")]


def date(month: int, day: int) -> datetime.date:
    return datetime.date(2025, month, day)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_final_periods_stay_closed_after_the_status_column_goes(django_user_model):
    old = migrate(BEFORE)
    try:
        ReportingPeriod = old.get_model("reporting", "ReportingPeriod")
        ClosedPeriod = old.get_model("cases", "ClosedPeriod")
        manager_id = django_user_model.objects.create(username="manager-migratie").pk
        closed_at = datetime.datetime(2025, 5, 2, 9, 0, tzinfo=datetime.UTC)

        final = {"status": "definitief", "closed_at": closed_at, "closed_by_id": manager_id}

        def period(key, kind, start, end, **status):
            ReportingPeriod.objects.create(
                key=key, kind=kind, year=2025, start_date=start, end_date=end, **status
            )

        # Closed the usual way: both the status and the closed period.
        period("2025-Q1", "kwartaal", date(1, 1), date(3, 31), **final)
        ClosedPeriod.objects.create(
            start_date=date(1, 1), end_date=date(3, 31), closed_by_id=manager_id
        )
        period("2025-01", "maand", date(1, 1), date(1, 31), **final)
        # Final without a closed period (written some other way): must stay closed.
        period("2025-04", "maand", date(4, 1), date(4, 30), **final)
        period("2025-05", "maand", date(5, 1), date(5, 31), status="voorlopig")
    finally:
        new = migrate(AFTER)

    ClosedPeriod = new.get_model("cases", "ClosedPeriod")
    closures = sorted(
        ClosedPeriod.objects.values_list("start_date", "end_date", "closed_by__username")
    )
    assert closures == [
        (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), "manager-migratie"),
        (datetime.date(2025, 4, 1), datetime.date(2025, 4, 30), "manager-migratie"),
    ]
    april = ClosedPeriod.objects.get(start_date=datetime.date(2025, 4, 1))
    assert april.closed_at == datetime.datetime(2025, 5, 2, 9, 0, tzinfo=datetime.UTC)

    from reporting.models import ReportingPeriod

    statuses = {period.key: period.status for period in ReportingPeriod.objects.all()}
    assert statuses == {
        "2025-Q1": "definitief",
        "2025-01": "definitief",
        "2025-04": "definitief",
        "2025-05": "voorlopig",
    }
