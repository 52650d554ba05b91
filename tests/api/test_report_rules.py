"""The report's rules over the API (issue 10, item 13): a time in the future or half a pair of
coordinates, which the web form always refused, is refused here too, naming the field, and
nothing is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vigil.records import models as m

TOMORROW = (datetime.now(UTC) + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("report", "field", "words"),
    [
        ({"found_at": TOMORROW}, "found_at", "The time the body was found must be in the past"),
        ({"reported_at": TOMORROW}, "reported_at", "must be in the past"),
        ({"location": {"latitude": 51.5}}, "location.longitude", "both the latitude"),
    ],
)
def test_opening_a_case_refuses_them(officer, as_user, report, field, words):
    response = as_user("officer1").post("/cases", {"reference": "A-1", "report": report})
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field and words in response.json()["reason"]
    assert not m.Case.objects.exists()


def test_recording_facts_refuses_them(case, as_user):
    api = as_user("officer1")
    tag = api.etag("S-1")
    facts = m.Fact.objects.count()
    for report, field in (
        ({"attendance": {"arrived_at": TOMORROW}}, "attendance.arrived_at"),
        ({"location": {"longitude": None}}, "location.longitude"),
    ):
        response = api.post("/cases/S-1/facts", {"report": report}, **{"If-Match": tag})
        assert response.status_code == 422, response.content
        assert response.json()["field"] == field
    assert m.Fact.objects.count() == facts
    assert api.etag("S-1") == tag
