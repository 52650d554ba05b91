from django.db import models

from vigil.domain import limits
from vigil.records.models.case import Case


class RateAlert(models.Model):
    """A run of deaths above their expected rate: the Poisson CUSUM of one certifier,
    institution or unit crossed its threshold (vigil.services.readmodels.rates finds it,
    vigil.services.linkage.ratewriter raises it). Put before a named analyst who must answer.
    One alert per group and month of crossing, so running the screen again raises nothing
    twice."""

    kind = models.CharField(max_length=20, help_text="certifier, institution or unit")
    group = models.CharField(
        max_length=limits.LINE, db_index=True, help_text="The group's normalised key."
    )
    label = models.CharField(max_length=limits.LINE, help_text="The group as first written.")
    first_month = models.DateField(help_text="The first month of the run that crossed.")
    signal_month = models.DateField(help_text="The month the CUSUM crossed its threshold.")
    observed = models.PositiveIntegerField(help_text="Deaths in the run.")
    expected = models.FloatField(help_text="Deaths expected in the run.")
    statistic = models.FloatField(help_text="The CUSUM's value in the month it crossed.")
    threshold = models.FloatField()
    rate_ratio = models.FloatField()
    series = models.JSONField(
        help_text="The chart: [{month, observed, expected, cusum}] up to the crossing."
    )
    explanation = models.TextField()
    cases = models.ManyToManyField(Case, through="RateAlertCase", related_name="rate_alerts")
    analyst = models.CharField(max_length=limits.USERNAME, db_index=True, blank=True)
    raised_at = models.DateTimeField(db_index=True)
    answered = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "group", "signal_month"], name="one_rate_alert_per_signal"
            )
        ]


class RateAlertCase(models.Model):
    """A death in the run that crossed."""

    alert = models.ForeignKey(RateAlert, on_delete=models.PROTECT, related_name="members")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "case"], name="case_once_per_rate_alert")
        ]


class RateJudgement(models.Model):
    """An analyst's answer on a rate alert (concern / no_concern), with a reason. Append-only:
    a new judgement supersedes, nothing is deleted."""

    alert = models.ForeignKey(RateAlert, on_delete=models.PROTECT, related_name="judgements")
    verdict = models.CharField(max_length=12)
    reason = models.TextField()
    by = models.CharField(max_length=limits.USERNAME)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
