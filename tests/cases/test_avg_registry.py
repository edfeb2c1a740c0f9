"""The AVG registry (`meerwaarde.audit.avg_registry`): each app contributes its part of a
client's file, and the AVG services in `cases` read it there instead of naming the models
of the apps above them."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import models

from cases.choices import CaseStatus
from cases.services.privacy import ANONYMISATION_PLAN, build_inzage, clients_due_for_retention
from meerwaarde.audit import avg_registry
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TeamFactory
from volunteers import privacy as volunteers_privacy

TODAY = datetime.date(2026, 6, 15)
# "volunteers.Match" or get_model("volunteers", ...): a volunteers model named from cases.
VOLUNTEERS_MODEL = re.compile(r"""["']volunteers\.[A-Z]|get_model\(\s*["']volunteers["']""")


def test_no_module_of_cases_names_a_model_of_an_app_above_it():
    cases_dir = Path(settings.BASE_DIR) / "cases"
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in cases_dir.rglob("*.py")
        if "migrations" not in path.parts
        and VOLUNTEERS_MODEL.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_plan_holds_the_parts_of_cases_and_volunteers_in_app_order():
    labels = [entry.label for entry in ANONYMISATION_PLAN]
    volunteer_labels = [entry.label for entry in volunteers_privacy.ANONYMISED]
    assert labels[-len(volunteer_labels) :] == volunteer_labels
    assert all(label.startswith("cases.") for label in labels[: -len(volunteer_labels)])
    assert [part.app_label for part in avg_registry.client_data_parts()] == ["cases", "volunteers"]


def test_an_app_cannot_register_the_models_of_another_app():
    with pytest.raises(ValueError, match="cases.Contact"):
        avg_registry.register_client_data(
            "volunteers",
            anonymised=[avg_registry.AnonymisedModel("cases.Contact", "case__client")],
        )
    # The refused registration left the volunteers' part as it was.
    assert avg_registry.client_data_parts()[-1].anonymised == volunteers_privacy.ANONYMISED


@pytest.fixture
def extra_part(monkeypatch):
    """Registers a part for a made-up app for one test (the registry is restored after)."""
    monkeypatch.setattr(avg_registry, "_parts", dict(avg_registry._parts))

    def register(**parts):
        return avg_registry.register_client_data("extra", **parts)

    return register


@pytest.mark.django_db
def test_a_registered_inzage_section_is_filled_per_case(extra_part):
    client = ClientFactory(team=TeamFactory())
    case = CaseFactory(client=client, team=client.team)
    extra_part(
        inzage_case_sections=[
            avg_registry.InzageCaseSection(
                key="extra", rows_by_case=lambda person: {case.pk: [{"seen": person.pk}]}
            )
        ]
    )
    (row,) = build_inzage(client=client)["cases"]
    assert row["extra"] == [{"seen": client.pk}]
    assert row["matches"] == []  # the volunteers' section, still there


@pytest.mark.django_db
def test_a_registered_retention_blocker_keeps_a_client_out_of_the_retention_job(extra_part):
    team = TeamFactory()

    def closed_long_ago():
        return CaseFactory(
            client=ClientFactory(team=team),
            team=team,
            status=CaseStatus.CLOSED,
            registered_on=datetime.date(2010, 1, 1),
            closed_on=datetime.date(2010, 2, 1),
        ).client

    kept, due = closed_long_ago(), closed_long_ago()
    assert set(clients_due_for_retention(today=TODAY)) == {kept, due}

    def blocks_kept() -> models.Exists:
        return models.Exists(type(kept).objects.filter(pk=models.OuterRef("pk"), pk__in=[kept.pk]))

    extra_part(retention_blockers=[blocks_kept])
    assert list(clients_due_for_retention(today=TODAY)) == [due]
