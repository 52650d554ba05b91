"""The store counts a drugging report's 'name used' among its first names when a pair is scored
online, as a batch link of the store does (``Frequencies.of_rows`` over the profiles): the same
pair weighs the same either way. Synthetic people only."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import SYSTEM, T0, suspicious_report
from tests.services.test_kinds import drugging
from vigil import services
from vigil.records import models as m
from vigil.services.linkage.batchlink import link_store
from vigil.services.linkage.profiles import frequencies_for


def _report_using(officer, ref: str, name: str) -> None:
    """A report whose person reported used ``name``, a day after the death and where it was."""
    base = drugging()
    given = base.drugging.model_copy(update={"name_used": name, "handle": None, "phone": None})
    place = suspicious_report().location
    when = {"found_at": T0 + timedelta(days=1), "reported_at": T0 + timedelta(days=2)}
    report = base.model_copy(update={"drugging": given, "location": place, **when})
    services.open_case(officer, ref, report)


def _weight(a: str, b: str) -> dict[str, float]:
    link = m.CaseLink.objects.get(case_a__reference=a, case_b__reference=b)
    return {r["feature"]: r["weight"] for r in link.reasons}


def test_the_name_used_is_counted_among_the_stores_first_names(officer):
    _report_using(officer, "R-1", "Gabriel")
    _report_using(officer, "R-2", "Gabriel Testman")
    _report_using(officer, "R-3", "Gabriella")  # another name: not counted
    counted = frequencies_for([{"first_names": ["gabriel"]}])
    assert counted.first_names == {"gabriel": 2}


def test_a_pair_named_by_the_name_used_weighs_the_same_online_and_in_batch(officer, analyst):
    note = {"scene__note_present": True, "scene__note_description": "Ask Gabriel."}
    services.open_case(officer, "D-1", suspicious_report(**note), known_at=T0)
    _report_using(officer, "R-1", "Gabriel")
    online = _weight("D-1", "R-1")
    assert online["text_names"] > 0  # the note's 'Gabriel' is the report's name used
    link_store(SYSTEM, engine="duckdb")
    assert _weight("D-1", "R-1") == online
