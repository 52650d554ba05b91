from django.conf import settings
from django.db import models

from vigil.domain import limits
from vigil.domain.enums import UserRole

ROLE_CHOICES = [(r.value, r.value.replace("_", " ")) for r in UserRole]


class Profile(models.Model):
    """What Vigil needs to know about a user beyond Django's account: their role."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    role = models.CharField(max_length=30, choices=ROLE_CHOICES)
    display_name = models.CharField(max_length=limits.DISPLAY_NAME, blank=True)
    unit = models.ForeignKey(
        "records.Unit",
        to_field="code",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The command unit the user works in: their lists show its cases first.",
    )
    supervisor = models.CharField(
        max_length=limits.USERNAME,
        blank=True,
        help_text="The username of the user's supervisor: an overdue item of theirs climbs "
        "to them (the policy pack's escalation).",
    )

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"
