"""Custody chains and action histories pass the domain's own checks when replayed."""

from __future__ import annotations

from itertools import pairwise

from vigil.demo.evidence import ACTION_KINDS
from vigil.domain.custody import append, broken_link
from vigil.domain.enums import ActionState, ReferralState
from vigil.domain.investigation import CustodyEvent
from vigil.domain.lifecycle import check_transition
from vigil.interchange.record import CaseRecord


def test_custody_chains_replay_through_append(records: list[CaseRecord]) -> None:
    exhibits = 0
    for record in records:
        for exhibit in record.exhibits:
            exhibits += 1
            assert all(e.prev_hash == "" and e.hash == "" for e in exhibit.custody)
            sealed: list[CustodyEvent] = []
            for event in exhibit.custody:
                sealed.append(append(sealed, event))
            assert broken_link(sealed) is None
    assert exhibits > len(records) // 4


def test_exhibit_refs_are_unique_per_case(records: list[CaseRecord]) -> None:
    for record in records:
        refs = [e.ref for e in record.exhibits]
        assert len(refs) == len(set(refs))


def test_action_histories_move_one_step_at_a_time(records: list[CaseRecord]) -> None:
    states = set()
    for record in records:
        refs = [a.ref for a in record.actions]
        assert len(refs) == len(set(refs))
        for action in record.actions:
            history = action.history
            assert history[0].state is ActionState.RAISED
            for before, after in pairwise(history):
                check_transition(before.state, after.state, owner=action.owner)
                assert after.at >= before.at
            states.add(action.state)
            if action.state is not ActionState.RAISED:
                assert action.owner
    assert states == set(ActionState)  # open and finished actions both appear


def test_referrals_answered_or_pending(records: list[CaseRecord]) -> None:
    seen = set()
    for record in records:
        for referral in record.referrals:
            seen.add(referral.state)
            if referral.state is ReferralState.PENDING:
                assert referral.answered_at is None
            else:
                assert referral.answered_at is not None and referral.answered_at >= referral.made_at
    assert seen == set(ReferralState)


def test_decisions_and_liaison_follow_the_report(records: list[CaseRecord]) -> None:
    for record in records:
        assert record.decisions, record.reference
        reported = record.report.reported_at
        assert reported is not None
        for decision in record.decisions:
            assert decision.decided_at >= reported
        for entry in record.liaison:
            assert entry.person_ref in {p.ref for p in record.persons}
            for concern in entry.concerns:
                if concern.answered:
                    assert concern.answered_at is not None and concern.answered_at >= entry.at


def test_action_kinds_are_the_declared_ones(records: list[CaseRecord]) -> None:
    used = {a.kind for r in records for a in r.actions}
    assert used == set(ACTION_KINDS)
