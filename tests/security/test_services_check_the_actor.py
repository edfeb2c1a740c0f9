"""Every write service checks the acting user itself, with the same named permission the
view asks for (meerwaarde.permissions.require_perm). The views already refuse these users;
these tests call the services directly, as a task, a command or another service would,
and expect PermissionDenied with nothing saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.choices import ConsentPurpose, HourKind
from cases.models import (
    AnonymousContact,
    ClosedPeriod,
    Consent,
    GroupActivity,
    HourRegistration,
    ImportJob,
)
from cases.services import clients as client_services
from cases.services import consent as consent_services
from cases.services import group_work
from cases.services.hours import register_hours
from cases.services.imports import start_import_job
from catalogue.models import Location
from meerwaarde.accounts.models import Role
from reporting import services as reporting_services
from reporting.models import RollupRun
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TeamFactory, UserFactory
from tests.volunteers_factories import TrainingTypeFactory, VolunteerFactory
from volunteers.models import Volunteer, VolunteerTraining
from volunteers.services import registry as registry_services

TODAY = datetime.date.today()


@pytest.fixture
def team(db):
    return TeamFactory(name="Team Badhoevedorp")


@pytest.fixture
def person(team):
    return ClientFactory(team=team, first_name="Ilse")


@pytest.fixture
def other_team_worker(db):
    return UserFactory(role=Role.SOCIAL_WORKER, teams=[TeamFactory(name="Team Zwanenburg")])


def test_another_teams_worker_cannot_correct_the_client_or_its_consent(person, other_team_worker):
    with pytest.raises(PermissionDenied):
        client_services.update_client(
            client=person, data={"first_name": "Anders"}, changed_by=other_team_worker
        )
    with pytest.raises(PermissionDenied):
        consent_services.record_consent(
            client=person,
            purpose=ConsentPurpose.SHARE_WITH_PARTNERS,
            given=True,
            recorded_by=other_team_worker,
        )
    with pytest.raises(PermissionDenied):
        client_services.leave_household(client=person, changed_by=other_team_worker)
    person.refresh_from_db()
    assert person.first_name == "Ilse"
    assert not Consent.objects.filter(client=person).exists()


def test_the_teams_worker_records_consent_for_the_client(person, team):
    worker = UserFactory(role=Role.SOCIAL_WORKER, teams=[team])
    consent = consent_services.record_consent(
        client=person, purpose=ConsentPurpose.SHARE_WITH_PARTNERS, given=True, recorded_by=worker
    )
    assert consent.recorded_by == worker


@pytest.mark.parametrize("role", [Role.MANAGER, Role.FUNCTIONAL_ADMIN, Role.MUNICIPALITY_API])
def test_roles_without_client_work_cannot_register_hours_or_group_work(catalogue, team, role):
    user = UserFactory(role=role, teams=[team])
    product = catalogue["buurt-en-groepsbemiddeling"]
    case = CaseFactory(team=team, product=product)
    with pytest.raises(PermissionDenied):
        register_hours(
            worker=user,
            date=TODAY,
            hours=Decimal("1"),
            product=product,
            kind=HourKind.DIRECT,
            case=case,
            created_by=user,
        )
    with pytest.raises(PermissionDenied):
        group_work.create_group_activity(
            product=product, name="Koffieochtend", team=team, start_date=TODAY, created_by=user
        )
    with pytest.raises(PermissionDenied):
        group_work.register_anonymous_contact(
            date=TODAY,
            location=Location.objects.first(),
            topic="geldzaken",
            referred_on=False,
            registered_by=user,
        )
    assert not HourRegistration.objects.exists()
    assert not GroupActivity.objects.exists()
    assert not AnonymousContact.objects.exists()


def test_only_a_coordinator_of_the_volunteers_product_changes_the_volunteer(catalogue, team):
    home_start = catalogue["home-start-en-home-start-plus"]
    volunteer = VolunteerFactory(products=[home_start], first_name="Joost")
    worker = UserFactory(role=Role.SOCIAL_WORKER, teams=[team])
    other_coordinator = UserFactory(role=Role.COORDINATOR)
    catalogue["buurt-en-groepsbemiddeling"].coordinators.add(other_coordinator)
    with pytest.raises(PermissionDenied):
        registry_services.create_volunteer(data={}, availability=set(), created_by=worker)
    for user in (worker, other_coordinator):
        with pytest.raises(PermissionDenied):
            registry_services.update_volunteer(
                volunteer=volunteer,
                data={},
                availability=set(),
                changed_by=user,
                expected_version=volunteer.version,
            )
        with pytest.raises(PermissionDenied):
            registry_services.add_training(
                volunteer=volunteer,
                training=TrainingTypeFactory(),
                completed_on=TODAY,
                added_by=user,
            )
    assert Volunteer.objects.get().first_name == "Joost"
    assert not VolunteerTraining.objects.exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COORDINATOR, Role.FUNCTIONAL_ADMIN])
def test_only_a_manager_closes_a_reporting_period(db, role):
    with pytest.raises(PermissionDenied):
        reporting_services.close_period(key="2025-Q1", user=UserFactory(role=role))
    assert not ClosedPeriod.all_records.exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COORDINATOR])
def test_a_recompute_needs_the_recompute_permission(db, role):
    def queue(run_id):
        raise AssertionError("nothing may be queued")

    with pytest.raises(PermissionDenied):
        reporting_services.request_recompute(
            periods=["2025-Q1"], queue=queue, user=UserFactory(role=role)
        )
    assert not RollupRun.objects.exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COORDINATOR, Role.MANAGER])
def test_only_the_functioneel_beheerder_starts_an_hours_import(db, role):
    upload = SimpleUploadedFile("uren.csv", b"datum;uren\n", content_type="text/csv")

    def queue(job_id):
        raise AssertionError("nothing may be queued")

    with pytest.raises(PermissionDenied):
        start_import_job(
            uploaded_file=upload, dry_run=True, started_by=UserFactory(role=role), queue=queue
        )
    assert not ImportJob.objects.exists()
