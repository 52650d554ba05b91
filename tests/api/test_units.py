"""The JSON API's list filters by command unit: the case list, the review queue and the
dashboard accept ``unit`` (a unit takes in the units below it); an unknown unit is a 422."""

from __future__ import annotations

import pytest

from tests.conftest import SYSTEM, T0, suspicious_report
from tests.services.units_files import EAST_LON, WEST_LON, units_file
from vigil import services


@pytest.fixture
def east_and_west(officer, sergeant):
    services.load_units(SYSTEM, units_file())
    services.open_case(officer, "E-1", suspicious_report(location__longitude=EAST_LON), known_at=T0)
    services.open_case(officer, "W-1", suspicious_report(location__longitude=WEST_LON), known_at=T0)


def items(response) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.content
    return sorted((row["reference"], row["unit"]) for row in response.json()["items"])


def test_the_case_list_filters_by_unit(as_user, east_and_west):
    api = as_user("officer1")
    assert items(api.get("/cases")) == [("E-1", "E"), ("W-1", "W")]
    assert items(api.get("/cases?unit=W")) == [("W-1", "W")]
    assert items(api.get("/cases?unit=F")) == [("E-1", "E"), ("W-1", "W")]
    assert items(api.get("/cases?unit=all")) == [("E-1", "E"), ("W-1", "W")]
    refused = api.get("/cases?unit=Q")
    assert refused.status_code == 422
    assert refused.json()["field"] == "unit" and "'Q'" in refused.json()["reason"]


def test_the_review_queue_and_the_dashboard_filter_by_unit(as_user, east_and_west):
    api = as_user("sergeant1")
    assert items(api.get("/review-queue?unit=E")) == [("E-1", "E")]
    everywhere = api.get("/dashboard").json()["overdue"]["count"]
    east = api.get("/dashboard?unit=E").json()["overdue"]["count"]
    assert 0 < east < everywhere


def test_a_restricted_case_changes_no_units_total(as_user, east_and_west, investigator):
    services.open_case(
        services.actor_for("sergeant1"),
        "E-2",
        suspicious_report(location__longitude=EAST_LON),
        known_at=T0,
    )
    services.restrict_case(services.actor_for("sergeant1"), "E-2")
    hidden = as_user("investigator1").get("/cases?unit=E").json()
    assert (hidden["total"], [row["reference"] for row in hidden["items"]]) == (1, ["E-1"])
    named = as_user("sergeant1").get("/cases?unit=E").json()
    assert named["total"] == 2
