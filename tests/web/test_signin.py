"""Signing in: argon2 passwords, a TOTP code before any page, lockout that never says whether
an account exists, an idle timeout, and revoked access that counts at the next request."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from tests.conftest import SYSTEM, T0, make_user, suspicious_report
from tests.signin import PASSWORD, current_code, sign_in, sign_in_with_forms
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.config.env import VigilSettings
from vigil.domain import UserRole
from vigil.services.access.users import UNKNOWN_NAME

CASES = reverse("case-list")


def login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.real_password_hashing
def test_passwords_are_hashed_with_argon2(officer):
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert get_user_model().objects.get(username="officer1").password.startswith("argon2")


def test_every_account_gets_an_authenticator_with_an_otpauth_uri(db):
    enrolled = services.create_user(
        SYSTEM, "new1", UserRole.ANALYST, PASSWORD, check_password=False
    )
    assert enrolled.uri.startswith("otpauth://totp/Vigil%3Anew1?secret=" + enrolled.secret)
    assert "issuer=Vigil" in enrolled.uri


def test_after_the_password_every_page_but_verify_and_logout_needs_the_code(
    client, officer, monkeypatch
):
    assert login(client, "officer1").status_code == 302
    for path in (CASES, reverse("case-detail", args=["ANY"])):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("verify") + "?next=")
    assert client.get(reverse("verify")).status_code == 200
    wrong = client.post(
        reverse("verify"), {"code": "000000" if current_code("officer1") != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and b"did not match" in wrong.content
    assert client.get(CASES).status_code == 302
    # django-otp makes a wrong code wait a second or more before the next try
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=5))
    right = client.post(reverse("verify"), {"code": current_code("officer1"), "next": CASES})
    assert right.status_code == 302 and right["Location"] == CASES
    assert client.get(CASES).status_code == 200


def test_sign_out_needs_no_code(client, officer):
    login(client, "officer1")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(CASES)["Location"].startswith(reverse("login"))


def test_a_new_authenticator_ends_the_verified_session(client, officer):
    sign_in(client, "officer1")
    assert client.get(CASES).status_code == 200
    services.enrol_totp(SYSTEM, "officer1")
    assert client.get(CASES)["Location"].startswith(reverse("verify"))


def _page(response, username: str) -> str:
    """The page without its per-response CSRF tokens, with the name as typed blanked."""
    text = re.sub(
        r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", response.content.decode()
    )
    return text.replace(f'value="{username}"', 'value=""')


def test_lockout_looks_the_same_for_an_account_that_exists_and_one_that_does_not(client, officer):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5 and timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    real = [login(client, "officer1", "wrong") for _ in range(limit)]
    ghost = [login(client, "no-such-user", "wrong") for _ in range(limit)]
    assert [r.status_code for r in real] == [r.status_code for r in ghost]
    assert [_page(r, "officer1") for r in real] == [_page(r, "no-such-user") for r in ghost]
    assert b"did not match" in real[0].content
    assert real[-1].status_code == 429 and b"Too many attempts" in real[-1].content
    # locked: even the right password is refused, the same way as for the unknown name
    right = login(client, "officer1", PASSWORD)
    unknown = login(client, "no-such-user", PASSWORD)
    assert right.status_code == unknown.status_code == 429
    assert _page(right, "officer1") == _page(unknown, "no-such-user")
    assert client.get(CASES)["Location"].startswith(reverse("login"))


def test_the_lockout_ends_after_the_cool_off(client, officer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "officer1", "wrong")
    assert login(client, "officer1").status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert login(client, "officer1").status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert login(client, "officer1").status_code == 302


def test_a_deactivated_user_is_out_at_the_next_request(client, officer):
    sign_in(client, "officer1")
    assert client.get(CASES).status_code == 200
    services.set_active(SYSTEM, "officer1", False)
    assert client.get(CASES)["Location"].startswith(reverse("login"))
    assert login(client, "officer1").status_code == 200  # cannot sign in again


def test_a_changed_role_counts_at_the_next_request(client, officer):
    services.open_case(officer, "W-1", suspicious_report(), known_at=T0)
    sign_in(client, "officer1")
    page = reverse("case-detail", args=["W-1"])
    assert b"Alex Testperson" in client.get(page).content
    services.set_role(SYSTEM, "officer1", UserRole.PANEL_MEMBER)
    redacted = client.get(page)
    assert redacted.status_code == 200 and b"Alex Testperson" not in redacted.content


def test_a_name_taken_off_a_restricted_case_counts_at_the_next_request(client, officer, sergeant):
    services.open_case(officer, "W-2", suspicious_report(), known_at=T0)
    services.restrict_case(sergeant, "W-2", ["officer1"])
    sign_in(client, "officer1")
    page = reverse("case-detail", args=["W-2"])
    assert client.get(page).status_code == 200
    assert b"W-2" in client.get(CASES).content
    services.unname_from_case(sergeant, "W-2", "officer1")
    assert client.get(page).status_code == 404
    assert b"W-2" not in client.get(CASES).content


@pytest.mark.parametrize("idle", [29, 31])
def test_an_idle_session_expires(client, officer, monkeypatch, idle):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    sign_in_with_forms(client, "officer1")
    assert client.get(CASES).status_code == 200
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(minutes=idle))
    response = client.get(CASES)
    if idle < 30:
        assert response.status_code == 200
        # each request pushes the expiry on: another 29 minutes later it is still alive
        monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(minutes=2 * idle))
        assert client.get(CASES).status_code == 200
    else:
        assert response["Location"].startswith(reverse("login"))


def test_secure_cookies_unless_debugging():
    env = {"VIGIL_SECRET_KEY": "x" * 50, "VIGIL_DATABASE_URL": "sqlite:///:memory:"}
    assert VigilSettings.from_env(env).secure_cookies
    assert not VigilSettings.from_env({**env, "VIGIL_DEBUG": "1"}).secure_cookies
    assert not VigilSettings.from_env({**env, "VIGIL_SECURE_COOKIES": "0"}).secure_cookies


def test_a_user_without_a_role_is_refused(client, db):
    make_user("roleless", UserRole.ANALYST)
    get_user_model().objects.get(username="roleless").profile.delete()
    sign_in(client, "roleless")
    assert client.get(CASES).status_code == 403


# --- issue 10: the audit of signing in, the session key, reactivation, ?next=


def _trail(username=None):
    rows = AuditEntry.objects.filter(verb="authentication").order_by("seq")
    if username:
        rows = rows.filter(target_ref=username)
    return [(row.event, row.actor) for row in rows]


def test_every_step_of_signing_in_and_out_is_audited_without_a_password_or_code(
    client, officer, monkeypatch
):
    wrong_code = "000000" if current_code("officer1") != "000000" else "111111"
    login(client, "officer1", "not-the-password-9")
    login(client, "officer1")
    client.post(reverse("verify"), {"code": wrong_code})
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=5))
    code = current_code("officer1")
    client.post(reverse("verify"), {"code": code})
    client.post(reverse("logout"))
    assert _trail("officer1") == [
        ("user.sign_in_refused", "officer1"),
        ("user.signed_in", "officer1"),
        ("user.code_refused", "officer1"),
        ("user.code_accepted", "officer1"),
        ("user.signed_out", "officer1"),
    ]
    rows = AuditEntry.objects.filter(verb="authentication")
    assert all(json.loads(row.payload)["address"] == "127.0.0.1" for row in rows)
    for secret in ("not-the-password-9", PASSWORD, wrong_code, code):
        assert not AuditEntry.objects.filter(payload__contains=secret).exists()
        assert not AuditEntry.objects.filter(target_ref__contains=secret).exists()


def test_a_lockout_is_audited_and_a_name_that_is_no_account_is_not_kept(client, officer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "officer1", "wrong")
    events = [event for event, _ in _trail("officer1")]
    assert events.count("user.sign_in_refused") == settings.AXES_FAILURE_LIMIT
    locked = AuditEntry.objects.get(event="user.locked_out")
    assert locked.target_ref == "officer1"
    assert json.loads(locked.payload)["failures"] == settings.AXES_FAILURE_LIMIT
    # a password typed into the name field is not kept
    login(client, "my-Secret-passw0rd", "wrong")
    assert not AuditEntry.objects.filter(actor="my-Secret-passw0rd").exists()
    assert _trail(UNKNOWN_NAME) == [("user.sign_in_refused", UNKNOWN_NAME)]


def test_the_session_key_changes_when_the_code_is_given(client, officer):
    login(client, "officer1")
    before = client.session.session_key
    client.post(reverse("verify"), {"code": current_code("officer1")})
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.get(CASES).status_code == 200


def test_reactivating_a_user_does_not_revive_a_session_from_before(client, officer):
    sign_in(client, "officer1")
    assert client.get(CASES).status_code == 200
    services.set_active(SYSTEM, "officer1", False)
    services.set_active(SYSTEM, "officer1", True)
    assert client.get(CASES)["Location"].startswith(reverse("login"))
    sign_in_with_forms(client, "officer1")  # a new sign-in works
    assert client.get(CASES).status_code == 200


@pytest.mark.parametrize("target", ["foo", "https://elsewhere.example/", "//elsewhere.example/"])
def test_verify_with_a_next_that_is_not_a_path_here_goes_to_the_dashboard(client, officer, target):
    sign_in(client, "officer1")
    response = client.get(reverse("verify"), {"next": target})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(reverse("verify"), {"next": CASES})["Location"] == CASES
