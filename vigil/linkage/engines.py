"""Scoring with the linkage model on DuckDB (default) or Spark: batch and online.

- :func:`score` - every blocked pair of a table (Splink's ``predict``), DuckDB or Spark
  (local, ``local[2]``), the same model, the same pairs and weights.
- :func:`score_one` - one new or updated case against its candidates (chosen by the store),
  with Splink's real-time ``compare_records`` on a long-lived DuckDB connection, its SQL
  cached per model version.
- :func:`score_pairs` - given pairs (labels, tests): the same SQL, no blocking.

Each result carries every feature's level (Splink's gamma) and its contribution to the match
weight (log2 Bayes factor), so an explanation is written from what was scored.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, NamedTuple

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from splink import DuckDBAPI, Linker
from splink.internals.exceptions import SplinkException
from splink.internals.realtime import compare_records

from vigil.linkage.model import FEATURES, Model
from vigil.linkage.profile import COLUMNS, LIST_COLUMNS, SCORING_COLUMNS

Engine = Literal["duckdb", "spark"]
MEMORY_LIMIT = "2GB"  # DuckDB's working memory for a batch; it spills to disk beyond it

_LIST = pa.list_(pa.string())
_TYPES: dict[str, pa.DataType] = {
    "unique_id": pa.string(),
    "found_day": pa.int64(),
    "found_minute": pa.int64(),
    "latitude": pa.float64(),
    "longitude": pa.float64(),
    "place_type": pa.string(),
    "sex": pa.string(),
    "age": pa.int64(),
    "moved": pa.bool_(),
    "phone_missing": pa.bool_(),
    "note_present": pa.bool_(),
} | dict.fromkeys(LIST_COLUMNS, _LIST)
# What the engines score: the profile's columns and the scoring columns the store's
# frequencies add (vigil.linkage.frequency.Frequencies.annotate).
SCORED_COLUMNS: tuple[str, ...] = (*COLUMNS, *SCORING_COLUMNS)
SCHEMA = pa.schema([(name, _TYPES[name]) for name in SCORED_COLUMNS])


class OutOfMemory(RuntimeError):
    """DuckDB needed more than its memory limit for a batch (and could not spill)."""

    def __init__(self, limit: str, detail: str) -> None:
        super().__init__(f"more than {limit} of working memory was needed ({detail})")
        self.limit = limit


@contextmanager
def _bounded(limit: str) -> Iterator[None]:
    """DuckDB's out-of-memory error (which Splink wraps in its own) as :class:`OutOfMemory`."""
    try:
        yield
    except (duckdb.OutOfMemoryException, SplinkException) as exc:
        cause = exc if isinstance(exc, duckdb.OutOfMemoryException) else exc.__cause__
        if not isinstance(cause, duckdb.OutOfMemoryException):
            raise
        raise OutOfMemory(limit, str(cause).splitlines()[0]) from None


class Pair(NamedTuple):
    """A scored pair: ids (``id_l < id_r``), match weight (log2 odds), probability, each
    feature's contribution to the weight (log2 Bayes factor) and its level (Splink's gamma:
    -1 null, 0 'else', higher is more similar)."""

    id_l: str
    id_r: str
    match_weight: float
    match_probability: float
    contributions: dict[str, float]
    levels: dict[str, int]


def table(rows: Iterable[dict[str, Any]]) -> pa.Table:
    """Annotated profile rows as an Arrow table with the columns' types (nulls stay typed).
    A row without its scoring columns is refused: scored without the store's frequencies,
    every substance and first name would weigh as if never seen."""
    listed = []
    for row in rows:
        if "substance_bands" not in row:
            raise ValueError(
                f"profile row {row.get('unique_id')!r} has no scoring columns: annotate it with "
                "the store's frequencies (Frequencies.annotate) before scoring"
            )
        listed.append({c: row.get(c) for c in SCORED_COLUMNS})
    return pa.Table.from_pylist(listed, schema=SCHEMA)


def _pairs(result: pa.Table) -> list[Pair]:
    data = result.to_pydict()
    gammas = {f: data[f"gamma_{f}"] for f in FEATURES}
    weights = {f: data[f"mw_{f}"] for f in FEATURES}
    out = []
    for i, (a, b) in enumerate(zip(data["unique_id_l"], data["unique_id_r"], strict=True)):
        if a > b:
            a, b = b, a
        out.append(
            Pair(
                a,
                b,
                float(data["match_weight"][i]),
                float(data["match_probability"][i]),
                {f: float(weights[f][i]) for f in FEATURES},
                {f: int(gammas[f][i]) for f in FEATURES},
            )
        )
    out.sort(key=lambda p: (-p.match_weight, p.id_l, p.id_r))
    return out


_COLUMNS_OUT = [
    "unique_id_l",
    "unique_id_r",
    "match_weight",
    "match_probability",
    *[f"gamma_{f}" for f in FEATURES],
    *[f"mw_{f}" for f in FEATURES],
]
_SELECT = ", ".join(_COLUMNS_OUT)


