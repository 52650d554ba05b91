"""Retrospective reviews (``vigil.domain.reviews``): a review of past deaths defined as data, and
the outcome a reviewer gives each death, append-only (the database refuses UPDATE and DELETE on
outcomes: a new outcome supersedes, nothing is deleted)."""

from django.db import models

from vigil.domain import limits
from vigil.records.models.case import Case


class Review(models.Model):
    """A review: which deaths it covers (``selection``, a ``vigil.domain.reviews.Selection``
    as JSON), who reviews them and whether the advisory panel sits on it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=limits.LINE)
    selection = models.JSONField(default=dict)
    reviewers = models.JSONField(default=list, help_text="The usernames who give outcomes.")
    panel_sits = models.BooleanField(default=False)
    created_by = models.CharField(max_length=limits.USERNAME)
    created_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    relinked_at = models.DateTimeField(
        null=True, help_text="When its deaths were last re-linked with today's linkage."
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ReviewOutcome(models.Model):
    """A reviewer's outcome for one death of a review, with the rationale and what was done
    (``detail``: the referral made, the link confirmed, ...). The latest is the one in force."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="outcomes")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="review_outcomes")
    outcome = models.CharField(max_length=20)
    rationale = models.TextField()
    detail = models.TextField(blank=True)
    by = models.CharField(max_length=limits.USERNAME)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["review", "case"])]
