"""Blocking: which pairs of cases are worth scoring at all.

Scoring every pair of a million cases is 5e11 comparisons; blocking keeps the pairs that could
score high. A pair is a candidate when any rule admits it:

0. **The same spot over years** - found within ``SPOT`` (about 110 m by 100 m at 52 deg N)
   and ``SPOT.days`` (five years): at Barking a fourth death was found 25 m from two others
   a year later.
1. **Same place within a year** - found within ``PLACE.lat`` degrees of latitude and
   ``PLACE.lon`` degrees of longitude (about 1.1 km by 1.0 km at 52 deg N) and within
   ``PLACE.days`` days: the Barking pattern, a few hundred metres and months apart.
2. **Same area within a month** - within ``AREA`` (about 2.8 km by 2.6 km) and ``AREA.days``.
3. **A shared identifier** - a phone, e-mail, address, handle or alias on both cases, at any
   distance and time (Splink explodes the ``identifiers`` arrays).
4. **A shared name** ('name:...' identifier) within ``REGION`` (about 55 km by 50 km and two
   years): common names recur by chance in a large store, so a name alone pairs cases only in
   the same region and period.
5. **A shared rare substance** within ``REGION`` (explodes ``rare_substances``, a scoring
   column: the substances in under 1% of the store's deaths when the pair is scored, see
   ``vigil.linkage.frequency``). In a national store of a million cases that is still
   thousands of cases, so it too pairs cases only in the same region and period.

Cases with no coordinates are paired only by a shared non-name identifier.

A name written in one case's free text that is a person on another (``text_names``) is scored
but does not by itself make a candidate.

A box rule is an exact condition (``abs(l.x - r.x) <= half-width`` in every dimension), but a
database needs an equality to join on. Each dimension is cut into cells a little wider than the
box; two cuts shifted by half a cell mean any two values within the half-width share a cell in
at least one cut. A box rule is therefore written as one Splink rule per combination of cuts
(2 x 2 x 2 = 8 per box; 2 for a region rule, which cuts latitude only and joins on the shared name
or substance as well), each joining on the cell numbers and filtering on the exact box. The
candidate pairs are exactly the pairs inside the box, whatever the grid's alignment: no pair
is lost at a cell boundary.

Each pair is written once, not up to eight times: a rule joining on the shifted cut of a
dimension takes only the pairs that do not share a cell of the unshifted cut (those are the
other rule's), and a box takes only the pairs outside the boxes before it in ``NEAR``. The pairs
are the same; at a million cases blocking took 15 s instead of 25 s and stayed within DuckDB's
memory (before, deduplicating the copies spilled about 800 MB to disk, and the batch's time
varied with the disk's speed; docs/benchmarks.md).

Every rule is given ``arrays_to_explode`` (an empty list for the box rules, which explode
nothing): Splink then materialises each rule's pairs and removes duplicates once, at the end,
instead of making every rule re-test all earlier rules to exclude their pairs. With 29 rules
that halves the time to block a million cases; the pairs are the same either way.

Degrees of longitude shrink towards the poles; the boxes are in degrees so that the cells are
plain arithmetic on the profile's columns and every engine computes the same cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any

# Cells are this much wider than the box, so float rounding at a cell edge cannot lose a pair.
_SLACK = 1.01


@dataclass(frozen=True)
class Box:
    """Half-widths of a space-time box: degrees of latitude and longitude, and days."""

    lat: float
    lon: float
    days: int

    def half_widths(self) -> dict[str, float]:
        return {"latitude": self.lat, "longitude": self.lon, "found_day": self.days}


SPOT = Box(lat=0.001, lon=0.0015, days=5 * 365)
PLACE = Box(lat=0.01, lon=0.015, days=365)
AREA = Box(lat=0.025, lon=0.0375, days=31)
REGION = Box(lat=0.5, lon=0.75, days=730)
NEAR: tuple[Box, ...] = (SPOT, PLACE, AREA)  # the box rules without a shared value
_NAME = "l.identifiers LIKE 'name:%'"


def _cell(side: str, column: str, width: float, shift: float) -> str:
    return f"floor({side}.{column} / {width:g} + {shift:g})"


def _inside(box: Box) -> list[str]:
    return [f"abs(l.{col} - r.{col}) <= {half:g}" for col, half in box.half_widths().items()]


def box_rules(
    box: Box,
    cut: tuple[str, ...] = ("latitude", "longitude", "found_day"),
    also: str = "",
    outside: tuple[Box, ...] = (),
) -> list[str]:
    """The SQL of the rules whose union is exactly the pairs inside ``box`` (and ``also``) and
    outside every box of ``outside``: one rule per combination of shifted cuts of the
    dimensions in ``cut``, no pair admitted by two of them."""
    half = box.half_widths()
    others = [f"NOT ({' AND '.join(_inside(other))})" for other in outside]
    rules = []
    for shifts in product((0.0, 0.5), repeat=len(cut)):
        cells = []
        for col, shift in zip(cut, shifts, strict=True):
            width = round(2 * half[col] * _SLACK, 6)
            cells.append(f"{_cell('l', col, width, shift)} = {_cell('r', col, width, shift)}")
            if shift:  # a pair sharing a cell of the unshifted cut is that rule's
                cells.append(f"{_cell('l', col, width, 0)} <> {_cell('r', col, width, 0)}")
        rules.append(" AND ".join([*([also] if also else []), *cells, *_inside(box), *others]))
    return rules


def rules() -> list[dict[str, Any]]:
    """Splink blocking rules (dicts in DuckDB's dialect), in the order Splink applies them."""
    found: list[dict[str, Any]] = [
        {
            "blocking_rule": f"l.identifiers = r.identifiers AND NOT ({_NAME})",
            "arrays_to_explode": ["identifiers"],
        }
    ]
    found += [
        {"blocking_rule": sql, "arrays_to_explode": ["identifiers"]}
        for sql in box_rules(REGION, ("latitude",), f"l.identifiers = r.identifiers AND {_NAME}")
    ]
    found += [
        {"blocking_rule": sql, "arrays_to_explode": ["rare_substances"]}
        for sql in box_rules(REGION, ("latitude",), "l.rare_substances = r.rare_substances")
    ]
    for i, box in enumerate(NEAR):
        found += [
            {"blocking_rule": sql, "arrays_to_explode": []}
            for sql in box_rules(box, outside=NEAR[:i])
        ]
    return [{**rule, "sql_dialect": "duckdb"} for rule in found]


def admits(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether the rules admit the pair (a, b): the same logic in Python, for tests and for
    choosing candidates outside a database."""

    def near(box: Box) -> bool:
        return all(
            a.get(col) is not None and b.get(col) is not None and abs(a[col] - b[col]) <= half
            for col, half in box.half_widths().items()
        )

    if any(near(box) for box in NEAR):
        return True

    def shared(col: str) -> set[str]:
        return set(a.get(col) or ()) & set(b.get(col) or ())

    if any(not i.startswith("name:") for i in shared("identifiers")):
        return True
    return near(REGION) and bool(shared("identifiers") or shared("rare_substances"))
