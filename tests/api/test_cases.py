"""Cases over the API: list and search, read masked for the role, open, record facts and
persons, categorise; ETag and If-Match; refusals as JSON naming the field or permission."""

from __future__ import annotations

import pytest

from tests.conftest import T0, make_user, suspicious_report
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import UserRole
from vigil.records import models as m

WITHHELD = "[withheld]"


def facts_of(reference: str) -> list[tuple[str, object]]:
    return list(
        m.Fact.objects.filter(case__reference=reference).order_by("pk").values_list("path", "value")
    )


def version_of(reference: str) -> int:
    return m.Case.objects.get(reference=reference).version


# --- listing and searching


def test_list_is_paginated_and_counts_all_the_user_may_see(officer, as_user):
    for n in range(3):
        services.open_case(officer, f"P-{n}", suspicious_report(), known_at=T0)
    api = as_user("officer1")
    first = api.get("/cases?limit=2").json()
    second = api.get("/cases?limit=2&offset=2").json()
    assert first["total"] == second["total"] == 3
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    refs = {c["reference"] for c in first["items"] + second["items"]}
    assert refs == {"P-0", "P-1", "P-2"}
    assert api.get("/cases?limit=0").status_code == 422
    bad = api.get("/cases?limit=1000").json()
    assert bad["field"] == "limit"


def test_listing_and_searching_are_audited_as_consultations(case, as_user):
    api = as_user("officer1")
    api.get("/cases?q=S-")
    hits = api.get("/search?q=Testperson").json()
    assert [h["reference"] for h in hits["hits"]] == ["S-1"]
    listed = AuditEntry.objects.filter(event="cases.listed", actor="officer1")
    assert {e.target_ref for e in listed} == {"S-", "Testperson"}
    assert all(e.verb == "consultation" for e in listed)


def test_search_refuses_a_query_without_words(case, as_user):
    response = as_user("officer1").get("/search?q=%20%20")
    assert response.status_code == 422
    assert response.json()["field"] == "q"


# --- reading


def test_read_is_audited_and_masked_for_the_role(case, as_user, panel, sergeant):
    services.record_facts(
        sergeant,
        "S-1",
        suspicious_report(deceased__sexuality="gay", deceased__drug_use="chemsex"),
    )
    full = as_user("sergeant1").get("/cases/S-1").json()
    assert full["report"]["deceased"]["sexuality"] == "gay"
    assert full["report"]["deceased"]["name"] == "Alex Testperson"
    officer = as_user("officer1").get("/cases/S-1").json()
    assert officer["report"]["deceased"]["sexuality"] == WITHHELD
    assert officer["report"]["deceased"]["name"] == "Alex Testperson"
    redacted = as_user("panel1").get("/cases/S-1")
    assert redacted.status_code == 200
    body = redacted.json()
    assert body["report"]["deceased"]["name"] == WITHHELD
    assert body["report"]["location"]["address"] == WITHHELD
    assert b"Alex Testperson" not in redacted.content
    assert set(
        AuditEntry.objects.filter(event="case.viewed", target_ref="S-1").values_list(
            "actor", flat=True
        )
    ) == {"sergeant1", "officer1", "panel1"}


