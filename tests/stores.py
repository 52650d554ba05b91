"""A fresh, empty store for tests that run `vigil` in a separate process (a fixture every test
package may use: tests/conftest.py imports it)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.conf import settings


@pytest.fixture
def fresh_store(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for a `vigil` subprocess pointing at a new, migrated database of the same
    kind as the test run's (SQLite file or PostgreSQL database)."""
    with new_store(tmp_path) as env:
        yield env


@contextmanager
def new_store(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A new, migrated store (see ``fresh_store``) whose files live in ``tmp_path``; dropped
    after."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    db = settings.DATABASES["default"]
    env = dict(os.environ, VIGIL_HOME=str(tmp_path))
    name = None
    if db["ENGINE"].endswith("postgresql"):
        name = f"vigil_t_{uuid.uuid4().hex[:10]}"
        admin = dict(
            host=db["HOST"],
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )
        with psycopg.connect(**admin) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
        env["VIGIL_DATABASE_URL"] = f"postgres://{auth}{db['HOST']}:{admin['port']}/{name}"
    else:
        env["VIGIL_DATABASE_URL"] = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    subprocess.run(
        [sys.executable, "-m", "vigil", "migrate"], env=env, check=True, capture_output=True
    )
    yield env
    if name:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
