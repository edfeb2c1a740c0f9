from .models import AccessAction
from .services import log_personal_data_access


class PersonalDataAccessLogMixin:
    """For detail views of a person's record: every view of the object is logged."""

    access_action = AccessAction.VIEWED

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        log_personal_data_access(user=self.request.user, subject=obj, action=self.access_action)
        return obj
