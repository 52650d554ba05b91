"""Exporting cases: the interchange JSON Lines (with each fact's history), CSV and GeoJSON.
Only the cases the exporter may see, masked for their role; every export is audited as a
disclosure."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from itertools import groupby
from typing import IO, Any

from django.db import transaction

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import facts as factlog
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.case import CaseView
from vigil.domain.enums import RecordKind
from vigil.domain.masking import mask_view
from vigil.domain.report import DeathReport
from vigil.interchange.record import CaseRecord, ReportUpdate
from vigil.records.queries import load_view
from vigil.services.access.masking import mask_of
from vigil.services.access.restriction import named_users
from vigil.services.access.rules import require, visible_cases

FORMATS = ("jsonl", "csv", "geojson")


def to_record(view: CaseView, restricted_to: Sequence[str] = ()) -> CaseRecord:
    """The case as one interchange line: facts grouped by when they became known. A restricted
    case carries the users named on it (``restricted_to``); an open case leaves it out. The
    record's kind is written in the first report, as the record was opened with it (an import
    refuses a kind that comes later)."""
    groups = [
        (key, {f.path: f.value for f in group if f.path != "kind"})
        for key, group in groupby(
            sorted(view.facts, key=lambda f: (f.known_at, f.seq)),
            key=lambda f: (f.known_at, f.recorded_by),
        )
    ]
    groups = [(key, values) for key, values in groups if values]
    first = groups[0] if groups else None
    if first and view.report.kind is not RecordKind.DEATH:
        first = (first[0], {"kind": view.report.kind.value, **first[1]})
    need_to_know = {"restricted_to": tuple(sorted(restricted_to))} if restricted_to else {}
    return CaseRecord(
        reference=view.reference,
        known_at=first[0][0] if first else None,
        recorded_by=first[0][1] if first else "import",
        report=DeathReport.model_validate(factlog.unflatten(first[1]))
        if first
        else DeathReport(kind=view.report.kind),
        updates=tuple(
            ReportUpdate(
                known_at=known_at,
                recorded_by=by,
                report=DeathReport.model_validate(factlog.unflatten(values)),
            )
            for (known_at, by), values in groups[1:]
        ),
        persons=view.persons,
        liaison=view.liaison,
        exhibits=view.exhibits,
        actions=view.actions,
        referrals=view.referrals,
        decisions=view.decisions,
        **need_to_know,
    )


def _views(actor: Actor, references: list[str] | None) -> Iterator[tuple[CaseView, list[str]]]:
    """The cases the actor may see (of ``references``, if given), masked for their role, each
    with the users named on it if it is restricted (the actor is one of them, so this tells
    them nothing new). A withheld field's facts are left out, not written as '[withheld]', so
    that importing an export never records the mask as a fact (an export is a disclosure, not
    a backup)."""
    query = visible_cases(actor).order_by("reference")
    if references:
        query = query.filter(reference__in=references)
    for case in query.iterator(chunk_size=500):
        view = load_view(case)
        named = named_users(case) if case.restricted else []
        mask = mask_of(actor, case)
        if mask.empty:
            yield view, named
            continue
        masked, _ = mask_view(view, mask)
        kept = tuple(f for f in masked.facts if f.path not in mask.paths)
        yield replace(masked, facts=kept), named


def _csv_row(view: CaseView) -> dict[str, Any]:
    values = factlog.report_facts(view.report, only_set=False)
    row: dict[str, Any] = {"reference": view.reference}
    for path in factlog.FACT_PATHS:
        value = values.get(path)
        row[path] = json.dumps(value) if isinstance(value, list) else value
    row["persons"] = len(view.persons)
    return row


def export_cases(
    actor: Actor,
    out: IO[str],
    *,
    fmt: str = "jsonl",
    references: list[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the cases the actor may see to ``out``, masked for their role; the number
    written. Audited in one disclosure row."""
    require(actor, Permission.EXPORT)
    if fmt not in FORMATS:
        raise ValueError(f"format: '{fmt}' is not one of {', '.join(FORMATS)}")
    count = 0
    writer = None
    features: list[dict[str, Any]] = []
    with transaction.atomic():
        for view, named in _views(actor, references):
            if fmt == "jsonl":
                line = to_record(view, named).model_dump(mode="json", exclude_unset=True)
                out.write(json.dumps(line, sort_keys=True, ensure_ascii=False) + "\n")
            elif fmt == "csv":
                row = _csv_row(view)
                if writer is None:
                    writer = csv.DictWriter(out, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
            else:
                loc = view.report.location
                if loc.latitude is not None and loc.longitude is not None:
                    features.append(
                        {
                            "type": "Feature",
                            "geometry": {
                                "type": "Point",
                                "coordinates": [loc.longitude, loc.latitude],
                            },
                            "properties": {
                                "reference": view.reference,
                                "found_at": view.report.found_at.isoformat()
                                if view.report.found_at
                                else None,
                                "place_type": loc.place_type.value if loc.place_type else None,
                            },
                        }
                    )
            count += 1
            if progress and count % 100 == 0:
                progress(count)
        if fmt == "geojson":
            json.dump({"type": "FeatureCollection", "features": features}, out)
        audit.record(
            actor.username,
            Event.CASES_EXPORTED,
            "cases",
            ",".join(references or ["*"])[:200],
            {"format": fmt, "count": count},
        )
    return count
