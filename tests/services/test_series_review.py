"""A confirmed series feeds back into its cases (issue 12, item 5): confirming a link raises the
floor of the cases it joins (the pack's `confirmed_series` rule), a case whose category is then
below it goes back to the reviewing officer's queue with the series as the reason (audited in
the judgement's transaction), the case page and the API say which series, as the reader may
see it, and a later rejection undoes all of it (series are derived, never stored).

The deaths and people are synthetic (invented names, the Ofcom drama range for the phones)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.api.conftest import Api
from tests.conftest import T0, expected_report, ghb_death, make_user, two_similar_deaths
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import Category, PersonEntry, UserRole
from vigil.records import models as m
from vigil.services.linkage.series import Verdict, judge
from vigil.services.readmodels.casepage import case_page
from vigil.services.readmodels.queues import AWAITING_OVERRIDE, review_queue

OVERRIDE = "Family say he used GHB alone at home before; an accidental overdose."
SERIES_L1 = "Part of confirmed series L-1 (with case L-2)"


def link(a: str, b: str) -> int:
    return m.CaseLink.objects.get(case_a__reference=a, case_b__reference=b).pk


def queue(actor) -> dict[str, str]:
    return {row.reference: row.waiting for row in review_queue(actor, face="test")[1]}


def rules(state) -> set[str]:
    return {r.rule_id for r in state.evaluation.floor_reasons}


@pytest.fixture
def closed_apart(officer, sergeant, analyst):
    """L-1 and L-2 (GHB, 220 m and three weeks apart, one phone): each closed by the sergeant
    as not suspicious, overriding the floor, before anyone linked them, as in Barking."""
    two_similar_deaths(officer)
    for ref in ("L-1", "L-2"):
        services.decide_category(
            sergeant, ref, Category.UNEXPECTED_NOT_SUSPICIOUS, "Overdose.", override_reason=OVERRIDE
        )
    assert queue(sergeant) == {}
    return link("L-1", "L-2")


def test_confirming_sends_each_case_back_to_review_with_the_series_as_the_reason(
    closed_apart, sergeant, analyst
):
    judge(analyst, closed_apart, Verdict.CONFIRM, "The caller of one is the friend of the other.")
    assert queue(sergeant) == {
        "L-1": f"{SERIES_L1}. {AWAITING_OVERRIDE}",
        "L-2": f"Part of confirmed series L-1 (with case L-1). {AWAITING_OVERRIDE}",
    }
    state = services.view_case(sergeant, "L-1", face="test")
    assert "confirmed_series" in rules(state)
    # the override was given before the series was confirmed: it no longer stands
    assert state.evaluation.needs_override
    unmet = {u.rule_id: u.reason for u in state.evaluation.unmet}
    assert "before the death was confirmed as part of a series" in unmet["override_recorded"]
    # audited in the judgement's transaction, one row a case, with the reason
    rows = AuditEntry.objects.filter(event="case.series_review").order_by("seq")
    assert [(r.target_ref, r.actor, r.verb) for r in rows] == [
        ("L-1", "analyst1", "alteration"),
        ("L-2", "analyst1", "alteration"),
    ]
    payload = json.loads(rows[0].payload)
    assert payload["series"] == "L-1" and payload["cases"] == ["L-2"]
    assert payload["reason"] == SERIES_L1
    assert (payload["floor"], payload["category"]) == (
        "unexpected_under_investigation",
        "unexpected_not_suspicious",
    )
    judged = AuditEntry.objects.get(event="link.judged")
    assert judged.seq < rows[0].seq


def test_the_reviewing_officer_decides_again_and_a_later_rejection_undoes_the_series(
    closed_apart, sergeant, analyst
):
    judge(analyst, closed_apart, Verdict.CONFIRM, "Same phone, same drug.")
    # below the floor now needs a new override: refused without one
    with pytest.raises(services.Invalid) as info:
        services.decide_category(sergeant, "L-1", Category.UNEXPECTED_NOT_SUSPICIOUS, "Still.")
    assert info.value.field == "override_reason"
    services.decide_category(
        sergeant, "L-1", Category.UNEXPECTED_UNDER_INVESTIGATION, "One of a series: investigate."
    )
    assert set(queue(sergeant)) == {"L-2"}
    # a later judgement rejects the link: no series, no stale 'part of series', the old
    # override stands again and L-2 leaves the queue
    judge(analyst, closed_apart, Verdict.REJECT, "The phone was a shared taxi firm's.")
    assert queue(sergeant) == {}
    state = services.view_case(sergeant, "L-2", face="test")
    assert "confirmed_series" not in rules(state) and not state.evaluation.needs_override
    assert m.Case.objects.get(reference="L-2").floor == "unexpected_under_investigation"
    assert case_page(sergeant, "L-2", face="test").series is None
    assert Api("sergeant1").get("/cases/L-2/links").json()["series"] is None
    # rejecting sends nobody back to review
    assert AuditEntry.objects.filter(event="case.series_review").count() == 2


def natural_death(reference: str, days: int, officer) -> None:
    """An old woman dead at home of heart failure: nothing raises the floor."""
    report = expected_report().model_copy(
        update={"reported_at": T0 + timedelta(days=days), "found_at": T0 + timedelta(days=days)}
    )
    services.open_case(officer, reference, report, known_at=T0 + timedelta(days=days))
    services.record_person(
        officer,
        reference,
        PersonEntry(
            ref="P-K",
            name="Kim Testcarer",
            roles=["caller"],
            identifiers=[{"kind": "phone", "value": "07700 900777"}],
        ),
    )


def test_confirming_raises_the_floor_of_a_case_nothing_else_raised(officer, sergeant, analyst):
    natural_death("E-1", 0, officer)
    natural_death("E-2", 30, officer)
    services.decide_category(sergeant, "E-1", Category.EXPECTED, "Died at home; GP certifies.")
    services.decide_category(sergeant, "E-2", Category.EXPECTED, "Died at home; GP certifies.")
    assert m.Case.objects.get(reference="E-1").floor == "expected"
    assert "E-1" not in queue(sergeant)
    judge(analyst, link("E-1", "E-2"), Verdict.CONFIRM, "The same carer called both in.")
    case = m.Case.objects.get(reference="E-1")
    assert (case.category, case.floor) == ("expected", "unexpected_under_investigation")
    assert case.version == services.view_case(sergeant, "E-1", face="test").version
    assert queue(sergeant)["E-1"] == (
        f"Part of confirmed series E-1 (with case E-2). {AWAITING_OVERRIDE}"
    )
    reasons = services.view_case(sergeant, "E-1", face="test").evaluation.floor_reasons
    assert [(r.rule_id, r.evidence) for r in reasons] == [
        ("confirmed_series", "an analyst confirmed the death as part of a series")
    ]
    # as it stood before the judgement, the case was in no series
    before = services.view_case(sergeant, "E-1", face="test", as_of=T0 + timedelta(days=31))
    assert before.evaluation.floor == Category.EXPECTED


@pytest.fixture
def three_with_one_restricted(officer, sergeant, analyst):
    """L-1, L-2 and L-3 confirmed into one series; L-3 then restricted to another reviewing
    officer, so the sergeant may not see it."""
    two_similar_deaths(officer)
    ghb_death("L-3", 40, 51.5390, 0.0825, officer)
    services.record_person(
        officer,
        "L-3",
        PersonEntry(
            ref="P-H",
            name="Host Three",
            roles=["host"],
            identifiers=[{"kind": "phone", "value": "07700 900461"}],
        ),
    )
    judge(analyst, link("L-1", "L-2"), Verdict.CONFIRM, "Same phone.")
    judge(analyst, link("L-2", "L-3"), Verdict.CONFIRM, "Same phone again.")
    inspector = make_user("inspector2", UserRole.REVIEWING_OFFICER)
    services.restrict_case(inspector, "L-3")
    return inspector


def test_a_case_the_reader_may_not_see_is_neither_named_nor_counted(
    three_with_one_restricted, sergeant, officer
):
    inspector = three_with_one_restricted
    shown = case_page(sergeant, "L-1", face="test").series
    assert shown is not None
    assert (shown.name, shown.others, shown.browsable) == ("L-1", ("L-2",), True)
    assert shown.reason == SERIES_L1
    assert queue(sergeant)["L-1"].startswith(SERIES_L1)
    body = Api("sergeant1").get("/cases/L-1/links").content.decode()
    assert "L-3" not in body
    # the inspector named on L-3 sees the whole series
    whole = case_page(inspector, "L-1", face="test").series
    assert whole is not None and whole.others == ("L-2", "L-3")
    assert queue(inspector)["L-3"].startswith(
        "Part of confirmed series L-1 (with cases L-1 and L-2). "
    )
    # the response officer is told too, but may not open the series page
    told = case_page(officer, "L-2", face="test").series
    assert told is not None and told.others == ("L-1",) and not told.browsable


def test_the_api_gives_the_series_of_a_case(three_with_one_restricted):
    response = Api("inspector2").get("/cases/L-2/links")
    assert response.status_code == 200
    assert response.json()["series"] == {
        "name": "L-1",
        "others": ["L-1", "L-3"],
        "browsable": True,
        "reason": "Part of confirmed series L-1 (with cases L-1 and L-3)",
    }
