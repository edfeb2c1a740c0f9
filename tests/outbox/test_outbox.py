"""The outbox itself: what record_change writes, and one kick per committed transaction."""

import datetime

import pytest
from django.db import transaction

from meerwaarde.outbox.models import Change
from meerwaarde.outbox.services import changed_months, record_change
from tests.outbox import changes_recorded

SOURCE = "cases.HourRegistration"
MARCH = datetime.date(2025, 3, 1)


@pytest.mark.django_db
def test_dates_in_one_month_are_one_row_and_nothing_is_recorded_without_dates(
    kicks, django_capture_on_commit_callbacks
):
    with changes_recorded() as changes, django_capture_on_commit_callbacks(execute=True):
        record_change(source=SOURCE, dates=[datetime.date(2025, 3, 4), datetime.date(2025, 3, 30)])
        record_change(source=SOURCE, dates=[None])
    assert changes == [(SOURCE, MARCH)]
    assert kicks == [1]


def test_a_span_covers_every_month_and_a_running_one_runs_to_today():
    today = datetime.date.today()
    assert changed_months(spans=[(datetime.date(2025, 1, 31), datetime.date(2025, 3, 1))]) == [
        datetime.date(2025, 1, 1),
        datetime.date(2025, 2, 1),
        MARCH,
    ]
    running = changed_months(spans=[(today - datetime.timedelta(days=40), None)])
    assert running[-1] == today.replace(day=1) and len(running) in (2, 3)
    # Dates before the date window's floor have no reporting period.
    assert changed_months(dates=[datetime.date(1999, 12, 31)]) == []


@pytest.mark.django_db
def test_several_changes_in_one_transaction_send_one_kick_after_commit(
    kicks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            record_change(source=SOURCE, dates=[MARCH])
            record_change(source="cases.Case", dates=[MARCH])
            with transaction.atomic():
                record_change(source="cases.Referral", dates=[MARCH])
        assert kicks == []  # not before the commit
    for callback in callbacks:
        callback()
    assert kicks == [1]
    assert Change.objects.count() == 3


@pytest.mark.django_db
def test_a_rolled_back_change_sends_nothing_and_the_next_transaction_still_kicks(
    kicks, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record_change(source=SOURCE, dates=[MARCH])
        raise RuntimeError("rolled back")
    assert kicks == [] and not Change.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        record_change(source=SOURCE, dates=[MARCH])
    assert kicks == [1]
    with django_capture_on_commit_callbacks(execute=True):
        record_change(source=SOURCE, dates=[MARCH])
    assert kicks == [1, 1]  # every committed transaction gets its own kick
