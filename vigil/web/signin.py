"""Sign-in, second step: after the password, a TOTP code from the user's authenticator.

``SecondFactorRequired`` (middleware, after django-otp's) sends a signed-in user whose session
is not verified to the verify page for every page but that page, sign-in and sign-out (and the
static files). The verify page checks the code against the user's authenticator (django-otp
throttles repeated wrong codes), marks the session verified and gives it a new key.

Every step is audited (``vigil.services.access.users.signed``): the password accepted or refused, a
lockout, the code accepted or refused, signing out. The receivers below listen to Django's and
django-axes' signals (connected when the web app is ready, ``vigil.web.apps``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from axes.signals import user_locked_out
from django import forms
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user, verify_token
from django_otp import login as otp_login

from vigil.audit.events import Event
from vigil.services import signed

OPEN_TO_UNVERIFIED = ("verify", "login", "logout")
# The JSON API is not redirected: it answers 401 itself until the session is verified
# (vigil.api.security).
API_PREFIX = "/api/"
# The public portal asks nobody to sign in, and an officer half-way through signing in who opens
# it is not sent to the code page (vigil.portal).
PORTAL_PREFIX = "/report/"


def verified(request: HttpRequest) -> bool:
    """Signed in and past the second step (django-otp's middleware has marked the session)."""
    check = getattr(request.user, "is_verified", None)
    return bool(request.user.is_authenticated and check is not None and check())


class SecondFactorRequired:
    """A signed-in user must verify a TOTP code before any page other than verify and logout."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _open(self, request: HttpRequest) -> bool:
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        if request.path.startswith((API_PREFIX, PORTAL_PREFIX)):
            return True
        return request.path in {reverse(name) for name in OPEN_TO_UNVERIFIED}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not verified(request) and not self._open(request):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('verify')}?{query}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        min_length=6,
        max_length=8,
        strip=True,
        error_messages={
            "required": "Enter the code from your authenticator app",
            "min_length": "Enter the 6-digit code from your authenticator app",
            "max_length": "Enter the 6-digit code from your authenticator app",
        },
    )


def _next(request: HttpRequest) -> str:
    """Where to go after the code: a path on this site (``next``), else the dashboard. Only a
    path ("/..."): anything else (a view's name such as "foo", another host) is ignored."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _address(request: HttpRequest | None) -> str:
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code from the user's authenticator app."""
    user = request.user
    if not user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    if verified(request):
        return HttpResponseRedirect(_next(request))
    devices = list(devices_for_user(user, confirmed=True))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and devices:
        code = form.cleaned_data["code"].replace(" ", "")
        device = next(
            (d for d in devices if verify_token(user, d.persistent_id, code) is not None), None
        )
        if device is not None:
            otp_login(request, device)
            # A new session key once the second factor is given: a key seen before it (on a
            # shared machine, in a log) is worth nothing after.
            request.session.cycle_key()
            signed(Event.CODE_ACCEPTED, user.get_username(), address=_address(request))
            return HttpResponseRedirect(_next(request))
        signed(Event.CODE_REFUSED, user.get_username(), address=_address(request))
        form.add_error(
            "code",
            "That code did not match. Codes change every 30 seconds: enter the one showing now.",
        )
    context = {"form": form, "next": _next(request), "enrolled": bool(devices)}
    return render(request, "vigil/verify.html", context)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: object = None
) -> HttpResponse:
    """django-axes' lockout response: the same page (429) whatever the user name, and whether
    or not such an account exists."""
    context = {
        "minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
        "failures": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "vigil/locked.html", context, status=429)


# --- the audit of signing in and out


@receiver(user_logged_in, dispatch_uid="vigil-audit-signed-in")
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    signed(Event.SIGNED_IN, user.get_username(), address=_address(request))


@receiver(user_logged_out, dispatch_uid="vigil-audit-signed-out")
def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        signed(Event.SIGNED_OUT, user.get_username(), address=_address(request))


@receiver(user_login_failed, dispatch_uid="vigil-audit-sign-in-refused")
def _refused(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already blanked the password in ``credentials``; only the name is read.
    signed(Event.SIGN_IN_REFUSED, str(credentials.get("username") or ""), address=_address(request))


@receiver(user_locked_out, dispatch_uid="vigil-audit-locked-out")
def _locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any
) -> None:
    signed(
        Event.LOCKED_OUT,
        username or "",
        address=_address(request),
        failures=settings.AXES_FAILURE_LIMIT,
    )
