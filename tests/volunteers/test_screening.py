import datetime

import pytest

from tests.volunteers_factories import MatchFactory, VolunteerFactory
from volunteers.models import MatchStatus, ScreeningRule, TrainingType, VolunteerTraining
from volunteers.screening import screened_volunteers, screening_problems, with_free_places

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def training(db):
    return TrainingType.objects.get(name="Home-Start training")


def trained(volunteer, training, on=datetime.date(2025, 1, 10)):
    VolunteerTraining.objects.create(volunteer=volunteer, training=training, completed_on=on)
    return volunteer


def test_a_screened_volunteer_has_no_problems_and_is_in_the_queryset(home_start, training):
    volunteer = trained(
        VolunteerFactory(products=[home_start], vog_date=datetime.date(2025, 6, 1)), training
    )
    assert screening_problems(volunteer, home_start, on=TODAY) == []
    assert list(screened_volunteers(home_start, on=TODAY)) == [volunteer]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"status": "pauze"}, "Status is 'pauze'"),
        ({"status": "aspirant"}, "Status is 'aspirant'"),
        ({"vog_date": None}, "Geen VOG."),
        ({"vog_date": datetime.date(2023, 1, 5)}, "ouder dan 36 maanden"),
    ],
)
def test_unscreened_volunteers_are_explained_and_excluded(home_start, training, changes, reason):
    volunteer = trained(
        VolunteerFactory(
            products=[home_start], **{"vog_date": datetime.date(2025, 6, 1), **changes}
        ),
        training,
    )
    problems = screening_problems(volunteer, home_start, on=TODAY)
    assert any(reason in problem for problem in problems)
    assert volunteer not in screened_volunteers(home_start, on=TODAY)


def test_missing_or_expired_training_is_explained(home_start, training):
    volunteer = VolunteerFactory(products=[home_start])
    assert "Training 'Home-Start training' ontbreekt." in screening_problems(
        volunteer, home_start, on=TODAY
    )
    assert volunteer not in screened_volunteers(home_start, on=TODAY)
    training.valid_for_months = 12
    training.save()
    trained(volunteer, training, on=datetime.date(2024, 5, 1))
    assert "Training 'Home-Start training' is verlopen." in screening_problems(
        volunteer, home_start, on=TODAY
    )
    assert volunteer not in screened_volunteers(home_start, on=TODAY)


def test_vog_age_is_configurable_per_product(home_start, training):
    volunteer = trained(
        VolunteerFactory(products=[home_start], vog_date=datetime.date(2024, 6, 1)), training
    )
    assert volunteer in screened_volunteers(home_start, on=TODAY)
    ScreeningRule.objects.filter(product=home_start).update(vog_max_age_months=12)
    assert volunteer not in screened_volunteers(home_start, on=TODAY)
    assert any(
        "ouder dan 12 maanden" in p for p in screening_problems(volunteer, home_start, on=TODAY)
    )


def test_volunteer_must_work_for_the_product(home_start, catalogue, training):
    volunteer = trained(VolunteerFactory(products=[catalogue["matchmentor"]]), training)
    assert "Werkt niet voor Home-Start en Home-Start+." in screening_problems(
        volunteer, home_start, on=TODAY
    )


def test_full_volunteers_are_left_out(home_start, catalogue):
    free = VolunteerFactory(products=[home_start], max_matches=2)
    full = VolunteerFactory(products=[home_start], max_matches=1)
    MatchFactory(volunteer=full, case__product=home_start, status=MatchStatus.ACTIVE)
    MatchFactory(volunteer=free, case__product=home_start, status=MatchStatus.ACTIVE)
    MatchFactory(volunteer=free, case__product=home_start, status=MatchStatus.COMPLETED)
    result = {v.pk: v.free_places for v in with_free_places(home_start.volunteers.all())}
    assert result == {free.pk: 1}
