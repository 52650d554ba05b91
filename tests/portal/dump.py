"""The whole store as text, for searching: every value of every column of every table.

``python -m tests.portal.dump`` prints it for a store a `vigil` subprocess used (its environment
names the store); ``dump()`` returns it for the test's own database. Binary values are written
as the bytes they are (latin-1), so a marker stored as bytes is found as well as one stored as
text; SQLite's own files are searched raw by the tests as well.
"""

from __future__ import annotations

import os
import sys

import django
from django.db import connection


def _text(value: object) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def dump() -> str:
    """Every table's every value, one row a line, each line led by its table's name."""
    lines = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {name}")
            lines += [f"{table}\t" + "\t".join(map(_text, row)) for row in cursor.fetchall()]
    return "\n".join(lines)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.config.settings")
    django.setup()
    sys.stdout.write(dump())
