"""A database that is briefly away (a restart, a fail-over) gives a Dutch 503 page, not a 500.

Django reconnects by itself on the next request (`CONN_HEALTH_CHECKS`), so nothing needs a
restart; the user is asked to try again in a moment. Nothing is half saved: PostgreSQL rolls
back an interrupted transaction. A save that committed just before the failure (the session
could not be written afterwards) stays saved once: sending the form again replays its
one-time token (meerwaarde/forms_once.py) instead of saving twice."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def is_database_unavailable(exception: BaseException | None) -> bool:
    """OperationalError: the server refused, went away or is shutting down (also lock and
    statement time-outs: equally 'try again'); InterfaceError: a connection already closed."""
    return isinstance(exception, (OperationalError, InterfaceError))


def caused_by_database_unavailable(exception: BaseException | None) -> bool:
    """Also through the exception chain: Django turns a failed session save into
    SessionInterrupted (a 400) raised while handling the OperationalError."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        if is_database_unavailable(exception):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def database_unavailable_response() -> HttpResponse:
    # Rendered without context processors: they query the database (user, navigation).
    response = HttpResponse(loader.render_to_string("errors/503.html"), status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database connection failure in a view into the 503 page. Failures in other
    middleware (loading the session or the user) reach `meerwaarde.views.server_error`,
    which answers with the same page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.warning(
            "Database onbereikbaar tijdens %s %s: %s", request.method, request.path, exception
        )
        return database_unavailable_response()
