"""manage.py list_dates_outside_window: the rows saved before the window existed."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.choices import HourKind
from cases.models import HourRegistration
from meerwaarde.accounts.models import Role
from meerwaarde.dates import registration_date_window
from tests.cases_factories import CaseFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("list_dates_outside_window", *args, stdout=out)  # raises on a non-zero exit
    return out.getvalue()


def hours_on(day, worker, product):
    # Straight into the table: such rows exist from before the window.
    return HourRegistration.objects.create(
        worker=worker,
        date=day,
        hours=Decimal("1"),
        product=product,
        kind=HourKind.DIRECT,
        created_by=worker,
    )


def test_lists_rows_outside_the_window_per_table_with_who_registered(make_user, catalogue):
    worker = make_user(role=Role.SOCIAL_WORKER, username="jjansen")
    product = catalogue["menes"]
    old = hours_on(datetime.date(1, 1, 1), worker, product)
    future = hours_on(
        registration_date_window().latest + datetime.timedelta(days=1), worker, product
    )
    hours_on(registration_date_window().earliest, worker, product)  # inside: not listed
    case = CaseFactory(registered_on=datetime.date(1999, 1, 1))

    output = run()

    assert f"cases.HourRegistration id={old.pk} datum=01-01-0001 door=jjansen" in output
    assert f"cases.HourRegistration id={future.pk} datum=" in output
    assert "cases.HourRegistration.date: 2 rij(en)" in output
    assert f"cases.Case id={case.pk} datum=01-01-1999 door=" in output
    assert "cases.Case.registered_on: 1 rij(en)" in output
    assert "Totaal 3 rij(en) buiten het venster." in output


def test_earliest_narrows_or_widens_the_window_but_never_before_2000(make_user, catalogue):
    worker = make_user(role=Role.SOCIAL_WORKER)
    row = hours_on(datetime.date(2010, 6, 1), worker, catalogue["menes"])
    assert f"id={row.pk}" in run()
    assert "Geen rijen buiten het venster." in run("--earliest", "2010-01-01")
    assert "Registratievenster: 01-01-2000" in run("--earliest", "1990-01-01")


def test_nothing_outside_says_so(catalogue):
    assert "Geen rijen buiten het venster." in run()


def test_a_bad_earliest_is_refused_in_dutch():
    with pytest.raises(CommandError, match="geen datum; gebruik JJJJ-MM-DD"):
        run("--earliest", "1-1-2025")
