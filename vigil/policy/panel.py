"""Referrals to the independent advisory panel that the policy requires.

A pack's ``panel_referral:`` rules name the cases the panel must see (a confirmed series; a
death with GHB involved where the deceased was gay, bisexual or trans). After Barking the
inspection asked for independent advice built into the process, not sought when someone
thought of it. A rule that holds is an unmet item until a referral is recorded (the case fact
``panel_referred``, which the caller supplies in ``CaseFacts``).

A rule that reads a sensitive fact (``vigil.domain.masking.SENSITIVE_PATHS``: the deceased's
sexuality or drug use) is worded without its reason and evidence: the checklist is read by
roles from whom those facts are withheld, and the item must not tell them.
"""

from __future__ import annotations

from dataclasses import dataclass

from vigil.domain.masking import SENSITIVE_PATHS
from vigil.policy.conditions import Condition, FactIs, TextMentions, parts
from vigil.policy.model import PanelRule
from vigil.policy.scope import Scope
from vigil.policy.wording import (
    PANEL_SENSITIVE_EVIDENCE,
    PANEL_SENSITIVE_REASON,
    PANEL_SENSITIVE_RULE,
    PANEL_TITLE,
    fact_words,
)

REFERRED = "panel_referred"


def reads(condition: Condition) -> frozenset[str]:
    """Every fact path the condition names, at any depth."""
    own: set[str] = set()
    if isinstance(condition, FactIs):
        own.add(condition.fact)
    elif isinstance(condition, TextMentions):
        own.update(condition.text)
    for _, inner in parts(condition):
        own |= reads(inner)
    return frozenset(own)


def is_sensitive(rule: PanelRule) -> bool:
    """The rule reads a fact withheld from roles without ``see_sensitive``."""
    return not SENSITIVE_PATHS.isdisjoint(reads(rule.when))


@dataclass(frozen=True, slots=True)
class Referral:
    """A referral the case still needs: the item's title, the rule's why, and this case's
    reason, in words a reader of the checklist may see."""

    title: str
    rule: str
    reason: str


def referral_needed(rule: PanelRule, scope: Scope) -> Referral | None:
    """The referral ``rule`` asks of this case, or None if it does not hold or a referral to
    the panel is recorded."""
    if scope.facts.get(REFERRED) is True:
        return None
    outcome = rule.when.check(scope)
    if not outcome.ok:
        return None
    missing = fact_words(REFERRED).no
    if is_sensitive(rule):
        return Referral(
            title=PANEL_TITLE.format(reason=PANEL_SENSITIVE_REASON),
            rule=PANEL_SENSITIVE_RULE,
            reason=f"{PANEL_SENSITIVE_EVIDENCE}; {missing}",
        )
    first = rule.reason[:2]  # "The death ..." reads "the death ..."; "GHB ..." stays as it is
    reason = first.lower() + rule.reason[2:] if first.istitle() else rule.reason
    return Referral(
        title=PANEL_TITLE.format(reason=reason.rstrip(".")),
        rule=rule.rule,
        reason=f"{outcome.why}; {missing}",
    )
