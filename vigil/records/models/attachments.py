from django.db import models

from vigil.domain import limits
from vigil.records.models.case import Case


class Attachment(models.Model):
    """A file attached to a case (a photograph of the scene, a document). The file itself is
    kept outside the database (``VIGIL_ATTACHMENTS_DIR``) under a random ``storage_name``; its
    SHA-256, taken while it was received, is checked again whenever it is downloaded."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=100, unique=True)
    uploaded_by = models.CharField(max_length=limits.USERNAME)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]
