import datetime

import pytest
from django.urls import reverse

from cases.models import ClosedPeriod
from meerwaarde.accounts.models import Role


@pytest.mark.django_db
def test_functional_admin_cannot_add_change_or_delete_a_closed_period(client, login, make_user):
    """Closing is the manager's "Periode sluiten"; the admin only shows the closures."""
    admin_user = make_user(role=Role.FUNCTIONAL_ADMIN)
    period = ClosedPeriod.objects.create(
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 3, 31),
        closed_by=make_user(role=Role.MANAGER),
    )
    login(admin_user)

    add = client.post(
        reverse("admin:cases_closedperiod_add"),
        {"start_date": "2026-04-01", "end_date": "2026-06-30"},
    )
    change_url = reverse("admin:cases_closedperiod_change", args=[period.pk])
    change = client.post(change_url, {"start_date": "2026-01-01", "end_date": "2026-01-31"})
    delete = client.post(
        reverse("admin:cases_closedperiod_delete", args=[period.pk]), {"post": "yes"}
    )

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert ClosedPeriod.all_records.count() == 1
    period.refresh_from_db()
    assert (period.start_date, period.end_date) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 31),
    )
    page = client.get(change_url)
    assert page.status_code == 200
    assert 'name="start_date"' not in page.content.decode()  # read-only
    changelist = client.get(reverse("admin:cases_closedperiod_changelist")).content.decode()
    assert reverse("admin:cases_closedperiod_add") not in changelist


@pytest.mark.django_db
def test_client_files_are_not_in_the_admin(client, login, make_user):
    login(make_user(role=Role.FUNCTIONAL_ADMIN))
    index = client.get(reverse("admin:index")).content.decode()
    assert "Gesloten perioden" in index
    assert "/beheer/cases/client/" not in index and "/beheer/cases/case/" not in index
