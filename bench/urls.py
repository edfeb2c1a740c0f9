"""The project's URLs plus /bench/ping/: the cheapest authenticated page (the whole middleware
stack, session and user lookup, no template), the yardstick pages are measured against."""

from django.http import HttpResponse
from django.urls import path

from meerwaarde.urls import *  # noqa: F403
from meerwaarde.urls import urlpatterns as project_urlpatterns


def ping(request):
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [path("bench/ping/", ping, name="bench_ping"), *project_urlpatterns]
