"""Buurtbemiddeling: parties, steps in the seed's order, refer-on at the assessment,
nazorg follow-ups, and who may see which melding."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.choices import CaseStatus, FollowUpKind, MediationStep, Partner
from cases.models import CaseStatusChange, FollowUp, MediationParty, MediationStepRecord, Referral
from cases.services.mediation import (
    aftercare_to_do,
    complete_aftercare,
    record_mediation_step,
    refer_on_at_assessment,
    save_party,
    schedule_aftercare_follow_ups,
)
from cases.tasks_mediation import schedule_mediation_aftercare
from meerwaarde.accounts.models import Role
from meerwaarde.dates import registration_date_window
from tests.cases_factories import CaseFactory
from tests.factories import TeamFactory

WINDOW_MESSAGE = registration_date_window().message

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
STEPS = list(MediationStep.values)
OVERVIEW_URL = reverse("mediation:overview")


@pytest.fixture
def product(catalogue):
    return catalogue["buurt-en-groepsbemiddeling"]


@pytest.fixture
def coordinator(make_user, product):
    user = make_user(role=Role.COORDINATOR)
    product.coordinators.add(user)
    return user


@pytest.fixture
def melding(product):
    return CaseFactory(
        product=product, status=CaseStatus.REGISTERED, registered_on=TODAY - 100 * DAY
    )


def add_parties(case, user):
    save_party(case=case, number=1, name="J. de Vries", address="Dorpsstraat 1", saved_by=user)
    save_party(case=case, number=2, name="P. Jansen", phone="06-12345678", saved_by=user)


def record_steps(case, user, *, through: str, first_on: datetime.date | None = None):
    """Records every step up to and including `through`, one day apart."""
    day = first_on or case.registered_on
    for step in STEPS[: STEPS.index(through) + 1]:
        if step == MediationStep.TALK_PARTY_1 and not case.mediation_parties.exists():
            add_parties(case, user)
        record_mediation_step(
            case=case, step=step, date=day, note=f"Verslag {step}", recorded_by=user
        )
        day += DAY
    return day - DAY


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- services ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_step_cannot_be_recorded_before_the_previous_ones(melding, coordinator):
    with pytest.raises(ValidationError) as error:
        record_mediation_step(
            case=melding,
            step=MediationStep.ASSESSMENT,
            date=TODAY,
            note="Past bij bemiddeling",
            recorded_by=coordinator,
        )
    assert "Leg eerst de stap 'Aanname melding en informatie-uitwisseling' vast." in messages_of(
        error.value
    )
    assert not MediationStepRecord.objects.filter(case=melding).exists()


@pytest.mark.django_db
def test_steps_in_order_are_recorded_with_date_and_report(melding, coordinator):
    record_steps(melding, coordinator, through=MediationStep.MEDIATORS_ASSIGNED)
    records = list(MediationStepRecord.objects.filter(case=melding).order_by("date"))
    assert [r.step for r in records] == STEPS[:3]
    assert records[2].note == "Verslag bemiddelaars"
    assert records[0].date == melding.registered_on
    assert all(r.recorded_by == coordinator for r in records)


@pytest.mark.django_db
def test_both_parties_must_be_recorded_before_the_talks(melding, coordinator):
    record_steps(melding, coordinator, through=MediationStep.MEDIATORS_ASSIGNED)
    save_party(case=melding, number=1, name="J. de Vries", saved_by=coordinator)
    with pytest.raises(ValidationError) as error:
        record_mediation_step(
            case=melding,
            step=MediationStep.TALK_PARTY_1,
            date=TODAY,
            note="Gesprek",
            recorded_by=coordinator,
        )
    assert "Leg eerst beide partijen vast" in messages_of(error.value)
    save_party(case=melding, number=2, name="P. Jansen", saved_by=coordinator)
    record_mediation_step(
        case=melding,
        step=MediationStep.TALK_PARTY_1,
        date=TODAY,
        note="Gesprek",
        recorded_by=coordinator,
    )
    assert melding.mediation_steps.filter(step=MediationStep.TALK_PARTY_1).exists()


@pytest.mark.django_db
def test_no_future_date_and_no_date_before_the_previous_step(melding, coordinator):
    last = record_steps(
        melding, coordinator, through=MediationStep.INTAKE, first_on=TODAY - 5 * DAY
    )
    with pytest.raises(ValidationError) as error:
        record_mediation_step(
            case=melding,
            step=MediationStep.ASSESSMENT,
            date=TODAY + DAY,
            note="Beoordeeld",
            recorded_by=coordinator,
        )
    assert error.value.message_dict["date"] == [WINDOW_MESSAGE]
    with pytest.raises(ValidationError) as error:
        record_mediation_step(
            case=melding,
            step=MediationStep.ASSESSMENT,
            date=last - DAY,
            note="Beoordeeld",
            recorded_by=coordinator,
        )
    assert "vóór de vorige stap" in error.value.message_dict["date"][0]
    assert melding.mediation_steps.count() == 1


@pytest.mark.django_db
def test_a_step_is_not_recorded_twice(melding, coordinator):
    record_steps(melding, coordinator, through=MediationStep.INTAKE)
    with pytest.raises(ValidationError) as error:
        record_mediation_step(
            case=melding,
            step=MediationStep.INTAKE,
            date=TODAY,
            note="Nog eens",
            recorded_by=coordinator,
        )
    assert "is al vastgelegd op" in messages_of(error.value)
    assert melding.mediation_steps.count() == 1


@pytest.mark.django_db
def test_every_step_needs_a_report(melding, coordinator):
    with pytest.raises(ValidationError) as error:
        record_mediation_step(
            case=melding, step=MediationStep.INTAKE, date=TODAY, note="  ", recorded_by=coordinator
        )
    assert error.value.message_dict["note"] == ["Schrijf een kort verslag van deze stap."]
    assert not melding.mediation_steps.exists()


@pytest.mark.django_db
def test_nazorg_comes_only_after_the_joint_talk(melding, coordinator):
    record_steps(melding, coordinator, through=MediationStep.TALK_PARTY_2)
    with pytest.raises(ValidationError) as error:
        record_mediation_step(
            case=melding,
            step=MediationStep.AFTERCARE,
            date=TODAY,
            note="Gebeld",
            recorded_by=coordinator,
        )
    assert "Nazorg volgt pas na het gezamenlijke bemiddelingsgesprek." in messages_of(error.value)


@pytest.mark.django_db
@pytest.mark.parametrize("start_status", [CaseStatus.REGISTERED, CaseStatus.INTAKE])
def test_the_first_talk_makes_the_case_active(product, coordinator, start_status):
    case = CaseFactory(product=product, status=start_status, registered_on=TODAY - 30 * DAY)
    record_steps(case, coordinator, through=MediationStep.MEDIATORS_ASSIGNED)
    case.refresh_from_db()
    assert case.status == start_status  # accepting and assigning mediators change nothing
    record_steps_from(case, coordinator, MediationStep.TALK_PARTY_1)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    changes = list(CaseStatusChange.objects.filter(case=case).values_list("to_status", flat=True))
    assert changes[-1] == CaseStatus.ACTIVE
    if start_status == CaseStatus.REGISTERED:
        assert changes == [CaseStatus.INTAKE, CaseStatus.ACTIVE]


def record_steps_from(case, user, step):
    add_parties(case, user)
    record_mediation_step(case=case, step=step, date=TODAY, note="Gesprek", recorded_by=user)


@pytest.mark.django_db
def test_refer_on_at_the_assessment_records_a_referral_and_sets_doorverwezen(melding, coordinator):
    record_steps(melding, coordinator, through=MediationStep.INTAKE)
    referral = refer_on_at_assessment(
        case=melding,
        date=TODAY,
        partner=Partner.HOUSING,
        note="Geen huis-tuin-en-keukenconflict: overlast via de woningcorporatie.",
        recorded_by=coordinator,
    )
    melding.refresh_from_db()
    assert melding.status == CaseStatus.REFERRED
    assert melding.closed_on == TODAY
    assert Referral.objects.get(case=melding) == referral
    assert referral.partner == Partner.HOUSING
    assert melding.mediation_steps.filter(step=MediationStep.ASSESSMENT).exists()
    # A referred melding takes no more steps.
    with pytest.raises(ValidationError) as error:
        record_mediation_step(
            case=melding,
            step=MediationStep.MEDIATORS_ASSIGNED,
            date=TODAY,
            note="Toch",
            recorded_by=coordinator,
        )
    assert "doorverwezen" in messages_of(error.value)


@pytest.mark.django_db
def test_refer_on_without_a_partner_saves_nothing(melding, coordinator):
    record_steps(melding, coordinator, through=MediationStep.INTAKE)
    with pytest.raises(ValidationError) as error:
        refer_on_at_assessment(
            case=melding, date=TODAY, partner="", note="Past niet", recorded_by=coordinator
        )
    assert error.value.message_dict["partner"] == ["Kies naar welke partner is doorverwezen."]
    melding.refresh_from_db()
    assert melding.status == CaseStatus.REGISTERED
    assert not Referral.objects.filter(case=melding).exists()
    assert melding.mediation_steps.count() == 1


@pytest.mark.django_db
def test_save_party_records_and_corrects_a_party(melding, coordinator):
    save_party(case=melding, number=1, name="J. de Vries", saved_by=coordinator)
    save_party(
        case=melding, number=1, name="Jan de Vries", phone="023-1234567", saved_by=coordinator
    )
    party = MediationParty.objects.get(case=melding)
    assert (party.name, party.phone) == ("Jan de Vries", "023-1234567")
    with pytest.raises(ValidationError) as error:
        save_party(case=melding, number=2, name=" ", saved_by=coordinator)
    assert error.value.message_dict["name"] == ["Vul de naam van de partij in."]
    assert MediationParty.objects.filter(case=melding).count() == 1


@pytest.mark.django_db
def test_mediation_services_refuse_other_products_and_other_users(catalogue, melding, make_user):
    other_case = CaseFactory(product=catalogue["1-5-gesprekken"])
    worker = make_user(role=Role.SOCIAL_WORKER, teams=[other_case.team])
    with pytest.raises(ValidationError) as error:
        save_party(case=other_case, number=1, name="X", saved_by=worker)
    assert "geen buurtbemiddeling" in messages_of(error.value)
    with pytest.raises(PermissionDenied):
        save_party(case=melding, number=1, name="X", saved_by=worker)


def joint_talk_case(product, user, *, days_ago: int, status=CaseStatus.INTAKE):
    case = CaseFactory(product=product, status=status, registered_on=TODAY - 200 * DAY)
    record_steps(
        case,
        user,
        through=MediationStep.JOINT_TALK,
        first_on=TODAY - (days_ago + 5) * DAY,
    )
    return case


@pytest.mark.django_db
def test_aftercare_scheduling_creates_one_follow_up_42_days_after_the_joint_talk(
    product, coordinator
):
    case = joint_talk_case(product, coordinator, days_ago=36)
    joint_on = case.mediation_steps.get(step=MediationStep.JOINT_TALK).date
    assert joint_on == TODAY - 36 * DAY
    assert schedule_aftercare_follow_ups(today=TODAY) == 1
    follow_up = FollowUp.objects.get(case=case)
    assert follow_up.kind == FollowUpKind.MEDIATION_AFTERCARE
    assert follow_up.due_on == joint_on + 42 * DAY
    assert follow_up.description == "Bel beide partijen voor nazorg"
    assert follow_up.done_on is None
    # Idempotent: a second run (tomorrow, or twice today) adds nothing.
    assert schedule_aftercare_follow_ups(today=TODAY) == 0
    assert schedule_aftercare_follow_ups(today=TODAY + DAY) == 0
    assert FollowUp.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_aftercare_is_not_scheduled_before_35_days_after_the_joint_talk(product, coordinator):
    early = joint_talk_case(product, coordinator, days_ago=34)
    on_time = joint_talk_case(product, coordinator, days_ago=35)
    assert schedule_aftercare_follow_ups(today=TODAY) == 1
    assert not FollowUp.objects.filter(case=early).exists()
    assert FollowUp.objects.get(case=on_time).due_on == TODAY + 7 * DAY
    assert schedule_aftercare_follow_ups(today=TODAY + DAY) == 1
    assert FollowUp.objects.filter(case=early).exists()


@pytest.mark.django_db
def test_aftercare_is_not_scheduled_without_joint_talk_when_done_or_for_closed_cases(
    product, coordinator, melding
):
    record_steps(
        melding, coordinator, through=MediationStep.TALK_PARTY_2, first_on=TODAY - 90 * DAY
    )
    done = joint_talk_case(product, coordinator, days_ago=60)
    record_mediation_step(
        case=done, step=MediationStep.AFTERCARE, date=TODAY, note="Gebeld", recorded_by=coordinator
    )
    closed = joint_talk_case(product, coordinator, days_ago=60)
    CaseFactory._meta.model.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED)
    assert schedule_aftercare_follow_ups(today=TODAY) == 0
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
def test_celery_task_schedules_aftercare_for_today(product, coordinator):
    joint_talk_case(product, coordinator, days_ago=40)
    assert schedule_mediation_aftercare.name == "cases.tasks_mediation.schedule_mediation_aftercare"
    assert schedule_mediation_aftercare.apply().get() == 1
    assert schedule_mediation_aftercare.apply().get() == 0


@pytest.mark.django_db
def test_complete_aftercare_records_nazorg_and_ticks_off_the_follow_up(product, coordinator):
    case = joint_talk_case(product, coordinator, days_ago=45)
    schedule_aftercare_follow_ups(today=TODAY)
    follow_up = FollowUp.objects.get(case=case)
    assert list(aftercare_to_do(coordinator)) == [follow_up]
    record = complete_aftercare(
        follow_up=follow_up, date=TODAY, note="Beide partijen tevreden.", done_by=coordinator
    )
    assert record.step == MediationStep.AFTERCARE and record.note == "Beide partijen tevreden."
    follow_up.refresh_from_db()
    assert follow_up.done_on == TODAY and follow_up.done_by == coordinator
    assert list(aftercare_to_do(coordinator)) == []
    with pytest.raises(ValidationError) as error:
        complete_aftercare(follow_up=follow_up, date=TODAY, note="Nog eens", done_by=coordinator)
    assert "al afgerond" in messages_of(error.value)


@pytest.mark.django_db
def test_complete_aftercare_with_bad_input_saves_nothing(product, coordinator):
    case = joint_talk_case(product, coordinator, days_ago=45)
    schedule_aftercare_follow_ups(today=TODAY)
    follow_up = FollowUp.objects.get(case=case)
    with pytest.raises(ValidationError):
        complete_aftercare(
            follow_up=follow_up, date=TODAY + DAY, note="Gebeld", done_by=coordinator
        )
    follow_up.refresh_from_db()
    assert follow_up.done_on is None
    assert not case.mediation_steps.filter(step=MediationStep.AFTERCARE).exists()


# --- views ---------------------------------------------------------------------------


def case_url(case) -> str:
    return reverse("mediation:case", args=[case.pk])


@pytest.fixture
def team_worker(make_user, melding):
    return make_user(role=Role.SOCIAL_WORKER, teams=[melding.team])


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "team_worker"])
def test_coordinator_of_the_product_and_team_worker_see_overview_and_melding(
    client, login, request, melding, who
):
    user = request.getfixturevalue(who)
    login(user)
    overview = client.get(OVERVIEW_URL)
    assert overview.status_code == 200
    assert [c.pk for c in overview.context["meldingen"]] == [melding.pk]
    response = client.get(case_url(melding))
    assert response.status_code == 200
    # Dutch names carry apostrophes ("van 't Wel"): the page shows them HTML-escaped.
    assert escape(melding.client.full_name) in response.content.decode()


@pytest.mark.django_db
def test_other_team_and_other_product_coordinator_get_404(
    client, login, make_user, catalogue, melding
):
    other_worker = make_user(role=Role.SOCIAL_WORKER, teams=[TeamFactory()])
    login(other_worker)
    assert client.get(case_url(melding)).status_code == 404
    assert client.get(OVERVIEW_URL).context["meldingen"] == []
    other_coordinator = make_user(role=Role.COORDINATOR)
    catalogue["home-start-en-home-start-plus"].coordinators.add(other_coordinator)
    login(other_coordinator)
    assert client.get(case_url(melding)).status_code == 404
    response = client.post(
        reverse("mediation:save_party", args=[melding.pk, 1]), {"partij1-name": "X"}
    )
    assert response.status_code == 404
    assert not MediationParty.objects.exists()


@pytest.mark.django_db
def test_a_case_of_another_product_is_not_a_melding(client, login, catalogue, make_user):
    case = CaseFactory(product=catalogue["1-5-gesprekken"])
    login(make_user(role=Role.SOCIAL_WORKER, teams=[case.team]))
    assert client.get(case_url(case)).status_code == 404


@pytest.mark.django_db
def test_manager_is_refused_and_anonymous_sent_to_login(client, login, make_user, melding):
    for url in (OVERVIEW_URL, case_url(melding)):
        response = client.get(url)
        assert response.status_code == 302 and "/account/inloggen/" in response.url
    login(make_user(role=Role.MANAGER))
    assert client.get(OVERVIEW_URL).status_code == 403
    assert client.get(case_url(melding)).status_code == 403


@pytest.mark.django_db
def test_party_form_saves_a_party_and_shows_errors_in_dutch(client, login, coordinator, melding):
    login(coordinator)
    url = reverse("mediation:save_party", args=[melding.pk, 2])
    response = client.post(url, {"partij2-name": "", "partij2-phone": "06"})
    assert response.status_code == 200
    assert "Vul de naam in." in response.content.decode()
    assert not MediationParty.objects.exists()
    response = client.post(
        url, {"partij2-name": "P. Jansen", "partij2-address": "Kerkweg 2", "partij2-phone": ""}
    )
    assert response.status_code == 302
    party = MediationParty.objects.get(case=melding)
    assert (party.number, party.name, party.address) == (2, "P. Jansen", "Kerkweg 2")


@pytest.mark.django_db
def test_party_1_is_prefilled_with_the_client(client, login, coordinator, melding):
    login(coordinator)
    response = client.get(case_url(melding))
    form = response.context["party_rows"][0]["form"]
    assert form.initial["name"] == melding.client.full_name


@pytest.mark.django_db
def test_step_form_records_the_next_step_with_a_dutch_date(client, login, coordinator, melding):
    login(coordinator)
    response = client.get(case_url(melding))
    assert response.context["next_step"] == MediationStep.INTAKE
    response = client.post(
        reverse("mediation:record_step", args=[melding.pk]),
        {"step": "aanname", "date": TODAY.strftime("%d-%m-%Y"), "note": "Melding via wijkagent"},
    )
    assert response.status_code == 302
    record = melding.mediation_steps.get()
    assert (record.step, record.date) == (MediationStep.INTAKE, TODAY)
    assert client.get(case_url(melding)).context["next_step"] == MediationStep.ASSESSMENT


@pytest.mark.django_db
def test_step_form_bad_input_gets_dutch_messages_and_saves_nothing(
    client, login, coordinator, melding
):
    login(coordinator)
    url = reverse("mediation:record_step", args=[melding.pk])
    future = (TODAY + DAY).strftime("%d-%m-%Y")
    response = client.post(url, {"step": "aanname", "date": future, "note": "x"})
    assert response.status_code == 200
    assert WINDOW_MESSAGE in response.content.decode()
    response = client.post(url, {"step": "aanname", "date": "31-02-2025", "note": "x"})
    assert "Vul een bestaande datum in" in response.content.decode()
    response = client.post(url, {"step": "beoordeling", "date": future, "note": "x"})
    assert "Kies accepteren of doorverwijzen." in response.content.decode()
    response = client.post(
        url, {"step": "beoordeling", "date": future, "note": "x", "decision": "accepteren"}
    )
    assert "Leg eerst de stap" in response.content.decode()
    response = client.post(url, {"step": "onzin", "date": future, "note": "x"})
    assert response.status_code == 302
    assert not melding.mediation_steps.exists()


@pytest.mark.django_db
def test_assessment_refer_on_through_the_page(client, login, coordinator, melding):
    record_steps(melding, coordinator, through=MediationStep.INTAKE)
    login(coordinator)
    response = client.get(case_url(melding))
    assert response.context["is_assessment"]
    url = reverse("mediation:record_step", args=[melding.pk])
    data = {"step": "beoordeling", "date": TODAY.isoformat(), "note": "Contra-indicatie"}
    response = client.post(url, {**data, "decision": "doorverwijzen", "partner": ""})
    assert "Kies naar welke partner is doorverwezen." in response.content.decode()
    assert melding.mediation_steps.count() == 1
    response = client.post(url, {**data, "decision": "doorverwijzen", "partner": "ggz"})
    assert response.status_code == 302
    melding.refresh_from_db()
    assert melding.status == CaseStatus.REFERRED
    assert Referral.objects.get(case=melding).partner == Partner.GGZ
    response = client.get(case_url(melding))
    assert response.context["step_form"] is None
    assert client.get(OVERVIEW_URL).context["meldingen"] == []


@pytest.mark.django_db
def test_nazorg_step_on_the_page_ticks_off_the_follow_up(client, login, coordinator, product):
    case = joint_talk_case(product, coordinator, days_ago=50)
    schedule_aftercare_follow_ups(today=TODAY)
    login(coordinator)
    overview = client.get(OVERVIEW_URL)
    assert [f.case_id for f in overview.context["aftercare"]] == [case.pk]
    response = client.post(
        reverse("mediation:record_step", args=[case.pk]),
        {"step": "nazorg", "date": TODAY.isoformat(), "note": "Rust in de straat."},
    )
    assert response.status_code == 302
    assert FollowUp.objects.get(case=case).done_by == coordinator
    assert client.get(OVERVIEW_URL).context["aftercare"] == []


def _query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_overview_query_count_does_not_grow_with_meldingen(
    client, login, coordinator, product, django_assert_max_num_queries
):
    joint_talk_case(product, coordinator, days_ago=50)
    schedule_aftercare_follow_ups(today=TODAY)
    login(coordinator)
    baseline = _query_count(client, OVERVIEW_URL)
    for days_ago in (40, 45, 60, 70):
        joint_talk_case(product, coordinator, days_ago=days_ago)
    CaseFactory.create_batch(5, product=product)
    schedule_aftercare_follow_ups(today=TODAY)
    with django_assert_max_num_queries(baseline):
        response = client.get(OVERVIEW_URL)
    assert len(response.context["meldingen"]) == 10
    assert len(response.context["aftercare"]) == 5


@pytest.mark.django_db
def test_case_page_query_count_does_not_grow_with_steps(
    client, login, coordinator, product, django_assert_max_num_queries
):
    short = CaseFactory(product=product, registered_on=TODAY - 10 * DAY)
    record_steps(short, coordinator, through=MediationStep.INTAKE)
    login(coordinator)
    baseline = _query_count(client, case_url(short))
    full = joint_talk_case(product, coordinator, days_ago=50)
    schedule_aftercare_follow_ups(today=TODAY)
    with django_assert_max_num_queries(baseline):
        response = client.get(case_url(full))
    assert response.context["next_step"] == MediationStep.AFTERCARE


@pytest.mark.django_db
def test_case_page_tells_when_nazorg_is_planned(client, login, coordinator, product):
    case = joint_talk_case(product, coordinator, days_ago=10)
    login(coordinator)
    response = client.get(case_url(case))
    assert response.context["aftercare_planned_on"] == TODAY + 32 * DAY
    assert (TODAY + 32 * DAY).strftime("%d-%m-%Y") in response.content.decode()
    assert response.context["follow_up"] is None


# --- history of the bulk writes -------------------------------------------------------------


@pytest.mark.django_db
def test_scheduled_and_ticked_off_aftercare_are_in_the_history(product, coordinator):
    """The nazorg follow-ups are created with bulk_create and ticked off with .update():
    both write their history entry explicitly."""
    case = joint_talk_case(product, coordinator, days_ago=36)
    assert schedule_aftercare_follow_ups(today=TODAY) == 1
    follow_up = FollowUp.objects.get(case=case)
    created = LogEntry.objects.get_for_object(follow_up).get()
    assert created.action == LogEntry.Action.CREATE
    assert created.changes["due_on"] == ["None", str(follow_up.due_on)]
    # A second run creates nothing and writes no history.
    assert schedule_aftercare_follow_ups(today=TODAY) == 0
    assert LogEntry.objects.get_for_object(follow_up).count() == 1

    record_mediation_step(
        case=case, step=MediationStep.AFTERCARE, date=TODAY, note="Gebeld", recorded_by=coordinator
    )
    ticked_off = LogEntry.objects.get_for_object(follow_up).get(action=LogEntry.Action.UPDATE)
    assert ticked_off.changes == {
        "done_on": ["None", str(TODAY)],
        "done_by": ["None", str(coordinator.pk)],
    }
    assert ticked_off.actor == coordinator
