"""Which command unit a case belongs to, worked out on every change to it.

A report may name its unit (``location.unit``, a fact like any other: the officer knows the case
is the borough's even when it was found over the border); otherwise the case belongs to the
most specific unit whose boundary holds its coordinates (``vigil.domain.units.UnitMap``), and
to none when it has no coordinates or they fall outside every unit.

The units are read from the store once and kept in memory, per process: each use asks the
store only for the number of units and when the last set was loaded (one small query), and
builds the map again when either has changed, so a file loaded by another process counts at
its next use here.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max
from shapely.geometry import shape

from vigil.domain.report import DeathReport
from vigil.domain.units import Unit, UnitMap
from vigil.records import models as m

UNIT_PATH = "location.unit"
CODES_LISTED = 30  # a refusal lists the codes to choose from when there are at most this many


@dataclass(frozen=True)
class _Loaded:
    """The map as built from the store, and what the store looked like then."""

    count: int
    loaded_at: datetime | None
    units: UnitMap | None


_lock = threading.Lock()
_loaded = _Loaded(0, None, None)


def _build(rows: list[m.Unit]) -> UnitMap | None:
    """The map of the stored units (in file order), or None when there are none. The stored
    set was checked as a whole when it was loaded, so it is trusted to form a tree."""
    if not rows:
        return None
    units = [Unit(r.code, r.name, r.parent or None) for r in rows]
    return UnitMap(units, [shape(json.loads(r.outline)) for r in rows])


def current_units() -> UnitMap | None:
    """The stored units as a map (None when none are loaded), rebuilt only when they changed."""
    global _loaded
    seen = m.Unit.objects.aggregate(count=Count("pk"), loaded_at=Max("loaded_at"))
    with _lock:
        if (seen["count"], seen["loaded_at"]) != (_loaded.count, _loaded.loaded_at):
            rows = list(m.Unit.objects.order_by("position", "pk"))
            latest = max((r.loaded_at for r in rows), default=None)
            _loaded = _Loaded(len(rows), latest, _build(rows))
        return _loaded.units


def unit_for(report: DeathReport, units: UnitMap | None) -> str | None:
    """The code of the unit a case with this report belongs to: the one it names, if that unit
    exists, else the one its coordinates fall in; None when neither gives one."""
    named = report.location.unit
    if units is None:
        return None
    if named and named in units:
        return named
    lat, lon = report.location.latitude, report.location.longitude
    if lat is None or lon is None:
        return None
    found = units.unit_at(lat, lon)
    return found.code if found else None


def place(report: DeathReport) -> str | None:
    """``unit_for`` with the stored units."""
    return unit_for(report, current_units())


def unit_problems(changed: DeathReport, paths: Collection[str]) -> dict[str, str]:
    """A unit a change names that does not exist, by field (as ``change_problems`` gives the
    report's own problems): the change is refused, never stored naming no unit."""
    code = changed.location.unit
    if UNIT_PATH not in paths or not code:
        return {}
    units = current_units()
    if units is None:
        return {UNIT_PATH: "No command units are loaded yet, so leave the unit empty"}
    if code in units:
        return {}
    codes = [unit.code for unit in units]
    choose = f": choose one of {', '.join(codes)}" if len(codes) <= CODES_LISTED else ""
    return {UNIT_PATH: f"There is no command unit '{code}'{choose}"}
