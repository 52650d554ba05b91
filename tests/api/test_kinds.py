"""Records other than deaths over the API (issue 13, item 1): a case is opened and read with its
kind (``report.kind``), listed with it and filtered by it; a change of kind is refused naming
the field; a preview, which is the death policy's, is refused for another kind."""

from __future__ import annotations

from tests.conftest import suspicious_report
from tests.services.test_kinds import drugging
from vigil import services


def test_a_drugging_report_is_opened_read_and_listed_with_its_kind(officer, as_user):
    api = as_user("officer1")
    body = {"reference": "R-1", "report": drugging().model_dump(mode="json", exclude_unset=True)}
    created = api.post("/cases", body)
    assert created.status_code == 201, created.content
    document = created.json()
    assert document["report"]["kind"] == "drugging" and document["evaluation"] is None
    assert api.get("/cases/R-1").json()["report"]["drugging"]["handle"] == "@dan_e6"
    services.open_case(officer, "D-1", suspicious_report())
    listed = api.get("/cases").json()["items"]
    assert {(c["reference"], c["kind"]) for c in listed} == {("R-1", "drugging"), ("D-1", "death")}
    only = api.get("/cases?kind=drugging").json()["items"]
    assert [c["reference"] for c in only] == ["R-1"]
    assert api.get("/cases?kind=burglary").status_code == 422


def test_a_change_of_kind_and_a_preview_are_refused_naming_the_field(officer, as_user):
    services.open_case(officer, "R-1", drugging())
    api = as_user("officer1")
    changed = api.post(
        "/cases/R-1/facts", {"report": {"kind": "death"}}, **{"If-Match": api.etag("R-1")}
    )
    assert changed.status_code == 422 and changed.json()["field"] == "kind"
    preview = api.post("/reports/preview", {"report": {"kind": "drugging"}})
    assert preview.status_code == 422 and preview.json()["field"] == "report.kind"
