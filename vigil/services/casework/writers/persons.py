"""Recording a person's part in a case, and their identifiers.

A person's details (name, date of birth, sex) are shared by every case they are on, so they
are read and written only through cases the actor may see, and only where the actor may see
them:

- ``resolve``: a ref given with a person names someone the actor may see on a case (by the
  person's ref, or by the ref given for them on a case). Anything else, a ref nobody has used
  or one that lives only on cases the actor may not see (or sees withheld), names nobody: a
  new person is made with a ref Vigil allocates (``new_ref``), and the ref given is kept as
  their ``external_ref`` on this case. Both take the same queries, give the same answer and
  write the same audit rows, so a guessed ref tells nothing.
- A person whose details are withheld from the actor on this case (the deceased of a
  restricted case, for a role without ``see_sensitive``) keeps them: giving a name, a date of
  birth or identifiers for them is refused (``Forbidden``), whatever the value.
- A change to the shared details is audited on every other case the person is on
  (``PERSON_CHANGED``), in the same transaction; the case written to is audited by the use case.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.actor import Actor
from vigil.domain.people import PersonEntry
from vigil.records import models as m
from vigil.services.access.masking import hides_person
from vigil.services.access.rules import visible_cases
from vigil.services.errors import Forbidden

PREFIX = "P-"


def new_ref() -> str:
    """A person's ref nobody can guess: 'P-' and 12 random hex digits."""
    return PREFIX + secrets.token_hex(6)


@dataclass(frozen=True)
class Recorded:
    """What recording a person did: their ref in Vigil and what changed (false if nothing)."""

    ref: str
    changes: list[str]

    def __bool__(self) -> bool:
        return bool(self.changes)


def candidates(actor: Actor, refs: Iterable[str]) -> list[m.CasePerson]:
    """The entries, on cases the actor may see, of persons named by any of ``refs`` (as their
    ref or as the ref given for them on a case), oldest first. One query, whatever the refs."""
    wanted = sorted({r for r in refs if r})
    return list(
        m.CasePerson.objects.filter(case__in=visible_cases(actor))
        .filter(Q(person__ref__in=wanted) | Q(external_ref__in=wanted))
        .select_related("case", "person")
        .order_by("pk")
    )


def named(actor: Actor, ref: str, rows: Iterable[m.CasePerson]) -> m.Person | None:
    """The person ``ref`` names among ``rows`` (``candidates``) whom the actor sees on at least
    one of those cases: by their own ref first, then by the ref given for them on a case."""
    seen = [row for row in rows if not hides_person(actor, row.case, row.roles)]
    for row in seen:
        if row.person.ref == ref:
            return row.person
    for row in seen:
        if row.external_ref == ref:
            return row.person
    return None


def on_case(case: m.Case, ref: str) -> m.Person | None:
    """The person on ``case`` that ``ref`` names (their ref, or the ref given for them here)."""
    rows = m.CasePerson.objects.filter(case=case).filter(Q(person__ref=ref) | Q(external_ref=ref))
    found = sorted(rows.select_related("person"), key=lambda r: r.person.ref != ref)
    return found[0].person if found else None


def resolve(actor: Actor, case: m.Case, ref: str) -> m.Person | None:
    """The person ``ref`` names for ``actor`` recording on ``case``: one already on the case, or
    one the actor sees on another case; None for someone new (see the module's docstring)."""
    if not ref:
        return None
    here = on_case(case, ref)
    return here if here is not None else named(actor, ref, candidates(actor, [ref]))


def _refuse_withheld(actor: Actor, case: m.Case, person: m.Person, entry: PersonEntry) -> None:
    link = m.CasePerson.objects.filter(case=case, person=person).first()
    if link is None or not hides_person(actor, case, link.roles):
        return
    for field, given in (
        ("name", entry.name),
        ("date_of_birth", entry.date_of_birth),
        ("identifiers", entry.identifiers),
    ):
        if given:
            raise Forbidden(field, "is withheld from you on this case, so you may not give it")


def shared_updates(person: m.Person, entry: PersonEntry) -> dict[str, Any]:
    """The details ``entry`` tells that differ from the person's."""
    told = {
        "name": entry.name,
        "date_of_birth": entry.date_of_birth,
        "sex": entry.sex.value if entry.sex.value != "unknown" else None,
    }
    return {k: v for k, v in told.items() if v and getattr(person, k) != v}


def audit_elsewhere(actor: Actor, person: m.Person, fields: Iterable[str], via: str) -> None:
    """One audit row for each case other than ``via`` that a change to the person's shared
    details changed (the case written to is audited by its use case)."""
    others = (
        m.Case.objects.filter(case_persons__person=person)
        .exclude(reference=via)
        .order_by("reference")
        .values_list("reference", flat=True)
    )
    payload = {"person": person.ref, "fields": sorted(fields), "via": via}
    audit.record_many(
        [audit.Entry(actor.username, Event.PERSON_CHANGED, "case", ref, payload) for ref in others]
    )


def upsert_person(
    actor: Actor, case: m.Case, entry: PersonEntry, known_at: datetime, recorded_by: str
) -> Recorded:
    """Record the person on the case (merging roles, adding new identifiers); what changed."""
    changes: list[str] = []
    person = resolve(actor, case, entry.ref)
    if person is None:
        person = m.Person.objects.create(
            ref=new_ref(),
            name=entry.name or "",
            sex=entry.sex.value,
            date_of_birth=entry.date_of_birth,
        )
        changes.append("person")
    else:
        _refuse_withheld(actor, case, person, entry)
        updates = shared_updates(person, entry)
        if updates:
            m.Person.objects.filter(pk=person.pk).update(**updates)
            audit_elsewhere(actor, person, updates, case.reference)
            changes.append("person")
    when = entry.known_at or known_at
    link = m.CasePerson.objects.filter(case=case, person=person).first()
    roles = [r.value for r in entry.roles]
    given = entry.ref if entry.ref and entry.ref != person.ref else ""
    if link is None:
        link = m.CasePerson.objects.create(
            case=case,
            person=person,
            external_ref=given,
            roles=roles,
            statement=entry.statement or "",
            known_at=when,
            recorded_by=recorded_by,
        )
        changes.append("roles")
    else:
        merged = link.roles + [r for r in roles if r not in link.roles]
        statement = entry.statement or link.statement
        if merged != link.roles or statement != link.statement:
            m.CasePerson.objects.filter(pk=link.pk).update(roles=merged, statement=statement)
            changes.append("roles")
    have = set(
        m.Identifier.objects.filter(case=case, person=person).values_list("kind", "normalised")
    )
    new = []
    for ident in entry.all_identifiers():
        key = (ident.kind.value, ident.normalised)
        if key not in have:
            have.add(key)
            new.append(
                m.Identifier(
                    case=case,
                    person=person,
                    kind=key[0],
                    value=ident.value,
                    normalised=key[1],
                    known_at=when,
                    recorded_by=recorded_by,
                )
            )
    if new:
        m.Identifier.objects.bulk_create(new)
        changes.append("identifiers")
    return Recorded(person.ref, changes)
