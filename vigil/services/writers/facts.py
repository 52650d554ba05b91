"""Appending facts to a case's log, idempotently."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from vigil.domain import facts as factlog
from vigil.domain.facts import FactBatch
from vigil.records import models as m

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
    """Store the facts that are new (see vigil.domain.facts.merge); return their paths."""
    new = factlog.merge(batches, existing)
    m.Fact.objects.bulk_create(fact_rows(case, new, now))
    return [f.path for f in new]
