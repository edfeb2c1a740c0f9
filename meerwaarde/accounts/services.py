from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


def clear_expired_sessions() -> int:
    """Deletes expired sessions; returns how many. Idempotent."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def pending_totp_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator of a user who is setting up two-factor login."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)
    return device


@transaction.atomic
def confirm_totp_device(*, device: TOTPDevice, token: str) -> bool:
    """Confirms a new authenticator when the code it shows is right."""
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
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
