"""A value longer than its column is a 422 naming the field, on every database."""

from __future__ import annotations

import pytest

from vigil.domain import limits
from vigil.records import models as m

SEIZED = {
    "kind": "seized",
    "at": "2015-06-01T07:00:00Z",
    "from_holder": "scene",
    "to_holder": "PC 4821",
    "by": "PC 4821",
}


def write(api, path, body):
    return api.post(path, body, **{"If-Match": api.etag("S-1")})


@pytest.mark.parametrize(
    ("path", "body", "field", "words"),
    [
        (
            "/cases/S-1/exhibits",
            {"ref": "E-1", "description": "Cup", "seal_number": "S" * 65, "custody": [SEIZED]},
            "seal_number",
            "at most 64 characters",
        ),
        (
            "/cases/S-1/persons",
            {"ref": "P" * 101, "roles": ["caller"]},
            "ref",
            "at most 100 characters",
        ),
        (
            "/cases/S-1/persons",
            {
                "ref": "P-1",
                "roles": ["friend"],
                "identifiers": [{"kind": "address", "value": "1 Rd " * 60}],
            },
            "identifiers.0",
            "at most 300 are stored",
        ),
    ],
    ids=["seal_number", "person ref", "normalised identifier"],
)
def test_an_over_long_value_is_422_naming_the_field_and_nothing_is_written(
    case, as_user, path, body, field, words
):
    api = as_user("officer1")
    version = m.Case.objects.get().version
    response = write(api, path, body)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert words in response.json()["reason"]
    assert not m.Exhibit.objects.exists() and not m.Person.objects.exists()
    assert m.Case.objects.get().version == version


def test_an_over_long_case_reference_is_422_naming_it(officer, as_user):
    response = as_user("officer1").post("/cases", {"reference": "R" * (limits.REFERENCE + 1)})
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "reference"
    assert response.json()["reason"] == "has 65 characters; a case reference has at most 64"
    assert not m.Case.objects.exists()


# --- free text: a text beyond its bound (``vigil.domain.limits``) is a 422 naming the field,
# whether the API's schema, the domain value the service makes, or the case read back refuses it

LONG = "x" * (limits.NARRATIVE + 1)
NOTE = "x" * (limits.NOTE + 1)
SAID = f"at most {limits.NARRATIVE} characters"
NOTED = f"at most {limits.NOTE} characters"


@pytest.mark.parametrize(
    ("path", "body", "field", "words"),
    [
        ("/cases/S-1/facts", {"report": {"circumstances": LONG}}, "report.circumstances", SAID),
        (
            "/cases/S-1/facts",
            {"report": {"first_account": {"account": LONG}}},
            "report.first_account.account",
            SAID,
        ),
        (
            "/cases/S-1/persons",
            {"ref": "P-9", "roles": ["witness"], "statement": LONG},
            "statement",
            SAID,
        ),
        (
            "/cases/S-1/liaison",
            {
                "person_ref": "P-9",
                "at": "2015-06-01T07:00:00Z",
                "method": "phone",
                "officer": "officer1",
                "summary": LONG,
            },
            "summary",
            SAID,
        ),
        ("/cases/S-1/category", {"category": "homicide", "rationale": NOTE}, "rationale", NOTED),
    ],
    ids=["circumstances", "first account", "statement", "liaison summary", "rationale"],
)
def test_an_over_long_free_text_is_422_naming_it_and_nothing_is_written(
    case, as_user, path, body, field, words
):
    api = as_user("officer1")
    version = m.Case.objects.get().version
    response = write(api, path, body)
    assert response.status_code == 422, response.content[:300]
    assert response.json()["field"] == field
    assert words in response.json()["reason"]
    assert m.Case.objects.get().version == version
    assert not m.CategoryDecision.objects.exists() and not m.LiaisonEntry.objects.exists()


def test_a_text_as_long_as_its_bound_is_kept(case, as_user):
    api = as_user("officer1")
    circumstances = "x" * limits.NARRATIVE
    response = write(api, "/cases/S-1/facts", {"report": {"circumstances": circumstances}})
    assert response.status_code == 200, response.content[:300]
    assert response.json()["report"]["circumstances"] == circumstances


def test_a_text_the_service_stores_as_given_is_refused_when_the_case_is_read_back(
    case, as_user, sergeant
):
    # An action's result and a referral's answer go to the store as given; the case read back
    # through the domain at the end of the use case refuses them, and nothing stays written.
    api = as_user("officer1")
    action = {
        "ref": "A-1",
        "kind": "cctv",
        "title": "Seek CCTV",
        "history": [{"state": "raised", "at": "2015-06-02T08:00:00Z", "by": "officer1"}],
    }
    assert write(api, "/cases/S-1/actions", action).status_code == 200
    version = m.Case.objects.get().version
    step = {"state": "allocated", "owner": "officer1", "result": NOTE}
    response = write(api, "/cases/S-1/actions/A-1/steps", step)
    assert response.status_code == 422, response.content[:300]
    assert (response.json()["field"], m.Case.objects.get().version) == ("result", version)
    assert m.Action.objects.get().result == ""
    referral = {
        "ref": "R-1",
        "to_team": "Homicide team",
        "made_at": "2015-06-02T09:00:00Z",
        "made_by": "officer1",
        "reason": "Second death nearby.",
    }
    assert write(api, "/cases/S-1/referrals", referral).status_code == 200
    answer = {"accept": True, "reason": NOTE}
    response = write(as_user("sergeant1"), "/cases/S-1/referrals/R-1/answer", answer)
    assert response.status_code == 422, response.content[:300]
    assert response.json()["field"] == "answer_reason" and NOTED in response.json()["reason"]
    assert m.Referral.objects.get().state == "pending"
