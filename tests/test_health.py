import pytest
from django.db import OperationalError
from django.urls import reverse


@pytest.mark.django_db
def test_health_is_ok_when_database_and_broker_answer(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_health_is_503_when_the_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["broker"] == "fout"


@pytest.mark.django_db
def test_health_is_503_when_the_database_is_down(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["database"] == "fout"


@pytest.mark.django_db
def test_health_with_in_process_tasks(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["broker"] == "in-process"
