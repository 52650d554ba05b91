"""Need-to-know: restricting a case to the users named on it, and naming or removing users.

Only a role with ``restrict_case`` may change who may see a case, and only on a case they can
see themselves (so nobody can name themselves onto a case hidden from them). Whoever restricts a
case is named on it, and a restricted case always keeps at least one named user. Every change is
audited and counts from the next request of the users concerned.

**A restriction can always be lifted.** Lifting it needs ``restrict_case`` and the sight of
the case, which only the users named on it have; so a restricted case must always name an
active user whose role holds ``restrict_case`` (a *lifter*: a reviewing officer or an
investigator). A restriction that would name none is refused (``users_to_name``), whoever asks
for it (an import by an administrator, who has no ``restrict_case``, must name one), and so is
taking the last lifter off a restricted case (``unname_from_case``). Nobody is exempt from
need-to-know to make this hold: a supervisor not named on a case cannot lift its restriction,
because they cannot know it exists. If the lifters later lose their accounts or their role, an
administrator can restore either, and that lifter can then lift it.

An import carries a restriction (``restricted_to``) only onto a case the import itself creates;
restricting a case already in the store, or naming more users on it, needs ``restrict_case``
(``vigil.services.interchange.importing``).
"""

from __future__ import annotations

from collections.abc import Iterable

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission, allows
from vigil.domain.actor import Actor
from vigil.domain.enums import UserRole
from vigil.records import models as m
from vigil.services.access.rules import require, use_case, visible_case
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid


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


LIFTERS = frozenset(role for role in UserRole if allows(role, Permission.RESTRICT_CASE))
"""The roles that may lift a restriction; a restricted case always names an active user of one."""


def lifters(usernames: Iterable[str]) -> list[str]:
    """Those of ``usernames`` who could lift a restriction: active users in a role that may."""
    found = m.Profile.objects.filter(
        user__username__in=list(usernames),
        user__is_active=True,
        role__in=[role.value for role in LIFTERS],
    )
    return sorted(found.values_list("user__username", flat=True))


def _lifter_words() -> str:
    return " or ".join(sorted(role.value.replace("_", " ") for role in LIFTERS))


def users_to_name(actor: Actor, names: Iterable[str], *, field: str = "username") -> list[str]:
    """The users to name when ``actor`` restricts a case to ``names``: those and the actor,
    sorted. Invalid, naming ``field``, for a name that is not an active Vigil user, or if none
    of them could lift the restriction (``lifters``). The caller checks the actor's
    permission."""
    wanted = sorted({*names, actor.username})
    for username in wanted:
        if username != actor.username:
            _check_user(username, field)
    if not allows(actor.role, Permission.RESTRICT_CASE) and not lifters(wanted):
        raise Invalid(
            field,
            f"names nobody who could lift the restriction; name at least one active "
            f"{_lifter_words()}, or the case could never be opened again",
        )
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
    with use_case(actor):
        case = visible_case(actor, reference, for_update=True)
        restrict(actor, case, wanted)
        named = named_users(case)
        audit.record(actor.username, Event.CASE_RESTRICTED, "case", reference, {"named": named})
    return named


def unrestrict_case(actor: Actor, reference: str) -> None:
    """Lift the restriction: every user may see the case again. The names stay on the case
    (and apply again if it is restricted again)."""
    require(actor, Permission.RESTRICT_CASE)
    with use_case(actor):
        case = visible_case(actor, reference, for_update=True)
        case.restricted = False
        case.save(update_fields=["restricted"])
        audit.record(actor.username, Event.CASE_UNRESTRICTED, "case", reference, {})


def name_on_case(actor: Actor, reference: str, username: str) -> None:
    """Name a user on the case (on a restricted case: let them see it)."""
    require(actor, Permission.RESTRICT_CASE)
    _check_user(username)
    with use_case(actor):
        case = visible_case(actor, reference, for_update=True)
        if _name(actor, case, username):
            payload = {"username": username}
            audit.record(actor.username, Event.CASE_USER_NAMED, "case", reference, payload)


def unname_from_case(actor: Actor, reference: str, username: str) -> None:
    """Remove a user from the case; on a restricted case they no longer see it from their next
    request. The last named user of a restricted case cannot be removed."""
    require(actor, Permission.RESTRICT_CASE)
    with use_case(actor):
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
        others = m.CaseAccess.objects.filter(case=case).exclude(username=username)
        if case.restricted and not lifters(others.values_list("username", flat=True)):
            raise Invalid(
                "username",
                f"'{username}' is the last user named on restricted case {reference} who could "
                f"lift the restriction; name another active {_lifter_words()} first, or lift it",
            )
        row.delete()
        payload = {"username": username}
        audit.record(actor.username, Event.CASE_USER_UNNAMED, "case", reference, payload)


def named_users(case: m.Case) -> list[str]:
    return sorted(m.CaseAccess.objects.filter(case=case).values_list("username", flat=True))


def who_may_see(actor: Actor, reference: str) -> tuple[bool, list[str]]:
    """Whether the case is restricted, and the users named on it (for the case page)."""
    require(actor, Permission.VIEW_CASE)
    with use_case(actor):  # a hidden or missing case is audited as a probe
        case = visible_case(actor, reference)
        return case.restricted, named_users(case)
