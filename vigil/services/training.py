"""What the linkage model learns from: the store's profiles and its solved series, or a
labelled file's cases."""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from typing import Any

from vigil.interchange.record import CaseRecord
from vigil.interchange.view import record_view
from vigil.linkage import profile as linkprofile
from vigil.records import models as m
from vigil.services.batchlink import store_rarity
from vigil.services.linking import stored_profile
from vigil.services.series import series_groups
from vigil.services.unit import utcnow

Rows = list[dict[str, Any]]
Pairs = list[tuple[str, str]]


def from_records(records: list[CaseRecord]) -> tuple[Rows, Pairs]:
    """Profiles of a file's cases, and pairs of cases named in the same ``series``."""
    now = utcnow()
    views = [record_view(r, now)[0] for r in records]
    counts = Counter(s.strip().lower() for v in views for s in set(v.report.toxicology.substances))
    rarity = linkprofile.Rarity(counts=counts, cases=len(views))
    rows = [linkprofile.build(v, rarity).row for v in views]
    members: dict[str, list[str]] = {}
    for record in records:
        if record.series:
            members.setdefault(record.series, []).append(record.reference)
    return rows, [pair for refs in members.values() for pair in combinations(sorted(refs), 2)]


def from_store() -> tuple[Rows, Pairs]:
    """The store's profiles, and pairs of cases in series formed by confirmed links."""
    rarity = store_rarity()
    rows = [
        rarity.split(stored_profile(c).row)
        for c in m.Case.objects.exclude(profile={}).only("profile")
    ]
    return rows, [pair for group in series_groups() for pair in combinations(group, 2)]
