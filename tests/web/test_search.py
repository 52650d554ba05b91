"""The search page: results the user may see, errors beside the field, every search audited.
The cases are synthetic (tests/conftest.py factories)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.conftest import T0, make_user, suspicious_report
from tests.signin import sign_in
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import PersonEntry, UserRole


@pytest.fixture
def cases(officer):
    services.open_case(officer, "Q-1", suspicious_report(), known_at=T0)
    services.record_person(
        officer,
        "Q-1",
        PersonEntry(
            ref="P-Q",
            name="Quinn Caller",
            roles=["caller"],
            identifiers=[{"kind": "phone", "value": "07700 900123"}],
        ),
    )
    services.open_case(officer, "Q-2", suspicious_report(deceased__name="Robin Other"), known_at=T0)


def searches(actor: str) -> list[dict]:
    rows = AuditEntry.objects.filter(actor=actor, event="cases.listed").order_by("seq")
    return [json.loads(row.payload) for row in rows]


def test_the_page_without_a_query_is_the_form(client, cases, analyst):
    sign_in(client, "analyst1")
    response = client.get(reverse("search"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<label class="govuk-label govuk-label--s" for="q">' in page
    assert "found for" not in page
    assert searches("analyst1") == []


def test_results_show_the_case_and_what_matched_and_the_search_is_audited(client, cases, analyst):
    sign_in(client, "analyst1")
    response = client.get(reverse("search"), {"q": "07700900123"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 case found for \N{LEFT SINGLE QUOTATION MARK}07700900123" in page
    assert f'href="{reverse("case-detail", args=["Q-1"])}"' in page and "Q-2" not in page
    assert "Phone of caller Quinn Caller:</span> 07700 900123 (+447700900123)" in page
    assert searches("analyst1") == [
        {"face": "web", "count": 1, "total": 1, "search": "07700900123", "full_text": True}
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Enter a name, phone number, address, place or reference"),
        ("--", "Enter a name, phone number, address, place or reference"),
        ("word " * 50, "A search can be at most 200 characters long"),
    ],
)
def test_a_query_without_words_is_an_error_beside_the_field(client, cases, analyst, query, message):
    sign_in(client, "analyst1")
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<p id="q-error" class="govuk-error-message">' in page and message in page
    assert 'href="#q"' in page and "govuk-input--error" in page
    assert searches("analyst1") == []


def test_a_restricted_case_is_not_found_nor_counted(client, cases, sergeant, analyst):
    services.restrict_case(sergeant, "Q-1")
    sign_in(client, "analyst1")
    page = client.get(reverse("search"), {"q": "churchyard"}).content.decode()
    assert "1 case found" in page and "Q-1" not in page and "Q-2" in page
    assert "0 cases found" in client.get(reverse("search"), {"q": "Quinn"}).content.decode()


def test_withheld_names_stay_withheld_in_results(client, cases, sergeant, analyst):
    services.restrict_case(sergeant, "Q-1", ["analyst1"])
    sign_in(client, "analyst1")
    page = client.get(reverse("search"), {"q": "Quinn"}).content.decode()
    assert "1 case found" in page and "Alex Testperson" not in page and "[withheld]" in page
    assert "0 cases found" in client.get(reverse("search"), {"q": "Alex"}).content.decode()


def test_many_results_are_paged(client, officer):
    for number in range(23):
        services.open_case(officer, f"M-{number:02}", suspicious_report(), known_at=T0)
    make_user("panel1", UserRole.PANEL_MEMBER)
    sign_in(client, "panel1")
    first = client.get(reverse("search"), {"q": "churchyard"}).content.decode()
    assert "23 cases found" in first and first.count('class="govuk-table__row"') == 21
    assert "page=2" in first and 'rel="prev"' not in first
    second = client.get(reverse("search"), {"q": "churchyard", "page": "2"}).content.decode()
    assert second.count('class="govuk-table__row"') == 4 and 'rel="prev"' in second