def test_read_carries_an_etag_and_if_none_match_gives_304(case, as_user, sergeant):
    api = as_user("officer1")
    first = api.get("/cases/S-1")
    tag = first["ETag"]
    assert tag.startswith(f'"{first.json()["version"]}-')
    assert api.get("/cases/S-1")["ETag"] == tag  # the same case reads the same
    unchanged = api.get("/cases/S-1", **{"If-None-Match": tag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    services.record_facts(
        sergeant, "S-1", suspicious_report(circumstances="Found by a dog walker at dawn.")
    )
    changed = api.get("/cases/S-1", **{"If-None-Match": tag})
    assert changed.status_code == 200 and changed["ETag"] != tag


def test_the_etag_differs_by_what_the_reader_may_see(case, as_user, panel):
    assert as_user("officer1").etag("S-1") != as_user("panel1").etag("S-1")


def test_read_as_of_a_past_moment(case, as_user, sergeant):
    services.record_facts(
        sergeant,
        "S-1",
        suspicious_report(toxicology__status="confirmed", toxicology__substances=["ghb"]),
    )
    api = as_user("officer1")
    now = api.get("/cases/S-1").json()
    then = api.get("/cases/S-1?as_of=2015-06-01T07:00:00Z").json()
    assert now["report"]["toxicology"]["substances"] == ["ghb"]
    assert then["report"]["toxicology"]["substances"] == []
    assert api.get("/cases/S-1?as_of=2015-06-01T07:00:00").json()["field"] == "as_of"


def test_a_missing_case_is_404_json(db, officer, as_user):
    response = as_user("officer1").get("/cases/NOPE")
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "field": "reference",
        "reason": "there is no case 'NOPE'",
        "errors": [{"field": "reference", "reason": "there is no case 'NOPE'"}],
    }


def test_a_restricted_case_answers_exactly_as_a_missing_one(case, as_user, sergeant):
    services.restrict_case(sergeant, "S-1")
    api = as_user("officer1")
    hidden = api.get("/cases/S-1")
    missing = api.get("/cases/S-2")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content.replace(b"S-1", b"S-2") == missing.content
    tag = as_user("sergeant1").etag("S-1")
    write = api.post("/cases/S-1/facts", {"report": {"circumstances": "x"}}, **{"If-Match": tag})
    assert write.status_code == 404
    assert api.get("/cases").json()["total"] == 0
    assert b"S-1" not in api.get("/search?q=Testperson").content


# --- opening a case


def test_open_a_case_gives_201_with_location_and_etag(officer, as_user):
    body = {
        "reference": "MPS/2015/7",
        "known_at": "2015-06-02T06:30:00Z",
        "report": {"deceased": {"sex": "male", "age": 24}, "scene": {"phone": "missing"}},
    }
    response = as_user("officer1").post("/cases", body)
    assert response.status_code == 201, response.content
    assert response["Location"] == "/api/cases/MPS/2015/7"
    assert response.json()["version"] == version_of("MPS/2015/7")
    assert response["ETag"] == as_user("officer1").etag("MPS/2015/7")
    assert AuditEntry.objects.filter(event="case.opened", target_ref="MPS/2015/7").exists()


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"reference": "bad ref!"}, "reference", "letters, digits"),
        ({"reference": "X-1", "report": {"deceased": {"age": 200}}}, "report.deceased.age", "130"),
        (
            {"reference": "X-1", "report": {"found_at": "2015-06-01T06:00:00"}},
            "report.found_at",
            "time zone",
        ),
        ({"reference": "X-1", "report": {"scene": {"phone": "lost"}}}, "report.scene.phone", ""),
        ({"reference": "X-1", "report": {"colour": "red"}}, "report.colour", "not permitted"),
        (
            {"reference": "X-1", "report": {"circumstances": "a\u0000b"}},
            "report.circumstances",
            "NUL",
        ),
    ],
)
def test_bad_input_is_422_naming_the_field_and_nothing_is_opened(
    officer, as_user, body, field, words
):
    response = as_user("officer1").post("/cases", body)
    assert response.status_code == 422, response.content
    problem = response.json()
    assert problem["field"] == field
    assert words in problem["reason"]
    assert not m.Case.objects.exists()


def test_a_taken_reference_is_refused(case, as_user):
    response = as_user("officer1").post("/cases", {"reference": "S-1"})
    assert response.status_code == 422
    assert (
        response.json()["reason"] == "'S-1' cannot be used for a new case; give another reference"
    )


# --- writing with If-Match


def test_record_facts_with_the_current_etag(case, as_user):
    api = as_user("officer1")
    tag = api.etag("S-1")
    response = api.post(
        "/cases/S-1/facts",
        {"known_at": "2015-07-20T10:00:00Z", "report": {"toxicology": {"status": "confirmed"}}},
        **{"If-Match": tag},
    )
    assert response.status_code == 200, response.content
    assert response.json()["report"]["toxicology"]["status"] == "confirmed"
    assert response["ETag"] != tag
    assert response["ETag"] == api.etag("S-1")
    assert ("toxicology.status", "confirmed") in facts_of("S-1")


def test_a_write_without_if_match_is_428_and_changes_nothing(case, as_user):
    before = (version_of("S-1"), facts_of("S-1"))
    response = as_user("officer1").post("/cases/S-1/facts", {"report": {"circumstances": "x"}})
    assert response.status_code == 428
    assert response.json()["field"] == "If-Match"
    assert (version_of("S-1"), facts_of("S-1")) == before


def test_a_stale_write_is_412_and_the_case_is_unchanged(case, as_user):
    alice, bob = as_user("officer1"), as_user("officer1")
    tag = alice.etag("S-1")
    assert bob.etag("S-1") == tag
    first = alice.post(
        "/cases/S-1/facts", {"report": {"circumstances": "Alice's words."}}, **{"If-Match": tag}
    )
    assert first.status_code == 200
    after_alice = (version_of("S-1"), facts_of("S-1"))
    stale = bob.post(
        "/cases/S-1/facts", {"report": {"circumstances": "Bob's words."}}, **{"If-Match": tag}
    )
    assert stale.status_code == 412
    assert "has changed since you read it" in stale.json()["reason"]
    assert (version_of("S-1"), facts_of("S-1")) == after_alice
    assert ("circumstances", "Bob's words.") not in facts_of("S-1")
    assert bob.get("/cases/S-1").json()["report"]["circumstances"] == "Alice's words."


@pytest.mark.parametrize("header", ["*", "", 'W/"2-0123456789abcdef"', "2", '"two-x"'])
def test_if_match_must_be_an_etag_this_api_gave(case, as_user, header):
    before = facts_of("S-1")
    response = as_user("officer1").post(
        "/cases/S-1/facts", {"report": {"circumstances": "x"}}, **{"If-Match": header}
    )
    assert response.status_code in (412, 428)
    assert response.json()["field"] == "If-Match"
    assert facts_of("S-1") == before


