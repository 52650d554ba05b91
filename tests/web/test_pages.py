from django.urls import reverse

from tests.conftest import T0, suspicious_report
from tests.signin import current_code, sign_in
from vigil import services
from vigil.audit.models import AuditEntry


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
