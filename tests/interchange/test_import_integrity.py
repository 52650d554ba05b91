"""An import records no more than its importer may record (issue 10, items 3, 13 and 16), on
both import paths: a case new to the store goes through the bulk path (``bulk.plan``), an
existing one through ``import_record``.

- A category decision from the file is recorded as imported (by whom, from which file and line)
  and is never a Vigil user's decision, sign-off or override.
- An open action belongs to an active user who can see the case.
- The report's rules (no time in the future, no half pair of coordinates) hold as for every face.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import SYSTEM, T0, make_user, suspicious_report
from vigil import services
from vigil.domain import Category, UserRole
from vigil.records import models as m
from vigil.services.readmodels.queues import review_queue

NOT_SUSPICIOUS = Category.UNEXPECTED_NOT_SUSPICIOUS
PATHS = ["new", "update"]


def record(reference: str, **fields: object) -> str:
    data = {"reference": reference, "report": suspicious_report().model_dump(mode="json")}
    return json.dumps(data | fields, default=str)


def lines_for(path: str, reference: str, **fields: object) -> list[str]:
    """The line to test, after (for an update) a line that creates the case, in its own batch
    (``batch=1``), so the second line goes through ``import_record``."""
    first = [record(reference)] if path == "update" else []
    return [*first, record(reference, **fields)]


def forged(**fields: object) -> dict:
    """The decision of issue 10, item 3: below the floor, 'overridden' by a real supervisor."""
    return {
        "category": NOT_SUSPICIOUS.value,
        "rationale": "Overdose; nothing suspicious.",
        "decided_by": "officer1",
        "decided_at": (T0 + timedelta(days=2)).isoformat(),
        "override_by": "sergeant1",
        "override_reason": "Signed off.",
        **fields,
    }


@pytest.mark.parametrize("path", PATHS)
def test_an_imported_override_is_no_supervisors_sign_off(path, officer, sergeant):
    lines = lines_for(path, "D-1", decisions=[forged()])
    report = services.import_lines(SYSTEM, lines, link=False, batch=1, source="cases.jsonl")
    assert report.errors == []
    decision = m.CategoryDecision.objects.get(case__reference="D-1")
    assert decision.decided_by == f"import:{SYSTEM.username}"
    assert (decision.override_by, decision.override_reason) == ("", "")
    assert decision.rationale.startswith("Overdose; nothing suspicious.")
    line = len(lines)
    assert f"Imported by {SYSTEM.username} from cases.jsonl, line {line}" in decision.rationale
    assert "decided by officer1, the floor overridden by sergeant1 (Signed off.)" in (
        decision.rationale
    )
    evaluation = services.view_case(sergeant, "D-1", face="test").evaluation
    assert evaluation.category is NOT_SUSPICIOUS and evaluation.needs_override
    assert evaluation.override_by is None and evaluation.decided_by != "sergeant1"
    # It waits for a real supervisor's override, which then stands.
    assert "D-1" in [row.reference for row in review_queue(sergeant, face="test")[1]]
    services.decide_category(
        sergeant, "D-1", NOT_SUSPICIOUS, "Reviewed.", override_reason="Post-mortem: natural."
    )
    assert not services.view_case(sergeant, "D-1", face="test").evaluation.needs_override


def test_the_same_decision_through_the_service_is_refused(officer):
    """What the import used to let through: an officer's decision below the floor."""
    services.open_case(officer, "D-2", suspicious_report(), known_at=T0)
    with pytest.raises(services.Invalid):
        services.decide_category(officer, "D-2", NOT_SUSPICIOUS, "x", override_reason="y")
    assert not m.CategoryDecision.objects.exists()


def test_importing_the_same_decisions_again_changes_nothing(officer, sergeant):
    line = record("D-3", decisions=[forged(), forged(category="homicide", override_by=None)])
    first = services.import_lines(SYSTEM, [line], link=False)
    assert (first.created, first.errors) == (1, [])
    again = services.import_lines(SYSTEM, [line], link=False)
    assert (again.unchanged, again.errors) == (1, [])
    assert m.CategoryDecision.objects.filter(case__reference="D-3").count() == 2


