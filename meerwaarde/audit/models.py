from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEWED = "bekeken", _("Bekeken")
    EXPORTED = "geexporteerd", _("Geëxporteerd")
    PRINTED = "afgedrukt", _("Afgedrukt")


class PersonalDataAccess(models.Model):
    """Who looked at which person's record, and when. Written by services only; never
    edited. Holds ids, not the personal data itself."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.PROTECT,
        related_name="personal_data_accesses",
    )
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("soort gegevens"), on_delete=models.PROTECT
    )
    subject_id = models.CharField(_("record"), max_length=64)
    action = models.CharField(
        _("handeling"), max_length=16, choices=AccessAction.choices, default=AccessAction.VIEWED
    )
    accessed_at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("inzage persoonsgegevens")
        verbose_name_plural = _("inzagelog persoonsgegevens")
        ordering = ["-accessed_at"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-accessed_at"]),
            models.Index(fields=["user", "-accessed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} {self.subject_type} #{self.subject_id}"
