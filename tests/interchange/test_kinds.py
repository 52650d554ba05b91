"""Records other than deaths in the interchange file (issue 13, item 1): a line carries its kind
in ``report.kind``; export writes it in the first report, import opens the case of that kind
(both import paths: a new case in bulk, an existing one line by line), and a kind that would
change a record's is refused naming the field. Synthetic people only."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

from tests.conftest import SYSTEM, T0, suspicious_report
from tests.services.test_kinds import drugging, intelligence
from vigil import services
from vigil.domain import DeathReport
from vigil.interchange.record import CaseRecord, ReportUpdate
from vigil.records import models as m


def _exported(actor) -> list[dict]:
    out = io.StringIO()
    services.export_cases(actor, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_export_and_import_keep_each_records_kind(officer, investigator):
    services.open_case(officer, "D-1", suspicious_report())
    services.open_case(officer, "R-1", drugging(), known_at=T0 + timedelta(days=40))
    services.open_case(officer, "I-1", intelligence())
    later = drugging().model_copy(update={"circumstances": "He had a second phone."})
    services.record_facts(officer, "R-1", later, known_at=T0 + timedelta(days=60))
    lines = _exported(SYSTEM)
    kinds = {line["reference"]: line["report"].get("kind", "death") for line in lines}
    assert kinds == {"D-1": "death", "R-1": "drugging", "I-1": "intelligence"}
    r1 = next(line for line in lines if line["reference"] == "R-1")
    assert r1["report"]["drugging"]["handle"] == "@dan_e6"
    assert all("kind" not in u["report"] for u in r1["updates"])
    for line in lines:  # into an empty store, as another force would
        line["reference"] = "X-" + line["reference"]
    m.Alert.objects.all().delete()
    report = services.import_lines(SYSTEM, [json.dumps(line) for line in lines])
    assert (report.created, report.errors) == (3, [])
    stored = dict(
        m.Case.objects.filter(reference__startswith="X-").values_list("reference", "kind")
    )
    assert stored == {"X-D-1": "death", "X-R-1": "drugging", "X-I-1": "intelligence"}
    x = services.view_case(SYSTEM, "X-R-1", face="cli").view.report
    assert (x.kind.value, x.drugging.handle, x.circumstances) == (
        "drugging",
        "@dan_e6",
        "He had a second phone.",
    )
    assert not m.ChecklistItem.objects.filter(case__reference="X-R-1").exists()
    again = services.import_lines(SYSTEM, [json.dumps(line) for line in lines])
    assert (again.unchanged, again.errors) == (3, [])


def test_an_import_that_would_change_a_kind_is_refused(officer):
    services.open_case(officer, "R-1", drugging(), known_at=T0 + timedelta(days=40))
    as_death = CaseRecord(
        reference="R-1", known_at=T0 + timedelta(days=50), report=DeathReport(kind="death")
    )
    refused = services.import_lines(SYSTEM, [as_death.model_dump_json()])
    ((number, field, reason),) = [(e.line, e.field, e.reason) for e in refused.errors]
    assert number == 1 and field.endswith("kind") and "fixed when it is opened" in reason
    update = ReportUpdate.model_validate(
        {"known_at": T0 + timedelta(days=90), "recorded_by": "x", "report": {"kind": "death"}}
    )
    turned = CaseRecord(reference="NEW-1", report=drugging(), updates=(update,))
    new = services.import_lines(SYSTEM, [turned.model_dump_json()])
    assert [e.field for e in new.errors] == ["report.kind"]
    assert not m.Case.objects.filter(reference="NEW-1").exists()
    assert m.Case.objects.get(reference="R-1").kind == "drugging"


def test_the_schema_in_the_repository_describes_the_kinds():
    schema = json.loads((Path(__file__).parents[2] / "schema" / "case.schema.json").read_text())
    defs = schema["$defs"]
    assert defs["DeathReport"]["properties"]["kind"]["default"] == "death"
    assert defs["RecordKind"]["enum"] == ["death", "drugging", "intelligence"]
    assert {"handle", "phone", "wants_contact"} <= set(defs["Drugging"]["properties"])
    assert "person_reported" in defs["Role"]["enum"]
