"""The volunteer registry: list, register, edit, detail with trainings, screening and
hours, and the "verloopt binnenkort" list. Coordinators only."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.rules import coordinated_product_ids
from cases.services.periods import closed_period_containing

from ..forms_registry import RegistryFilterForm, TrainingForm, VolunteerForm, VolunteerHoursForm
from ..models import Volunteer, VolunteerHours
from ..screening import screening_problems
from ..selectors import get_visible_volunteer_or_404
from ..services import registry as registry_services
from ..services import volunteer_hours as hours_services

use_volunteer_pages = permission_required("volunteers.use_volunteer_pages", raise_exception=True)


def put_errors_on_form(form, error: ValidationError) -> None:
    """A service's Dutch messages on the fields they belong to; the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, field_messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


@require_GET
@use_volunteer_pages
def volunteer_list(request):
    form = RegistryFilterForm(request.GET or None, user=request.user)
    volunteers = list(registry_services.registry_list(request.user, **form.filters()))
    return render(
        request, "volunteers/registry/list.html", {"form": form, "volunteers": volunteers}
    )


@require_http_methods(["GET", "POST"])
@use_volunteer_pages
def volunteer_create(request):
    form = VolunteerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = registry_services.create_volunteer(
                data=form.service_data(), availability=form.slots(), created_by=request.user
            )
        except ValidationError as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, _("De vrijwilliger is geregistreerd."))
            return redirect("volunteers_registry:detail", pk=volunteer.pk)
    return render(request, "volunteers/registry/form.html", {"form": form, "volunteer": None})


@require_http_methods(["GET", "POST"])
@use_volunteer_pages
def volunteer_edit(request, pk: int):
    volunteer = get_visible_volunteer_or_404(
        request.user, pk, permission="volunteers.change_volunteer"
    )
    if request.method == "POST":
        form = VolunteerForm(request.POST, user=request.user)
        if form.is_valid():
            version = form.cleaned_data.get("version")
            try:
                registry_services.update_volunteer(
                    volunteer=volunteer,
                    data=form.service_data(),
                    availability=form.slots(),
                    changed_by=request.user,
                    expected_version=version if version is not None else -1,
                )
            except ValidationError as error:
                put_errors_on_form(form, error)
            else:
                messages.success(request, _("De wijzigingen zijn opgeslagen."))
                return redirect("volunteers_registry:detail", pk=volunteer.pk)
    else:
        form = VolunteerForm(initial=VolunteerForm.initial_for(volunteer), user=request.user)
    return render(request, "volunteers/registry/form.html", {"form": form, "volunteer": volunteer})


def render_detail(request, volunteer, *, training_form=None, hours_form=None, status=200):
    today = timezone.localdate()
    products = list(volunteer.products.order_by("name"))
    screening = [
        (product, screening_problems(volunteer, product, on=today)) for product in products
    ]
    matches = volunteer.matches.select_related("case__product").order_by("-proposed_on", "-id")
    context = {
        "volunteer": volunteer,
        "products": products,
        "kernen_served": list(volunteer.kernen_served.order_by("name")),
        "availability": {(slot.weekday, slot.day_part) for slot in volunteer.availability.all()},
        "grid": VolunteerForm(
            initial=VolunteerForm.initial_for(volunteer), user=request.user
        ).availability_grid(),
        "trainings": volunteer.trainings.select_related("training"),
        "screening": screening,
        "matches": matches,
        "hours": hours_services.recent_hours(volunteer),
        "own_product_ids": coordinated_product_ids(request.user),
        "training_form": training_form or TrainingForm(),
        "hours_form": hours_form
        or VolunteerHoursForm(volunteer=volunteer, user=request.user, initial={"date": today}),
        "may_register_hours": request.user.has_perm("volunteers.register_volunteer_hours"),
    }
    return render(request, "volunteers/registry/detail.html", context, status=status)


@require_GET
@use_volunteer_pages
def volunteer_detail(request, pk: int):
    return render_detail(request, get_visible_volunteer_or_404(request.user, pk))


