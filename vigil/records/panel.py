"""Referrals to the independent advisory panel as the store holds them: storage reads only, for
the whole store (need-to-know is the services' business, ``vigil.services.readmodels.panel``).

``panel_referred_at`` is the fact policy reads (``vigil.policy.facts.CaseFacts``): a pack can
require a referral (``panel_referral:`` rules), and the rule is met once one is recorded.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Min

from vigil.records import models as m


def panel_referred_at(reference: str, when: datetime | None = None) -> datetime | None:
    """When the case was first put before the panel (referred itself, or as a case of a series
    referred), up to ``when`` if given; None if it has not been."""
    rows = m.PanelReferralCase.objects.filter(case__reference=reference)
    if when is not None:
        rows = rows.filter(referral__referred_at__lte=when)
    first: datetime | None = rows.aggregate(first=Min("referral__referred_at"))["first"]
    return first
