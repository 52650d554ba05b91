"""Appending facts to a case's log, idempotently."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from vigil.domain import facts as factlog
from vigil.domain import kinds
from vigil.domain.facts import FactBatch
from vigil.domain.report import change_problems
from vigil.records import models as m
from vigil.services.casework.placement import unit_problems
from vigil.services.errors import Invalid

__all__ = ["FactBatch", "append_facts", "fact_rows"]


def fact_rows(case: m.Case, facts: Iterable[factlog.Fact], now: datetime) -> list[m.Fact]:
    return [
        m.Fact(
            case=case,
            path=f.path,
            value=f.value,
            known_at=f.known_at,
            recorded_at=now,
            recorded_by=f.recorded_by,
        )
        for f in facts
    ]


def append_facts(
    case: m.Case, batches: Iterable[FactBatch], now: datetime, existing: list[factlog.Fact]
) -> list[str]:
    """Store the facts that are new (see vigil.domain.facts.merge); return their paths.
    Invalid, naming the field, and nothing stored, if they bring in what no report may hold
    (``vigil.domain.report.change_problems``: a time in the future, half a pair of
    coordinates, a section the record's kind does not hold) or a command unit that does not
    exist (``placement.unit_problems``). The record's kind is fixed when it is opened: a fact
    that would change it is refused, naming the field."""
    new = factlog.merge(batches, existing)
    paths = [f.path for f in new]
    kind = kinds.kind_of(case.kind)
    if any(f.path == "kind" and f.value != kind.value for f in new):
        raise Invalid("kind", kinds.fixed(kind))  # set by new_case when the record is opened
    if new:
        latest = factlog.report_from_values(factlog.fold(existing))
        changed = factlog.report_from_values({f.path: f.value for f in new})
        refused = change_problems(latest, changed, paths, now) | unit_problems(changed, paths)
        if refused:
            raise Invalid(*next(iter(refused.items())))
    m.Fact.objects.bulk_create(fact_rows(case, new, now))
    return paths
