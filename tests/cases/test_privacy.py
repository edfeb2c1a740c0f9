"""AVG rights of a client: inzage, correctie, verwijdering (anonymisation) and retention."""

import datetime
import json
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import models
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from cases.choices import CaseStatus, ContactKind, FollowUpKind, GoalReached, MediationStep
from cases.models import (
    CaseOutcome,
    CaseStatusChange,
    Client,
    Consent,
    Contact,
    FollowUp,
    HourRegistration,
    Household,
    MediationParty,
    MediationStepRecord,
    OutcomeScore,
    Referral,
)
from cases.services.privacy import (
    ANONYMISATION_PLAN,
    ANONYMISED_LAST_NAME,
    CLIENT_FIELDS_CLEARED,
    CLIENT_FIELDS_KEPT,
    anonymise_client,
    apply_retention,
)
from cases.tasks_privacy import apply_retention_periods
from catalogue.models import Area, Product
from meerwaarde.accounts.models import Role
from meerwaarde.audit.models import AccessAction, PersonalDataAccess
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TeamFactory, UserFactory
from tests.volunteers_factories import MatchFactory, VolunteerFactory

TODAY = datetime.date.today()

# Everything identifying about Zefanja; none of it may survive anonymisation anywhere.
SECRETS = (
    "Zefanja",
    "van Quaadvliet",
    "1950-05-06",
    "Quaadvlietsingel",
    "2134QQ",
    "0612345678",
    "willem@example.invalid",
    "Arabisch",
    "OUD-4711",
    "Huishouden van Quaadvliet",
    "hulpvraag van Zefanja",
    "via dochter Anneke",
    "zoon Pieter belde",
    "Gesprek thuis bij Zefanja",
    "schuldhulp via Anneke",
    "Zefanja is tevreden",
    "Buurman Kees",
    "Kerkweg 1",
    "0687654321",
    "ruzie over de heg",
    "bel Zefanja",
    "uren bij Zefanja",
    "verwijderd bij Zefanja",
    "Zefanja wilde stoppen",
    "klikte met Zefanja",
    "match met Zefanja",
    "vrijwilligersuren bij Zefanja",
)


@pytest.fixture
def team(db):
    return TeamFactory(name="Team Badhoevedorp")


@pytest.fixture
def worker(team):
    return UserFactory(role=Role.SOCIAL_WORKER, teams=[team])


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.FUNCTIONAL_ADMIN)


@pytest.fixture
def kern(catalogue):
    return Area.objects.filter(kind="kern").first()


