"""Moving a case through its statuses; every change recorded with who and when."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.choices import ALLOWED_TRANSITIONS, CaseStatus
from cases.models import Case, CaseStatusChange


def allowed_next_statuses(case: Case) -> tuple[str, ...]:
    return ALLOWED_TRANSITIONS[case.status]


@transaction.atomic
def change_case_status(
    *, case: Case, to_status: str, changed_by, note: str = "", on: datetime.date | None = None
) -> Case:
    """Moves the case to `to_status` if the flow allows it. Closing goes through
    `close_case`, which also asks for the outcome."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if to_status not in ALLOWED_TRANSITIONS[case.status]:
        raise ValidationError(
            _("Een traject met status '%(from)s' kan niet naar '%(to)s'.")
            % {
                "from": CaseStatus(case.status).label,
                "to": CaseStatus(to_status).label if to_status in CaseStatus.values else to_status,
            }
        )
    today = on or datetime.date.today()
    CaseStatusChange.objects.create(
        case=case, from_status=case.status, to_status=to_status, changed_by=changed_by, note=note
    )
    case.status = to_status
    if to_status == CaseStatus.WAITING_LIST:
        case.waiting_since = today
    elif case.waiting_since and to_status in (CaseStatus.INTAKE, CaseStatus.ACTIVE):
        case.waiting_since = None
    if to_status in (CaseStatus.CLOSED, CaseStatus.REFERRED, CaseStatus.CANCELLED):
        case.closed_on = today
    case.version += 1
    case.save(update_fields=["status", "waiting_since", "closed_on", "version", "updated_at"])
    return case
