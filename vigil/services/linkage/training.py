"""What the linkage model learns from and is calibrated on: the store's profiles and its
solved series, or a labelled file's cases. Rows come annotated with their own store's
frequencies, as they are when linked."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from vigil.interchange.record import CaseRecord
from vigil.interchange.view import record_view
from vigil.linkage import profile as linkprofile
from vigil.linkage.frequency import Frequencies
from vigil.records import models as m
from vigil.services.clock import utcnow
from vigil.services.linkage.linking import stored_profile
from vigil.services.linkage.profiles import store_frequencies
from vigil.services.linkage.series import series_groups

Rows = list[dict[str, Any]]
Pairs = list[tuple[str, str]]


def from_records(records: list[CaseRecord]) -> tuple[Rows, Pairs]:
    """Profiles of a file's cases, and pairs of cases named in the same ``series``."""
    now = utcnow()
    rows = [linkprofile.build(record_view(r, now)[0]).row for r in records]
    frequencies = Frequencies.of_rows(rows)
    members: dict[str, list[str]] = {}
    for record in records:
        if record.series:
            members.setdefault(record.series, []).append(record.reference)
    pairs = [pair for refs in members.values() for pair in combinations(sorted(refs), 2)]
    return [frequencies.annotate(r) for r in rows], pairs


def from_store() -> tuple[Rows, Pairs]:
    """The store's profiles, and pairs of cases in series formed by confirmed links."""
    rows = [stored_profile(c).row for c in m.Case.objects.exclude(profile={}).only("profile")]
    frequencies = store_frequencies(rows)
    pairs = [pair for group in series_groups() for pair in combinations(group, 2)]
    return [frequencies.annotate(r) for r in rows], pairs
