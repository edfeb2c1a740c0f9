"""Groepen en inloop: group activities with their sessions, and anonymous walk-in
contacts at PlusPunten and spreekuren."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.forms_group_work import AnonymousContactForm, GroupActivityForm, GroupSessionForm
from cases.models import GroupActivity
from cases.rules import team_ids
from cases.services import group_work

register_session_required = permission_required(
    "cases.register_group_session", raise_exception=True
)
manage_activity_required = permission_required("cases.manage_group_activity", raise_exception=True)
register_contact_required = permission_required(
    "cases.register_anonymous_contact", raise_exception=True
)
# The location of the last walk-in contact: the next one is usually at the same desk.
LAST_LOCATION_SESSION_KEY = "groupwork_last_location"


def put_errors_on_form(form, error: ValidationError) -> None:
    """A service's Dutch messages on the fields they belong to; the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, field_messages in error.message_dict.items():
            visible = name in form.fields and not form.fields[name].widget.is_hidden
            form.add_error(name if visible else None, field_messages)
    else:
        form.add_error(None, error.messages)


def _contact_form(request) -> AnonymousContactForm:
    initial = {}
    last_location = request.session.get(LAST_LOCATION_SESSION_KEY)
    if last_location:
        initial["location"] = last_location
    return AnonymousContactForm(initial=initial)


def _overview_page(request, *, contact_form=None, status: int = 200):
    today = timezone.localdate()
    week_start, week_end = group_work.week_bounds(today)
    context = {
        "activities": list(group_work.activity_overview(request.user, year=today.year)),
        "year": today.year,
        "week_start": week_start,
        "week_end": week_end,
        "walk_in_weeks": group_work.walk_in_contacts_per_location(start=week_start, end=week_end),
        "contact_form": contact_form or _contact_form(request),
        "may_manage": request.user.has_perm("cases.manage_group_activity"),
        "may_register_contact": request.user.has_perm("cases.register_anonymous_contact"),
    }
    return render(request, "cases/group_work/overview.html", context, status=status)


@require_GET
@register_session_required
def overview(request):
    return _overview_page(request)


@require_http_methods(["GET", "POST"])
@manage_activity_required
def activity_create(request):
    form = GroupActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = group_work.create_group_activity(
                created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            put_errors_on_form(form, error)
        else:
            messages.success(
                request, _("De activiteit '%(name)s' is aangemaakt.") % {"name": activity.name}
            )
            return redirect("groupwork:activity_detail", pk=activity.pk)
    return render(
        request,
        "cases/group_work/activity_form.html",
        {"form": form, "has_teams": bool(team_ids(request.user))},
    )


def _get_activity_or_404(request, pk: int) -> GroupActivity:
    activity = (
        group_work.activities_of_user_teams(request.user)
        .select_related("product", "location", "kern", "team")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def _activity_page(request, activity: GroupActivity, *, session_form=None):
    sessions, totals = group_work.sessions_with_totals(activity)
    context = {
        "activity": activity,
        "sessions": sessions,
        "totals": totals,
        "session_form": session_form or GroupSessionForm(),
    }
    return render(request, "cases/group_work/activity_detail.html", context)


@require_GET
@register_session_required
def activity_detail(request, pk: int):
    return _activity_page(request, _get_activity_or_404(request, pk))


@require_POST
@register_session_required
def session_create(request, pk: int):
    activity = _get_activity_or_404(request, pk)
    form = GroupSessionForm(request.POST)
    if form.is_valid():
        try:
            session = group_work.register_group_session(
                activity=activity, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            put_errors_on_form(form, error)
        else:
            messages.success(
                request,
                _("Bijeenkomst van %(date)s geregistreerd: %(count)s deelnemers.")
                % {"date": session.date.strftime("%d-%m-%Y"), "count": session.participants},
            )
            return redirect("groupwork:activity_detail", pk=activity.pk)
    return _activity_page(request, activity, session_form=form)


@require_http_methods(["GET", "POST"])
@register_contact_required
def contact_create(request):
    if request.method == "GET":
        return render(
            request, "cases/group_work/contact_form.html", {"form": _contact_form(request)}
        )
    form = AnonymousContactForm(request.POST)
    if form.is_valid():
        try:
            contact = group_work.register_anonymous_contact(
                registered_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            put_errors_on_form(form, error)
        else:
            request.session[LAST_LOCATION_SESSION_KEY] = contact.location_id
            messages.success(
                request,
                _("Inloopcontact geregistreerd: %(topic)s, %(location)s.")
                % {"topic": contact.get_topic_display(), "location": contact.location.name},
            )
            # From the walk-in page itself, stay there for the next visitor.
            back_to_form = request.POST.get("terug") == "formulier"
            return redirect("groupwork:contact_create" if back_to_form else "groupwork:overview")
    return render(request, "cases/group_work/contact_form.html", {"form": form})
