"""Online linkage: a case saved or updated through any face is re-linked at once.

Candidates come from the store's indexes (near in space and time, a shared identifier, a shared
rare substance); the linkage model scores them; each pair worth keeping is stored with its score,
explanation and model version; a pair above the alert threshold becomes an alert before a named
analyst. The whole step is audited as a combination.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.actor import Actor
from vigil.domain.case import CaseView
from vigil.linkage import blocking
from vigil.linkage import profile as linkprofile
from vigil.linkage.model import Model, load
from vigil.linkage.scoring import Scorer
from vigil.records import models as m
from vigil.services.linkwriter import PairScore, mark_linked, write_links

log = logging.getLogger(__name__)


@cache
def _model(path: str | None) -> Model:
    return load(path) if path else load()


def scorer() -> Scorer:
    """The linkage model in use (VIGIL_LINKAGE_MODEL, else the repository's; read once per
    path) with the thresholds the settings give now."""
    config = settings.VIGIL
    return Scorer(
        _model(config.linkage_model),
        keep_weight=config.keep_weight,
        alert_weight=config.alert_weight,
    )


def rarity_for(substances: list[str]) -> linkprofile.Rarity:
    """How common the case's substances are in the store (one grouped query)."""
    counts = dict(
        m.CaseSubstance.objects.filter(substance__in=substances)
        .values_list("substance")
        .annotate(n=Count("case"))
        .values_list("substance", "n")
    )
    return linkprofile.Rarity(counts=counts, cases=m.Case.objects.count())


def store_profile(case: m.Case, view: CaseView) -> linkprofile.Profile:
    substances = sorted({s.strip().lower() for s in view.report.toxicology.substances if s})
    profile = linkprofile.build(view, rarity_for(substances))
    case.profile = {"row": profile.row, "roles": profile.roles, "texts": profile.texts}
    m.Case.objects.filter(pk=case.pk).update(profile=case.profile)
    have = set(case.substances.values_list("substance", flat=True))
    m.CaseSubstance.objects.filter(case=case).exclude(substance__in=substances).delete()
    m.CaseSubstance.objects.bulk_create(
        m.CaseSubstance(case=case, substance=s) for s in substances if s not in have
    )
    return profile


def substances_of(row: dict[str, Any]) -> list[str]:
    return [*row["rare_substances"], *row["common_substances"]]


def stored_profile(case: m.Case) -> linkprofile.Profile:
    data = case.profile
    return linkprofile.Profile(
        data["row"], {k: tuple(v) for k, v in data["roles"].items()}, data["texts"]
    )


def _within(box: blocking.Box, case: m.Case, prefix: str = "") -> Q | None:
    """Cases inside ``box`` around ``case`` (a superset at day resolution; ``blocking.admits``
    then keeps exactly the box). None when the case has no place or time."""
    when = case.found_at or case.reported_at
    if case.latitude is None or case.longitude is None or when is None:
        return None
    span = timedelta(days=box.days + 1)
    return Q(
        **{
            f"{prefix}latitude__range": (case.latitude - box.lat, case.latitude + box.lat),
            f"{prefix}longitude__range": (case.longitude - box.lon, case.longitude + box.lon),
        }
    ) & (
        Q(**{f"{prefix}found_at__range": (when - span, when + span)})
        | Q(
            **{
                f"{prefix}found_at__isnull": True,
                f"{prefix}reported_at__range": (when - span, when + span),
            }
        )
    )


def candidates(case: m.Case, row: dict[str, object]) -> list[m.Case]:
    """Other cases the blocking rules could admit (vigil.linkage.blocking), each found through
    an index: near in place and time (the place and area boxes), a shared identifier other than
    a name (anywhere), a shared name or rare substance (within the region box)."""
    ids: set[int] = set()
    for box in (blocking.PLACE, blocking.AREA):
        near = _within(box, case)
        if near is not None:
            ids.update(m.Case.objects.filter(near).values_list("pk", flat=True))
    idents = [linkprofile.split_key(str(i)) for i in row["identifiers"]]  # type: ignore[attr-defined]
    region = _within(blocking.REGION, case, "case__")
    anywhere, named = Q(), Q()
    for kind, normalised in idents:
        if kind == "name":
            named |= Q(kind=kind, normalised=normalised)
        else:
            anywhere |= Q(kind=kind, normalised=normalised)
    if anywhere:
        ids.update(m.Identifier.objects.filter(anywhere).values_list("case_id", flat=True))
    rare = list(row["rare_substances"])  # type: ignore[call-overload]
    if region is not None and named:
        ids.update(m.Identifier.objects.filter(named, region).values_list("case_id", flat=True))
    if region is not None and rare:
        ids.update(
            m.CaseSubstance.objects.filter(region, substance__in=rare).values_list(
                "case_id", flat=True
            )
        )
    ids.discard(case.pk)
    return list(m.Case.objects.filter(pk__in=ids).exclude(profile={}))


def relink(case: m.Case, view: CaseView, actor: Actor, now: datetime) -> list[m.CaseLink]:
    """Re-link one case against the store. Call inside the use case's transaction, which has
    marked the case pending (``linkwriter.mark_pending``). Its profile is stored with the
    change; its links in a savepoint, so that a failure while linking keeps the change and
    leaves the case pending for ``vigil link --pending`` instead of losing what was recorded."""
    profile = store_profile(case, view)
    try:
        with transaction.atomic():
            return _link(case, profile, actor, now)
    except Exception:
        log.exception("linking %s failed; it stays pending for `vigil link --pending`", case)
        return []


def _link(
    case: m.Case, profile: linkprofile.Profile, actor: Actor, now: datetime
) -> list[m.CaseLink]:
    others = {c.reference: c for c in candidates(case, profile.row)}
    stored = [stored_profile(c) for c in others.values()]
    substances = {s for p in (profile, *stored) for s in substances_of(p.row)}
    rarity = rarity_for(sorted(substances))
    profile = replace(profile, row=rarity.split(profile.row))
    # The same pairs batch linking would block: the store's indexes give a superset.
    stored = [
        p
        for p in (replace(p, row=rarity.split(p.row)) for p in stored)
        if blocking.admits(profile.row, p.row)
    ]
    sc = scorer()
    results = [r for r in sc.score_one(profile, stored, rarity) if r.match_weight >= sc.keep_weight]
    pairs = [
        PairScore(case, others[r.other], r.match_weight, r.probability, r.reasons) for r in results
    ]
    written = write_links(pairs, model_version=sc.version, alert_weight=sc.alert_weight, now=now)
    mark_linked([case.pk])
    alerted = {a.link_id for a in written.alerts}
    audit.record(
        actor.username,
        Event.CASE_LINKED,
        "case",
        case.reference,
        {
            "links": len(written.links),
            "alerts": sorted(
                (link.case_b if link.case_a_id == case.pk else link.case_a).reference
                for link in written.links
                if link.pk in alerted
            ),
            "candidates": len(others),
            "model": sc.version,
        },
        at=now,
    )
    return written.links
