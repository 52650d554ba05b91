from django.db import models

from vigil.domain import limits
from vigil.records.models.case import Case


class CaseSubstance(models.Model):
    """A substance found in a case (a copy of its toxicology, for finding shared ones)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="substances")
    substance = models.CharField(max_length=limits.SUBSTANCE, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "substance"], name="substance_once_per_case")
        ]


class CaseKey(models.Model):
    """An identifier key of a case's linkage profile ('phone:+447700900461', 'address:...'):
    everyone's on the case, the deceased's own and those written in its free text (a copy of
    the profile's identifiers, for finding the cases that share one through an index)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=limits.IDENTIFIER + 20, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="key_once_per_case")]


class CaseLink(models.Model):
    """Two cases the linkage model compared, with its score and its explanation. ``case_a`` is
    the one with the lower reference. Re-linking replaces the score; judgements stay."""

    case_a = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="links_as_a")
    case_b = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="links_as_b")
    match_weight = models.FloatField(db_index=True)
    probability = models.FloatField()
    reasons = models.JSONField(default=list, help_text="[{feature, weight, sentence}, ...]")
    model_version = models.CharField(max_length=60)
    scored_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case_a", "case_b"], name="one_link_per_pair")
        ]


class Alert(models.Model):
    """A link scored above the alert threshold, put before a named analyst who must answer."""

    link = models.OneToOneField(CaseLink, on_delete=models.PROTECT, related_name="alert")
    raised_at = models.DateTimeField(db_index=True)
    raised_weight = models.FloatField()
    analyst = models.CharField(max_length=limits.USERNAME, db_index=True)
    answered = models.BooleanField(default=False, db_index=True)


class Judgement(models.Model):
    """An analyst's answer on a link: confirm, reject or unsure, with a reason. Append-only:
    a new judgement supersedes, nothing is deleted."""

    link = models.ForeignKey(CaseLink, on_delete=models.PROTECT, related_name="judgements")
    verdict = models.CharField(max_length=10)
    reason = models.TextField()
    by = models.CharField(max_length=limits.USERNAME)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
