from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from .models import PersonalDataAccess


def accesses_of_subject(*, subject: models.Model) -> QuerySet[PersonalDataAccess]:
    """Who viewed this person's record and when, newest first."""
    return PersonalDataAccess.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        subject_id=str(subject.pk),
    ).select_related("user")
