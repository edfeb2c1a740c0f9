import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.urls import reverse

from meerwaarde.accounts.models import Role, User
from meerwaarde.audit.models import AccessAction, PersonalDataAccess
from meerwaarde.audit.registry import personal_data_models
from meerwaarde.audit.selectors import accesses_of_subject
from meerwaarde.audit.services import log_personal_data_access


def test_every_personal_data_model_has_a_change_history():
    models = [entry.model for entry in personal_data_models()]
    assert User in models
    for model in models:
        assert auditlog.contains(model), model


@pytest.mark.django_db
def test_changing_a_user_is_recorded_without_the_password(make_user):
    user = make_user()
    user.last_name = "Nieuwe Achternaam"
    user.set_password("Een-ander-wachtwoord-99")
    user.save()
    entry = LogEntry.objects.get_for_object(user).filter(action=LogEntry.Action.UPDATE).first()
    assert "last_name" in entry.changes_dict
    assert "password" not in entry.changes_dict


@pytest.mark.django_db
def test_access_log_records_who_viewed_whom(make_user):
    viewer = make_user()
    subject = make_user()
    log_personal_data_access(user=viewer, subject=subject)
    log_personal_data_access(user=viewer, subject=subject, action=AccessAction.EXPORTED)
    accesses = list(accesses_of_subject(subject=subject))
    assert [a.action for a in accesses] == [AccessAction.EXPORTED, AccessAction.VIEWED]
    assert {a.user for a in accesses} == {viewer}
    assert accesses_of_subject(subject=viewer).count() == 0


@pytest.mark.django_db
def test_access_log_is_read_only_in_the_admin(client, login, make_user):
    admin_user = make_user(role=Role.FUNCTIONAL_ADMIN)
    log_personal_data_access(user=admin_user, subject=make_user())
    login(admin_user)
    entry = PersonalDataAccess.objects.get()
    assert client.get(reverse("admin:audit_personaldataaccess_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_personaldataaccess_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:audit_personaldataaccess_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert PersonalDataAccess.objects.count() == 1


@pytest.mark.django_db
def test_other_roles_cannot_read_the_access_log(client, login, make_user):
    login(make_user(role=Role.MANAGER))
    response = client.get(reverse("admin:audit_personaldataaccess_changelist"))
    assert response.status_code == 403
