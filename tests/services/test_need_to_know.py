"""Need-to-know: a restricted case is visible only to the users named on it. For anyone else
it does not exist, by reference, in lists and counts, in search, alerts, series, exports and
overdue items; administrators are not exempt. Taking a name off counts at the next call."""

from __future__ import annotations

import io
import json

import pytest

from tests.conftest import make_user
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import DeathReport, UserRole
from vigil.records import models as m
from vigil.services.linkage.series import Verdict, judge, list_alerts, list_series, series_of


@pytest.fixture
def restricted(linked_pair, sergeant, analyst):
    """L-1 and L-2 alerted, confirmed into a series; then L-2 restricted to the sergeant."""
    judge(analyst, linked_pair.pk, Verdict.CONFIRM, "Same phone, same drug.")
    services.restrict_case(sergeant, "L-2")
    return "L-2"


@pytest.fixture
def outsider(db):
    """An investigator who is not named on L-2."""
    return make_user("investigator-x", UserRole.INVESTIGATOR)


@pytest.fixture
def admin(db):
    return make_user("admin-x", UserRole.ADMINISTRATOR)


def refusal(call):
    with pytest.raises(services.NotFound) as info:
        call()
    return (info.value.field, info.value.reason)


def test_by_reference_it_is_not_found_exactly_as_a_case_that_does_not_exist(restricted, outsider):
    hidden = refusal(lambda: services.view_case(outsider, "L-2", face="test"))
    missing = refusal(lambda: services.view_case(outsider, "NO-SUCH", face="test"))
    assert hidden == ("reference", "there is no case 'L-2'")
    assert missing == ("reference", "there is no case 'NO-SUCH'")
    report = DeathReport.model_validate({"circumstances": "x"})
    assert refusal(lambda: services.record_facts(outsider, "L-2", report))[0] == "reference"


def test_not_in_lists_counts_or_search(restricted, outsider, sergeant):
    total, rows = services.list_cases(outsider, face="test")
    assert total == 1 and [r.reference for r in rows] == ["L-1"]
    assert services.list_cases(outsider, face="test", search="L-2") == (0, [])
    assert services.list_cases(outsider, face="test", search="Alex Testperson")[0] == 1
    total, rows = services.list_cases(sergeant, face="test", search="L-2")
    assert total == 1 and rows[0].reference == "L-2"


def test_not_in_alerts_and_the_link_cannot_be_judged(restricted, outsider, analyst, sergeant):
    m.Alert.objects.update(answered=False)
    assert list_alerts(outsider, face="test") == []
    assert list_alerts(analyst, face="test") == []  # the analyst is not named either
    with pytest.raises(services.NotFound):
        judge(analyst, m.CaseLink.objects.get().pk, Verdict.REJECT, "No.")
    assert [(a.a, a.b) for a in list_alerts(sergeant, face="test")] == [("L-1", "L-2")]


def test_not_in_series(restricted, outsider, sergeant):
    assert list_series(outsider, face="test") == []  # L-1 alone is no series
    # the words a case in no series gets: nothing says a hidden case is linked to it
    assert refusal(lambda: series_of(outsider, "L-1", face="test")) == (
        "reference",
        "case 'L-1' is in no confirmed series",
    )
    page = series_of(sergeant, "L-1", face="test")
    assert [c.reference for c in page.cases] == ["L-1", "L-2"]
    assert list_series(sergeant, face="test") == [["L-1", "L-2"]]


def test_not_in_exports_or_overdue_items(restricted, outsider, sergeant):
    out = io.StringIO()
    assert services.export_cases(outsider, out, references=["L-1", "L-2"]) == 1
    assert [json.loads(line)["reference"] for line in out.getvalue().splitlines()] == ["L-1"]
    assert "L-2" not in {i.reference for i in services.overdue_items(outsider)}
    assert "L-2" in {i.reference for i in services.overdue_items(sergeant)}
    geo = io.StringIO()
    services.export_cases(outsider, geo, fmt="geojson")
    assert "L-2" not in geo.getvalue()


def test_administrators_are_not_exempt_unless_named(restricted, admin, sergeant):
    assert refusal(lambda: services.view_case(admin, "L-2", face="test"))[0] == "reference"
    assert services.list_cases(admin, face="test")[0] == 1
    services.name_on_case(sergeant, "L-2", "admin-x")
    assert services.view_case(admin, "L-2", face="test").view.reference == "L-2"
    assert services.list_cases(admin, face="test")[0] == 2


def test_nobody_can_name_themselves_onto_a_case_they_cannot_see(restricted, outsider):
    assert refusal(lambda: services.name_on_case(outsider, "L-2", "investigator-x"))
    assert refusal(lambda: services.restrict_case(outsider, "L-2"))


def test_a_named_user_sees_it_until_taken_off(restricted, outsider, sergeant):
    services.name_on_case(sergeant, "L-2", "investigator-x")
    assert services.view_case(outsider, "L-2", face="test").view.reference == "L-2"
    assert services.list_cases(outsider, face="test")[0] == 2
    services.unname_from_case(sergeant, "L-2", "investigator-x")
    assert refusal(lambda: services.view_case(outsider, "L-2", face="test"))[0] == "reference"
    assert services.who_may_see(sergeant, "L-2") == (True, ["sergeant1"])


def test_the_last_named_user_stays_and_lifting_the_restriction_opens_it(
    restricted, outsider, sergeant
):
    with pytest.raises(services.Invalid, match="last user named"):
        services.unname_from_case(sergeant, "L-2", "sergeant1")
    services.unrestrict_case(sergeant, "L-2")
    assert services.list_cases(outsider, face="test")[0] == 2


def test_only_active_users_can_be_named_and_every_change_is_audited(restricted, sergeant):
    with pytest.raises(services.Invalid):
        services.name_on_case(sergeant, "L-2", "nobody")
    make_user("panel-x", UserRole.PANEL_MEMBER)
    services.name_on_case(sergeant, "L-2", "panel-x")
    services.unname_from_case(sergeant, "L-2", "panel-x")
    events = list(
        AuditEntry.objects.filter(target_ref="L-2", event__startswith="case.")
        .exclude(event__in=["case.opened", "case.linked", "case.scanned", "case.person_recorded"])
        .values_list("event", flat=True)
        .order_by("seq")
    )
    assert events == ["case.restricted", "case.user_named", "case.user_unnamed"]
