"""Changing who may see a case, at the version the caller read.

The restriction services (``vigil.services.access.restriction``) do not change a case's version; a
face
that promises lost-update protection on every change to a case (the API's If-Match) calls these
instead: the case is locked and its version checked (``StaleVersion``) in the same transaction
as the change, so a stale request changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.services.access import restriction
from vigil.services.casework.unit import changing

T = TypeVar("T")


def _at(actor: Actor, reference: str, version: int, change: Callable[[], T]) -> T:
    with changing(actor, Permission.RESTRICT_CASE, reference, version):
        return change()


def restrict_case(actor: Actor, reference: str, names: Iterable[str], *, version: int) -> list[str]:
    return _at(
        actor, reference, version, lambda: restriction.restrict_case(actor, reference, names)
    )


def unrestrict_case(actor: Actor, reference: str, *, version: int) -> None:
    _at(actor, reference, version, lambda: restriction.unrestrict_case(actor, reference))


def name_on_case(actor: Actor, reference: str, username: str, *, version: int) -> None:
    _at(actor, reference, version, lambda: restriction.name_on_case(actor, reference, username))


def unname_from_case(actor: Actor, reference: str, username: str, *, version: int) -> None:
    _at(
        actor,
        reference,
        version,
        lambda: restriction.unname_from_case(actor, reference, username),
    )
