"""The generated cases against the real default policy pack: every decision is one the import
accepts, overrides appear only where the floor needs one, and the checklist has unmet items in a
minority of suspicious deaths and nowhere else."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.demo.policy_view import at_decision, later_than_everything, role_of, view_of
from vigil.demo import Scenario
from vigil.interchange.record import CaseRecord
from vigil.policy import PolicyPack, check_decision, default_pack, evaluate, floor_of

Labelled = list[tuple[Scenario, CaseRecord]]


@pytest.fixture(scope="module")
def pack() -> PolicyPack:
    return default_pack()


def test_every_decision_passes_the_floor_check(labelled: Labelled, pack: PolicyPack) -> None:
    for _, record in labelled:
        view = view_of(record)
        for decision in record.decisions:
            check_decision(
                pack,
                at_decision(view, decision),
                decision.category,
                override_by_role=role_of(decision.override_by),
                override_reason=decision.override_reason,
                now=decision.decided_at,
            )


def test_overrides_only_where_the_floor_needs_one(labelled: Labelled, pack: PolicyPack) -> None:
    overrides = 0
    for _, record in labelled:
        view = view_of(record)
        for decision in record.decisions:
            floor, _ = floor_of(pack, at_decision(view, decision), decision.decided_at)
            below = decision.category.rank < floor.rank
            assert bool(decision.override_by) == below, (record.reference, decision)
            overrides += below
    assert overrides > len(labelled) // 20


def _unmet(record: CaseRecord, pack: PolicyPack) -> tuple[str, ...]:
    evaluation = evaluate(pack, view_of(record), later_than_everything(record))
    return tuple(item.rule_id for item in evaluation.unmet)


def test_only_suspicious_deaths_have_unmet_items(labelled: Labelled, pack: PolicyPack) -> None:
    for kind, record in labelled:
        if kind is not Scenario.SUSPICIOUS:
            assert _unmet(record, pack) == (), (kind, record.reference)


def test_a_minority_of_suspicious_deaths_show_gaps(labelled: Labelled, pack: PolicyPack) -> None:
    suspicious = [r for kind, r in labelled if kind is Scenario.SUSPICIOUS]
    unmet = [_unmet(r, pack) for r in suspicious]
    with_gaps = sum(bool(items) for items in unmet)
    assert 0.15 <= with_gaps / len(suspicious) <= 0.5
    rules = Counter(rule for items in unmet for rule in set(items))
    barking = {"intelligence_checks", "next_of_kin_told", "cctv_sought", "referral_answered"}
    assert barking <= set(rules), rules
