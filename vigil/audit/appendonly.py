"""Migration operation that makes the database itself refuse UPDATE and DELETE on a table."""

from __future__ import annotations

from typing import Any

from django.db import migrations

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION vigil_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rows of % are append-only', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
"""


def _statements(vendor: str, table: str) -> tuple[list[str], list[str]]:
    if vendor == "postgresql":
        forward = [
            _PG_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION vigil_refuse_change();",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION vigil_refuse_change();",
        ]
        backward = [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
        ]
    elif vendor == "sqlite":
        forward = [
            f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'rows of {table} are append-only'); END;"
            for op in ("UPDATE", "DELETE")
        ]
        backward = [f"DROP TRIGGER IF EXISTS {table}_no_{op};" for op in ("update", "delete")]
    else:
        raise NotImplementedError(f"append-only triggers for {vendor}")
    return forward, backward


def append_only(table: str) -> migrations.RunPython:
    def forward(apps: Any, schema_editor: Any) -> None:
        for sql in _statements(schema_editor.connection.vendor, table)[0]:
            schema_editor.execute(sql, params=None)

    def backward(apps: Any, schema_editor: Any) -> None:
        for sql in _statements(schema_editor.connection.vendor, table)[1]:
            schema_editor.execute(sql, params=None)

    return migrations.RunPython(forward, backward)
