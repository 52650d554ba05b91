"""The reviewing officer's queue: cases awaiting a category decision or a supervisor's override,
overdue first; signing off and choosing another category through decide_category, with the
policy's refusal beside the field; only roles that may categorise see it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import T0, expected_report, make_user, suspicious_report
from tests.signin import sign_in
from tests.web.test_report_form import summary_links
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import Category, UserRole
from vigil.records import models as m
from vigil.services.readmodels.queues import AWAITING_DECISION, AWAITING_OVERRIDE, review_queue


def queue_refs(response) -> list[str]:
    return re.findall(r'href="/review/([^"]+)/"', response.content.decode())


def errors_beside(response) -> dict[str, str]:
    found = re.findall(
        r'<p id="([\w-]+)-error" class="govuk-error-message">'
        r'<span class="govuk-visually-hidden">Error:</span> ([^<]+)</p>',
        response.content.decode(),
    )
    return {field: message.replace("&#x27;", "'") for field, message in found}


def version_of(reference: str) -> int:
    return m.Case.objects.get(reference=reference).version


def posted(action: str, reference: str = "R-OLD", **fields: str) -> dict[str, str]:
    """One of the page's two forms as the browser posts it: the button's action, the version
    read, and the form's fields under its prefix ("override-category")."""
    data = {"action": action, "version": str(version_of(reference))}
    return data | {f"{action}-{name}": value for name, value in fields.items()}


def plain(message: str) -> bool:
    """One or two sentences in words: no identifier, short."""
    return "_" not in message and message.count(". ") <= 1 and len(message) < 300


@pytest.fixture
def cases(officer, sergeant):
    """R-OLD: suspicious, reported in 2015 (overdue); R-NEW: suspicious, reported now (nothing
    overdue yet); R-DONE: decided."""
    services.open_case(officer, "R-NEW", suspicious_report(reported_at=None, found_at=None))
    services.open_case(officer, "R-OLD", suspicious_report(), known_at=T0)
    services.open_case(officer, "R-DONE", expected_report(), known_at=T0)
    services.decide_category(sergeant, "R-DONE", Category.EXPECTED, "Died at home of old age.")
    return ["R-OLD", "R-NEW"]


def test_the_queue_lists_undecided_cases_overdue_first(client, cases, sergeant):
    sign_in(client, "sergeant1")
    page = client.get(reverse("review-queue"))
    assert page.status_code == 200
    assert queue_refs(page) == ["R-OLD", "R-NEW"]  # R-DONE is decided
    assert b"2 cases awaiting review." in page.content
    assert AWAITING_DECISION.encode() in page.content
    assert re.search(rb"8 overdue", page.content)
    entry = AuditEntry.objects.filter(event="cases.listed", target_type="review-queue").last()
    assert entry is not None and entry.actor == "sergeant1"


def test_a_decision_left_below_a_risen_floor_waits_for_a_supervisor(client, officer, sergeant):
    services.open_case(officer, "R-B", expected_report(), known_at=T0)
    services.decide_category(
        sergeant, "R-B", Category.UNEXPECTED_NOT_SUSPICIOUS, "Found at home, not expected."
    )
    assert review_queue(sergeant, face="test")[0] == 0
    # a fact learnt later raises the floor above the decision
    services.record_facts(
        officer, "R-B", expected_report().model_copy(update={"scene": suspicious_report().scene})
    )
    total, rows = review_queue(sergeant, face="test")
    assert total == 1 and rows[0].reference == "R-B" and rows[0].waiting == AWAITING_OVERRIDE
    sign_in(client, "sergeant1")
    page = client.get(reverse("review-case", args=["R-B"]))
    assert b"below the floor and has no supervisor" in page.content
    assert b'id="sign-off-reason"' in page.content  # signing it off needs an override reason


def test_only_roles_that_may_categorise_see_the_queue(client, cases, analyst):
    make_user("panel1", UserRole.PANEL_MEMBER)
    for username in ("analyst1", "panel1"):
        client.logout()
        sign_in(client, username)
        assert client.get(reverse("review-queue")).status_code == 403
        assert client.get(reverse("review-case", args=["R-OLD"])).status_code == 403
        assert b'href="/review/"' not in client.get(reverse("dashboard")).content
    client.logout()
    sign_in(client, "officer1")
    assert client.get(reverse("review-queue")).status_code == 200


def test_signing_off_records_the_category_in_force(client, cases, sergeant):
    sign_in(client, "sergeant1")
    page = client.get(reverse("review-case", args=["R-OLD"]))
    assert (
        page.status_code == 200 and b"Sign off as unexpected, under investigation" in page.content
    )
    response = client.post(
        reverse("review-case", args=["R-OLD"]),
        posted(
            "sign-off",
            category="unexpected_under_investigation",
            rationale="Young man, GHB, phone missing: investigate.",
        ),
    )
    assert response.status_code == 302 and response["Location"] == reverse("review-queue")
    decision = m.CategoryDecision.objects.get(case__reference="R-OLD")
    assert decision.decided_by == "sergeant1" and decision.override_by == ""
    after = client.get(reverse("review-queue"))
    assert queue_refs(after) == ["R-NEW"]
    assert b"Case R-OLD: category signed off as Unexpected, under investigation." in after.content


