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
