"""Reads of clients and cases, always scoped to what the user may see."""

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from meerwaarde.audit.models import AccessAction
from meerwaarde.audit.services import log_personal_data_access

from .choices import OPEN_STATUSES
from .models import Case, CaseOutcome, Client, HourRegistration
from .rules import coordinated_product_ids, team_ids


def cases_visible_to(user) -> QuerySet[Case]:
    """Social workers: their teams' cases. Coordinators: cases of their products."""
    if not user.is_authenticated:
        return Case.objects.none()
    condition = Q()
    if user.has_perm("cases.view_team_cases"):
        condition |= Q(team_id__in=team_ids(user))
    if user.has_perm("cases.view_product_cases"):
        condition |= Q(product_id__in=coordinated_product_ids(user))
    if not condition:
        return Case.objects.none()
    return Case.objects.filter(condition)


def clients_visible_to(user) -> QuerySet[Client]:
    """Clients registered by, or with a case in, one of the social worker's teams."""
    if not user.is_authenticated or not user.has_perm("cases.view_team_clients"):
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


# Opening one person's record ----------------------------------------------------------
#
# Every response that shows a person's record (a page, an error re-render of a form on
# it, a printable page or a download) opens it through one of the `get_..._or_404`
# functions below: they scope to what the user may see (anything else is a 404, as if it
# did not exist) and write exactly one access-log row per record they return. So a view
# cannot show a person without a trace. The row names the record the page is about:
# the case for a case page (it leads to the client, and the client's inzage lists the
# rows of their cases), the client for a client page; a match page shows two people and
# writes a row for its case and one for its volunteer. A request that opens a record logs
# it whatever follows, also a POST that only redirects: the insider's trace does not
# depend on how the view answers. Lists and searches (names on a list) are not logged.
# tests/security/test_access_log.py walks the URL patterns so no view is forgotten.

# The largest value of a bigint primary key: a longer number in a URL is nobody's.
_MAX_PK = 2**63 - 1


def find_record_or_404(queryset: QuerySet, pk: int, *, user, permission: str | None):
    """The object `pk` of `queryset` (already scoped to `user`), if `user` also has
    `permission` on it; Http404 otherwise. Writes no access-log row: only for the
    `get_visible_..._or_404` functions, which log what they return."""
    record = queryset.filter(pk=pk).first() if 0 < pk <= _MAX_PK else None
    if record is None or (permission and not user.has_perm(permission, record)):
        raise Http404
    return record


def open_record_or_404(
    queryset: QuerySet, pk: int, *, user, permission: str | None, action: str
) -> models.Model:
    """`find_record_or_404`, and one access-log row (`action`) for the record found."""
    record = find_record_or_404(queryset, pk, user=user, permission=permission)
    log_personal_data_access(user=user, subject=record, action=action)
    return record


def get_visible_case_or_404(
    user,
    pk: int,
    *,
    permission: str | None = "cases.view_case",
    within: QuerySet[Case] | None = None,
    action: str = AccessAction.VIEWED,
) -> Case:
    """A case the user may see (and `permission` on it), logged. `within` narrows the
    scope further for a page that works on some cases only (meldingen, matching); it is
    a queryset of cases the user may see."""
    cases = within if within is not None else cases_visible_to(user)
    return open_record_or_404(
        cases.select_related("client", "client__kern", "product", "team", "responsible_worker"),
        pk,
        user=user,
        permission=permission,
        action=action,
    )


def get_visible_client_or_404(
    user,
    pk: int,
    *,
    within: QuerySet[Client] | None = None,
    action: str = AccessAction.VIEWED,
) -> Client:
    """A client of the user's teams, logged. `within` replaces that scope for the AVG
    requests (the functioneel beheerder handles them for every client)."""
    clients = within if within is not None else clients_visible_to(user)
    return open_record_or_404(
        clients.select_related("kern", "wijk", "team"),
        pk,
        user=user,
        permission=None,
        action=action,
    )


def get_own_hours_or_404(user, pk: int) -> HourRegistration:
    """One of the user's own hour registrations (another user's does not exist for
    them). The page names the client of the registration's case, so the case is logged;
    hours without a case show nobody and write no row."""
    registration = find_record_or_404(
        HourRegistration.objects.filter(worker=user).select_related("product", "case__client"),
        pk,
        user=user,
        permission=None,
    )
    if registration.case is not None:
        log_personal_data_access(user=user, subject=registration.case)
    return registration
