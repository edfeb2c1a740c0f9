import pytest
from django.core.management import call_command

from cases.choices import CaseStatus
from cases.models import AnonymousContact, Case, Client, GroupSession, HourRegistration
from catalogue.eligibility import Person, check_eligibility
from demo.demo_registrations import load_demo_registrations


@pytest.mark.django_db
def test_demo_data_covers_every_status_and_kind_and_loads_once(catalogue):
    call_command("load_demo_data", force=True)
    assert Client.objects.count() == 300
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert HourRegistration.objects.count() > 1000
    assert GroupSession.objects.exists() and AnonymousContact.objects.exists()
    assert (
        Client.objects.filter(kern__name="Hoofddorp").count()
        > Client.objects.filter(kern__name="Abbenes").count()
    )
    for case in Case.objects.select_related("client", "product")[:100]:
        assert case.team_id == case.client.team_id
        person = Person(
            birth_date=case.client.birth_date, lives_in_haarlemmermeer=True, children_ages=(3,)
        )
        assert check_eligibility(case.product, person, reference_date=case.registered_on).fits
    from volunteers.models import Match, Volunteer

    assert Volunteer.objects.count() == 80
    assert Match.objects.values("status").distinct().count() == 5
    assert load_demo_registrations() == {}
    assert Client.objects.count() == 300
