"""The consistency dashboard's figures against a store counted by hand."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import SYSTEM, make_user, suspicious_report
from vigil import services
from vigil.domain import Category, UserRole
from vigil.domain.investigation import Referral
from vigil.records import models as m
from vigil.services.clock import utcnow

SQUARE = [[0.0, 51.45], [0.2, 51.45], [0.2, 51.6], [0.0, 51.6], [0.0, 51.45]]


def unit(code: str, name: str, position: int) -> None:
    outline = json.dumps({"type": "Polygon", "coordinates": [SQUARE]})
    m.Unit.objects.create(
        code=code, name=name, outline=outline, position=position, loaded_at=timezone.now()
    )


@pytest.fixture
def store(officer, sergeant):
    """East: 3 deaths (2 with a sergeant, 2 categorised on time, 1 late, 1 referral answered in
    time, 1 not answered). West: 2 deaths (no sergeant, none categorised; 1 restricted to
    sergeant2, whom the readers below are not)."""
    unit("EA", "East Area", 0)
    unit("WA", "West Area", 1)
    now = utcnow()
    east = [("E-1", True, 1), ("E-2", True, 1), ("E-3", False, 72)]
    for ref, sergeant_attended, hours_ago in east:
        report = suspicious_report(
            reported_at=now - timedelta(hours=hours_ago),
            found_at=now - timedelta(hours=hours_ago + 1),
            location__unit="EA",
            attendance__sergeant_or_above=sergeant_attended,
        )
        services.open_case(officer, ref, report)
        services.decide_category(
            sergeant, ref, Category.UNEXPECTED_UNDER_INVESTIGATION, "The facts require it."
        )
    for ref in ("W-1", "W-2"):
        report = suspicious_report(
            reported_at=now - timedelta(hours=2),
            found_at=now - timedelta(hours=3),
            location__unit="WA",
            attendance__sergeant_or_above=False,
        )
        services.open_case(officer, ref, report)
    referral = Referral(
        ref="R1", to_team="homicide", made_at=now, made_by="officer1", reason="Two similar deaths."
    )
    services.make_referral(officer, "E-1", referral)
    services.answer_referral(sergeant, "E-1", "R1", True, "Accepted.")
    services.make_referral(officer, "E-2", referral)
    hidden = make_user("sergeant2", UserRole.REVIEWING_OFFICER)
    services.restrict_case(hidden, "W-2", [])
    return now


def figures(actor, now):
    result = services.consistency(
        actor, now - timedelta(days=30), now + timedelta(days=1), face="t"
    )
    return {u.unit: u for u in result.units}, result


def test_the_figures_are_the_hand_counted_ones(store, sergeant):
    units, result = figures(sergeant, store)
    east, west = units["EA"], units["WA"]
    assert (east.deaths, west.deaths) == (3, 1)  # W-2 is restricted and sergeant1 not named
    assert (east.met["sergeant_attended"], east.of["sergeant_attended"]) == (2, 3)
    assert (west.met["sergeant_attended"], west.of["sergeant_attended"]) == (0, 1)
    assert (east.met["categorised_in_time"], east.of["categorised_in_time"]) == (2, 3)
    assert (west.met["categorised_in_time"], west.of["categorised_in_time"]) == (0, 1)
    assert (east.met["referrals_in_time"], east.of["referrals_in_time"]) == (1, 2)
    assert west.of["referrals_in_time"] == 0
    sergeant_funnel = result.funnels["sergeant_attended"]
    assert sergeant_funnel is not None
    assert sergeant_funnel.target == pytest.approx(2 / 4)
    assert {u.unit for u in sergeant_funnel.units} == {"East Area", "West Area"}


def test_a_reader_named_on_a_restricted_case_counts_it(store):
    units, _ = figures(services.actor_for("sergeant2"), store)
    assert units["WA"].deaths == 2


def test_the_panel_reads_counts_and_roles_without_the_permission_are_refused(store, officer):
    panel = make_user("panel1", UserRole.PANEL_MEMBER)
    units, _ = figures(panel, store)
    assert units["EA"].deaths == 3
    with pytest.raises(services.Forbidden):
        figures(officer, store)


def test_reading_it_is_audited(store, sergeant):
    from vigil.audit.models import AuditEntry

    figures(sergeant, store)
    assert AuditEntry.objects.filter(event="oversight.consistency_read").count() == 1
    assert SYSTEM.username  # the store was built by the test's own users
