"""AVG requests of a client: inzage (JSON and a printable page) and verwijdering
(anonymisation). Social workers for the clients of their teams, the functioneel beheerder
for every client; anonymising is for the functioneel beheerder only."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import Client
from cases.selectors import get_visible_client_or_404
from cases.services.privacy import (
    anonymisation_refusal,
    anonymise_client,
    build_inzage,
    clients_open_to_data_subject_requests,
)
from meerwaarde.audit.models import AccessAction

from .intake import _parse_date, parse_id, search_text

LOOKUP_LIMIT = 20


class LocalTimeJSONEncoder(DjangoJSONEncoder):
    """Times in the export in Dutch local time (with their offset), as on the screens."""

    def default(self, o):
        if isinstance(o, datetime.datetime) and timezone.is_aware(o):
            o = timezone.localtime(o)
        return super().default(o)


def _client_for_request(request, pk: int, *, action: str = AccessAction.VIEWED) -> Client:
    """403 for roles that never handle AVG requests; 404 for a client the user may not
    reach (another team's client does not exist for a social worker). Logged with
    `action`."""
    if not request.user.has_perm("cases.request_inzage"):
        raise PermissionDenied
    return get_visible_client_or_404(
        request.user,
        pk,
        within=clients_open_to_data_subject_requests(request.user),
        action=action,
    )


@require_GET
def privacy_lookup(request):
    """Finds the client an AVG request is about: by number, or by last name and birth date
    (exact, so nobody browses the files)."""
    if not request.user.has_perm("cases.request_inzage"):
        raise PermissionDenied
    number = request.GET.get("nummer", "").strip()
    last_name = search_text(request.GET.get("achternaam"), 100)
    birth_date_text = request.GET.get("geboortedatum", "").strip()[:20]
    clients = clients_open_to_data_subject_requests(request.user).select_related("team", "kern")
    results = None
    error = ""
    if number:
        if (client_id := parse_id(number)) is not None:
            results = list(clients.filter(pk=client_id)[:1])
        elif number.isascii() and number.isdigit():
            results = []  # a number too long to be anyone's
        else:
            error = _("Een cliëntnummer bestaat alleen uit cijfers.")
    elif last_name or birth_date_text:
        birth_date = _parse_date(birth_date_text)
        if not last_name or birth_date is None:
            error = _("Vul de achternaam en een geldige geboortedatum (dd-mm-jjjj) in.")
        else:
            results = list(
                clients.filter(last_name__iexact=last_name, birth_date=birth_date).order_by("pk")[
                    :LOOKUP_LIMIT
                ]
            )
    return render(
        request,
        "cases/privacy_lookup.html",
        {
            "results": results,
            "error": error,
            "number": number,
            "last_name": last_name,
            "birth_date": birth_date_text,
        },
    )


@never_cache
@require_GET
def client_inzage(request, pk: int):
    """The printable inzage page; itself an export of personal data, so logged."""
    client = _client_for_request(request, pk, action=AccessAction.PRINTED)
    return render(
        request,
        "cases/client_inzage.html",
        {
            "client": client,
            "inzage": build_inzage(client=client),
            "generated_at": timezone.now(),
        },
    )


@never_cache
@require_GET
def client_inzage_json(request, pk: int):
    client = _client_for_request(request, pk, action=AccessAction.EXPORTED)
    data = {
        "generated_at": timezone.now(),
        "generated_by": request.user.display_name,
        **build_inzage(client=client),
    }
    response = JsonResponse(
        data, encoder=LocalTimeJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="inzage-client-{client.pk}.json"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def client_anonymise(request, pk: int):
    """Confirmation page (GET) and the anonymisation itself (POST, with a confirmation
    tick). Functioneel beheerder only."""
    if not request.user.has_perm("cases.anonymise_client"):
        raise PermissionDenied
    client = _client_for_request(request, pk)
    if request.method == "POST":
        if request.POST.get("bevestigen") != "ja":
            messages.error(
                request, _("Vink aan dat u begrijpt dat anonimiseren niet ongedaan kan worden.")
            )
        else:
            try:
                anonymise_client(client=client, anonymised_by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Cliënt %(number)s is geanonimiseerd.") % {"number": client.pk},
                )
                return redirect("cases:privacy_lookup")
        return redirect("cases:client_anonymise", pk=client.pk)
    refusal = anonymisation_refusal(client=client)
    return render(
        request,
        "cases/client_anonymise.html",
        {
            "client": client,
            "refusal": " ".join(refusal.messages) if refusal else "",
            "case_count": client.cases.count(),
        },
    )
