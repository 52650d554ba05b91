"""Batch linkage: the whole store (or the cases just imported) scored with the same model, on
DuckDB or Spark. This is how a national store is re-linked, and how an import links the cases
it created."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import transaction

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.linkage import engines
from vigil.linkage.explain import explain, render
from vigil.linkage.frequency import Frequencies
from vigil.linkage.profile import Profile
from vigil.records import models as m
from vigil.services.access.rules import require
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid
from vigil.services.linkage.linking import scorer, stored_profile
from vigil.services.linkage.linkwriter import (
    PairScore,
    mark_linked,
    pending_references,
    write_links,
)
from vigil.services.linkage.profiles import store_frequencies


@dataclass(frozen=True)
class LinkReport:
    cases: int
    pairs: int
    links: int
    alerts: int


def _reasons(
    a: Profile, b: Profile, pair: engines.Pair, frequencies: Frequencies
) -> list[dict[str, object]]:
    reasons = explain(a, b, pair.contributions, frequencies, by_reference=True)
    return [
        {"feature": r.feature, "weight": round(r.weight, 2), "sentence": sentence}
        for r, sentence in zip(reasons, render(reasons), strict=True)
    ]


def link_store(
    actor: Actor,
    *,
    engine: engines.Engine = "duckdb",
    only: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> LinkReport:
    """Score every blocked pair of the store; keep and alert as online linking does. With
    ``only``, keep just the pairs that involve those references."""
    require(actor, Permission.RELINK)
    say = progress or (lambda _: None)
    say("Reading profiles")
    cases = {
        c.reference: c
        for c in m.Case.objects.exclude(profile={}).only("id", "reference", "profile", "restricted")
    }
    stored = {ref: stored_profile(c) for ref, c in cases.items()}
    # The store's frequencies weigh substances and first names, the same for both sides.
    rarity = store_frequencies(p.row for p in stored.values())
    profiles = {ref: replace(p, row=rarity.annotate(p.row)) for ref, p in stored.items()}
    say(f"Scoring {len(profiles)} cases on {engine}")
    sc = scorer()
    wanted = set(only) if only is not None else None
    memory = settings.VIGIL.link_memory
    try:
        pairs = engines.score(
            sc.model, [p.row for p in profiles.values()], engine, sc.keep_weight, wanted, memory
        )
    except engines.OutOfMemory as exc:
        raise Invalid(
            "VIGIL_LINK_MEMORY",
            f"scoring {len(profiles)} cases: {exc}; nothing was changed. Set "
            "VIGIL_LINK_MEMORY higher (for example 8GB), or use --engine spark",
        ) from None
    say(f"Storing {len(pairs)} links")
    now = utcnow()
    with transaction.atomic():
        scored = [
            PairScore(
                cases[pair.id_l],
                cases[pair.id_r],
                pair.match_weight,
                pair.match_probability,
                _reasons(profiles[pair.id_l], profiles[pair.id_r], pair, rarity),
            )
            for pair in pairs
        ]
        written = write_links(
            scored, model_version=sc.version, alert_weight=sc.alert_weight, now=now
        )
        mark_linked(None if wanted is None else [cases[r].pk for r in wanted if r in cases])
        alerts = len(written.alerts)
        audit.record(
            actor.username,
            Event.STORE_LINKED,
            "cases",
            "*" if wanted is None else f"{len(wanted)} cases",
            {
                "cases": len(profiles),
                "links": len(pairs),
                "alerts": alerts,
                "model": sc.version,
                "engine": engine,
            },
            at=now,
        )
    return LinkReport(len(profiles), len(pairs), len(written.links), alerts)


def link_pending(actor: Actor, *, progress: Callable[[str], None] | None = None) -> LinkReport:
    """Link the cases a crash left unlinked (their ``link_pending`` mark is still set): what
    ``vigil link --pending``, an import and ``vigil serve`` on start run. Nothing pending,
    nothing done."""
    require(actor, Permission.RELINK)
    pending = pending_references()
    if not pending:
        return LinkReport(0, 0, 0, 0)
    return link_store(actor, only=pending, progress=progress)
