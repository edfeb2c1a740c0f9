"""The models of `cases`, one module per domain. Every model is imported here, so Django
finds them and `from cases.models import Client` keeps working.

- `clients`: clients, households, consents
- `cases`: cases, status changes, contacts, referrals, outcomes, scores, follow-ups
- `mediation`: mediation parties and steps
- `hours`: staff hours, import batches and jobs, closed periods
- `group_work`: group activities and sessions, walk-in (anonymous) contacts
"""

from .cases import (
    Case,
    CaseOutcome,
    CaseStatusChange,
    Contact,
    FollowUp,
    OutcomeScore,
    Referral,
)
from .clients import Client, Consent, Household
from .fields import HOURS, USER, normalise_postcode, postcode_validator
from .group_work import AnonymousContact, GroupActivity, GroupSession
from .hours import (
    ClosedPeriod,
    ClosedPeriodQuerySet,
    HourRegistration,
    ImportBatch,
    ImportJob,
    ImportJobStatus,
    InForceClosedPeriodManager,
)
from .mediation import MediationParty, MediationStepRecord

__all__ = [
    "HOURS",
    "USER",
    "AnonymousContact",
    "Case",
    "CaseOutcome",
    "CaseStatusChange",
    "Client",
    "ClosedPeriod",
    "ClosedPeriodQuerySet",
    "Consent",
    "Contact",
    "FollowUp",
    "GroupActivity",
    "GroupSession",
    "HourRegistration",
    "Household",
    "ImportBatch",
    "ImportJob",
    "ImportJobStatus",
    "InForceClosedPeriodManager",
    "MediationParty",
    "MediationStepRecord",
    "OutcomeScore",
    "Referral",
    "normalise_postcode",
    "postcode_validator",
]
