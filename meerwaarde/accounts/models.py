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
