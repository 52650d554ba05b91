"""The analyst's alert queue and an alert opened side by side, answered through the page.

The two deaths are the synthetic linked pair of tests/conftest.py: GHB, 300 m and three weeks
apart, the same phone as the caller's on one and a friend's on the other."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.signin import sign_in
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import UserRole
from vigil.records import models as m
from vigil.services.linkage.series import Verdict, judge


@pytest.fixture
def signed_in(client, linked_pair):
    sign_in(client, "analyst1")
    return client


def test_the_queue_lists_the_alert_with_its_reasons_and_is_audited(signed_in, linked_pair):
    response = signed_in.get(reverse("alert-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "L-1 and L-2" in page
    assert reverse("alert-detail", args=[linked_pair.pk]) in page
    assert "Awaiting an answer" in page
    assert "+447700900461" in page  # the strongest reason names the shared phone
    listed = AuditEntry.objects.filter(event="alerts.listed", actor="analyst1")
    assert listed.count() == 1 and listed.get().verb == "consultation"


def test_an_alert_on_a_restricted_case_the_analyst_is_not_named_on_does_not_exist(
    signed_in, linked_pair, sergeant
):
    services.restrict_case(sergeant, "L-2")
    page = signed_in.get(reverse("alert-list")).content.decode()
    assert "L-2" not in page and "0 alerts" in page
    assert signed_in.get(reverse("alert-detail", args=[linked_pair.pk])).status_code == 404
    assert signed_in.get(reverse("alert-detail", args=[999_999])).status_code == 404
    answer = {"verdict": "confirm", "reason": "Same phone."}
    assert signed_in.post(reverse("alert-detail", args=[linked_pair.pk]), answer).status_code == 404
    assert not m.Judgement.objects.exists()


def test_a_role_without_alerts_is_refused(client, linked_pair):
    sign_in(client, "officer1")
    assert client.get(reverse("alert-list")).status_code == 403
    assert client.get(reverse("alert-detail", args=[linked_pair.pk])).status_code == 403


def test_the_comparison_shows_both_cases_and_the_explanation(signed_in, linked_pair):
    response = signed_in.get(reverse("alert-detail", args=[linked_pair.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    # the explanation: each reason's sentence and weight, and the total
    assert (
        "Share phone +447700900461: friend (Friend Two) on L-2, caller (Caller One) on L-1" in page
    )
    assert "GHB was found in both" in page
    for reason in linked_pair.reasons:  # each weight as the page writes it
        assert f"{reason['weight']:+.1f}" in page
    assert len(linked_pair.reasons) + 1 == page.count(
        '<td class="govuk-table__cell govuk-table__cell--numeric">'
    )  # a row for each reason, and the total
    assert f"match weight {linked_pair.match_weight:.1f}" in page
    # the facts compared, side by side, with what they share marked
    assert "churchyard" in page and "ghb" in page
    assert '<mark class="vigil-shared">phone +447700900461</mark>' in page
    assert "Caller One" in page and "Friend Two" in page
    # a view of each case, audited as a consultation
    viewed = AuditEntry.objects.filter(event="case.viewed", actor="analyst1")
    assert sorted(viewed.values_list("target_ref", flat=True)) == ["L-1", "L-2"]


def test_confirming_with_a_reason_joins_a_series_and_shows_it(signed_in, linked_pair):
    url = reverse("alert-detail", args=[linked_pair.pk])
    response = signed_in.post(url, {"verdict": "confirm", "reason": "Same phone, same drug."})
    assert response.status_code == 302 and response["Location"] == url
    judgement = m.Judgement.objects.get(link=linked_pair)
    assert (judgement.verdict, judgement.reason, judgement.by) == (
        "confirm",
        "Same phone, same drug.",
        "analyst1",
    )
    page = signed_in.get(url).content.decode()
    assert "You confirmed the link." in page
    assert "Confirmed" in page
    assert f'href="{reverse("series-detail", args=["L-1"])}"' in page
    assert "Series L-1" in page
    # answered: no longer awaiting, still listed among all alerts
    assert "0 alerts" in signed_in.get(reverse("alert-list")).content.decode()
    everything = signed_in.get(reverse("alert-list") + "?show=all").content.decode()
    assert "L-1 and L-2" in everything and "Answered" in everything


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"verdict": "confirm", "reason": "   "}, "reason", "Enter the reason for your answer"),
        ({"reason": "Same phone."}, "verdict", "Select whether you confirm or reject the link"),
        ({"verdict": "maybe", "reason": "x"}, "verdict", "Select whether you confirm or reject"),
        (
            {"verdict": "reject", "reason": "x" * 2001},
            "reason",
            "The reason must be 2,000 characters or fewer",
        ),
    ],
)
def test_a_bad_answer_is_refused_beside_the_field_and_changes_nothing(
    signed_in, linked_pair, form, field, message
):
    response = signed_in.post(reverse("alert-detail", args=[linked_pair.pk]), form)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="{field}-error"' in page and message in page
    assert "govuk-error-summary" in page and f'href="#{field}"' in page
    assert not m.Judgement.objects.exists()
    assert not m.Alert.objects.get(link=linked_pair).answered


def test_an_investigator_sees_the_comparison_but_may_not_answer(client, linked_pair, investigator):
    sign_in(client, "investigator1")
    url = reverse("alert-detail", args=[linked_pair.pk])
    page = client.get(url).content.decode()
    assert "Why they were linked" in page and 'name="reason"' not in page
    assert client.post(url, {"verdict": "confirm", "reason": "x"}).status_code == 403
    assert not m.Judgement.objects.exists()


def test_a_restricted_deceased_is_masked_in_the_comparison(client, linked_pair, sergeant):
    services.restrict_case(sergeant, "L-1", ["analyst1"])
    sign_in(client, "analyst1")
    page = client.get(reverse("alert-detail", args=[linked_pair.pk])).content.decode()
    # The analyst is named on L-1 but, without see_sensitive, may not see who the deceased was.
    cells = page.split("Deceased</th>", 1)[1].split("</tr>", 1)[0]
    assert "[withheld]" in cells
    entry = AuditEntry.objects.filter(event="case.viewed", target_ref="L-1").get()
    assert json.loads(entry.payload)["face"] == "web"


def test_the_series_list_links_each_series(signed_in, linked_pair):
    judge(make_user("analyst2", UserRole.ANALYST), linked_pair.pk, Verdict.CONFIRM, "Same.")
    page = signed_in.get(reverse("series-list")).content.decode()
    assert f'href="{reverse("series-detail", args=["L-1"])}"' in page and "L-1, L-2" in page
