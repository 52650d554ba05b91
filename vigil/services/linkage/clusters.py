"""Cluster detection, the second engine beside the pairs: groups of similar deaths closer in
space and time than chance allows (the space-time permutation scan, vigil.linkage.scan), over
the profiles of vigil/linkage/profiles.yaml.

- ``scan_after_change(case, actor, now)``: the bounded online check, after a case's linkage
  profile is stored (call it inside the use case's transaction, after ``relink``): for each
  profile the case belongs to, a prospective scan of that profile's deaths within twice
  VIGIL_CLUSTER_MAX_KM of it and ``STUDY_WINDOWS`` x VIGIL_CLUSTER_MAX_DAYS before it; and a
  new death inside a confirmed series' footprint alerts at once.
- ``scan_store(actor)``: the batch, retrospective scan of the whole store.
A cluster with p <= VIGIL_CLUSTER_ALPHA becomes a cluster alert to a named analyst, unless an
alert (answered or not, on any profile) already holds all its deaths. An analyst answers one
with ``vigil.services.linkage.series.judge_cluster`` (append-only); a confirmed cluster's deaths
join a
series.

Only deaths are scanned: the profiles are about deaths. A drugging report or an intelligence
entry is linked by the pairs alone (``DEATHS`` narrows every query here to deaths).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from math import cos, radians
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import RecordKind
from vigil.linkage.footprint import Death, inside
from vigil.linkage.geo import describe_km, great_circle_km
from vigil.linkage.profile import EPOCH
from vigil.linkage.scan import (
    KM_PER_DEGREE,
    STUDY_WINDOWS,
    Cluster,
    Mode,
    Point,
    Settings,
    scan,
    seed_for,
)
from vigil.linkage.scan_profiles import ScanProfile, default_profiles
from vigil.linkage.timeline import scan_key
from vigil.records import models as m
from vigil.records.series import series_groups
from vigil.services.access.rules import require, visible_cases
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid
from vigil.services.linkage.assignment import analyst_for_alert
from vigil.services.linkage.profiles import remember_scan

DEATHS = Q(kind=RecordKind.DEATH.value)


def _settings(mode: Mode, seed: int) -> Settings:
    config = settings.VIGIL
    return Settings(
        max_km=config.cluster_max_km,
        max_days=config.cluster_max_days,
        replicates=config.cluster_replicates,
        mode=mode,
        seed=seed,
        stop_above=config.cluster_alpha,
    )


def _day(value: int) -> date:
    return (EPOCH + timedelta(days=value)).date()


def _row(case: m.Case) -> dict[str, Any]:
    row: dict[str, Any] = (case.profile or {}).get("row") or {}
    return row


def _point(case: m.Case) -> Point | None:
    row = _row(case)
    if case.latitude is None or case.longitude is None or row.get("found_day") is None:
        return None
    return Point(case.reference, case.latitude, case.longitude, int(row["found_day"]))


def explain(cluster: Cluster, profile: ScanProfile) -> str:
    """The cluster in an inspector's words."""
    mu = cluster.expected
    expected = f"{mu:.2f}" if mu >= 0.01 else f"{mu:.1g}"
    return (
        f"{cluster.observed} {profile.words} within {describe_km(cluster.radius_m / 1000)} of "
        f"the place where {cluster.centre} was found, in {cluster.days} days "
        f"({_day(cluster.first_day):%-d %b %Y} to {_day(cluster.last_day):%-d %b %Y}); "
        f"{expected} expected at this area's rate; p = {cluster.p:.3f}"
    )


def _covered(cases: Sequence[m.Case]) -> bool:
    """True when an alert (on any profile, answered or not) already holds every one of
    ``cases``: the same deaths are put before an analyst once."""
    ids = {c.pk for c in cases}
    alerts = m.ClusterAlert.objects.filter(members__case__in=ids).distinct()
    return any(
        ids <= set(m.ClusterCase.objects.filter(alert=a).values_list("case_id", flat=True))
        for a in alerts
    )


def _store(
    kind: str,
    profile: ScanProfile,
    cluster: Cluster,
    explanation: str,
    replicates: int,
    now: datetime,
) -> m.ClusterAlert | None:
    cases = list(m.Case.objects.filter(reference__in=cluster.cases))
    if _covered(cases):
        return None
    alert = m.ClusterAlert.objects.create(
        kind=kind,
        profile=profile.name,
        centre=m.Case.objects.get(reference=cluster.centre),
        latitude=cluster.latitude,
        longitude=cluster.longitude,
        radius_m=cluster.radius_m,
        first_day=_day(cluster.first_day),
        last_day=_day(cluster.last_day),
        observed=cluster.observed,
        expected=cluster.expected if kind == "scan" else None,
        statistic=cluster.statistic if kind == "scan" else None,
        p=cluster.p if kind == "scan" else None,
        replicates=replicates,
        explanation=explanation,
        analyst=analyst_for_alert(*cases),
        raised_at=now,
    )
    m.ClusterCase.objects.bulk_create(m.ClusterCase(alert=alert, case=c) for c in cases)
    return alert


