"""The same roll-up on both engines: `make test` runs this file on PostgreSQL (COPY import,
GROUPING SETS person counts, COPY value rows) and again on SQLite, the embedded default of
`make run` (bulk inserts, one COUNT(DISTINCT) per breakdown). Both runs compare the full value
table of a fixed data set with the same table, kept in tests/reporting/data/."""

import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from cases.choices import CaseStatus, ContactTopic, GoalReached, Partner
from cases.models import (
    AnonymousContact,
    CaseOutcome,
    GroupActivity,
    GroupSession,
    HourRegistration,
    Referral,
)
from catalogue.models import Area, AreaKind, HourBudget, Location, LocationKind
from catalogue.services import save_hour_budget
from meerwaarde.accounts.models import Role
from reporting import services
from reporting.models import Indicator, IndicatorValue
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TeamFactory
from tests.volunteers_factories import MatchFactory, VolunteerFactory
from volunteers.models import VolunteerHours

pytestmark = pytest.mark.django_db

EXPECTED_TABLE = Path(__file__).parent / "data" / "engine_table_2025.tsv"
IMPORT_LINES = [
    "datum;medewerker;product;uren;client;kern;soort",
    "10-03-2025;jjansen;menes;1,5;;Hoofddorp;",
    "11-03-2025;jjansen;menes;2;;Nieuw-Vennep;",
    "02-04-2025;pdevries;buurt-en-groepsbemiddeling;3,25;;;",  # no kern: "onbekend"
    "20-05-2025;jjansen;menes;0,75;;Hoofddorp;",
    "01-08-2025;pdevries;1-5-gesprekken;4;;Hoofddorp;",
    "31-12-2025;jjansen;menes;0,25;;Nieuw-Vennep;",
    "31-12-2024;jjansen;menes;5;;Hoofddorp;",  # another year
]


@pytest.fixture(autouse=True)
def registrations_since_2024(settings):
    """The data set lies in 2024 and 2025: allowed whatever today is."""
    settings.EARLIEST_REGISTRATION_DATE = datetime.date(2024, 1, 1)


def kern(name: str) -> Area:
    return Area.objects.get(kind=AreaKind.KERN, name=name)


@pytest.fixture
def data_set_2025(catalogue, make_user, tmp_path):
    """Staff hours through the import, volunteer hours, cases over the edges of periods,
    caregivers, outcomes, matches and a budget: every kind of source the roll-up reads."""
    hoofddorp, nieuw_vennep = kern("Hoofddorp"), kern("Nieuw-Vennep")
    worker = make_user(role=Role.SOCIAL_WORKER, username="jjansen")
    coordinator = make_user(role=Role.COORDINATOR, username="pdevries")

    path = tmp_path / "uren-2025.csv"
    path.write_text("\n".join(IMPORT_LINES) + "\n", encoding="utf-8")
    call_command("import_hours", str(path), stdout=StringIO(), stderr=StringIO())
    assert HourRegistration.objects.count() == len(IMPORT_LINES) - 1

    # Only this budget in 2025, whichever year the reference data loaded budgets for.
    HourBudget.objects.filter(year=2025).delete()
    save_hour_budget(
        budget=HourBudget(product=catalogue["menes"], year=2025, agreed_hours=Decimal("120"))
    )

    cases = []
    spans = [
        (datetime.date(2025, 1, 31), datetime.date(2025, 3, 31)),
        (datetime.date(2025, 3, 31), datetime.date(2025, 4, 1)),
        (datetime.date(2025, 6, 30), None),
        (datetime.date(2024, 11, 5), datetime.date(2025, 1, 1)),
        (datetime.date(2024, 2, 1), datetime.date(2024, 12, 31)),
        (datetime.date(2025, 12, 31), None),
        (datetime.date(2025, 2, 3), datetime.date(2025, 10, 15)),
        (datetime.date(2025, 5, 6), None),
    ]
    for index, (registered_on, closed_on) in enumerate(spans):
        cases.append(
            CaseFactory(
                client=ClientFactory(kern=hoofddorp if index < 6 else nieuw_vennep),
                product=catalogue["1-5-gesprekken"],
                registered_on=registered_on,
                closed_on=closed_on,
                status=CaseStatus.CLOSED if closed_on else CaseStatus.ACTIVE,
                is_caregiver=index % 2 == 0,
                caregiver_overburdened=index == 2,
            )
        )
    # One person, two products.
    CaseFactory(
        client=cases[0].client,
        product=catalogue["thuisadministratie"],
        registered_on=datetime.date(2025, 3, 1),
    )
    for case, answer in zip(
        [cases[0], cases[1], cases[6]],
        [GoalReached.YES, GoalReached.PARTLY, GoalReached.NO],
        strict=True,
    ):
        CaseOutcome.objects.create(
            case=case, goal_reached=answer, can_continue_independently=True, recorded_by=worker
        )

    home_start = catalogue["home-start-en-home-start-plus"]
    volunteers = [VolunteerFactory(kern=hoofddorp), VolunteerFactory(kern=nieuw_vennep)]
    for volunteer, day, hours in (
        (volunteers[0], datetime.date(2025, 3, 31), "1"),
        (volunteers[0], datetime.date(2025, 4, 1), "2,5"),
        (volunteers[1], datetime.date(2025, 4, 15), "1,25"),
        (volunteers[1], datetime.date(2025, 12, 31), "3"),
    ):
        VolunteerHours.objects.create(
            volunteer=volunteer, date=day, hours=Decimal(hours.replace(",", ".")),
            product=home_start, kern=volunteer.kern, registered_by=coordinator,
        )  # fmt: skip
    for case, volunteer, proposed_on, started_on, ended_on in (
        (cases[0], volunteers[0], datetime.date(2025, 3, 10), datetime.date(2025, 3, 31),
         datetime.date(2025, 4, 1)),
        (cases[2], volunteers[1], datetime.date(2025, 6, 30), datetime.date(2025, 7, 1), None),
        (cases[6], volunteers[0], datetime.date(2024, 11, 20), datetime.date(2024, 12, 1), None),
        (cases[7], volunteers[1], datetime.date(2025, 9, 1), None, None),  # never active
    ):  # fmt: skip
        MatchFactory(
            case=case,
            volunteer=volunteer,
            proposed_on=proposed_on,
            started_on=started_on,
            ended_on=ended_on,
        )

    for case, day in (
        (cases[0], datetime.date(2025, 2, 14)),
        (cases[6], datetime.date(2025, 9, 2)),
    ):
        Referral.objects.create(case=case, partner=Partner.MEER_TEAM, date=day, created_by=worker)
    pluspunt = Location.objects.create(
        name="PlusPunt Pax", kind=LocationKind.PLUSPUNT, area=nieuw_vennep
    )
    for day, referred_to in (
        (datetime.date(2025, 1, 6), ""),
        (datetime.date(2025, 1, 6), Partner.MUNICIPALITY_WMO),
        (datetime.date(2025, 11, 18), ""),
    ):
        AnonymousContact.objects.create(
            date=day, location=pluspunt, product=catalogue["1-5-gesprekken"],
            topic=ContactTopic.FORMS, referred_on=bool(referred_to), referred_to=referred_to,
            registered_by=worker,
        )  # fmt: skip
    activity = GroupActivity.objects.create(
        product=catalogue["buurt-en-groepsbemiddeling"], name="Koffieochtend",
        team=worker.teams.first() or TeamFactory(), kern=hoofddorp,
        start_date=datetime.date(2025, 1, 1), created_by=coordinator,
    )  # fmt: skip
    for day, participants in ((datetime.date(2025, 2, 4), 12), (datetime.date(2025, 6, 3), 9)):
        GroupSession.objects.create(
            activity=activity, date=day, participants=participants, created_by=coordinator
        )


