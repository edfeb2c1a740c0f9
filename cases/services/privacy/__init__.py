"""Data-subject rights (AVG) and retention: inzage, verwijdering (anonymisation) and the
retention job. Correctie is the normal client edit (`clients.update_client`), audited by
the change history.

Anonymisation removes a client's identity and keeps the facts reports are made of:

- Identity gone: names, street, house number, postcode, pc4, woonplaats, wijk, phone,
  e-mail, language needs, household, the old system's reference. The birth date becomes
  1 January of the birth year (the field is required, and age groups in reports stay
  right); gender, "woont in Haarlemmermeer", kern and team stay (aggregate facts).
- Free text that may identify someone is cleared on every record of the client's cases
  (see `ANONYMISATION_PLAN`): the hulpvraag, contact reports, notes, mediation parties'
  names, addresses and phones, the match evaluations.
- Cases (product, dates, status), outcomes, scores, hours (date, hours, product, kern and
  the hours' own pc4 snapshot) and contacts (date, kind) stay, so counts and hours in
  reports do not change.
- The change history (django-auditlog `LogEntry`) of the client and of those records is
  rewritten: the old and new values of every cleared field become "[geanonimiseerd]"
  (the field names and timestamps stay, so the history still shows *that* something
  changed, and when, and by whom), the stored representation (which holds the name) is
  replaced, serialized snapshots and change texts are dropped. Keeping the old values
  would defeat the anonymisation; deleting the entries would hide who did what.
- The anonymisation itself is recorded: `Client.anonymised_at`/`anonymised_by` and a
  change-history entry with `additional_data = {"anonimisering": ...}`; who requested it
  through the app is in the access log (the confirmation page).

The package: `plan` (what is cleared and kept, who may), `inzage`, `anonymisation`,
`retention`. Each app contributes its part of a client's file (models to anonymise,
inzage sections, retention blockers) through `meerwaarde.audit.avg_registry` in its
`AppConfig.ready()`; this package never names another app's models.
"""

from .anonymisation import anonymisation_refusal, anonymise_client
from .inzage import INZAGE_CLIENT_FIELDS_SKIPPED, build_inzage
from .plan import (
    ANONYMISATION_PLAN,
    ANONYMISED_LAST_NAME,
    CASES_ANONYMISATION_PLAN,
    CLIENT_FIELDS_CLEARED,
    CLIENT_FIELDS_KEPT,
    REDACTED,
    AnonymisedModel,
    clients_open_to_data_subject_requests,
    open_case_blocks_retention,
)
from .retention import RetentionResult, apply_retention, clients_due_for_retention

__all__ = [
    "ANONYMISATION_PLAN",
    "ANONYMISED_LAST_NAME",
    "CASES_ANONYMISATION_PLAN",
    "CLIENT_FIELDS_CLEARED",
    "CLIENT_FIELDS_KEPT",
    "INZAGE_CLIENT_FIELDS_SKIPPED",
    "REDACTED",
    "AnonymisedModel",
    "RetentionResult",
    "anonymisation_refusal",
    "anonymise_client",
    "apply_retention",
    "build_inzage",
    "clients_due_for_retention",
    "clients_open_to_data_subject_requests",
    "open_case_blocks_retention",
]