def _nearby(case: m.Case, km: float, days: int) -> QuerySet[m.Case]:
    """Cases within a box of ``km`` around the case, found up to ``days`` before it (a superset:
    the exact distance and day are checked on each)."""
    when = case.found_at or case.reported_at
    assert when is not None and case.latitude is not None and case.longitude is not None
    lat = km / KM_PER_DEGREE
    lon = lat / max(cos(radians(case.latitude)), 0.01)
    span = (when - timedelta(days=days + 1), when + timedelta(days=1))
    return m.Case.objects.filter(
        DEATHS,
        Q(found_at__range=span) | Q(found_at__isnull=True, reported_at__range=span),
        latitude__range=(case.latitude - lat, case.latitude + lat),
        longitude__range=(case.longitude - lon, case.longitude + lon),
    ).exclude(profile={})


def scan_after_change(
    case: m.Case, actor: Actor, now: datetime | None = None
) -> list[m.ClusterAlert]:
    """The online cluster check for one case (see the module's docstring). Call it inside the
    use case's transaction, after the case's linkage profile is stored. The scans run only
    when the case's place, day or profiles changed since its last check
    (``timeline.scan_key``); the footprints of confirmed series are checked every time. A
    record that is not a death is not checked (nothing is scanned or audited)."""
    now = now or utcnow()
    if case.kind != RecordKind.DEATH.value:
        return []
    here = _point(case)
    profiles = [p for p in default_profiles() if p.admits(_row(case), case.category)]
    raised: list[m.ClusterAlert] = []
    key = None if here is None else list(scan_key(here, profiles))
    fresh = key is not None and (case.profile or {}).get("scan_key") != key
    if here is not None:
        raised.extend(_footprints(case, here, now))  # first: the strongest words
    if here is not None and profiles and fresh:
        config = settings.VIGIL
        period = STUDY_WINDOWS * config.cluster_max_days
        others = [
            (c, p)
            for c in _nearby(case, 2 * config.cluster_max_km, period)
            if (p := _point(c)) is not None
            and here.day - period <= p.day <= here.day
            and great_circle_km(here.latitude, here.longitude, p.latitude, p.longitude)
            <= 2 * config.cluster_max_km
        ]
        others.sort(key=lambda found: found[1].id)  # a scan is repeatable: points in one order
        for profile in profiles:
            points = [p for c, p in others if profile.admits(_row(c), c.category)]
            result = scan(
                points,
                _settings(Mode.PROSPECTIVE, seed_for(case.reference, profile.name)),
                case.reference,
            )
            for cluster in result.clusters:
                if cluster.p <= config.cluster_alpha:
                    alert = _store(
                        "scan", profile, cluster, explain(cluster, profile), result.replicates, now
                    )
                    raised.extend([alert] if alert else [])
    if fresh and key is not None:
        remember_scan(case, key)
    audit.record(
        actor.username,
        Event.CASE_SCANNED,
        "case",
        case.reference,
        {"profiles": [p.name for p in profiles] if fresh else [], "alerts": [a.pk for a in raised]},
        at=now,
    )
    return raised


def _death(case: m.Case, point: Point) -> Death:
    return Death(_row(case), case.category, point)


def _footprints(case: m.Case, here: Point, now: datetime) -> list[m.ClusterAlert]:
    """Alerts for a death inside a confirmed series' footprint (vigil.linkage.footprint)."""
    config = settings.VIGIL
    profiles = default_profiles()
    raised = []
    for group in series_groups():
        if case.reference in group:
            continue
        # the series' deaths (a series may hold a drugging report or an intelligence entry too)
        deaths = list(m.Case.objects.filter(DEATHS, reference__in=group))
        group = sorted(c.reference for c in deaths)
        members = [(c, p) for c in deaths if (p := _point(c))]
        if not members or len(members) < len(group):
            continue
        found = inside(
            _death(case, here),
            [_death(c, p) for c, p in members],
            profiles,
            config.cluster_max_km,
            config.cluster_max_days,
        )
        if found is None:
            continue
        days = [p.day for _, p in members]
        profile, km, nearest = found.profile, found.km, found.nearest
        cluster = Cluster(
            cases=tuple(sorted([*group, case.reference])),
            centre=nearest,
            latitude=here.latitude,
            longitude=here.longitude,
            radius_m=km * 1000,
            first_day=min([*days, here.day]),
            last_day=max([*days, here.day]),
            observed=len(group) + 1,
            expected=0.0,
            statistic=0.0,
            p=0.0,
        )
        after = here.day - max(days)
        when = f"{after} days after its last death" if after >= 0 else "within its months"
        explanation = (
            f"{case.reference} is one of the {profile.words}, found {describe_km(km)} from "
            f"{nearest} and {when}: inside the place, time and profile of the confirmed "
            f"series {group[0]} ({len(group)} deaths)"
        )
        alert = _store("footprint", profile, cluster, explanation, 0, now)
        raised.extend([alert] if alert else [])
    return raised


