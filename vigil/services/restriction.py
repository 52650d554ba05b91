"""Need-to-know: restricting a case to the users named on it, and naming or removing users.

Only a role with ``restrict_case`` may change who may see a case, and only on a case they can
see themselves (so nobody can name themselves onto a case hidden from them). Whoever restricts a
case is named on it, and a restricted case always keeps at least one named user. Every change is
audited and counts from the next request of the users concerned.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.records import models as m
from vigil.services.access import require, visible_case
from vigil.services.errors import Invalid
from vigil.services.unit import utcnow


def _check_user(username: str, field: str = "username") -> None:
    if not m.Profile.objects.filter(user__username=username, user__is_active=True).exists():
        raise Invalid(field, f"there is no active Vigil user '{username}'")


def _name(actor: Actor, case: m.Case, username: str) -> bool:
    _, created = m.CaseAccess.objects.get_or_create(
        case=case,
        username=username,
        defaults={"granted_at": utcnow(), "granted_by": actor.username},
    )
    return created


def users_to_name(actor: Actor, names: Iterable[str], *, field: str = "username") -> list[str]:
    """The users to name when ``actor`` restricts a case to ``names``: those and the actor,
    sorted. Invalid, naming ``field``, for a name that is not an active Vigil user. The caller
    checks the actor's permission."""
    wanted = sorted({*names, actor.username})
    for username in wanted:
        if username != actor.username:
            _check_user(username, field)
    return wanted


def restrict(actor: Actor, case: m.Case, wanted: Iterable[str]) -> bool:
    """Name ``wanted`` (checked by ``users_to_name``) on the case and restrict it, inside the
    caller's transaction and without auditing; whether anything changed."""
    changed = not case.restricted
    for username in wanted:
        changed |= _name(actor, case, username)
    if not case.restricted:
        case.restricted = True
        case.save(update_fields=["restricted"])
    return changed


def restrict_case(actor: Actor, reference: str, names: Iterable[str] = ()) -> list[str]:
    """Restrict the case to the users named on it: ``names``, the actor, and anyone named
    before. The users now named, sorted."""
    require(actor, Permission.RESTRICT_CASE)
    wanted = users_to_name(actor, names)
    with transaction.atomic():
        case = visible_case(actor, reference, for_update=True)
        restrict(actor, case, wanted)
        named = named_users(case)
        audit.record(actor.username, Event.CASE_RESTRICTED, "case", reference, {"named": named})
    return named


def unrestrict_case(actor: Actor, reference: str) -> None:
    """Lift the restriction: every user may see the case again. The names stay on the case
    (and apply again if it is restricted again)."""
    require(actor, Permission.RESTRICT_CASE)
    with transaction.atomic():
        case = visible_case(actor, reference, for_update=True)
        case.restricted = False
        case.save(update_fields=["restricted"])
        audit.record(actor.username, Event.CASE_UNRESTRICTED, "case", reference, {})


def name_on_case(actor: Actor, reference: str, username: str) -> None:
    """Name a user on the case (on a restricted case: let them see it)."""
    require(actor, Permission.RESTRICT_CASE)
    _check_user(username)
    with transaction.atomic():
        case = visible_case(actor, reference, for_update=True)
        if _name(actor, case, username):
            payload = {"username": username}
            audit.record(actor.username, Event.CASE_USER_NAMED, "case", reference, payload)


def unname_from_case(actor: Actor, reference: str, username: str) -> None:
    """Remove a user from the case; on a restricted case they no longer see it from their next
    request. The last named user of a restricted case cannot be removed."""
    require(actor, Permission.RESTRICT_CASE)
    with transaction.atomic():
        case = visible_case(actor, reference, for_update=True)
        row = m.CaseAccess.objects.filter(case=case, username=username).first()
        if row is None:
            raise Invalid("username", f"'{username}' is not named on case {reference}")
        if case.restricted and m.CaseAccess.objects.filter(case=case).count() == 1:
            raise Invalid(
                "username",
                f"'{username}' is the last user named on restricted case {reference}; "
                "name someone else first, or lift the restriction",
            )
        row.delete()
        payload = {"username": username}
        audit.record(actor.username, Event.CASE_USER_UNNAMED, "case", reference, payload)


def named_users(case: m.Case) -> list[str]:
    return sorted(m.CaseAccess.objects.filter(case=case).values_list("username", flat=True))


def who_may_see(actor: Actor, reference: str) -> tuple[bool, list[str]]:
    """Whether the case is restricted, and the users named on it (for the case page)."""
    require(actor, Permission.VIEW_CASE)
    case = visible_case(actor, reference)
    return case.restricted, named_users(case)
