"""The panel's review pack is the case or series as the panel member's role sees it (no names,
identifiers or fine places, for whoever reads it), and what the panel and the referring officer
owe is an overdue item until it is given, then it clears.

Synthetic people only (``tests.conftest``: invented names, the Ofcom drama range for phones)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.conftest import make_user, suspicious_report, two_similar_deaths
from vigil import services
from vigil.domain import PersonEntry, UserRole
from vigil.services.linkage.series import Verdict, judge

# Everything that names or places a person finely on the synthetic cases.
SECRETS = (
    "Alex",
    "Testperson",
    "Caller One",
    "Friend Two",
    "07700",
    "900461",
    "St Testing",
    "E6 2AB",
    "51.5386",
    "51.5395",
    "0.0811",
    "0.084",
)
QUESTION = (
    "Did Caller One (07700 900461) tell the truth about St Testing's churchyard, London E6 2AB?"
)


@pytest.fixture
def panel(db):
    return make_user("panel1", UserRole.PANEL_MEMBER)


@pytest.fixture
def case(officer):
    report = suspicious_report()
    services.open_case(officer, "P-1", report, known_at=report.found_at)
    caller = PersonEntry(
        ref="P-C",
        name="Caller One",
        roles=["caller"],
        identifiers=[{"kind": "phone", "value": "07700 900461"}],
        statement="Caller One says he left at 4am.",
    )
    services.record_person(officer, "P-1", caller)
    return "P-1"


def leaked(value: object) -> list[str]:
    text = json.dumps(value, default=str)
    return [s for s in SECRETS if s in text]


@pytest.mark.parametrize("reader", ["panel", "sergeant"])
def test_the_pack_of_a_case_has_no_identities_and_coarse_places(case, sergeant, panel, reader):
    referral = services.refer_to_panel(sergeant, case, QUESTION)
    who = {"panel": panel, "sergeant": sergeant}[reader]
    pack = services.review_pack(who, referral.id, face="test").document()
    shown = pack.model_dump(mode="json")
    assert leaked(shown["cases"]) == []
    location = shown["cases"][0]["report"]["location"]
    assert (location["latitude"], location["longitude"]) == (51.54, 0.08)
    assert [p["name"] for p in shown["cases"][0]["persons"]] == ["[withheld]"]
    if reader == "panel":  # the question, typed with a name and a phone, reaches them redacted
        assert leaked(shown["referral"]) == []
        assert "[withheld]" in pack.referral.question
    else:  # the sergeant reads their own question as they wrote it
        assert pack.referral.question == QUESTION


def test_the_pack_of_a_series_has_no_identities_and_coarse_places(
    officer, sergeant, analyst, panel
):
    two_similar_deaths(officer)  # L-1, L-2: a shared phone, 220 m apart
    link = services.list_alerts(analyst, face="test")[0]
    judge(analyst, link.link, Verdict.CONFIRM, "Same phone, same drug.")
    referral = services.refer_to_panel(sergeant, "L-1", "Are these two linked?", series=True)
    pack = services.review_pack(panel, referral.id, face="test")
    assert pack.series is not None
    assert [c.reference for c in pack.series.page.cases] == ["L-1", "L-2"]
    assert {(p.latitude, p.longitude) for p in pack.series.page.points} == {(51.54, 0.08)}
    assert leaked(pack.document().model_dump(mode="json")) == []
    assert [p.state.view.reference for p in pack.pages] == ["L-1", "L-2"]


def test_reading_the_pack_needs_the_sight_of_series(case, sergeant, officer):
    referral = services.refer_to_panel(sergeant, case, QUESTION)
    with pytest.raises(services.Forbidden):
        services.review_pack(officer, referral.id, face="test")


def rules(items: list[services.OverdueItem]) -> list[tuple[str, int | None]]:
    return [(i.rule_id, i.referral) for i in items if i.rule_id.startswith("panel_")]


def test_what_is_owed_to_and_by_the_panel_is_overdue_until_given(case, sergeant, panel):
    referral = services.refer_to_panel(sergeant, case, QUESTION)
    now = services.utcnow()
    later = now + services.ADVICE_WITHIN + timedelta(hours=1)
    assert rules(services.overdue_items(sergeant, now=later - timedelta(days=2))) == []
    assert rules(services.overdue_items(sergeant, now=later)) == [("panel_advice", referral.id)]
    assert rules(services.overdue_items(panel, now=later)) == [("panel_advice", referral.id)]

    advice = services.record_advice(panel, referral.id, "Trace the phone.").advice[0]
    after = advice.at + services.ANSWER_WITHIN + timedelta(hours=1)
    assert rules(services.overdue_items(sergeant, now=after - timedelta(days=2))) == []
    items = services.overdue_items(sergeant, now=after)
    assert rules(items) == [("panel_answer", referral.id)]
    owed = next(i for i in items if i.rule_id == "panel_answer")
    assert owed.reference == case and owed.owner_role == "reviewing_officer"
    assert owed.subject == f"Panel referral {referral.id}"
    board = services.dashboard(sergeant, face="test", now=after)
    assert rules(list(board.overdue.rows)) == [("panel_answer", referral.id)]
    listing = services.dashboard_section(sergeant, "overdue", face="test", now=after, size=100)
    assert rules(listing.rows) == [("panel_answer", referral.id)]
    assert listing.total == board.overdue.count

    services.answer_advice(sergeant, advice.id, True, "The phone is being traced.")
    assert rules(services.overdue_items(sergeant, now=after)) == []
    assert rules(list(services.dashboard(sergeant, face="test", now=after).overdue.rows)) == []


def test_a_restricted_case_owes_nothing_to_those_not_named_on_it(case, sergeant, panel):
    services.restrict_case(sergeant, case, ["panel1"])
    referral = services.refer_to_panel(sergeant, case, QUESTION)
    later = services.utcnow() + services.ADVICE_WITHIN + timedelta(hours=1)
    assert rules(services.overdue_items(sergeant, now=later)) == [("panel_advice", referral.id)]
    outsider = make_user("sergeant2", UserRole.REVIEWING_OFFICER)
    assert rules(services.overdue_items(outsider, now=later)) == []
    assert services.panel_referrals(outsider, face="test") == []
    with pytest.raises(services.NotFound):
        services.review_pack(outsider, referral.id, face="test")
