from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from meerwaarde.text_limits import SHORT_TEXT_LENGTH


class Role(models.TextChoices):
    SOCIAL_WORKER = "sociaal_werker", _("Sociaal werker")
    COORDINATOR = "coordinator", _("Coördinator")
    MANAGER = "manager", _("Manager")
    FUNCTIONAL_ADMIN = "functioneel_beheerder", _("Functioneel beheerder")
    # A service account of the municipality: reads the indicator API with a token, nothing else.
    MUNICIPALITY_API = "gemeente_api", _("Gemeente (API-account)")


class Team(models.Model):
    """A team of social workers; later, cases belong to a team."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    description = models.TextField(
        _("omschrijving"),
        blank=True,
        max_length=SHORT_TEXT_LENGTH,
        validators=[MaxLengthValidator(SHORT_TEXT_LENGTH)],
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices, blank=True)
    teams = models.ManyToManyField(
        Team, verbose_name=_("teams"), related_name="members", blank=True
    )
    # Set when the functioneel beheerder sets the password: the user chooses a new one at
    # the next login before reaching anything else.
    must_change_password = models.BooleanField(_("moet wachtwoord wijzigen"), default=False)

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[*Role.values, ""]), name="user_role_valid"
            )
        ]

    def save(self, *args, **kwargs):
        # Only the functioneel beheerder (and a superuser) works in the admin.
        self.is_staff = self.is_superuser or self.role == Role.FUNCTIONAL_ADMIN
        super().save(*args, **kwargs)

    @property
    def role_label(self) -> str:
        if self.role:
            return Role(self.role).label
        return _("Beheerder") if self.is_superuser else _("Geen rol")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class AccountEventKind(models.TextChoices):
    DEVICE_CREATED = "apparaat_aangemaakt", _("Authenticator aangemaakt (nog niet bevestigd)")
    DEVICE_CONFIRMED = "apparaat_bevestigd", _("Authenticator gekoppeld")
    DEVICE_REMOVED = "apparaat_verwijderd", _("Authenticator verwijderd")
    TWO_FACTOR_RESET = "tweestaps_hersteld", _("Tweestapsverificatie opnieuw ingesteld")
    PASSWORD_SET_BY_ADMIN = "wachtwoord_ingesteld", _("Wachtwoord ingesteld door beheerder")
    PASSWORD_CHANGED = "wachtwoord_gewijzigd", _("Wachtwoord gewijzigd door gebruiker")
    LOCKOUT_LIFTED = "blokkade_opgeheven", _("Blokkade opgeheven")


class AccountEvent(models.Model):
    """What happened to an account's way in: authenticators, passwords, lockouts — who did
    it (the user or the beheerder), when and why. Written by accounts.services only; never
    edited."""

    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.PROTECT, related_name="account_events"
    )
    actor = models.ForeignKey(
        User,
        verbose_name=_("uitgevoerd door"),
        on_delete=models.PROTECT,
        related_name="account_events_performed",
    )
    kind = models.CharField(_("gebeurtenis"), max_length=32, choices=AccountEventKind.choices)
    reason = models.CharField(_("reden"), max_length=500, blank=True)
    detail = models.CharField(_("toelichting"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("accountgebeurtenis")
        verbose_name_plural = _("accountgebeurtenissen")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["user", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()}"
