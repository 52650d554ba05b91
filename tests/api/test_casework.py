"""Investigation over the API: liaison and concerns, exhibits and custody, actions, referrals."""

from __future__ import annotations

from tests.conftest import T0
from tests.notices import TEAM_WORDS, leaked, linked
from vigil import services
from vigil.domain import PersonEntry
from vigil.records import models as m


def write(api, path, body, reference="S-1"):
    return api.post(path, body, **{"If-Match": api.etag(reference)})


def test_liaison_concerns_and_answering_one(case, as_user, officer, investigator, panel):
    services.record_person(
        officer, "S-1", PersonEntry(ref="P-NOK", name="Jo Parent", roles=["next_of_kin"])
    )
    api = as_user("investigator1")
    entry = {
        "person_ref": "P-NOK",
        "at": "2015-06-02T10:00:00Z",
        "method": "in_person",
        "officer": "DC 1234",
        "summary": "Told of the death.",
        "concerns": [{"text": "Who was Alex with that night?"}],
    }
    logged = write(api, "/cases/S-1/liaison", entry)
    assert logged.status_code == 200, logged.content
    assert logged.json()["liaison"][0]["summary"] == "Told of the death."
    stranger = write(api, "/cases/S-1/liaison", {**entry, "person_ref": "P-NOBODY"})
    assert stranger.status_code == 422 and stranger.json()["field"] == "person_ref"
    concerns = api.get("/cases/S-1/concerns").json()
    assert [c["text"] for c in concerns] == ["Who was Alex with that night?"]
    # the panel sees the concern with the deceased's name redacted
    assert as_user("panel1").get("/cases/S-1/concerns").json()[0]["text"] == (
        "Who was [withheld] with that night?"
    )
    concern = concerns[0]["id"]
    answered = write(api, f"/cases/S-1/concerns/{concern}/answer", {"answer": "CCTV sought."})
    assert answered.status_code == 200, answered.content
    assert answered.json()["liaison"][0]["concerns"][0]["answer"] == "CCTV sought."
    again = write(api, f"/cases/S-1/concerns/{concern}/answer", {"answer": "Again."})
    assert again.status_code == 422 and again.json()["field"] == "answer"
    missing = write(api, "/cases/S-1/concerns/999999/answer", {"answer": "x"})
    assert missing.status_code == 404 and missing.json()["field"] == "concern"


def test_exhibits_and_an_unbroken_chain_of_custody(case, as_user):
    api = as_user("officer1")
    seized = {
        "kind": "seized",
        "at": "2015-06-01T07:00:00Z",
        "from_holder": "scene",
        "to_holder": "PC 4821",
        "by": "PC 4821",
    }
    exhibit = {"ref": "E-1", "description": "Note", "kind": "note", "custody": [seized]}
    assert write(api, "/cases/S-1/exhibits", exhibit).status_code == 200
    twice = write(api, "/cases/S-1/exhibits", exhibit)
    assert twice.status_code == 422 and twice.json()["field"] == "ref"
    gap = {
        "kind": "booked_in",
        "at": "2015-06-01T09:00:00Z",
        "from_holder": "PC 9999",
        "to_holder": "Property store",
        "by": "PC 9999",
    }
    refused = write(api, "/cases/S-1/exhibits/E-1/custody", gap)
    assert refused.status_code == 422
    assert refused.json()["field"] == "custody.from_holder"
    assert "gap in custody" in refused.json()["reason"]
    assert m.CustodyEvent.objects.count() == 1
    booked = write(api, "/cases/S-1/exhibits/E-1/custody", {**gap, "from_holder": "PC 4821"})
    assert booked.status_code == 200, booked.content
    chain = booked.json()["exhibits"][0]["custody"]
    assert [e["kind"] for e in chain] == ["seized", "booked_in"]
    assert chain[1]["prev_hash"] == chain[0]["hash"]
    assert write(api, "/cases/S-1/exhibits/E-9/custody", gap).status_code == 404


