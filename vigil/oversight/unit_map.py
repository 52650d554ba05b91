"""A map of command units as numbers: each unit's boundary as an SVG path and a circle per
marker drawn inside its unit, sized by a count, for a template to draw with no tile server and
no JavaScript (as ``funnel_plot`` does for the funnel).

Longitude and latitude are drawn on a plain equirectangular projection, longitude shrunk by the
cosine of the map's middle latitude, which is true enough at the size of a force's area. A
circle's area, not its radius, is proportional to its count; a unit with several markers has
them set in a ring around the point inside it (shapely's ``representative_point``, always
inside the boundary).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Marker:
    unit: str  # the unit's code
    label: str  # what the circle stands for, in words (its tooltip)
    value: int


@dataclass(frozen=True)
class Area:
    unit: str
    name: str
    path: str  # the ``d`` attribute of an SVG <path>


@dataclass(frozen=True)
class Circle:
    unit: str
    label: str
    value: int
    cx: float
    cy: float
    r: float


@dataclass(frozen=True)
class UnitMap:
    width: int
    height: int
    areas: tuple[Area, ...]
    circles: tuple[Circle, ...]
    unplaced: tuple[Marker, ...]  # markers whose unit has no boundary


def draw(
    outlines: Mapping[str, tuple[str, str]],
    markers: Sequence[Marker],
    width: int = 640,
    height: int = 480,
    margin: int = 24,
    largest: float = 26.0,
) -> UnitMap:
    """``outlines`` maps a unit's code to (its name, its boundary as GeoJSON text); the map
    fits every boundary in the box, keeping its shape."""
    shapes: dict[str, tuple[str, BaseGeometry]] = {}
    for code, (name, text) in outlines.items():
        geometry = _geometry(text)
        if geometry is not None:
            shapes[code] = (name, geometry)
    if not shapes:
        return UnitMap(width, height, (), (), tuple(markers))
    west, south, east, north = _bounds(g for _, g in shapes.values())
    squash = math.cos(math.radians((south + north) / 2))
    span_x, span_y = max((east - west) * squash, 1e-9), max(north - south, 1e-9)
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    used_w, used_h = span_x * scale, span_y * scale
    width, height = round(used_w + 2 * margin), round(used_h + 2 * margin)

    def at(lon: float, lat: float) -> tuple[float, float]:
        return (
            round(margin + (lon - west) * squash * scale, 1),
            round(margin + (north - lat) * scale, 1),
        )

    areas = tuple(Area(code, name, _path(g, at)) for code, (name, g) in shapes.items())
    biggest = max((m.value for m in markers), default=0) or 1
    circles, unplaced = [], []
    by_unit: dict[str, list[Marker]] = {}
    for marker in markers:
        if marker.unit in shapes:
            by_unit.setdefault(marker.unit, []).append(marker)
        else:
            unplaced.append(marker)
    for code, placed in by_unit.items():
        inside = shapes[code][1].representative_point()
        cx, cy = at(inside.x, inside.y)
        radii = [max(3.0, largest * math.sqrt(m.value / biggest)) for m in placed]
        ring = 0.0 if len(placed) == 1 else max(radii)
        for i, (marker, r) in enumerate(zip(placed, radii, strict=True)):
            angle = 2 * math.pi * i / len(placed) - math.pi / 2
            circles.append(
                Circle(
                    marker.unit,
                    marker.label,
                    marker.value,
                    round(cx + ring * math.cos(angle), 1),
                    round(cy + ring * math.sin(angle), 1),
                    round(r, 1),
                )
            )
    # the largest drawn first, so that a small circle on top of it can still be pointed at
    circles.sort(key=lambda c: -c.r)
    return UnitMap(width, height, areas, tuple(circles), tuple(unplaced))


def _geometry(text: str) -> BaseGeometry | None:
    try:
        data: Any = json.loads(text)
        geometry = shape(data.get("geometry", data) if isinstance(data, dict) else data)
    except (ValueError, TypeError, AttributeError, KeyError):
        return None
    return None if geometry.is_empty else geometry


def _bounds(geometries: Any) -> tuple[float, float, float, float]:
    boxes = [g.bounds for g in geometries]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _path(geometry: BaseGeometry, at: Any) -> str:
    """Every ring of a (Multi)Polygon as one path (holes drawn with the even-odd rule)."""
    polygons = getattr(geometry, "geoms", [geometry])
    parts = []
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            points = [at(x, y) for x, y, *_ in ring.coords]
            parts.append("M" + " L".join(f"{x:g},{y:g}" for x, y in points) + " Z")
    return " ".join(parts)
