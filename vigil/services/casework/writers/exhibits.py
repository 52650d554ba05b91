"""Exhibits and their append-only, hash-linked chain of custody."""

from __future__ import annotations

from vigil.domain import custody
from vigil.domain.errors import DomainError
from vigil.domain.investigation import CustodyEvent, Exhibit
from vigil.records import models as m
from vigil.records.mapping import custody_event, custody_row
from vigil.services.errors import Invalid


def stored_chain(row: m.Exhibit) -> list[CustodyEvent]:
    return [custody_event(e) for e in row.custody.all()]


def _same(a: CustodyEvent, b: CustodyEvent) -> bool:
    keys = ("kind", "at", "from_holder", "to_holder", "by")
    return all(getattr(a, k) == getattr(b, k) for k in keys)


def append_custody(row: m.Exhibit, chain: list[CustodyEvent], event: CustodyEvent) -> str:
    """Check the event against the chain, seal it with its hash, store it; return the hash."""
    try:
        sealed = custody.append(chain, event)
    except DomainError as exc:
        raise Invalid.from_domain(exc) from None
    custody_row(row, len(chain) + 1, sealed).save()
    chain.append(sealed)
    return sealed.hash


def upsert_exhibit(case: m.Case, exhibit: Exhibit, recorded_by: str) -> list[str]:
    row, created = m.Exhibit.objects.get_or_create(
        case=case,
        ref=exhibit.ref,
        defaults={
            "description": exhibit.description,
            "kind": exhibit.kind.value,
            "where_found": exhibit.where_found or "",
            "packaging": exhibit.packaging or "",
            "seal_number": exhibit.seal_number or "",
            "recorded_by": recorded_by,
        },
    )
    changes = ["exhibit"] if created else []
    chain = [] if created else stored_chain(row)
    for index, event in enumerate(exhibit.custody):
        if index < len(chain):
            if not _same(chain[index], event):
                raise Invalid(
                    f"custody.{index}",
                    "differs from the recorded chain; custody is append-only, add a new event",
                )
            continue
        try:
            append_custody(row, chain, event)
        except Invalid as exc:
            raise Invalid(
                exc.field.replace("custody.", f"custody.{index}.", 1), exc.reason
            ) from None
        changes.append("custody")
    return changes
