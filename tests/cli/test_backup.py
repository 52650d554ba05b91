"""The backup -> restore drill (issue 10, item 12) on the test run's kind of database (SQLite,
or PostgreSQL when VIGIL_DATABASE_URL points at it), and files readable by their owner only."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import psycopg

from tests.conftest import suspicious_report
from tests.stores import new_store
from vigil.interchange.record import CaseRecord


def vigil(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vigil", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
    )


def said_by(done: subprocess.CompletedProcess) -> str:
    """What a command wrote to stderr, on one line (the console wraps long lines)."""
    return " ".join(done.stderr.split())


def counts(env: dict[str, str]) -> dict[str, int]:
    """Rows in every table of the store ``env`` points at, read straight from the database."""
    url = env["VIGIL_DATABASE_URL"]
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            names = [
                r[0]
                for r in db.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {n: db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as db:
        names = [
            r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")
        ]
        return {n: db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def fill(env: dict[str, str], folder: Path) -> None:
    lines = [
        CaseRecord(reference=f"B-{i}", report=suspicious_report()).model_dump_json()
        for i in range(4)
    ]
    (folder / "cases.jsonl").write_text("\n".join(lines) + "\n")
    for args, stdin in [
        (["import", str(folder / "cases.jsonl"), "--no-link"], None),
        (
            ["user", "create", "drill-sergeant", "--role", "reviewing_officer"],
            "pw-drill-12345\n" * 2,
        ),
        (["case", "show", "B-1"], None),
        (["export", "--out", str(folder / "export.jsonl")], None),
    ]:
        done = vigil(env, *args, stdin=stdin)
        assert done.returncode == 0, done.stderr


def test_backup_restore_drill(fresh_store, tmp_path):
    source = fresh_store
    fill(source, tmp_path)
    if source["VIGIL_DATABASE_URL"].startswith("sqlite:///"):
        assert mode(Path(source["VIGIL_DATABASE_URL"].removeprefix("sqlite:///"))) == 0o600
    assert mode(tmp_path / "export.jsonl") == 0o600

    backup = tmp_path / "store.backup"
    done = vigil(source, "backup", str(backup))
    assert done.returncode == 0, done.stderr
    manifest = backup.with_name("store.backup.manifest.json")
    assert mode(backup) == mode(manifest) == 0o600
    before = counts(source)
    assert json.loads(manifest.read_text())["tables"] == before
    assert before["records_case"] == 4 and before["audit_auditentry"] > 6

    with new_store(tmp_path / "restored") as target:
        # The restoring host holds the same audit key (VIGIL_AUDIT_KEY), kept apart from backups.
        target["VIGIL_AUDIT_KEY_FILE"] = str(tmp_path / ".vigil-audit-key")
        done = vigil(target, "restore", str(backup))
        assert done.returncode == 0, done.stderr
        said = " ".join(done.stdout.split())  # the console wraps long paths at its width
        assert "integrity, row counts and the audit chain" in said
        after = counts(target)
        assert after.pop("audit_auditentry") == before.pop("audit_auditentry") + 1  # the restore
        assert after == before
        verified = vigil(target, "audit", "verify")
        assert verified.returncode == 0, verified.stderr
        # a second restore meets a store that is not empty: refused, naming it
        again = vigil(target, "restore", str(backup))
        assert again.returncode == 1
        said = said_by(again)
        assert "is not empty (4 cases" in said and "restore into an empty one" in said


def test_a_restore_refuses_a_manifest_or_file_that_was_altered(fresh_store, tmp_path):
    backup = tmp_path / "store.backup"
    assert vigil(fresh_store, "backup", str(backup)).returncode == 0
    manifest = backup.with_name("store.backup.manifest.json")
    with new_store(tmp_path / "restored") as target:
        target["VIGIL_AUDIT_KEY_FILE"] = str(tmp_path / ".vigil-audit-key")
        fields = json.loads(manifest.read_text())
        fields["tables"]["records_case"] = 99
        manifest.write_text(json.dumps(fields))
        altered = vigil(target, "restore", str(backup))
        assert altered.returncode == 1 and "not signed with this store's audit key" in said_by(
            altered
        )
        other_key = dict(target, VIGIL_AUDIT_KEY="k" * 64)
        assert "another VIGIL_AUDIT_KEY" in said_by(vigil(other_key, "restore", str(backup)))
        assert counts(target).get("records_case", 0) == 0


def test_audit_verify_writes_a_checkpoint_and_finds_deleted_rows(fresh_store, tmp_path):
    fill(fresh_store, tmp_path)
    first = vigil(fresh_store, "audit", "verify")
    assert first.returncode == 0 and "Checkpoint of" in first.stdout, first.stderr
    book = next((tmp_path / "audit-checkpoints").glob("*.log"))
    assert mode(book) == 0o600 and len(book.read_text().splitlines()) == 1
    url = fresh_store["VIGIL_DATABASE_URL"]
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            db.execute("DROP TRIGGER audit_auditentry_no_delete")
            db.execute(
                "DELETE FROM audit_auditentry WHERE seq > (SELECT MAX(seq) - 2 FROM audit_auditentry)"
            )
    else:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as db:
            db.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            db.execute(
                "DELETE FROM audit_auditentry WHERE seq > (SELECT MAX(seq) - 2 FROM audit_auditentry)"
            )
    broken = vigil(fresh_store, "audit", "verify")
    assert broken.returncode == 1
    assert "missing: the signed checkpoint of" in said_by(broken)
