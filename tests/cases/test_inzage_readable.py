"""The AVG inzage speaks to the client: the change history in Dutch field names, values
as the screens show them, local time, who changed it (name and role), no internal keys;
ZRM and Positieve Gezondheid domains by their Dutch names."""

import datetime
import json
import re

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.urls import reverse

from cases.models import OutcomeScore
from catalogue.models import Area
from meerwaarde.accounts.models import Role
from meerwaarde.audit.presenters import readable_history
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TeamFactory, UserFactory

# 09:30 UTC on a winter day is 10:30 in Haarlemmermeer.
EDITED_AT_UTC = datetime.datetime(2026, 1, 15, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def team(db):
    return TeamFactory(name="Team Nieuw-Vennep")


@pytest.fixture
def worker(team):
    return UserFactory(
        role=Role.SOCIAL_WORKER, teams=[team], first_name="Sanne", last_name="de Wit"
    )


@pytest.fixture
def person(team, worker, catalogue):
    kern = Area.objects.filter(kind="kern").order_by("name").first()
    with set_actor(worker):
        client = ClientFactory(
            first_name="Jorinde",
            last_name="Quaadvliet",
            birth_date=datetime.date(1950, 5, 6),
            gender="vrouw",
            lives_in_haarlemmermeer=True,
            kern=kern,
            team=team,
            created_by=worker,
        )
    return client


@pytest.fixture
def corrected(client, login, person, worker):
    """The worker corrects the last name, birth date, gender and residence on the edit
    form; the history entry is then moved to a known moment."""
    login(worker)
    response = client.post(
        reverse("cases:client_edit", args=[person.pk]),
        {
            "first_name": "Jorinde",
            "last_name": "Quaadvliet-Jansen",
            "birth_date": "1950-05-07",
            "gender": "man",
            "postcode": person.postcode,
            "house_number": person.house_number,
            "kern": person.kern_id,
            "version": person.version,
        },
    )
    assert response.status_code == 302
    entry = (
        LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).latest("pk")
    )
    LogEntry.objects.filter(pk=entry.pk).update(timestamp=EDITED_AT_UTC)
    LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.CREATE).update(
        timestamp=EDITED_AT_UTC - datetime.timedelta(days=1)
    )
    return person


def change_history_html(html: str) -> str:
    return re.search(r'data-testid="inzage-change-history">(.*?)</table>', html, re.DOTALL).group(1)


@pytest.mark.django_db
def test_the_printed_change_history_reads_as_on_the_screens(client, corrected, worker):
    html = client.get(reverse("cases:client_inzage", args=[corrected.pk])).content.decode()
    history = change_history_html(html)
    assert "15-01-2026 10:30" in history  # local time, not UTC
    assert "Sanne de Wit (Sociaal werker)" in history
    assert "Aangemaakt" in history and "Gewijzigd" in history
    assert "Achternaam: Quaadvliet → Quaadvliet-Jansen" in history
    assert "Geboortedatum: 06-05-1950 → 07-05-1950" in history
    assert "Geslacht: Vrouw → Man" in history
    assert "Woont in Haarlemmermeer: Ja → Nee" in history
    assert f"Kern: {corrected.kern.name}" in history
    assert "Aangemaakt door: Sanne de Wit (Sociaal werker)" in history
    # Nothing of auditlog's raw dump and no internal keys.
    for raw in (
        "cases.Case.None",
        "None",
        "True",
        "False",
        "create",
        "update",
        "Created by",
        "created_by",
        "last_name",
        "search_name",
        "version",
        "Versie",
        "1950-05-06",
        "+00:00",
    ):
        assert raw not in history, raw


@pytest.mark.django_db
def test_the_printed_personal_data_show_dutch_labels_and_screen_values(client, corrected):
    html = client.get(reverse("cases:client_inzage", args=[corrected.pk])).content.decode()
    personal = re.search(r'data-testid="inzage-personal-data">(.*?)</dl>', html, re.DOTALL)
    text = personal.group(1)
    assert "Aangemaakt door" in text and "Created by" not in text
    assert "07-05-1950" in text
    assert "Nee" in text  # woont in Haarlemmermeer


@pytest.mark.django_db
def test_the_json_export_keeps_its_keys_and_adds_readable_fields(client, corrected, worker):
    response = client.get(reverse("cases:client_inzage_json", args=[corrected.pk]))
    data = json.loads(response.content)
    created, edited = data["change_history"]
    assert {"at", "by", "action", "changes"} <= set(edited)
    assert edited["at"] == "2026-01-15T10:30:00+01:00"
    assert edited["by"] == worker.display_name and edited["role"] == "Sociaal werker"
    assert (created["action"], edited["action"]) == ("aangemaakt", "gewijzigd")
    assert edited["changes"]["last_name"] == ["Quaadvliet", "Quaadvliet-Jansen"]
    assert edited["changes"]["lives_in_haarlemmermeer"] == ["Ja", "Nee"]
    assert {"field": "gender", "label": "geslacht", "old": "Vrouw", "new": "Man"} in edited[
        "fields"
    ]
    for entry in data["change_history"]:
        assert not {"cases", "consents", "id", "version", "search_name", "updated_at"} & set(
            entry["changes"]
        )
    assert "cases.Case.None" not in response.content.decode()


@pytest.mark.django_db
def test_scores_name_the_zrm_domain_and_the_positive_health_dimension(
    client, login, person, worker
):
    case = CaseFactory(client=person, team=person.team, responsible_worker=worker)
    for instrument, version, domain in (
        ("zrm", "ZRM 2017", "huiselijke_relaties"),
        ("positieve_gezondheid", "Positieve Gezondheid volwassenen 2.0", "mentaal_welbevinden"),
    ):
        OutcomeScore.objects.create(
            case=case,
            instrument=instrument,
            instrument_version=version,
            moment="voor",
            domain=domain,
            score=3,
            recorded_by=worker,
        )
    login(worker)
    html = client.get(reverse("cases:client_inzage", args=[person.pk])).content.decode()
    assert "Huiselijke relaties: 3" in html and "Mentaal welbevinden: 3" in html
    assert "huiselijke_relaties" not in html and "mentaal_welbevinden" not in html
    data = json.loads(client.get(reverse("cases:client_inzage_json", args=[person.pk])).content)
    domains = {score["domain"] for score in data["cases"][0]["scores"]}
    assert domains == {"Huiselijke relaties", "Mentaal welbevinden"}


@pytest.mark.django_db
def test_history_rows_skip_reverse_relations_and_bookkeeping_and_name_the_system(person):
    """auditlog's dump of a new row ("cases.Case.None"), ids, version counters and search
    copies are not shown; a change without a person is the system's."""
    entry = LogEntry.objects.get_for_object(person).get()
    entry.changes = {
        **entry.changes_dict,
        "cases": ["None", "cases.Case.None"],
        "id": ["None", str(person.pk)],
        "version": ["1", "2"],
        "search_name": ["oud", "nieuw"],
        "anonymised_at": ["None", "2026-01-15 09:30:00"],
    }
    entry.actor = None
    entry.save()
    (row,) = readable_history(LogEntry.objects.filter(pk=entry.pk).select_related("actor"))
    assert not {"cases", "id", "version", "search_name"} & set(row["changes"])
    assert row["changes"]["anonymised_at"] == ["–", "15-01-2026 10:30"]
    assert row["who"] == "MeerWaarde (automatisch)" and row["by"] is None