def test_record_a_person(case, as_user):
    api = as_user("officer1")
    body = {
        "ref": "P-9",
        "name": "Sam Friend",
        "roles": ["friend"],
        "identifiers": [{"kind": "phone", "value": "07700 900123"}],
    }
    response = api.post("/cases/S-1/persons", body, **{"If-Match": api.etag("S-1")})
    assert response.status_code == 200, response.content
    person = next(p for p in response.json()["persons"] if p["ref"] == "P-9")
    phones = [i["normalised"] for i in person["identifiers"] if i["kind"] == "phone"]
    assert phones == ["+447700900123"]
    bad = api.post(
        "/cases/S-1/persons", {"ref": "P-8", "roles": []}, **{"If-Match": api.etag("S-1")}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "roles"


def test_a_role_without_the_permission_gets_403_naming_it(case, as_user, analyst):
    api = as_user("analyst1")
    before = facts_of("S-1")
    response = api.post(
        "/cases/S-1/facts", {"report": {"circumstances": "x"}}, **{"If-Match": api.etag("S-1")}
    )
    assert response.status_code == 403
    assert response.json()["permission"] == "record_case"
    assert response.json()["reason"] == "an analyst may not open cases or record facts and persons"
    assert facts_of("S-1") == before


# --- categorising


def test_sign_off_a_category_and_below_the_floor_needs_an_override(case, as_user, sergeant):
    api = as_user("sergeant1")
    below = api.post(
        "/cases/S-1/category",
        {"category": "unexpected_not_suspicious", "rationale": "Looks like an overdose."},
        **{"If-Match": api.etag("S-1")},
    )
    assert below.status_code == 422
    assert below.json()["field"]
    decided = api.post(
        "/cases/S-1/category",
        {"category": "homicide", "rationale": "Drugged and moved after death."},
        **{"If-Match": api.etag("S-1")},
    )
    assert decided.status_code == 200, decided.content
    evaluation = decided.json()["evaluation"]
    assert evaluation["category"] == "homicide" and evaluation["decided_by"] == "sergeant1"
    empty = api.post(
        "/cases/S-1/category",
        {"category": "homicide", "rationale": " "},
        **{"If-Match": api.etag("S-1")},
    )
    assert empty.status_code == 422 and empty.json()["field"] == "rationale"


# --- who may see a case


def test_restrict_name_unname_and_lift_with_if_match(case, as_user, sergeant, investigator):
    make_user("duty-inspector", UserRole.REVIEWING_OFFICER)
    api = as_user("sergeant1")
    assert api.post("/cases/S-1/restriction", {"names": []}).status_code == 428
    restricted = api.post(
        "/cases/S-1/restriction", {"names": ["investigator1"]}, **{"If-Match": api.etag("S-1")}
    )
    assert restricted.status_code == 200, restricted.content
    assert restricted.json() == {"restricted": True, "named": ["investigator1", "sergeant1"]}
    assert as_user("officer1").get("/cases/S-1").status_code == 404
    tag = api.etag("S-1")
    assert (
        api.post(
            "/cases/S-1/named", {"username": "duty-inspector"}, **{"If-Match": tag}
        ).status_code
        == 204
    )
    assert as_user("duty-inspector").get("/cases/S-1").status_code == 200
    assert api.delete("/cases/S-1/named/duty-inspector", **{"If-Match": tag}).status_code == 204
    assert as_user("duty-inspector").get("/cases/S-1").status_code == 404
    access = api.get("/cases/S-1/access").json()
    assert access == {"restricted": True, "named": ["investigator1", "sergeant1"]}
    nobody = api.post("/cases/S-1/named", {"username": "nobody"}, **{"If-Match": tag})
    assert nobody.status_code == 422 and nobody.json()["field"] == "username"
    assert api.delete("/cases/S-1/restriction", **{"If-Match": tag}).status_code == 204
    assert as_user("officer1").get("/cases/S-1").status_code == 200


def test_restricting_with_a_stale_etag_changes_nothing(case, as_user, sergeant):
    api = as_user("sergeant1")
    tag = api.etag("S-1")
    services.record_facts(sergeant, "S-1", suspicious_report(circumstances="Changed."))
    response = api.post("/cases/S-1/restriction", {"names": []}, **{"If-Match": tag})
    assert response.status_code == 412
    assert not m.Case.objects.get(reference="S-1").restricted
    assert not m.CaseAccess.objects.exists()


def test_an_officer_may_not_restrict(case, as_user):
    api = as_user("officer1")
    response = api.post("/cases/S-1/restriction", {"names": []}, **{"If-Match": api.etag("S-1")})
    assert response.status_code == 403 and response.json()["permission"] == "restrict_case"
