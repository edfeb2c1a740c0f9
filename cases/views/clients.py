from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.choices import ConsentPurpose
from cases.forms import ClientForm
from cases.models import Consent
from cases.selectors import cases_visible_to, clients_visible_to, get_visible_client_or_404
from cases.services import consent as consent_service
from cases.services.clients import CLIENT_FIELDS, leave_household, link_household, update_client
from catalogue.models import normalise_for_search

from .intake import _parse_date, apply_validation_error, parse_id, search_text

client_access = permission_required("cases.register_intake", raise_exception=True)


@require_GET
@client_access
def client_list(request):
    query = search_text(request.GET.get("q"), 100)
    clients = clients_visible_to(request.user).select_related("kern")
    if query:
        birth_date = _parse_date(query)
        if birth_date:
            clients = clients.filter(birth_date=birth_date)
        else:
            for word in normalise_for_search(query).split():
                clients = clients.filter(Q(search_name__contains=word) | Q(postcode__iexact=word))
    clients = clients.annotate(case_count=Count("cases")).order_by("last_name", "first_name")[:100]
    return render(request, "cases/client_list.html", {"clients": clients, "query": query})


@require_GET
@client_access
def client_detail(request, pk: int):
    client = get_visible_client_or_404(request.user, pk)
    cases = cases_visible_to(request.user).filter(client=client).select_related("product", "team")
    consents = client.consents.select_related("recorded_by", "withdrawn_by")
    members = (
        clients_visible_to(request.user).filter(household=client.household).exclude(pk=client.pk)
        if client.household_id
        else []
    )
    return render(
        request,
        "cases/client_detail.html",
        {
            "client": client,
            "cases": cases,
            "consents": consents,
            "household_members": members,
            "purposes": ConsentPurpose.choices,
            "active": {
                purpose: consent_service.has_consent(client=client, purpose=purpose)
                for purpose in ConsentPurpose.values
            },
        },
    )


@require_http_methods(["GET", "POST"])
@client_access
def client_edit(request, pk: int):
    client = get_visible_client_or_404(request.user, pk)
    if request.method == "POST":
        form = ClientForm(request.POST)
        if form.is_valid():
            try:
                update_client(
                    client=client,
                    data=form.client_data(),
                    changed_by=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("De gegevens zijn bijgewerkt."))
                return redirect("cases:client_detail", pk=client.pk)
    else:
        initial = {field: getattr(client, field) for field in CLIENT_FIELDS}
        initial["version"] = client.version
        form = ClientForm(initial=initial)
    return render(request, "cases/client_edit.html", {"client": client, "form": form})


@require_POST
@client_access
def consent_record(request, pk: int):
    client = get_visible_client_or_404(request.user, pk)
    purpose = request.POST.get("purpose", "")
    given = request.POST.get("given") == "ja"
    try:
        consent_service.record_consent(
            client=client, purpose=purpose, given=given, recorded_by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De toestemming is vastgelegd."))
    return redirect("cases:client_detail", pk=client.pk)


@require_POST
@client_access
def consent_withdraw(request, pk: int, consent_pk: int):
    client = get_visible_client_or_404(request.user, pk)
    consent = Consent.objects.filter(client=client, pk=consent_pk).first()
    if consent is None:
        raise Http404
    try:
        consent_service.withdraw_consent(consent=consent, withdrawn_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De toestemming is ingetrokken."))
    return redirect("cases:client_detail", pk=client.pk)


@require_POST
@client_access
def household_link(request, pk: int):
    client = get_visible_client_or_404(request.user, pk)
    other_id = parse_id(request.POST.get("other"))
    other = (
        clients_visible_to(request.user).filter(pk=other_id).first()
        if other_id is not None
        else None
    )
    if other is None:
        messages.error(request, _("Kies een cliënt uit uw teams."))
        return redirect("cases:client_detail", pk=client.pk)
    try:
        link_household(client=client, other=other, linked_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s hoort nu bij hetzelfde huishouden.") % {"name": other.full_name}
        )
    return redirect("cases:client_detail", pk=client.pk)


@require_POST
@client_access
def household_leave(request, pk: int):
    client = get_visible_client_or_404(request.user, pk)
    try:
        leave_household(client=client, changed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De cliënt is uit het huishouden gehaald."))
    return redirect("cases:client_detail", pk=client.pk)
