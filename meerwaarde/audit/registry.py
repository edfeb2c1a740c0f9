"""One place that knows which models hold personal data.

Every such model gets a change history (django-auditlog). Models whose detail pages show
a person (`access_logged=True`) must also write the access log when viewed; a test walks
this registry so a new personal-data model cannot be forgotten.
"""

from dataclasses import dataclass

from auditlog.registry import auditlog
from django.db import models


@dataclass(frozen=True)
class PersonalDataModel:
    model: type[models.Model]
    access_logged: bool


_registry: dict[type[models.Model], PersonalDataModel] = {}


def register_personal_data_model(
    model: type[models.Model],
    *,
    exclude_fields: list[str] | None = None,
    access_logged: bool = True,
) -> None:
    auditlog.register(model, exclude_fields=exclude_fields or [])
    _registry[model] = PersonalDataModel(model=model, access_logged=access_logged)


def personal_data_models() -> list[PersonalDataModel]:
    return list(_registry.values())


# Models whose fields look like personal data (a name, an address, a free-text note) but
# that hold none, with the reason. tests/security/test_audit.py fails for a model with
# such fields that is neither registered above nor listed here.
NOT_PERSONAL_DATA: dict[str, str] = {
    "accounts.Team": "naam en omschrijving van een team, geen persoon",
    "accounts.AccountEvent": (
        "zelf de alleen-lezen geschiedenis van een medewerkersaccount (wachtwoord, "
        "authenticator, blokkade: wie, wanneer, waarom), doorzoekbaar in /beheer/"
    ),
    "catalogue.Product": "productcatalogus: beschrijvende teksten, geen persoon",
    "catalogue.HourBudget": "begroting per product en jaar met toelichting, geen persoon",
    "catalogue.Area": "kernen en wijken met hun postcodegebieden, geen persoon",
    "catalogue.Location": "adres van een PlusPunt (organisatie), geen persoon",
    "cases.ImportBatch": "bestandsnaam van een urenimport; de uren zelf staan in de historie",
    "cases.ClosedPeriod": (
        "een gesloten periode, wie die sloot of heropende en waarom; de rij is zelf de "
        "historie van het sluiten en heropenen"
    ),
    "cases.ImportJob": "voortgang en regelnummers van een urenimport, geen persoon",
    "cases.GroupActivity": "naam van een groepsactiviteit; deelnemers worden niet geregistreerd",
    "cases.GroupSession": (
        "aantallen per bijeenkomst; de toelichting gaat over de groep (groepswerk is anoniem)"
    ),
    "volunteers.TrainingType": "naam van een training, geen persoon",
    "reporting.Indicator": "indicatordefinitie, geen persoon",
}
