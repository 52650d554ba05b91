"""Recording a person's part in a case, and their identifiers."""

from __future__ import annotations

from datetime import datetime

from vigil.domain.people import PersonEntry
from vigil.records import models as m


def upsert_person(
    case: m.Case, entry: PersonEntry, known_at: datetime, recorded_by: str
) -> list[str]:
    """Record the person on the case (merging roles, adding new identifiers); what changed."""
    changes: list[str] = []
    person, created = m.Person.objects.get_or_create(
        ref=entry.ref,
        defaults={
            "name": entry.name or "",
            "sex": entry.sex.value,
            "date_of_birth": entry.date_of_birth,
        },
    )
    if created:
        changes.append("person")
    else:
        updates = {
            k: v
            for k, v in {
                "name": entry.name,
                "date_of_birth": entry.date_of_birth,
                "sex": entry.sex.value if entry.sex.value != "unknown" else None,
            }.items()
            if v and getattr(person, k) != v
        }
        if updates:
            m.Person.objects.filter(pk=person.pk).update(**updates)
            changes.append("person")
    when = entry.known_at or known_at
    link = m.CasePerson.objects.filter(case=case, person=person).first()
    roles = [r.value for r in entry.roles]
    if link is None:
        link = m.CasePerson.objects.create(
            case=case,
            person=person,
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
    return changes
