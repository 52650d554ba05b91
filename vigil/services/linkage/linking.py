"""Online linkage: a case saved or updated through any face is re-linked at once.

Candidates come from the store's indexes (near in space and time, a shared identifier, a shared
rare substance); the linkage model scores them; each pair worth keeping is stored with its score,
explanation and model version; a pair above the alert threshold becomes an alert before a named
analyst. The whole step is audited as a combination.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.actor import Actor
from vigil.domain.case import CaseView
from vigil.linkage import blocking
from vigil.linkage import profile as linkprofile
from vigil.linkage.model import Model, load
from vigil.linkage.scoring import Scorer
from vigil.records import models as m
from vigil.services.linkage.clusters import scan_after_change
from vigil.services.linkage.linkwriter import PairScore, mark_linked, write_links
from vigil.services.linkage.profiles import frequencies_for, store_profile

log = logging.getLogger(__name__)


@cache
def _model(path: str | None) -> Model:
    return load(path) if path else load()


def scorer() -> Scorer:
    """The linkage model in use (VIGIL_LINKAGE_MODEL, else the repository's; read once per
    path) with the thresholds the settings give now."""
    config = settings.VIGIL
    # The model's calibrated alert threshold unless VIGIL_ALERT_WEIGHT is set.
    return Scorer.of(_model(config.linkage_model), config.keep_weight, config.alert_weight)


def substances_of(row: dict[str, Any]) -> list[str]:
    return list(row["substances"])


def stored_profile(case: m.Case) -> linkprofile.Profile:
    data = case.profile
    roles = {k: tuple(v) for k, v in data["roles"].items()}
    # a profile stored before records had kinds is a death's
    return linkprofile.Profile(data["row"], roles, data["texts"], data.get("kind", case.kind))


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
    for box in blocking.NEAR:
        near = _within(box, case)
        if near is not None:
            ids.update(m.Case.objects.filter(near).values_list("pk", flat=True))
    keys = [str(k) for k in row["identifiers"]]  # type: ignore[attr-defined]
    region = _within(blocking.REGION, case, "case__")
    named = [k for k in keys if k.startswith("name:")]
    anywhere = [k for k in keys if not k.startswith("name:")]
    if anywhere:  # the profile's keys: everyone's, the deceased's, those in free text
        ids.update(m.CaseKey.objects.filter(key__in=anywhere).values_list("case_id", flat=True))
    rare = list(row["rare_substances"])  # type: ignore[call-overload]
    if region is not None and named:
        ids.update(
            m.CaseKey.objects.filter(region, key__in=named).values_list("case_id", flat=True)
        )
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
    leaves the case pending for ``vigil link --pending`` instead of losing what was recorded.
    The cluster check (``services.clusters``) runs after the pairs, in the same savepoint."""
    profile = store_profile(case, view)
    try:
        with transaction.atomic():
            links = _link(case, profile, actor, now)
            scan_after_change(case, actor, now)
            return links
    except Exception:
        log.exception("linking %s failed; it stays pending for `vigil link --pending`", case)
        return []


def _link(
    case: m.Case, profile: linkprofile.Profile, actor: Actor, now: datetime
) -> list[m.CaseLink]:
    # The store's frequencies weigh substances and first names, the same for both sides.
    own = frequencies_for([profile.row])
    others = {c.reference: c for c in candidates(case, own.annotate(profile.row))}
    stored = [stored_profile(c) for c in others.values()]
    frequencies = frequencies_for([profile.row, *(p.row for p in stored)])
    mine = frequencies.annotate(profile.row)
    # The same pairs batch linking would block: the store's indexes give a superset.
    stored = [p for p in stored if blocking.admits(mine, frequencies.annotate(p.row))]
    sc = scorer()
    results = [
        r for r in sc.score_one(profile, stored, frequencies) if r.match_weight >= sc.keep_weight
    ]
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