def allocated(owner: str, **fields: object) -> dict:
    return {
        "ref": "A1",
        "kind": "intelligence_check",
        "title": "Check the caller",
        "owner": owner,
        "history": [
            {"state": "raised", "at": T0.isoformat(), "by": "sergeant1"},
            {"state": "allocated", "at": (T0 + timedelta(hours=1)).isoformat(), "by": "sergeant1"},
        ],
        **fields,
    }


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("owner", ["DC 9999", "gone1"])
def test_an_open_action_for_someone_who_cannot_sign_in_refuses_the_line(
    path, owner, officer, sergeant
):
    make_user("gone1", UserRole.INVESTIGATOR)
    services.set_active(SYSTEM, "gone1", False)
    lines = lines_for(path, "O-1", actions=[allocated(owner)])
    report = services.import_lines(SYSTEM, [record("O-2"), *lines], link=False, batch=1)
    [error] = report.errors
    assert (error.reference, error.field) == ("O-1", "actions.0.owner")
    assert f"there is no active Vigil user '{owner}'" in error.reason
    assert not m.Action.objects.exists()
    assert m.Case.objects.filter(reference="O-2").exists()  # the good line is kept


@pytest.mark.parametrize("path", PATHS)
def test_an_open_action_on_a_restricted_case_belongs_to_someone_named(path, officer, sergeant):
    make_user("investigator9", UserRole.INVESTIGATOR)
    lines = lines_for(
        path, "O-3", restricted_to=["sergeant1"], actions=[allocated("investigator9")]
    )
    report = services.import_lines(SYSTEM, lines, link=False, batch=1)
    [error] = report.errors
    assert error.field == "actions.0.owner" and "not named" in error.reason
    named = lines_for(path, "O-4", restricted_to=["sergeant1"], actions=[allocated("sergeant1")])
    assert services.import_lines(SYSTEM, named, link=False, batch=1).errors == []


def test_a_closed_action_keeps_the_owner_the_file_names(officer):
    done = allocated("DC 1234")
    done["history"] = [
        *done["history"],
        {"state": "completed", "at": (T0 + timedelta(hours=3)).isoformat(), "by": "DC 1234"},
    ]
    report = services.import_lines(SYSTEM, [record("O-5", actions=[done])], link=False)
    assert report.errors == []
    assert m.Action.objects.get(case__reference="O-5").owner == "DC 1234"


def future() -> str:
    return (datetime.now(UTC) + timedelta(days=1)).isoformat()


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"found_at": "FUTURE"}, "report.found_at", "must be in the past"),
        ({"toxicology": {"requested_at": "FUTURE"}}, "report.toxicology.requested_at", "past"),
        ({"location": {"longitude": None}}, "report.location.longitude", "both the latitude"),
    ],
)
def test_the_reports_rules_hold_for_an_import(path, change, field, words, officer):
    text = json.dumps(change).replace('"FUTURE"', json.dumps(future()))
    base = suspicious_report().model_dump(mode="json")
    report_data = base | json.loads(text) if path == "new" else json.loads(text)
    if path == "new" and "location" in change:
        report_data["location"] = base["location"] | change["location"]
    if path == "update":
        assert services.import_lines(SYSTEM, [record("F-1")], link=False).created == 1
    before = (m.Fact.objects.count(), list(m.Case.objects.values_list("reference", "version")))
    line = json.dumps({"reference": "F-1", "report": report_data})
    report = services.import_lines(SYSTEM, [line], link=False)
    [error] = report.errors
    assert (error.reference, error.field) == ("F-1", field) and words in error.reason
    assert (m.Fact.objects.count(), list(m.Case.objects.values_list("reference", "version"))) == (
        before
    )
