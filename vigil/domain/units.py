"""Command units (boroughs, basic command units, the force above them) as data.

A force describes its units in one GeoJSON FeatureCollection (RFC 7946): each feature is a
Polygon or MultiPolygon whose properties are ``code`` (short, such as ``EA``), ``name`` and,
optionally, ``parent`` (the code of the unit above it, such as the force). Other properties are
ignored, so a boundary file exported from a GIS can be used once these three are added.

``UnitMap.from_geojson`` checks the whole file and refuses a broken one with every problem
found, each naming the feature (counted from 0, as in the file) and the key in plain words, so
an administrator can fix them in one go. A case whose unit is not given is placed by its
coordinates: ``unit_at`` (one point) and ``units_at`` (many at once, vectorised over an
STRtree) return the most specific unit whose outline holds the point.

Coordinates: GeoJSON files hold WGS84 longitude first, then latitude; Vigil's cases store
latitude first. ``unit_at`` and ``units_at`` take ``(lat, lon)`` as the cases do and swap them
themselves, so a caller never swaps anything.

Pure: no Django and no I/O. Reading the file is the caller's business; this module takes the
parsed JSON or its text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.errors import GEOSException
from shapely.geometry import shape
from shapely.validation import explain_validity

POLYGON_TYPES = ("Polygon", "MultiPolygon")
_NOT_DEGREES = "a point is not (latitude, longitude) in degrees"


@dataclass(frozen=True)
class Unit:
    """A command unit: ``code`` is its short code, ``parent`` the code of the unit above it
    (None for the top of the tree, usually the force)."""

    code: str
    name: str
    parent: str | None = None


class UnitMapError(ValueError):
    """A units file is broken. ``key`` is the path inside it (``features[3].properties.code``),
    ``reason`` a sentence naming the feature in plain words, ``others`` any further problems
    found in the same file. ``source`` (the file's name, if the caller gave it) starts the
    message."""

    def __init__(
        self, key: str, reason: str, others: tuple[UnitMapError, ...] = (), source: str = ""
    ) -> None:
        self.key = key
        self.reason = reason
        self.others = others
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        lead = f"{self.source}: " if self.source else ""
        return "\n".join(f"{lead}{p.reason}" for p in (self, *self.others))


@dataclass(frozen=True)
class _Problem:
    key: str
    reason: str


def _text(properties: Mapping[str, Any], index: int, name: str, problems: list[_Problem]) -> str:
    """The property ``name`` as stripped, non-empty text, or '' after noting a problem."""
    key = f"features[{index}].properties.{name}"
    value = properties.get(name)
    if value is None:
        problems.append(_Problem(key, f"feature {index} has no '{name}'"))
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.append(_Problem(key, f"feature {index}'s '{name}' is not a word or a name"))
        return ""
    return value.strip()


def _parent(properties: Mapping[str, Any], index: int, problems: list[_Problem]) -> str | None:
    """The optional ``parent`` property as stripped text; None when absent or null."""
    value = properties.get("parent")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        reason = f"feature {index}'s 'parent' is not a unit's code"
        problems.append(_Problem(f"features[{index}].properties.parent", reason))
        return None
    return value.strip()


def _area(geometry: Any, index: int, problems: list[_Problem]) -> Any:
    """The feature's outline as a shapely (Multi)Polygon, or None after noting a problem."""
    key = f"features[{index}].geometry"
    if not isinstance(geometry, Mapping):
        problems.append(_Problem(key, f"feature {index} has no geometry"))
        return None
    kind = geometry.get("type")
    if kind not in POLYGON_TYPES:
        problems.append(_Problem(key, f"feature {index}'s geometry is not a polygon ({kind!r})"))
        return None
    try:
        area = shape(geometry)
    except (GEOSException, ValueError, TypeError, IndexError, AttributeError, KeyError) as error:
        reason = f"feature {index}'s geometry has malformed coordinates ({error})"
        problems.append(_Problem(f"{key}.coordinates", reason))
        return None
    if area.is_empty:
        problems.append(_Problem(f"{key}.coordinates", f"feature {index}'s geometry is empty"))
        return None
    west, south, east, north = area.bounds
    if west < -180 or east > 180 or south < -90 or north > 90:
        reason = (
            f"feature {index}'s coordinates are not longitude and latitude in degrees "
            "(GeoJSON is WGS84: convert projected ones, such as British National Grid, first)"
        )
        problems.append(_Problem(f"{key}.coordinates", reason))
        return None
    if not area.is_valid:
        reason = f"feature {index}'s geometry is not a valid polygon: {explain_validity(area)}"
        problems.append(_Problem(f"{key}.coordinates", reason))
        return None
    return area


def _features(data: str | Mapping[str, Any], source: str) -> list[Any]:
    """The list of features, or a UnitMapError naming what is wrong with the collection."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as error:
            raise UnitMapError("", f"the file is not JSON ({error})", source=source) from error
    if not isinstance(data, Mapping) or data.get("type") != "FeatureCollection":
        raise UnitMapError("type", "the file is not a GeoJSON FeatureCollection", source=source)
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise UnitMapError("features", "the FeatureCollection has no features", source=source)
    return features


def _cycles(parents: Mapping[str, str | None]) -> list[list[str]]:
    """Each circle of parents once (``['A', 'B']`` when A's parent is B and B's is A)."""
    found: list[list[str]] = []
    settled: set[str] = set()
    for start in parents:
        path: list[str] = []
        code: str | None = start
        while code is not None and code in parents and code not in settled and code not in path:
            path.append(code)
            code = parents[code]
        if code is not None and code in path:
            found.append(path[path.index(code) :])
        settled.update(path)
    return found


def _tree_problems(units: list[Unit], indices: list[int]) -> list[_Problem]:
    """Codes used twice, parents missing from the file, and circles of parents."""
    problems: list[_Problem] = []
    first: dict[str, int] = {}
    for unit, index in zip(units, indices, strict=True):
        if unit.code in first:
            both = f"features {first[unit.code]} and {index}"
            reason = f"two features share the code '{unit.code}' ({both})"
            problems.append(_Problem(f"features[{index}].properties.code", reason))
        else:
            first[unit.code] = index
    for unit, index in zip(units, indices, strict=True):
        if unit.parent is not None and unit.parent not in first:
            reason = f"unit '{unit.code}' names a parent '{unit.parent}' that is not in the file"
            problems.append(_Problem(f"features[{index}].properties.parent", reason))
    for circle in _cycles({u.code: u.parent for u in units}):
        if len(circle) == 1:
            reason = f"unit '{circle[0]}' names itself as its parent"
        else:
            shown = " -> ".join(f"'{code}'" for code in [*circle, circle[0]])
            reason = f"the parents of units go round in a circle: {shown}"
        problems.append(_Problem(f"features[{first[circle[0]]}].properties.parent", reason))
    return problems


class UnitMap:
    """The units of one file and their outlines, ready to place points.

    When several units hold a point, the deepest in the tree wins (a borough before the force
    that contains it); between units equally deep (a point on their shared border, or outlines
    that overlap) the one that comes first in the file wins, so the answer never depends on
    chance.
    """

    def __init__(self, units: Iterable[Unit], areas: Iterable[Any]) -> None:
        """Use ``from_geojson``; this trusts that the units form a tree (it is not checked)."""
        self._units = tuple(units)
        self._by_code = {unit.code: unit for unit in self._units}
        self._areas = np.array(list(areas), dtype=object)
        if len(self._areas) != len(self._units):
            raise ValueError("one outline is needed for each unit")
        shapely.prepare(self._areas)
        self._tree = shapely.STRtree(self._areas)
        depth = np.array([len(self.chain(unit.code)) for unit in self._units])
        # Lower rank wins: deepest first, then file order.
        order = np.lexsort((np.arange(len(depth)), -depth))
        self._rank = np.empty(len(depth), dtype=np.int64)
        self._rank[order] = np.arange(len(depth))

    @classmethod
    def from_geojson(cls, data: str | Mapping[str, Any], source: str = "") -> UnitMap:
        """Check a FeatureCollection (parsed, or its text) and build the map. ``source`` (the
        file's name) starts each error message. Raises UnitMapError listing every problem
        (codes and parents are checked once every feature can be read, so that a parent is
        not reported missing when its feature is merely broken)."""
        features = _features(data, source)
        problems: list[_Problem] = []
        units: list[Unit] = []
        areas: list[Any] = []
        indices: list[int] = []
        for index, feature in enumerate(features):
            if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
                problems.append(_Problem(f"features[{index}]", f"feature {index} is not a Feature"))
                continue
            properties = feature.get("properties")
            if not isinstance(properties, Mapping):
                reason = f"feature {index} has no 'properties'"
                problems.append(_Problem(f"features[{index}].properties", reason))
                continue
            code = _text(properties, index, "code", problems)
            name = _text(properties, index, "name", problems)
            parent = _parent(properties, index, problems)
            area = _area(feature.get("geometry"), index, problems)
            if code and name and area is not None:
                units.append(Unit(code, name, parent))
                areas.append(area)
                indices.append(index)
        if not problems:
            problems = _tree_problems(units, indices)
        if problems:
            first, *others = (UnitMapError(p.key, p.reason, source=source) for p in problems)
            raise UnitMapError(first.key, first.reason, tuple(others), source=source)
        return cls(units, areas)

    def __len__(self) -> int:
        return len(self._units)

    def __iter__(self) -> Iterator[Unit]:  # in file order
        return iter(self._units)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Unit:
        """The unit with this code; KeyError naming it when there is none."""
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"no unit has the code '{code}'") from None

    def chain(self, code: str) -> tuple[Unit, ...]:
        """The unit and the units above it, nearest first: (borough, area, force)."""
        chain = [self.get(code)]
        while (parent := chain[-1].parent) is not None:
            if len(chain) > len(self._units):
                raise ValueError(f"the parents of '{code}' go round in a circle")
            chain.append(self.get(parent))
        return tuple(chain)

    def unit_at(self, lat: float, lon: float) -> Unit | None:
        """The most specific unit whose outline holds the point (on its border counts), or None.
        Takes latitude first, as cases store it."""
        if not (abs(lat) <= 90 and abs(lon) <= 180):
            raise ValueError(_NOT_DEGREES)
        where = shapely.Point(lon, lat)
        held = [int(i) for i in self._tree.query(where) if self._areas[i].covers(where)]
        return self._units[min(held, key=lambda i: int(self._rank[i]))] if held else None

    def units_at(self, points: Iterable[tuple[float, float]]) -> list[Unit | None]:
        """``unit_at`` for many ``(lat, lon)`` points at once, in their order: one tree query
        and one vectorised test against prepared outlines, not a loop over points."""
        coords = np.asarray(list(points), dtype=float).reshape(-1, 2)
        lats, lons = coords[:, 0], coords[:, 1]
        if not (np.all(np.abs(lats) <= 90) and np.all(np.abs(lons) <= 180)):
            raise ValueError(_NOT_DEGREES)
        found: list[Unit | None] = [None] * len(coords)
        if not len(coords):
            return found
        where = shapely.points(lons, lats)
        point_at, area_at = self._tree.query(where)  # candidates whose boxes hold the point
        holds = shapely.covers(self._areas[area_at], where[point_at])
        point_at, area_at = point_at[holds], area_at[holds]
        best = np.lexsort((self._rank[area_at], point_at))  # by point, then best rank first
        point_at, area_at = point_at[best], area_at[best]
        firsts = np.unique(point_at, return_index=True)[1]
        for point, area in zip(point_at[firsts], area_at[firsts], strict=True):
            found[int(point)] = self._units[int(area)]
        return found
