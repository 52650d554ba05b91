"""The advisory panel over the API: refer a case or a series, the queue, the pack as the panel
sees it, advice and the answer to it; refusals by role (403 naming the permission) and by
need-to-know (404 as for a referral that does not exist).

Synthetic people only (``tests.conftest``)."""

from __future__ import annotations

import json

from tests.conftest import make_user
from vigil import services
from vigil.domain import UserRole
from vigil.services.linkage.series import Verdict, judge


def test_refer_advise_and_answer(case, as_user, sergeant, panel):
    boss, member = as_user("sergeant1"), as_user("panel1")
    made = boss.post(f"/cases/{case}/panel-referrals", {"question": "Was it categorised early?"})
    assert made.status_code == 200, made.content
    referral = made.json()
    assert (referral["kind"], referral["cases"], referral["status"]) == (
        "case",
        [case],
        "advice_due",
    )

    queue = member.get("/panel/queue").json()
    assert [r["id"] for r in queue] == [referral["id"]]
    pack = member.get(f"/panel/referrals/{referral['id']}")
    assert pack.status_code == 200, pack.content
    body = pack.json()
    assert body["series"] is None and [c["reference"] for c in body["cases"]] == [case]
    assert body["cases"][0]["report"]["deceased"]["name"] == "[withheld]"
    assert "Alex" not in json.dumps(body) and "51.5386" not in json.dumps(body)

    advised = member.post(f"/panel/referrals/{referral['id']}/advice", {"text": "Trace it."})
    assert advised.status_code == 200 and advised.json()["status"] == "answer_due"
    advice_id = advised.json()["advice"][0]["id"]
    answered = boss.post(
        f"/panel/advice/{advice_id}/answer", {"accepted": True, "reason": "Being traced."}
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    listed = boss.get("/panel/referrals").json()
    assert [(r["id"], r["status"]) for r in listed] == [(referral["id"], "answered")]


def test_refer_a_series(linked_pair, as_user, sergeant, analyst):
    judge(analyst, linked_pair.pk, Verdict.CONFIRM, "Same phone, same drug.")
    made = as_user("sergeant1").post("/series/L-2/panel-referrals", {"question": "Linked?"})
    assert made.status_code == 200, made.content
    assert (made.json()["reference"], made.json()["cases"]) == ("L-1", ["L-1", "L-2"])


def test_roles_without_the_permission_are_refused_naming_it(case, as_user, sergeant, panel):
    referral = services.refer_to_panel(sergeant, case, "Was it categorised early?")
    refused = as_user("panel1").post(f"/cases/{case}/panel-referrals", {"question": "Mine?"})
    assert refused.status_code == 403 and refused.json()["permission"] == "refer_to_panel"
    refused = as_user("sergeant1").post(f"/panel/referrals/{referral.id}/advice", {"text": "x"})
    assert refused.status_code == 403 and refused.json()["permission"] == "advise"
    refused = as_user("officer1").get(f"/panel/referrals/{referral.id}")
    assert refused.status_code == 403 and refused.json()["permission"] == "view_series"


def test_a_referral_the_reader_may_not_see_answers_as_one_that_does_not_exist(
    case, as_user, sergeant, panel
):
    services.restrict_case(sergeant, case, ["panel1"])
    referral = services.refer_to_panel(sergeant, case, "Was it categorised early?")
    make_user("panel2", UserRole.PANEL_MEMBER)
    outsider = as_user("panel2")
    hidden = outsider.get(f"/panel/referrals/{referral.id}")
    missing = outsider.get("/panel/referrals/987654")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert outsider.get("/panel/queue").json() == []
    advice = outsider.post(f"/panel/referrals/{referral.id}/advice", {"text": "x"})
    assert advice.status_code == 404
    assert as_user("panel1").get(f"/panel/referrals/{referral.id}").status_code == 200
