"""A refused category decision names the field that must change: below the floor, a supervisor
who gave no reason is asked for the reason (the category may stand as their override); anyone
else must choose another category."""

import pytest

from tests.conftest import T0, suspicious_report
from vigil import services
from vigil.domain import Category
from vigil.records import models as m

NOT_SUSPICIOUS = Category.UNEXPECTED_NOT_SUSPICIOUS


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_supervisor_without_a_reason_is_asked_for_the_reason(officer, sergeant, reason):
    services.open_case(officer, "D-1", suspicious_report(), known_at=T0)
    with pytest.raises(services.Invalid) as refused:
        services.decide_category(
            sergeant, "D-1", NOT_SUSPICIOUS, "Looks like an overdose.", override_reason=reason
        )
    assert refused.value.field == "override_reason"
    assert "reason" in refused.value.reason
    assert not m.CategoryDecision.objects.exists()


def test_an_officer_without_a_reason_must_choose_another_category(officer):
    services.open_case(officer, "D-2", suspicious_report(), known_at=T0)
    with pytest.raises(services.Invalid) as refused:
        services.decide_category(officer, "D-2", NOT_SUSPICIOUS, "Looks like an overdose.")
    assert refused.value.field == "category"
    assert not m.CategoryDecision.objects.exists()
