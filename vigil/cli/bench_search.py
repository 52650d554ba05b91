"""`vigil bench search`: full-text search latency on a store of N synthetic cases.

The store is a temporary one (a new SQLite file unless ``--database`` names an empty database):
the command runs itself again in a child process pointed at it, which migrates it, writes the
seeded synthetic cases of ``vigil.demo`` through the bulk import path
(``vigil.services.interchange.bulk``,
which the search index's triggers follow; no linking), then runs searches of realistic words
drawn from the store itself (names and surnames, phone numbers as written, e-mail addresses,
streets, postcode districts, place types, substances, references) through
``vigil.services.readmodels.search.search_cases`` as an analyst, each audited as every search is,
and prints
the percentiles. It asserts nothing.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from random import Random

import typer
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Model
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from vigil import services
from vigil.cli.common import actor, console, err
from vigil.demo.generate import generate
from vigil.demo.users import DEMO_USERS
from vigil.domain.actor import Actor
from vigil.domain.enums import PlaceType
from vigil.interchange.record import CaseRecord
from vigil.records import models as m
from vigil.services import (
    BulkImporter,
    active_users,
    plan_bulk_import,
    search_cases,
    user_exists,
    utcnow,
    write_bulk_import,
)

BATCH = 1000
WARM_UP = 10
_STREET = re.compile(r"^\d+[A-Z]?\s+(.+?),")
_DISTRICT = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s+[0-9][A-Z]{2}\b")


def _batches(records: Iterator[CaseRecord], size: int) -> Iterator[list[CaseRecord]]:
    while batch := list(islice(records, size)):
        yield batch


def build(cases: int, seed: int, progress: Callable[[int], None]) -> Actor:
    """Migrate, create the demo users (the records name them) and write ``cases`` synthetic
    cases; the analyst who will search."""
    call_command("migrate", interactive=False, verbosity=0)
    operator = actor(None)
    for username, role, name in DEMO_USERS:
        if not user_exists(username):
            services.create_user(
                operator,
                username,
                role,
                "bench-password-1",
                display_name=name,
                check_password=False,
            )
    importer = BulkImporter(operator.username, "the benchmark's synthetic cases", active_users())
    for batch in _batches(generate(cases, seed=seed), BATCH):
        now = utcnow()
        planned = [plan_bulk_import(record, now, importer) for record in batch]
        with transaction.atomic():
            write_bulk_import(planned, operator, now)
        progress(len(batch))
    return services.actor_for("analyst")


def _sample(rng: Random, model: type[Model], column: str, count: int, **where: object) -> list[str]:
    """``count`` values of ``column`` from rows picked at random (by id)."""
    rows = model._default_manager.filter(**where)
    top = rows.order_by("-pk").values_list("pk", flat=True).first() or 0
    found: list[str] = []
    for _ in range(20):
        ids = rng.sample(range(1, top + 1), min(top, count * 4))
        found += [v for v in rows.filter(pk__in=ids).values_list(column, flat=True) if v]
        if len(found) >= count:
            break
    return found[:count]


def queries(rng: Random, count: int) -> list[str]:
    """Realistic searches, drawn from the store: what an officer or analyst would type."""
    names = _sample(rng, m.Case, "deceased_name", 40)
    persons = _sample(rng, m.Person, "name", 30)
    phones = _sample(rng, m.Identifier, "value", 25, kind="phone")
    emails = _sample(rng, m.Identifier, "value", 10, kind="email")
    addresses = _sample(rng, m.Identifier, "value", 60, kind="address")
    streets = [s.group(1) for a in addresses if (s := _STREET.match(a))][:20]
    districts = [d.group(1) for a in addresses if (d := _DISTRICT.search(a))][:10]
    references = _sample(rng, m.Case, "reference", 15)
    substances = sorted(set(m.CaseSubstance.objects.values_list("substance", flat=True)))
    mix = [
        *names,
        *(n.split()[-1] for n in names[:30]),  # a surname alone
        *persons,
        *phones,
        *emails,
        *streets,
        *districts,
        *(p.value.replace("_", " ") for p in rng.sample(list(PlaceType), 10)),
        *(rng.choice(substances) for _ in range(10) if substances),
        *references,
    ]
    rng.shuffle(mix)
    return [q for q in mix if q.strip()][:count]


def run_searches(analyst: Actor, texts: list[str]) -> dict[str, object]:
    for text in texts[:WARM_UP]:
        search_cases(analyst, text, face="bench")
    times, totals = [], []
    for text in texts:
        start = time.perf_counter()
        results = search_cases(analyst, text, face="bench")
        times.append((time.perf_counter() - start) * 1000)
        totals.append(results.total)
    ordered = sorted(times)
    return {
        "searches": len(times),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, round(len(ordered) * 0.95) - 1)], 1),
        "max_ms": round(ordered[-1], 1),
        "mean_ms": round(statistics.fmean(ordered), 1),
        "median_cases_found": statistics.median(totals),
        "searches_finding_nothing": sum(1 for t in totals if t == 0),
    }


def _worker(cases: int, searches: int, seed: int) -> dict[str, object]:
    start = time.perf_counter()
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
    ) as bar:
        task = bar.add_task("Writing synthetic cases", total=cases)
        analyst = build(cases, seed, lambda n: bar.advance(task, n))
    build_s = time.perf_counter() - start
    texts = queries(Random(seed), searches)
    figures: dict[str, object] = {
        "cases": m.Case.objects.count(),
        "database": connection.vendor,
        "build_seconds": round(build_s, 1),
    }
    figures.update(run_searches(analyst, texts))
    figures["examples"] = texts[:8]
    return figures


def bench_search(
    cases: int = typer.Option(100_000, "--cases", min=1),
    searches: int = typer.Option(200, "--searches", min=1),
    seed: int = typer.Option(7, "--seed"),
    database: str | None = typer.Option(
        None, "--database", help="An empty database URL (default: a new SQLite file)."
    ),
    as_json: bool = typer.Option(False, "--json"),
    worker: bool = typer.Option(False, "--worker", hidden=True),
) -> None:
    """Search latency (p50, p95) on a fresh store of N synthetic cases."""
    if worker:
        sys.stdout.write(json.dumps(_worker(cases, searches, seed)) + "\n")
        return
    with tempfile.TemporaryDirectory(prefix="vigil-bench-search-") as tmp:
        env = dict(
            os.environ,
            VIGIL_HOME=tmp,
            VIGIL_DATABASE_URL=database or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
        )
        args = ["--cases", str(cases), "--searches", str(searches), "--seed", str(seed)]
        done = subprocess.run(
            [sys.executable, "-m", "vigil", "bench", "search", "--worker", *args],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        err.print("[red]The benchmark failed[/red] (its output is above).")
        raise typer.Exit(1)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if as_json:
        sys.stdout.write(json.dumps(figures, indent=2) + "\n")
        return
    table = Table("Figure", "Value", title="vigil bench search")
    for key, value in figures.items():
        table.add_row(key, ", ".join(value) if isinstance(value, list) else str(value))
    console.print(table)
