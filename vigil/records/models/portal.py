"""What the public portal keeps (``/report/``, no sign-in): sealed submissions, the messages
between a reporter and the safeguarding team, and spent form tokens.

Nothing here can identify the reporter's connection: no IP address, user agent or referrer is
stored, and a reporter's times are kept to the day. The report itself and every message, either
way, are sealed (``vigil.domain.sealing``) to two keys: the safeguarding team's public key (the
server holds the team's private key only protected by the team's passphrase) and the
submission's own reporter key, whose private half is kept only protected by the receipt code. A
row read from the database, a backup or a stolen disk is therefore unreadable, and a reporter
who comes back with their code can read their report and every reply.
"""

from django.db import models

from vigil.domain import limits


class Submission(models.Model):
    """One report through the portal. ``receipt`` is the slow deterministic hash of the receipt
    code (``vigil.domain.receipts.receipt_lookup``), never the code itself."""

    class Kind(models.TextChoices):
        DRUGGING = "drugging", "Drugging or sexual violence"
        FAMILY_CONCERN = "family_concern", "Concern about how a death is investigated"

    class Status(models.TextChoices):
        NEW = "new", "New, not yet opened"
        OPEN = "open", "Opened, being handled"
        CLOSED = "closed", "Closed with an outcome"

    receipt = models.CharField(max_length=128, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    received_on = models.DateField(help_text="The day only: the time of day is not kept.")
    sealed = models.BinaryField(help_text="The report, sealed to the team and the reporter key.")
    reporter_key = models.CharField(max_length=100, help_text="The reporter key's public half.")
    reporter_identity = models.BinaryField(
        help_text="The reporter key's private half, protected by the receipt code only."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    # The case a family concern names (a reference the reporter gave that matched a case), or the
    # record a safeguarding officer turned the report into; blank while there is none.
    case_reference = models.CharField(max_length=limits.REFERENCE, blank=True)
    outcome = models.TextField(blank=True)
    outcome_by = models.CharField(max_length=limits.USERNAME, blank=True)
    outcome_at = models.DateTimeField(null=True)
    # When the team must next answer (set on receipt and on every message from the reporter,
    # cleared by a reply): an overdue item like any other once it has passed.
    answer_due = models.DateTimeField(null=True, db_index=True)

    class Meta:
        ordering = ["received_on", "id"]


class PortalMessage(models.Model):
    """A message in a submission's conversation, either way, sealed to the team and to the
    submission's reporter key."""

    class Author(models.TextChoices):
        REPORTER = "reporter", "The reporter"
        OFFICER = "officer", "A safeguarding officer"

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="messages")
    author = models.CharField(max_length=10, choices=Author.choices)
    officer = models.CharField(max_length=limits.USERNAME, blank=True)
    sent_on = models.DateField(help_text="The day only, for the reporter's privacy.")
    sealed = models.BinaryField()

    class Meta:
        ordering = ["id"]


class SpentToken(models.Model):
    """The digest of a portal form token already used, so a token cannot be replayed; kept to
    the day and pruned once the token could no longer be accepted."""

    digest = models.CharField(max_length=64, unique=True)
    spent_on = models.DateField()
