"""Linkage over the API: alerts, an alert opened side by side with its explanation, judging,
series with their map points, timeline and links; refusals by role and by need-to-know."""

from __future__ import annotations

import pytest

from vigil import services
from vigil.audit.models import AuditEntry
from vigil.records import models as m


def test_the_analyst_sees_the_alert_awaiting_them(linked_pair, as_user):
    api = as_user("analyst1")
    alerts = api.get("/alerts?mine=true").json()
    assert [(a["link"], a["a"], a["b"]) for a in alerts] == [(linked_pair.pk, "L-1", "L-2")]
    assert any("+447700900461" in reason for reason in alerts[0]["reasons"])
    assert AuditEntry.objects.filter(event="alerts.listed", actor="analyst1").exists()
    board = api.get("/dashboard").json()
    assert [r["link"] for r in board["alerts"]["rows"]] == [linked_pair.pk]


def test_an_alert_opens_both_cases_side_by_side_with_the_explanation(linked_pair, as_user):
    response = as_user("analyst1").get(f"/alerts/{linked_pair.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["a"]["reference"], body["b"]["reference"]) == ("L-1", "L-2")
    assert body["match_weight"] == pytest.approx(linked_pair.match_weight)
    assert {r["feature"] for r in body["reasons"]} >= {"identifiers", "distance"}
    assert all(r["sentence"] for r in body["reasons"])
    assert body["alert"]["analyst"] == "analyst1" and body["alert"]["answered"] is False
    viewed = AuditEntry.objects.filter(event="case.viewed", actor="analyst1")
    assert {e.target_ref for e in viewed} == {"L-1", "L-2"}


def test_the_panel_and_officers_may_not_see_alerts(linked_pair, as_user, panel):
    for username in ("officer1", "panel1"):
        api = as_user(username)
        for path in ("/alerts", f"/alerts/{linked_pair.pk}"):
            response = api.get(path)
            assert response.status_code == 403
            assert response.json()["permission"] == "view_alerts"


@pytest.mark.parametrize("verdict", ["confirm", "reject", "unsure"])
def test_judging_a_link(linked_pair, as_user, verdict):
    api = as_user("analyst1")
    response = api.post(
        f"/alerts/{linked_pair.pk}/judgement", {"verdict": verdict, "reason": "Same phone."}
    )
    assert response.status_code == 200, response.content
    assert response.json()["verdict"] == verdict and response.json()["by"] == "analyst1"
    judgement = m.Judgement.objects.get()
    assert (judgement.verdict, judgement.reason) == (verdict, "Same phone.")
    assert api.get("/alerts?mine=true").json() == []  # answered
    series = api.get("/series").json()
    assert series == (
        [{"name": "Series L-1", "cases": ["L-1", "L-2"]}] if verdict == "confirm" else []
    )


def test_a_judgement_needs_a_reason_and_a_known_verdict(linked_pair, as_user):
    api = as_user("analyst1")
    path = f"/alerts/{linked_pair.pk}/judgement"
    empty = api.post(path, {"verdict": "confirm", "reason": "  "})
    assert empty.status_code == 422 and empty.json()["field"] == "reason"
    unknown = api.post(path, {"verdict": "maybe", "reason": "x"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "verdict"
    assert (
        api.post("/alerts/999999/judgement", {"verdict": "confirm", "reason": "x"}).json()["field"]
        == "link"
    )
    assert not m.Judgement.objects.exists()


def test_an_investigator_may_see_but_not_judge(linked_pair, as_user, investigator):
    api = as_user("investigator1")
    assert api.get(f"/alerts/{linked_pair.pk}").status_code == 200
    response = api.post(
        f"/alerts/{linked_pair.pk}/judgement", {"verdict": "confirm", "reason": "x"}
    )
    assert response.status_code == 403 and response.json()["permission"] == "answer_alert"


def test_a_series_with_its_map_points_timeline_and_links(linked_pair, as_user, panel):
    as_user("analyst1").post(
        f"/alerts/{linked_pair.pk}/judgement", {"verdict": "confirm", "reason": "Same phone."}
    )
    for username in ("analyst1", "panel1"):
        response = as_user(username).get("/series/L-2")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["name"] == "Series L-1"
        assert [c["reference"] for c in body["cases"]] == ["L-1", "L-2"]  # in the order found
        assert {p["reference"] for p in body["points"]} == {"L-1", "L-2"}
        assert [(link["a"], link["b"]) for link in body["links"]] == [("L-1", "L-2")]
    panel_view = as_user("panel1").get("/series/L-1")
    assert b"Alex Testperson" not in panel_view.content
    assert b"+447700900461" not in panel_view.content
    assert as_user("analyst1").get("/series/NOPE").status_code == 404
    assert as_user("officer1").get("/series").json()["permission"] == "view_series"


def test_restricted_cases_vanish_from_alerts_and_series(linked_pair, as_user, sergeant):
    as_user("analyst1").post(
        f"/alerts/{linked_pair.pk}/judgement", {"verdict": "confirm", "reason": "Same phone."}
    )
    m.Alert.objects.update(answered=False)
    services.restrict_case(sergeant, "L-2")
    api = as_user("analyst1")
    assert api.get("/alerts?answered=true").json() == []
    assert api.get(f"/alerts/{linked_pair.pk}").status_code == 404
    assert api.get("/series").json() == []
    assert api.get("/series/L-2").status_code == 404
    assert api.get("/series/L-1").status_code == 404
    refused = api.post(f"/alerts/{linked_pair.pk}/judgement", {"verdict": "reject", "reason": "x"})
    assert refused.status_code == 404
    assert m.Judgement.objects.count() == 1
    named = as_user("sergeant1")
    assert named.get(f"/alerts/{linked_pair.pk}").status_code == 200
    assert named.get("/series/L-1").json()["name"] == "Series L-1"
