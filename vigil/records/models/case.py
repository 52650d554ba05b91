from django.db import models

from vigil.domain import limits


class Case(models.Model):
    """A death under investigation. ``state`` is the current report, folded from its facts; the
    typed columns beside it are copies for searching and sorting."""

    reference = models.CharField(max_length=limits.REFERENCE, unique=True)
    kind = models.CharField(max_length=20, default="death", db_index=True)  # fixed at opening
    version = models.PositiveIntegerField(default=1)
    opened_at = models.DateTimeField()
    opened_by = models.CharField(max_length=limits.USERNAME)
    updated_at = models.DateTimeField()
    state = models.JSONField(default=dict)

    reported_at = models.DateTimeField(null=True, db_index=True)
    found_at = models.DateTimeField(null=True)
    place_type = models.CharField(max_length=30, blank=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    deceased_name = models.CharField(max_length=limits.PERSON_NAME, blank=True)
    deceased_sex = models.CharField(max_length=10, blank=True)
    deceased_age = models.PositiveSmallIntegerField(null=True)

    category = models.CharField(max_length=40, blank=True, db_index=True)
    floor = models.CharField(max_length=40, blank=True)
    policy_version = models.CharField(max_length=limits.POLICY_VERSION, blank=True)
    profile = models.JSONField(default=dict, help_text="The linkage profile row.")
    link_pending = models.BooleanField(
        default=True,
        db_index=True,
        help_text="Set in the transaction that changes the case's facts, cleared in the one "
        "that stores its links: a crash in between leaves it for `vigil link --pending`.",
    )
    restricted = models.BooleanField(
        default=False, help_text="Need-to-know: only the users named on it (CaseAccess) see it."
    )
    unit = models.ForeignKey(
        "records.Unit",
        to_field="code",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        help_text="The command unit: the one the report names (location.unit), else the one "
        "whose boundary holds the coordinates; null when neither gives one.",
    )

    class Meta:
        ordering = ["-reported_at", "reference"]
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self) -> str:
        return self.reference


class Fact(models.Model):
    """One value of one field of the report, with when it became known and who recorded it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="facts")
    path = models.CharField(max_length=80)
    value = models.JSONField(null=True)
    known_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=limits.USERNAME)

    class Meta:
        indexes = [models.Index(fields=["case", "path", "known_at"])]


class ChecklistItem(models.Model):
    """An unmet checklist item as of the case's last evaluation (a cache of the policy's answer,
    rebuilt on every change to the case, for queues and the overdue list)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="unmet_items")
    rule_id = models.CharField(max_length=limits.RULE_ID)
    title = models.CharField(max_length=limits.CHECKLIST_TITLE)
    reason = models.TextField()
    owner_role = models.CharField(max_length=30)
    # The ref of the person or item it is about (an item's ref is the shorter).
    subject = models.CharField(max_length=limits.PERSON_REF, blank=True)
    deadline = models.DateTimeField(null=True, db_index=True)

    class Meta:
        ordering = ["deadline"]
