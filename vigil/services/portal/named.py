"""The case a family concern from the portal names: evaluated again whenever the concern's
answer becomes due or is given, so that its checklist shows (or stops showing) the policy's
item "concerns sent through the public portal answered" (the fact ``portal_concern_unanswered``,
``vigil.records.portal.portal_concern_since``). Runs in the caller's transaction; nothing is
said to the reporter about whether a case matched."""

from __future__ import annotations

from datetime import datetime

from vigil.records import models as m
from vigil.services.casework.unit import refresh


def recheck(reference: str, now: datetime) -> None:
    """Evaluate the named case again (no new version: none of its facts changed)."""
    if not reference:
        return
    case = m.Case.objects.select_for_update().filter(reference=reference).first()
    if case is not None:
        refresh(case, now, bump=False)
