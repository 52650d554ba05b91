"""Appending facts to a case's log, idempotently."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vigil.domain import facts as factlog
from vigil.domain.report import DeathReport
from vigil.records import models as m

DEFAULTS: dict[str, Any] = factlog.report_facts(DeathReport(), only_set=False)


@dataclass(frozen=True)
class FactBatch:
    """Facts that became known together."""

    known_at: datetime
    recorded_by: str
    values: Mapping[str, Any]


def append_facts(
    case: m.Case, batches: Iterable[FactBatch], now: datetime, existing: list[factlog.Fact]
) -> list[str]:
    """Append the facts that are new; return their paths.

    A fact is new unless the log already holds the same value for that path as of its
    ``known_at`` (so re-importing a file changes nothing, and an old update arriving late is
    placed at its own time in the history). ``existing`` is the case's log; it is extended.
    """
    new_rows: list[m.Fact] = []
    for batch in sorted(batches, key=lambda b: b.known_at):
        state = factlog.fold(existing, batch.known_at)
        for path, value in batch.values.items():
            if state.get(path, DEFAULTS.get(path)) == value:
                continue
            fact = factlog.Fact(path, value, batch.known_at, batch.recorded_by, len(existing) + 1)
            existing.append(fact)
            new_rows.append(
                m.Fact(
                    case=case,
                    path=path,
                    value=value,
                    known_at=batch.known_at,
                    recorded_at=now,
                    recorded_by=batch.recorded_by,
                )
            )
    m.Fact.objects.bulk_create(new_rows)
    return [row.path for row in new_rows]
