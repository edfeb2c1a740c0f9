"""The manager dashboard: figures from the roll-up tables, Herberekenen with progress, and
closing a period. Nothing here reads a registration or a person."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services, tasks
from .dashboard import build_dashboard, period_choices, periods_to_recompute
from .forms import ClosePeriodForm, PeriodForm
from .models import RollupRun, RollupStatus
from .periods import Period, parse_period
from .selectors import quarantine_summary

logger = logging.getLogger(__name__)

view_dashboard_required = permission_required("reporting.view_dashboard", raise_exception=True)
recompute_required = permission_required("reporting.recompute", raise_exception=True)
close_period_required = permission_required("reporting.close_period", raise_exception=True)

BROKER_DOWN = gettext_lazy(
    "De herberekening kon niet worden gestart: de taakwachtrij is niet bereikbaar. "
    "Probeer het later opnieuw; de nachtelijke herberekening loopt ook."
)


def _dashboard_url(period: Period) -> str:
    return f"{reverse('reporting:dashboard')}?periode={period.key}"


@require_GET
@view_dashboard_required
def dashboard(request):
    today = timezone.localdate()
    period_error = None
    period = parse_period(str(today.year))
    if request.GET.get("periode"):
        form = PeriodForm(request.GET)
        if form.is_valid():
            period = form.cleaned_data["periode"]
        else:
            period_error = form.errors["periode"][0]
    figures = build_dashboard(period)
    context = {
        "dashboard": figures,
        "period": period,
        "period_error": period_error,
        "period_choices": period_choices(period, today),
        "period_is_over": period.end < today,
        "run": figures.run,
        "chart_data": figures.chart_data(),
        # Marks the roll-up set aside: the functioneel beheerder is the one to act on them.
        "quarantine": (
            quarantine_summary()
            if request.user.has_perm("reporting.view_quarantinedperiod")
            else None
        ),
    }
    return render(request, "reporting/dashboard.html", context)


@require_POST
@recompute_required
def recompute(request):
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["periode"][0])
        return redirect("reporting:dashboard")
    period = form.cleaned_data["periode"]
    keys = periods_to_recompute(period)
    if not keys:
        messages.info(request, _("Deze periode is definitief; de cijfers worden niet herberekend."))
        return redirect(_dashboard_url(period))
    run = services.request_recompute(periods=keys, user=request.user, queue=tasks.execute_run.delay)
    if run.status == RollupStatus.FAILED:
        messages.error(request, BROKER_DOWN)
    return redirect(_dashboard_url(period))


@require_GET
@view_dashboard_required
def run_status(request, run_id: int):
    run = get_object_or_404(RollupRun, pk=run_id)
    response = render(request, "reporting/_run_status.html", {"run": run})
    if run.status == RollupStatus.DONE and request.headers.get("HX-Request"):
        # The page that polled shows the old figures: reload it once the run is done.
        response["HX-Refresh"] = "true"
    return response


@require_http_methods(["GET", "POST"])
@close_period_required
def close_period(request):
    data = request.POST if request.method == "POST" else None
    form = ClosePeriodForm(data, initial={"periode": request.GET.get("periode", "")})
    period = None
    key = request.POST.get("periode") or request.GET.get("periode") or ""
    try:
        period = parse_period(key)
    except ValidationError:
        period = None
    if form.is_bound and form.is_valid():
        period = form.cleaned_data["periode"]
        try:
            services.close_period(key=period.key, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("%(period)s is gesloten; de cijfers zijn nu definitief.")
                % {"period": period.label},
            )
            return redirect(_dashboard_url(period))
    return render(request, "reporting/close_period.html", {"form": form, "period": period})