def test_actions_move_one_step_at_a_time(case, as_user):
    api = as_user("officer1")
    action = {
        "ref": "A-1",
        "kind": "cctv",
        "title": "Seek CCTV",
        "history": [{"state": "raised", "at": T0.isoformat(), "by": "PS 1"}],
    }
    assert write(api, "/cases/S-1/actions", action).status_code == 200
    skip = write(api, "/cases/S-1/actions/A-1/steps", {"state": "completed"})
    assert skip.status_code == 422 and "can only become allocated" in skip.json()["reason"]
    nobody = write(api, "/cases/S-1/actions/A-1/steps", {"state": "allocated"})
    assert nobody.status_code == 422 and nobody.json()["field"] == "owner"
    allocated = write(
        api, "/cases/S-1/actions/A-1/steps", {"state": "allocated", "owner": "officer1"}
    )
    assert allocated.status_code == 200
    assert allocated.json()["actions"][0]["owner"] == "officer1"
    # and it is on the officer's dashboard
    rows = api.get("/dashboard").json()["actions"]["rows"]
    assert [(r["reference"], r["ref"]) for r in rows] == [("S-1", "A-1")]


def test_referrals_are_answered_by_a_role_that_may(case, as_user, investigator):
    officer = as_user("officer1")
    referral = {
        "ref": "R-1",
        "to_team": "Homicide and Major Crime Command",
        "made_at": "2015-06-01T08:00:00Z",
        "made_by": "PS 1",
        "reason": "Suspicious.",
    }
    assert write(officer, "/cases/S-1/referrals", referral).status_code == 200
    answer = {"accept": True, "reason": "Accepted."}
    refused = write(officer, "/cases/S-1/referrals/R-1/answer", answer)
    assert refused.status_code == 403 and refused.json()["permission"] == "answer_referral"
    murder_team = as_user("investigator1")
    no_reason = write(
        murder_team, "/cases/S-1/referrals/R-1/answer", {"accept": True, "reason": ""}
    )
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
    accepted = write(murder_team, "/cases/S-1/referrals/R-1/answer", answer)
    assert accepted.status_code == 200
    assert accepted.json()["referrals"][0]["state"] == "accepted"
    assert m.Referral.objects.get().answered_by == "investigator1"


def test_a_notice_of_a_restricted_link_is_read_and_answered_by_the_deaths_analyst(
    db, settings, as_user, sergeant, analyst, investigator
):
    """The case document, dashboard, alerts, search and overdue list give the analyst the
    notice and nothing of the team's record; they answer it with the case's ETag."""
    notice = linked(settings).notice
    api = as_user("analyst1")
    reads = {
        path: api.get(path)
        for path in (
            "/cases/D-1",
            "/cases/D-1/links",
            "/dashboard",
            "/alerts",
            "/search?q=quietfox_test",
            "/overdue",
        )
    }
    assert {path: r.status_code for path, r in reads.items()} == dict.fromkeys(reads, 200)
    assert [path for path, r in reads.items() if leaked(r.content.decode())] == []
    (shown,) = reads["/cases/D-1"].json()["actions"]
    assert (shown["ref"], shown["kind"], shown["title"]) == (notice, "restricted_link", TEAM_WORDS)
    assert [a["ref"] for a in reads["/dashboard"].json()["actions"]["rows"]] == [notice]

    path = f"/cases/D-1/actions/{notice}/answer"
    refused = as_user("investigator1").post(path, {"result": "x"}, **{"If-Match": api.etag("D-1")})
    assert refused.status_code == 403 and refused.json()["permission"] == "answer_alert"
    empty = write(api, path, {"result": " "}, "D-1")
    assert empty.status_code == 422 and empty.json()["field"] == "result"
    missing = write(api, "/cases/D-1/actions/RL-999/answer", {"result": "Asked."}, "D-1")
    assert missing.status_code == 404
    answered = write(api, path, {"result": "Asked safeguarding1; nothing to share yet."}, "D-1")
    assert answered.status_code == 200, answered.content
    (done,) = answered.json()["actions"]
    assert (done["result"], done["history"][-1]["state"]) == (
        "Asked safeguarding1; nothing to share yet.",
        "resulted",
    )