def test_a_supervisor_below_the_floor_without_a_reason_is_asked_for_the_reason(
    client, cases, sergeant
):
    sign_in(client, "sergeant1")
    response = client.post(
        reverse("review-case", args=["R-OLD"]),
        posted(
            "override",
            category="unexpected_not_suspicious",
            rationale="Looks like he took it himself.",
            reason="",
        ),
    )
    assert response.status_code == 200
    errors = errors_beside(response)
    assert list(errors) == ["override-reason"]  # the reason is missing, not the category
    error = errors["override-reason"]
    assert error.startswith("Enter your reason for overriding the floor: Unexpected, not")
    assert "below this case's floor" in error and plain(error), error
    assert summary_links(response) == ["override-reason"]
    assert not m.CategoryDecision.objects.filter(case__reference="R-OLD").exists()
    html = response.content.decode()
    assert "Looks like he took it himself." in html  # what was typed is kept
    assert re.search(r'value="unexpected_not_suspicious" checked', html)


def test_signing_off_below_the_floor_without_a_reason_asks_for_it(client, officer, sergeant):
    services.open_case(officer, "R-B", expected_report(), known_at=T0)
    services.decide_category(
        sergeant, "R-B", Category.UNEXPECTED_NOT_SUSPICIOUS, "Found at home, not expected."
    )
    services.record_facts(
        officer, "R-B", expected_report().model_copy(update={"scene": suspicious_report().scene})
    )
    sign_in(client, "sergeant1")
    response = client.post(
        reverse("review-case", args=["R-B"]),
        posted("sign-off", "R-B", category="unexpected_not_suspicious", rationale="Still natural."),
    )
    assert list(errors_beside(response)) == ["sign-off-reason"]
    assert plain(errors_beside(response)["sign-off-reason"])
    assert m.CategoryDecision.objects.filter(case__reference="R-B").count() == 1


def test_an_officer_below_the_floor_is_told_to_choose_another_category(client, cases, officer):
    sign_in(client, "officer1")
    response = client.post(
        reverse("review-case", args=["R-OLD"]),
        posted(
            "override",
            category="unexpected_not_suspicious",
            rationale="Looks like he took it himself.",
            reason="",
        ),
    )
    error = errors_beside(response)["override-category"]
    assert error.startswith("Unexpected, not suspicious is below this case's floor")
    assert "only a reviewing officer can choose it" in error and plain(error), error
    assert 'href="#override-category"' in response.content.decode()
    assert not m.CategoryDecision.objects.filter(case__reference="R-OLD").exists()


def test_a_response_officer_cannot_override_the_floor(client, cases, officer):
    sign_in(client, "officer1")
    response = client.post(
        reverse("review-case", args=["R-OLD"]),
        posted(
            "override",
            category="unexpected_not_suspicious",
            rationale="Overdose.",
            reason="I am sure.",
        ),
    )
    error = errors_beside(response)["override-category"]
    assert error.startswith("A response officer cannot override the floor") and plain(error)
    assert not m.CategoryDecision.objects.filter(case__reference="R-OLD").exists()


def test_a_supervisor_overrides_with_a_reason(client, cases, sergeant):
    sign_in(client, "sergeant1")
    response = client.post(
        reverse("review-case", args=["R-OLD"]),
        posted(
            "override",
            category="unexpected_not_suspicious",
            rationale="Toxicology and the post-mortem explain the death.",
            reason="Pathologist found no third-party involvement.",
        ),
    )
    assert response.status_code == 302
    decision = m.CategoryDecision.objects.get(case__reference="R-OLD")
    assert decision.override_by == "sergeant1"
    assert decision.override_reason == "Pathologist found no third-party involvement."
    assert "R-OLD" not in queue_refs(client.get(reverse("review-queue")))


@pytest.mark.parametrize(
    ("action", "data", "field", "message"),
    [
        ("sign-off", {"rationale": " "}, "sign-off-rationale", "Reasons for the category: enter"),
        ("override", {"category": ""}, "override-category", "Category: select one"),
        ("override", {"rationale": ""}, "override-rationale", "Reasons for the category: enter"),
        ("sign-off", {"category": "closed"}, "sign-off-category", "Category: select one of the"),
        ("override", {"category": "closed"}, "override-category", "Category: select one of the"),
    ],
)
def test_missing_or_unknown_answers_are_refused_beside_the_field(
    client, cases, sergeant, action, data, field, message
):
    sign_in(client, "sergeant1")
    post = posted(action, **({"category": "homicide", "rationale": "Reasons."} | data))
    response = client.post(reverse("review-case", args=["R-OLD"]), post)
    assert message in errors_beside(response)[field]
    assert field in summary_links(response)
    assert not m.CategoryDecision.objects.filter(case__reference="R-OLD").exists()


def test_a_stale_version_changes_nothing(client, cases, sergeant, investigator):
    sign_in(client, "sergeant1")
    read = version_of("R-OLD")
    services.record_facts(investigator, "R-OLD", suspicious_report(scene__wallet="missing"))
    response = client.post(
        reverse("review-case", args=["R-OLD"]),
        {
            "action": "sign-off",
            "version": read,
            "sign-off-category": "unexpected_under_investigation",
            "sign-off-rationale": "Investigate.",
        },
    )
    assert response.status_code == 200
    assert "has changed since you read it" in response.content.decode()
    assert summary_links(response) == ["decision"]
    assert 'name="sign-off-rationale"' in response.content.decode()
    assert "Investigate.</textarea>" in response.content.decode()  # what was typed is kept
    assert not m.CategoryDecision.objects.filter(case__reference="R-OLD").exists()


def test_a_restricted_case_is_neither_queued_nor_found_for_the_unnamed(client, cases, sergeant):
    services.restrict_case(sergeant, "R-OLD")
    make_user("sergeant2", UserRole.REVIEWING_OFFICER)
    sign_in(client, "sergeant2")
    assert queue_refs(client.get(reverse("review-queue"))) == ["R-NEW"]
    assert client.get(reverse("review-case", args=["R-OLD"])).status_code == 404
