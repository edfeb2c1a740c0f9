import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.choices import CaseStatus
from catalogue.models import Area
from tests.cases_factories import CaseFactory, ClientFactory
from tests.volunteers_factories import MatchFactory, VolunteerFactory
from volunteers.models import (
    Availability,
    MatchStatus,
    SuggestionWeights,
    TrainingType,
    VolunteerTraining,
)
from volunteers.suggestions import language_words, suggest_volunteers

TODAY = datetime.date.today()


@pytest.fixture
def training(db):
    return TrainingType.objects.get(name="Home-Start training")


@pytest.fixture
def nieuw_vennep(catalogue):
    return Area.objects.get(kind="kern", name="Nieuw-Vennep")


@pytest.fixture
def waiting_case(home_start, hoofddorp):
    client = ClientFactory(kern=hoofddorp, language_needs="Arabisch, tolk nodig")
    return CaseFactory(
        client=client,
        product=home_start,
        status=CaseStatus.WAITING_LIST,
        waiting_since=TODAY - datetime.timedelta(weeks=8),
    )


def screened(product, training, **kwargs):
    kwargs.setdefault("products", [product])
    volunteer = VolunteerFactory(**kwargs)
    VolunteerTraining.objects.create(
        volunteer=volunteer, training=training, completed_on=TODAY - datetime.timedelta(days=90)
    )
    return volunteer


def names(suggestions):
    return [s.volunteer.last_name for s in suggestions]


def test_language_words_keep_the_language_names():
    assert language_words("Arabisch, tolk nodig") == ["arabisch"]
    assert language_words("Spreekt een beetje Nederlands en Turks") == ["nederlands", "turks"]
    assert language_words("") == []


def test_unscreened_full_and_already_matched_volunteers_are_never_suggested(
    waiting_case, home_start, training
):
    good = screened(home_start, training, last_name="Goed")
    screened(home_start, training, last_name="GeenVog", vog_date=None)
    screened(home_start, training, last_name="OudeVog", vog_date=TODAY.replace(year=TODAY.year - 4))
    VolunteerFactory(products=[home_start], last_name="GeenTraining")
    screened(home_start, training, last_name="Pauze", status="pauze")
    full = screened(home_start, training, last_name="Vol", max_matches=1)
    MatchFactory(volunteer=full, status=MatchStatus.ACTIVE)
    matched = screened(home_start, training, last_name="AlGekoppeld", max_matches=3)
    MatchFactory(volunteer=matched, case=waiting_case, status=MatchStatus.BROKEN_OFF)
    screened(home_start, training, last_name="AnderProduct", products=[])

    assert [s.volunteer for s in suggest_volunteers(case=waiting_case, on=TODAY)] == [good]


def test_ranking_follows_the_weights_and_reasons_are_in_words(
    waiting_case, home_start, training, hoofddorp, nieuw_vennep
):
    screened(home_start, training, last_name="Buur", kern=hoofddorp)
    speaker = screened(
        home_start, training, last_name="Spreker", kern=nieuw_vennep, languages=["Arabisch"]
    )
    speaker.kernen_served.add(hoofddorp)
    plain = screened(home_start, training, last_name="Gewoon", kern=nieuw_vennep)
    Availability.objects.create(volunteer=plain, weekday=1, day_part="ochtend")

    # Defaults: same kern 30; serves kern 20 + language 25 = 45.
    suggestions = suggest_volunteers(case=waiting_case, on=TODAY)
    assert names(suggestions) == ["Spreker", "Buur", "Gewoon"]
    by_name = {s.volunteer.last_name: s for s in suggestions}
    # free place 5, one training 3.
    assert by_name["Spreker"].score == 20 + 25 + 5 + 3
    assert by_name["Buur"].score == 30 + 5 + 3
    assert by_name["Gewoon"].score == 5 + 2 + 3
    assert "wil in Hoofddorp werken" in by_name["Spreker"].reasons
    assert "spreekt Arabisch" in by_name["Spreker"].reasons
    assert "woont in dezelfde kern" in by_name["Buur"].reasons
    assert "beschikbaar op dinsdagochtend" in by_name["Gewoon"].reasons
    assert {"VOG geldig", "1 training gevolgd", "nog 1 plek vrij"} <= set(by_name["Gewoon"].reasons)

    # A coordinator who values living nearby above all turns the ranking round.
    SuggestionWeights.objects.create(same_kern=100, serves_kern=0, language=0)
    assert names(suggest_volunteers(case=waiting_case, on=TODAY))[0] == "Buur"


def test_more_free_places_rank_higher_and_ties_go_by_name(waiting_case, home_start, training):
    SuggestionWeights.objects.create(free_place=0)
    screened(home_start, training, last_name="Bakker", max_matches=1)
    screened(home_start, training, last_name="Aalders", max_matches=1)
    screened(home_start, training, last_name="Veel", max_matches=3)
    assert names(suggest_volunteers(case=waiting_case, on=TODAY)) == ["Veel", "Aalders", "Bakker"]


def test_limit_is_respected(waiting_case, home_start, training):
    for _ in range(4):
        screened(home_start, training)
    assert len(suggest_volunteers(case=waiting_case, on=TODAY, limit=2)) == 2


def _queries(case):
    with CaptureQueriesContext(connection) as context:
        suggest_volunteers(case=case, on=TODAY)
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_the_number_of_volunteers(
    waiting_case, home_start, training, hoofddorp
):
    def add(count):
        for index in range(count):
            volunteer = screened(home_start, training, languages=["Arabisch"], kern=hoofddorp)
            volunteer.kernen_served.add(hoofddorp)
            Availability.objects.create(volunteer=volunteer, weekday=index % 7, day_part="avond")

    add(5)
    waiting_case = (
        type(waiting_case).objects.select_related("client__kern", "product").get(pk=waiting_case.pk)
    )
    with_five = _queries(waiting_case)
    add(25)
    assert _queries(waiting_case) == with_five
    assert with_five <= 5
