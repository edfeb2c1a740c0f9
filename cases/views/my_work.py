import datetime

from django.contrib.auth.decorators import permission_required
from django.db.models import Sum
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.choices import OPEN_STATUSES, CaseStatus
from cases.models import FollowUp, HourRegistration
from cases.selectors import cases_visible_to


@require_GET
@permission_required("cases.view_my_work", raise_exception=True)
def my_work(request):
    """A social worker's day: open cases, the team's waiting list, follow-ups due, and
    this week's hours."""
    today = datetime.date.today()
    monday = today - datetime.timedelta(days=today.weekday())
    visible = cases_visible_to(request.user)
    my_cases = list(
        visible.filter(responsible_worker=request.user, status__in=OPEN_STATUSES)
        .exclude(status=CaseStatus.WAITING_LIST)
        .select_related("client", "product")
        .order_by("status", "-registered_on")[:100]
    )
    waiting = list(
        visible.filter(status=CaseStatus.WAITING_LIST)
        .select_related("client", "product")
        .order_by("waiting_since")[:100]
    )
    follow_ups = list(
        FollowUp.objects.filter(
            case__in=visible, done_on__isnull=True, due_on__lte=today + datetime.timedelta(days=7)
        )
        .select_related("case__client", "case__product")
        .order_by("due_on")[:100]
    )
    week_hours = HourRegistration.objects.filter(
        worker=request.user, date__gte=monday, date__lte=monday + datetime.timedelta(days=6)
    ).aggregate(total=Sum("hours"))["total"]
    return render(
        request,
        "cases/my_work.html",
        {
            "my_cases": my_cases,
            "waiting": waiting,
            "follow_ups": follow_ups,
            "week_hours": week_hours or 0,
            "today": today,
        },
    )
