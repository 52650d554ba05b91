"""Users: accounts with a role, their authenticator (TOTP) and revoking access.

Every change here needs the ``manage_users`` permission and is audited. Revoking access
(deactivating, changing a role, re-enrolling the authenticator) counts from the user's next
request: the role is read from the database on every request (``actor_for``), a deactivated
account's sessions are deleted (so reactivating it revives none of them), and a session
verified with a replaced authenticator is no longer verified.

Signing in and out (``signed``) is audited too: each step, each refusal and each lockout, with
the address the request came from, and never a password or a code.
"""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import limits
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import UserRole
from vigil.records import models as m
from vigil.services.access.rules import require
from vigil.services.errors import Invalid, NotFound


@dataclass(frozen=True)
class Authenticator:
    """A newly enrolled TOTP authenticator: the otpauth:// URI (for a QR code or an app that
    opens links) and its base32 secret (to type into an authenticator app)."""

    uri: str
    secret: str


def _user(username: str) -> AbstractBaseUser:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound("username", f"there is no user '{username}'")
    return user


def create_user(
    actor: Actor,
    username: str,
    role: UserRole,
    password: str,
    *,
    display_name: str = "",
    check_password: bool = True,
) -> Authenticator:
    """A new account with its role and a TOTP authenticator (every account has one)."""
    require(actor, Permission.MANAGE_USERS)
    if not username or len(username) > limits.USERNAME:
        raise Invalid("username", f"a username has 1 to {limits.USERNAME} characters")
    if len(display_name) > limits.DISPLAY_NAME:
        raise Invalid(
            "display_name", f"a display name has at most {limits.DISPLAY_NAME} characters"
        )
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise Invalid("username", f"'{username}' is taken")
    if check_password:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise Invalid("password", " ".join(exc.messages)) from None
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password)
        m.Profile.objects.create(user=user, role=role.value, display_name=display_name)
        audit.record(actor.username, Event.USER_CREATED, "user", username, {"role": role.value})
        return _enrol(actor, user)


def _enrol(actor: Actor, user: AbstractBaseUser) -> Authenticator:
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    username = user.get_username()
    audit.record(actor.username, Event.TOTP_ENROLLED, "user", username, {})
    return Authenticator(device.config_url, b32encode(device.bin_key).decode())


def enrol_totp(actor: Actor, username: str) -> Authenticator:
    """A new TOTP authenticator for the user, replacing any they had (a session verified with
    the old one must verify again)."""
    require(actor, Permission.MANAGE_USERS)
    with transaction.atomic():
        return _enrol(actor, _user(username))


def actor_for(username: str) -> Actor:
    """The Actor for a Vigil user (refused if there is none, or it has no role). Read from the
    database every time, so a changed role or a deactivated account counts at once."""
    profile = m.Profile.objects.filter(user__username=username, user__is_active=True).first()
    if profile is None:
        raise NotFound("user", f"there is no active Vigil user '{username}'")
    return Actor(username, UserRole(profile.role))


def set_password(actor: Actor, username: str, password: str) -> None:
    require(actor, Permission.MANAGE_USERS)
    user = _user(username)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(actor.username, Event.PASSWORD_SET, "user", username, {})


def set_role(actor: Actor, username: str, role: UserRole) -> None:
    """Give the user another role; it counts from their next request."""
    require(actor, Permission.MANAGE_USERS)
    with transaction.atomic():
        profile = m.Profile.objects.select_for_update().filter(user__username=username).first()
        if profile is None:
            raise NotFound("username", f"there is no Vigil user '{username}'")
        was = profile.role
        profile.role = role.value
        profile.save(update_fields=["role"])
        payload = {"role": role.value, "was": was}
        audit.record(actor.username, Event.USER_ROLE_SET, "user", username, payload)


def set_active(actor: Actor, username: str, active: bool) -> None:
    """Deactivate (or reactivate) an account. A deactivated user's sessions are ended, so they
    are signed out at their next request, cannot sign in, and reactivating the account later
    revives no session from before."""
    require(actor, Permission.MANAGE_USERS)
    user = _user(username)
    with transaction.atomic():
        get_user_model().objects.filter(pk=user.pk).update(is_active=active)
        _end_sessions(user)
        event = Event.USER_REACTIVATED if active else Event.USER_DEACTIVATED
        audit.record(actor.username, event, "user", username, {})


def _end_sessions(user: AbstractBaseUser) -> int:
    """Delete every live session of ``user`` (stored sessions name their user only inside their
    encoded data; live ones are few: they expire after the idle timeout)."""
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


SIGN_IN_EVENTS = frozenset(
    {
        Event.SIGNED_IN,
        Event.SIGN_IN_REFUSED,
        Event.LOCKED_OUT,
        Event.CODE_ACCEPTED,
        Event.CODE_REFUSED,
        Event.SIGNED_OUT,
    }
)
UNKNOWN_NAME = "(not a user)"


def signed(event: Event, username: str, *, address: str, failures: int | None = None) -> None:
    """Audit one step of signing in or out, by ``username`` from ``address``. A name that is
    no account's is recorded as ``(not a user)``: people type their password into the name
    field, and it must not be kept."""
    if event not in SIGN_IN_EVENTS:
        raise ValueError(f"{event.code} is not a sign-in event")
    name = username[: limits.USERNAME]
    if not get_user_model().objects.filter(username=name).exists():
        name = UNKNOWN_NAME
    payload: dict[str, object] = {"address": address[:64]}
    if event is Event.LOCKED_OUT:
        payload["failures"] = failures
    with transaction.atomic():
        audit.record(name, event, "user", name, payload)


def user_exists(username: str) -> bool:
    return m.Profile.objects.filter(user__username=username).exists()
