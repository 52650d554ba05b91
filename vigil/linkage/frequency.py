"""How often a substance or a first name occurs among the store's deaths, at scoring time.

A profile stores every substance found and every first name as they are; how much sharing one
says is decided when a pair is scored, from one :class:`Frequencies` table given to the engine
for both sides (the equivalent of Splink's term-frequency adjustment for lists): two deaths
with GHB get the same weight whichever was saved last, and a store where GHB is in 1 death in
5,000 weighs it more than one where it is in 1 in 50.

:meth:`Frequencies.annotate` adds the scoring columns (``profile.SCORING_COLUMNS``) to a
profile row: each substance and first name prefixed by its frequency band ('0:ghb'), so that
the features' SQL finds the band of a shared one by intersecting the two lists, and the
substances rare enough for the region blocking rule.

An identifier held by ``COMMON_HOLDERS`` or more of the store's cases (a hostel's address, an
outreach line's number) is an institution's, not a person's: ``annotate`` moves it from
``identifiers`` to ``common_identifiers``, so it is neither weighed nor used for blocking, and the
explanation names it as shared but not counted. It is a count of the cases that hold that very
identifier, not a share of the store: unrelated cases added elsewhere never change it.

A substance's share is ``count / (cases + PRIOR_CASES)``: in a young store, ``PRIOR_CASES``
deaths without it are assumed, so that a substance seen twice in ten deaths is not taken as
common. A first name's share is ``count / cases``: in a young store names count as common, so
that 'Ahmed' once in 20 cases is not taken as rare.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from vigil.linkage.features import (
    FIRST_NAME_BANDS,
    SUBSTANCE_BANDS,
    show_substance,
    threshold_level,
)

# A substance in these bands (under 1%) is 'rare' for blocking: two deaths sharing one within
# a region and two years are compared (blocking.py, rule 5).
RARE_BANDS = 2
PRIOR_CASES = 200
# An identifier on this many cases or more is an institution's (see the module's docstring). The
# reconstructed series hold a shared identifier on at most 4 cases; a hostel's on 14 or more.
COMMON_HOLDERS = 6


def band(share: float, bounds: tuple[float, ...]) -> int:
    """The band of a share: the first bound it is under, else the last band."""
    return threshold_level(share, (b - 1e-12 for b in bounds))


def banded(values: Iterable[str], bands: Mapping[str, int]) -> list[str]:
    return sorted(f"{bands[v]}:{v}" for v in set(values))


def unbanded(item: str) -> tuple[int, str]:
    """'0:ghb' -> (0, 'ghb')."""
    level, _, value = item.partition(":")
    return int(level), value


def _percent(share: float) -> str:
    if share == 0:
        return "0%"
    if share < 0.001:
        return "under 0.1%"
    return f"{share * 100:.1f}%" if share < 0.1 else f"{share * 100:.0f}%"


@dataclass(frozen=True)
class Frequencies:
    """In how many of the store's ``cases`` each substance and each first name occurs."""

    substances: Mapping[str, int] = field(default_factory=dict)
    first_names: Mapping[str, int] = field(default_factory=dict)
    cases: int = 0
    prior_cases: int = PRIOR_CASES
    identifiers: Mapping[str, int] = field(default_factory=dict)  # key -> cases holding it
    common_holders: int = COMMON_HOLDERS

    @classmethod
    def of_rows(cls, rows: Iterable[Mapping[str, Any]]) -> Frequencies:
        """Counted over profile rows (a whole store, or a file of cases)."""
        substances: Counter[str] = Counter()
        first_names: Counter[str] = Counter()
        identifiers: Counter[str] = Counter()
        cases = 0
        for row in rows:
            cases += 1
            substances.update(set(row.get("substances") or ()))
            first_names.update(set(row.get("first_names") or ()))
            identifiers.update(
                {*(row.get("identifiers") or ()), *(row.get("common_identifiers") or ())}
            )
        common = {k: n for k, n in identifiers.items() if n >= COMMON_HOLDERS}
        return cls(dict(substances), dict(first_names), cases, identifiers=common)

    def share(self, counts: Mapping[str, int], value: str) -> float:
        return counts.get(value, 0) / (self.cases + self.prior_cases)

    def substance_band(self, substance: str) -> int:
        return band(self.share(self.substances, substance), SUBSTANCE_BANDS)

    def first_name_band(self, name: str) -> int:
        """By the name's share of the store's cases, without assumed cases: a first name is
        common until the store shows otherwise (unlike a substance, rare until seen often)."""
        share = self.first_names.get(name, 0) / max(1, self.cases)
        return band(share, FIRST_NAME_BANDS)

    def is_common(self, key: str) -> bool:
        """Whether an identifier key is held by so many cases that it is an institution's."""
        return self.identifiers.get(key, 0) >= self.common_holders

    def annotate(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """The row with its scoring columns, from this table (the same for every row)."""
        keys = [*(row.get("identifiers") or ()), *(row.get("common_identifiers") or ())]
        substances = list(row.get("substances") or ())
        firsts = {*(row.get("first_names") or ()), *(row.get("text_first_names") or ())}
        name_bands = {n: self.first_name_band(n) for n in firsts}
        subst_bands = {s: self.substance_band(s) for s in substances}
        return {
            **row,
            "identifiers": [k for k in keys if not self.is_common(k)],
            "common_identifiers": [k for k in keys if self.is_common(k)],
            "rare_substances": sorted(s for s, b in subst_bands.items() if b < RARE_BANDS),
            "substance_bands": banded(substances, subst_bands),
            "first_name_bands": banded(row.get("first_names") or (), name_bands),
            "text_first_bands": banded(row.get("text_first_names") or (), name_bands),
        }

    def said(self, substance: str) -> str:
        """'GHB was found in both; it is found in 0.8% of deaths in the store (4 of 500)'."""
        count = self.substances.get(substance, 0)
        share = count / self.cases if self.cases else 0.0
        return (
            f"{show_substance(substance)} was found in both; it is found in {_percent(share)} "
            f"of deaths in the store ({count:,} of {self.cases:,})"
        )

    def holders_said(self, key: str) -> str:
        """'on 14 cases'."""
        return f"on {self.identifiers.get(key, 0):,} cases"

    def name_said(self, name: str) -> str:
        count = self.first_names.get(name, 0)
        share = count / self.cases if self.cases else 0.0
        return (
            f"a first name on {_percent(share)} of the store's cases ({count:,} of {self.cases:,})"
        )