@pytest.fixture
def person(team, worker, kern):
    """A client with every personal field filled and a finished case with every kind of
    record, hours and a volunteer."""
    household = Household.objects.create(name="Huishouden van Quaadvliet", team=team)
    wijk = Area.objects.filter(kind="wijk", parent=kern).first()
    client = ClientFactory(
        first_name="Zefanja",
        last_name_prefix="van",
        last_name="Quaadvliet",
        birth_date=datetime.date(1950, 5, 6),
        gender="man",
        street="Quaadvlietsingel",
        house_number=12,
        house_number_addition="a",
        postcode="2134QQ",
        city="Hoofddorp",
        kern=kern,
        wijk=wijk,
        phone="0612345678",
        email="willem@example.invalid",
        language_needs="Arabisch, tolk nodig",
        household=household,
        external_reference="OUD-4711",
        team=team,
        created_by=worker,
    )
    consent = Consent.objects.create(
        client=client, purpose="registratie", given=True, text_version="2026-1", recorded_by=worker
    )
    consent.withdrawn_at, consent.withdrawn_by = timezone.now(), worker
    consent.save()
    case = CaseFactory(
        client=client,
        team=team,
        responsible_worker=worker,
        status=CaseStatus.CLOSED,
        question="Dit is de hulpvraag van Zefanja",
        referral_source_detail="via dochter Anneke",
        registered_on=TODAY - datetime.timedelta(days=60),
        closed_on=TODAY - datetime.timedelta(days=5),
    )
    CaseStatusChange.objects.create(
        case=case,
        from_status=CaseStatus.ACTIVE,
        to_status=CaseStatus.CLOSED,
        changed_by=worker,
        note="zoon Pieter belde",
    )
    Contact.objects.create(
        case=case,
        date=TODAY - datetime.timedelta(days=30),
        kind=ContactKind.HOME_VISIT,
        summary="Gesprek thuis bij Zefanja",
        created_by=worker,
    )
    Referral.objects.create(
        case=case,
        partner="schuldhulpverlening",
        partner_detail="schuldhulp via Anneke",
        date=TODAY - datetime.timedelta(days=20),
        created_by=worker,
    )
    CaseOutcome.objects.create(
        case=case,
        goal_reached=GoalReached.YES,
        can_continue_independently=True,
        note="Zefanja is tevreden",
        recorded_by=worker,
    )
    OutcomeScore.objects.create(
        case=case,
        instrument="zrm",
        instrument_version="ZRM 2017",
        moment="voor",
        domain="financien",
        score=2,
        recorded_by=worker,
    )
    MediationParty.objects.create(
        case=case, number=1, name="Zefanja van Quaadvliet", phone="0612345678"
    )
    MediationParty.objects.create(
        case=case, number=2, name="Buurman Kees", address="Kerkweg 1", phone="0687654321"
    )
    MediationStepRecord.objects.create(
        case=case,
        step=MediationStep.INTAKE,
        date=TODAY - datetime.timedelta(days=40),
        note="ruzie over de heg",
        recorded_by=worker,
    )
    FollowUp.objects.create(
        case=case, kind=FollowUpKind.OTHER, due_on=TODAY, description="bel Zefanja"
    )
    for days, note in ((10, "uren bij Zefanja"), (11, "")):
        HourRegistration.objects.create(
            worker=worker,
            date=TODAY - datetime.timedelta(days=days),
            hours=Decimal("1.50"),
            product=case.product,
            case=case,
            kind="direct",
            kern=kern,
            pc4="2134",
            note=note,
            client_reference="OUD-4711",
            created_by=worker,
        )
    deleted = HourRegistration.objects.create(
        worker=worker,
        date=TODAY - datetime.timedelta(days=12),
        hours=Decimal("1.00"),
        product=case.product,
        case=case,
        kind="direct",
        note="verwijderd bij Zefanja",
        created_by=worker,
    )
    deleted.delete()
    volunteer = VolunteerFactory(first_name="Fenna", last_name="Vrijwilligersnaam")
    match = MatchFactory(
        volunteer=volunteer,
        case=case,
        status="afgerond",
        end_reason="Zefanja wilde stoppen",
        evaluation_notes="klikte met Zefanja",
    )
    apps.get_model("volunteers", "MatchStatusChange").objects.create(
        match=match, to_status="afgerond", changed_by=worker, note="match met Zefanja"
    )
    apps.get_model("volunteers", "VolunteerHours").objects.create(
        volunteer=volunteer,
        date=TODAY - datetime.timedelta(days=9),
        hours=Decimal("2.00"),
        product=case.product,
        match=match,
        note="vrijwilligersuren bij Zefanja",
        registered_by=worker,
    )
    return client


@pytest.fixture
def other_person(team, worker):
    other = ClientFactory(first_name="Grietje", last_name="Grootveldhuis", team=team)
    case = CaseFactory(client=other, team=team, responsible_worker=worker)
    Contact.objects.create(
        case=case,
        date=TODAY,
        kind=ContactKind.NOTE,
        summary="Geheim van Grietje",
        created_by=worker,
    )
    HourRegistration.objects.create(
        worker=worker,
        date=TODAY,
        hours=Decimal("7.25"),
        product=case.product,
        case=case,
        kind="direct",
        created_by=worker,
    )
    return other


