"""Family concerns from the portal as the store holds them: storage reads only, for the whole
store (need-to-know is the services' business).

``portal_concern_since`` is the fact policy reads (``vigil.policy.facts.CaseFacts``): the day
the oldest concern naming the case that still waits for an answer was received."""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.db.models import Min

from vigil.records import models as m


def portal_concern_since(reference: str, when: datetime | None = None) -> datetime | None:
    """The start of the day the oldest unanswered family concern naming the case was received
    (an answer clears ``answer_due``; a new message from the reporter sets it again), up to
    ``when`` if given; None if none waits."""
    rows = m.Submission.objects.filter(
        kind=m.Submission.Kind.FAMILY_CONCERN, case_reference=reference, answer_due__isnull=False
    )
    if when is not None:
        rows = rows.filter(received_on__lte=when.date())
    day = rows.aggregate(first=Min("received_on"))["first"]
    return datetime.combine(day, time(), UTC) if day else None
