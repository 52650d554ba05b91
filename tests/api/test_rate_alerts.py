"""Rate alerts over the API: listed, opened with their chart, answered; refusals by role and a
restricted case hidden from those not named on it."""

from __future__ import annotations

from tests.conftest import make_user
from tests.services.test_rate_alerts import analyst, low_threshold  # noqa: F401
from tests.store_screens import RATES_ON, rates_store
from vigil import services
from vigil.domain import UserRole
from vigil.records import models as m


def test_listed_opened_and_answered(officer, analyst, low_threshold, as_user):  # noqa: F811
    rates_store(officer)
    services.screen_rates(analyst, on=RATES_ON)
    alert = m.RateAlert.objects.get(kind="certifier")
    hidden = sorted(alert.members.values_list("case__reference", flat=True))[0]
    services.restrict_case(make_user("keeper1", UserRole.REVIEWING_OFFICER), hidden, ["analyst1"])
    api = as_user("analyst1")
    listed = api.get("/rate-alerts?mine=true").json()
    assert {a["kind"] for a in listed} == {"certifier", "institution"}
    body = api.get(f"/rate-alerts/{alert.pk}").json()
    assert body["group"] == "Dr A Able (GMC 1000001)" and len(body["months"]) == 12
    assert hidden in body["cases"] and body["observed"] == 12
    make_user("analyst2", UserRole.ANALYST)
    assert hidden not in as_user("analyst2").get(f"/rate-alerts/{alert.pk}").json()["cases"]
    bad = api.post(f"/rate-alerts/{alert.pk}/answer", {"verdict": "maybe", "reason": "x"})
    assert bad.status_code == 422 and bad.json()["field"] == "verdict"
    done = api.post(f"/rate-alerts/{alert.pk}/answer", {"verdict": "concern", "reason": "Ask."})
    assert done.status_code == 200 and done.json()["answers"][0]["verdict"] == "concern"
    assert api.get("/rate-alerts?status=answered").json()[0]["id"] == alert.pk
    refused = as_user("officer1").get("/rate-alerts")
    assert refused.status_code == 403 and refused.json()["permission"] == "view_alerts"
    assert as_user("analyst1").get("/rate-alerts/987654").status_code == 404
