"""The one entry point for writing the audit trail, and the check of its chain.

The chain is keyed: each row's hash is an HMAC-SHA256, under the audit key
(``VIGIL_AUDIT_KEY``, never stored in the database), of its content and the previous row's hash.
Someone who can write the database but does not hold the key cannot rewrite a row and
recompute the rows after it. Deleting the last rows leaves a valid chain, so ``verify`` also
checks the signed checkpoints kept outside the database (``vigil.audit.checkpoints``).

Rows written before the key existed keep their plain SHA-256 hash (version 1 of the chain).
The first keyed row after them is the signed ``audit.keyed`` row that says how many there
were (migration 0003 writes it), so they cannot be rewritten as plain rows either: a chain of
plain rows that no signed row vouches for is broken, and so is a plain row after a keyed one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection

from vigil.audit import checkpoints as cp
from vigil.audit.events import Event
from vigil.audit.models import TARGET_REF, AuditEntry

GENESIS = "0" * 64
_CHAIN_LOCK = 0x5669676C  # 'Vigl': serialises writers of the chain on PostgreSQL
CHAIN_CONTEXT = b"vigil.audit.chain/2"


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)


def chain_key(audit_key: bytes | None = None) -> bytes:
    """The key of the chain's HMAC, derived from the audit key (the setting by default)."""
    key = settings.VIGIL.audit_key if audit_key is None else audit_key
    return hmac.new(key, CHAIN_CONTEXT, hashlib.sha256).digest()


def entry_hash(
    prev_hash: str,
    *,
    key: bytes | None,
    seq: int,
    at: datetime,
    actor: str,
    verb: str,
    event: str,
    target_type: str,
    target_ref: str,
    payload: str,
) -> str:
    """The row's hash: HMAC-SHA256 under ``key`` (``chain_key()``); with ``key=None`` the
    plain SHA-256 of the rows written before the chain was keyed."""
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
    ).encode()
    if key is None:
        return hashlib.sha256(body).hexdigest()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


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
    key = chain_key()
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
        digest = entry_hash(prev, key=key, **fields)
        rows.append(AuditEntry(prev_hash=prev, hash=digest, **fields))
        seq, prev = seq + 1, digest
    return AuditEntry.objects.bulk_create(rows)


def seal_legacy(model: Any = AuditEntry, *, actor: str = "vigil migrate") -> bool:
    """Append the signed row that vouches for the plain rows written before the chain was
    keyed (migration 0003 calls this with its historical model). Nothing on an empty chain or
    one already keyed."""
    head = model.objects.order_by("-seq").first()
    if head is None or _keyed(head):
        return False
    payload = canonical({"unkeyed_rows": head.seq})
    fields: dict[str, Any] = {
        "seq": head.seq + 1,
        "at": datetime.now(UTC),
        "actor": actor,
        "verb": Event.AUDIT_KEYED.verb.value,
        "event": Event.AUDIT_KEYED.code,
        "target_type": "audit",
        "target_ref": "chain",
        "payload": payload,
    }
    digest = entry_hash(head.hash, key=chain_key(), **fields)
    model.objects.create(prev_hash=head.hash, hash=digest, **fields)
    return True


def _fields(row: Any) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "at": row.at,
        "actor": row.actor,
        "verb": row.verb,
        "event": row.event,
        "target_type": row.target_type,
        "target_ref": row.target_ref,
        "payload": row.payload,
    }


