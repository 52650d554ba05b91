"""The one entry point for writing the audit trail, and the check of its chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection

from vigil.audit.events import Event
from vigil.audit.models import TARGET_REF, AuditEntry

GENESIS = "0" * 64
_CHAIN_LOCK = 0x5669676C  # 'Vigl': serialises writers of the chain on PostgreSQL


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(
    prev_hash: str,
    *,
    seq: int,
    at: datetime,
    actor: str,
    verb: str,
    event: str,
    target_type: str,
    target_ref: str,
    payload: str,
) -> str:
    body = "\x1f".join(
        [
            prev_hash,
            str(seq),
            at.astimezone(UTC).isoformat(),
            actor,
            verb,
            event,
            target_type,
            target_ref,
            payload,
        ]
    )
    return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One event to audit: who did what to which target, with its payload."""

    actor: str
    event: Event
    target_type: str
    target_ref: str
    payload: dict[str, Any]
    at: datetime | None = None


def record(
    actor: str,
    event: Event,
    target_type: str,
    target_ref: str,
    payload: dict[str, Any],
    *,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one audit row. Must run inside the caller's transaction, so that the row and the
    change it records are committed together or not at all."""
    return record_many([Entry(actor, event, target_type, target_ref, payload, at)])[0]


def record_many(entries: list[Entry]) -> list[AuditEntry]:
    """Append several audit rows in order (a bulk import writes one per case at once)."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must run inside the use case's transaction")
    for entry in entries:
        missing = [key for key in entry.event.keys if key not in entry.payload]
        if missing:
            raise ValueError(f"audit payload for {entry.event.code} lacks {', '.join(missing)}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
    now = datetime.now(UTC)
    rows = []
    for entry in entries:
        fields: dict[str, Any] = {
            "seq": seq,
            "at": entry.at or now,
            "actor": entry.actor,
            "verb": entry.event.verb.value,
            "event": entry.event.code,
            "target_type": entry.target_type,
            # A label (a reference, a username, a search): cut to its column, the payload holds
            # the whole of what it names.
            "target_ref": entry.target_ref[:TARGET_REF],
            "payload": canonical(entry.payload),
        }
        digest = entry_hash(prev, **fields)
        rows.append(AuditEntry(prev_hash=prev, hash=digest, **fields))
        seq, prev = seq + 1, digest
    return AuditEntry.objects.bulk_create(rows)


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken_seq: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify(progress: Callable[[int], None] | None = None) -> VerifyResult:
    """Walk the chain in order; name the first row whose link, sequence or hash does not check."""
    prev, expected_seq, checked = GENESIS, 1, 0
    for row in AuditEntry.objects.order_by("seq").iterator(chunk_size=5000):
        if row.seq != expected_seq:
            return VerifyResult(checked, expected_seq, f"row {expected_seq} is missing")
        if row.prev_hash != prev:
            return VerifyResult(checked, row.seq, "its link to the previous row is broken")
        recomputed = entry_hash(
            prev,
            seq=row.seq,
            at=row.at,
            actor=row.actor,
            verb=row.verb,
            event=row.event,
            target_type=row.target_type,
            target_ref=row.target_ref,
            payload=row.payload,
        )
        if recomputed != row.hash:
            return VerifyResult(checked, row.seq, "its content does not match its hash")
        prev, expected_seq, checked = row.hash, expected_seq + 1, checked + 1
        if progress and checked % 5000 == 0:
            progress(checked)
    return VerifyResult(checked)


def sentence(row: AuditEntry) -> str:
    payload = json.loads(row.payload)
    try:
        return Event.from_code(row.event).render(row.actor, row.target_ref, payload)
    except (KeyError, IndexError):
        return f"{row.actor} {row.event} {row.target_ref}"