def value_table() -> list[str]:
    """The whole indicator table as engine-independent lines: products by slug, areas by
    name ("onbekend": registrations without a kern, "" for all areas), no ids or times."""
    rows = IndicatorValue.objects.with_status().values_list(
        "indicator__code", "period__key", "product__slug", "area__name", "area_unknown",
        "value", "numerator", "denominator", "status", "suppressed",
    )  # fmt: skip
    lines = []
    for code, period, product, area, unknown, value, numerator, denominator, status, hidden in rows:
        fields = [
            code,
            period,
            product or "",
            "onbekend" if unknown else area or "",
            "" if value is None else f"{value:.2f}",
            "" if numerator is None else f"{numerator:.2f}",
            "" if denominator is None else f"{denominator:.2f}",
            str(status),
            "verborgen" if hidden else "",
        ]
        lines.append("\t".join(fields))
    return sorted(lines)


def test_the_full_table_of_a_fixed_data_set_is_the_same_on_every_engine(data_set_2025):
    services.rollup_year(2025)

    expected = EXPECTED_TABLE.read_text(encoding="utf-8").splitlines()
    assert value_table() == expected


@pytest.mark.usefixtures("catalogue")
def test_the_expected_table_holds_the_hand_checked_sums():
    """Lines of the kept table worked out by hand from the data set above: the file is not
    just whatever one engine printed."""
    expected = set(EXPECTED_TABLE.read_text(encoding="utf-8").splitlines())

    def line(code, period, value, numerator, denominator="", *, product="", area=""):
        fields = [code, period, product, area, value, numerator, denominator, "voorlopig", ""]
        return "\t".join(fields)

    hand_checked = [
        line("uren_medewerkers", "2025-03", "3.50", "3.50"),
        line("uren_medewerkers", "2025", "3.25", "3.25", area="onbekend"),
        # menes in 2025: 1,5 + 2 + 0,75 + 0,25 = 4,5 of 120 budgeted hours
        line("uren_realisatie_pct", "2025", "3.75", "4.50", "120.00", product="menes"),
        line("uren_vrijwilligers", "2025-Q2", "3.75", "3.75"),
        # 8 cases overlap 2025 (one only in 2024), one person has two: 7 persons
        line("clienten_bereikt", "2025", "7.00", "7.00"),
        # 3 cases closed in 2025 with an outcome, one goal reached
        line("doel_behaald_pct", "2025", "33.33", "1.00", "3.00"),
        # 2 referrals from cases and 1 walk-in contact referred on
        line("doorverwijzingen", "2025", "3.00", "3.00"),
        line("pluspunt_contacten", "2025", "3.00", "3.00"),
        line("deelnemers_activiteiten", "2025", "21.00", "21.00"),
        # 38 + 0 + 118 days waited by the 3 matches proposed in 2025: 52 days, 7,43 weeks
        line("wachttijd_match_weken", "2025", "7.43", "156.00", "3.00"),
    ]
    assert [row for row in hand_checked if row not in expected] == []
    # Every indicator of the roll-up has rows in the table: no source left out of the data set.
    codes = {row.split("\t", 1)[0] for row in expected}
    assert codes == set(Indicator.objects.values_list("code", flat=True))
