"""Signed checkpoints of the audit chain, kept outside the database.

A checkpoint is one line of a file (``VIGIL_AUDIT_CHECKPOINTS``) that is only ever appended to:
the number of rows the chain had, the hash of its last row, when, and an HMAC-SHA256 of those
under a key derived from the audit key. ``vigil audit checkpoint`` writes one, and so does
``vigil audit verify`` when the chain checks. ``verify`` then finds a rewritten row (its hash
differs from the checkpoint's) and rows deleted from the end (fewer rows than a checkpoint
counted), which the chain alone cannot show.

Keep the file where the people who can write the database cannot (another host, an
append-only file system attribute, a log collector): whoever can truncate both can still hide
the last rows written since the last checkpoint they also removed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

CONTEXT = b"vigil.audit.checkpoint/1"
KEY_ID = b"vigil.audit.key-id/1"


class CheckpointError(Exception):
    """The checkpoint file cannot be read, or a line of it is not a checkpoint signed with the
    audit key: ``line`` names it."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Checkpoint:
    rows: int
    head: str
    at: datetime

    @property
    def when(self) -> str:
        return self.at.astimezone(UTC).isoformat(timespec="seconds")


def key_id(audit_key: bytes) -> str:
    """A name for the key that does not reveal it: a checkpoint signed with another key says so."""
    return hmac.new(audit_key, KEY_ID, hashlib.sha256).hexdigest()[:12]


def _mac(audit_key: bytes, rows: int, head: str, at: str) -> str:
    key = hmac.new(audit_key, CONTEXT, hashlib.sha256).digest()
    body = f"{rows}\x1f{head}\x1f{at}".encode()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def line_of(audit_key: bytes, mark: Checkpoint) -> str:
    at = mark.at.astimezone(UTC).isoformat()
    fields = {
        "rows": mark.rows,
        "head": mark.head,
        "at": at,
        "key": key_id(audit_key),
        "mac": _mac(audit_key, mark.rows, mark.head, at),
    }
    return json.dumps(fields, sort_keys=True) + "\n"


def append(path: Path, audit_key: bytes, rows: int, head: str) -> Checkpoint:
    """Append a signed checkpoint of a chain of ``rows`` rows ending in ``head``; the file is
    created readable by its owner only, and each line is flushed to disk before returning."""
    mark = Checkpoint(rows, head, datetime.now(UTC))
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line_of(audit_key, mark).encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return mark


def read(path: Path, audit_key: bytes) -> list[Checkpoint]:
    """Every checkpoint in the file, in order (none if there is no file yet). A line that is
    not a checkpoint signed with this key is refused, naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckpointError(path, None, f"cannot be read ({exc})") from None
    marks: list[Checkpoint] = []
    mine = key_id(audit_key)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            fields = json.loads(line)
            rows, head, at = int(fields["rows"]), str(fields["head"]), str(fields["at"])
            signed_with, mac = str(fields["key"]), str(fields["mac"])
            when = datetime.fromisoformat(at)
        except (ValueError, KeyError, TypeError):
            raise CheckpointError(path, number, "it is not a checkpoint") from None
        if signed_with != mine:
            raise CheckpointError(path, number, "it is signed with another audit key")
        if not hmac.compare_digest(mac, _mac(audit_key, rows, head, at)):
            raise CheckpointError(path, number, "its signature does not match (altered)")
        marks.append(Checkpoint(rows, head, when))
    return marks
