from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AccessAction, PersonalDataAccess


def log_personal_data_access(
    *, user, subject: models.Model, action: str = AccessAction.VIEWED
) -> PersonalDataAccess:
    """Records that `user` viewed (or exported, printed) the record of a person."""
    return PersonalDataAccess.objects.create(
        user=user,
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        subject_id=str(subject.pk),
        action=action,
    )
