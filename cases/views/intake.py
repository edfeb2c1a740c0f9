import re

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms import DATE_INPUT_FORMATS, IntakeForm
from cases.selectors import clients_visible_to
from cases.services.clients import DuplicateCheck, find_possible_duplicates
from cases.services.intake import IntakeData, criteria_to_confirm, register_intake
from catalogue.models import Product, normalise_for_search
from meerwaarde.forms_once import replayed_submission, submit_once

register_intake_required = permission_required("cases.register_intake", raise_exception=True)

_ID_PATTERN = re.compile(r"[0-9]{1,18}")


def parse_id(value) -> int | None:
    """A primary key typed or posted by a user, or None. Only ASCII digits that fit a
    bigint: "²".isdigit() is true but int("²") fails, and 5,000 digits overflow."""
    text = str(value or "").strip()
    return int(text) if _ID_PATTERN.fullmatch(text) else None


def search_text(value, limit: int) -> str:
    """What a user typed into a search box, fit for a query: PostgreSQL refuses a NUL
    character in text, so it is dropped rather than turned into a 500."""
    return str(value or "").replace("\x00", "").strip()[:limit]


def apply_validation_error(form, error: ValidationError) -> None:
    """Puts a service's Dutch messages on the form fields they belong to."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _criteria_context(form: IntakeForm) -> dict:
    """The checklist for the chosen product and person, with what was ticked."""
    data = form.data if form.is_bound else {}
    product_id = parse_id(data.get("product"))
    product = (
        Product.objects.filter(pk=product_id, is_active=True).first()
        if product_id is not None
        else None
    )
    person = _person_from_data(form.user, data)
    if product is None or person is None:
        return {"criteria": [], "criteria_product": product}
    checked = set(data.getlist("confirmed_criteria")) if hasattr(data, "getlist") else set()
    return {
        "criteria": [
            (text, text in checked)
            for text in criteria_to_confirm(product=product, client_like=person)
        ],
        "criteria_product": product,
    }


class _PersonLike:
    def __init__(self, birth_date, lives_in_haarlemmermeer):
        self.birth_date = birth_date
        self.lives_in_haarlemmermeer = lives_in_haarlemmermeer


def _parse_date(value: str):
    import datetime

    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except (ValueError, AttributeError):
            continue
    return None


def _person_from_data(user, data):
    client_id = parse_id(data.get("existing_client"))
    if client_id is not None:
        client = clients_visible_to(user).filter(pk=client_id).first()
        if client:
            return client
    birth_date = _parse_date(data.get("birth_date", "") or "")
    if birth_date is None:
        return None
    return _PersonLike(birth_date, bool(data.get("lives_in_haarlemmermeer")))


@require_http_methods(["GET", "POST"])
@register_intake_required
def intake(request):
    if request.method == "POST" and (replay_url := replayed_submission(request)):
        messages.info(request, _("Deze aanmelding was al opgeslagen."))
        return redirect(replay_url)
    form = IntakeForm(request.POST if request.method == "POST" else None, user=request.user)
    duplicates = DuplicateCheck()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        existing = data.get("existing_client")
        # Once the worker confirmed it is another person, the check is not asked again
        # (nothing would be shown, so nothing is looked up or logged).
        if existing is None and not data.get("confirm_new_client"):
            duplicates = find_possible_duplicates(
                user=request.user,
                first_name=data["first_name"],
                last_name_prefix=data.get("last_name_prefix") or "",
                last_name=data["last_name"],
                birth_date=data["birth_date"],
                postcode=data.get("postcode") or "",
                house_number=data.get("house_number"),
            )
        if duplicates:
            form.add_error(
                None,
                _(
                    "Deze cliënt is mogelijk al bekend. Kies de bestaande cliënt, of bevestig "
                    "dat het om een andere persoon gaat."
                ),
            )
        else:
            # A double click on "Opslaan" posts the same one-time token twice: one intake.
            with submit_once(request) as once:
                if once.is_replay:
                    messages.info(request, _("Deze aanmelding was al opgeslagen."))
                    return redirect(once.replay_url)
                try:
                    case = register_intake(
                        registered_by=request.user,
                        client=existing,
                        new_client=None if existing else form.client_data(),
                        consents=form.consents(),
                        data=IntakeData(
                            product=data["product"],
                            referral_source=data["referral_source"],
                            referral_source_detail=data["referral_source_detail"],
                            question=data["question"],
                            life_domains=data["life_domains"],
                            is_caregiver=data["is_caregiver"],
                            caregiver_overburdened=data["caregiver_overburdened"],
                            team=data["team"],
                            responsible_worker=data["responsible_worker"],
                            confirmed_criteria=data["confirmed_criteria"],
                            start_status=data["start_status"],
                            registered_on=data["registered_on"],
                        ),
                    )
                except ValidationError as error:
                    apply_validation_error(form, error)
                else:
                    messages.success(request, _("De aanmelding is opgeslagen."))
                    once.done(reverse("cases:case_detail", args=[case.pk]))
                    return redirect("cases:case_detail", pk=case.pk)
    selected = parse_id(form.data.get("existing_client")) if form.is_bound else None
    context = {
        "form": form,
        "duplicates": duplicates,
        "selected_client": clients_visible_to(request.user).filter(pk=selected).first()
        if selected is not None
        else None,
        **_criteria_context(form),
    }
    return render(request, "cases/intake.html", context, status=200)


@require_GET
@register_intake_required
def intake_criteria(request):
    """htmx: the checklist for the chosen product and person."""
    form = IntakeForm(request.GET, user=request.user)
    return render(request, "cases/_intake_criteria.html", _criteria_context(form))


@require_GET
@register_intake_required
def intake_duplicates(request):
    """htmx: possible duplicates while the worker types a new client's details; says
    something only for a real match (cases.services.clients.find_possible_duplicates)."""
    data = request.GET
    house_number = parse_id(data.get("house_number"))
    duplicates = find_possible_duplicates(
        user=request.user,
        first_name=search_text(data.get("first_name"), 100),
        last_name_prefix=search_text(data.get("last_name_prefix"), 20),
        last_name=search_text(data.get("last_name"), 100),
        birth_date=_parse_date(data.get("birth_date", "") or ""),
        postcode=search_text(data.get("postcode"), 7),
        house_number=house_number if house_number is not None and house_number < 100000 else None,
    )
    return render(request, "cases/_duplicates.html", {"duplicates": duplicates})


@require_GET
@register_intake_required
def client_search(request):
    """htmx: existing clients of the worker's teams by name or birth date."""
    query = search_text(request.GET.get("client_query"), 100)
    clients = []
    if len(query) >= 2:
        clients_qs = clients_visible_to(request.user)
        birth_date = _parse_date(query)
        if birth_date:
            clients_qs = clients_qs.filter(birth_date=birth_date)
        else:
            for word in normalise_for_search(query).split():
                clients_qs = clients_qs.filter(Q(search_name__contains=word))
        clients = list(clients_qs.select_related("kern").order_by("last_name", "first_name")[:20])
    # The household form on the client page reuses this list under another field name.
    field = "other" if request.GET.get("field") == "other" else "existing_client"
    return render(
        request,
        "cases/_client_choices.html",
        {"clients": clients, "query": query, "field_name": field},
    )
