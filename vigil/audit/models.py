from django.db import models

from vigil.domain import limits

TARGET_REF = 200


class AuditEntry(models.Model):
    """One audited event. Rows are append-only (database triggers refuse UPDATE and DELETE) and
    hash-chained: each row's hash covers its content and the previous row's hash."""

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.CharField(max_length=limits.USERNAME)
    verb = models.CharField(max_length=20)
    event = models.CharField(max_length=60)
    target_type = models.CharField(max_length=40)
    target_ref = models.CharField(max_length=TARGET_REF, db_index=True)
    payload = models.TextField(help_text="Canonical JSON, exactly as hashed.")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["actor", "at"]), models.Index(fields=["verb", "at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event} {self.target_ref} by {self.actor}"