def connect(
    memory_limit: str = MEMORY_LIMIT, threads: int | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection for batch scoring: bounded memory (spilling to a
    temporary directory beyond it), no progress bar, row order not preserved."""
    con = duckdb.connect()
    spill = Path(tempfile.gettempdir()) / "vigil-duckdb"
    con.execute(f"SET temp_directory = '{spill}'")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def _numbered(data: pa.Table) -> tuple[pa.Table, pa.Array]:
    """The table sorted by unique_id, with unique_id replaced by its rank (0, 1, ...), and the
    references in rank order. Engines join and deduplicate integers much faster than strings,
    and rank order is reference order, so every engine pairs the same cases the same way."""
    data = data.take(pc.sort_indices(data, [("unique_id", "ascending")]))
    references = data["unique_id"].combine_chunks()
    if pc.count_distinct(references).as_py() != len(references):
        raise ValueError("two profile rows have the same unique_id")
    ranks = pa.array(range(len(references)), pa.int64())
    return data.set_column(0, "unique_id", ranks), references


def _referenced(result: pa.Table, references: pa.Array) -> pa.Table:
    for column in ("unique_id_l", "unique_id_r"):
        index = result.schema.get_field_index(column)
        result = result.set_column(index, column, references.take(result[column]))
    return result


def score_table(
    model: Model,
    rows: pa.Table | Sequence[dict[str, Any]],
    threshold: float | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> pa.Table:
    """Splink's predict on DuckDB over every blocked pair: an Arrow table of ids, weight,
    probability, ``gamma_<feature>`` and ``mw_<feature>``, pairs with weight >= threshold."""
    data, references = _numbered(rows if isinstance(rows, pa.Table) else table(rows))
    db_api = DuckDBAPI(connection or connect())
    linker = Linker(db_api.register(data), model.settings_for("duckdb"), log_level=None)
    predictions = linker.inference.predict(threshold_match_weight=threshold)
    result: pa.Table = db_api.duckdb_con.sql(
        f"select {_SELECT} from {predictions.physical_name}"
    ).to_arrow_table()
    predictions.drop_table_from_database_and_remove_from_cache()
    return _referenced(result, references)


def score_new(
    model: Model,
    rows: pa.Table | Sequence[dict[str, Any]],
    new: Iterable[str],
    threshold: float | None = None,
    memory_limit: str = MEMORY_LIMIT,
) -> pa.Table:
    """As :func:`score_table`, but only the blocked pairs that involve a case of ``new``:
    the new cases linked to the others (Splink's ``link_only``) and to each other
    (``dedupe_only``). An import of a few thousand cases into a large store scores those
    pairs, not every pair of the store again."""
    data, references = _numbered(rows if isinstance(rows, pa.Table) else table(rows))
    wanted = pc.is_in(references, pa.array(sorted(set(new)), pa.string()))
    fresh, old = data.filter(wanted), data.filter(pc.invert(wanted))
    con = connect(memory_limit)
    parts = []
    for link_type, inputs in (("dedupe_only", [fresh]), ("link_only", [fresh, old])):
        if any(t.num_rows == 0 for t in inputs) or (
            link_type == "dedupe_only" and fresh.num_rows < 2
        ):
            continue
        db_api = DuckDBAPI(con)
        settings = {**model.settings_for("duckdb"), "link_type": link_type}
        linker = Linker([db_api.register(t) for t in inputs], settings, log_level=None)
        predictions = linker.inference.predict(threshold_match_weight=threshold)
        parts.append(con.sql(f"select {_SELECT} from {predictions.physical_name}").to_arrow_table())
        predictions.drop_table_from_database_and_remove_from_cache()
    if not parts:
        return _referenced(score_table(model, data.slice(0, 0)), references)
    return _referenced(pa.concat_tables(parts), references)


def relink_table(
    model: Model, rows: pa.Table, keep_weight: float, series_weight: float
) -> tuple[pa.Table, pa.Table]:
    """A whole store re-linked on DuckDB: the links of weight >= ``keep_weight`` (as
    :func:`score_table`) and the candidate series, Splink's connected components of the links
    of weight >= ``series_weight``: a table of ``unique_id`` and ``series`` (the series' first
    reference), for the cases in a series of two or more."""
    data, references = _numbered(rows)
    db_api = DuckDBAPI(connect())
    linker = Linker(db_api.register(data), model.settings_for("duckdb"), log_level=None)
    predictions = linker.inference.predict(threshold_match_weight=keep_weight)
    con = db_api.duckdb_con
    links: pa.Table = con.sql(f"select {_SELECT} from {predictions.physical_name}").to_arrow_table()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_weight=series_weight
    )
    grouped: pa.Table = con.sql(
        f"""select unique_id, cluster_id as series from {clusters.physical_name}
        qualify count(*) over (partition by cluster_id) > 1"""
    ).to_arrow_table()
    for table_ in (clusters, predictions):
        table_.drop_table_from_database_and_remove_from_cache()
    series = pa.table(
        {
            "unique_id": references.take(grouped["unique_id"]),
            "series": references.take(grouped["series"]),
        }
    )
    return _referenced(links, references), series


def spark_session() -> Any:
    """A local Spark session (``local[2]``), created once; pyspark is an optional dependency,
    imported only when Spark is asked for."""
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("vigil-linkage")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.driver.memory", "2g")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def score_table_spark(
    model: Model, rows: pa.Table | Sequence[dict[str, Any]], threshold: float | None = None
) -> pa.Table:
    """:func:`score_table` on Spark in local mode: the same model, transpiled by Splink."""
    from splink import SparkAPI

    session = spark_session()
    data, references = _numbered(rows if isinstance(rows, pa.Table) else table(rows))
    frame = session.createDataFrame(data)
    db_api = SparkAPI(  # type: ignore[no-untyped-call]
        spark_session=session, break_lineage_method="persist", register_udfs_automatically=False
    )
    linker = Linker(db_api.register(frame), model.settings_for("spark"), log_level=None)
    predictions = linker.inference.predict(threshold_match_weight=threshold)
    result: pa.Table = predictions.as_spark_dataframe().select(*_COLUMNS_OUT).toArrow()
    predictions.drop_table_from_database_and_remove_from_cache()
    return _referenced(result, references)


def score(
    model: Model,
    rows: Sequence[dict[str, Any]] | pa.Table,
    engine: Engine = "duckdb",
    threshold: float | None = None,
    new: Iterable[str] | None = None,
    memory_limit: str = MEMORY_LIMIT,
) -> list[Pair]:
    """Every blocked pair of ``rows`` with match weight >= ``threshold`` (all if None),
    strongest first; with ``new``, only the pairs that involve one of those cases. DuckDB
    works within ``memory_limit`` (spilling to disk beyond it where it can)."""
    if new is not None:
        wanted = set(new)
        if engine == "duckdb":
            with _bounded(memory_limit):
                return _pairs(score_new(model, rows, wanted, threshold, memory_limit))
        found = score(model, rows, engine, threshold)
        return [p for p in found if p.id_l in wanted or p.id_r in wanted]
    if engine == "duckdb":
        with _bounded(memory_limit):
            return _pairs(score_table(model, rows, threshold, connect(memory_limit)))
    if engine == "spark":
        return _pairs(score_table_spark(model, rows, threshold))
    raise ValueError(f"unknown engine {engine!r}: use 'duckdb' or 'spark'")


class _Online:
    """One DuckDB connection per thread, reused: real-time scoring pays no start-up cost."""

    local = threading.local()

    @classmethod
    def db_api(cls) -> DuckDBAPI:
        api: DuckDBAPI | None = getattr(cls.local, "api", None)
        if api is None:
            con = connect(threads=1)  # 200 pairs: a thread pool costs more than it saves
            api = cls.local.api = DuckDBAPI(con)
        return api


def _compare(model: Model, left: pa.Table, right: pa.Table, join: str = "1=1") -> pa.Table:
    """Splink's real-time ``compare_records`` of every left row with every right row (that
    meets ``join``), its SQL cached per model version; the tables it made are then dropped."""
    api = _Online.db_api()
    con = api.duckdb_con
    result = compare_records(
        left,
        right,
        model.settings_for("duckdb"),
        api,
        sql_cache_key=f"{model.version}:{join}",
        join_condition=join,
    )
    try:
        out: pa.Table = con.sql(f"select {_SELECT} from {result.physical_name}").to_arrow_table()
    finally:
        api.delete_table_from_database(result.physical_name)
        views = con.sql(
            "select view_name from duckdb_views() "
            "where view_name like '__splink__compare_records_%'"
        ).fetchall()
        for (view,) in views:  # the Arrow tables compare_records registered
            con.unregister(view)
    return out


def score_one(
    model: Model, new_row: dict[str, Any], candidate_rows: Sequence[dict[str, Any]]
) -> list[Pair]:
    """The new case scored against each candidate (no blocking: the store chose them),
    strongest first. Each pair's ids are ordered, so ``new_row`` may be either side."""
    others = [r for r in candidate_rows if r["unique_id"] != new_row["unique_id"]]
    if not others:
        return []
    return _pairs(_compare(model, table([new_row]), table(others)))


def score_pairs(
    model: Model, rows: Sequence[dict[str, Any]], pairs: Iterable[tuple[str, str]]
) -> list[Pair]:
    """Named pairs of ``rows`` scored whether or not blocking would find them."""
    by_id = {r["unique_id"]: r for r in rows}
    chosen = [(a, b) for a, b in pairs if a in by_id and b in by_id and a != b]
    if not chosen:
        return []
    left = table(by_id[a] for a, _ in chosen).append_column(
        "pair_index", pa.array(range(len(chosen)), pa.int64())
    )
    right = table(by_id[b] for _, b in chosen).append_column(
        "pair_index", pa.array(range(len(chosen)), pa.int64())
    )
    return _pairs(_compare(model, left, right, "l.pair_index = r.pair_index"))
