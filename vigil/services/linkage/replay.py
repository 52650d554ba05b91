"""Replay: when would Vigil have raised each true series, had its cases been recorded as their
facts became known?

Each record may name its true ``series`` (the engine never reads it). The cases are replayed
with the linkage engines in batch (vigil.linkage.timeline): every version of every case, the
same profile, model, blocking, alert threshold and cluster check as online. For each series
the report gives the first alert, pair or cluster, involving two of its cases (which case's
change raised it, on what date, how many days after the series began), whether and when all
its cases were joined by pair and cluster alerts together, and over the whole replay the false
alerts of each kind per 100 cases (a pair between cases not in one series; a cluster with no
two cases of one series). Nothing is written to the store.

Its ``judged`` part is the same report had an analyst judged every alert when it was raised,
confirming those with two cases of one true series (the replay's cases carry no judgements):
then a later death inside a confirmed series' footprint alerts at once, as online, and counts
as a cluster alert.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings

from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.case import CaseView, as_of
from vigil.interchange.record import CaseRecord
from vigil.interchange.view import record_view
from vigil.linkage import profile as linkprofile
from vigil.linkage import timeline
from vigil.linkage.clusters import Components
from vigil.linkage.scan import STUDY_WINDOWS
from vigil.linkage.scan_profiles import default_profiles
from vigil.policy import Evaluation
from vigil.services.access.rules import require
from vigil.services.casework.policy import evaluation_of
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid
from vigil.services.linkage.linking import scorer


def _when(record: CaseRecord) -> datetime:
    when = record.report.found_at or record.known_at or record.report.reported_at
    if when is None:
        raise Invalid(f"{record.reference}.known_at", "a replayed case needs a known_at")
    return when


def _versions(record: CaseRecord, now: datetime) -> list[timeline.Version]:
    view, _ = record_view(record, now)
    base = record.known_at or _when(record)
    moments = [base]
    moments += [max(p.known_at or base, base) for p in record.persons]
    moments += [max(u.known_at, base) for u in record.updates]
    cache: dict[datetime, CaseView] = {}

    def at(when: datetime) -> CaseView:
        if when not in cache:
            cache[when] = as_of(view, when)
        return cache[when]

    return timeline.versions_of(
        record.reference,
        moments,
        lambda when: linkprofile.build(at(when)),
        lambda when: _category(evaluation_of(at(when), when)),
    )


def _category(evaluation: Evaluation | None) -> str:
    return evaluation.category.value if evaluation else ""  # none for a record not a death


def versions_of_records(records: list[CaseRecord]) -> list[timeline.Version]:
    """Every version of every case of ``records``: as it stood at each moment a fact about it
    became known (what a replay scores, and what calibration on a file of cases counts)."""
    now = utcnow()
    return [v for record in records for v in _versions(record, now)]


def _scan_settings() -> timeline.ScanSettings:
    config = settings.VIGIL
    return timeline.ScanSettings(
        max_km=config.cluster_max_km,
        max_days=config.cluster_max_days,
        study_days=STUDY_WINDOWS * config.cluster_max_days,
        replicates=config.cluster_replicates,
        alpha=config.cluster_alpha,
    )


def replay(
    actor: Actor,
    records: list[CaseRecord],
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Replay ``records``; the report described in the module's docstring."""
    require(actor, Permission.IMPORT)
    say = progress or (lambda _: None)
    now = utcnow()
    say(f"Building the versions of {len(records)} cases")
    versions = [v for record in records for v in _versions(record, now)]
    sc = scorer()
    say(f"Scoring {len(versions)} versions")
    pairs = timeline.pair_alerts(
        sc.model, versions, sc.alert_weight, memory_limit=settings.VIGIL.link_memory
    )
    say("Scanning for clusters")
    clusters = timeline.cluster_alerts(versions, default_profiles(), _scan_settings())
    raised = sorted([*pairs, *clusters], key=lambda r: r.at)
    say("Judging the alerts as an analyst who knows the true series would")
    truth = {r.reference: str(r.series) for r in records if r.series}
    footprints = timeline.footprint_alerts(
        versions, raised, default_profiles(), _scan_settings(), lambda a: bool(_true(truth, a))
    )
    report = _report(records, versions, raised)
    judged = _report(records, versions, sorted([*raised, *footprints], key=lambda r: r.at))
    report["judged"] = {k: judged[k] for k in JUDGED_KEYS}
    return report


def _true(truth: dict[str, str], alert: timeline.Raised) -> dict[str, list[str]]:
    """The true series an alert joins, with its cases in each: those with two of its cases
    (a footprint alert: only its new case's series, when the confirmed series holds it)."""
    hits: dict[str, list[str]] = {}
    for ref in alert.cases:
        if ref in truth:
            hits.setdefault(truth[ref], []).append(ref)
    true = {name: refs for name, refs in hits.items() if len(refs) >= 2}
    if alert.kind == "footprint":
        true = {name: refs for name, refs in true.items() if alert.trigger in refs}
    return true


JUDGED_KEYS = (
    "series",
    "false_alerts",
    "false_alerts_per_100",
    "false_pair_alerts_per_100",
    "false_cluster_alerts_per_100",
    "alerts",
)


def _kind(alert: timeline.Raised) -> str:
    """A footprint alert is a cluster alert (of a confirmed series) in the store too."""
    return "pair" if alert.kind == "pair" else "cluster"


def _report(
    records: list[CaseRecord], versions: list[timeline.Version], raised: list[timeline.Raised]
) -> dict[str, Any]:
    truth = {r.reference: r.series for r in records}
    members: dict[str, list[str]] = {}
    for record in records:
        if record.series:
            members.setdefault(record.series, []).append(record.reference)
    starts = {name: min(_when(r) for r in records if r.series == name) for name in members}
    series: dict[str, dict[str, Any]] = {
        name: {
            "cases": len(refs),
            "started": starts[name].isoformat(),
            "first_alert_case": None,
            "first_alert_date": None,
            "first_alert_kind": None,
            "days_from_start": None,
            "joined": False,
            "joined_date": None,
        }
        for name, refs in members.items()
    }
    joined = Components()
    false = {"pair": 0, "cluster": 0}
    named = {ref: str(name) for ref, name in truth.items() if name}
    for alert in raised:
        true = _true(named, alert)
        if not true:
            false[_kind(alert)] += 1
            continue
        for name, refs in true.items():
            entry = series[name]
            if entry["first_alert_case"] is None:
                entry.update(
                    first_alert_case=alert.trigger,
                    first_alert_date=alert.at.isoformat(),
                    first_alert_kind=alert.kind,
                    days_from_start=round((alert.at - starts[name]).total_seconds() / 86400, 1),
                )
            for ref in refs[1:]:
                joined.join(refs[0], ref)
            if not entry["joined"] and joined.together(members[name]):
                entry.update(joined=True, joined_date=alert.at.isoformat())
    cases = max(len(records), 1)
    return {
        "cases": len(records),
        "events": len(versions),
        "series": series,
        "false_alerts": false["pair"] + false["cluster"],
        "false_alerts_per_100": round(100 * (false["pair"] + false["cluster"]) / cases, 2),
        "false_pair_alerts_per_100": round(100 * false["pair"] / cases, 2),
        "false_cluster_alerts_per_100": round(100 * false["cluster"] / cases, 2),
        "alerts": {
            "pair": sum(r.kind == "pair" for r in raised),
            "cluster": sum(r.kind == "cluster" for r in raised),
            "footprint": sum(r.kind == "footprint" for r in raised),
        },
    }
