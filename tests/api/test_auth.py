"""Signing in to the API: the pages' session past the second factor; 401 JSON otherwise (never a
redirect to a sign-in page); CSRF on unsafe methods; revoking access counts at once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.api.conftest import Api
from tests.signin import PASSWORD
from vigil import services
from vigil.domain import UserRole


def test_without_a_session_every_operation_is_401_json(case):
    anonymous = Api()
    for response in (
        anonymous.get("/cases"),
        anonymous.get("/cases/S-1"),
        anonymous.post("/cases/S-1/facts", {"report": {}}, **{"If-Match": '"1-0000000000000000"'}),
        anonymous.get("/dashboard"),
    ):
        assert response.status_code == 401
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["error"] == "unauthenticated"
        assert "Location" not in response


def test_a_password_without_the_second_factor_is_401_not_a_redirect(case):
    client = Client()
    client.post("/login/", {"username": "officer1", "password": PASSWORD})
    # the pages send this user to the verify page ...
    assert client.get("/")["Location"].startswith("/verify/")
    # ... the API refuses with 401 and says why
    response = client.get("/api/cases")
    assert response.status_code == 401
    assert "authenticator" in response.json()["reason"]


def test_a_verified_session_is_accepted(case, as_user):
    response = as_user("officer1").get("/cases")
    assert response.status_code == 200
    assert [c["reference"] for c in response.json()["items"]] == ["S-1"]


def test_unsafe_methods_need_the_csrf_token(case, as_user):
    api = as_user("officer1", enforce_csrf_checks=True)
    tag = api.etag("S-1")
    body = {"report": {"circumstances": "More."}}
    refused = api.post("/cases/S-1/facts", body, **{"If-Match": tag})
    assert refused.status_code == 403 and refused.json()["error"] == "csrf"
    assert api.get("/cases/S-1")["ETag"] == tag  # nothing changed
    token = "apitestcsrfsecret0123456789abcde"  # the cookie a page sets, and the header
    api.client.cookies["csrftoken"] = token
    wrong = api.post("/cases/S-1/facts", body, **{"If-Match": tag, "X-CSRFToken": "x" * 32})
    assert wrong.status_code == 403 and wrong.json()["error"] == "csrf"
    accepted = api.post("/cases/S-1/facts", body, **{"If-Match": tag, "X-CSRFToken": token})
    assert accepted.status_code == 200


def test_a_deactivated_account_is_401_at_its_next_request(case, as_user, admin):
    api = as_user("officer1")
    assert api.get("/cases").status_code == 200
    services.set_active(admin, "officer1", False)
    assert api.get("/cases").status_code == 401


def test_a_changed_role_counts_at_the_next_request(case, as_user, admin):
    api = as_user("officer1")
    assert api.get("/alerts").status_code == 403
    services.set_role(admin, "officer1", UserRole.ANALYST)
    assert api.get("/alerts").status_code == 200


def test_an_account_without_a_vigil_role_is_refused(db):
    user = get_user_model().objects.create_user("no-role", password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.force_login(user)
    assert client.get("/api/cases").status_code == 401  # not verified yet
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    response = client.get("/api/cases")
    assert response.status_code == 403
    assert response.json()["field"] == "role"


def test_the_openapi_document_is_3_1_and_names_each_operations_permission(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert len(operations) >= 25
    assert all("x-vigil-permission" in op for op in operations)
