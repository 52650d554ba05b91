"""What the series page reads: a series with what its map, timeline and link chart need.

It reads through ``series_of`` (need-to-know: a restricted case the reader is not named on, and
its links, do not exist for them; audited as a consultation of the series) and
``visible_cases``, masks each case and its persons for the reader's role
(``vigil.domain.masking``), and audits a view of each case shown. (An alert opened
side by side is ``vigil.services.linkage.comparison``.)
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from django.conf import settings
from django.db import transaction

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.config.mapsource import map_background
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.masking import WITHHELD, mask_view
from vigil.domain.people import PersonEntry
from vigil.domain.report import DeathReport
from vigil.linkage.geo import great_circle_km
from vigil.records import models as m
from vigil.records.queries import load_view
from vigil.services.access.masking import mask_of
from vigil.services.access.rules import require, visible_cases
from vigil.services.linkage.series import SeriesPage, series_of


@dataclass(frozen=True)
class Side:
    """One case as the reader may see it: its report and persons, masked."""

    reference: str
    report: DeathReport
    persons: tuple[PersonEntry, ...]
    category: str
    hidden_persons: frozenset[str]  # refs of persons whose identity is withheld

    def identifiers(self) -> set[str]:
        """'kind:normalised' of every identifier the reader may see on the case."""
        return {
            f"{i.kind.value}:{i.normalised}"
            for p in self.persons
            for i in p.all_identifiers()
            if i.normalised != WITHHELD and p.ref not in self.hidden_persons
        }


def _side(actor: Actor, case: m.Case) -> Side:
    mask = mask_of(actor, case)
    full = load_view(case)
    view, _ = mask_view(full, mask)
    hidden = frozenset(p.ref for p in full.persons if mask.hides_person(p))
    return Side(case.reference, view.report, view.persons, case.category, hidden)


def metres(lat_a: float, lon_a: float, lat_b: float, lon_b: float) -> int:
    """The distance between two points in whole metres (``vigil.linkage.geo``)."""
    return round(great_circle_km(lat_a, lon_a, lat_b, lon_b) * 1000)


@dataclass(frozen=True)
class Leg:
    """The distance between two cases of the series, both placed on the map."""

    start: str
    end: str
    metres: int

    @property
    def words(self) -> str:
        """'224 m', '1,250 m'; from 10 km on, '12.3 km'."""
        if self.metres >= 10_000:
            return f"{self.metres / 1000:,.1f} km"
        return f"{self.metres:,} m"


MAX_PAIRED = 12  # up to this many placed cases, the distance between every two is listed


def distances(points: list[tuple[str, float, float]]) -> tuple[tuple[Leg, ...], bool]:
    """The distance between every two placed cases, in date order of the first and then the
    second (A to B, A to C, B to C); for a series of more than ``MAX_PAIRED`` placed cases, only
    from each case to the nearest other. The flag says whether every pair is there."""
    pairs = [
        Leg(ref_a, ref_b, metres(lat_a, lon_a, lat_b, lon_b))
        for i, (ref_a, lat_a, lon_a) in enumerate(points)
        for ref_b, lat_b, lon_b in points[i + 1 :]
    ]
    if len(points) <= MAX_PAIRED:
        return tuple(pairs), True
    nearest: list[Leg] = []
    for ref, _, _ in points:
        leg = min((p for p in pairs if ref in (p.start, p.end)), key=lambda p: p.metres)
        if leg not in nearest:
            nearest.append(leg)
    return tuple(nearest), False


@dataclass(frozen=True)
class SeriesChart:
    page: SeriesPage  # cases in date order, confirmed links with their reasons
    sides: tuple[Side, ...]  # the same cases, masked, with their persons
    legs: tuple[Leg, ...]  # from each placed case to the next in date order
    distances: tuple[Leg, ...] = ()  # between the placed cases (``distances``)
    every_pair: bool = True  # whether ``distances`` has every two placed cases

    @property
    def reference(self) -> str:
        """The series' name is its first reference: ``series_of`` finds it by any of them."""
        return self.page.name.removeprefix("Series ")


def series_chart(actor: Actor, reference: str, *, face: str) -> SeriesChart:
    """The series the case is in (``series_of``: need-to-know, masked, audited), with each
    case's persons and identifiers (masked), the distance from each case to the next and the
    distances between its cases (from the masked places: rounded for the advisory panel)."""
    page = series_of(actor, reference, face=face)
    references = [c.reference for c in page.cases]
    with transaction.atomic():
        rows = {c.reference: c for c in visible_cases(actor).filter(reference__in=references)}
        sides = tuple(_side(actor, rows[ref]) for ref in references if ref in rows)
        # The page shows each case's persons and identifiers: a consultation of each case.
        audit.record_many(
            [
                audit.Entry(
                    actor.username,
                    Event.CASE_VIEWED,
                    "case",
                    side.reference,
                    {"face": face, "series": page.name},
                )
                for side in sides
            ]
        )
    legs = tuple(
        Leg(ref_a, ref_b, metres(lat_a, lon_a, lat_b, lon_b))
        for (ref_a, lat_a, lon_a), (ref_b, lat_b, lon_b) in pairwise(page.places)
    )
    between, every_pair = distances(page.places)
    return SeriesChart(page, sides, legs, between, every_pair)


def background_file(actor: Actor) -> Path | None:
    """The GeoJSON vector file the series map is drawn on, when ``VIGIL_MAP_TILES`` names one
    kept on this server, for those who may see series (``Forbidden`` otherwise); else None."""
    require(actor, Permission.VIEW_SERIES)
    return map_background(settings.VIGIL.map_tiles).local_file
