import pytest
from django.urls import reverse

from meerwaarde.accounts.models import Role
from meerwaarde.navigation import nav_items_for

HOME_INTRO = {
    Role.SOCIAL_WORKER: "Startpagina sociaal werker",
    Role.COORDINATOR: "Startpagina coördinator",
    Role.MANAGER: "Startpagina manager",
    Role.FUNCTIONAL_ADMIN: "Startpagina functioneel beheerder",
}


@pytest.mark.django_db
def test_each_role_lands_on_its_own_home_page(client, login, make_user, any_role):
    login(make_user(role=any_role))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert HOME_INTRO[any_role] in content
    for other_role, intro in HOME_INTRO.items():
        if other_role != any_role:
            assert intro not in content


@pytest.mark.django_db
def test_a_user_without_a_role_gets_no_access(client, login, make_user):
    login(make_user(role=""))
    assert client.get(reverse("home")).status_code == 403


@pytest.mark.django_db
def test_an_inactive_role_holder_has_no_permissions(make_user):
    user = make_user(role=Role.MANAGER, is_active=False)
    assert not user.has_perm("accounts.use_app")


@pytest.mark.django_db
def test_only_the_functional_admin_sees_the_admin_in_the_navigation(make_user, any_role):
    user = make_user(role=any_role)
    labels = [str(item["label"]) for item in nav_items_for(user)]
    assert "Start" in labels
    assert ("Beheer" in labels) == (any_role == Role.FUNCTIONAL_ADMIN)


@pytest.mark.django_db
def test_staff_flag_follows_the_role(make_user):
    user = make_user(role=Role.SOCIAL_WORKER)
    assert not user.is_staff
    user.role = Role.FUNCTIONAL_ADMIN
    user.save()
    assert user.is_staff


@pytest.mark.django_db
def test_social_worker_home_names_the_teams(client, login, make_user):
    from tests.factories import TeamFactory

    user = make_user(teams=[TeamFactory(name="Team Zwanenburg")])
    login(user)
    assert "Team Zwanenburg" in client.get(reverse("home")).content.decode()
