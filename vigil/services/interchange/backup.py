"""Backup and restore of the whole store, with a manifest to check the restore against.

``backup(path)``: on SQLite, SQLite's online backup API (``sqlite3.Connection.backup``) into a
single file; on PostgreSQL, ``pg_dump`` in its custom format, taken in the same snapshot as the
counts. Beside it, ``<path>.manifest.json``: the rows of every table, the audit chain's length
and head, and the file's SHA-256, signed with a key derived from the audit key. Both files are
created readable by their owner only. The backup is itself audited (``store.backed_up``), and
the row that says so is inside it.

``restore(path)``: only into an empty store (never migrated, or migrated and holding no case,
no audit row and no user); anything else is refused, naming the store. Before it says the
restore succeeded it checks the manifest's signature and the file's hash, the database's
integrity (``PRAGMA integrity_check`` on SQLite; on PostgreSQL ``pg_restore`` in one
transaction that stops at the first error), the rows of every table against the manifest, and
the audit chain (keyed, and ending where the manifest says). Then it audits the restore.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.audit.models import AuditEntry
from vigil.domain.actor import Actor
from vigil.records import models as m
from vigil.services.errors import Invalid

FORMAT = "vigil.backup/1"
CONTEXT = b"vigil.backup.manifest/1"


@dataclass(frozen=True)
class Manifest:
    vendor: str
    created_at: str
    tables: dict[str, int]
    audit_rows: int
    audit_head: str
    sha256: str

    def body(self) -> dict[str, Any]:
        return {"format": FORMAT, **self.__dict__}


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    audit_rows: int
    unkeyed: int


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def store_name() -> str:
    """The store in words: the database's file or name, and host (never a password)."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"the SQLite database {db['NAME']}"
    return f"the PostgreSQL database {db['NAME']} on {db.get('HOST') or 'localhost'}"


# --- backup


def backup(actor: Actor, path: Path) -> Manifest:
    """Back the whole store up to ``path`` (which must not exist) and write its manifest."""
    if path.exists() or manifest_path(path).exists():
        raise Invalid("file", f"{path} exists already: give a new file name")
    if not path.parent.is_dir():
        raise Invalid("file", f"there is no directory {path.parent}")
    with transaction.atomic():
        audit.record(actor.username, Event.STORE_BACKED_UP, "store", "*", {"file": path.name})
    if connection.vendor == "sqlite":
        tables, rows, head = _sqlite_backup(path)
    elif connection.vendor == "postgresql":
        tables, rows, head = _pg_backup(path)
    else:
        raise Invalid("database", f"backing up {connection.vendor} is not supported")
    made = Manifest(
        connection.vendor,
        datetime.now(UTC).isoformat(),
        tables,
        rows,
        head,
        _sha256(path),
    )
    _write_owner_only(manifest_path(path), json.dumps(_signed(made.body()), indent=2) + "\n")
    return made


def _sqlite_backup(path: Path) -> tuple[dict[str, int], int, str]:
    _write_owner_only(path, "")  # created owner-only; SQLite writes into it
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        # One self-contained file: no write-ahead log beside it.
        target.execute("PRAGMA journal_mode=DELETE")
        tables = _sqlite_counts(target)
        rows, head = _sqlite_head(target)
    finally:
        target.close()
    return tables, rows, head


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def _sqlite_head(db: sqlite3.Connection) -> tuple[int, str]:
    row = db.execute("SELECT seq, hash FROM audit_auditentry ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, audit.GENESIS)


def _pg_params() -> dict[str, Any]:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "dbname": db["NAME"],
    }


def _pg_env() -> dict[str, str]:
    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}
    env = dict(os.environ)
    for key, value in _pg_params().items():
        if key in names and value:
            env[names[key]] = str(value)
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise Invalid("database", f"{name} is not installed (it comes with PostgreSQL's client)")
    return found


def _pg_backup(path: Path) -> tuple[dict[str, int], int, str]:
    """Counts and ``pg_dump`` in one snapshot: a transaction exports its snapshot, counts, and
    holds it open while pg_dump reads the same data."""
    dump = _tool("pg_dump")
    with psycopg.connect(**_pg_params()) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.transaction():
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()
            assert snapshot is not None
            tables = _pg_counts(conn)
            last = conn.execute(
                "SELECT seq, hash FROM audit_auditentry ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            _write_owner_only(path, "")
            done = subprocess.run(
                [
                    dump,
                    "--format=custom",
                    f"--snapshot={snapshot[0]}",
                    "--file",
                    str(path),
                    str(_pg_params()["dbname"]),
                ],
                env=_pg_env(),
                capture_output=True,
                text=True,
            )
    if done.returncode != 0:
        path.unlink(missing_ok=True)
        raise Invalid("database", f"pg_dump failed: {done.stderr.strip()}")
    if last is None:
        return tables, 0, audit.GENESIS
    return tables, int(last[0]), str(last[1])


def _pg_counts(conn: Any) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
    ]
    return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


