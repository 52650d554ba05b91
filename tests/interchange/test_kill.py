"""kill -9 in the middle of a large import: no partial case, nothing else lost."""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.interchange.helpers import signature
from vigil.demo.generate import generate, write_jsonl
from vigil.interchange.record import CaseRecord

CASES = 1500


def vigil(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "vigil", *args], env=env, text=True, capture_output=True, **kwargs
    )


def _stored_count(env) -> int:
    out = vigil(env, "export", "--format", "csv")
    return max(0, len(out.stdout.splitlines()) - 1)


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
    while _stored_count(fresh_store) < 300 and time.monotonic() < deadline:
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    exported = vigil(fresh_store, "export", check=True).stdout.splitlines()
    stored = [CaseRecord.model_validate_json(line) for line in exported]
    demo = [r for r in stored if r.reference not in records]
    partial = [r for r in stored if r.reference in records]
    assert 300 <= len(partial) < CASES, "the kill should land in the middle of the import"
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
