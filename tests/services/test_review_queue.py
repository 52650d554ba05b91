"""A category decision counts only when one of the pack's sign-off roles made or signed it
off: a response officer's own decision leaves the case in the reviewing officer's queue."""

from __future__ import annotations

from tests.conftest import T0, expected_report
from vigil import services
from vigil.domain import Category
from vigil.services.readmodels.queues import AWAITING_SIGNOFF, review_queue


def unmet(state) -> set[str]:
    return {u.rule_id for u in state.evaluation.unmet}


def test_a_response_officers_own_decision_waits_for_a_reviewing_officer(officer, sergeant):
    services.open_case(officer, "Q-1", expected_report(), known_at=T0)
    state = services.decide_category(officer, "Q-1", Category.EXPECTED, "GP will certify.")
    assert "category_decided" in unmet(state)
    total, rows = review_queue(sergeant, face="test")
    assert total == 1 and rows[0].reference == "Q-1" and rows[0].waiting == AWAITING_SIGNOFF
    # the reviewing officer decides it (or signs it off): it leaves the queue
    state = services.decide_category(sergeant, "Q-1", Category.EXPECTED, "Agreed: GP certifies.")
    assert "category_decided" not in unmet(state)
    assert review_queue(sergeant, face="test")[0] == 0


def test_a_reviewing_officers_decision_leaves_the_queue_at_once(officer, sergeant):
    services.open_case(officer, "Q-2", expected_report(), known_at=T0)
    services.decide_category(sergeant, "Q-2", Category.EXPECTED, "Died at home of old age.")
    assert review_queue(sergeant, face="test")[0] == 0
    state = services.view_case(sergeant, "Q-2", face="test")
    assert "category_decided" not in unmet(state)
