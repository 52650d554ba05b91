"""A family concern sent through the portal naming a case is an unmet checklist item on that
case until the safeguarding team answers it, and the answer is read with the receipt code."""

from __future__ import annotations

import pytest

from tests.conftest import T0, make_user, suspicious_report
from tests.portal.setup import report_token, set_up_portal
from tests.services.portal.test_submissions import TODAY, concern
from vigil import services
from vigil.domain import UserRole
from vigil.records.models import ChecklistItem, Submission
from vigil.services.portal.submissions import come_back, submit

RULE = "portal_concern_answered"


@pytest.fixture
def portal(db, settings):
    set_up_portal(settings)


def items(reference: str) -> set[str]:
    return set(
        ChecklistItem.objects.filter(case__reference=reference).values_list("rule_id", flat=True)
    )


def test_the_concern_is_an_unmet_item_until_answered_and_the_answer_reaches_the_reporter(
    portal, officer
):
    services.open_case(officer, "BK-2015-0002", suspicious_report(), known_at=T0)
    assert RULE not in items("BK-2015-0002")
    code = submit(
        "family_concern",
        concern(case_reference="BK-2015-0002"),
        report_token("family_concern"),
        TODAY,
    )
    assert RULE in items("BK-2015-0002")
    item = ChecklistItem.objects.get(case__reference="BK-2015-0002", rule_id=RULE)
    assert item.deadline is not None and item.deadline.date().isoformat() == "2026-03-16"
    assert "partner" not in item.reason  # the concern's words stay sealed
    triage = make_user("safeguarding1", UserRole.SAFEGUARDING_OFFICER)
    submission = Submission.objects.get()
    services.reply_to_reporter(triage, submission.pk, "We have passed your concern on.")
    assert RULE not in items("BK-2015-0002")
    (answer,) = come_back(code, TODAY).messages
    assert answer.text == "We have passed your concern on."


def test_a_concern_naming_no_case_changes_no_case(portal, officer):
    services.open_case(officer, "BK-2015-0003", suspicious_report(), known_at=T0)
    before = items("BK-2015-0003")
    submit(
        "family_concern",
        concern(case_reference="BK-1999-0000"),
        report_token("family_concern"),
        TODAY,
    )
    assert items("BK-2015-0003") == before
