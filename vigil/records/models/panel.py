"""What the independent advisory panel's review keeps: referrals of a case or a series to the
panel, the panel's advice, and the referring officer's answers to it.

After Barking the advisory group asked for independent advice built into death investigations,
and the inspection found a referral that no one answered. So every row here is append-only
(database triggers refuse UPDATE and DELETE): a referral, once made, stays as it was made; a
piece of advice is never rewritten; a new answer to advice supersedes the one before, and both
are kept. What is outstanding is derived from the rows, never stored as a state.
"""

from django.db import models

from vigil.domain import limits
from vigil.records.models.case import Case


class PanelReferral(models.Model):
    """A question put to the panel about one case, or about a confirmed series.

    A series is derived, never stored, and named by its first case: ``reference`` is that case
    (``kind`` says which of the two it is), and ``PanelReferralCase`` keeps the cases the series
    held as the referring officer saw it. ``panel_member`` is the panel member it is put to,
    or empty for any panel member. ``answer_due`` is when the panel's advice is due."""

    class Kind(models.TextChoices):
        CASE = "case", "A case"
        SERIES = "series", "A series"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    reference = models.CharField(max_length=limits.REFERENCE)
    question = models.TextField()
    referred_by = models.CharField(max_length=limits.USERNAME)
    referred_at = models.DateTimeField()
    panel_member = models.CharField(max_length=limits.USERNAME, blank=True)
    answer_due = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["referred_at", "id"]


class PanelReferralCase(models.Model):
    """A case a referral puts before the panel: the case referred, or each case of the series.
    The panel sees a referral only if it may see every one of them (need-to-know)."""

    referral = models.ForeignKey(PanelReferral, on_delete=models.PROTECT, related_name="cases")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="panel_referrals")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["referral", "case"], name="panel_case_once")]


class PanelAdvice(models.Model):
    """The panel's advice on a referral. ``answer_due`` is when the referring officer must have
    answered it, fixed when it is given (a later change of the default moves no deadline)."""

    referral = models.ForeignKey(PanelReferral, on_delete=models.PROTECT, related_name="advice")
    text = models.TextField()
    by = models.CharField(max_length=limits.USERNAME)
    at = models.DateTimeField()
    answer_due = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["at", "id"]


class AdviceAnswer(models.Model):
    """The referring officer's (or a supervisor's) answer to a piece of advice: accepted or
    not, with the reason. The latest answer is the one in force."""

    advice = models.ForeignKey(PanelAdvice, on_delete=models.PROTECT, related_name="answers")
    accepted = models.BooleanField()
    reason = models.TextField()
    by = models.CharField(max_length=limits.USERNAME)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
