"""Every write to an account's way in: sessions, authenticators, passwords and lockouts.

Each change to an authenticator or a password is recorded as an `AccountEvent` (who did
it, when, why) and the user is told by e-mail, so a takeover cannot pass unnoticed."""

import logging

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from meerwaarde.permissions import require_perm

from .models import AccountEvent, AccountEventKind, User

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = 500


def clear_expired_sessions() -> int:
    """Deletes expired sessions; returns how many. Idempotent."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def _record(*, user: User, actor: User, kind: str, reason: str = "", detail: str = ""):
    return AccountEvent.objects.create(
        user=user, actor=actor, kind=kind, reason=reason, detail=detail[:200]
    )


def _notify(*, user: User, subject: str, body: str) -> bool:
    """Tells the user by e-mail; a mail server that is down must not undo the change."""
    if not user.email:
        logger.warning("account %s has no e-mail address: not notified of %r", user.pk, subject)
        return False
    closing = _(
        "Was u dit niet, of weet u niet waarom dit is gebeurd? Neem dan meteen contact op met "
        "de functioneel beheerder van MeerWaarde."
    )
    try:
        send_mail(
            subject=f"MeerWaarde registratie: {subject}",
            message=f"{_('Beste')} {user.display_name},\n\n{body}\n\n{closing}\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
    except Exception:
        logger.exception("could not e-mail account %s about %r", user.pk, subject)
        return False
    return True


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Geef een reden op."), code="required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("De reden mag hoogstens %(max)d tekens lang zijn.") % {"max": REASON_MAX_LENGTH},
            code="max_length",
        )
    return reason


def _require_account_manager(actor: User) -> None:
    require_perm(actor, "accounts.manage_accounts")


def has_confirmed_device(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def pending_totp_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator of a user who is setting up two-factor login."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        name = _("Authenticator-app van %(date)s") % {
            "date": timezone.localdate().strftime("%d-%m-%Y")
        }
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=False)
        _record(user=user, actor=user, kind=AccountEventKind.DEVICE_CREATED, detail=name)
    return device


def confirm_totp_device(*, device: TOTPDevice, token: str) -> bool:
    """Confirms a new authenticator when the code it shows is right. It replaces any
    earlier authenticator of the user (a new phone): those stop working."""
    if not device.verify_token(token):
        return False
    user = device.user
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        replaced = list(TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk))
        for old in replaced:
            _record(user=user, actor=user, kind=AccountEventKind.DEVICE_REMOVED, detail=old.name)
            old.delete()
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        _record(user=user, actor=user, kind=AccountEventKind.DEVICE_CONFIRMED, detail=device.name)
    body = _("Er is zojuist een authenticator-app gekoppeld aan uw account (%(name)s).") % {
        "name": device.name
    }
    if replaced:
        body += " " + _("De eerder gekoppelde app werkt niet meer.")
    _notify(user=user, subject=_("authenticator-app gekoppeld"), body=body)
    return True


def verify_totp_token(*, user: User, token: str) -> TOTPDevice | None:
    """The confirmed device whose current code matches, or None."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            return device
    return None


def totp_throttled(*, user: User) -> bool:
    """True when every confirmed authenticator of the user is in its back-off period."""
    devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    return bool(devices) and not any(device.verify_is_allowed()[0] for device in devices)


def reset_two_factor(*, actor: User, user: User, reason: str) -> int:
    """The beheerder removes every authenticator of `user` (a lost phone). Sessions that
    passed the second factor with them stop being verified; at the next login the user
    links a new app. Returns how many authenticators were removed."""
    _require_account_manager(actor)
    reason = _require_reason(reason)
    with transaction.atomic():
        devices = list(TOTPDevice.objects.select_for_update().filter(user=user))
        names = ", ".join(device.name for device in devices if device.confirmed)
        TOTPDevice.objects.filter(pk__in=[device.pk for device in devices]).delete()
        _record(
            user=user,
            actor=actor,
            kind=AccountEventKind.TWO_FACTOR_RESET,
            reason=reason,
            detail=names,
        )
    _notify(
        user=user,
        subject=_("tweestapsverificatie opnieuw ingesteld"),
        body=_(
            "De functioneel beheerder (%(actor)s) heeft de authenticator-app van uw account "
            "verwijderd. Bij de volgende keer inloggen koppelt u een nieuwe app."
        )
        % {"actor": actor.display_name},
    )
    return len(devices)


def set_password_by_admin(*, actor: User, user: User, password: str, reason: str) -> None:
    """The beheerder gives `user` a new password (forgotten, or a suspected takeover). The
    user's other sessions end (Django ties sessions to the password) and the user must
    choose a new password at the next login."""
    _require_account_manager(actor)
    reason = _require_reason(reason)
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        _record(user=user, actor=actor, kind=AccountEventKind.PASSWORD_SET_BY_ADMIN, reason=reason)
    _notify(
        user=user,
        subject=_("nieuw wachtwoord ingesteld"),
        body=_(
            "De functioneel beheerder (%(actor)s) heeft een nieuw wachtwoord voor uw account "
            "ingesteld. Bij de volgende keer inloggen kiest u zelf een nieuw wachtwoord."
        )
        % {"actor": actor.display_name},
    )


def change_own_password(*, user: User, password: str) -> None:
    """The user chooses a new password (also the one the beheerder's reset asks for)."""
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        _record(user=user, actor=user, kind=AccountEventKind.PASSWORD_CHANGED)
    _notify(
        user=user,
        subject=_("wachtwoord gewijzigd"),
        body=_("Het wachtwoord van uw account is zojuist gewijzigd."),
    )


def lift_lockout(*, actor: User, user: User, reason: str) -> int:
    """The beheerder lifts the lockout after five wrong passwords before the hour is over.
    Returns how many lockout records were removed."""
    _require_account_manager(actor)
    reason = _require_reason(reason)
    with transaction.atomic():
        removed = axes_reset(username=user.username)
        _record(user=user, actor=actor, kind=AccountEventKind.LOCKOUT_LIFTED, reason=reason)
    _notify(
        user=user,
        subject=_("blokkade opgeheven"),
        body=_(
            "De functioneel beheerder (%(actor)s) heeft de blokkade van uw account na "
            "te veel mislukte inlogpogingen opgeheven."
        )
        % {"actor": actor.display_name},
    )
    return removed


def is_locked_out(*, user: User) -> bool:
    """True while django-axes refuses the account after too many wrong passwords."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        username=user.username,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=since,
    ).exists()


def record_initial_password(*, actor: User, user: User) -> None:
    """A new account gets its first password from the beheerder: the history says so, and
    the user replaces it at the first login (`must_change_password`)."""
    _require_account_manager(actor)
    _record(
        user=user,
        actor=actor,
        kind=AccountEventKind.PASSWORD_SET_BY_ADMIN,
        reason=_("Nieuw account"),
    )
