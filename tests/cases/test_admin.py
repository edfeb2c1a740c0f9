import datetime

import pytest
from django.urls import reverse

from cases.models import ClosedPeriod
from cases.services.hours import register_hours
from meerwaarde.accounts.models import Role


@pytest.mark.django_db
def test_functional_admin_closes_a_period_and_hours_in_it_are_refused(
    client, login, make_user, catalogue
):
    from django.core.exceptions import ValidationError

    admin_user = make_user(role=Role.FUNCTIONAL_ADMIN)
    login(admin_user)
    response = client.post(
        reverse("admin:cases_closedperiod_add"),
        {"start_date": "2026-01-01", "end_date": "2026-06-30"},
    )
    assert response.status_code == 302
    period = ClosedPeriod.objects.get()
    assert period.closed_by == admin_user
    assert (
        client.get(reverse("admin:cases_closedperiod_change", args=[period.pk])).status_code == 200
    )
    worker = make_user(role=Role.SOCIAL_WORKER)
    with pytest.raises(ValidationError, match="afgesloten"):
        register_hours(
            worker=worker,
            date=datetime.date(2026, 3, 2),
            hours="2",
            product=catalogue["menes"],
            kind="coordinatie",
            created_by=worker,
        )


@pytest.mark.django_db
def test_client_files_are_not_in_the_admin(client, login, make_user):
    login(make_user(role=Role.FUNCTIONAL_ADMIN))
    index = client.get(reverse("admin:index")).content.decode()
    assert "Gesloten perioden" in index
    assert "/beheer/cases/client/" not in index and "/beheer/cases/case/" not in index
