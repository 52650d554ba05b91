"""`vigil serve`: gunicorn with several worker processes, stopped cleanly by SIGTERM."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _answer(sock: socket.socket) -> bytes:
    """One HTTP response read off the socket (headers and a Content-Length body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(
        next(
            line.split(b":", 1)[1]
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        body += chunk
    return head


def test_serve_answers_from_several_worker_processes_and_stops_on_sigterm(fresh_store):
    port = _free_port()
    env = dict(fresh_store, VIGIL_SECURE_COOKIES="0")
    server = subprocess.Popen(
        [sys.executable, "-m", "vigil", "serve", "--port", str(port), "--workers", "3"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        answered = None
        for _ in range(300):
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
            try:
                answered = httpx.get(f"http://127.0.0.1:{port}/login/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert answered is not None and answered.status_code == 200
        assert "Sign in" in answered.text
        for _ in range(100):  # the workers fork one after another
            if len(_children(server.pid)) == 3:
                break
            time.sleep(0.1)
        assert len(_children(server.pid)) == 3
        # A reader's connection stays open while they read (gunicorn's default closed it
        # after 2 s, and the next page asked for on it got no answer).
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            for _ in range(2):
                sock.sendall(b"GET /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                assert _answer(sock).startswith(b"HTTP/1.1 200")
                time.sleep(3)
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
    assert code == 0
    assert f"http://127.0.0.1:{port}/" in (server.stdout.read().decode() if server.stdout else "")


def test_serve_refuses_no_workers(fresh_store):
    done = subprocess.run(
        [sys.executable, "-m", "vigil", "serve", "--workers", "0"],
        env=dict(fresh_store, COLUMNS="200"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    said = " ".join(done.stderr.split())
    assert "Invalid value for '--workers'" in said and "greater than or equal to 1" in said