# --- restore


def restore(actor: Actor, path: Path) -> Restored:
    """Restore ``path`` (made by ``backup``) into this store, which must be empty; verify it
    (integrity, rows of every table, audit chain) before answering."""
    made = _read_manifest(path)
    if made.vendor != connection.vendor:
        raise Invalid(
            "file", f"{path} is a {made.vendor} backup; this store is {connection.vendor}"
        )
    if _sha256(path) != made.sha256:
        raise Invalid("file", f"{path} is not the file its manifest describes (its hash differs)")
    _require_empty()
    if connection.vendor == "sqlite":
        _sqlite_restore(path)
    else:
        _pg_restore(path)
    connection.close()  # what was restored is read afresh
    counts = _counts()
    wrong = [
        f"{table}: {counts.get(table, 'no table')} rows, the backup had {rows}"
        for table, rows in made.tables.items()
        if counts.get(table) != rows
    ]
    if wrong:
        raise Invalid("file", "the restored store differs from the backup: " + "; ".join(wrong))
    chain = audit.verify()
    if not chain.ok:
        raise Invalid(
            "audit", f"the restored audit trail is broken at row {chain.broken_seq}: {chain.reason}"
        )
    if (chain.checked, chain.head) != (made.audit_rows, made.audit_head):
        raise Invalid(
            "audit",
            f"the restored audit trail ends at row {chain.checked}, the backup's at row "
            f"{made.audit_rows} (or with another row)",
        )
    with transaction.atomic():
        payload = {"file": path.name, "rows": sum(counts.values()), "backed_up": made.created_at}
        audit.record(actor.username, Event.STORE_RESTORED, "store", "*", payload)
    return Restored(len(counts), sum(counts.values()), chain.checked, chain.unkeyed)


def _require_empty() -> None:
    if not {"audit_auditentry", "records_case", "auth_user"} <= set(
        connection.introspection.table_names()
    ):
        return  # never migrated
    held = {
        "cases": m.Case.objects.count(),
        "audit rows": AuditEntry.objects.count(),
        "users": get_user_model().objects.count(),
    }
    if any(held.values()):
        what = ", ".join(f"{count} {name}" for name, count in held.items() if count)
        raise Invalid(
            "database", f"{store_name()} is not empty ({what}): restore into an empty one"
        )


def _integrity(db: sqlite3.Connection) -> str:
    found = [row[0] for row in db.execute("PRAGMA integrity_check")]
    return "ok" if found == ["ok"] else "; ".join(found[:5])


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield db
    finally:
        db.close()


def _sqlite_restore(path: Path) -> None:
    with _read_only(path) as source:
        problem = _integrity(source)
        if problem != "ok":
            raise Invalid("file", f"{path} fails SQLite's integrity check: {problem}")
        connection.ensure_connection()
        source.backup(connection.connection)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA integrity_check")
        found = [row[0] for row in cursor.fetchall()]
    if found != ["ok"]:
        raise Invalid("database", f"the restored store fails SQLite's integrity check: {found[:5]}")


def _pg_restore(path: Path) -> None:
    tool = _tool("pg_restore")
    connection.close()
    done = subprocess.run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            str(_pg_params()["dbname"]),
            str(path),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise Invalid("file", f"pg_restore failed, nothing was restored: {done.stderr.strip()}")


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


# --- the manifest


def _key() -> bytes:
    return hmac.new(settings.VIGIL.audit_key, CONTEXT, hashlib.sha256).digest()


def _signed(body: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return {**body, "mac": hmac.new(_key(), text.encode(), hashlib.sha256).hexdigest()}


def _read_manifest(path: Path) -> Manifest:
    where = manifest_path(path)
    if not path.is_file():
        raise Invalid("file", f"there is no backup {path}")
    try:
        fields = json.loads(where.read_text(encoding="utf-8"))
        mac = fields.pop("mac")
        body = {key: fields[key] for key in ("format", *Manifest.__dataclass_fields__)}
    except FileNotFoundError:
        raise Invalid("file", f"there is no manifest {where} beside the backup") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise Invalid("file", f"{where} is not a Vigil backup manifest") from None
    if body["format"] != FORMAT:
        raise Invalid("file", f"{where} is in the format {body['format']}, not {FORMAT}")
    if not hmac.compare_digest(str(mac), _signed(body)["mac"]):
        raise Invalid(
            "file",
            f"{where} is not signed with this store's audit key (altered, or made with "
            "another VIGIL_AUDIT_KEY)",
        )
    body.pop("format")
    return Manifest(**body)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_owner_only(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as fh:
        fh.write(text)
