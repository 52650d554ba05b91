"""Records other than deaths in the same linkage (issue 13, item 1, and its Done-when): a
survivor's report naming a handle and a phone that a friend's statement on a death also holds
raises an alert on the death, explained with the kind of each record; an accidental overlap (a
taxi firm's number, on many cases) does not. Cluster detection stays with deaths. Synthetic
people only; places are invented points in east London."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import SYSTEM, T0, suspicious_report
from tests.services.test_kinds import drugging
from vigil import services
from vigil.audit.events import Event
from vigil.audit.models import AuditEntry
from vigil.domain import PersonEntry
from vigil.linkage.frequency import COMMON_HOLDERS
from vigil.records import models as m
from vigil.services.linkage.batchlink import link_store
from vigil.services.linkage.clusters import scan_after_change, scan_store
from vigil.services.linkage.linking import scorer

TAXI = "020 7946 0123"  # a firm's number (Ofcom's drama range), on many cases
FAR = {"latitude": 51.6500, "longitude": -0.2500}  # about 25 km from the death


def _death(officer, ref: str, statement: str) -> None:
    services.open_case(officer, ref, suspicious_report(), known_at=T0)
    friend = PersonEntry(
        ref=f"P-{ref}",
        name="Robin Testfriend",
        roles=["friend"],
        statement=statement,
    )
    services.record_person(officer, ref, friend)


def _report(officer, ref: str, survivor: str = "Jo Testsurvivor", **given: object) -> None:
    """A survivor's report far from the death and months after it: only what it names can
    link it."""
    base = drugging()
    report = base.model_copy(
        update={
            "deceased": base.deceased.model_copy(update={"name": survivor}),
            "location": base.location.model_copy(update=FAR),
            "drugging": base.drugging.model_copy(update=given),
            "found_at": T0 + timedelta(days=200),
            "reported_at": T0 + timedelta(days=201),
        }
    )
    services.open_case(officer, ref, report)


def _link(a: str, b: str) -> m.CaseLink | None:
    first, second = sorted((a, b))
    return m.CaseLink.objects.filter(case_a__reference=first, case_b__reference=second).first()


def test_a_survivors_report_naming_the_handle_and_phone_in_a_friends_statement_alerts(
    officer, analyst
):
    said = "He went to meet a man he knew as @dan_e6; his number was 07700 900777."
    _death(officer, "D-1", said)
    _report(officer, "R-1", handle="@dan_e6", phone="07700 900777", name_used="Dan")
    link = _link("D-1", "R-1")
    assert link is not None and link.match_weight >= scorer().alert_weight
    alert = m.Alert.objects.get(link=link)
    assert alert.analyst == analyst.username  # a named analyst answers it
    (shared,) = [r["sentence"] for r in link.reasons if r["feature"] == "identifiers"]
    assert "handle" in shared and "+447700900777" in shared
    assert "person reported (Dan) on the drugging report R-1" in shared
    assert "written in the statement of Robin Testfriend on the death D-1" in shared
    listed = services.list_alerts(analyst, face="web")
    assert [(a.a, a.kind_a, a.b, a.kind_b) for a in listed] == [("D-1", "death", "R-1", "drugging")]


def test_a_taxi_firms_number_on_many_cases_raises_no_alert(officer, analyst):
    for i in range(COMMON_HOLDERS):  # the firm's number on cases far apart: an institution's
        ref = f"T-{i}"
        services.open_case(
            officer,
            ref,
            suspicious_report(
                location__latitude=51.40 + 0.05 * i, found_at=T0 + timedelta(days=400 + 30 * i)
            ),
        )
        services.record_person(
            officer,
            ref,
            PersonEntry(
                ref=f"P-T{i}",
                roles=["witness"],
                statement=f"The taxi firm on {TAXI} took him home.",
            ),
        )
    _death(officer, "D-1", f"He called a cab on {TAXI} at 2am.")
    _report(officer, "R-1", handle=None, name_used=None, phone=TAXI)
    link = _link("D-1", "R-1")
    assert not m.Alert.objects.filter(link__case_a__reference__in=["D-1", "R-1"]).exists()
    assert not m.Alert.objects.filter(link__case_b__reference__in=["D-1", "R-1"]).exists()
    if link is not None:  # kept for browsing at most, and said to be an institution's
        assert "an institution's: not weighed" in " | ".join(r["sentence"] for r in link.reasons)


def test_two_reports_naming_one_handle_alert_and_batch_linking_says_the_same(officer, analyst):
    _report(officer, "R-1", phone=None, name_used=None)
    _report(officer, "R-2", "Alex Testsurvivor", phone=None, name_used=None)
    online = _link("R-1", "R-2")
    assert online is not None and m.Alert.objects.filter(link=online).exists()
    words = " | ".join(r["sentence"] for r in online.reasons)
    assert "on the drugging report R-1" in words and "on the drugging report R-2" in words
    link_store(SYSTEM, engine="duckdb")
    again = _link("R-1", "R-2")
    assert again is not None and round(again.match_weight, 2) == round(online.match_weight, 2)
    weights = {r["feature"]: r["weight"] for r in online.reasons}
    assert {r["feature"]: r["weight"] for r in again.reasons} == weights
    assert "person reported on the drugging report R-2" in again.reasons[0]["sentence"]


def test_cluster_detection_leaves_other_kinds_out(officer, analyst):
    """Two young men's deaths and a young man's drugging report in one place and month: the
    scan counts the deaths only, and a report is never checked for clusters."""
    for ref, days in (("D-1", 0), ("D-2", 9)):
        when = T0 + timedelta(days=days)
        services.open_case(officer, ref, suspicious_report(found_at=when), known_at=when)
    same_place = suspicious_report().location.model_dump(exclude_unset=True)
    base = drugging()
    report = base.model_copy(
        update={"location": base.location.model_copy(update=same_place), "found_at": T0}
    )
    services.open_case(officer, "R-1", report)
    scanned = scan_store(SYSTEM)
    assert scanned.profiles and all(p.cases <= 2 for p in scanned.profiles)
    assert any(p.cases == 2 for p in scanned.profiles)
    assert scan_after_change(m.Case.objects.get(reference="R-1"), officer) == []
    checks = AuditEntry.objects.filter(event=Event.CASE_SCANNED.code)
    assert set(checks.values_list("target_ref", flat=True)) == {"D-1", "D-2"}
