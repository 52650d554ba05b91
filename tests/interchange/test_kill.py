"""kill -9 in the middle of a large import: no partial case, nothing else lost."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import dj_database_url
import psycopg
import pytest

from tests.interchange.helpers import signature
from tests.stores import new_store
from vigil.demo.generate import generate, write_jsonl
from vigil.interchange.record import CaseRecord

CASES = 3000


def vigil(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "vigil", *args], env=env, text=True, capture_output=True, **kwargs
    )


def _stored_count(env) -> int:
    """Cases committed so far, read straight from the store (cheap enough to poll)."""
    db = dj_database_url.parse(env["VIGIL_DATABASE_URL"])
    query = "SELECT count(*) FROM records_case"
    if db["ENGINE"].endswith("sqlite3"):
        with closing(sqlite3.connect(db["NAME"], timeout=30)) as conn:
            return conn.execute(query).fetchone()[0]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]
    ) as conn:
        return conn.execute(query).fetchone()[0]


def _setup_users(env):
    # The demo's users must exist: imported decisions name them as supervisors.
    assert vigil(env, "demo", "--no-serve", "--cases", "0").returncode == 0


@pytest.mark.slow
def test_kill_during_import_leaves_whole_cases_only(fresh_store, tmp_path):
    _setup_users(fresh_store)
    path = tmp_path / "cases.jsonl"
    with path.open("w") as fh:
        records = {r.reference: r for r in write_jsonl_and_keep(generate(CASES, seed=11), fh)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "vigil", "import", str(path)],
        env=fresh_store,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while _stored_count(fresh_store) < 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    exported = vigil(fresh_store, "export", check=True).stdout.splitlines()
    stored = [CaseRecord.model_validate_json(line) for line in exported]
    demo = [r for r in stored if r.reference not in records]
    partial = [r for r in stored if r.reference in records]
    assert 200 <= len(partial) < CASES, "the kill should land in the middle of the import"
    assert not demo
    for record in partial:
        assert signature(record) == signature(records[record.reference]), record.reference
    assert vigil(fresh_store, "audit", "verify").returncode == 0
    rerun = vigil(fresh_store, "import", str(path))
    assert rerun.returncode == 0, rerun.stderr
    assert f"{CASES - len(partial)} created, 0 updated, {len(partial)} unchanged" in rerun.stdout


def write_jsonl_and_keep(records, fh):
    kept = list(records)
    write_jsonl(kept, fh)
    return kept


# Run `vigil import` with the scoring step stalled: it touches a marker file when the cases are
# written and linking has begun, then waits to be killed.
STALLED_IMPORT = """
import pathlib, sys, time
from vigil.linkage import engines
marker = pathlib.Path(sys.argv[1])
def stalled(*args, **kwargs):
    marker.touch()
    time.sleep(600)
engines.score = stalled
sys.argv = ["vigil", "import", sys.argv[2]]
from vigil.cli.main import run
run()
"""

LINKS = (
    "SELECT a.reference, b.reference, l.match_weight, coalesce(x.analyst, '-') "
    "FROM records_caselink l JOIN records_case a ON a.id = l.case_a_id "
    "JOIN records_case b ON b.id = l.case_b_id LEFT JOIN records_alert x ON x.link_id = l.id"
)


def _query(env, sql: str) -> list[tuple]:
    db = dj_database_url.parse(env["VIGIL_DATABASE_URL"])
    if db["ENGINE"].endswith("sqlite3"):
        with closing(sqlite3.connect(db["NAME"], timeout=30)) as conn:
            return conn.execute(sql).fetchall()
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]
    ) as conn:
        return conn.execute(sql).fetchall()


def _links_and_alerts(env) -> set[tuple[str, str, float, str]]:
    return {(a, b, round(w, 6), analyst) for a, b, w, analyst in _query(env, LINKS)}


@pytest.mark.slow
def test_kill_during_linking_then_link_pending_gives_what_an_uninterrupted_import_gives(
    tmp_path,
):
    path = tmp_path / "cases.jsonl"
    with path.open("w") as fh:
        write_jsonl(generate(400, seed=5), fh)
    with new_store(tmp_path / "whole") as whole, new_store(tmp_path / "killed") as killed:
        for env in (whole, killed):
            _setup_users(env)
        done = vigil(whole, "import", str(path))
        assert done.returncode == 0, done.stderr
        expected = _links_and_alerts(whole)
        assert any(analyst != "-" for *_, analyst in expected), "the data should raise alerts"

        marker = tmp_path / "linking-started"
        proc = subprocess.Popen(
            [sys.executable, "-c", STALLED_IMPORT, str(marker), str(path)],
            env=killed,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "stderr").open("w"),
        )
        deadline = time.monotonic() + 300
        while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert marker.exists(), (tmp_path / "stderr").read_text()[-2000:]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert _stored_count(killed) == _stored_count(whole)
        assert not _links_and_alerts(killed), "the kill came before any link was stored"

        pending = vigil(killed, "link", "--pending")
        assert pending.returncode == 0, pending.stderr
        assert _links_and_alerts(killed) == expected
        again = vigil(killed, "link", "--pending")
        assert "Nothing pending" in again.stdout
        assert _links_and_alerts(killed) == expected
