"""Access control in the service layer: the one permission check and the one need-to-know
filter. Every service that reads or writes a case goes through these; faces (web, API, CLI)
call services and so inherit them.

- ``require(actor, permission)``: the role table (``vigil.domain.access``) allows it, or
  ``Forbidden``. The role is the actor's as read for this call (``actor_for`` reads it from the
  database on every request), so a changed role counts at once.
- ``visible_cases(actor)``: the cases the actor may know exist. A restricted case is in it only
  for the users named on it; administrators are not exempt.
- ``visible_case(actor, reference)``: one of those, or ``NotFound`` with exactly the words used
  for a case that does not exist.
- ``use_case(actor)``: the transaction of a use case, in which a reference the actor may not
  see (``Probe``: hidden, missing, or taken by a hidden case) is audited as a probe
  (``CASE_PROBED``) once the use case's own changes are rolled back, so the audit row is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission, allows
from vigil.domain.actor import Actor
from vigil.records import models as m
from vigil.services.errors import Forbidden, Invalid, NotFound, ServiceError


def may(actor: Actor, permission: Permission) -> bool:
    return allows(actor.role, permission)


def require(actor: Actor, permission: Permission) -> None:
    """Refuse (``Forbidden``) unless the actor's role has ``permission``."""
    if not allows(actor.role, permission):
        role = actor.role.value.replace("_", " ")
        article = "an" if role[0] in "aeiou" else "a"
        raise Forbidden("permission", f"{article} {role} may not {permission.words}")


class Probe(ServiceError):
    """A refusal that tells nothing of a case the actor may not see, and that ``use_case``
    audits as a probe: ``attempt`` says what was tried ('view or change')."""

    def __init__(self, field: str, reason: str, *, reference: str, attempt: str) -> None:
        super().__init__(field, reason)
        self.reference = reference
        self.attempt = attempt


class Unseen(Probe, NotFound):
    """No case the actor may see has this reference."""


class Unusable(Probe, Invalid):
    """A new case's reference is taken by a case the actor may not see."""


def no_such_case(reference: str) -> NotFound:
    """The refusal for a case that does not exist, or that the actor may not know exists."""
    reason = f"there is no case '{reference}'"
    return Unseen("reference", reason, reference=reference, attempt="view or change")


def record_probe(actor: Actor, error: ServiceError) -> None:
    """Audit ``error`` if it is a ``Probe``: who tried which reference, and whether a case has
    it (auditors may know). Call outside the transaction the refusal rolled back."""
    if not isinstance(error, Probe):
        return
    exists = m.Case.objects.filter(reference=error.reference).exists()
    payload = {"attempt": error.attempt, "exists": exists}
    with transaction.atomic():
        audit.record(actor.username, Event.CASE_PROBED, "case", error.reference, payload)


@contextmanager
def use_case(actor: Actor) -> Iterator[None]:
    """One use case's transaction; a ``Probe`` raised in it is audited after it is rolled back
    (so the audit row is kept) and raised again."""
    try:
        with transaction.atomic():
            yield
    except Probe as error:
        record_probe(actor, error)
        raise


def named_on(username: str) -> Exists:
    """True for cases on which ``username`` is named (use in a filter of ``m.Case``)."""
    return Exists(m.CaseAccess.objects.filter(case=OuterRef("pk"), username=username))


def visible_cases(actor: Actor) -> QuerySet[m.Case]:
    """Every case the actor may see: open cases, and restricted cases that name them. Every
    reader (view, list, count, search, alerts, series, export, overdue items) starts here."""
    return m.Case.objects.filter(Q(restricted=False) | named_on(actor.username))


def visible_case(actor: Actor, reference: str, *, for_update: bool = False) -> m.Case:
    """The case, if the actor may see it; otherwise the same ``NotFound`` as for no case."""
    query = visible_cases(actor)
    if for_update:
        query = query.select_for_update()
    case = query.filter(reference=reference).first()
    if case is None:
        raise no_such_case(reference)
    return case
