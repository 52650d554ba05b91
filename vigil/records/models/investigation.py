from django.db import models

from vigil.domain import limits
from vigil.records.models.case import Case
from vigil.records.models.people import Person


class LiaisonEntry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="liaison")
    person = models.ForeignKey(Person, on_delete=models.PROTECT)
    at = models.DateTimeField()
    method = models.CharField(max_length=20)
    officer = models.CharField(max_length=limits.USERNAME)
    summary = models.TextField()
    recorded_by = models.CharField(max_length=limits.USERNAME)

    class Meta:
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "at"], name="one_contact_per_moment")
        ]


class Concern(models.Model):
    entry = models.ForeignKey(LiaisonEntry, on_delete=models.PROTECT, related_name="concerns")
    text = models.TextField()
    answer = models.TextField(blank=True)
    answered_by = models.CharField(max_length=limits.USERNAME, blank=True)
    answered_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["id"]


class Exhibit(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="exhibits")
    ref = models.CharField(max_length=limits.ITEM_REF)
    description = models.TextField()
    kind = models.CharField(max_length=30)
    where_found = models.TextField(blank=True)
    packaging = models.CharField(max_length=limits.PACKAGING, blank=True)
    seal_number = models.CharField(max_length=limits.SEAL_NUMBER, blank=True)
    recorded_by = models.CharField(max_length=limits.USERNAME)

    class Meta:
        ordering = ["ref"]
        constraints = [models.UniqueConstraint(fields=["case", "ref"], name="exhibit_ref_per_case")]


class CustodyEvent(models.Model):
    """Append-only (database triggers refuse UPDATE and DELETE) and hash-linked."""

    exhibit = models.ForeignKey(Exhibit, on_delete=models.PROTECT, related_name="custody")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=30)
    at = models.DateTimeField()
    from_holder = models.CharField(max_length=limits.HOLDER)
    to_holder = models.CharField(max_length=limits.HOLDER)
    by = models.CharField(max_length=limits.USERNAME)
    examinations = models.JSONField(default=list)
    notes = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=limits.HASH)
    hash = models.CharField(max_length=limits.HASH)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["exhibit", "seq"], name="custody_seq_per_exhibit")
        ]


class Action(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="actions")
    ref = models.CharField(max_length=limits.ITEM_REF)
    kind = models.CharField(max_length=limits.ACTION_KIND)
    title = models.CharField(max_length=limits.ACTION_TITLE)
    subject = models.ForeignKey(Person, on_delete=models.PROTECT, null=True)
    owner = models.CharField(max_length=limits.USERNAME, blank=True)
    deadline = models.DateTimeField(null=True)
    result = models.TextField(blank=True)
    state = models.CharField(max_length=20)

    class Meta:
        ordering = ["ref"]
        constraints = [models.UniqueConstraint(fields=["case", "ref"], name="action_ref_per_case")]


class ActionStep(models.Model):
    """Append-only history of an action's state."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="steps")
    state = models.CharField(max_length=20)
    at = models.DateTimeField()
    by = models.CharField(max_length=limits.USERNAME)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    ref = models.CharField(max_length=limits.ITEM_REF)
    to_team = models.CharField(max_length=limits.TEAM)
    made_at = models.DateTimeField()
    made_by = models.CharField(max_length=limits.USERNAME)
    reason = models.TextField()
    state = models.CharField(max_length=20, default="pending")
    answered_by = models.CharField(max_length=limits.USERNAME, blank=True)
    answered_at = models.DateTimeField(null=True)
    answer_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["made_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "ref"], name="referral_ref_per_case")
        ]


class CategoryDecision(models.Model):
    """Append-only: a new decision supersedes, nothing is deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    category = models.CharField(max_length=40)
    rationale = models.TextField()
    decided_by = models.CharField(max_length=limits.USERNAME)
    decided_at = models.DateTimeField()
    override_by = models.CharField(max_length=limits.USERNAME, blank=True)
    override_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["decided_at", "id"]
