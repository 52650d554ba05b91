"""Creating users with a role (the demo's log-ins, and an administrator's command)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.actor import Actor
from vigil.domain.enums import UserRole
from vigil.records import models as m
from vigil.services.errors import Invalid, NotFound


def create_user(
    actor: Actor,
    username: str,
    role: UserRole,
    password: str,
    *,
    display_name: str = "",
    check_password: bool = True,
) -> None:
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


def actor_for(username: str) -> Actor:
    """The Actor for a Vigil user (refused if there is none, or it has no role)."""
    profile = m.Profile.objects.filter(user__username=username, user__is_active=True).first()
    if profile is None:
        raise NotFound("user", f"there is no active Vigil user '{username}'")
    return Actor(username, UserRole(profile.role))


def set_password(actor: Actor, username: str, password: str) -> None:
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound("username", f"there is no user '{username}'")
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(actor.username, Event.PASSWORD_SET, "user", username, {})


def user_exists(username: str) -> bool:
    return m.Profile.objects.filter(user__username=username).exists()