def inzage_json(client, person) -> tuple[dict, str]:
    response = client.get(reverse("cases:client_inzage_json", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode()
    return json.loads(body), body


# --- inzage -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_inzage_json_holds_every_kind_of_data_and_no_other_clients(
    client, login, person, other_person, worker
):
    login(worker)
    client.get(reverse("cases:client_detail", args=[person.pk]))
    data, body = inzage_json(client, person)

    personal = {row["field"]: row["value"] for row in data["personal_data"]}
    assert personal["first_name"] == "Zefanja" and personal["birth_date"] == "1950-05-06"
    assert personal["street"] == "Quaadvlietsingel" and personal["phone"] == "0612345678"
    assert data["household"]["name"] == "Huishouden van Quaadvliet"
    assert data["consents"][0]["withdrawn_at"] and data["consents"][0]["withdrawn_by"]
    (case,) = data["cases"]
    assert case["question"] == "Dit is de hulpvraag van Zefanja"
    assert case["status_history"][0]["note"] == "zoon Pieter belde"
    assert case["contacts"][0]["summary"] == "Gesprek thuis bij Zefanja"
    assert case["referrals"][0]["partner_detail"] == "schuldhulp via Anneke"
    assert case["outcome"]["note"] == "Zefanja is tevreden"
    assert case["scores"][0]["score"] == 2
    assert [h["hours"] for h in case["hours"]] == ["1.50", "1.50"]
    assert set(case["hours"][0]) == {"date", "hours", "product"}
    assert {p["name"] for p in case["mediation_parties"]} == {
        "Zefanja van Quaadvliet",
        "Buurman Kees",
    }
    assert case["mediation_steps"][0]["note"] == "ruzie over de heg"
    assert case["follow_ups"][0]["description"] == "bel Zefanja"
    assert case["matches"][0]["volunteer_first_name"] == "Fenna"
    assert "Vrijwilligersnaam" not in body  # the volunteer by first name only
    assert {entry["action"] for entry in data["access_log"]} >= {"Bekeken", "Geëxporteerd"}
    assert data["access_log"][0]["user"] == worker.display_name
    assert data["change_history"][0]["changes"]["first_name"][1] == "Zefanja"
    # Nothing of the other client of the same team.
    for text in ("Grietje", "Grootveldhuis", "Geheim van Grietje", "7.25"):
        assert text not in body
    assert PersonalDataAccess.objects.filter(
        user=worker, subject_id=str(person.pk), action=AccessAction.EXPORTED
    ).exists()


@pytest.mark.django_db
def test_printable_inzage_page_renders_with_print_css_and_is_logged(client, login, person, worker):
    login(worker)
    response = client.get(reverse("cases:client_inzage", args=[person.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gesprek thuis bij Zefanja" in html and "Fenna" in html and "Buurman Kees" in html
    assert "cases/css/inzage.css" in html and "cases/js/inzage.js" in html
    assert 'style="' not in html and "<script>" not in html  # the CSP forbids inline code
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert PersonalDataAccess.objects.filter(
        user=worker, subject_id=str(person.pk), action=AccessAction.PRINTED
    ).exists()


@pytest.mark.django_db
def test_only_the_clients_team_and_the_functioneel_beheerder_get_the_inzage(
    client, login, person, admin, make_user
):
    urls = [
        reverse("cases:client_inzage", args=[person.pk]),
        reverse("cases:client_inzage_json", args=[person.pk]),
    ]
    response = client.get(urls[0])
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
    login(UserFactory(role=Role.SOCIAL_WORKER, teams=[TeamFactory(name="Team Dorpen")]))
    assert [client.get(url).status_code for url in urls] == [404, 404]
    for role in (Role.MANAGER, Role.COORDINATOR):
        client.logout()
        login(make_user(role=role))
        assert [client.get(url).status_code for url in urls] == [403, 403]
        assert client.get(reverse("cases:privacy_lookup")).status_code == 403
    client.logout()
    login(admin)
    assert [client.get(url).status_code for url in urls] == [200, 200]
    assert client.get(reverse("cases:client_inzage", args=[999999])).status_code == 404
    assert not PersonalDataAccess.objects.exclude(user=admin).exists()


@pytest.mark.django_db
def test_functioneel_beheerder_finds_a_client_by_number_or_name_and_birth_date(
    client, login, person, admin
):
    login(admin)
    url = reverse("cases:privacy_lookup")
    assert "Zefanja van Quaadvliet" in client.get(url, {"nummer": person.pk}).content.decode()
    found = client.get(url, {"achternaam": "quaadvliet", "geboortedatum": "06-05-1950"})
    assert "Zefanja van Quaadvliet" in found.content.decode()
    wrong = client.get(url, {"achternaam": "Quaadvliet", "geboortedatum": "gisteren"})
    assert wrong.status_code == 200 and "geldige geboortedatum" in wrong.content.decode()
    assert "Zefanja" not in client.get(url, {"nummer": "12a"}).content.decode()


# --- correctie ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_correction_is_in_the_change_history_of_the_inzage(client, login, person, worker):
    login(worker)
    response = client.post(
        reverse("cases:client_edit", args=[person.pk]),
        {
            "first_name": "Zefanja",
            "last_name_prefix": "van",
            "last_name": "Quaadvliet-Jansen",
            "birth_date": "1950-05-06",
            "postcode": person.postcode,
            "house_number": person.house_number,
            "lives_in_haarlemmermeer": "on",
            "version": person.version,
        },
    )
    assert response.status_code == 302
    data, _body = inzage_json(client, person)
    corrections = [e for e in data["change_history"] if "last_name" in e["changes"]]
    assert corrections[-1]["changes"]["last_name"] == ["Quaadvliet", "Quaadvliet-Jansen"]
    assert corrections[-1]["by"] == worker.display_name


# --- verwijdering --------------------------------------------------------------------------------


def _text_fields(model) -> set[str]:
    return {
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    }


def _models_holding_a_clients_file(unlinked: set) -> set[type[models.Model]]:
    """Every model reachable from Client through reverse relations (cases, their records,
    matches and their records …): a new one must be in the anonymisation plan. Records
    that are only unlinked (the volunteer record of a client) are not walked into."""
    found: set[type[models.Model]] = set()
    todo = [Client]
    while todo:
        model = todo.pop()
        for relation in model._meta.related_objects:
            related = relation.related_model
            if related not in found and related is not Client:
                found.add(related)
                if related not in unlinked:
                    todo.append(related)
    return found


def test_every_field_of_a_clients_file_is_either_anonymised_or_deliberately_kept():
    client_fields = {f.name for f in Client._meta.concrete_fields}
    assert not CLIENT_FIELDS_CLEARED & CLIENT_FIELDS_KEPT
    assert client_fields == CLIENT_FIELDS_CLEARED | CLIENT_FIELDS_KEPT
    planned = {apps.get_model(entry.label): entry for entry in ANONYMISATION_PLAN}
    unlinked = {model for model, entry in planned.items() if entry.unlink}
    assert _models_holding_a_clients_file(unlinked) == set(planned)
    for model, entry in planned.items():
        if not entry.unlink:
            assert _text_fields(model) == entry.cleared | entry.kept, model


def _report_facts(person) -> dict:
    hours = HourRegistration.objects.filter(case__client=person)
    return {
        "hours": (hours.count(), hours.aggregate(total=Sum("hours"))["total"]),
        "hours_kern": set(hours.values_list("kern_id", "pc4", "product_id", "date")),
        "cases": list(
            person.cases.values_list(
                "product_id", "team_id", "status", "registered_on", "closed_on"
            )
        ),
        "contacts": list(Contact.objects.filter(case__client=person).values_list("date", "kind")),
        "outcomes": list(
            CaseOutcome.objects.filter(case__client=person).values_list("goal_reached", flat=True)
        ),
        "scores": list(OutcomeScore.objects.filter(case__client=person).values_list("score")),
        "kern": person.kern_id,
        "gender": person.gender,
    }


def _everything_stored_as_text(person) -> str:
    rows = [Client.objects.filter(pk=person.pk).values().get()]
    for entry in ANONYMISATION_PLAN:
        model = apps.get_model(entry.label)
        rows += list(model.objects.filter(**{entry.client_path: person}).values())
    rows += list(Household.objects.values())
    rows += list(
        LogEntry.objects.values("object_repr", "changes", "changes_text", "serialized_data")
    )
    return json.dumps(rows, default=str, ensure_ascii=False)


@pytest.mark.django_db
def test_anonymising_removes_every_personal_value_and_keeps_the_report_facts(
    client, login, person, other_person, admin
):
    before = _report_facts(person)
    stored = _everything_stored_as_text(person)
    assert all(secret in stored for secret in SECRETS)  # the test data holds them all
    login(admin)
    url = reverse("cases:client_anonymise", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Definitief anonimiseren" in page.content.decode()
    assert client.post(url, {"bevestigen": "ja"}).status_code == 302

    person.refresh_from_db()
    assert person.anonymised_at is not None and person.anonymised_by == admin
    for name in CLIENT_FIELDS_CLEARED - {"last_name", "birth_date", "search_name"}:
        assert getattr(person, name) in ("", None), name
    assert person.last_name == ANONYMISED_LAST_NAME
    assert person.birth_date == datetime.date(1950, 1, 1)
    stored = _everything_stored_as_text(person)
    assert [secret for secret in SECRETS if secret in stored] == []
    assert _report_facts(person) == before
    # The other client is untouched; the anonymisation itself is in the history and access log.
    assert Contact.objects.get(case__client=other_person).summary == "Geheim van Grietje"
    entry = LogEntry.objects.get_for_object(person).filter(additional_data__isnull=False).get()
    assert entry.actor == admin and entry.changes_dict["last_name"][0] == "[geanonimiseerd]"
    assert PersonalDataAccess.objects.filter(user=admin, subject_id=str(person.pk)).exists()


@pytest.mark.django_db
def test_a_client_who_is_also_a_volunteer_loses_only_the_link(person, admin):
    volunteer = VolunteerFactory(first_name="Zefanja", client=person)
    anonymise_client(client=person, anonymised_by=admin)
    volunteer.refresh_from_db()
    assert volunteer.client_id is None and volunteer.first_name == "Zefanja"
    history = LogEntry.objects.get_for_object(volunteer).values_list("changes", flat=True)
    assert all(
        changes.get("client") in (None, ["[geanonimiseerd]", "[geanonimiseerd]"])
        for changes in history
    )


@pytest.mark.django_db
def test_anonymising_is_refused_while_a_case_is_open(client, login, person, admin, team):
    CaseFactory(client=person, team=team, status=CaseStatus.ACTIVE)
    login(admin)
    url = reverse("cases:client_anonymise", args=[person.pk])
    assert "nog een open traject" in client.get(url).content.decode()
    response = client.post(url, {"bevestigen": "ja"}, follow=True)
    assert "nog een open traject" in response.content.decode()
    person.refresh_from_db()
    assert person.first_name == "Zefanja" and person.anonymised_at is None
    with pytest.raises(ValidationError, match="open traject"):
        anonymise_client(client=person, anonymised_by=admin)


@pytest.mark.django_db
def test_anonymising_needs_the_confirmation_and_the_functioneel_beheerder(
    client, login, person, admin, worker
):
    url = reverse("cases:client_anonymise", args=[person.pk])
    login(worker)
    assert client.get(url).status_code == 403
    assert client.post(url, {"bevestigen": "ja"}).status_code == 403
    client.logout()
    login(admin)
    response = client.post(url, {}, follow=True)
    assert "niet ongedaan" in response.content.decode()
    person.refresh_from_db()
    assert person.anonymised_at is None and person.first_name == "Zefanja"


@pytest.mark.django_db
def test_the_anonymise_service_itself_refuses_anyone_but_the_functioneel_beheerder(
    person, worker, make_user
):
    for user in (worker, make_user(role=Role.COORDINATOR), make_user(role=Role.MANAGER)):
        with pytest.raises(PermissionDenied):
            anonymise_client(client=person, anonymised_by=user)
    person.refresh_from_db()
    assert person.anonymised_at is None and person.first_name == "Zefanja"


@pytest.mark.django_db
def test_the_inzage_links_back_to_the_client_for_the_team_and_to_the_requests_otherwise(
    client, login, person, worker, admin
):
    url = reverse("cases:client_inzage", args=[person.pk])
    to_client = f'href="{reverse("cases:client_detail", args=[person.pk])}"'
    to_requests = f'href="{reverse("cases:privacy_lookup")}"'
    login(worker)
    html = client.get(url).content.decode()
    assert to_client in html and to_requests not in html
    client.logout()
    login(admin)
    html = client.get(url).content.decode()
    assert to_client not in html and to_requests in html


# --- retention ------------------------------------------------------------------------------------


def years_ago(years: int, days: int = 0) -> datetime.date:
    return TODAY.replace(year=TODAY.year - years) - datetime.timedelta(days=days)


@pytest.fixture
def retention_clients(catalogue, team):
    long_kept = Product.objects.get(slug="5-10-gesprekken")
    long_kept.retention_years = 10
    long_kept.save()

    def finished(closed_on, product=None, status=CaseStatus.CLOSED, client=None):
        case = CaseFactory(
            client=client or ClientFactory(team=team),
            team=team,
            status=status,
            registered_on=closed_on - datetime.timedelta(days=30),
            closed_on=closed_on,
            **({"product": product} if product else {}),
        )
        return case.client

    due = finished(years_ago(7, days=1))
    cancelled_due = finished(years_ago(8), status=CaseStatus.CANCELLED)
    recent = finished(years_ago(6))
    longer_product = finished(years_ago(8))
    finished(years_ago(9), product=long_kept, client=longer_product)
    still_open = finished(years_ago(9))
    CaseFactory(client=still_open, team=team, status=CaseStatus.ACTIVE)
    already = finished(years_ago(9))
    anonymise_client(client=already, anonymised_by=None)
    without_cases = ClientFactory(team=team)
    return {
        "due": due,
        "cancelled_due": cancelled_due,
        "recent": recent,
        "longer_product": longer_product,
        "still_open": still_open,
        "already": already,
        "without_cases": without_cases,
    }


@pytest.mark.django_db
def test_retention_anonymises_only_clients_past_the_longest_period_and_is_idempotent(
    retention_clients,
):
    result = apply_retention(today=TODAY)
    expected = {retention_clients["due"].pk, retention_clients["cancelled_due"].pk}
    assert set(result.client_ids) == expected and result.count == 2
    anonymised = set(
        Client.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)
    )
    assert anonymised == expected | {retention_clients["already"].pk}
    assert Client.objects.get(pk=retention_clients["due"].pk).anonymised_by is None
    assert apply_retention(today=TODAY).count == 0
    assert apply_retention_periods() == 0  # the nightly Celery task
    # Ten years after the 5-10 gesprekken case closed, that client is due too.
    later = apply_retention(today=TODAY.replace(year=TODAY.year + 3))
    assert retention_clients["longer_product"].pk in later.client_ids
    assert retention_clients["still_open"].pk not in later.client_ids


@pytest.mark.django_db
def test_retention_dry_run_changes_nothing_and_says_what_it_would_do(retention_clients, capsys):
    before = list(Client.objects.order_by("pk").values())
    call_command("apply_retention", "--dry-run")
    output = capsys.readouterr().out
    assert "Proefdraai: 2 cliënt(en)" in output
    assert str(retention_clients["due"].pk) in output
    assert list(Client.objects.order_by("pk").values()) == before
    call_command("apply_retention")
    assert "2 cliënt(en) geanonimiseerd" in capsys.readouterr().out
    call_command("apply_retention")
    assert "0 cliënt(en) geanonimiseerd" in capsys.readouterr().out


def test_the_retention_job_runs_nightly():
    from meerwaarde.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "cases.tasks_privacy.apply_retention_periods" in tasks
    assert "cases.tasks_privacy" in app.conf.imports


@pytest.mark.django_db
def test_products_keep_clients_seven_years_by_default(catalogue):
    assert set(Product.objects.values_list("retention_years", flat=True)) == {7}
    assert Product._meta.get_field("retention_years").default == 7


@pytest.mark.django_db
def test_reports_are_unchanged_after_anonymising_and_a_fresh_rollup(person, admin):
    from cases.models import Case
    from reporting import services as reporting
    from reporting.models import IndicatorValue

    years = sorted({d.year for d in Case.objects.filter(client=person).values_list(
        "registered_on", flat=True)} | {timezone.localdate().year})  # fmt: skip

    def table():
        return sorted(
            IndicatorValue.objects.values_list(
                "indicator__code", "period__key", "product_id", "area_id", "area_unknown",
                "value", "numerator", "denominator", "suppressed",
            ),
            key=repr,
        )  # fmt: skip

    for year in years:
        reporting.rollup_year(year)
    before = table()
    assert before
    anonymise_client(client=person, anonymised_by=admin)
    for year in years:
        reporting.rollup_year(year)
    assert table() == before


@pytest.mark.django_db
def test_an_anonymised_client_cannot_be_edited_back(person, admin, worker):
    from cases.services.clients import update_client

    anonymise_client(client=person, anonymised_by=admin)
    person.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        update_client(client=person, data={"first_name": "Zefanja"}, changed_by=worker)
    assert "geanonimiseerd" in str(info.value)
    person.refresh_from_db()
    assert person.first_name == ""
