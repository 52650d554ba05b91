from django.db import models

from vigil.domain import limits
from vigil.records.models.case import Case


class CaseAccess(models.Model):
    """A user named on a case: on a restricted case, only the named users see it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access")
    username = models.CharField(max_length=limits.USERNAME)
    granted_at = models.DateTimeField()
    granted_by = models.CharField(max_length=limits.USERNAME)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "username"], name="named_once_per_case")
        ]
        indexes = [models.Index(fields=["username", "case"])]

    def __str__(self) -> str:
        return f"{self.username} on {self.case_id}"
