"""The roll-up never stalls: a dirty-period mark it cannot process is quarantined and shown
to the functioneel beheerder, the rest is processed and deleted; dates before 2000 mark
nothing."""

import datetime

import pytest
from django.urls import reverse

from meerwaarde.accounts.models import Role
from meerwaarde.outbox.services import months_between
from reporting import services
from reporting.models import DirtyPeriod, ReportingPeriod

pytestmark = pytest.mark.django_db

THIS_YEAR = datetime.date.today().year


def mark(key: str, source: str = "") -> DirtyPeriod:
    return DirtyPeriod.objects.create(period_key=key, source=source)


def open_keys() -> set[str]:
    return set(
        DirtyPeriod.objects.filter(quarantined_at__isnull=True).values_list("period_key", flat=True)
    )


def computed(key: str) -> bool:
    return ReportingPeriod.objects.filter(key=key, computed_at__isnull=False).exists()


def test_a_poisoned_mark_is_quarantined_and_the_others_are_processed(catalogue):
    mark(f"{THIS_YEAR}-03", "cases.HourRegistration")
    poisoned = mark("1", "cases.Case")
    mark(f"{THIS_YEAR}-Q1", "cases.HourRegistration")
    mark(f"{THIS_YEAR}", "")

    summary = services.process_dirty_periods()

    assert {f"{THIS_YEAR}-03", f"{THIS_YEAR}-Q1", f"{THIS_YEAR}"} <= set(summary.periods)
    assert computed(f"{THIS_YEAR}-03") and computed(f"{THIS_YEAR}")
    remaining = list(DirtyPeriod.objects.all())
    assert remaining == [poisoned]
    poisoned.refresh_from_db()
    assert poisoned.quarantined_at is not None
    assert (
        poisoned.error
        == "Onbekende periode 1. Gebruik bijvoorbeeld 2025, 2025-H1, 2025-Q2 of 2025-03."
    )


def test_a_quarantined_mark_does_not_hold_up_later_runs(catalogue):
    mark("1")
    services.process_dirty_periods()
    mark(f"{THIS_YEAR}-05", "cases.HourRegistration")

    summary = services.process_dirty_periods()

    assert f"{THIS_YEAR}-05" in summary.periods
    assert open_keys() == set()
    assert DirtyPeriod.objects.get().period_key == "1"  # still set aside, not retried


def test_a_period_whose_recompute_raises_is_quarantined_alone(catalogue, monkeypatch):
    broken = f"{THIS_YEAR}-02"
    original = services._store_period

    def store(period, *args, **kwargs):
        if period.key == broken:
            raise ZeroDivisionError("kapot")
        return original(period, *args, **kwargs)

    monkeypatch.setattr(services, "_store_period", store)
    mark(broken, "cases.HourRegistration")
    mark(f"{THIS_YEAR}-04", "cases.HourRegistration")
    mark(f"{THIS_YEAR - 1}-11", "cases.HourRegistration")

    summary = services.process_dirty_periods()

    assert {f"{THIS_YEAR}-04", f"{THIS_YEAR - 1}-11"} <= set(summary.periods)
    assert computed(f"{THIS_YEAR}-04") and computed(f"{THIS_YEAR - 1}-11")
    quarantined = DirtyPeriod.objects.get()
    assert quarantined.period_key == broken
    assert quarantined.error == (
        "De herberekening van deze periode is mislukt (ZeroDivisionError)."
    )


def test_the_nightly_run_releases_quarantined_marks_of_the_years_it_recomputed(catalogue):
    now = datetime.datetime.now(datetime.UTC)
    DirtyPeriod.objects.create(
        period_key=f"{THIS_YEAR}-02", quarantined_at=now, error="mislukt (OperationalError)"
    )
    unreadable = DirtyPeriod.objects.create(period_key="1", quarantined_at=now, error="x")

    services.recompute_open_periods()

    assert list(DirtyPeriod.objects.all()) == [unreadable]


@pytest.mark.parametrize(
    "day", [datetime.date(1, 1, 1), datetime.date(25, 3, 1), datetime.date(1800, 1, 1)]
)
def test_dates_before_2000_mark_no_period(day):
    keys = services.mark_dirty([day, datetime.date(2025, 3, 10)], sources=("cases.Case",))
    assert keys == ["2025", "2025-03", "2025-H1", "2025-Q1"]
    assert sorted(DirtyPeriod.objects.values_list("period_key", flat=True)) == keys


def test_a_case_open_since_year_1_marks_only_reportable_months():
    months = months_between(datetime.date(1, 1, 1), datetime.date(2025, 2, 1))
    assert months[0] == datetime.date(2000, 1, 1)
    assert months[-1] == datetime.date(2019, 12, 1)  # the 240-month cap, from 2000 on
    assert all(day.year >= 2000 for day in months)


# --- what the functioneel beheerder sees ----------------------------------------------------


@pytest.fixture
def quarantined(catalogue):
    mark("1", "cases.Case")
    services.process_dirty_periods()
    return DirtyPeriod.objects.get()


def test_the_beheerder_sees_quarantined_marks_in_beheer(client, login, make_user, quarantined):
    login(make_user(role=Role.FUNCTIONAL_ADMIN))
    response = client.get(reverse("admin:reporting_quarantinedperiod_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "herberekeningen in quarantaine" in html.lower()
    assert "Onbekende periode 1." in html
    change = client.get(reverse("admin:reporting_quarantinedperiod_change", args=[quarantined.pk]))
    assert change.status_code == 200
    assert "Opslaan" not in change.content.decode()  # read-only


def test_the_quarantine_list_is_for_the_beheerder_only(client, login, make_user, quarantined):
    login(make_user(role=Role.MANAGER))
    response = client.get(reverse("admin:reporting_quarantinedperiod_changelist"))
    assert response.status_code == 403  # no staff access: the Dutch 403 page


def test_the_dashboard_warns_the_beheerder(client, login, make_user, quarantined):
    login(make_user(role=Role.FUNCTIONAL_ADMIN))
    html = client.get(reverse("reporting:dashboard")).content.decode()
    assert 'data-testid="rollup-quarantine"' in html
    assert "1 markering apart gezet" in html
    assert reverse("admin:reporting_quarantinedperiod_changelist") in html


def test_the_dashboard_has_no_warning_without_quarantine(client, login, make_user, catalogue):
    login(make_user(role=Role.FUNCTIONAL_ADMIN))
    html = client.get(reverse("reporting:dashboard")).content.decode()
    assert 'data-testid="rollup-quarantine"' not in html
