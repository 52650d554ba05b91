"""Synthetic units files for the tests: squares of longitude and latitude, one feature each."""

from __future__ import annotations

from typing import Any

# (code, name, parent, west, south, east, north): a force over two boroughs side by side, split
# at the Greenwich meridian. The tests' deaths at 51.5386, 0.0811 fall in East.
FORCE = ("F", "Test Force", None, -1.0, 51.0, 1.0, 52.0)
EAST = ("E", "East Borough", "F", 0.0, 51.0, 1.0, 52.0)
WEST = ("W", "West Borough", "F", -1.0, 51.0, 0.0, 52.0)
EAST_ALONE = ("E", "East Borough", None, 0.0, 51.0, 1.0, 52.0)  # a file of East only
EAST_LON, WEST_LON = 0.0811, -0.5


def feature(code: str, name: str, parent: str | None, *box: float) -> dict[str, Any]:
    west, south, east, north = box
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    properties = {"code": code, "name": name, **({"parent": parent} if parent else {})}
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def units_file(*units: tuple[Any, ...]) -> dict[str, Any]:
    """A FeatureCollection of ``units`` (default: the force and both boroughs)."""
    chosen = units or (FORCE, EAST, WEST)
    return {"type": "FeatureCollection", "features": [feature(*u) for u in chosen]}
