"""The API's error answers in Dutch.

Django REST framework ships Dutch messages, but loading them (putting `rest_framework` in
INSTALLED_APPS) would also replace Django's own Dutch form messages ("Dit veld is
verplicht." becomes "Dit veld is vereist.") on every page. So the few answers this
read-only, token-only API can give are worded here."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler


def _dutch_detail(exc: exceptions.APIException) -> str | None:
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("Authenticatiegegevens zijn niet opgegeven.")
    if isinstance(exc, exceptions.AuthenticationFailed):
        return _("Ongeldige token.")
    if isinstance(exc, exceptions.PermissionDenied):
        return _("U hebt geen toegang tot deze gegevens.")
    if isinstance(exc, exceptions.NotFound):
        return _("Niet gevonden.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("Deze methode is niet toegestaan; de API is alleen-lezen.")
    if isinstance(exc, exceptions.NotAcceptable):
        return _("Dit antwoordformaat wordt niet ondersteund; vraag om JSON.")
    if isinstance(exc, exceptions.Throttled):
        return _("Te veel verzoeken. Probeer het over %(seconds)d seconden opnieuw.") % {
            "seconds": int(exc.wait or 1)
        }
    return None


def dutch_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        detail = _dutch_detail(exc)
        if detail is not None and isinstance(response.data, dict) and "detail" in response.data:
            response.data["detail"] = detail
    return response
