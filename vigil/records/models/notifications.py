from django.db import models

from vigil.domain import limits


class Notification(models.Model):
    """That a named user was told an item is overdue: one step of the policy pack's escalation
    chain (``vigil.services.casework.escalation``). A step is sent once per item (the unique
    pair ``item``, ``step``); a newer step for the same item is a new row, nothing is changed
    (but ``emailed``, set once the e-mail has gone). The item is on a case
    (``case_reference``) or on a report from the portal (``submission``)."""

    recipient = models.CharField(max_length=limits.USERNAME, db_index=True)
    item = models.CharField(
        max_length=200,
        help_text="What is overdue: 'checklist:<case>:<rule>:<subject>', "
        "'panel-advice:<id>', 'portal-report:<id>:<answer due>'.",
    )
    step = models.PositiveSmallIntegerField(help_text="Its place in the pack's escalation.")
    target = models.CharField(max_length=30, help_text="owner, owner_supervisor, ...")
    case_reference = models.CharField(
        max_length=limits.REFERENCE,
        blank=True,
        help_text="The case the item is on; blank for a report from the portal.",
    )
    submission = models.ForeignKey(
        "records.Submission",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The report from the portal the item is on (then no case): the step is "
        "shown to its recipient while they may still know of the report.",
    )
    title = models.CharField(max_length=limits.CHECKLIST_TITLE)
    deadline = models.DateTimeField()
    sent_at = models.DateTimeField()
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "step"], name="one_notification_per_step")
        ]
