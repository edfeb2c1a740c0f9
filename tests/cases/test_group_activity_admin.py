"""A group activity edited in /beheer/: its sessions are counted under the activity's
product and kern, so the edit is recorded for reporting."""

import datetime

import pytest
from django.urls import reverse

from cases.models import GroupActivity
from cases.services.group_work import create_group_activity, register_group_session
from catalogue.models import Area
from meerwaarde.accounts.models import Role
from tests.factories import TeamFactory
from tests.outbox import changes_recorded, month

TODAY = datetime.date.today()
EARLIER = TODAY - datetime.timedelta(days=40)


@pytest.mark.django_db
def test_moving_an_activity_to_another_kern_records_the_months_of_its_sessions(
    client, login, make_user, catalogue
):
    team = TeamFactory()
    worker = make_user(role=Role.SOCIAL_WORKER, teams=[team])
    hoofddorp = Area.objects.get(kind="kern", name="Hoofddorp")
    activity = create_group_activity(
        product=catalogue["ouder-en-kind-inloop-oki"],
        name="OKI",
        team=team,
        kern=hoofddorp,
        start_date=TODAY - datetime.timedelta(days=60),
        created_by=worker,
    )
    for day in (EARLIER, TODAY):
        register_group_session(activity=activity, date=day, participants=5, created_by=worker)
    login(make_user(role=Role.FUNCTIONAL_ADMIN))
    nieuw_vennep = Area.objects.get(kind="kern", name="Nieuw-Vennep")
    with changes_recorded() as changes:
        response = client.post(
            reverse("admin:cases_groupactivity_change", args=[activity.pk]),
            {
                "product": activity.product_id,
                "name": "OKI",
                "team": team.pk,
                "location": "",
                "kern": nieuw_vennep.pk,
                "start_date": activity.start_date.isoformat(),
                "end_date": "",
                "is_active": "on",
                "created_by": worker.pk,
            },
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert GroupActivity.objects.get(pk=activity.pk).kern == nieuw_vennep
    assert changes == [("cases.GroupActivity", m) for m in sorted({month(EARLIER), month(TODAY)})]
