"""`vigil backup FILE` and `vigil restore FILE`: the whole store, and the drill that proves a
backup can be restored (integrity, rows of every table, audit chain)."""

from __future__ import annotations

from pathlib import Path

import typer

from vigil.audit import service as audit
from vigil.cli.common import actor, console, refused
from vigil.services import back_up_store, backup_manifest_path, restore_store


def backup(file: Path = typer.Argument(..., dir_okay=False, help="A new file.")) -> None:
    """Back the store up to FILE (SQLite's online backup; pg_dump's custom format on
    PostgreSQL), with FILE.manifest.json beside it; both readable by their owner only."""
    with refused():
        made = back_up_store(actor(None), file)
    rows = sum(made.tables.values())
    console.print(
        f"Backed up {len(made.tables)} tables, {rows} rows ({made.audit_rows} audit rows) to "
        f"{file}; manifest: {backup_manifest_path(file)}."
    )


def restore(file: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Restore FILE (made by `vigil backup`) into an empty store, then verify its integrity,
    the rows of every table against the manifest and the audit chain before saying so."""
    with refused():
        done = restore_store(actor(None), file)
    console.print(
        f"Restored {done.tables} tables, {done.rows} rows from {file}: integrity, row counts "
        f"and the audit chain ({done.audit_rows} rows) check."
    )
    _, mark = audit.verify_and_checkpoint()
    if mark:
        console.print(f"Checkpoint of {mark.rows} audit rows written for the restored store.")
