"""The roll-up: hand-computed sums per product, per kern and per period after a real import,
idempotence, recovery from a crash halfway, suppression of small person counts, closing."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.choices import CaseStatus, GoalReached
from cases.models import CaseOutcome, ClosedPeriod, HourRegistration
from cases.services.clients import update_client
from cases.services.hours import delete_hours, update_hours
from catalogue.models import Area, AreaKind, HourBudget
from catalogue.services import save_hour_budget
from meerwaarde.accounts.models import Role
from meerwaarde.outbox.models import Change
from meerwaarde.outbox.services import record_change
from reporting import services
from reporting.computations import DISTINCT
from reporting.models import DirtyPeriod, IndicatorValue, ReportingPeriod, ValueStatus
from reporting.periods import periods_of_year
from tests.cases_factories import CaseFactory, ClientFactory
from tests.reporting.interface import INDICATOR_FIELDS
from tests.volunteers_factories import MatchFactory, VolunteerFactory
from volunteers.models import Volunteer, VolunteerHours

pytestmark = pytest.mark.django_db

HEADER = "datum;medewerker;product;uren;client;kern;soort"
# A known set of staff hours, with the sums worked out by hand below.
IMPORT_LINES = [
    HEADER,
    "10-03-2025;jjansen;menes;1,5;;Hoofddorp;",
    "11-03-2025;jjansen;menes;2;;Nieuw-Vennep;",
    "02-04-2025;pdevries;buurt-en-groepsbemiddeling;3,25;;;",  # no kern: "onbekend"
    "20-05-2025;jjansen;menes;0,75;;Hoofddorp;",
    "01-08-2025;pdevries;1-5-gesprekken;4;;Hoofddorp;",
    "31-12-2024;jjansen;menes;5;;Hoofddorp;",  # another year
]


@pytest.fixture(autouse=True)
def registrations_since_2024(settings):
    """The hand-computed sums below are over fixed dates in 2024 and 2025: the organisation
    in these tests registers from 2024 on (EARLIEST_REGISTRATION_DATE), whatever today is."""
    settings.EARLIEST_REGISTRATION_DATE = datetime.date(2024, 1, 1)


def kern(name: str) -> Area:
    return Area.objects.get(kind=AreaKind.KERN, name=name)


@pytest.fixture
def imported_hours(catalogue, make_user, tmp_path):
    make_user(role=Role.SOCIAL_WORKER, username="jjansen")
    make_user(role=Role.COORDINATOR, username="pdevries")
    path = tmp_path / "uren-2025.csv"
    path.write_text("\n".join(IMPORT_LINES) + "\n", encoding="utf-8")
    call_command("import_hours", str(path), stdout=StringIO(), stderr=StringIO())
    assert HourRegistration.objects.count() == 6
    return catalogue


@pytest.fixture
def volunteer_hours(imported_hours, make_user):
    volunteer = VolunteerFactory(kern=kern("Hoofddorp"))
    VolunteerHours.objects.create(
        volunteer=volunteer,
        date=datetime.date(2025, 4, 15),
        hours=Decimal("2.5"),
        product=imported_hours["home-start-en-home-start-plus"],
        kern=kern("Hoofddorp"),
        registered_by=make_user(role=Role.COORDINATOR),
    )
    return volunteer


def correct(
    registration: HourRegistration, hours: Decimal, *, date: datetime.date | None = None
) -> HourRegistration:
    """The worker corrects the hours (or date) of one of their registrations."""
    return update_hours(
        registration=registration,
        changed_by=registration.worker,
        date=date or registration.date,
        hours=hours,
        product=registration.product,
        kind=registration.kind,
        case=registration.case,
        note=registration.note,
    )


def value(code, period, *, product=None, area=None):
    """The stored value of one breakdown; area "onbekend" = registrations without a kern."""
    values = IndicatorValue.objects.filter(indicator__code=code, period__key=period)
    values = values.filter(product__slug=product) if product else values.filter(product=None)
    if area == "onbekend":
        values = values.filter(area=None, area_unknown=True)
    elif area:
        values = values.filter(area__name=area)
    else:
        values = values.filter(area=None, area_unknown=False)
    found = values.first()
    return None if found is None else found.value


def table() -> list[tuple]:
    """The whole indicator table, without ids and timestamps."""
    return sorted(
        IndicatorValue.objects.with_status().values_list(
            "indicator__code",
            "period__key",
            "product_id",
            "area_id",
            "area_unknown",
            "value",
            "numerator",
            "denominator",
            "status",
            "suppressed",
        ),
        key=repr,
    )


def test_imported_hours_roll_up_to_hand_computed_sums(volunteer_hours):
    out = StringIO()
    call_command("rollup_indicators", "--year", "2025", stdout=out)

    assert "Berekend: 19 perioden" in out.getvalue()
    h = Decimal
    # Months
    assert value("uren_medewerkers", "2025-03") == h("3.50")
    assert value("uren_medewerkers", "2025-03", product="menes") == h("3.50")
    assert value("uren_medewerkers", "2025-03", area="Hoofddorp") == h("1.50")
    assert value("uren_medewerkers", "2025-03", area="Nieuw-Vennep") == h("2.00")
    assert value("uren_medewerkers", "2025-03", product="menes", area="Nieuw-Vennep") == h("2")
    assert value("uren_medewerkers", "2025-02") is None  # nothing registered
    # Quarters, half-years, the year
    assert value("uren_medewerkers", "2025-Q1") == h("3.50")
    assert value("uren_medewerkers", "2025-Q2") == h("4.00")
    assert value("uren_medewerkers", "2025-Q2", area="onbekend") == h("3.25")
    assert value("uren_medewerkers", "2025-Q2", product="menes") == h("0.75")
    assert value("uren_medewerkers", "2025-Q3", product="1-5-gesprekken") == h("4.00")
    assert value("uren_medewerkers", "2025-H1") == h("7.50")
    assert value("uren_medewerkers", "2025-H2") == h("4.00")
    assert value("uren_medewerkers", "2025") == h("11.50")  # 31-12-2024 is not in it
    assert value("uren_medewerkers", "2025", area="Hoofddorp") == h("6.25")
    assert value("uren_medewerkers", "2025", product="menes", area="Hoofddorp") == h("2.25")
    assert value("uren_medewerkers", "2025", product="buurt-en-groepsbemiddeling") == h("3.25")
    # Volunteers and the total
    assert value("uren_vrijwilligers", "2025-Q2") == h("2.50")
    assert value("uren_gerealiseerd", "2025-Q2") == h("6.50")
    assert value("uren_gerealiseerd", "2025-Q2", area="Hoofddorp") == h("3.25")
    assert value("uren_gerealiseerd", "2025") == h("14.00")
    assert value("uren_medewerkers", "2024") is None  # another year is not touched


def test_export_indicators_prints_the_same_sums(imported_hours):
    call_command("rollup_indicators", "--year", "2025", stdout=StringIO())
    out = StringIO()
    call_command("export_indicators", "--year", "2025", "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())

    def find(indicator, period, product, area):
        matches = [
            r
            for r in rows
            if (r["indicator"], r["period"], r["product"], r["area"])
            == (indicator, period, product, area)
        ]
        assert len(matches) == 1, (indicator, period, product, area)
        return matches[0]

    assert list(rows[0]) == INDICATOR_FIELDS
    assert find("uren_medewerkers", "2025", None, None)["value"] == 11.5
    assert find("uren_medewerkers", "2025-Q2", "menes", None)["value"] == 0.75
    assert find("uren_medewerkers", "2025-H1", None, "onbekend")["value"] == 3.25
    assert find("uren_medewerkers", "2025-03", "menes", "Hoofddorp") == {
        "indicator": "uren_medewerkers",
        "period": "2025-03",
        "product": "menes",
        "area": "Hoofddorp",
        "value": 1.5,
        "numerator": 1.5,
        "denominator": None,
        "status": "voorlopig",
        "suppressed": False,
    }
    assert {r["period"][:4] for r in rows} == {"2025"}

    csv_out = StringIO()
    call_command("export_indicators", "--year", "2025", "--format", "csv", stdout=csv_out)


def test_export_csv_format_is_for_excel(imported_hours, capsys):
    call_command("rollup_indicators", "--year", "2025", stdout=StringIO())
    call_command("export_indicators", "--year", "2025", "--format", "csv")
    text = capsys.readouterr().out
    assert text.startswith("\ufeffindicator;period;product;area;value;")
    assert "uren_medewerkers;2025-Q2;menes;;0,75;0,75;;voorlopig;nee" in text


def test_budget_realisation_uses_the_share_of_the_year(imported_hours):
    save_hour_budget(
        budget=HourBudget(product=imported_hours["menes"], year=2025, agreed_hours=Decimal("120"))
    )
    services.rollup(["2025-Q1", "2025"])

    q1 = IndicatorValue.objects.get(
        indicator__code="uren_realisatie_pct", period__key="2025-Q1", product__slug="menes"
    )
    # 3,5 realised hours against a quarter of 120 budgeted hours
    assert (q1.numerator, q1.denominator, q1.value) == (
        Decimal("3.50"),
        Decimal("30"),
        Decimal("11.67"),
    )
    assert value("uren_realisatie_pct", "2025", product="menes") == Decimal("3.54")  # 4,25/120
    # products without a budget are not in the realisation
    assert value("uren_realisatie_pct", "2025", product="1-5-gesprekken") is None


def test_rollup_of_a_quarter_alone_computes_its_months_first(imported_hours):
    out = StringIO()
    call_command("rollup_indicators", "--year", "2025", "--period", "2025-Q2", stdout=out)
    assert value("uren_medewerkers", "2025-Q2") == Decimal("4.00")
    assert value("uren_medewerkers", "2025-04") == Decimal("3.25")
    assert "2025-Q2" in out.getvalue() and "uren_medewerkers" in out.getvalue()


def test_running_the_rollup_twice_changes_nothing(volunteer_hours):
    services.rollup_year(2025)
    first = table()
    services.rollup_year(2025)
    assert table() == first
    assert len(first) > 50


def test_a_crash_halfway_then_a_rerun_gives_the_clean_table(volunteer_hours, monkeypatch):
    services.rollup_year(2025)
    clean = table()
    IndicatorValue.objects.all().delete()
    ReportingPeriod.objects.update(computed_at=None)

    real_store = services._store_period
    calls = {"n": 0}

    def store_then_crash(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 9:
            raise RuntimeError("worker died")
        return real_store(*args, **kwargs)

    monkeypatch.setattr(services, "_store_period", store_then_crash)
    with pytest.raises(RuntimeError):
        services.rollup_year(2025)
    half = table()
    assert half and half != clean  # some periods done, others not
    monkeypatch.setattr(services, "_store_period", real_store)

    services.rollup_year(2025)
    assert table() == clean


def test_a_changed_registration_moves_only_its_periods(imported_hours):
    services.rollup_year(2025)
    DirtyPeriod.objects.all().delete()  # marks left by the fixtures' own inserts
    Change.objects.all().delete()
    correct(HourRegistration.objects.get(date=datetime.date(2025, 5, 20)), Decimal("1.75"))
    # The change is recorded (in the same transaction) for its month; the roll-up marks
    # exactly the periods that month falls in.
    assert list(Change.objects.values_list("source", "month")) == [
        ("cases.HourRegistration", datetime.date(2025, 5, 1))
    ]
    services.absorb_recorded_changes()
    assert not Change.objects.exists()
    assert set(DirtyPeriod.objects.values_list("period_key", flat=True)) == {
        "2025-05",
        "2025-Q2",
        "2025-H1",
        "2025",
    }
    services.process_dirty_periods()
    assert not DirtyPeriod.objects.exists()
    assert value("uren_medewerkers", "2025-05") == Decimal("1.75")
    assert value("uren_medewerkers", "2025-Q2") == Decimal("5.00")
    assert value("uren_medewerkers", "2025") == Decimal("12.50")
    assert value("uren_medewerkers", "2025-03") == Decimal("3.50")


def test_moving_a_registration_to_another_month_recomputes_both(imported_hours):
    services.rollup_year(2025)
    Change.objects.all().delete()  # changes recorded by the fixture's import
    registration = HourRegistration.objects.get(date=datetime.date(2025, 8, 1))
    correct(registration, registration.hours, date=datetime.date(2025, 2, 3))
    services.process_dirty_periods()
    assert value("uren_medewerkers", "2025-08") is None
    assert value("uren_medewerkers", "2025-02") == Decimal("4.00")
    assert value("uren_medewerkers", "2025-H2") is None
    assert value("uren_medewerkers", "2025-H1") == Decimal("11.50")


def test_deleting_a_registration_is_rolled_up(imported_hours):
    services.rollup_year(2025)
    Change.objects.all().delete()  # changes recorded by the fixture's import
    registration = HourRegistration.objects.get(date=datetime.date(2025, 4, 2))
    delete_hours(registration=registration, deleted_by=registration.worker)
    services.process_dirty_periods()
    assert value("uren_medewerkers", "2025-Q2", area="onbekend") is None
    assert value("uren_medewerkers", "2025-Q2") == Decimal("0.75")


# --- persons, outcomes and suppression ------------------------------------------------------


@pytest.fixture
def clients_2025(catalogue):
    """Six clients in Hoofddorp and two in Nieuw-Vennep with a 1-5 gesprekken case in 2025;
    one Hoofddorp client also has a Thuisadministratie case (one person, two products)."""
    hoofddorp, nieuw_vennep = kern("Hoofddorp"), kern("Nieuw-Vennep")
    cases = []
    for index in range(8):
        client = ClientFactory(kern=hoofddorp if index < 6 else nieuw_vennep)
        cases.append(
            CaseFactory(
                client=client,
                product=catalogue["1-5-gesprekken"],
                registered_on=datetime.date(2025, 2, 1 + index),
                is_caregiver=index < 3,
            )
        )
    CaseFactory(
        client=cases[0].client,
        product=catalogue["thuisadministratie"],
        registered_on=datetime.date(2025, 3, 1),
    )
    return cases


def test_persons_are_counted_once_and_small_counts_are_suppressed(clients_2025):
    services.rollup(["2025-Q1"])

    assert value("clienten_bereikt", "2025-Q1") == Decimal("8")  # 9 cases, 8 people
    assert value("clienten_bereikt", "2025-Q1", product="1-5-gesprekken") == Decimal("8")
    assert value("clienten_bereikt", "2025-Q1", area="Hoofddorp") == Decimal("6")
    assert value("intakes_nieuw", "2025-Q1") == Decimal("9")
    assert value("mantelzorgers_ondersteund", "2025-Q1") == Decimal("3")

    def stored(code, **filters):
        return IndicatorValue.objects.get(indicator__code=code, period__key="2025-Q1", **filters)

    # two people in Nieuw-Vennep: stored for the sums, never published
    nieuw_vennep = stored("clienten_bereikt", product=None, area__name="Nieuw-Vennep")
    assert nieuw_vennep.suppressed and nieuw_vennep.value == Decimal("2")
    assert not stored("clienten_bereikt", product=None, area__name="Hoofddorp").suppressed
    one_person = stored(
        "clienten_bereikt", product__slug="thuisadministratie", area__name="Hoofddorp"
    )
    assert one_person.suppressed
    # the whole municipality is never suppressed, even below 5
    assert not stored("mantelzorgers_ondersteund", product=None, area=None).suppressed

    out = StringIO()
    call_command(
        "export_indicators",
        "--year",
        "2025",
        "--period",
        "2025-Q1",
        "--indicator",
        "clienten_bereikt",
        stdout=out,
    )
    rows = json.loads(out.getvalue())
    published = [r for r in rows if r["area"] == "Nieuw-Vennep" and r["product"] is None]
    assert published == [
        {
            "indicator": "clienten_bereikt",
            "period": "2025-Q1",
            "product": None,
            "area": "Nieuw-Vennep",
            "value": None,
            "numerator": None,
            "denominator": None,
            "status": "voorlopig",
            "suppressed": True,
        }
    ]
    # hours are not person counts: never suppressed
    assert not IndicatorValue.objects.filter(
        indicator__code__startswith="uren_", suppressed=True
    ).exists()


def test_person_counts_respect_period_edges_in_every_period_of_the_year(catalogue, make_user):
    """All 19 periods are counted in one statement per indicator: a case counts in each period
    it overlaps, to the day — closed on the day before a period starts: not in it; registered
    on its last day: in it. Compared with a plain count of the same rows in Python."""
    hoofddorp = kern("Hoofddorp")
    edges = [
        (datetime.date(2025, 1, 31), datetime.date(2025, 3, 31)),  # ends on a quarter's end
        (datetime.date(2025, 3, 31), datetime.date(2025, 4, 1)),  # two days, two quarters
        (datetime.date(2025, 6, 30), None),  # registered on the last day of H1, still open
        (datetime.date(2024, 11, 5), datetime.date(2025, 1, 1)),  # from last year, one day in
        (datetime.date(2024, 2, 1), datetime.date(2024, 12, 31)),  # closed before the year
        (datetime.date(2025, 12, 31), None),
        (datetime.date(2026, 1, 1), None),  # after the year
        (datetime.date(2025, 7, 15), datetime.date(2025, 9, 1)),
        (datetime.date(2025, 5, 1), None),  # cancelled: never counts
    ]
    cases = []
    for registered_on, closed_on in edges:
        cases.append(
            CaseFactory(
                client=ClientFactory(kern=hoofddorp),
                product=catalogue["1-5-gesprekken"],
                registered_on=registered_on,
                closed_on=closed_on,
                status=CaseStatus.CLOSED if closed_on else CaseStatus.ACTIVE,
            )
        )
    cancelled = cases[-1]
    cancelled.status = CaseStatus.CANCELLED
    cancelled.save()
    volunteer = VolunteerFactory(kern=hoofddorp)
    coordinator = make_user(role=Role.COORDINATOR)
    for day in (datetime.date(2025, 3, 31), datetime.date(2025, 4, 1), datetime.date(2025, 12, 31)):
        VolunteerHours.objects.create(
            volunteer=volunteer, date=day, hours=Decimal("1"), registered_by=coordinator,
            product=catalogue["home-start-en-home-start-plus"], kern=hoofddorp,
        )  # fmt: skip

    for started_on, ended_on in (
        (datetime.date(2025, 3, 31), datetime.date(2025, 4, 1)),
        (datetime.date(2024, 12, 1), None),
        (None, None),  # only proposed: never active
    ):
        MatchFactory(
            case=cases[0], volunteer=VolunteerFactory(kern=hoofddorp),
            started_on=started_on, ended_on=ended_on,
        )  # fmt: skip

    services.rollup_year(2025)
    assert value("matches_actief", "2025-Q1") == Decimal("2")
    assert value("matches_actief", "2025-Q2") == Decimal("2")
    assert value("matches_actief", "2025-Q3") == Decimal("1")

    def overlaps(case, period):
        return (
            case.status != CaseStatus.CANCELLED
            and case.registered_on <= period.end
            and (case.closed_on is None or case.closed_on >= period.start)
        )

    for period in periods_of_year(2025):
        expected = sum(1 for case in cases if overlaps(case, period))
        assert value("clienten_bereikt", period.key) == (Decimal(expected) if expected else None), (
            period.key
        )
        hours_days = VolunteerHours.objects.filter(date__range=(period.start, period.end))
        assert value("vrijwilligers_actief", period.key) == (
            Decimal(1) if hours_days.exists() else None
        ), period.key
    assert value("clienten_bereikt", "2025-01") == Decimal("2")
    assert value("clienten_bereikt", "2025-Q1") == Decimal("3")
    assert value("clienten_bereikt", "2025-Q2") == Decimal("2")
    assert value("clienten_bereikt", "2025") == Decimal("6")
    # The one-statement count (month masks) equals a plain COUNT(DISTINCT) per period and
    # breakdown, for every person count.
    for code, computation in DISTINCT.items():
        together = computation.compute_many(periods_of_year(2025))
        for period in periods_of_year(2025):
            plain = computation._compute_per_breakdown(period)
            assert {key: f.numerator for key, f in together[period].items()} == {
                key: f.numerator for key, f in plain.items()
            }, (code, period.key)


def test_a_quarter_from_stored_months_equals_one_from_months_of_the_same_run(
    volunteer_hours, clients_2025
):
    """A full run sums quarters, half-years and the year from the months it just computed; a
    run of only a quarter reads the stored months. Both give the same table."""
    services.rollup_year(2025)

    def table():
        return set(
            IndicatorValue.objects.with_status().values_list(
                "indicator__code", "period__key", "product_id", "area_id", "area_unknown",
                "value", "numerator", "denominator", "suppressed",
            )
        )  # fmt: skip

    full_run = table()
    assert any(row[1] == "2025-Q2" for row in full_run)
    IndicatorValue.objects.filter(period__key__in=["2025-Q2", "2025-H1", "2025"]).delete()
    services.rollup(["2025-Q2", "2025-H1", "2025"])  # months stay as stored
    assert table() == full_run


def test_a_client_moving_to_another_kern_is_recounted_without_a_full_run(clients_2025, make_user):
    services.rollup(["2025-Q1"])
    assert value("clienten_bereikt", "2025-Q1", area="Hoofddorp") == Decimal("6")
    moving = clients_2025[1].client
    worker = make_user(teams=[clients_2025[1].team])  # update_client checks change_client
    update_client(client=moving, data={"kern": kern("Nieuw-Vennep")}, changed_by=worker)
    services.absorb_recorded_changes()
    assert DirtyPeriod.objects.filter(period_key="2025-Q1", source="cases.Client").exists()

    services.process_dirty_periods()

    assert value("clienten_bereikt", "2025-Q1", area="Hoofddorp") == Decimal("5")
    assert value("clienten_bereikt", "2025-Q1", area="Nieuw-Vennep") == Decimal("3")
    assert value("clienten_bereikt", "2025-Q1") == Decimal("8")


def test_a_volunteer_moving_to_another_kern_is_recounted(volunteer_hours):
    services.rollup(["2025-Q2"])
    assert value("vrijwilligers_actief", "2025-Q2", area="Hoofddorp") == Decimal("1")
    # (The service that records a volunteer's move: tests/volunteers/test_registry.py.)
    volunteer_hours.kern = kern("Nieuw-Vennep")
    volunteer_hours.save()
    record_change(source=Volunteer, dates=[datetime.date(2025, 4, 15)])
    services.process_dirty_periods()
    assert value("vrijwilligers_actief", "2025-Q2", area="Hoofddorp") is None
    assert value("vrijwilligers_actief", "2025-Q2", area="Nieuw-Vennep") == Decimal("1")
    assert not DirtyPeriod.objects.exists()


def test_goal_reached_is_a_ratio_of_closed_cases_with_an_outcome(clients_2025, make_user):
    worker = make_user(role=Role.SOCIAL_WORKER)
    answers = [GoalReached.YES, GoalReached.YES, GoalReached.PARTLY, GoalReached.NO]
    for case, answer in zip(clients_2025[:4], answers, strict=True):
        case.status = CaseStatus.CLOSED
        case.closed_on = datetime.date(2025, 4, 10)
        case.save()
        CaseOutcome.objects.create(
            case=case, goal_reached=answer, can_continue_independently=True, recorded_by=worker
        )
    services.rollup(["2025-Q2"])

    ratio = IndicatorValue.objects.get(
        indicator__code="doel_behaald_pct", period__key="2025-Q2", product=None, area=None
    )
    assert (ratio.numerator, ratio.denominator, ratio.value) == (2, 4, Decimal("50.00"))
    assert value("trajecten_afgesloten", "2025-Q2") == Decimal("4")
    # 4 closed cases in Hoofddorp: a percentage over fewer than 5 people is not published
    assert IndicatorValue.objects.get(
        indicator__code="doel_behaald_pct", period__key="2025-Q2", product=None,
        area__name="Hoofddorp",
    ).suppressed  # fmt: skip


# --- closing a period ---------------------------------------------------------------------


def test_closing_a_period_makes_it_final_and_locks_its_hours(imported_hours, make_user):
    manager = make_user(role=Role.MANAGER)
    services.rollup_year(2025)
    period = services.close_period(key="2025-Q1", user=manager)

    assert period.status == ValueStatus.FINAL
    final = ReportingPeriod.objects.filter(closed_at__isnull=False)
    assert set(final.values_list("key", flat=True)) == {"2025-Q1", "2025-01", "2025-02", "2025-03"}
    q1_values = IndicatorValue.objects.with_status().filter(period__key="2025-Q1")
    assert set(q1_values.values_list("status", flat=True)) == {ValueStatus.FINAL}
    assert set(
        IndicatorValue.objects.with_status()
        .filter(period__key="2025-H1")
        .values_list("status", flat=True)
    ) == {ValueStatus.PROVISIONAL}
    assert ClosedPeriod.objects.filter(
        start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2025, 3, 31)
    ).exists()
    # a final period is never recomputed
    summary = services.rollup(["2025-Q1"])
    assert summary.skipped_final == ["2025-Q1"]

    with pytest.raises(ValidationError) as info:
        services.close_period(key="2025-Q1", user=manager)
    assert "al gesloten" in str(info.value)


def test_an_open_period_cannot_be_closed(catalogue, make_user):
    manager = make_user(role=Role.MANAGER)
    with pytest.raises(ValidationError) as info:
        services.close_period(key="2025-Q4", user=manager, today=datetime.date(2025, 12, 1))
    assert "pas worden gesloten als die voorbij is" in str(info.value)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", "2025", "--period", "2025-Q5"], "Onbekende periode"),
        (["--year", "2025", "--period", "2024-Q1"], "ligt niet in 2025"),
        (["--year", "2025", "--period", "2025-13"], "bestaat niet"),
    ],
)
def test_rollup_command_refuses_bad_periods_in_dutch(catalogue, args, message):
    with pytest.raises(CommandError) as info:
        call_command("rollup_indicators", *args, stdout=StringIO())
    assert message in str(info.value)
    assert not IndicatorValue.objects.exists()


def test_a_changed_hour_recomputes_only_the_indicators_that_read_hours(
    imported_hours, clients_2025
):
    services.rollup_year(2025)

    def stamp(code):
        return IndicatorValue.objects.get(
            indicator__code=code, period__key="2025-Q2", product=None, area=None,
            area_unknown=False,
        ).computed_at  # fmt: skip

    reached, hours = stamp("clienten_bereikt"), stamp("uren_medewerkers")
    DirtyPeriod.objects.all().delete()  # marks left by the fixtures' own inserts
    Change.objects.all().delete()
    correct(HourRegistration.objects.get(date=datetime.date(2025, 5, 20)), Decimal("2"))
    services.absorb_recorded_changes()
    assert set(DirtyPeriod.objects.values_list("source", flat=True)) == {"cases.HourRegistration"}
    services.process_dirty_periods()

    assert stamp("uren_medewerkers") > hours
    assert value("uren_medewerkers", "2025-Q2") == Decimal("5.25")
    assert stamp("clienten_bereikt") == reached  # untouched: it does not read hours
    assert value("clienten_bereikt", "2025-Q2") == Decimal("8")


def test_volunteer_hours_recompute_the_volunteer_indicators_but_staff_hours_do_not(
    volunteer_hours,
):
    """The change names the table that changed: staff hours leave vrijwilligers_actief
    alone, volunteer hours recompute it."""
    services.rollup_year(2025)
    DirtyPeriod.objects.all().delete()
    record_change(source=HourRegistration, dates=[datetime.date(2025, 4, 2)])
    services.absorb_recorded_changes()
    assert set(DirtyPeriod.objects.values_list("source", flat=True)) == {"cases.HourRegistration"}
    from reporting.computations import computations_reading

    assert "vrijwilligers_actief" not in computations_reading({"cases.HourRegistration"})
    assert "vrijwilligers_actief" in computations_reading({"volunteers.VolunteerHours"})
    assert value("vrijwilligers_actief", "2025-Q2") == Decimal("1")
