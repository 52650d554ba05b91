"""Cluster detection through the services: young men dead of GHB close together in a few weeks,
among earlier such deaths spread over the area, raise a cluster alert to a named analyst,
explained in words; confirmed, the deaths form a series, and a new death inside its footprint
alerts at once; need-to-know hides a cluster holding a case the reader may not see."""

import json
from dataclasses import replace

import numpy as np
import pytest
from django.db import DatabaseError, connection, transaction

from tests.conftest import ghb_death, make_user
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import UserRole
from vigil.records import models as m
from vigil.services.linkage.clusters import (
    list_cluster_alerts,
    scan_after_change,
    scan_store,
)
from vigil.services.linkage.series import Verdict, judge_cluster, series_of

CHURCHYARD = (51.5386, 0.0811)


def earlier_deaths(officer, count=24):
    """GHB deaths of young men over the three years before, spread over about 1.5 km."""
    rng = np.random.default_rng(4)
    for i in range(count):
        lat = CHURCHYARD[0] + float(rng.uniform(-0.013, 0.013))
        lon = CHURCHYARD[1] + float(rng.uniform(-0.02, 0.02))
        ghb_death(f"E-{i:02d}", -1000 + 38 * i, lat, lon, officer)


def the_series(officer):
    """Four such deaths within about 30 m of one churchyard in 63 days."""
    for i, days in enumerate((0, 23, 41, 63)):
        ghb_death(f"S-{i}", days, CHURCHYARD[0] + 0.0001 * i, CHURCHYARD[1], officer)


def scanned(reference, actor):
    with transaction.atomic():
        return scan_after_change(m.Case.objects.get(reference=reference), actor)


@pytest.fixture
def clustered(officer, analyst):
    """Saving the deaths runs the online cluster check after each (services.linking)."""
    earlier_deaths(officer)
    the_series(officer)
    return list(m.ClusterAlert.objects.all())


def test_a_group_of_similar_deaths_becomes_a_cluster_alert_explained_in_words(clustered):
    groups = [frozenset(a.members.values_list("case__reference", flat=True)) for a in clustered]
    assert len(set(groups)) == len(groups)  # the same deaths are put before an analyst once
    alert = clustered[0]  # the newest: the group as it stood after the fourth death
    cases = set(alert.members.values_list("case__reference", flat=True))
    assert {"S-0", "S-1", "S-2", "S-3"} <= cases
    assert alert.p <= 0.01 and alert.observed >= 4 and alert.expected < 1
    assert alert.analyst == "analyst1" and not alert.answered
    assert "unexplained deaths of adults under 40 within" in alert.explanation
    assert "expected at this area's rate; p = 0.0" in alert.explanation
    rows = AuditEntry.objects.filter(event="case.scanned")
    assert {r.verb for r in rows} == {"combination"}
    assert [json.loads(r.payload)["alerts"] for r in rows if json.loads(r.payload)["alerts"]]


def test_the_same_cluster_is_not_alerted_twice(clustered, analyst):
    before = m.ClusterAlert.objects.count()
    assert scanned("S-3", analyst) == []
    scan_store(make_user("admin1", UserRole.ADMINISTRATOR), profile="young_men_ghb")
    assert m.ClusterAlert.objects.count() == before


def test_deaths_spread_in_time_raise_no_cluster_alert(officer, analyst):
    earlier_deaths(officer)
    assert scanned("E-23", analyst) == []
    assert not m.ClusterAlert.objects.exists()


def test_confirmed_a_cluster_forms_a_series_and_a_new_death_inside_it_alerts_at_once(
    clustered, analyst, officer
):
    alert = clustered[0]
    judge_cluster(analyst, alert.pk, Verdict.CONFIRM, "Same drug, same churchyard, weeks apart.")
    alert.refresh_from_db()
    assert alert.answered
    page = series_of(analyst, "S-0", face="test")
    assert {"S-0", "S-1", "S-2", "S-3"} <= {c.reference for c in page.cases}
    ghb_death("S-4", 300, CHURCHYARD[0] + 0.0002, CHURCHYARD[1], officer)  # checked online
    footprint = list(
        m.ClusterAlert.objects.filter(kind="footprint", members__case__reference="S-4")
    )
    assert footprint and "inside the place, time and profile" in footprint[0].explanation
    assert AuditEntry.objects.filter(event="cluster.judged", actor="analyst1").exists()


def test_judgements_on_clusters_are_append_only_need_a_reason_and_an_analyst(
    clustered, analyst, officer
):
    alert = clustered[0]
    with pytest.raises(services.Forbidden):
        judge_cluster(officer, alert.pk, Verdict.CONFIRM, "I think so.")
    with pytest.raises(services.Invalid) as info:
        judge_cluster(analyst, alert.pk, Verdict.UNSURE, " ")
    assert info.value.field == "reason"
    judge_cluster(analyst, alert.pk, Verdict.REJECT, "Known chemsex venue nearby.")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_clusterjudgement")


def test_a_cluster_holding_a_restricted_case_is_seen_only_by_those_named(
    clustered, analyst, sergeant
):
    assert list_cluster_alerts(analyst, face="test")
    services.restrict_case(sergeant, "S-1")
    assert all("S-1" not in row["cases"] for row in list_cluster_alerts(analyst, face="test"))
    with pytest.raises(services.NotFound):
        judge_cluster(analyst, clustered[0].pk, Verdict.CONFIRM, "Linked.")
    named = list_cluster_alerts(sergeant, face="test")
    assert any("S-1" in row["cases"] for row in named)


def test_the_batch_scan_refuses_an_unknown_profile(officer):
    admin = make_user("admin1", UserRole.ADMINISTRATOR)
    with pytest.raises(services.Invalid) as info:
        scan_store(admin, profile="nonsense")
    assert info.value.field == "profile" and "young_men_ghb" in info.value.reason


def test_the_batch_scan_finds_the_cluster_in_the_store(officer, analyst, settings):
    """Retrospective (any window, so more chances): at VIGIL_CLUSTER_ALPHA 0.05."""
    settings.VIGIL = replace(settings.VIGIL, cluster_alpha=0.05)
    earlier_deaths(officer)
    the_series(officer)
    report = scan_store(make_user("admin1", UserRole.ADMINISTRATOR), profile="young_men_ghb")
    best = report.profiles[0].clusters[0]
    assert {"S-0", "S-1", "S-2", "S-3"} <= set(best["cases"]) and best["p"] <= 0.05
    # The online check put these deaths before an analyst already: the batch adds no second.
    held = [
        set(a.members.values_list("case__reference", flat=True))
        for a in m.ClusterAlert.objects.all()
    ]
    assert any(set(best["cases"]) <= h for h in held) and report.alerts == 0
    assert AuditEntry.objects.filter(event="cases.scanned").exists()
