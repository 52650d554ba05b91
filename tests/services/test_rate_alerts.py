"""Rate alerts on the store's own deaths: a certifier at twice the expected rate raises one
before a named analyst, once; it is audited and answerable; restricted cases stay hidden."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.conftest import make_user
from tests.store_screens import RATES_ON, rates_store
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import UserRole
from vigil.records import models as m

ABLE = "dr a able (gmc 1000001)"


@pytest.fixture
def low_threshold(settings):
    """h = 2: six months at twice an expected one death a month reach 2.3 (the default, 5,
    needs about a year at that rate; tests/oversight/test_rates.py checks it on larger
    groups)."""
    settings.VIGIL = replace(settings.VIGIL, cusum_threshold=2.0)


@pytest.fixture
def analyst(db):
    return make_user("analyst1", UserRole.ANALYST)


@pytest.fixture
def store(officer, analyst, low_threshold):
    rates_store(officer)


def kinds(summaries) -> dict[str, services.ScreenSummary]:
    return {s.kind: s for s in summaries}


def test_a_certifier_at_twice_the_expected_rate_raises_an_alert_before_an_analyst(store, analyst):
    summary = kinds(services.screen_rates(analyst, on=RATES_ON))
    assert summary["certifier"].charted == 3 and len(summary["certifier"].alerts) == 1
    assert len(summary["institution"].alerts) == 1  # Dr Able's ward
    assert summary["unit"].alerts == []  # East Area rose by a third, not doubled
    alert = m.RateAlert.objects.get(kind="certifier")
    assert alert.group == ABLE and alert.label == "Dr A Able (GMC 1000001)"
    assert alert.analyst == "analyst1"
    assert (alert.first_month, alert.signal_month) == (date(2025, 1, 1), date(2025, 6, 1))
    assert (alert.observed, alert.expected) == (12, pytest.approx(6.0))
    assert alert.explanation == (
        "Dr A Able (GMC 1000001) certified 12 deaths in January-June 2025 where 6.0 were "
        "expected (from its peers); the CUSUM passed its threshold 2 in June 2025 "
        "(reaching 2.3)"
    )
    assert alert.members.count() == 12 and len(alert.series) == 12


def test_certifiers_at_their_expected_rate_raise_nothing(officer, analyst, low_threshold):
    rates_store(officer, doubled=False)
    assert all(not s.alerts and not s.signals for s in services.screen_rates(analyst, on=RATES_ON))


def test_running_it_again_or_a_month_later_raises_the_same_signal_once(store, analyst):
    services.screen_rates(analyst, on=RATES_ON)
    again = services.screen_rates(analyst, on=RATES_ON)
    later = services.screen_rates(analyst, on=date(2025, 7, 31))
    assert all(not s.alerts for s in again + later)
    assert kinds(again)["certifier"].signals == 1
    assert m.RateAlert.objects.count() == 2
    runs = AuditEntry.objects.filter(event="rates.screened").count()
    assert runs == 3


def test_the_analyst_answers_it_with_a_reason_audited_and_append_only(store, analyst):
    services.screen_rates(analyst, on=RATES_ON)
    alert = m.RateAlert.objects.get(kind="certifier")
    assert [r.id for r in services.list_rate_alerts(analyst, face="t")] == sorted(
        m.RateAlert.objects.values_list("pk", flat=True), reverse=True
    )
    services.judge_rate_alert(
        analyst, alert.pk, services.RateVerdict.CONCERN, "Refer to the medical examiner."
    )
    services.judge_rate_alert(
        analyst, alert.pk, services.RateVerdict.NO_CONCERN, "A hospice opened in January."
    )
    page = services.rate_alert(analyst, alert.pk, face="t")
    assert page.answered and [a.verdict for a in page.answers] == ["concern", "no_concern"]
    awaiting = services.list_rate_alerts(analyst, face="t")
    assert alert.pk not in [r.id for r in awaiting]
    events = AuditEntry.objects.filter(event="rate_alert.judged", target_ref=str(alert.pk))
    assert events.count() == 2
    for bad, field in ((("maybe", "Why"), "verdict"), (("concern", "  "), "reason")):
        with pytest.raises(services.Invalid) as refused:
            services.judge_rate_alert(analyst, alert.pk, *bad)
        assert refused.value.field == field
    with pytest.raises(services.NotFound):
        services.judge_rate_alert(analyst, 987654, services.RateVerdict.CONCERN, "Why")
    assert m.RateJudgement.objects.count() == 2


def test_roles_without_the_permissions_are_refused(store, analyst, officer):
    with pytest.raises(services.Forbidden):
        services.screen_rates(officer, on=RATES_ON)
    services.screen_rates(analyst, on=RATES_ON)
    alert = m.RateAlert.objects.first()
    investigator = make_user("investigator1", UserRole.INVESTIGATOR)  # sees, cannot answer
    assert services.rate_alert(investigator, alert.pk, face="t").cases
    with pytest.raises(services.Forbidden):
        services.judge_rate_alert(investigator, alert.pk, services.RateVerdict.CONCERN, "Why")
    with pytest.raises(services.Forbidden):
        services.list_rate_alerts(officer, face="t")


def test_a_restricted_case_in_the_run_is_hidden_from_those_not_named(store, analyst):
    services.screen_rates(analyst, on=RATES_ON)
    alert = m.RateAlert.objects.get(kind="certifier")
    hidden = sorted(alert.members.values_list("case__reference", flat=True))[0]
    keeper = make_user("keeper1", UserRole.REVIEWING_OFFICER)
    services.restrict_case(keeper, hidden, ["analyst1"])
    other = make_user("analyst2", UserRole.ANALYST)
    seen_by_other = services.rate_alert(other, alert.pk, face="t")
    assert hidden not in seen_by_other.cases and len(seen_by_other.cases) == 11
    assert hidden in services.rate_alert(analyst, alert.pk, face="t").cases
    viewed = AuditEntry.objects.filter(event="rate_alert.viewed", actor="analyst2").get()
    assert '"cases":11' in viewed.payload.replace(" ", "")