@dataclass
class ProfileScan:
    profile: str
    cases: int
    replicates: int
    clusters: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[int] = field(default_factory=list)


@dataclass
class StoreScan:
    profiles: list[ProfileScan]

    @property
    def alerts(self) -> int:
        return sum(len(p.alerts) for p in self.profiles)

    def to_dict(self) -> dict[str, Any]:
        return {"profiles": [asdict(p) for p in self.profiles], "alerts": self.alerts}


def _profiles_named(name: str | None) -> list[ScanProfile]:
    profiles = list(default_profiles())
    if name is None:
        return profiles
    chosen = [p for p in profiles if p.name == name]
    if not chosen:
        known = ", ".join(p.name for p in profiles)
        raise Invalid("profile", f"there is no profile '{name}' (the profiles are: {known})")
    return chosen


def scan_store(
    actor: Actor, *, profile: str | None = None, progress: Callable[[str], None] | None = None
) -> StoreScan:
    """The batch scan (retrospective: any window) of every death of each profile; raises the
    cluster alerts, audited in one transaction."""
    require(actor, Permission.RELINK)
    profiles = _profiles_named(profile)
    cases = [
        (c, p)
        for c in m.Case.objects.filter(DEATHS)
        .exclude(profile={})
        .only("reference", "latitude", "longitude", "profile", "category")
        if (p := _point(c)) is not None
    ]
    alpha = settings.VIGIL.cluster_alpha
    found: list[tuple[ScanProfile, ProfileScan, list[Cluster]]] = []
    for chosen in profiles:
        if progress:
            progress(f"Scanning {chosen.name}")
        points = [p for c, p in cases if chosen.admits(_row(c), c.category)]
        result = scan(points, _settings(Mode.RETROSPECTIVE, seed_for(chosen.name)))
        report = ProfileScan(chosen.name, len(points), result.replicates)
        report.clusters = [
            {**asdict(c), "first_day": str(_day(c.first_day)), "last_day": str(_day(c.last_day))}
            for c in result.clusters
        ]
        found.append((chosen, report, [c for c in result.clusters if c.p <= alpha]))
    now = utcnow()
    with transaction.atomic():
        for chosen, report, significant in found:
            for cluster in significant:
                alert = _store(
                    "scan", chosen, cluster, explain(cluster, chosen), report.replicates, now
                )
                if alert:
                    report.alerts.append(alert.pk)
        summary = StoreScan([report for _, report, _ in found])
        audit.record(
            actor.username,
            Event.STORE_SCANNED,
            "cases",
            "*",
            {"profiles": [p.name for p in profiles], "cases": len(cases), "alerts": summary.alerts},
            at=now,
        )
    return summary


def visible_cluster_alerts(actor: Actor) -> QuerySet[m.ClusterAlert]:
    """Cluster alerts all of whose deaths the actor may see (a cluster holding a case they may
    not see does not exist for them, nor does its count)."""
    hidden = m.ClusterCase.objects.exclude(case__in=visible_cases(actor)).values("alert_id")
    return m.ClusterAlert.objects.exclude(pk__in=hidden)


def _shown(alert: m.ClusterAlert) -> dict[str, Any]:
    return {
        "alert": alert.pk,
        "kind": alert.kind,
        "profile": alert.profile,
        "cases": sorted(alert.members.values_list("case__reference", flat=True)),
        "centre": alert.centre.reference,
        "latitude": alert.latitude,
        "longitude": alert.longitude,
        "radius_m": round(alert.radius_m),
        "first_day": alert.first_day.isoformat(),
        "last_day": alert.last_day.isoformat(),
        "observed": alert.observed,
        "expected": alert.expected,
        "p": alert.p,
        "explanation": alert.explanation,
        "analyst": alert.analyst,
        "raised_at": alert.raised_at.isoformat(),
        "answered": alert.answered,
    }


def list_cluster_alerts(
    actor: Actor, *, face: str, analyst: str | None = None, answered: bool = False
) -> list[dict[str, Any]]:
    """Cluster alerts the actor may see, newest first: unanswered ones (all with ``answered``),
    optionally one analyst's; audited as a consultation."""
    require(actor, Permission.VIEW_ALERTS)
    query = visible_cluster_alerts(actor).select_related("centre")
    if not answered:
        query = query.filter(answered=False)
    if analyst:
        query = query.filter(analyst=analyst)
    rows = [_shown(a) for a in query]
    with transaction.atomic():
        audit.record(
            actor.username,
            Event.CLUSTER_ALERTS_LISTED,
            "cluster_alerts",
            analyst or "*",
            {"face": face, "count": len(rows)},
        )
    return rows
