"""The start page of each role. It reads from the domain apps (the coordinator's volunteer
counts), so it sits above them, not in the project package below them."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from meerwaarde.accounts.models import Role
from volunteers.selectors import coordinator_summary

HOME_TEMPLATES = {
    Role.SOCIAL_WORKER: "home/social_worker.html",
    Role.COORDINATOR: "home/coordinator.html",
    Role.MANAGER: "home/manager.html",
    Role.FUNCTIONAL_ADMIN: "home/functional_admin.html",
}


@require_GET
def home(request):
    """Each role lands on its own start page."""
    if not request.user.has_perm("accounts.use_app"):
        raise PermissionDenied
    role = request.user.role or (Role.FUNCTIONAL_ADMIN if request.user.is_superuser else "")
    context = {"role": role}
    if role == Role.COORDINATOR:
        # The counts next to the link to the coordinator's overview.
        context["volunteer_summary"] = coordinator_summary(request.user, today=timezone.localdate())
    return render(request, HOME_TEMPLATES[role], context)
