"""The project's own pages: health check and the generic error pages. The start page per
role lives in `home/`, above the domain apps it reads."""

import logging
import sys

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from meerwaarde.middleware_db import caused_by_database_unavailable, database_unavailable_response

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("health: database unreachable", exc_info=True)
        return False


def _broker_status() -> str:
    if not settings.CELERY_BROKER_URL:
        return "in-process"
    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_timeout=2, socket_connect_timeout=2
        )
        return "ok" if client.ping() else "fout"
    except redis.RedisError:
        logger.warning("health: broker unreachable", exc_info=True)
        return "fout"


@login_not_required
@never_cache
@require_GET
def health(request):
    """200 when the database and the broker answer, 503 otherwise. No personal data."""
    database = "ok" if _database_ok() else "fout"
    broker = _broker_status()
    healthy = database == "ok" and broker in ("ok", "in-process")
    return JsonResponse(
        {"status": "ok" if healthy else "fout", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )


# Generic error pages: a Dutch message, never a stack trace or request details. Rendered
# without context processors, so they work even when the database is down.
def _error_page(template: str, status: int) -> HttpResponse:
    return HttpResponse(loader.render_to_string(template), status=status)


@login_not_required
def bad_request(request, exception=None):
    # The session could not be saved because the database went away: 503, not "bad request".
    if caused_by_database_unavailable(exception):
        return database_unavailable_response()
    return _error_page("errors/400.html", 400)


@login_not_required
def permission_denied(request, exception=None):
    return _error_page("errors/403.html", 403)


@login_not_required
def page_not_found(request, exception=None):
    return _error_page("errors/404.html", 404)


@login_not_required
def server_error(request):
    # A database that is briefly away while the session or user loads: 503, try again.
    if caused_by_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response()
    return _error_page("errors/500.html", 500)


@login_not_required
def csrf_failure(request, reason=""):
    return _error_page("errors/csrf.html", 403)
