"""Users' command units: an administrator puts a user in a unit (or in none), audited, and the
lists start from the signed-in user's own unit (their faces offer every unit too)."""

from __future__ import annotations

from django.db import transaction

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.records import models as m
from vigil.services.access.rules import require
from vigil.services.errors import Invalid, NotFound


def set_user_unit(actor: Actor, username: str, unit: str | None) -> None:
    """Put the user in ``unit`` (a unit's code), or in none (None or ''); it counts from their
    next request."""
    require(actor, Permission.MANAGE_USERS)
    unit = unit or None
    with transaction.atomic():
        profile = m.Profile.objects.select_for_update().filter(user__username=username).first()
        if profile is None:
            raise NotFound("username", f"there is no Vigil user '{username}'")
        if unit is not None and not m.Unit.objects.filter(code=unit).exists():
            raise Invalid("unit", f"there is no command unit '{unit}'")
        was = profile.unit_id
        profile.unit_id = unit
        profile.save(update_fields=["unit"])
        payload = {"unit": unit, "was": was}
        audit.record(actor.username, Event.USER_UNIT_SET, "user", username, payload)


def user_unit(username: str) -> str | None:
    """The code of the user's unit, or None (no unit, or no such user)."""
    code = m.Profile.objects.filter(user__username=username).values_list("unit_id", flat=True)
    found = code.first()
    return str(found) if found else None