@require_POST
@use_volunteer_pages
def add_training(request, pk: int):
    volunteer = get_visible_volunteer_or_404(
        request.user, pk, permission="volunteers.change_volunteer"
    )
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            registry_services.add_training(
                volunteer=volunteer,
                training=form.cleaned_data["training"],
                completed_on=form.cleaned_data["completed_on"],
                added_by=request.user,
            )
        except ValidationError as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, _("De training is toegevoegd."))
            return redirect("volunteers_registry:detail", pk=volunteer.pk)
    return render_detail(request, volunteer, training_form=form, status=400)


@require_POST
@permission_required("volunteers.register_volunteer_hours", raise_exception=True)
@use_volunteer_pages
def add_hours(request, pk: int):
    volunteer = get_visible_volunteer_or_404(request.user, pk)
    form = VolunteerHoursForm(request.POST, volunteer=volunteer, user=request.user)
    if form.is_valid():
        try:
            hours_services.register_volunteer_hours(
                volunteer=volunteer, registered_by=request.user, **form.service_data()
            )
        except ValidationError as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, _("De uren zijn geregistreerd."))
            return redirect("volunteers_registry:detail", pk=volunteer.pk)
    return render_detail(request, volunteer, hours_form=form, status=400)


def changeable_hours(request, volunteer: Volunteer, hours_pk: int) -> VolunteerHours:
    """The volunteer's registration, if the user coordinates its product; 404 otherwise."""
    registration = (
        VolunteerHours.objects.filter(volunteer=volunteer, pk=hours_pk)
        .select_related("product", "match__case__product", "activity")
        .first()
    )
    if registration is None or not request.user.has_perm(
        "volunteers.change_volunteer_hours", registration
    ):
        raise Http404
    return registration


@require_http_methods(["GET", "POST"])
@permission_required("volunteers.register_volunteer_hours", raise_exception=True)
@use_volunteer_pages
def edit_hours(request, pk: int, hours_pk: int):
    volunteer = get_visible_volunteer_or_404(request.user, pk)
    registration = changeable_hours(request, volunteer, hours_pk)
    status = 200
    if request.method == "POST":
        form = VolunteerHoursForm(
            request.POST, volunteer=volunteer, user=request.user, current=registration
        )
        if form.is_valid():
            try:
                hours_services.update_volunteer_hours(
                    registration=registration, changed_by=request.user, **form.service_data()
                )
            except ValidationError as error:
                put_errors_on_form(form, error)
            else:
                messages.success(request, _("De uren zijn gewijzigd."))
                return redirect("volunteers_registry:detail", pk=volunteer.pk)
        status = 400
    else:
        form = VolunteerHoursForm(
            initial=VolunteerHoursForm.initial_for(registration),
            volunteer=volunteer,
            user=request.user,
            current=registration,
        )
    return render(
        request,
        "volunteers/registry/hours_form.html",
        {
            "volunteer": volunteer,
            "registration": registration,
            "form": form,
            "closed_period": closed_period_containing(registration.date),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@permission_required("volunteers.register_volunteer_hours", raise_exception=True)
@use_volunteer_pages
def delete_hours(request, pk: int, hours_pk: int):
    """GET asks for confirmation; only the POST removes the hours."""
    volunteer = get_visible_volunteer_or_404(request.user, pk)
    registration = changeable_hours(request, volunteer, hours_pk)
    if request.method == "POST":
        try:
            hours_services.delete_volunteer_hours(
                registration=registration, deleted_by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("De uren zijn verwijderd."))
        return redirect("volunteers_registry:detail", pk=volunteer.pk)
    return render(
        request,
        "volunteers/registry/hours_confirm_delete.html",
        {
            "volunteer": volunteer,
            "registration": registration,
            "closed_period": closed_period_containing(registration.date),
        },
    )


@require_GET
@use_volunteer_pages
def expiring(request):
    today = timezone.localdate()
    rows = registry_services.expiring_for(request.user, today=today)
    return render(
        request,
        "volunteers/registry/expiring.html",
        {"rows": rows, "today": today, "days": registry_services.EXPIRY_WARNING_DAYS},
    )
