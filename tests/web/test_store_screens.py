"""The pages of the screens on the store's own deaths: clearance clusters (table and map) and
rate alerts (list, chart, answer)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.services.test_rate_alerts import analyst, low_threshold  # noqa: F401
from tests.signin import sign_in
from tests.store_screens import HIDDEN, RATES_ON, clearance_store, rates_store
from vigil import services
from vigil.domain import UserRole
from vigil.records import models as m


@pytest.fixture
def cleared(officer):
    clearance_store(officer)


def test_the_panel_reads_the_groups_and_a_map_with_no_case_in_them(client, cleared):
    make_user("panel1", UserRole.PANEL_MEMBER)
    sign_in(client, "panel1")
    response = client.get(reverse("oversight-clearance"))
    assert response.status_code == 200
    page = response.content.decode()
    table = page.split('id="groups"', 1)[1]
    assert table.index("drug toxicity") < table.index("not recorded")
    assert "East Area" in table and "West Area" in table
    assert page.count("<circle") == 3 and page.count("<path") == 2  # 3 groups, 2 units
    assert "East Area: male, drug toxicity: 3 unsolved of 4" in page
    assert "1 death where the investigation found no crime" in page
    assert "CL-1" not in page and HIDDEN not in page and "Alex Testperson" not in page


def test_the_settings_narrow_the_groups_and_bad_ones_are_named(client, cleared, sergeant):
    sign_in(client, "sergeant1")
    women = client.get(reverse("oversight-clearance"), {"sex": "female"}).content.decode()
    assert "1 group solved at or below 33%" in women
    bad = client.get(reverse("oversight-clearance"), {"max_clearance": "2", "years": "2020-2015"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert 'href="#years"' in text and "2020 is after 2015" in text


def test_a_user_without_view_oversight_is_refused(client, cleared, officer):
    sign_in(client, "officer1")
    assert client.get(reverse("oversight-clearance")).status_code == 403
    make_user("analyst9", UserRole.ANALYST)
    sign_in(client, "analyst9")
    assert client.get(reverse("oversight-clearance")).status_code == 403


@pytest.fixture
def raised(officer, analyst, low_threshold):  # noqa: F811
    rates_store(officer)
    services.screen_rates(analyst, on=RATES_ON)
    return m.RateAlert.objects.get(kind="certifier")


def test_the_alerts_page_links_to_the_rate_alerts_and_they_list(client, raised):
    sign_in(client, "analyst1")
    assert reverse("rate-alert-list") in client.get(reverse("alert-list")).content.decode()
    listing = client.get(reverse("rate-alert-list")).content.decode()
    assert "2 rate alerts" in listing and "Dr A Able (GMC 1000001)" in listing
    assert reverse("rate-alert-detail", args=[raised.pk]) in listing


def test_an_alert_shows_its_words_chart_and_cases_and_is_answered(client, raised):
    sign_in(client, "analyst1")
    url = reverse("rate-alert-detail", args=[raised.pk])
    page = client.get(url).content.decode()
    assert "certified 12 deaths in January-June 2025 where 6.0 were expected" in page
    assert page.count("<polyline") == 1 and 'stroke-dasharray="6 4"' in page  # the threshold
    assert page.count('class="govuk-link" href="/cases/RT-') == 12
    refused = client.post(url, {"verdict": "concern", "reason": ""})
    assert (
        refused.status_code == 400
        and "Enter the reason for your answer" in refused.content.decode()
    )
    done = client.post(
        url, {"verdict": "concern", "reason": "Ask the medical examiner."}, follow=True
    )
    assert "Ask the medical examiner." in done.content.decode()
    assert m.RateJudgement.objects.get(alert=raised).verdict == "concern"


def test_a_restricted_case_is_not_on_the_page_of_one_not_named(client, raised):
    hidden = sorted(raised.members.values_list("case__reference", flat=True))[0]
    keeper = make_user("keeper1", UserRole.REVIEWING_OFFICER)
    services.restrict_case(keeper, hidden, [])
    make_user("analyst2", UserRole.ANALYST)
    sign_in(client, "analyst2")
    page = client.get(reverse("rate-alert-detail", args=[raised.pk])).content.decode()
    assert f"/cases/{hidden}/" not in page
    assert page.count('class="govuk-link" href="/cases/RT-') == 11


def test_an_officer_may_not_see_them_nor_the_panel_answer(client, raised, officer):
    sign_in(client, "officer1")
    assert client.get(reverse("rate-alert-list")).status_code == 403
    make_user("investigator1", UserRole.INVESTIGATOR)
    sign_in(client, "investigator1")
    url = reverse("rate-alert-detail", args=[raised.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"verdict": "concern", "reason": "x"}).status_code == 403
    assert not m.RateJudgement.objects.exists()