def _keyed(row: Any, key: bytes | None = None) -> bool:
    expected = entry_hash(row.prev_hash, key=key or chain_key(), **_fields(row))
    return hmac.compare_digest(expected, row.hash)


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken_seq: int | None = None
    reason: str | None = None
    unkeyed: int = 0  # rows written before the chain was keyed (vouched for by a signed row)
    checkpoints: int = 0  # signed checkpoints the chain was checked against
    head: str = GENESIS  # the hash of the last row checked

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify(
    progress: Callable[[int], None] | None = None,
    *,
    checkpoints: Iterable[cp.Checkpoint] = (),
    audit_key: bytes | None = None,
) -> VerifyResult:
    """Walk the chain in order; name the first row whose link, sequence or keyed hash does not
    check, or that differs from a signed checkpoint; then name the rows a checkpoint counted
    that are missing (``checkpoints``: ``vigil.audit.checkpoints.read``)."""
    key = chain_key(audit_key)
    marks: dict[int, list[cp.Checkpoint]] = {}
    for mark in checkpoints:
        marks.setdefault(mark.rows, []).append(mark)
    prev, expected_seq, checked, unkeyed, keyed_seen = GENESIS, 1, 0, 0, False

    def broken(seq: int, reason: str) -> VerifyResult:
        return VerifyResult(checked, seq, reason, unkeyed, len(marks))

    for row in AuditEntry.objects.order_by("seq").iterator(chunk_size=5000):
        if row.seq != expected_seq:
            return broken(expected_seq, f"row {expected_seq} is missing")
        if row.prev_hash != prev:
            return broken(row.seq, "its link to the previous row is broken")
        fields = _fields(row)
        if hmac.compare_digest(entry_hash(prev, key=key, **fields), row.hash):
            if not keyed_seen and unkeyed and not _vouches(row, unkeyed):
                return broken(
                    1,
                    f"rows 1 to {unkeyed} are not signed with the audit key, and the first "
                    "signed row does not vouch for them",
                )
            keyed_seen = True
        elif not keyed_seen and entry_hash(prev, key=None, **fields) == row.hash:
            unkeyed += 1
        elif keyed_seen and entry_hash(prev, key=None, **fields) == row.hash:
            return broken(row.seq, "it is not signed with the audit key (rewritten without it)")
        else:
            return broken(row.seq, "its content does not match its hash under the audit key")
        for mark in marks.get(row.seq, ()):
            if not hmac.compare_digest(mark.head, row.hash):
                return broken(row.seq, f"it differs from the signed checkpoint of {mark.when}")
        prev, expected_seq, checked = row.hash, expected_seq + 1, checked + 1
        if progress and checked % 5000 == 0:
            progress(checked)
    if unkeyed and not keyed_seen:
        return broken(
            1,
            f"rows 1 to {unkeyed} are not signed with the audit key, and no signed row "
            "vouches for them",
        )
    beyond = [mark for rows, found in marks.items() if rows > checked for mark in found]
    if beyond:
        last = max(beyond, key=lambda mark: mark.rows)
        span = (
            f"row {checked + 1}"
            if last.rows == checked + 1
            else f"rows {checked + 1} to {last.rows}"
        )
        return broken(
            checked + 1,
            f"{span} missing: the signed checkpoint of {last.when} counted {last.rows} rows",
        )
    return VerifyResult(checked, unkeyed=unkeyed, checkpoints=len(marks), head=prev)


def verify_and_checkpoint(
    progress: Callable[[int], None] | None = None, *, write: bool = True
) -> tuple[VerifyResult, cp.Checkpoint | None]:
    """``verify`` against the checkpoints in ``VIGIL_AUDIT_CHECKPOINTS``; if the chain checks
    (and has rows), append a signed checkpoint of what was checked. A checkpoint file that is
    unreadable, altered or signed with another key raises ``CheckpointError``."""
    path, key = settings.VIGIL.audit_checkpoints, settings.VIGIL.audit_key
    result = verify(progress, checkpoints=cp.read(path, key))
    if not (write and result.ok and result.checked):
        return result, None
    return result, cp.append(path, key, result.checked, result.head)


def _vouches(row: AuditEntry, unkeyed: int) -> bool:
    """The signed row says exactly how many plain rows precede it."""
    if row.event != Event.AUDIT_KEYED.code:
        return False
    try:
        return bool(json.loads(row.payload).get("unkeyed_rows") == unkeyed)
    except (ValueError, AttributeError):
        return False


def head() -> tuple[int, str]:
    """The number of rows and the last row's hash (``(0, GENESIS)`` for an empty chain)."""
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    return (last[0], last[1]) if last else (0, GENESIS)


def sentence(row: AuditEntry) -> str:
    payload = json.loads(row.payload)
    try:
        return Event.from_code(row.event).render(row.actor, row.target_ref, payload)
    except (KeyError, IndexError):
        return f"{row.actor} {row.event} {row.target_ref}"
