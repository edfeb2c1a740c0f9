"""Dutch names for the third-party models the functioneel beheerder sees in /beheer/.

django-axes, django-otp, django-auditlog and DRF's tokens ship no Dutch translation (and
django-otp's TOTP device has no translatable names at all), so /beheer/ showed "Axes",
"access attempts", "Attempt Time". The names are set here, in Python, once at start-up:
the app names, the model names and the field labels (which are also the column headers,
filter titles and form labels of the admin), and the title of a django-axes row.

Only the display attributes change (`verbose_name`; never the `_verbose_name` a field
deconstructs from, nor `Meta.original_attrs`), so the migration autodetector sees the
packages' own definitions and `makemigrations --check` stays clean (tested).
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DutchModelNames:
    singular: str
    plural: str
    fields: dict[str, str] = field(default_factory=dict)


_AXES_FIELDS = {
    "user_agent": _("browser"),
    "ip_address": _("IP-adres"),
    "username": _("gebruikersnaam"),
    "http_accept": _("HTTP-accept"),
    "path_info": _("pagina"),
    "attempt_time": _("tijdstip"),
}

APP_NAMES = {
    "axes": _("Inlogbeveiliging"),
    "otp_totp": _("Tweestapsverificatie"),
    "django_otp": _("Tweestapsverificatie"),
    "auditlog": _("Wijzigingshistorie"),
    "authtoken": _("API-toegang"),
}

MODEL_NAMES: dict[str, DutchModelNames] = {
    "axes.AccessAttempt": DutchModelNames(
        _("mislukte inlogpoging"),
        _("mislukte inlogpogingen en blokkades"),
        {
            **_AXES_FIELDS,
            "get_data": _("GET-gegevens"),
            "post_data": _("POST-gegevens"),
            "failures_since_start": _("aantal mislukte pogingen"),
        },
    ),
    "axes.AccessLog": DutchModelNames(
        _("inlogregistratie"),
        _("inlogregistraties"),
        {
            **_AXES_FIELDS,
            "logout_time": _("uitgelogd op"),
            "session_hash": _("sessiekenmerk (sha256)"),
        },
    ),
    "axes.AccessFailureLog": DutchModelNames(
        _("mislukte inlog"),
        _("mislukte inlogs"),
        {**_AXES_FIELDS, "locked_out": _("geblokkeerd")},
    ),
    "axes.AccessAttemptExpiration": DutchModelNames(
        _("verloopmoment inlogpoging"),
        _("verloopmomenten inlogpogingen"),
        {"access_attempt": _("inlogpoging"), "expires_at": _("verloopt op")},
    ),
    "otp_totp.TOTPDevice": DutchModelNames(
        _("authenticator-app"),
        _("authenticator-apps"),
        {
            "user": _("gebruiker"),
            "name": _("naam"),
            "confirmed": _("bevestigd"),
            "throttling_failure_timestamp": _("laatste mislukte code"),
            "throttling_failure_count": _("aantal mislukte codes"),
            "created_at": _("gekoppeld op"),
            "last_used_at": _("laatst gebruikt"),
            "key": _("geheime sleutel"),
            "step": _("tijdstap (seconden)"),
            "t0": _("starttijd (t0)"),
            "digits": _("aantal cijfers"),
            "tolerance": _("tolerantie"),
            "drift": _("afwijking klok"),
            "last_t": _("laatst gebruikte tijdstap"),
        },
    ),
    "auditlog.LogEntry": DutchModelNames(
        _("wijziging"),
        _("wijzigingshistorie"),
        {
            "content_type": _("soort gegevens"),
            "object_pk": _("record"),
            "object_id": _("recordnummer"),
            "object_repr": _("omschrijving"),
            "serialized_data": _("momentopname"),
            "action": _("handeling"),
            "changes_text": _("wijzigingstekst"),
            "changes": _("wijzigingen"),
            "cid": _("verzoekkenmerk"),
            "actor": _("door"),
            "remote_addr": _("IP-adres"),
            "remote_port": _("poort"),
            "timestamp": _("tijdstip"),
            "additional_data": _("aanvullende gegevens"),
            "actor_email": _("e-mail van de gebruiker"),
        },
    ),
    "authtoken.Token": DutchModelNames(
        _("API-token"),
        _("API-tokens"),
        {"key": _("sleutel"), "user": _("gebruiker"), "created": _("aangemaakt op")},
    ),
    "authtoken.TokenProxy": DutchModelNames(
        _("API-token"),
        _("API-tokens"),
        {"key": _("sleutel"), "user": _("gebruiker"), "created": _("aangemaakt op")},
    ),
}


def _login_record_text(record) -> str:
    """A django-axes row as the admin's titles and breadcrumbs name it (axes says
    "Attempted Access: <UTC time>")."""
    when = timezone.localtime(record.attempt_time) if record.attempt_time else None
    return _("%(username)s, %(when)s") % {
        "username": record.username or _("onbekende gebruiker"),
        "when": when.strftime("%d-%m-%Y %H:%M") if when else "–",
    }


def _log_entry_text(entry) -> str:
    """A history entry as the admin's titles name it (auditlog says "Created <row>")."""
    from .presenters import ACTION_LABELS

    action = ACTION_LABELS.get(entry.action, entry.action)
    return f"{str(action).capitalize()}: {entry.object_repr}"


DUTCH_TEXTS = {
    "auditlog.LogEntry": _log_entry_text,
    "axes.AccessAttempt": _login_record_text,
    "axes.AccessLog": _login_record_text,
    "axes.AccessFailureLog": _login_record_text,
}


def apply_dutch_names() -> None:
    """Sets the Dutch display names on the installed third-party apps and models."""
    for label, name in APP_NAMES.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for model_label, names in MODEL_NAMES.items():
        try:
            model = apps.get_model(model_label)
        except LookupError:  # the app is not installed
            continue
        model._meta.verbose_name = names.singular
        model._meta.verbose_name_plural = names.plural
        for field_name, label in names.fields.items():
            model._meta.get_field(field_name).verbose_name = label
        if model_label in DUTCH_TEXTS:
            model.__str__ = DUTCH_TEXTS[model_label]
