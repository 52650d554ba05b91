import io
import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import SYSTEM, T0, make_user, suspicious_report
from tests.interchange.helpers import signature
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.demo.generate import generate, write_jsonl
from vigil.demo.users import DEMO_USERS
from vigil.domain.facts import FACT_PATHS
from vigil.interchange.record import CaseRecord
from vigil.records import models as m

SCHEMA = Path(__file__).parents[2] / "schema" / "case.schema.json"


def demo_lines(count, seed=1):
    buffer = io.StringIO()
    write_jsonl(generate(count, seed=seed), buffer)
    return buffer.getvalue().splitlines()


def counts():
    return (
        m.Case.objects.count(),
        m.Fact.objects.count(),
        m.Identifier.objects.count(),
        m.CustodyEvent.objects.count(),
        m.ActionStep.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def demo_users(db):
    for username, role, _name in DEMO_USERS:
        make_user(username, role)


def test_reimporting_the_same_file_changes_nothing(demo_users):
    lines = demo_lines(40)
    first = services.import_lines(SYSTEM, lines)
    assert (first.created, first.errors) == (40, [])
    before = counts()
    second = services.import_lines(SYSTEM, lines)
    assert (second.unchanged, second.created, second.updated, second.errors) == (40, 0, 0, [])
    assert counts() == before


def test_a_bad_line_is_refused_by_number_and_the_good_lines_are_kept(officer):
    good = [CaseRecord(reference=f"G-{i}", report=suspicious_report()) for i in range(3)]
    gap = {
        "reference": "BAD-CUSTODY",
        "report": {},
        "exhibits": [
            {
                "ref": "EX1",
                "description": "a note",
                "kind": "note",
                "custody": [
                    {
                        "kind": "seized",
                        "at": "2015-06-01T07:00:00Z",
                        "from_holder": "scene",
                        "to_holder": "PC 1",
                        "by": "PC 1",
                    },
                    {
                        "kind": "booked_in",
                        "at": "2015-06-01T09:00:00Z",
                        "from_holder": "PC 2",
                        "to_holder": "store",
                        "by": "PC 2",
                    },
                ],
            }
        ],
    }
    lines = [
        good[0].model_dump_json(),
        '{"reference": "BROKEN", ',
        good[1].model_dump_json(),
        json.dumps({"reference": "BAD-ENUM", "report": {"scene": {"phone": "lost"}}}),
        json.dumps(gap),
        good[2].model_dump_json(),
    ]
    report = services.import_lines(SYSTEM, lines)
    assert report.created == 3
    found = [(e.line, e.field) for e in report.errors]
    assert found == [
        (2, "(line)"),
        (4, "report.scene.phone"),
        (5, "exhibits.0.custody.1.from_holder"),
    ]
    assert "not valid JSON" in report.errors[0].reason
    assert "'present', 'missing' or 'unknown'" in report.errors[1].reason
    assert "gap in custody" in report.errors[2].reason
    assert sorted(m.Case.objects.values_list("reference", flat=True)) == ["G-0", "G-1", "G-2"]
    assert not m.Exhibit.objects.exists()  # nothing of the refused case was written


def test_same_reference_updates_with_the_new_facts_known_at_times(officer):
    record = CaseRecord(reference="U-1", known_at=T0, report=suspicious_report())
    services.import_lines(SYSTEM, [record.model_dump_json()])
    later = {
        "reference": "U-1",
        "known_at": "2015-07-15T10:00:00Z",
        "report": {"toxicology": {"status": "confirmed", "substances": ["ghb"]}},
    }
    report = services.import_lines(SYSTEM, [json.dumps(later)])
    assert report.updated == 1
    fact = m.Fact.objects.get(case__reference="U-1", path="toxicology.substances")
    assert fact.value == ["ghb"] and fact.known_at.isoformat().startswith("2015-07-15T10:00")
    then = services.view_case(SYSTEM, "U-1", face="test", as_of=T0)
    assert then.view.report.toxicology.status == "pending"


def test_export_then_import_elsewhere_gives_the_same_cases(demo_users):
    records = list(generate(25, seed=3))
    buffer = io.StringIO()
    write_jsonl(records, buffer)
    services.import_lines(SYSTEM, buffer.getvalue().splitlines())
    out = io.StringIO()
    assert services.export_cases(SYSTEM, out) == 25
    exported = {
        r.reference: r
        for r in (CaseRecord.model_validate_json(line) for line in out.getvalue().splitlines())
    }
    for record in records:
        assert signature(exported[record.reference]) == signature(record), record.reference
    assert AuditEntry.objects.filter(event="cases.exported", verb="disclosure").count() == 1


def test_csv_and_geojson_exports(demo_users):
    services.import_lines(SYSTEM, demo_lines(5))
    out = io.StringIO()
    services.export_cases(SYSTEM, out, fmt="csv")
    header = out.getvalue().splitlines()[0].split(",")
    assert header[0] == "reference" and set(FACT_PATHS) <= set(header)
    assert len(out.getvalue().splitlines()) == 6
    geo = io.StringIO()
    services.export_cases(SYSTEM, geo, fmt="geojson")
    features = json.loads(geo.getvalue())["features"]
    assert features and all(f["geometry"]["type"] == "Point" for f in features)


def test_the_schema_file_in_the_repo_is_current():
    current = json.loads(SCHEMA.read_text())
    assert current == CaseRecord.model_json_schema(), "run `make schema` and commit the file"


def test_an_import_without_linking_leaves_the_new_cases_for_a_batch_link(analyst):
    from vigil.services.linkage.batchlink import link_store

    lines = []
    for ref, days, lat in (("NL-1", 0, 51.5386), ("NL-2", 20, 51.5390)):
        report = suspicious_report(
            found_at=T0 + timedelta(days=days),
            reported_at=T0 + timedelta(days=days),
            location__latitude=lat,
            location__longitude=0.0811,
            toxicology__status="confirmed",
            toxicology__substances=["ghb"],
        )
        lines.append(CaseRecord(reference=ref, report=report).model_dump_json())
    report = services.import_lines(SYSTEM, lines, link=False)
    assert report.created == 2 and report.linked is None
    assert not m.CaseLink.objects.exists()
    link_store(analyst, only=["NL-1", "NL-2"])
    assert m.CaseLink.objects.filter(case_a__reference="NL-1", case_b__reference="NL-2").exists()
