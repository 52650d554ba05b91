"""Loading the command units: an administrator replaces the whole set from one GeoJSON file.

The file is checked as a whole first (``vigil.domain.units.UnitMap.from_geojson``, whose refusal
names each broken feature in plain words), then every case is placed again with the new
boundaries, in the same transaction: a case keeps the unit its report names, or goes to the
unit its coordinates now fall in.

A unit the new file leaves out cannot take cases with it. If a case would be left without a
unit because its unit is removed (its report names it, or its coordinates fall in no unit of
the new file), the load is refused, naming the unit and how many cases, unless the
administrator says where that unit's cases go (``moves``: old code -> new code). A case moved
so gets the new unit recorded on its report, as a fact by the administrator, audited like any
other; users of a removed unit follow the same moves, or are left without a unit.

The refusal counts every case, restricted or not (an administrator cannot see them all, but
must know why a unit cannot go); it names none.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import limits
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.units import UnitMap, UnitMapError
from vigil.records import models as m
from vigil.records.queries import load_facts
from vigil.services.access.rules import require, use_case
from vigil.services.casework.placement import UNIT_PATH
from vigil.services.casework.unit import finish
from vigil.services.casework.writers.facts import FactBatch, append_facts
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid

CHUNK = 10_000  # cases placed per query of the new map


@dataclass(frozen=True)
class UnitsLoaded:
    """What a load changed: the units now stored, those added and removed, how many cases
    changed unit, and the moves applied (cases and users moved, by the removed unit)."""

    units: int
    added: tuple[str, ...]
    removed: tuple[str, ...]
    cases_placed: int
    cases_moved: dict[str, int]
    users_moved: dict[str, int]


def read_units(data: str | Mapping[str, Any], source: str = "") -> UnitMap:
    """The units of a file's text (or its parsed JSON), checked; ``Invalid`` (field
    ``units``) with every problem in plain words, each naming its feature."""
    try:
        units = UnitMap.from_geojson(data, source=source)
    except UnitMapError as error:
        raise Invalid("units", str(error)) from None
    lead = f"{source}: " if source else ""
    for index, unit in enumerate(units):  # every feature is a unit, in the file's order
        for what, value, most in (
            ("code", unit.code, limits.UNIT_CODE),
            ("name", unit.name, limits.UNIT_NAME),
        ):
            if len(value) > most:
                reason = f"feature {index}'s '{what}' has {len(value)} characters"
                raise Invalid("units", f"{lead}{reason}; a unit's {what} has at most {most}")
    return units


def _outlines(data: Mapping[str, Any]) -> dict[str, str]:
    """Each unit's boundary as GeoJSON text, by code (the file was checked: every feature is
    a unit with a code)."""
    return {
        feature["properties"]["code"].strip(): json.dumps(feature["geometry"])
        for feature in data["features"]
    }


def _check_moves(moves: Mapping[str, str], removed: set[str], units: UnitMap) -> None:
    for old, new in moves.items():
        if old not in removed:
            raise Invalid(
                "moves", f"unit '{old}' is not being removed, so its cases cannot be moved"
            )
        if new not in units:
            raise Invalid("moves", f"cases of '{old}' cannot go to '{new}': it is not in the file")


def _chunks(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while chunk := list(islice(rows, size)):
        yield chunk


@dataclass
class _Plan:
    """Where every case goes: its new unit where that changes (by unit), the cases of a
    removed unit that the moves send elsewhere (by the removed unit), and how many cases a
    removed unit would leave without one (by the removed unit)."""

    placed: dict[str | None, list[int]]
    moved: dict[str, list[int]]
    orphans: Counter[str]


def _plan(units: UnitMap, removed: set[str], moves: Mapping[str, str]) -> _Plan:
    plan = _Plan(defaultdict(list), defaultdict(list), Counter())
    rows = m.Case.objects.order_by("pk").values_list(
        "pk", "unit_id", "latitude", "longitude", "state__location__unit"
    )
    for chunk in _chunks(rows.iterator(chunk_size=CHUNK), CHUNK):
        points = [(lat, lon) for _, _, lat, lon, _ in chunk if lat is not None and lon is not None]
        found = iter(units.units_at(points))
        for pk, current, lat, lon, named in chunk:
            at = next(found) if lat is not None and lon is not None else None
            # As ``placement.unit_for`` places it with the new units: the unit its report
            # names, else the unit its coordinates fall in.
            target = named if named in units else (at.code if at else None)
            # What it would lose: the removed unit its report names, or the removed unit it
            # was in and that its coordinates no longer give it.
            lost = named if named in removed else (current if target is None else None)
            if lost in removed:
                if lost in moves:
                    plan.moved[lost].append(pk)
                else:
                    plan.orphans[lost] += 1
            elif target != current:
                plan.placed[target].append(pk)
    return plan


def _refusal(orphans: Counter[str], names: Mapping[str, str]) -> Invalid:
    parts = [
        f"unit '{code}' ({names[code]}) is not in the new file, but {count} "
        f"case{'s' if count != 1 else ''} would be left without a unit (the report names it, "
        "or the coordinates fall in no unit of the new file)"
        for code, count in sorted(orphans.items())
    ]
    return Invalid("moves", "; ".join(parts) + ": say where their cases go (OLD=NEW)")


def _store(units: UnitMap, outlines: Mapping[str, str], now: datetime) -> None:
    for position, unit in enumerate(units):
        m.Unit.objects.update_or_create(
            code=unit.code,
            defaults={
                "name": unit.name,
                "parent": unit.parent or "",
                "outline": outlines[unit.code],
                "position": position,
                "loaded_at": now,
            },
        )


def _move_case(actor: Actor, pk: int, unit: str, now: datetime) -> None:
    """Record ``unit`` on the case's report (a fact by ``actor``), as any change is."""
    case = m.Case.objects.select_for_update().get(pk=pk)
    batch = FactBatch(now, actor.username, {UNIT_PATH: unit})
    paths = append_facts(case, [batch], now, load_facts(case))
    payload = {"facts": paths, "known_at": now.isoformat(), "moved_by": "units.loaded"}
    finish(case, actor, Event.FACTS_RECORDED, payload, now)


