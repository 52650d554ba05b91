"""The case page: summary, category and floor, the checklist, the report, persons, liaison,
exhibits and custody, actions, referrals, linked cases and the fact timeline; audited, masked
by role, and absent for a user not named on a restricted case."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from tests.conftest import T0, make_user, suspicious_report, two_similar_deaths
from tests.signin import sign_in
from tests.web.casework import add_casework
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import Category, DeathReport, UserRole


def text(response) -> str:
    """The page's main content as plain text."""
    page = response.content.decode()
    main = page[page.index("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&#x27;", "'")


def section(response, anchor: str) -> str:
    """The plain text of one section of the page, from its heading to the next h2."""
    page = text(response)
    html = response.content.decode()
    start = html.index(f'id="{anchor}"')
    end = html.find("<h2", start + 1)
    chunk = html[start : end if end > 0 else None]
    assert page  # the page rendered
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", chunk)).replace("&#x27;", "'")


@pytest.fixture
def worked_case(officer, investigator):
    services.open_case(officer, "C-1", suspicious_report(), known_at=T0)
    add_casework(investigator, "C-1", T0, owner="investigator1")
    services.record_facts(
        investigator,
        "C-1",
        DeathReport.model_validate({"toxicology": {"status": "confirmed", "substances": ["ghb"]}}),
        known_at=T0 + timedelta(days=20),
    )
    return "C-1"


def test_the_case_page_shows_every_section(client, worked_case, sergeant):
    sign_in(client, "sergeant1")
    page = client.get(reverse("case-detail", args=[worked_case]))
    assert page.status_code == 200
    html = page.content.decode()
    for anchor in ("summary", "category", "checklist", "report", "persons", "liaison"):
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    for anchor in ("exhibits", "actions", "referrals", "links", "timeline"):
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    assert "moj-sub-navigation" in html

    category = section(page, "category")
    assert "Unexpected, under investigation" in category
    assert "Awaiting a reviewing officer\N{RIGHT SINGLE QUOTATION MARK}s decision" in category
    assert "The body was moved after death." in category
    assert "(the body was moved after death;" in category  # the evidence beside the reason

    checklist = section(page, "checklist")
    assert "A sergeant or above attends" in checklist
    assert "Overdue" in checklist  # deadlines in 2015 have passed
    assert "reviewing officer" in checklist
    assert "1 Jun 2015 09:30" in checklist  # reported 07:30 BST + 2 hours

    persons = section(page, "persons")
    assert "Chris Callerperson" in persons and "caller" in persons
    assert "phone: 07700 900461" in persons
    assert "Jo Familyperson" in persons and "next of kin" in persons

    liaison = section(page, "liaison")
    assert "Who was he with that night?" in liaison and "Not answered" in liaison
    assert "in person by DC Liaison" in liaison

    exhibits = section(page, "exhibits")
    assert "EX-1: Handwritten note found in the jacket pocket" in exhibits
    assert "seized" in exhibits and "sent for examination" in exhibits
    assert "Forensic lab" in exhibits and "handwriting" in exhibits

    actions = section(page, "actions")
    assert "Check the caller on police systems" in actions and "investigator1" in actions
    assert "Raised" in actions

    referrals = section(page, "referrals")
    assert "R-1 to Homicide team" in referrals and "Not answered" in referrals


def test_the_timeline_shows_when_each_fact_became_known(client, worked_case, sergeant):
    sign_in(client, "sergeant1")
    timeline = section(client.get(reverse("case-detail", args=[worked_case])), "timeline")
    # newest first: the toxicology result twenty days on, then the facts of the first report
    assert timeline.index("21 Jun 2015") < timeline.index("1 Jun 2015")
    assert "recorded by investigator1" in timeline and "recorded by officer1" in timeline
    assert "Toxicology: Confirmed" in timeline
    assert "Scene: the deceased's phone: Missing" in timeline
    assert "<time" in client.get(reverse("case-detail", args=[worked_case])).content.decode()


def test_viewing_a_case_is_audited_as_a_consultation(client, worked_case, sergeant):
    sign_in(client, "sergeant1")
    before = AuditEntry.objects.filter(event="case.viewed", target_ref=worked_case).count()
    client.get(reverse("case-detail", args=[worked_case]))
    viewed = AuditEntry.objects.filter(event="case.viewed", target_ref=worked_case)
    assert viewed.count() == before + 1
    assert viewed.last().actor == "sergeant1" and viewed.last().verb == "consultation"


def test_a_category_decision_and_its_override_are_shown(client, worked_case, sergeant):
    services.decide_category(
        sergeant,
        worked_case,
        Category.UNEXPECTED_NOT_SUSPICIOUS,
        "Toxicology explains the death.",
        override_reason="The pathologist found no third-party involvement.",
    )
    sign_in(client, "sergeant1")
    category = section(client.get(reverse("case-detail", args=[worked_case])), "category")
    assert "Decided by sergeant1" in category
    assert "By sergeant1: The pathologist found no third-party involvement." in category
    assert "Toxicology explains the death." in category


def test_linked_cases_show_the_explanation_and_link_to_the_other_case(
    client, linked_pair, sergeant
):
    sign_in(client, "sergeant1")
    page = client.get(reverse("case-detail", args=["L-1"]))
    links = section(page, "links")
    assert "L-2" in links and "match weight" in links
    assert "share phone +447700900461" in links
    assert "Alert awaiting an answer" in links
    assert f'href="{reverse("case-detail", args=["L-2"])}"' in page.content.decode()


def test_a_response_officer_is_told_linkage_is_not_theirs(client, linked_pair):
    sign_in(client, "officer1")
    links = section(client.get(reverse("case-detail", args=["L-1"])), "links")
    assert "L-2" not in links
    assert "Linkage is shown to reviewing officers" in links


def test_masked_fields_read_as_withheld(client, officer, sergeant):
    report = suspicious_report(deceased__sexuality="gay", deceased__drug_use="chemsex")
    services.open_case(sergeant, "C-2", report, known_at=T0)  # only a role that reads them
    sign_in(client, "officer1")  # a response officer may not see sensitive fields
    page = client.get(reverse("case-detail", args=["C-2"]))
    body = text(page)
    assert "chemsex" not in page.content.decode() and "gay" not in body
    report_section = section(page, "report")
    assert re.search(r"Sexuality Withheld", report_section)
    assert re.search(r"Known drug use Withheld", report_section)
    client.logout()
    sign_in(client, "sergeant1")  # a reviewing officer may
    report_section = section(client.get(reverse("case-detail", args=["C-2"])), "report")
    assert "Sexuality gay" in report_section and "Known drug use chemsex" in report_section


def test_the_advisory_panel_sees_no_names(client, worked_case):
    make_user("panel1", UserRole.PANEL_MEMBER)
    sign_in(client, "panel1")
    page = client.get(reverse("case-detail", args=[worked_case]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Alex Testperson" not in html and "Chris Callerperson" not in html
    assert "07700 900461" not in html
    assert "Withheld" in section(page, "persons")


def test_a_restricted_case_is_not_found_by_a_user_not_named_on_it(client, worked_case, sergeant):
    services.restrict_case(sergeant, worked_case)
    make_user("investigator2", UserRole.INVESTIGATOR)
    sign_in(client, "investigator2")
    hidden = client.get(reverse("case-detail", args=[worked_case]))
    missing = client.get(reverse("case-detail", args=["NO-SUCH"]))
    assert hidden.status_code == missing.status_code == 404


def test_a_draft_report_says_what_is_still_to_record(client, officer):
    services.open_case(officer, "C-3", DeathReport.model_validate({"deceased": {"age": 30}}))
    sign_in(client, "officer1")
    page = client.get(reverse("case-detail", args=["C-3"]))
    body = text(page)
    assert "This report is a draft" in body
    assert "Enter when the body was found" in body
    assert reverse("case-edit", args=["C-3"]) in page.content.decode()


def test_roles_see_only_the_buttons_they_may_use(client, worked_case, analyst):
    sign_in(client, "analyst1")
    html = client.get(reverse("case-detail", args=[worked_case])).content.decode()
    assert reverse("case-edit", args=[worked_case]) not in html
    assert reverse("review-case", args=[worked_case]) not in html
    assert 'href="/cases/new/"' not in html and 'href="/review/"' not in html  # navigation


def test_free_text_is_escaped_and_keeps_its_line_breaks(client, officer):
    address = '<script>alert("x")</script> 1 Test Row\nTestville'
    services.open_case(officer, "C-4", suspicious_report(location__address=address), known_at=T0)
    sign_in(client, "officer1")
    html = client.get(reverse("case-detail", args=["C-4"])).content.decode()
    assert '<script>alert("x")' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 1 Test Row<br>Testville" in html


def test_the_case_page_tells_a_response_officer_the_death_is_like_another(client, db):
    officer = make_user("pc1", UserRole.RESPONSE_OFFICER)
    make_user("analyst1", UserRole.ANALYST)
    two_similar_deaths(officer)
    sign_in(client, "pc1")
    page = client.get("/cases/L-2/").content.decode()
    assert "This death is like 1 other case" in page
    assert 'href="/cases/L-1/"' in page
