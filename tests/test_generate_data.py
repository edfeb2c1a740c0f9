"""`generate_data --scale 1`: one year of MeerWaarde as the Benchmarks issue defines it, in the
test PostgreSQL (the bench builds scale 10 the same way)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from cases.models import AnonymousContact, Case, Client, HourRegistration
from catalogue.models import LocationKind
from demo.population import KERN_WEIGHTS
from volunteers.models import Match, Volunteer

pytestmark = pytest.mark.django_db(transaction=True)


def test_scale_one_is_a_year_of_meerwaarde_spread_over_the_kernen():
    call_command("generate_data", "--scale", "1", stdout=StringIO())

    assert HourRegistration.objects.count() == 250_000
    assert Case.objects.count() == 15_000
    assert Client.objects.count() == 12_000
    assert Volunteer.objects.count() == 1_500
    assert Match.objects.count() == 2_000
    assert AnonymousContact.objects.filter(location__kind=LocationKind.PLUSPUNT).count() == 40_000
    per_kern = dict(Client.objects.values_list("kern__name").annotate(n=Count("id")).order_by())
    assert set(per_kern) == set(KERN_WEIGHTS)  # every kern, and only kernen
    assert max(per_kern, key=per_kern.get) == "Hoofddorp"
    assert per_kern["Hoofddorp"] > 2 * per_kern["Badhoevedorp"]

    with pytest.raises(CommandError, match="al cliënten"):
        call_command("generate_data", "--scale", "1", stdout=StringIO())
