"""One place where each app says what it holds of a client, for the AVG.

The data-subject services (inzage, anonymisation, retention in `cases.services.privacy`)
iterate this registry instead of naming other apps' models, so an app above `cases`
(volunteers) contributes its part without `cases` knowing it. Each app registers its part
in its `AppConfig.ready()`:

- `anonymised`: the models that hold part of a client's file, with the text fields that
  are cleared and the ones deliberately kept (`AnonymisedModel`). A test walks every model
  linked to a client, so a new one cannot be forgotten.
- `inzage_case_sections`: a key of each case in the inzage and a function
  `(client) -> {case_id: [rows]}` that fills it (e.g. the matches of the client's cases).
- `retention_blockers`: a function returning a condition on a client (an `Exists` over
  `OuterRef("pk")` of the client) that keeps the client out of the retention job while it
  holds — e.g. an open case.

A new personal-data model of a client is added here, in its app's `ready()`, next to its
`register_personal_data_model` call (`meerwaarde/audit/registry.py`).
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class AnonymisedModel:
    """Records that belong to a client's file. `cleared`: text fields emptied on
    anonymisation; `kept`: the other text fields (codes, not free text). Non-text fields
    (dates, numbers, links) are facts and stay."""

    label: str
    client_path: str
    cleared: frozenset[str] = field(default_factory=frozenset)
    kept: frozenset[str] = field(default_factory=frozenset)
    # Not part of the client's file but a record of the same person elsewhere: only the
    # link to the client is cut (here and in its history), the record itself stays.
    unlink: bool = False


InzageRowsByCase = Callable[[models.Model], dict[int, list[dict]]]
RetentionBlocker = Callable[[], models.Expression]


@dataclass(frozen=True)
class InzageCaseSection:
    key: str
    rows_by_case: InzageRowsByCase


@dataclass(frozen=True)
class ClientDataPart:
    app_label: str
    anonymised: tuple[AnonymisedModel, ...] = ()
    inzage_case_sections: tuple[InzageCaseSection, ...] = ()
    retention_blockers: tuple[RetentionBlocker, ...] = ()


_parts: dict[str, ClientDataPart] = {}


def register_client_data(
    app_label: str,
    *,
    anonymised: Sequence[AnonymisedModel] = (),
    inzage_case_sections: Sequence[InzageCaseSection] = (),
    retention_blockers: Sequence[RetentionBlocker] = (),
) -> ClientDataPart:
    """Registers (or replaces, so a repeated `ready()` is harmless) an app's part."""
    part = ClientDataPart(
        app_label=app_label,
        anonymised=tuple(anonymised),
        inzage_case_sections=tuple(inzage_case_sections),
        retention_blockers=tuple(retention_blockers),
    )
    labels = [entry.label for entry in part.anonymised]
    foreign = [label for label in labels if label.split(".")[0] != app_label]
    if foreign:
        raise ValueError(f"{app_label} registers models of another app: {foreign}")
    _parts[app_label] = part
    return part


def client_data_parts() -> list[ClientDataPart]:
    """In registration order (INSTALLED_APPS order: lower apps first)."""
    return list(_parts.values())


def anonymised_models() -> tuple[AnonymisedModel, ...]:
    return tuple(entry for part in _parts.values() for entry in part.anonymised)


def inzage_case_sections() -> tuple[InzageCaseSection, ...]:
    return tuple(section for part in _parts.values() for section in part.inzage_case_sections)


def retention_blockers() -> tuple[RetentionBlocker, ...]:
    return tuple(blocker for part in _parts.values() for blocker in part.retention_blockers)


class AnonymisationPlan(Sequence):
    """The registered `AnonymisedModel`s, read from the registry on each use (so a module
    may hold it before every app is ready)."""

    def __getitem__(self, index):
        return anonymised_models()[index]

    def __len__(self) -> int:
        return len(anonymised_models())

    def __iter__(self) -> Iterator[AnonymisedModel]:
        return iter(anonymised_models())
