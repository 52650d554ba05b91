"""Signing a test client in: the password step (or force_login) and the TOTP step, with a code
computed from the user's own device."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "a-long-test-password-1"


def device_of(username: str) -> TOTPDevice:
    return TOTPDevice.objects.get(user__username=username)


def current_code(username: str) -> str:
    """The code the user's authenticator app shows now."""
    device = device_of(username)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


def sign_in(client, username: str) -> None:
    """Signed in and verified (without going through the forms)."""
    client.force_login(get_user_model().objects.get(username=username))
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_of(username).persistent_id
    session.save()


def sign_in_with_forms(client, username: str, password: str = PASSWORD):
    """Through the sign-in page and the verify page, as a person would; the last response."""
    client.post(reverse("login"), {"username": username, "password": password})
    return client.post(reverse("verify"), {"code": current_code(username)})
