"""The one writer of links and alerts, and of the marks that make linking durable.

Online linking (one case, in its use case's transaction) and batch linking (the store, or the
cases an import created) both score pairs and hand them here: each pair worth keeping is stored
with its score, explanation and model version; a pair at or above the alert threshold that has
no alert yet becomes one, assigned to a named analyst (``assignment``). An alert joining a death
to a restricted record its analyst may not see raises a notice on the death (``notices``).

Durability: every case carries ``link_pending``. It is set in the same transaction as any change
to the case's facts (a new case is pending from birth; ``mark_pending`` on every change) and
cleared here, in the transaction that stores its links (``mark_linked``). A crash between the
two, say a kill -9 during an import's linking phase, leaves the mark; ``vigil link --pending``,
the next import and ``vigil serve`` on start link what it left (``services.batchlink``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from vigil.records import models as m
from vigil.services.linkage.assignment import analyst_for_alert
from vigil.services.linkage.notices import tell_death_analysts

LINK_FIELDS = ("match_weight", "probability", "reasons", "model_version", "scored_at")
BATCH = 2000


@dataclass(frozen=True)
class PairScore:
    """One scored pair, ready to store: its two cases, score and explanation."""

    case_a: m.Case
    case_b: m.Case
    match_weight: float
    probability: float
    reasons: list[dict[str, Any]]


@dataclass
class Written:
    links: list[m.CaseLink] = field(default_factory=list)
    alerts: list[m.Alert] = field(default_factory=list)


def _existing(keys: set[tuple[int, int]]) -> dict[tuple[int, int], m.CaseLink]:
    """The stored links among ``keys`` (pairs of case ids), looked up in chunks."""
    found: dict[tuple[int, int], m.CaseLink] = {}
    firsts = sorted({a for a, _ in keys})
    for start in range(0, len(firsts), 500):
        chunk = firsts[start : start + 500]
        for link in m.CaseLink.objects.filter(case_a_id__in=chunk).defer("reasons"):
            key = (link.case_a_id, link.case_b_id)
            if key in keys:
                found[key] = link
    return found


def write_links(
    pairs: Sequence[PairScore], *, model_version: str, alert_weight: float, now: datetime
) -> Written:
    """Store each pair as a link (new or re-scored; judgements stay) and raise an alert for a
    link at or above ``alert_weight`` that has none; tell the analyst of a death on an alert
    they may not see (``notices``). Call inside a transaction."""
    written = Written()
    if not pairs:
        return written
    ordered: list[tuple[m.Case, m.Case, PairScore]] = [
        (p.case_a, p.case_b, p)
        if p.case_a.reference <= p.case_b.reference
        else (p.case_b, p.case_a, p)
        for p in pairs
    ]
    existing = _existing({(a.pk, b.pk) for a, b, _ in ordered})
    new, changed = [], []
    for a, b, pair in ordered:
        values = {
            "match_weight": pair.match_weight,
            "probability": pair.probability,
            "reasons": pair.reasons,
            "model_version": model_version,
            "scored_at": now,
        }
        link = existing.get((a.pk, b.pk))
        if link is None:
            new.append(m.CaseLink(case_a=a, case_b=b, **values))
        else:
            for key, value in values.items():
                setattr(link, key, value)
            link.case_a, link.case_b = a, b
            changed.append(link)
    m.CaseLink.objects.bulk_create(new, batch_size=BATCH)
    m.CaseLink.objects.bulk_update(changed, list(LINK_FIELDS), batch_size=BATCH)
    written.links = [*new, *changed]
    strong = [link for link in written.links if link.match_weight >= alert_weight]
    alerted = set(m.Alert.objects.filter(link__in=strong).values_list("link_id", flat=True))
    for link in sorted(strong, key=lambda x: (x.case_a.reference, x.case_b.reference)):
        if link.pk in alerted:
            continue
        written.alerts.append(
            m.Alert.objects.create(
                link=link,
                raised_at=now,
                raised_weight=link.match_weight,
                analyst=analyst_for_alert(link.case_a, link.case_b),
            )
        )
    tell_death_analysts(written.links, now)
    return written


def mark_pending(case: m.Case) -> None:
    """The case's facts changed: it must be (re-)linked. Call in the change's transaction."""
    m.Case.objects.filter(pk=case.pk).update(link_pending=True)


def mark_linked(cases: Iterable[int] | None) -> None:
    """The cases' links are stored (None: every case). Call in the storing transaction."""
    query = m.Case.objects.filter(link_pending=True)
    if cases is not None:
        query = query.filter(pk__in=list(cases))
    query.update(link_pending=False)


def pending_references() -> list[str]:
    """Cases a crash left unlinked, oldest change first."""
    return list(
        m.Case.objects.filter(link_pending=True).order_by("pk").values_list("reference", flat=True)
    )
