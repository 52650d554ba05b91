"""Facts: one value of one field of a death report, with when it became known and who said so.

A report is stored as a log of facts. Folding the facts known by a date gives the report as it
stood on that date, so a case's state on any past day can be reconstructed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from vigil.domain.report import DeathReport


@dataclass(frozen=True, slots=True)
class Fact:
    path: str
    value: Any  # JSON-compatible
    known_at: datetime
    recorded_by: str
    seq: int = 0  # order of recording; breaks ties between facts known at the same moment


def _leaf_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    paths: list[str] = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            paths.extend(_leaf_paths(annotation, f"{prefix}{name}."))
        else:
            paths.append(f"{prefix}{name}")
    return paths


FACT_PATHS: tuple[str, ...] = tuple(_leaf_paths(DeathReport))


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested JSON-mode report data to ``{"scene.phone": "missing", ...}``; lists are leaves."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{path}."))
        else:
            out[path] = value
    return out


def unflatten(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in values.items():
        *parents, leaf = path.split(".")
        node = out
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out


def report_facts(report: DeathReport, *, only_set: bool = True) -> dict[str, Any]:
    """The report's values by path; with ``only_set`` just the fields the author gave."""
    return flatten(report.model_dump(mode="json", exclude_unset=only_set))


def fold(facts: Iterable[Fact], as_of: datetime | None = None) -> dict[str, Any]:
    """The latest value of each path among facts known by ``as_of`` (all facts if None)."""
    ordered = sorted(facts, key=lambda f: (f.known_at, f.seq))
    current: dict[str, Any] = {}
    for fact in ordered:
        if as_of is not None and fact.known_at > as_of:
            break
        current[fact.path] = fact.value
    return current


def report_from_values(values: Mapping[str, Any]) -> DeathReport:
    return DeathReport.model_validate(unflatten(values))


@dataclass(frozen=True, slots=True)
class FactBatch:
    """Facts that became known together."""

    known_at: datetime
    recorded_by: str
    values: Mapping[str, Any]


def _defaults() -> dict[str, Any]:
    return report_facts(DeathReport(), only_set=False)


DEFAULTS: dict[str, Any] = _defaults()


def merge(batches: Iterable[FactBatch], existing: list[Fact]) -> list[Fact]:
    """The facts among ``batches`` that are new; ``existing`` (the case's log) is extended.

    A fact is new unless the log already holds the same value for its path as of its
    ``known_at``, so recording the same facts twice changes nothing, and an update that arrives
    late takes its own place in the history.
    """
    new: list[Fact] = []
    for batch in sorted(batches, key=lambda b: b.known_at):
        state = fold(existing, batch.known_at)
        for path, value in batch.values.items():
            if state.get(path, DEFAULTS.get(path)) == value:
                continue
            fact = Fact(path, value, batch.known_at, batch.recorded_by, len(existing) + 1)
            existing.append(fact)
            new.append(fact)
    return new
