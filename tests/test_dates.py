"""meerwaarde/dates.py: the registration date window and its setting."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from meerwaarde.dates import (
    registration_date_window,
    validate_birth_date,
    validate_planned_date,
    validate_registration_date,
)

TODAY = datetime.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def default_setting(settings):
    settings.EARLIEST_REGISTRATION_DATE = None


def test_default_window_runs_from_1_january_of_the_previous_year_to_today():
    window = registration_date_window(TODAY)
    assert (window.earliest, window.latest) == (datetime.date(2025, 1, 1), TODAY)
    assert window.message == "Kies een datum tussen 1 januari 2025 en vandaag."


def test_on_new_years_day_the_window_still_holds_all_of_last_year():
    window = registration_date_window(datetime.date(2027, 1, 1))
    assert window.earliest == datetime.date(2026, 1, 1)


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(1, 1, 1),
        datetime.date(25, 3, 1),
        datetime.date(1999, 1, 1),
        datetime.date(2024, 12, 31),
        datetime.date(2026, 12, 4),
    ],
)
def test_dates_outside_the_window_are_refused_with_one_message(day):
    with pytest.raises(ValidationError) as error:
        validate_registration_date(day, today=TODAY)
    assert error.value.messages == ["Kies een datum tussen 1 januari 2025 en vandaag."]


@pytest.mark.parametrize("day", [datetime.date(2025, 1, 1), TODAY])
def test_the_edges_are_inside(day):
    validate_registration_date(day, today=TODAY)


def test_the_setting_moves_the_earliest_date(settings):
    settings.EARLIEST_REGISTRATION_DATE = datetime.date(2023, 7, 1)
    window = registration_date_window(TODAY)
    assert window.earliest == datetime.date(2023, 7, 1)
    assert window.message == "Kies een datum tussen 1 juli 2023 en vandaag."
    validate_registration_date(datetime.date(2023, 7, 1), today=TODAY)
    with pytest.raises(ValidationError):
        validate_registration_date(datetime.date(2023, 6, 30), today=TODAY)


@pytest.mark.parametrize("configured", [datetime.date(1990, 1, 1), "1800-01-01", "0001-01-01"])
def test_the_setting_is_never_earlier_than_2000(settings, configured):
    settings.EARLIEST_REGISTRATION_DATE = configured
    assert registration_date_window(TODAY).earliest == datetime.date(2000, 1, 1)
    with pytest.raises(ValidationError) as error:
        validate_registration_date(datetime.date(1999, 12, 31), today=TODAY)
    assert error.value.messages == ["Kies een datum tussen 1 januari 2000 en vandaag."]


def test_a_setting_in_the_future_does_not_block_today(settings):
    settings.EARLIEST_REGISTRATION_DATE = datetime.date(2030, 1, 1)
    validate_registration_date(TODAY, today=TODAY)


def test_a_planned_date_may_lie_ahead_but_not_before_the_window():
    validate_planned_date(datetime.date(2027, 6, 1), today=TODAY)
    with pytest.raises(ValidationError) as error:
        validate_planned_date(datetime.date(2024, 12, 31), today=TODAY)
    assert error.value.messages == ["Kies een datum vanaf 1 januari 2025."]


def test_the_environment_variable_is_read_and_checked(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from meerwaarde import settings as project_settings

    monkeypatch.setenv("EARLIEST_REGISTRATION_DATE", "2024-03-01")
    assert project_settings._earliest_registration_date() == datetime.date(2024, 3, 1)
    monkeypatch.setenv("EARLIEST_REGISTRATION_DATE", "")
    assert project_settings._earliest_registration_date() is None
    monkeypatch.setenv("EARLIEST_REGISTRATION_DATE", "1-3-2024")
    with pytest.raises(ImproperlyConfigured):
        project_settings._earliest_registration_date()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (datetime.date(1899, 12, 31), "De geboortedatum ligt vóór 1900."),
        (datetime.date(2026, 12, 4), "De geboortedatum ligt in de toekomst."),
    ],
)
def test_birth_dates_have_their_own_check(day, message):
    with pytest.raises(ValidationError) as error:
        validate_birth_date(day, today=TODAY)
    assert error.value.messages == [message]
    validate_birth_date(datetime.date(1900, 1, 1), today=TODAY)
    validate_birth_date(datetime.date(1940, 5, 10), today=TODAY)  # long before the window