def load_units(
    actor: Actor,
    source: Path | str | Mapping[str, Any],
    *,
    moves: Mapping[str, str] | None = None,
    name: str = "",
) -> UnitsLoaded:
    """Replace the stored units with those of ``source`` (a GeoJSON file's path, its text or
    its parsed JSON; ``name`` names it in messages and the audit row) and place every case
    again; one transaction, audited. ``moves`` says where the cases and users of a removed
    unit go; without it, a removal that would leave cases without a unit is refused."""
    require(actor, Permission.MANAGE_USERS)
    moves = dict(moves or {})
    if isinstance(source, Path):
        name = name or source.name
        try:
            source = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise Invalid("units", f"{name}: the file cannot be read ({error})") from None
    units = read_units(source, name)
    data: Mapping[str, Any] = json.loads(source) if isinstance(source, str) else source
    now = utcnow()
    with use_case(actor):
        stored = {u.code: u.name for u in m.Unit.objects.select_for_update()}
        removed = set(stored) - {unit.code for unit in units}
        _check_moves(moves, removed, units)
        plan = _plan(units, removed, moves)
        if plan.orphans:
            raise _refusal(plan.orphans, stored)
        _store(units, _outlines(data), now)
        for code, pks in plan.placed.items():
            for start in range(0, len(pks), CHUNK):
                m.Case.objects.filter(pk__in=pks[start : start + CHUNK]).update(unit_id=code)
        for old, pks in plan.moved.items():
            for pk in pks:
                _move_case(actor, pk, moves[old], now)
        users: Counter[str] = Counter()
        for old in sorted(removed):
            members = m.Profile.objects.filter(unit_id=old)
            users[old] = members.update(unit_id=moves.get(old))
        m.Unit.objects.filter(code__in=removed).delete()
        moved_cases = {old: len(pks) for old, pks in plan.moved.items()}
        result = UnitsLoaded(
            units=len(units),
            added=tuple(sorted({unit.code for unit in units} - set(stored))),
            removed=tuple(sorted(removed)),
            cases_placed=sum(len(pks) for pks in plan.placed.values()),
            cases_moved=moved_cases,
            users_moved={code: n for code, n in users.items() if n},
        )
        payload = {
            "file": name or "(given directly)",
            "units": result.units,
            "added": list(result.added),
            "removed": list(result.removed),
            "moves": moves,
            "cases_placed": result.cases_placed,
            "cases_moved": result.cases_moved,
            "users_moved": result.users_moved,
        }
        audit.record(actor.username, Event.UNITS_LOADED, "units", "*", payload, at=now)
    return result


__all__ = ["UnitsLoaded", "load_units", "read_units"]
