import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import T0, make_user, suspicious_report
from tests.signin import current_code, sign_in
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import UserRole
from vigil.domain.access import permissions_of
from vigil.web.navigation import MENU


def test_pages_need_a_sign_in(client, db):
    response = client.get(reverse("case-list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_sign_in_then_see_a_case_with_floor_and_checklist(client, officer):
    services.open_case(officer, "W-1", suspicious_report(), known_at=T0)
    response = client.post(
        reverse("login"), {"username": "officer1", "password": "a-long-test-password-1"}
    )
    assert response.status_code == 302
    # the second step: the code from the authenticator
    assert "/verify/" in client.get(reverse("case-list"))["Location"]
    verified = client.post(reverse("verify"), {"code": current_code("officer1")})
    assert verified.status_code == 302
    listing = client.get(reverse("case-list"))
    assert b"W-1" in listing.content
    page = client.get(reverse("case-detail", args=["W-1"]))
    assert page.status_code == 200
    assert b"Unexpected, under investigation" in page.content
    assert b"unmet" in page.content
    assert (
        AuditEntry.objects.filter(event="case.viewed", target_ref="W-1", actor="officer1").count()
        == 1
    )


def test_a_wrong_password_does_not_say_whether_the_account_exists(client, officer):
    wrong = client.post(reverse("login"), {"username": "officer1", "password": "nope"})
    missing = client.post(reverse("login"), {"username": "nobody", "password": "nope"})
    assert wrong.status_code == missing.status_code == 200
    assert b"did not match" in wrong.content and b"did not match" in missing.content


def test_an_unknown_case_is_404(client, officer):
    sign_in(client, "officer1")
    assert client.get(reverse("case-detail", args=["NOPE"])).status_code == 404


# --- the menu: only what the role may use ---------------------------------------------------

MENU_LINK = re.compile(r'<a class="govuk-service-navigation__link" href="([^"]+)"[^>]*>([^<]+)</a>')


def menu_of(html: str) -> dict[str, str]:
    """The menu's links on a page, label -> address."""
    nav = html.split('<nav aria-label="Menu"', 1)[1].split("</nav>", 1)[0]
    return {label: url for url, label in MENU_LINK.findall(nav)}


@pytest.mark.parametrize("role", list(UserRole), ids=lambda r: r.value)
def test_the_menu_offers_every_page_the_role_may_use_and_no_other(client, db, role):
    username = f"user-{role.value.replace('_', '-')}"
    make_user(username, role)
    sign_in(client, username)
    links = menu_of(client.get(reverse("dashboard")).content.decode())
    allowed = permissions_of(role)
    assert set(links) == {e.label for e in MENU if e.permission in allowed}
    for entry in MENU:
        response = client.get(reverse(entry.page))
        if entry.label in links:
            assert links[entry.label] == reverse(entry.page)
            assert response.status_code == 200, (entry.label, response.status_code)
        else:  # left out because the page would refuse this role
            assert response.status_code == 403, (entry.label, response.status_code)


def test_alerts_are_not_offered_to_the_officer_or_the_panel(client, db):
    for username, role in [
        ("pc-one", UserRole.RESPONSE_OFFICER),
        ("panel-one", UserRole.PANEL_MEMBER),
    ]:
        make_user(username, role)
        sign_in(client, username)
        assert "Alerts" not in menu_of(client.get(reverse("case-list")).content.decode())
    make_user("analyst-one", UserRole.ANALYST)
    sign_in(client, "analyst-one")
    assert "Alerts" in menu_of(client.get(reverse("case-list")).content.decode())


def test_the_menu_marks_where_the_user_is(client, officer):
    services.open_case(officer, "W-1", suspicious_report(), known_at=T0)
    sign_in(client, "officer1")
    listing = client.get(reverse("case-list")).content.decode()
    assert re.search(r'href="/cases/" aria-current="page">Cases<', listing)
    case = client.get(reverse("case-detail", args=["W-1"])).content.decode()
    assert re.search(r'href="/cases/" aria-current="true">Cases<', case)
    assert 'aria-current="page">Dashboard' not in case


# --- error pages in the design system, the API's errors still JSON ---------------------------


def test_a_refused_page_says_why_in_words_and_offers_a_way_back(client, officer):
    sign_in(client, "officer1")
    response = client.get(reverse("alert-list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "<title>You cannot use this page \N{EN DASH} Vigil</title>" in html
    assert '<h1 class="govuk-heading-l">You cannot use this page</h1>' in html
    assert "A response officer may not see linkage alerts." in html
    assert f'href="{reverse("home")}">Go to your dashboard</a>' in html
    assert "Cases" in menu_of(html)  # still inside the service, with its menu


def test_an_unknown_address_or_case_gets_the_not_found_page(client, officer):
    sign_in(client, "officer1")
    for address in ["/no-such-page/", reverse("case-detail", args=["NOPE"])]:
        response = client.get(address)
        assert response.status_code == 404
        html = response.content.decode()
        assert '<h1 class="govuk-heading-l">Page not found</h1>' in html
        assert "govuk-template__body" in html and "Resolver404" not in html
        assert f'href="{reverse("search")}">search for a case</a>' in html


@pytest.mark.urls("tests.web.error_page_urls")
def test_a_server_error_gets_the_problem_page_without_its_cause(client, officer, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    sign_in(client, "officer1")
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in html
    assert "govuk-template__body" in html and 'href="/">Go to your dashboard</a>' in html
    assert "RuntimeError" not in html and "must not see" not in html


def test_a_form_without_its_csrf_token_gets_a_page_in_words(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Your form could not be sent</h1>' in html
    assert "nothing was saved" in html


def test_the_api_still_answers_its_errors_in_json(client, officer):
    sign_in(client, "officer1")
    for address, status, error in [
        ("/api/no-such-thing", 404, "not_found"),
        ("/api/alerts", 403, "forbidden"),
    ]:
        response = client.get(address)
        assert response.status_code == status
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["error"] == error


def test_the_audit_trail_names_a_role_in_words(client, db):
    make_user("admin-one", UserRole.ADMINISTRATOR)
    make_user("pc-two", UserRole.RESPONSE_OFFICER)
    services.set_role(services.actor_for("admin-one"), "pc-two", UserRole.REVIEWING_OFFICER)
    sign_in(client, "admin-one")
    html = client.get(reverse("audit-trail"), {"user": "admin-one"}).content.decode()
    assert "admin-one made pc-two a reviewing officer" in html
    assert "reviewing_officer" not in html
