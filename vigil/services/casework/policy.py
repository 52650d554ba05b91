"""The policy pack in force (from VIGIL_POLICY_PACK, else the default pack), loaded once, and
the one place a case is evaluated against it."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from django.conf import settings

from vigil.domain.case import CaseView
from vigil.domain.enums import RecordKind
from vigil.policy import Evaluation, PolicyPack, default_pack, evaluate, load_pack
from vigil.policy.facts import CaseFacts


@cache
def current_pack() -> PolicyPack:
    path = settings.VIGIL.policy_pack
    return load_pack(path) if path else default_pack()


def evaluation_of(view: CaseView, now: datetime) -> Evaluation | None:
    """What the pack says of the case at ``now``: its floor, category and unmet checklist
    items. None for a record that is not a death (a drugging report, an intelligence entry):
    the categories, the floor and the checklist are about deaths, so such a record has no
    category and no checklist (``vigil.domain.kinds``)."""
    if view.report.kind is not RecordKind.DEATH:
        return None
    facts = CaseFacts(
        panel_referred_at=view.panel_referred_at, portal_concern_since=view.portal_concern_since
    )
    return evaluate(current_pack(), view, now, facts)
