from django.db import models

from vigil.domain import limits
from vigil.records.models.case import Case


class ClusterAlert(models.Model):
    """A group of deaths closer in space and time than chance allows (``kind`` 'scan': the
    space-time permutation scan, vigil.linkage.scan), or a new death inside a confirmed
    series' footprint ('footprint'), put before a named analyst who must answer."""

    kind = models.CharField(max_length=20, default="scan")
    profile = models.CharField(max_length=60, db_index=True)
    cases = models.ManyToManyField(Case, through="ClusterCase", related_name="cluster_alerts")
    centre = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    latitude = models.FloatField()
    longitude = models.FloatField()
    radius_m = models.FloatField()
    first_day = models.DateField()
    last_day = models.DateField()
    observed = models.PositiveIntegerField()
    expected = models.FloatField(null=True)
    statistic = models.FloatField(null=True, help_text="log generalised likelihood ratio")
    p = models.FloatField(null=True)
    replicates = models.PositiveIntegerField(default=0)
    explanation = models.TextField()
    analyst = models.CharField(max_length=limits.USERNAME, db_index=True, blank=True)
    raised_at = models.DateTimeField(db_index=True)
    answered = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["-raised_at", "-id"]


class ClusterCase(models.Model):
    alert = models.ForeignKey(ClusterAlert, on_delete=models.PROTECT, related_name="members")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "case"], name="case_once_per_cluster")
        ]


class ClusterJudgement(models.Model):
    """An analyst's answer on a cluster alert, with a reason. Append-only: a new judgement
    supersedes, nothing is deleted."""

    alert = models.ForeignKey(ClusterAlert, on_delete=models.PROTECT, related_name="judgements")
    verdict = models.CharField(max_length=10)
    reason = models.TextField()
    by = models.CharField(max_length=limits.USERNAME)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
