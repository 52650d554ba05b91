"""Replay: cases fed into a fresh store in the order their facts became known, through the same
services, to see when the engine would have raised each true series.

Each record may name its true ``series`` (the engine never reads it). For each series the
report gives the first alert between two of its cases (which case was being saved, on what
date, how many days after the series began), whether all its cases were joined by alerts and
when, and, over the whole replay, the false alerts (between cases not in one series) per 100
cases. Only what linkage reads is replayed: the report, its later updates and the persons.

Replaying needs the ``import`` permission; the cases are then written, as an import writes them,
through the response officer's use cases (the file's cases, not the operator's casework).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import UserRole
from vigil.interchange.record import CaseRecord
from vigil.linkage.clusters import Components
from vigil.records import models as m
from vigil.services.access import require
from vigil.services.cases import open_case, record_facts, record_person
from vigil.services.errors import Invalid


@dataclass(order=True)
class _Event:
    at: datetime
    order: int
    reference: str = field(compare=False)
    apply: Callable[[], object] = field(compare=False)


def _events(actor: Actor, records: list[CaseRecord]) -> list[_Event]:
    events: list[_Event] = []
    for number, record in enumerate(records):
        base = record.known_at or _when(record)
        ref = record.reference
        events.append(
            _Event(
                base,
                number * 1000,
                ref,
                partial(open_case, actor, ref, record.report, known_at=base),
            )
        )
        for index, person in enumerate(record.persons):
            events.append(
                _Event(
                    max(person.known_at or base, base),
                    number * 1000 + 1 + index,
                    ref,
                    partial(record_person, actor, ref, person),
                )
            )
        for index, update in enumerate(record.updates):
            events.append(
                _Event(
                    max(update.known_at, base),
                    number * 1000 + 500 + index,
                    ref,
                    partial(record_facts, actor, ref, update.report, known_at=update.known_at),
                )
            )
    return sorted(events)


def _when(record: CaseRecord) -> datetime:
    when = record.report.found_at or record.known_at or record.report.reported_at
    if when is None:
        raise Invalid(f"{record.reference}.known_at", "a replayed case needs a known_at")
    return when


def _start_of(records: Iterable[CaseRecord]) -> datetime:
    return min(_when(r) for r in records)


def replay(
    actor: Actor, records: list[CaseRecord], progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """Replay ``records`` into the (fresh) store; the report described in the module doc."""
    require(actor, Permission.IMPORT)
    if m.Case.objects.exists():
        raise Invalid("store", "replay needs an empty store (set VIGIL_DATABASE_URL)")
    truth = {r.reference: r.series for r in records}
    members: dict[str, list[CaseRecord]] = {}
    for record in records:
        if record.series:
            members.setdefault(record.series, []).append(record)
    joined = Components()
    series: dict[str, dict[str, Any]] = {
        name: {
            "cases": len(cases),
            "started": _start_of(cases).isoformat(),
            "first_alert_case": None,
            "first_alert_date": None,
            "days_from_start": None,
            "joined": False,
            "joined_date": None,
        }
        for name, cases in members.items()
    }
    false_alerts, seen = 0, 0
    events = _events(Actor(actor.username, UserRole.RESPONSE_OFFICER), records)
    for done, event in enumerate(events, start=1):
        event.apply()
        for alert in (
            m.Alert.objects.filter(pk__gt=seen)
            .select_related("link__case_a", "link__case_b")
            .order_by("pk")
        ):
            seen = alert.pk
            a, b = alert.link.case_a.reference, alert.link.case_b.reference
            name = truth.get(a)
            if not name or name != truth.get(b):
                false_alerts += 1
                continue
            entry = series[name]
            if entry["first_alert_case"] is None:
                start = _start_of(members[name])
                entry.update(
                    first_alert_case=event.reference,
                    first_alert_date=event.at.isoformat(),
                    days_from_start=round((event.at - start).total_seconds() / 86400, 1),
                )
            joined.join(a, b)
            if not entry["joined"] and joined.together(r.reference for r in members[name]):
                entry.update(joined=True, joined_date=event.at.isoformat())
        if progress:
            progress(done, len(events))
    return {
        "cases": len(records),
        "events": len(events),
        "series": series,
        "false_alerts": false_alerts,
        "false_alerts_per_100": round(100 * false_alerts / max(len(records), 1), 2),
    }
