"""The retrospective reviews' pages: the list with the form that defines a review (errors beside
the fields, recorded sexuality offered only to readers allowed it), a review's deaths with the
items never done and an outcome form for each, and its report as a page and as a PDF that pypdf
reads back; and, as issue 14's Done-when asks, a review of the GHB deaths over a period in the
demo data (synthetic) that lists them with the items never done today and prints.

All deaths and people are synthetic."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.browser.test_every_page import internal_names
from tests.conftest import SYSTEM, ghb_death, make_user
from tests.signin import sign_in
from tests.web.test_review import errors_beside
from vigil import services
from vigil.demo import generate
from vigil.demo.generate import to_line
from vigil.demo.users import DEMO_USERS
from vigil.domain.reviews import Outcome
from vigil.records import models as m
from vigil.web.reviews import prefix_of


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def deaths(investigator):
    ghb_death("G-1", 0, 51.5386, 0.0811, investigator, deceased__sexuality="Gay")
    ghb_death("G-2", 40, 51.5395, 0.0840, investigator, location__place_type="park")
    ghb_death("H-1", 10, 51.5386, 0.0811, investigator, toxicology__substances=["heroin"])


def define(client, **fields: str):
    data = {"title": "GHB deaths", **{f"selection.{k}": v for k, v in fields.items()}}
    return client.post(reverse("review-list"), data)


def listed(html: str) -> set[str]:
    """The deaths a review page lists (each a heading; the linkage part names others too)."""
    return set(re.findall(r'<h2 class="govuk-heading-m" id="case-\w+"><a [^>]*>([^<]+)</a>', html))


def review_id(response) -> int:
    return int(re.fullmatch(r"/reviews/(\d+)/", response["Location"]).group(1))


def test_an_analyst_defines_a_review_and_reads_its_deaths(client, deaths, analyst):
    sign_in(client, "analyst1")
    page = client.get(reverse("review-list")).content.decode()
    assert 'name="selection.substance"' in page and "Define the review" in page
    assert 'name="selection.sexuality"' not in page  # a sensitive field: not for an analyst
    response = define(client, substance="ghb", found_from="2015-06-01", found_to="2015-12-31")
    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()
    assert listed(shown) == {"G-1", "G-2"}
    assert "A sergeant or above attends" in shown  # never done, under today's policy
    assert "items never done" in shown
    assert f'id="{prefix_of("G-1")}"' in shown  # the analyst reviews it: an outcome form each
    listing = client.get(reverse("review-list")).content.decode()
    assert "GHB deaths" in listing and "toxicology found &#x27;ghb&#x27;" in listing


def test_a_selection_the_wrong_way_round_is_refused_beside_its_field(client, analyst):
    sign_in(client, "analyst1")
    response = define(client, found_from="2016-01-01", found_to="2015-01-01")
    assert response.status_code == 200
    assert errors_beside(response) == {
        "selection-found_to": "Found on or before is before the start of the period"
    }
    partial = define(client, **{"circle.latitude": "51.5"})
    errors = errors_beside(partial)
    assert set(errors) == {"selection-circle-longitude", "selection-circle-km"}
    assert all("_" not in message for message in errors.values())
    assert not m.Review.objects.exists()


def test_sexuality_is_offered_to_a_reviewing_officer(client, deaths, sergeant):
    sign_in(client, "sergeant1")
    assert 'name="selection.sexuality"' in client.get(reverse("review-list")).content.decode()
    response = define(client, sexuality="gay")
    assert listed(client.get(response["Location"]).content.decode()) == {"G-1"}


def test_roles_that_may_not_work_a_review_are_refused(client, deaths, officer):
    sign_in(client, "officer1")
    assert client.get(reverse("review-list")).status_code == 403
    assert "Retrospective reviews" not in client.get(reverse("dashboard")).content.decode()


def test_an_outcome_through_its_form(client, deaths, analyst):
    sign_in(client, "analyst1")
    review = review_id(define(client, substance="ghb"))
    prefix = prefix_of("G-2")
    url = reverse("review-detail", args=[review])
    base = {"action": "outcome", "reference": "G-2"}
    missing = client.post(url, {**base, f"{prefix}-outcome": "no_further_action"})
    assert missing.status_code == 200
    assert errors_beside(missing) == {f"{prefix}-rationale": "Rationale: enter it"}
    done = client.post(
        url,
        {**base, f"{prefix}-outcome": "no_further_action", f"{prefix}-rationale": "Natural."},
    )
    assert done.status_code == 302
    row = m.ReviewOutcome.objects.get()
    assert (row.case.reference, row.outcome, row.by) == (
        "G-2",
        Outcome.NO_FURTHER_ACTION,
        "analyst1",
    )
    assert "No further action" in client.get(url).content.decode()


def test_link_again_and_close_through_the_buttons(client, deaths, analyst):
    sign_in(client, "analyst1")
    review = review_id(define(client, substance="ghb"))
    url = reverse("review-detail", args=[review])
    again = client.post(url, {"action": "relink"}, follow=True)
    assert "2 deaths re-linked." in again.content.decode()
    closed = client.post(url, {"action": "close"}, follow=True).content.decode()
    assert "Review closed" in closed and "Give G-1 an outcome" not in closed
    assert m.Review.objects.get(pk=review).status == "closed"


def test_the_report_as_a_page_and_as_a_pdf(client, deaths, analyst):
    sign_in(client, "analyst1")
    review = review_id(define(client, substance="ghb"))
    services.record_outcome(analyst, review, "G-1", Outcome.NO_FURTHER_ACTION, "Seen to.")
    page = client.get(reverse("review-report", args=[review]))
    assert page.status_code == 200 and "Seen to." in page.content.decode()
    response = client.get(reverse("review-report-pdf", args=[review]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert f"Retrospective review {review}: GHB deaths" in text
    assert "G-1: found" in text and "G-2: found" in text and "H-1: found" not in text
    assert "never done" in text and "Seen to." in text


def visible_text(page: str) -> str:
    body = page.split("<body", 1)[1].split(">", 1)[1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_pages_speak_in_words(client, deaths, analyst):
    """No code or field path reaches a reader (a place type, an outcome, a role)."""
    sign_in(client, "analyst1")
    review = review_id(define(client, place_type="car_park"))
    review = review_id(define(client, place_type="park", age_from="18"))
    services.record_outcome(analyst, review, "G-2", Outcome.LINK_TO_SERIES, "Like G-1.")
    for name, args in [
        ("review-list", []),
        ("review-detail", [review]),
        ("review-report", [review]),
    ]:
        text = visible_text(client.get(reverse(name, args=args)).content.decode())
        assert internal_names(text) == [], name
    assert "a place of the kind 'car park'" in visible_text(
        client.get(reverse("review-list")).content.decode()
    )


def test_a_review_of_the_demo_data_lists_its_ghb_deaths_with_the_items_never_done(client, db):
    """Issue 14's Done-when: a retrospective review of GHB deaths over a period in the demo
    data lists the deaths with the items never done under today's policy, and its report
    prints."""
    for username, role, _ in DEMO_USERS:
        make_user(username, role)
    records = list(generate(150, seed=0))
    report = services.import_lines(SYSTEM, [to_line(r) for r in records])
    assert not report.errors
    start, end = date(2014, 1, 1), date(2014, 12, 31)
    ghb = {
        r.reference
        for r in records
        if any("ghb" in u.toxicology.substances for u in (r.report, *(x.report for x in r.updates)))
        and r.report.found_at is not None
        and start <= r.report.found_at.date() <= end
    }
    assert len(ghb) >= 3  # the demo's GHB series, over months
    sign_in(client, "analyst")
    response = define(client, substance="ghb", found_from=str(start), found_to=str(end))
    review = review_id(response)
    content = services.review_page(services.actor_for("analyst"), review, face="test")
    assert {d.reference for d in content.deaths} == ghb
    assert any(d.never_done for d in content.deaths)
    page = client.get(response["Location"]).content.decode()
    assert listed(page) == ghb
    for death in content.deaths:
        for item in death.never_done:
            assert item.title in page
    text = pdf_text(client.get(reverse("review-report-pdf", args=[review])).content)
    assert all(f"{reference}: found" in text for reference in ghb)
    assert "never done" in text
