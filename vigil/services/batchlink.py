"""Batch linkage: the whole store (or the cases just imported) scored with the same model, on
DuckDB or Spark. This is how a national store is re-linked, and how an import links the cases
it created."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import transaction
from django.db.models import Count

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.linkage import engines
from vigil.linkage.explain import explain, render
from vigil.linkage.profile import Profile, Rarity
from vigil.records import models as m
from vigil.services.access import require
from vigil.services.errors import Invalid
from vigil.services.linking import analyst_for_alert, scorer, stored_profile
from vigil.services.unit import utcnow


@dataclass(frozen=True)
class LinkReport:
    cases: int
    pairs: int
    links: int
    alerts: int


def store_rarity() -> Rarity:
    counts = dict(
        m.CaseSubstance.objects.values_list("substance")
        .annotate(n=Count("case"))
        .values_list("substance", "n")
    )
    return Rarity(counts=counts, cases=m.Case.objects.count())


def _reasons(a: Profile, b: Profile, pair: engines.Pair, rarity: Rarity) -> list[dict[str, object]]:
    reasons = explain(a, b, pair.contributions, rarity, by_reference=True)
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
        for c in m.Case.objects.exclude(profile={}).only("id", "reference", "profile")
    }
    rarity = store_rarity()
    profiles = {
        ref: replace(p, row=rarity.split(p.row))
        for ref, p in ((ref, stored_profile(c)) for ref, c in cases.items())
    }
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
    alerts = 0
    with transaction.atomic():
        existing = {
            (link.case_a_id, link.case_b_id): link
            for link in m.CaseLink.objects.filter(
                case_a__reference__in={p.id_l for p in pairs}
            ).select_related(None)
        }
        new, changed = [], []
        for pair in pairs:
            a, b = sorted((cases[pair.id_l], cases[pair.id_r]), key=lambda c: c.reference)
            fields = {
                "match_weight": pair.match_weight,
                "probability": pair.match_probability,
                "reasons": _reasons(profiles[a.reference], profiles[b.reference], pair, rarity),
                "model_version": sc.version,
                "scored_at": now,
            }
            link = existing.get((a.pk, b.pk))
            if link is None:
                new.append(m.CaseLink(case_a=a, case_b=b, **fields))
            else:
                for key, value in fields.items():
                    setattr(link, key, value)
                changed.append(link)
        m.CaseLink.objects.bulk_create(new, batch_size=2000)
        m.CaseLink.objects.bulk_update(
            changed,
            ["match_weight", "probability", "reasons", "model_version", "scored_at"],
            batch_size=2000,
        )
        alerted = set(
            m.Alert.objects.filter(link__in=[*new, *changed]).values_list("link_id", flat=True)
        )
        raise_for = [
            link
            for link in (*new, *changed)
            if link.match_weight >= sc.alert_weight and link.pk not in alerted
        ]
        for link in raise_for:
            m.Alert.objects.create(
                link=link,
                raised_at=now,
                raised_weight=link.match_weight,
                analyst=analyst_for_alert(link.case_a, link.case_b),
            )
        alerts = len(raise_for)
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
    return LinkReport(len(profiles), len(pairs), len(new) + len(changed), alerts)
