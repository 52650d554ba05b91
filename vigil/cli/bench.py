"""`vigil bench ...`: benchmarks that print figures (they assert nothing)."""

from __future__ import annotations

import json
import logging
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import typer
from django.conf import settings
from rich.table import Table

from vigil.cli import bench_web
from vigil.cli.bench_search import bench_search
from vigil.cli.common import console, err
from vigil.demo.generate import generate, write_jsonl
from vigil.domain.enums import Category
from vigil.linkage import model

app = typer.Typer(no_args_is_help=True, help="Benchmarks: they print figures.")
app.command("search")(bench_search)


def _vigil(env: dict[str, str], *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "vigil", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        err.print(done.stderr[-2000:])
        raise typer.Exit(1)
    return elapsed, done.stdout + done.stderr


@app.command("import")
def bench_import(
    cases: int = typer.Option(10_000, "--cases", min=1),
    seed: int = typer.Option(7, "--seed"),
    database: str | None = typer.Option(
        None, "--database", help="An empty database URL (default: a new SQLite file)."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import N synthetic cases into a fresh store, import them again, show a few cases."""
    with tempfile.TemporaryDirectory(prefix="vigil-bench-") as tmp:
        env = dict(
            os.environ,
            VIGIL_HOME=tmp,
            VIGIL_DATABASE_URL=database or f"sqlite:///{tmp}/bench.sqlite3",
        )
        data = Path(tmp) / "cases.jsonl"
        start = time.perf_counter()
        records = list(generate(cases, seed=seed))
        with data.open("w") as fh:
            write_jsonl(records, fh)
        refs = [r.reference for r in records]
        generate_s = time.perf_counter() - start
        err.print(f"Generated {cases} cases in {generate_s:.1f} s; importing...")
        _vigil(env, "demo", "--no-serve", "--cases", "0")  # the users decisions name
        import_s, first = _vigil(env, "import", str(data))
        err.print(f"Imported in {import_s:.1f} s; importing the same file again...")
        reimport_s, second = _vigil(env, "import", str(data))
        sample = refs[:: max(1, len(refs) // 10)][:10]
        show_s = [_vigil(env, "case", "show", ref, "--json")[0] for ref in sample]
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures = {
        "cases": cases,
        "generate_seconds": round(generate_s, 2),
        "import_seconds": round(import_s, 2),
        "cases_per_second": round(cases / import_s, 1),
        "first_import": _summary(first),
        "reimport_seconds": round(reimport_s, 2),
        "second_import": _summary(second),
        "case_show_seconds_median": round(sorted(show_s)[len(show_s) // 2], 3),
        "peak_rss_mb": round(peak, 1),
    }
    if as_json:
        sys.stdout.write(json.dumps(figures, indent=2) + "\n")
        return
    table = Table("Figure", "Value", title="vigil bench import")
    for key, value in figures.items():
        table.add_row(key, str(value))
    console.print(table)


def _summary(output: str) -> str:
    match = re.search(r"\d+ created, \d+ updated, \d+ unchanged, \d+ refused", output)
    return match.group(0) if match else output.strip()[-200:]


@app.command("linkage")
def bench_linkage(
    cases: int = typer.Option(100_000, "--cases", min=100),
    seed: int = typer.Option(101, "--seed", help="Not a seed the shipped model was trained on."),
    model_file: Path | None = typer.Option(None, "--model", help="Default: the shipped model."),
    train_seed: int | None = typer.Option(
        None,
        "--train-seed",
        help="First learn m from the solved (planted) series of another synthetic world of "
        "100,000 cases with this seed, as a deployment learns from its solved series.",
    ),
    category: str = typer.Option(
        "",
        "--category",
        help="The category every synthetic death is given for the cluster scan profiles "
        "(default: none, so the profiles of unexplained deaths admit none of them): one of "
        + ", ".join(c.value for c in Category),
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Online latency (linking and the cluster check), batch time (re-linking and the cluster
    scan), pairs/s, peak memory and accuracy on a synthetic store with planted series. The
    cluster settings are VIGIL_CLUSTER_MAX_KM, _MAX_DAYS, _REPLICATES and _ALPHA."""
    # Imported here, not at the top: scikit-learn costs every other command a second to start.
    from vigil.linkage import benchmark as linkage_benchmark
    from vigil.linkage import synthetic, training
    from vigil.linkage.storescan import Config

    logging.getLogger("splink").setLevel(logging.WARNING)
    if train_seed is not None and train_seed == seed:
        err.print("[red]Refused[/red] --train-seed: it must differ from --seed")
        raise typer.Exit(2)
    if category and category not in {c.value for c in Category}:
        known = ", ".join(c.value for c in Category)
        err.print(f"[red]Refused[/red] --category: '{category}' is not a category ({known})")
        raise typer.Exit(2)
    vigil = settings.VIGIL
    config = Config(
        vigil.cluster_max_km, vigil.cluster_max_days, vigil.cluster_replicates, vigil.cluster_alpha
    )
    chosen = model.load(model_file) if model_file else model.load()
    if train_seed is not None:
        err.print(f"Training on the solved series of seed {train_seed} (100,000 cases)")
        world = synthetic.generate(100_000, train_seed)
        chosen = training.train(world.rows, sorted(world.true_pairs()), seed=train_seed)
        del world
    figures = linkage_benchmark.run(
        chosen, cases, seed, lambda text: err.print(text), config, category
    )
    if as_json:
        sys.stdout.write(json.dumps(figures, indent=2) + "\n")
        return
    table = Table("Figure", "Value", title="vigil bench linkage")
    for key, value in figures.items():
        table.add_row(key, str(value))
    console.print(table)


app.command("web")(bench_web.bench_web)
