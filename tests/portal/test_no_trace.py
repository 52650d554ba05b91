"""No trace of a reporter's connection anywhere (issue 13): a reporter's requests carry unique
markers in the address, X-Forwarded-For, User-Agent and Referer, and afterwards no marker is
found in the whole database, the logs (Django's, the administrators' e-mail, gunicorn's) or the
temporary directory.

Twice: through Django's test client (with a page that fails, a page that is not there and a
file upload refused, so that Django logs what it logs), and through a real `vigil serve`
(gunicorn) started here, with a store of its own.
"""

from __future__ import annotations

import logging
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import pytest
from django.core import mail
from django.test import Client

from tests.cli.test_serve import _free_port
from tests.portal.dump import dump
from tests.portal.pages import (
    DRUGGING,
    FORM,
    post_code,
    post_form,
    post_message,
    post_report,
    receipt_code,
)
from tests.portal.setup import set_up_portal, team_key
from vigil import services
from vigil.services.portal.submissions import FORM_MIN_AGE

ROOT = Path(__file__).resolve().parents[2]


def markers() -> dict[str, str]:
    """Unique values for each header that could identify a reporter's connection."""
    tag = uuid.uuid4().hex[:12]
    return {
        "REMOTE_ADDR": "198.51.100.173",
        "HTTP_X_FORWARDED_FOR": f"203.0.113.77, xff-{tag}",
        "HTTP_USER_AGENT": f"Mozilla/5.0 ua-{tag}",
        "HTTP_REFERER": f"https://ref-{tag}.example.org/from",
    }


def found_in(text: str, marks: dict[str, str]) -> list[str]:
    """The markers (or their distinctive parts) that ``text`` holds."""
    parts = {re.sub(r"^.*?((?:xff|ua|ref)-[0-9a-f]+).*$", r"\1", v) for v in marks.values()}
    return sorted(p for p in parts if p in text)


def files_holding(directory: Path, marks: dict[str, str]) -> list[str]:
    return [
        str(path)
        for path in directory.rglob("*")
        if path.is_file() and found_in(path.read_bytes().decode("latin-1"), marks)
    ]


@pytest.mark.slow
def test_no_marker_reaches_the_store_the_logs_or_the_temp_directory(
    db, settings, caplog, monkeypatch, tmp_path
):
    set_up_portal(settings)
    settings.ADMINS = [("Operations", "ops@example.org")]  # so that a failure is e-mailed
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    caplog.set_level(logging.DEBUG)
    marks = markers()
    client = Client(raise_request_exception=False, **marks)

    assert client.get("/report/").status_code == 200
    code = receipt_code(post_report(client, DRUGGING))
    assert post_code(client, code).status_code == 200
    assert post_message(client, code, "One more thing.").status_code == 200
    assert client.get("/report/no-such-page/").status_code == 404
    upload = {"kind": "drugging", "f": ("x" * 3_000_000).encode()}  # would be spooled to disk
    assert client.post("/report/done/", upload).status_code == 415
    assert post_form(client, "/report/done/", {"what_happened": "y" * 70_000}).status_code == 413
    with monkeypatch.context() as broken:
        broken.setattr(services, "portal_ready", lambda: 1 / 0)
        assert client.get("/report/").status_code == 500

    assert found_in(dump(), marks) == []
    assert marks["REMOTE_ADDR"] not in dump()
    logged = "\n".join(
        f"{record.getMessage()} {record.exc_text or ''} {vars(record)}" for record in caplog.records
    )
    assert "Internal Server Error: /report/" in logged  # the failure is logged, without them
    assert found_in(logged, marks) == [] and marks["REMOTE_ADDR"] not in logged
    assert len(mail.outbox) == 1  # the administrators hear of the failure, not of the reporter
    assert found_in(mail.outbox[0].message().as_string(), marks) == []
    assert marks["REMOTE_ADDR"] not in mail.outbox[0].message().as_string()
    assert not [r for r in caplog.records if hasattr(r, "request")]
    assert files_holding(temp, marks) == []


def _answer(server: subprocess.Popen[bytes], url: str) -> httpx.Response:
    for _ in range(300):
        assert server.poll() is None, "the server stopped"
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server never answered")


def _token(page: httpx.Response) -> str:
    found = re.search(r'name="token" value="([^"]+)"', page.text)
    assert found, "the page has no form token"
    return found.group(1)


@pytest.mark.slow
def test_no_marker_reaches_a_real_servers_store_logs_or_temp_directory(fresh_store, tmp_path):
    marks = markers()
    headers = {
        "X-Forwarded-For": marks["HTTP_X_FORWARDED_FOR"],
        "User-Agent": marks["HTTP_USER_AGENT"],
        "Referer": marks["HTTP_REFERER"],
    }
    temp = tmp_path / "server-tmp"
    temp.mkdir()
    log = tmp_path / "server.log"
    port = _free_port()
    env = dict(
        fresh_store,
        VIGIL_SECURE_COOKIES="0",
        VIGIL_PORTAL_PUBLIC_KEY=team_key()[0],
        TMPDIR=str(temp),
    )
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "vigil", "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            _answer(server, f"{base}/report/")
            with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
                form = client.get("/report/drugging/")
                time.sleep(FORM_MIN_AGE.total_seconds() + 0.5)
                data = {**DRUGGING, "kind": "drugging", "token": _token(form)}
                done = client.post("/report/done/", data=data)
                code = re.search(r'<strong id="receipt-code">([a-z ]+)</strong>', done.text)
                assert code, done.text[:2000]
                read = client.post("/report/return/", data={"code": code.group(1)})
                assert "Your report and our replies" in read.text
                assert client.get("/report/no-such-page/").status_code == 404
                refused = client.post(
                    "/report/done/", content=b"kind=drugging", headers={"Content-Type": "text/x"}
                )
                assert refused.status_code == 415
                assert FORM in done.request.headers["Content-Type"]
            # A request gunicorn refuses itself: it names the client's address, unless told not to.
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall(b"GET /report/ HTTP/1.1\r\nHost: x\r\nBad\x01Header: y\r\n\r\n")
                assert sock.recv(65536).startswith(b"HTTP/1.1 400")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)

    logged = log.read_text(errors="replace")
    assert "Invalid request from ip=(not kept)" in logged
    assert "ip=127.0.0.1" not in logged
    assert found_in(logged, marks) == []
    stored = subprocess.run(
        [sys.executable, "-m", "tests.portal.dump"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("latin-1")
    assert "portal.submitted" in stored  # the dump holds the store
    assert found_in(stored, marks) == []
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("store.sqlite3*"))  # SQLite: the files too
    assert found_in(raw.decode("latin-1"), marks) == []
    assert files_holding(temp, marks) == []
