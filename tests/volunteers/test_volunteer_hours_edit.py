"""Correcting and removing volunteer hours, and booking them on a group activity."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.models import ClosedPeriod, GroupActivity
from meerwaarde.accounts.models import Role
from meerwaarde.audit.models import PersonalDataAccess
from tests.cases_factories import CaseFactory
from tests.factories import TeamFactory, UserFactory
from tests.outbox import changes_recorded, month
from tests.volunteers_factories import MatchFactory, VolunteerFactory
from volunteers.models import VolunteerHours
from volunteers.services.volunteer_hours import (
    delete_volunteer_hours,
    register_volunteer_hours,
    update_volunteer_hours,
)

TODAY = datetime.date.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)
LAST_WEEK = TODAY - datetime.timedelta(days=7)


def activity_of(product, *, name="Koffieochtend", **kwargs):
    values = {
        "team": TeamFactory(),
        "start_date": TODAY - datetime.timedelta(days=60),
        "created_by": UserFactory(),
    }
    values.update(kwargs)
    return GroupActivity.objects.create(product=product, name=name, **values)


def book(volunteer, product, coordinator, **kwargs):
    values = {"date": YESTERDAY, "hours": Decimal("2")}
    values.update(kwargs)
    return register_volunteer_hours(
        volunteer=volunteer, product=product, registered_by=coordinator, **values
    )


def change(registration, coordinator, **kwargs):
    values = {
        "date": registration.date,
        "hours": registration.hours,
        "product": registration.product,
        "match": registration.match,
        "activity": registration.activity,
        "note": registration.note,
    }
    values.update(kwargs)
    return update_volunteer_hours(registration=registration, changed_by=coordinator, **values)


# Services ----------------------------------------------------------------------------


def test_update_moves_hours_to_another_date_product_and_activity_and_records_both(
    coordinator,
    volunteer,
    home_start,
    mediation,
    hoofddorp,
    django_capture_on_commit_callbacks,
):
    mediation.coordinators.add(coordinator)
    volunteer.products.add(mediation)
    match = MatchFactory(volunteer=volunteer, case=CaseFactory(product=home_start))
    registration = book(volunteer, home_start, coordinator, match=match)
    activity = activity_of(mediation, kern=hoofddorp)
    with changes_recorded() as changes, django_capture_on_commit_callbacks(execute=True):
        updated = change(
            registration,
            coordinator,
            date=LAST_WEEK,
            hours="3.25",
            product=mediation,
            match=None,
            activity=activity,
            note="  Groep begeleid ",
        )
    updated.refresh_from_db()
    assert (updated.date, updated.hours, updated.product, updated.match, updated.activity) == (
        LAST_WEEK,
        Decimal("3.25"),
        mediation,
        None,
        activity,
    )
    assert updated.kern == hoofddorp and updated.note == "Groep begeleid"
    months = sorted({month(YESTERDAY), month(LAST_WEEK)})
    assert changes == [("volunteers.VolunteerHours", m) for m in months]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"hours": "0"}, "hours", "meer dan 0"),
        ({"hours": "1.1"}, "hours", "kwartieren"),
        ({"hours": "twee"}, "hours", "bijvoorbeeld 1,5"),
        ({"date": TODAY + datetime.timedelta(days=1)}, "date", "Kies een datum tussen"),
        ({"note": "x" * 301}, "note", "hooguit 300"),
    ],
)
def test_update_applies_the_rules_of_registering(
    coordinator, volunteer, home_start, kwargs, field, message
):
    registration = book(volunteer, home_start, coordinator)
    with pytest.raises(ValidationError) as error:
        change(registration, coordinator, **kwargs)
    assert message in " ".join(error.value.message_dict[field])
    registration.refresh_from_db()
    assert registration.hours == Decimal("2") and registration.date == YESTERDAY


def test_update_counts_the_days_other_hours_but_not_itself(coordinator, volunteer, home_start):
    registration = book(volunteer, home_start, coordinator, hours=Decimal("20"))
    change(registration, coordinator, hours=Decimal("24"))  # only itself on that day
    book(volunteer, home_start, coordinator, date=LAST_WEEK, hours=Decimal("4"))
    with pytest.raises(ValidationError) as error:
        change(registration, coordinator, date=LAST_WEEK, hours=Decimal("20.25"))
    # The registration's own 24 hours are not counted, the 4 already on that day are.
    assert error.value.message_dict["hours"][0].endswith(
        f"op {LAST_WEEK:%d-%m-%Y} staat al 4 uur; met 20,25 uur erbij wordt het 24,25 uur."
    )
    registration.refresh_from_db()
    assert registration.date == YESTERDAY and registration.hours == Decimal("24")


def test_update_refuses_a_closed_new_date_and_moving_out_of_a_closed_period(
    coordinator, volunteer, home_start
):
    registration = book(volunteer, home_start, coordinator)
    ClosedPeriod.objects.create(start_date=LAST_WEEK, end_date=LAST_WEEK, closed_by=coordinator)
    with pytest.raises(ValidationError) as error:
        change(registration, coordinator, date=LAST_WEEK)
    assert "afgesloten" in error.value.message_dict["date"][0]

    old = book(volunteer, home_start, coordinator, date=LAST_WEEK - datetime.timedelta(days=1))
    ClosedPeriod.objects.create(start_date=old.date, end_date=old.date, closed_by=coordinator)
    with pytest.raises(ValidationError) as error:
        change(old, coordinator, date=YESTERDAY)
    assert "afgesloten" in " ".join(error.value.messages)
    old.refresh_from_db()
    assert old.date == LAST_WEEK - datetime.timedelta(days=1)


def test_match_and_activity_together_are_refused_on_booking_and_on_update(
    coordinator, volunteer, home_start
):
    match = MatchFactory(volunteer=volunteer, case=CaseFactory(product=home_start))
    activity = activity_of(home_start)
    with pytest.raises(ValidationError) as error:
        book(volunteer, home_start, coordinator, match=match, activity=activity)
    assert "niet allebei" in error.value.message_dict["activity"][0]
    registration = book(volunteer, home_start, coordinator, match=match)
    with pytest.raises(ValidationError) as error:
        change(registration, coordinator, activity=activity)
    assert "niet allebei" in error.value.message_dict["activity"][0]
    assert VolunteerHours.objects.get().activity is None


def test_activity_must_be_active_fit_the_product_and_run_on_the_date(
    coordinator, volunteer, home_start, mediation
):
    stopped = activity_of(home_start, name="Gestopt", is_active=False)
    with pytest.raises(ValidationError) as error:
        book(volunteer, home_start, coordinator, activity=stopped)
    assert "niet meer actief" in error.value.message_dict["activity"][0]
    later = activity_of(home_start, name="Later", start_date=TODAY)
    with pytest.raises(ValidationError) as error:
        book(volunteer, home_start, coordinator, activity=later)
    assert "liep op" in error.value.message_dict["activity"][0]
    registration = book(volunteer, home_start, coordinator)
    with pytest.raises(ValidationError) as error:
        change(registration, coordinator, activity=activity_of(mediation, name="Elders"))
    assert "ander product" in error.value.message_dict["activity"][0]
    assert VolunteerHours.objects.filter(activity__isnull=False).count() == 0


def test_hours_on_an_activity_that_has_since_stopped_can_still_be_corrected(
    coordinator, volunteer, home_start, hoofddorp
):
    activity = activity_of(home_start, kern=hoofddorp)
    registration = book(volunteer, home_start, coordinator, activity=activity)
    assert registration.kern == hoofddorp
    GroupActivity.objects.filter(pk=activity.pk).update(is_active=False)
    updated = change(registration, coordinator, hours=Decimal("1.5"))
    assert updated.hours == Decimal("1.5") and updated.activity == activity


def test_only_a_coordinator_of_the_product_changes_or_deletes(
    coordinator, mediation_coordinator, volunteer, home_start, mediation
):
    registration = book(volunteer, home_start, coordinator)
    with pytest.raises(PermissionDenied):
        change(registration, mediation_coordinator, hours=Decimal("1"))
    with pytest.raises(PermissionDenied):
        delete_volunteer_hours(registration=registration, deleted_by=mediation_coordinator)
    volunteer.products.add(mediation)
    with pytest.raises(ValidationError) as error:
        change(registration, coordinator, product=mediation)
    assert "die u coördineert" in error.value.message_dict["product"][0]
    registration.refresh_from_db()
    assert registration.hours == Decimal("2") and registration.product == home_start


def test_delete_removes_the_hours_and_records_the_change(
    coordinator, volunteer, home_start, django_capture_on_commit_callbacks
):
    registration = book(volunteer, home_start, coordinator)
    with changes_recorded() as changes, django_capture_on_commit_callbacks(execute=True):
        delete_volunteer_hours(registration=registration, deleted_by=coordinator)
    assert not VolunteerHours.objects.exists()
    assert changes == [("volunteers.VolunteerHours", month(YESTERDAY))]


def test_delete_in_a_closed_period_is_refused(coordinator, volunteer, home_start):
    registration = book(volunteer, home_start, coordinator)
    ClosedPeriod.objects.create(start_date=YESTERDAY, end_date=YESTERDAY, closed_by=coordinator)
    with pytest.raises(ValidationError) as error:
        delete_volunteer_hours(registration=registration, deleted_by=coordinator)
    assert "afgesloten" in error.value.messages[0]
    assert VolunteerHours.objects.filter(pk=registration.pk).exists()


# Views -------------------------------------------------------------------------------


def edit_url(registration):
    return reverse(
        "volunteers_registry:edit_hours", args=[registration.volunteer_id, registration.pk]
    )


def delete_url(registration):
    return reverse(
        "volunteers_registry:delete_hours", args=[registration.volunteer_id, registration.pk]
    )


def test_detail_lists_recent_hours_with_edit_and_delete_only_for_own_products(
    login, coordinator, mediation_coordinator, volunteer, home_start, mediation
):
    volunteer.products.add(mediation)
    own = book(volunteer, home_start, coordinator, note="Eigen uren")
    others = book(
        volunteer, mediation, mediation_coordinator, date=LAST_WEEK, note="Andermans uren"
    )
    html = login(coordinator).get(reverse("volunteers_registry:detail", args=[volunteer.pk]))
    html = html.content.decode()
    assert "Eigen uren" in html and "Andermans uren" in html
    assert edit_url(own) in html and delete_url(own) in html
    assert edit_url(others) not in html and delete_url(others) not in html


def test_hours_form_offers_the_active_group_activities_of_the_volunteers_products(
    login, coordinator, volunteer, home_start, mediation
):
    shown = activity_of(home_start, name="Ouderkamer")
    activity_of(home_start, name="Oude groep", is_active=False)
    activity_of(mediation, name="Buurtkring")
    response = login(coordinator).get(reverse("volunteers_registry:detail", args=[volunteer.pk]))
    choices = list(response.context["hours_form"].fields["activity"].queryset)
    assert choices == [shown]
    assert "Home-Start en Home-Start+ – Ouderkamer" in response.content.decode()


def test_coordinator_books_hours_on_a_group_activity_through_the_page(
    login, coordinator, volunteer, home_start, hoofddorp
):
    activity = activity_of(home_start, kern=hoofddorp)
    response = login(coordinator).post(
        reverse("volunteers_registry:add_hours", args=[volunteer.pk]),
        {
            "date": YESTERDAY.strftime("%d-%m-%Y"),
            "hours": "2,5",
            "product": home_start.pk,
            "activity": activity.pk,
        },
    )
    assert response.status_code == 302
    registration = VolunteerHours.objects.get()
    assert registration.activity == activity and registration.kern == hoofddorp


def test_edit_page_shows_the_hours_and_saves_a_correction(
    login, coordinator, volunteer, home_start
):
    registration = book(volunteer, home_start, coordinator, hours=Decimal("1.5"), note="Bezoek")
    client = login(coordinator)
    response = client.get(edit_url(registration))
    assert response.status_code == 200
    assert response.context["form"]["hours"].value() == "1,5"
    assert PersonalDataAccess.objects.filter(subject_id=str(volunteer.pk)).exists()
    response = client.post(
        edit_url(registration),
        {
            "date": LAST_WEEK.strftime("%d-%m-%Y"),
            "hours": "2,75",
            "product": home_start.pk,
            "note": "Bezoek en telefoontje",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers_registry:detail", args=[volunteer.pk])
    registration.refresh_from_db()
    assert (registration.date, registration.hours, registration.note) == (
        LAST_WEEK,
        Decimal("2.75"),
        "Bezoek en telefoontje",
    )


def test_bad_correction_gets_a_dutch_message_and_changes_nothing(
    login, coordinator, volunteer, home_start
):
    match = MatchFactory(volunteer=volunteer, case=CaseFactory(product=home_start))
    activity = activity_of(home_start)
    registration = book(volunteer, home_start, coordinator)
    response = login(coordinator).post(
        edit_url(registration),
        {
            "date": (TODAY + datetime.timedelta(days=2)).isoformat(),
            "hours": "1,1",
            "product": home_start.pk,
            "match": match.pk,
            "activity": activity.pk,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Registreer uren in kwartieren" in html
    assert "Kies een datum tussen" in html
    assert "niet allebei" in html
    registration.refresh_from_db()
    assert registration.hours == Decimal("2") and registration.match is None


def test_edit_of_hours_in_a_closed_period_says_so(login, coordinator, volunteer, home_start):
    registration = book(volunteer, home_start, coordinator)
    ClosedPeriod.objects.create(start_date=YESTERDAY, end_date=YESTERDAY, closed_by=coordinator)
    client = login(coordinator)
    response = client.get(edit_url(registration))
    assert "afgesloten periode" in response.content.decode()
    assert 'name="hours"' not in response.content.decode()
    response = client.post(
        edit_url(registration),
        {"date": YESTERDAY.isoformat(), "hours": "1", "product": home_start.pk},
    )
    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.hours == Decimal("2")


def test_delete_asks_for_confirmation_and_deletes_only_on_post(
    login, coordinator, volunteer, home_start
):
    registration = book(volunteer, home_start, coordinator)
    client = login(coordinator)
    response = client.get(delete_url(registration))
    assert response.status_code == 200
    assert "Weet u zeker" in response.content.decode()
    assert VolunteerHours.objects.filter(pk=registration.pk).exists()
    response = client.post(delete_url(registration))
    assert response.status_code == 302
    assert not VolunteerHours.objects.filter(pk=registration.pk).exists()


def test_delete_in_a_closed_period_shows_the_reason_and_keeps_the_hours(
    login, coordinator, volunteer, home_start
):
    registration = book(volunteer, home_start, coordinator)
    ClosedPeriod.objects.create(start_date=YESTERDAY, end_date=YESTERDAY, closed_by=coordinator)
    response = login(coordinator).post(delete_url(registration), follow=True)
    assert "is afgesloten voor de rapportage" in response.content.decode()
    assert VolunteerHours.objects.filter(pk=registration.pk).exists()


def test_coordinator_of_another_product_gets_404(
    login, coordinator, mediation_coordinator, volunteer, home_start, mediation
):
    registration = book(volunteer, home_start, coordinator)
    client = login(mediation_coordinator)
    # The volunteer only works for Home-Start: not visible at all.
    assert client.get(edit_url(registration)).status_code == 404
    assert client.post(delete_url(registration)).status_code == 404
    # Visible once they also work for Mediation, but the Home-Start hours stay out of reach.
    volunteer.products.add(mediation)
    assert client.get(edit_url(registration)).status_code == 404
    assert client.get(delete_url(registration)).status_code == 404
    response = client.post(
        edit_url(registration), {"date": YESTERDAY.isoformat(), "hours": "1", "product": ""}
    )
    assert response.status_code == 404
    assert client.post(delete_url(registration)).status_code == 404
    registration.refresh_from_db()
    assert registration.hours == Decimal("2")


def test_hours_of_another_volunteer_under_this_volunteers_url_are_404(
    login, coordinator, volunteer, home_start
):
    other = VolunteerFactory(products=[home_start])
    registration = book(other, home_start, coordinator)
    url = reverse("volunteers_registry:delete_hours", args=[volunteer.pk, registration.pk])
    assert login(coordinator).post(url).status_code == 404
    assert VolunteerHours.objects.filter(pk=registration.pk).exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.MANAGER])
def test_social_workers_and_managers_cannot_edit_or_delete(
    make_user, login, coordinator, volunteer, home_start, role
):
    registration = book(volunteer, home_start, coordinator)
    client = login(make_user(role=role))
    assert client.get(edit_url(registration)).status_code == 403
    response = client.post(
        edit_url(registration),
        {"date": YESTERDAY.isoformat(), "hours": "1", "product": home_start.pk},
    )
    assert response.status_code == 403
    assert client.post(delete_url(registration)).status_code == 403
    registration.refresh_from_db()
    assert registration.hours == Decimal("2")


def test_page_corrects_old_hours_after_the_volunteer_left_the_product_and_activity_stopped(
    login, coordinator, volunteer, home_start, mediation
):
    # Still their volunteer through Mediation, so the volunteer stays visible.
    mediation.coordinators.add(coordinator)
    volunteer.products.add(mediation)
    activity = activity_of(home_start)
    registration = book(volunteer, home_start, coordinator, activity=activity)
    volunteer.products.remove(home_start)
    GroupActivity.objects.filter(pk=activity.pk).update(is_active=False)
    response = login(coordinator).post(
        edit_url(registration),
        {
            "date": YESTERDAY.isoformat(),
            "hours": "1,25",
            "product": home_start.pk,
            "activity": activity.pk,
        },
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.hours == Decimal("1.25") and registration.activity == activity
