"""`vigil bench web`: case page latency with many signed-in users, over loopback.

On the database Vigil is configured with (``VIGIL_DATABASE_URL``; the done-when figure is on
PostgreSQL): the store is filled to ``--cases`` synthetic cases through the import service
(skipped when it already holds them), a reviewing officer is made for each simulated user,
``vigil serve`` is started on a free port, and ``--users`` users sign in (password and TOTP,
as a person does, ten at a time; that is not measured). Then, all at once, each opens a random
case page, reads it for a while (``--think`` seconds on average, drawn uniformly from half to
one and a half times that), and opens another, for ``--seconds``. Every page is a real request
through sign-in, the second factor, need-to-know, masking and the consultation audit. It
prints figures; it asserts nothing.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from typing import Any

import typer
from django.core.management import call_command
from django_otp.oath import TOTP
from rich.table import Table

from vigil import services
from vigil.cli import server
from vigil.cli.common import console, err
from vigil.demo.generate import generate, write_jsonl
from vigil.demo.users import DEMO_USERS
from vigil.domain.actor import Actor
from vigil.domain.enums import UserRole
from vigil.records import models as m
from vigil.services import link_store, user_exists

OPERATOR = Actor("bench:web", UserRole.ADMINISTRATOR)
IMPORT_CHUNK = 5_000
# The generator's six boroughs report about this many deaths a year to the police (a few hundred
# sudden deaths each): the store is spread over as many years as its size needs, ending with
# 2015, so that it is as dense in space and time as a real one (and links like one).
CASES_PER_YEAR = 3_000
LAST_DAY = date(2015, 12, 31)


def _period(cases: int) -> tuple[date, int]:
    """The first day and the number of days the synthetic store is spread over."""
    days = max(730, round(cases * 365 / CASES_PER_YEAR))
    return LAST_DAY - timedelta(days=days - 1), days


def _fill(cases: int, seed: int) -> int:
    """Import synthetic cases until the store holds ``cases`` (unlinked, then the store linked
    once, as a migration would be); the number it holds."""
    for username, role, name in DEMO_USERS:  # the generated records name them
        if not user_exists(username):
            services.create_user(
                OPERATOR,
                username,
                role,
                secrets.token_urlsafe(12),
                display_name=name,
                check_password=False,
            )
    have = m.Case.objects.count()
    made = 0
    first_day, days = _period(cases)
    while have < cases:
        chunk = min(IMPORT_CHUNK, cases - have)
        buffer = io.StringIO()
        # a seed per chunk from the store's size: a re-run after a stop makes new cases
        write_jsonl(generate(chunk, seed * 1_000_000 + have, first_day, days), buffer)
        buffer.seek(0)
        start = time.perf_counter()
        report = services.import_lines(OPERATOR, buffer, link=False)
        have = m.Case.objects.count()
        made += report.created
        err.print(
            f"  imported {report.created} cases in {time.perf_counter() - start:.1f} s "
            f"({have}/{cases})"
        )
        if report.created == 0:
            raise _fail(f"the import created nothing: {report.errors[:3]}")
    if made:
        err.print("  linking the store (vigil link --all)")
        link_store(OPERATOR, progress=lambda text: err.print(f"  {text}"))
    return have


def _users(count: int) -> list[tuple[str, str, str]]:
    """Reviewing officers for the simulated users: (username, password, TOTP secret)."""
    made = []
    for i in range(count):
        username, password = f"bench-web-{i:03d}", secrets.token_urlsafe(12)
        if user_exists(username):
            services.set_password(OPERATOR, username, password)
            authenticator = services.enrol_totp(OPERATOR, username)
        else:
            authenticator = services.create_user(
                OPERATOR, username, UserRole.REVIEWING_OFFICER, password, check_password=False
            )
        made.append((username, password, authenticator.secret))
    return made


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]Stopped[/red]: {message}")
    return typer.Exit(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _token(secret: str) -> str:
    totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)))
    totp.time = time.time()
    return f"{totp.token():06d}"


async def _sign_in(client: Any, base: str, login: tuple[str, str, str]) -> None:
    """Password, then the second factor, as a person signs in."""
    username, password, key = login
    await client.get("/login/")
    csrf = client.cookies.get("csrftoken", "")
    page = await client.post(
        "/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": csrf},
        headers={"Referer": f"{base}/login/"},
    )
    if "/verify/" in str(page.url):
        csrf = client.cookies.get("csrftoken", "")
        page = await client.post(
            "/verify/",
            data={"code": _token(key), "csrfmiddlewaretoken": csrf},
            headers={"Referer": f"{base}/verify/"},
        )
    if "/login/" in str(page.url) or "/verify/" in str(page.url):
        raise RuntimeError(f"{username} could not sign in ({page.status_code} {page.url})")


async def _read(
    client: Any, refs: list[str], seconds: float, think: float, rng: random.Random
) -> tuple[list[float], int]:
    """Open random case pages for ``seconds``, reading each for a while; the time each took,
    and how many failed (an error status, or no answer)."""
    import httpx

    took: list[float] = []
    errors = 0
    await asyncio.sleep(rng.uniform(0, think))  # readers do not all start at once
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        ref = rng.choice(refs)
        start = time.perf_counter()
        try:
            response = await client.get(f"/cases/{ref}/")
        except httpx.TransportError:  # counted, not timed: the reader tries the next page
            errors += 1
            continue
        took.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200 or response.url.path != f"/cases/{ref}/":
            errors += 1
        await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
    return took, errors


async def _load(
    base: str,
    logins: list[tuple[str, str, str]],
    refs: list[str],
    seconds: float,
    think: float,
    seed: int,
) -> tuple[list[float], int]:
    """Every user signs in first (argon2 makes that deliberately costly, and it is not what is
    measured); then all read case pages at once."""
    import httpx

    clients = [httpx.AsyncClient(base_url=base, follow_redirects=True, timeout=60) for _ in logins]
    try:
        for batch in range(0, len(logins), 10):
            await asyncio.gather(
                *(
                    _sign_in(clients[i], base, logins[i])
                    for i in range(batch, min(batch + 10, len(logins)))
                )
            )
        results = await asyncio.gather(
            *(
                _read(client, refs, seconds, think, random.Random(seed + i))
                for i, client in enumerate(clients)
            )
        )
    finally:
        for client in clients:
            await client.aclose()
    took = [ms for one, _ in results for ms in one]
    return took, sum(errors for _, errors in results)


def _wait_for(base: str, server: subprocess.Popen[bytes]) -> None:
    import httpx

    for _ in range(300):
        if server.poll() is not None:
            raise _fail("the server stopped before it answered")
        try:
            if httpx.get(f"{base}/login/", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise _fail("the server did not answer within a minute")


def bench_web(
    cases: int = typer.Option(100_000, "--cases", min=1),
    users: int = typer.Option(50, "--users", min=1),
    seconds: float = typer.Option(60.0, "--seconds", min=5),
    think: float = typer.Option(1.0, "--think", min=0.0, help="Mean seconds between pages."),
    seed: int = typer.Option(11, "--seed"),
    workers: int = typer.Option(
        server.default_workers(), "--workers", min=1, max=64, help="Server processes."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Case page latency (p50, p95) with many signed-in users on this database."""
    from django.db import connection

    call_command("migrate", verbosity=0)
    err.print(f"Database: {connection.vendor}; filling the store to {cases} cases")
    stored = _fill(cases, seed)
    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would gather
        cursor.execute("ANALYZE")
    refs = list(m.Case.objects.values_list("reference", flat=True).order_by("?")[:5000])
    logins = _users(users)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    env.setdefault("VIGIL_SECURE_COOKIES", "0")
    server = subprocess.Popen(
        [sys.executable, "-m", "vigil", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(base, server)
        err.print(f"{users} users signing in, then reading case pages for {seconds:g} s")
        took, errors = asyncio.run(_load(base, logins, refs, seconds, think, seed))
    finally:
        server.terminate()
        server.wait(timeout=30)
    if len(took) < 20:
        raise _fail(f"too few pages were read to measure ({len(took)})")
    cuts = statistics.quantiles(took, n=100)
    figures: dict[str, Any] = {
        "database": connection.vendor,
        "cases": stored,
        "users": users,
        "workers": workers,
        "think_seconds": think,
        "pages": len(took),
        "errors": errors,
        "pages_per_second": round(len(took) / seconds, 1),
        "case_page_p50_ms": round(statistics.median(took), 1),
        "case_page_p95_ms": round(cuts[94], 1),
        "case_page_p99_ms": round(cuts[98], 1),
        "case_page_max_ms": round(max(took), 1),
    }
    if as_json:
        sys.stdout.write(json.dumps(figures, indent=2) + "\n")
        return
    table = Table("Figure", "Value", title="vigil bench web")
    for key, value in figures.items():
        table.add_row(key, str(value))
    console.print(table)
