"""Need-to-know through the interchange format: a restricted case exports the users named on it
(``restricted_to``) and imports restricted to them and the importer, on both import paths (a
case new to the store goes through the bulk path, an existing one through ``import_record``).
The ``import`` permission is enough to restrict a case the import creates; restricting a case
already in the store needs ``restrict_case``. A restriction must name someone who could lift
it. A line that names someone who is not an active user is refused whole; an import never
lifts a restriction."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from django.db import transaction

from tests.conftest import SYSTEM, make_user, suspicious_report
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import access
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import UserRole
from vigil.interchange.record import CaseRecord
from vigil.records import models as m
from vigil.services.access.restriction import named_users
from vigil.services.interchange.importing import import_record

NOW = datetime(2016, 1, 1, tzinfo=UTC)


@pytest.fixture
def importer(db) -> Actor:
    """An administrator: the role that imports (and may not restrict a case by hand)."""
    return make_user("importer1", UserRole.ADMINISTRATOR)


@pytest.fixture
def outsider(db) -> Actor:
    """An investigator named on nothing."""
    return make_user("investigator-x", UserRole.INVESTIGATOR)


def line(reference: str, **fields: object) -> str:
    return CaseRecord(reference=reference, report=suspicious_report(), **fields).model_dump_json(
        exclude_unset=True
    )


def hidden_from(actor: Actor, reference: str) -> bool:
    try:
        services.view_case(actor, reference, face="test")
    except services.NotFound:
        return True
    return False


def audited(reference: str, event: str) -> list[dict]:
    rows = AuditEntry.objects.filter(target_ref=reference, event=event).order_by("seq")
    return [json.loads(row.payload) for row in rows]


def state(reference: str) -> tuple[bool, list[str], int, int]:
    case = m.Case.objects.get(reference=reference)
    return (
        case.restricted,
        named_users(case),
        case.version,
        m.Fact.objects.filter(case=case).count(),
    )


def last_seq() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def export(actor: Actor) -> dict[str, dict]:
    out = io.StringIO()
    services.export_cases(actor, out)
    return {d["reference"]: d for d in map(json.loads, out.getvalue().splitlines())}


def test_an_export_carries_the_named_users_sorted_and_an_open_case_none(sergeant, officer):
    services.open_case(sergeant, "R-1", suspicious_report())
    services.open_case(sergeant, "O-1", suspicious_report())
    services.restrict_case(sergeant, "R-1", ["officer1"])
    lines = export(sergeant)
    assert lines["R-1"]["restricted_to"] == ["officer1", "sergeant1"]
    assert "restricted_to" not in lines["O-1"]
    assert CaseRecord.model_validate(lines["O-1"]).restricted_to == ()


def test_a_round_trip_keeps_the_restriction_and_the_names(sergeant, officer, importer, outsider):
    services.open_case(sergeant, "R-1", suspicious_report())
    services.restrict_case(sergeant, "R-1", ["officer1"])
    exported = export(sergeant)["R-1"]
    # Into a store where the reference is free (the bulk path for new cases).
    exported["reference"] = "R-1-ELSEWHERE"
    report = services.import_lines(importer, [json.dumps(exported)])
    assert (report.created, report.errors) == (1, [])
    restricted, names, _, _ = state("R-1-ELSEWHERE")
    assert restricted and names == ["importer1", "officer1", "sergeant1"]
    assert audited("R-1-ELSEWHERE", "case.restricted") == [{"named": names}]
    assert not hidden_from(officer, "R-1-ELSEWHERE")
    assert hidden_from(outsider, "R-1-ELSEWHERE")
    assert "R-1-ELSEWHERE" not in export(outsider)
    # Exported again by a named user, it carries the same names.
    assert export(sergeant)["R-1-ELSEWHERE"]["restricted_to"] == names


def test_an_import_cannot_restrict_an_open_case_already_in_the_store(
    sergeant, officer, importer, outsider
):
    """Issue 10, item 2: `{"reference": <open case>, "restricted_to": [...]}` imported by an
    administrator (no ``restrict_case``) hid the case from everyone else."""
    services.open_case(sergeant, "U-1", suspicious_report())
    before, seq = state("U-1"), last_seq()
    for names in (("sergeant1",), ("officer1", "sergeant1")):
        restricting = CaseRecord(
            reference="U-1",
            report=suspicious_report(circumstances="Moved after death."),
            restricted_to=names,
        ).model_dump_json(exclude_unset=True)
        report = services.import_lines(importer, [restricting], link=False)
        [error] = report.errors
        assert (error.line, error.field) == (1, "restricted_to")
        assert "only a role that may restrict cases" in error.reason
    assert state("U-1") == before  # open, nobody named, no new facts, same version
    assert not AuditEntry.objects.filter(seq__gt=seq, target_ref="U-1").exists()
    assert not hidden_from(outsider, "U-1")


def test_a_role_that_may_restrict_can_restrict_an_existing_case_once(officer, outsider):
    """Through an import too, restricting needs ``restrict_case``; a reviewing officer's import
    (if their role could import) would restrict, and a second time changes nothing."""
    sergeant_importer = Actor("sergeant-importer", UserRole.REVIEWING_OFFICER)
    services.open_case(officer, "U-2", suspicious_report())
    restricting = line("U-2", restricted_to=("officer1",))
    with transaction.atomic():
        outcome = import_record(sergeant_importer, CaseRecord.model_validate_json(restricting), NOW)
    assert outcome == "updated"
    restricted, names, version, _ = state("U-2")
    assert restricted and names == ["officer1", "sergeant-importer"]
    assert hidden_from(outsider, "U-2") and not hidden_from(officer, "U-2")
    with transaction.atomic():
        again = import_record(sergeant_importer, CaseRecord.model_validate_json(restricting), NOW)
    assert again == "unchanged" and state("U-2")[2] == version


def test_both_paths_in_one_batch_a_reference_seen_twice(officer, sergeant, importer, outsider):
    """The second line restricts the case the first created: the import created it."""
    lines = [line("T-1"), line("T-1", restricted_to=("officer1", "sergeant1"))]
    report = services.import_lines(importer, lines, link=False)
    assert (report.created, report.updated, report.errors) == (1, 1, [])
    assert state("T-1")[:2] == (True, ["importer1", "officer1", "sergeant1"])
    assert hidden_from(outsider, "T-1")


@pytest.mark.parametrize("path", ["new", "update"])
def test_a_restriction_that_names_nobody_who_could_lift_it_is_refused(
    path, officer, importer, outsider
):
    """An administrator's import naming only itself and a response officer would leave a case
    nobody could ever open again: refused, whichever path."""
    make_user("gone-sergeant", UserRole.REVIEWING_OFFICER)
    services.set_active(SYSTEM, "gone-sergeant", False)
    lines = [line("L-1")] if path == "update" else []
    lines += [line("L-1", restricted_to=("officer1",))]
    report = services.import_lines(importer, lines, link=False)
    [error] = report.errors
    assert error.field == "restricted_to"
    assert "names nobody who could lift the restriction" in error.reason
    assert "reviewing officer" in error.reason and "investigator" in error.reason
    if path == "new":
        assert not m.Case.objects.filter(reference="L-1").exists()
    else:
        assert state("L-1")[:2] == (False, [])
    assert not m.CaseAccess.objects.exists()


@pytest.mark.parametrize("path", ["new", "update"])
def test_a_name_that_is_no_active_user_refuses_the_line_and_writes_nothing(
    path, officer, sergeant, importer, outsider
):
    make_user("gone1", UserRole.INVESTIGATOR)
    services.set_active(SYSTEM, "gone1", False)
    if path == "update":
        services.import_lines(importer, [line("X-1")], link=False)
    before = state("X-1") if path == "update" else None
    for number, name in enumerate(["ghost", "gone1"], start=1):
        seq = last_seq()
        bad = CaseRecord(
            reference="X-1",
            report=suspicious_report(circumstances="Found by the river."),
            restricted_to=("officer1", "sergeant1", name),
        ).model_dump_json(exclude_unset=True)
        report = services.import_lines(importer, [line(f"G-{number}"), bad], link=False)
        assert report.created == 1  # the good line is kept
        [error] = report.errors
        assert (error.line, error.reference, error.field) == (2, "X-1", "restricted_to")
        assert f"'{name}'" in error.reason
        audited_now = AuditEntry.objects.filter(seq__gt=seq).values_list("target_ref", flat=True)
        assert list(audited_now) == [f"G-{number}"]
    if path == "new":
        assert not m.Case.objects.filter(reference="X-1").exists()
    else:
        assert state("X-1") == before  # still open, no new facts, same version
        assert not hidden_from(outsider, "X-1")
    assert not m.CaseAccess.objects.filter(case__reference="X-1").exists()


@pytest.mark.parametrize("path", ["new", "earlier in the import"])
def test_the_import_permission_restricts_a_case_the_import_creates(
    path, officer, sergeant, outsider
):
    assert not access.allows(SYSTEM.role, Permission.RESTRICT_CASE)
    assert access.allows(SYSTEM.role, Permission.IMPORT)
    lines = [line("F-1")] if path != "new" else []
    lines += [line("F-1", restricted_to=("officer1", "sergeant1")), line("F-2")]
    # A batch of one line: the case was created by an earlier batch of the same import.
    report = services.import_lines(SYSTEM, lines, link=False, batch=1)
    assert report.errors == []
    assert state("F-1")[:2] == (True, sorted({"officer1", "sergeant1", SYSTEM.username}))
    assert hidden_from(outsider, "F-1") and not hidden_from(officer, "F-1")
    assert not hidden_from(outsider, "F-2")
    # The sergeant named on it may lift it.
    services.unrestrict_case(sergeant, "F-1")
    assert not hidden_from(outsider, "F-1")


def test_an_import_never_lifts_a_restriction(sergeant, outsider):
    admin = make_user("admin1", UserRole.ADMINISTRATOR)  # imports; may not restrict
    services.open_case(sergeant, "N-1", suspicious_report())
    services.restrict_case(sergeant, "N-1", ["admin1"])
    without = {"reference": "N-1", "report": {"circumstances": "Moved after death."}}
    empty = {**without, "report": {"circumstances": "Moved twice."}, "restricted_to": []}
    for data in (without, empty):
        report = services.import_lines(admin, [json.dumps(data)], link=False)
        assert (report.updated, report.errors) == (1, [])
        assert state("N-1")[:2] == (True, ["admin1", "sergeant1"])
        assert hidden_from(outsider, "N-1")
    assert services.view_case(sergeant, "N-1", face="test").view.report.circumstances == (
        "Moved twice."
    )
    assert [e["named"] for e in audited("N-1", "case.restricted")] == [["admin1", "sergeant1"]]
    assert audited("N-1", "case.unrestricted") == []


@pytest.mark.parametrize(
    ("names", "field", "words"),
    [
        (["officer1", "officer1"], "restricted_to.1", "the same username appears twice"),
        (["x" * 151], "restricted_to.0", "at most 150 characters"),
        ([" "], "restricted_to.0", "at least 1 character"),
    ],
)
def test_the_record_refuses_duplicate_or_malformed_names(names, field, words, importer, officer):
    data = {"reference": "V-1", "restricted_to": names}
    report = services.import_lines(importer, [json.dumps(data)], link=False)
    [error] = report.errors
    assert error.field == field and words in error.reason
    assert not m.Case.objects.filter(reference="V-1").exists()
