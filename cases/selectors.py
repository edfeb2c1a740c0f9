"""Reads of clients and cases, always scoped to what the user may see."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from .choices import OPEN_STATUSES
from .models import Case, CaseOutcome, Client, HourRegistration
from .rules import coordinated_product_ids, team_ids


def cases_visible_to(user) -> QuerySet[Case]:
    """Social workers: their teams' cases. Coordinators: cases of their products."""
    if not user.is_authenticated:
        return Case.objects.none()
    condition = Q()
    if user.has_perm("cases.register_intake"):  # social worker
        condition |= Q(team_id__in=team_ids(user))
    if user.role == "coordinator":
        condition |= Q(product_id__in=coordinated_product_ids(user))
    if not condition:
        return Case.objects.none()
    return Case.objects.filter(condition)


def clients_visible_to(user) -> QuerySet[Client]:
    """Clients registered by, or with a case in, one of the social worker's teams."""
    if not user.is_authenticated or not user.has_perm("cases.register_intake"):
        return Client.objects.none()
    ids = team_ids(user)
    in_team_case = Case.objects.filter(client=OuterRef("pk"), team_id__in=ids)
    return Client.objects.filter(Q(team_id__in=ids) | Exists(in_team_case))


def case_list(user, *, status: str = "", query: str = "", mine: bool = False) -> QuerySet[Case]:
    cases = cases_visible_to(user).select_related("client", "product", "team", "responsible_worker")
    if status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status:
        cases = cases.filter(status=status)
    if mine:
        cases = cases.filter(responsible_worker=user)
    if query:
        from catalogue.models import normalise_for_search

        for word in normalise_for_search(query).split():
            cases = cases.filter(
                Q(client__search_name__contains=word) | Q(product__name__icontains=word)
            )
    return cases


def hours_of_worker(user, *, start, end) -> QuerySet[HourRegistration]:
    return (
        HourRegistration.objects.filter(worker=user, date__gte=start, date__lte=end)
        .select_related("product", "case__client")
        .order_by("date", "id")
    )


def case_timeline(case: Case) -> list[dict]:
    """Status changes, contacts, hours, referrals and the outcome of a case, newest first.
    A fixed number of queries whatever the case's size."""
    entries: list[dict] = []
    for change in case.status_changes.select_related("changed_by"):
        entries.append(
            {
                "kind": "status",
                "at": change.changed_at.date(),
                "sort": change.changed_at,
                "item": change,
            }
        )
    for contact in case.contacts.select_related("created_by"):
        entries.append(
            {"kind": "contact", "at": contact.date, "sort": contact.created_at, "item": contact}
        )
    for hours in case.hours.select_related("worker", "product"):
        entries.append({"kind": "hours", "at": hours.date, "sort": hours.created_at, "item": hours})
    for referral in case.referrals.select_related("created_by"):
        entries.append(
            {"kind": "referral", "at": referral.date, "sort": referral.created_at, "item": referral}
        )
    outcome = CaseOutcome.objects.filter(case=case).select_related("recorded_by").first()
    if outcome is not None:
        entries.append(
            {
                "kind": "outcome",
                "at": outcome.recorded_at.date(),
                "sort": outcome.recorded_at,
                "item": outcome,
            }
        )
    entries.sort(key=lambda entry: (entry["at"], entry["sort"]), reverse=True)
    return entries
