"""`hubwh snapshot load DIR`: a snapshot straight into the warehouse's `raw` schema, no HTTP.

The rows are the ones a crawl of the snapshot through the emulator gives (`hubwh emulate` +
`hubwh crawl`, same scope), volatile columns aside (`fetched_at`, `*_listed_at`, `listed_at`,
`last_ok_at`, dlt's ids; `n_requests` is 0, no request being made). Nothing is written twice:
a record becomes an API body with the emulator's projection (hubwh/emulator/listing.py: the
list sweep's `expand` fields, extract/sweep.py) and a body becomes a row with the crawler's
own functions (extract/hf_hub.py, extract/fetch.py); a forced outcome becomes the emulator's
error answer, which huggingface_hub turns into the exception the crawler records.

Three stages, so that bad input loads nothing:

1. stage: each file into Parquet in a scratch folder, columnar (hubwh/snapshot/columnar.py:
   each gzip file is cut into plain-text chunks of whole lines, and workers, each a one-thread
   DuckDB with its share of the warehouse's memory_limit, read the chunks as they come and map
   the fields in SQL, so nothing needs the whole snapshot in memory and both cores work on the
   commits file). Records whose shape the SQL does not reproduce exactly go through the
   crawler's Python row functions one by one, and so does a whole file DuckDB cannot read: a
   malformed record stops here with their message, naming the file and line. (The Python way
   alone ran at ~1,300 repos/s; the columnar one is what makes today's Hub load in minutes.)
2. check and join (DuckDB over the staged files): duplicate ids stop here; the repos whose
   commits and discussions are kept (listed, endpoints that answer) are counted, those of repos
   not listed or with a forced outcome are left out; `raw.fetch_log` gets a row per listed repo
   and resource, as the crawl's plan would fetch;
3. load: one dlt run creates every raw table (or, with `--replace`, empties it) and loads the
   crawl_runs row; then one DuckDB transaction inserts the checked rows under that dlt load id,
   the commits and discussions straight from the staged files (no merge needed: stage 2
   guaranteed unique keys). A load that fails keeps nothing.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

try:  # DuckDB 1.4 and later
    from duckdb.sqltypes import BOOLEAN, VARCHAR
except ImportError:  # pragma: no cover - older DuckDB
    from duckdb.typing import BOOLEAN, VARCHAR

from extract.hf_hub import (
    COLUMNS,
    DUCKDB_TYPES,
    REPO_TABLE,
    TABLES,
    Malformed,
    arrow_schema,
    hf_hub,
    repo_row,
    space_model_rows,
    to_arrow,
)
from extract.scope import Scope
from hubwh.errors import HubwhError
from hubwh.snapshot.format import (
    COMMITS_FILE,
    DISCUSSIONS_FILE,
    OUTCOMES,
    OUTCOMES_FILE,
    REPO_FILES,
    REPO_TYPES,
    Snapshot,
    iter_gz_lines,
    json_problem,
)

log = logging.getLogger("hubwh.snapshot.load")

# Rows per staged Arrow batch of the Python path (memory).
STAGE_ROWS = 50_000
# What crawl_runs.endpoint says of a snapshot load (the snapshot's folder follows).
ENDPOINT_PREFIX = "snapshot:"
_LINE = "_line"  # staged only: the snapshot line a row came from, for error messages


@dataclass
class LoadResult:
    run_id: str
    db_path: Path
    rows: dict[str, int] = field(default_factory=dict)
    repos_listed: dict[str, int] = field(default_factory=dict)
    elapsed_s: float = 0.0
    stage_s: float = 0.0
    load_s: float = 0.0
    # seconds from the start of staging until each file was staged the columnar way, and until
    # every repo list was ("list rows" of the load's throughput)
    files_s: dict[str, float] = field(default_factory=dict)
    lists_s: float = 0.0


_OUTCOMES_SCHEMA = pa.schema(
    [("repo_type", pa.string()), ("repo_id", pa.string()), ("status", pa.string()), ("message", pa.string())]
)


def _staged_schema(table: str) -> pa.Schema:
    schema = _OUTCOMES_SCHEMA if table == "outcomes" else arrow_schema(table)
    return schema.append(pa.field(_LINE, pa.int64()))


class _Stager:
    """Rows by table from the Python path, written to one Parquet file per table in Arrow
    batches (`{table}.py.parquet`; the columnar path writes `{table}.<name>.parquet` beside)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.pending: dict[str, list[dict]] = {}
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.counts: dict[str, int] = {}

    def path(self, table: str) -> Path:
        return self.folder / f"{table}.py.parquet"

    def add(self, table: str, rows: list[dict], line: int) -> None:
        pending = self.pending.setdefault(table, [])
        for row in rows:
            row[_LINE] = line
            pending.append(row)
        if len(pending) >= STAGE_ROWS:
            self.flush(table)

    def flush(self, table: str) -> None:
        rows = self.pending.get(table)
        if not rows:
            return
        schema = _staged_schema(table)
        data = pa.Table.from_pylist(rows, schema=schema)
        if table not in self.writers:
            self.writers[table] = pq.ParquetWriter(self.path(table), schema, compression="zstd")
        self.writers[table].write_table(data)
        self.counts[table] = self.counts.get(table, 0) + len(rows)
        self.pending[table] = []

    def close(self) -> None:
        for table in list(self.pending):
            self.flush(table)
        for writer in self.writers.values():
            writer.close()
        # Every table gets a file (maybe empty), so the SQL below can read them all.
        for table in (*TABLES, "outcomes"):
            if not self.path(table).exists():
                pq.write_table(_staged_schema(table).empty_table(), self.path(table))


def _records(path: Path) -> Iterator[tuple[int, int, object]]:
    """(line number, ordinal among non-blank lines, value) per record of a gzip JSON Lines file."""
    for ordinal, (lineno, line) in enumerate(iter_gz_lines(path), 1):
        try:
            yield lineno, ordinal, json.loads(line)
        except ValueError as exc:
            raise HubwhError(f"{path}:{lineno}: {json_problem(exc, in_line=True)}") from None


def _list_keep(scope: Scope, repo_type: str):
    """Which record fields the crawl's list sweep gets back (its `expand` query, parsed by the
    emulator)."""
    from extract.sweep import list_params
    from hubwh.emulator.listing import ListQuery

    params = [(k, str(v)) for k, v in list_params(scope, repo_type)]
    return ListQuery.parse(repo_type, params).keep()


def _outcome_answer(repo_type: str, repo_id: str, outcome: str) -> tuple[str, str]:
    """(fetch_log status, message) the crawl records when the emulator answers a per-repo call
    of a repo with this outcome."""
    import httpx2
    from huggingface_hub.utils import hf_raise_for_status

    from extract.fetch import failure_status
    from hubwh.emulator.server import gated, repo_not_found

    answer = gated(repo_type, repo_id) if outcome == "gated" else repo_not_found()
    request = httpx2.Request("GET", f"http://snapshot/api/{repo_type}s/{repo_id}/commits/main")
    headers = [("Content-Type", "application/json; charset=utf-8"), *answer.headers]
    response = httpx2.Response(answer.status, headers=headers, content=answer.body, request=request)
    try:
        hf_raise_for_status(response)
    except Exception as exc:  # the library's own mapping of the answer
        return failure_status(exc)
    raise AssertionError(f"the emulator's {outcome} answer raised nothing")


class _Progress:
    def __init__(self, enabled: bool):
        from extract.progress import CrawlProgress

        self.bars = CrawlProgress(enabled)

    def stage(self, name: str, total: int | None):
        return self.bars.stage(name, total=total or None)


# -- stage 1, the Python way: one record at a time, with the crawler's own row functions --------
def _at(path: Path, lineno: int | None, ordinal: int) -> str:
    """`file:line` for a message (a record from the columnar path knows only its ordinal)."""
    from hubwh.snapshot.columnar import physical_line

    return f"{path}:{lineno if lineno is not None else physical_line(path, ordinal)}"


def _repo_record(stager, scope, keep, now, repo_type, path, lineno, ordinal, record) -> bool:
    """One repo list record staged; False when a crawl's listing would not show it."""
    from hubwh.emulator.listing import project

    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        raise HubwhError(f"{_at(path, lineno, ordinal)}: a {repo_type} record needs a string 'id'")
    # Private repos never appear in a listing (the emulator's rule, listing._members).
    if record.get("private") is True or not scope.in_sample(record["id"]):
        return False
    item = project(record, keep, store=None, repo_type=repo_type)
    try:
        stager.add(REPO_TABLE[repo_type], [repo_row(repo_type, item, now)], ordinal)
        if repo_type == "space":
            stager.add("space_models", space_model_rows(item, now), ordinal)
    except Malformed as exc:
        raise HubwhError(f"{_at(path, lineno, ordinal)}: {repo_type} {record['id']}: {exc}") from None
    return True


def _item_line(stager, scope, now, resource, path, lineno, ordinal, row) -> None:
    """One line of a commits or discussions file staged (or left out of scope)."""
    from extract.fetch import item_rows
    from extract.plan import PlannedFetch

    if not isinstance(row, dict) or not isinstance(row.get(resource), list):
        raise HubwhError(
            f"{_at(path, lineno, ordinal)}: not a per-repo line (an object with repo_type, repo_id, {resource})"
        )
    repo_type, repo_id = row.get("repo_type"), row.get("repo_id")
    if repo_type not in REPO_TYPES or not isinstance(repo_id, str):
        raise HubwhError(
            f"{_at(path, lineno, ordinal)}: not a per-repo line (repo_type {repo_type!r}, repo_id {repo_id!r})"
        )
    if repo_type not in scope.types or not scope.in_sample(repo_id):
        return
    task = PlannedFetch(repo_type, repo_id, resource, None, None, None)
    rows, problems = item_rows(task, row[resource], now)
    if problems:
        raise HubwhError(f"{_at(path, lineno, ordinal)}: {repo_type} {repo_id}: {problems[0]}")
    stager.add(resource, rows, ordinal)


# -- stage 1, columnar: DuckDB over the files' chunks (hubwh/snapshot/columnar.py) ----------------
def _duck_types(table: str) -> list[tuple[str, str]]:
    return [(name, "VARCHAR" if typ == "json" else DUCKDB_TYPES[typ]) for name, typ in COLUMNS[table]]


def _stage_connection(folder: Path, worker: int, workers: int, db: Path, scope: Scope) -> duckdb.DuckDBPyConnection:
    """One staging worker's DuckDB: in memory (a chunk's tables are small), with one thread, so
    that a chunk's records are numbered in the file's order, and the worker's share of the
    warehouse's memory limit; it spills to a temp folder of its own (two DuckDBs must not share
    one); `in_sample` as the scope says."""
    from hubwh.duckdb_settings import duckdb_settings, memory_bytes
    from hubwh.lake import extension_config

    settings = duckdb_settings(db)
    temp = Path(settings.get("temp_directory") or folder) / f"{folder.name}-stage-{worker}"
    con = duckdb.connect(config=extension_config())
    con.execute("SET threads = 1")
    if settings.get("memory_limit"):
        con.execute(f"SET memory_limit = '{max(1, memory_bytes(settings['memory_limit']) // workers >> 20)}MiB'")
    con.execute(f"SET temp_directory = '{str(temp).replace(chr(39), chr(39) * 2)}'")
    # every staged row carries its line and position, so nothing relies on the order rows are
    # written in, and keeping that order costs DuckDB memory
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    con.execute("SET TimeZone = 'UTC'")  # an ISO date without an offset is UTC, as parse_ts says
    if scope.sample is None or scope.sample >= 1:
        con.execute("CREATE MACRO in_sample(repo_id) AS true")
    else:
        con.create_function("in_sample", scope.in_sample, [VARCHAR], BOOLEAN, side_effects=False)
    return con


def _expected(snap: Snapshot, name: str) -> int | None:
    counts = snap.manifest.get("counts")
    return int(counts[name]) if isinstance(counts, dict) and name in counts else None


@dataclass
class _FileJob:
    """One snapshot file to stage: `run(con, chunk=, out=, ...)` stages one of its chunks the
    columnar way (columnar.stage_repos / stage_items) and returns the chunk's odd records. When
    DuckDB cannot read a chunk, `unreadable` says why, and the whole file goes the Python way."""

    name: str  # a repo type or a resource
    path: Path
    run: Callable[..., list]
    tables: tuple[str, ...]  # what a chunk is staged to (the outputs' tables, in run's order)
    expected: int | None  # records, as the manifest counts them
    bar: object = None
    outputs: list[Path] = field(default_factory=list)
    odd: list | None = field(default_factory=list)  # (ordinal, JSON text); None: the whole file
    records: int = 0
    unreadable: str | None = None
    done_s: float = 0.0  # seconds from the start of staging until its last chunk was staged


def _stage_columnar(jobs: list[_FileJob], folder: Path, db: Path, scope: Scope, progress) -> None:
    """Every file of `jobs` staged the columnar way, chunk by chunk.

    One thread cuts the files, in `jobs`' order, into plain-text chunks (columnar.split_gz);
    workers, one per thread the warehouse may use, each with a DuckDB of its own, stage the
    chunks as they come. A gzip file is read by one thread, so a file at a time (and even every
    file on a thread of its own) left a core idle while the commits were read. At most one chunk
    per worker waits on disk."""
    import queue
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from hubwh.duckdb_settings import duckdb_settings
    from hubwh.snapshot import columnar

    workers = max(1, int(duckdb_settings(db).get("threads") or 1))
    chunks: queue.Queue = queue.Queue(maxsize=workers)
    stop = threading.Event()
    lock = threading.Lock()
    cons: list[duckdb.DuckDBPyConnection] = []
    started = time.monotonic()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                chunks.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def cut() -> None:
        try:
            for job in jobs:
                try:
                    for chunk in columnar.split_gz(job.path, folder, f"{job.name}-text"):
                        if not put((job, chunk)):
                            return
                except columnar.Unreadable as exc:
                    job.unreadable = str(exc)
            for _ in range(workers):
                put(None)
        except BaseException:
            stop.set()
            raise

    def take():
        while not stop.is_set():
            try:
                return chunks.get(timeout=0.2)
            except queue.Empty:
                continue
        return None

    def work(worker: int) -> None:
        con = _stage_connection(folder, worker, workers, db, scope)
        with lock:
            cons.append(con)
        try:
            while (item := take()) is not None:
                job, chunk = item
                outs = [folder / f"{t}.columnar.{chunk.index:05d}.parquet" for t in job.tables]
                odd: list = []
                try:
                    if job.unreadable is None:
                        odd = job.run(con, chunk=chunk, **dict(zip(("out", "space_models_out"), outs)))
                except columnar.Unreadable as exc:
                    job.unreadable = job.unreadable or str(exc)
                finally:
                    chunk.path.unlink(missing_ok=True)
                with lock:
                    job.outputs += [p for p in outs if p.exists()]
                    job.odd += odd
                    job.records += chunk.count
                    job.done_s = round(time.monotonic() - started, 3)
                    progress.bars.advance(job.bar, chunk.count)
        except BaseException:
            stop.set()  # the cutter and the other workers end too
            raise
        finally:
            con.close()

    try:
        with ThreadPoolExecutor(max_workers=workers + 1, thread_name_prefix="stage") as pool:
            futures = [pool.submit(cut), *(pool.submit(work, i) for i in range(workers))]
            try:
                for future in futures:
                    future.result()
            except BaseException:
                stop.set()
                with lock:
                    for con in cons:  # stop the other workers' queries too
                        try:
                            con.interrupt()
                        except duckdb.Error:
                            pass
                raise
    finally:
        for path in folder.glob("*-text.*.jsonl"):  # chunks left when a load stops
            path.unlink(missing_ok=True)
    for job in jobs:
        if job.unreadable is None and job.expected is not None and job.records != job.expected:
            job.unreadable = f"{job.records} records, the manifest says {job.expected}"
        if job.unreadable is not None:
            log.warning("%s: staged record by record (%s)", job.path, job.unreadable)
            for p in job.outputs:
                p.unlink(missing_ok=True)
            job.outputs, job.odd = [], None
            progress.bars.advance(job.bar, -job.records)
        else:
            job.odd.sort()


def _stage(snap: Snapshot, scope: Scope, folder: Path, now: datetime, progress, db: Path, result: LoadResult) -> None:
    """Stage 1: every file into Parquet (see the module docstring), the columnar way
    (_stage_columnar), then the records that sends the Python way (few, or a whole unreadable
    file), in file order."""
    from functools import partial

    from hubwh.snapshot import columnar

    stager = _Stager(folder)
    listed: dict[str, int] = {}
    now_sql = f"'{now.isoformat()}'::TIMESTAMPTZ"
    repo_constants = {"first_listed_at": now_sql, "last_listed_at": now_sql, "is_listed": "true", "listed_at": now_sql}
    jobs: list[_FileJob] = []
    keeps = {}
    for repo_type in scope.types:
        path = snap.path / REPO_FILES[repo_type]
        table = REPO_TABLE[repo_type]
        keeps[repo_type] = keep = _list_keep(scope, repo_type)
        if not path.is_file():
            listed[repo_type] = 0
            continue
        run = partial(
            columnar.stage_repos,
            repo_type=repo_type,
            keep=keep,
            columns=_duck_types(table),
            constants=repo_constants,
        )
        tables = (table, "space_models") if repo_type == "space" else (table,)
        jobs.append(_FileJob(repo_type, path, run, tables, _expected(snap, table)))
    for resource, name, wanted in (
        ("commits", COMMITS_FILE, scope.commits),
        ("discussions", DISCUSSIONS_FILE, scope.discussions),
    ):
        path = snap.path / name
        if not wanted or not path.is_file():
            continue
        run = partial(
            columnar.stage_items,
            resource=resource,
            repo_types=scope.types,
            all_repo_types=REPO_TYPES,
            columns=_duck_types(resource),
            constants={"fetched_at": now_sql},
        )
        jobs.append(_FileJob(resource, path, run, (resource,), _expected(snap, resource)))
    for job in jobs:
        name = REPO_TABLE.get(job.name, job.name)
        job.bar = progress.stage(f"stage {name}", snap.count(name))
    # the repo lists first (the list rows' throughput), the largest first within each kind
    jobs.sort(key=lambda j: (j.name not in REPO_TYPES, -j.path.stat().st_size))
    _stage_columnar(jobs, folder, db, scope, progress)

    for job in jobs:
        if job.name in REPO_TYPES:
            repo_type, keep = job.name, keeps[job.name]
            table = REPO_TABLE[repo_type]
            n = sum(pq.ParquetFile(p).metadata.num_rows for p in job.outputs if p.name.startswith(f"{table}."))
            if job.odd is None:
                for lineno, ordinal, record in _records(job.path):
                    n += _repo_record(stager, scope, keep, now, repo_type, job.path, lineno, ordinal, record)
            else:
                for ordinal, text in job.odd:
                    n += _repo_record(stager, scope, keep, now, repo_type, job.path, None, ordinal, json.loads(text))
            listed[repo_type] = n
            if job.odd is None:
                progress.bars.advance(job.bar, snap.count(table) or n)
        else:
            resource = job.name
            if job.odd is None:
                for lineno, ordinal, row in _records(job.path):
                    _item_line(stager, scope, now, resource, job.path, lineno, ordinal, row)
            else:
                for ordinal, text in job.odd:
                    _item_line(stager, scope, now, resource, job.path, None, ordinal, json.loads(text))
            if job.odd is None:
                progress.bars.advance(job.bar, snap.count(resource))
        progress.bars.finish(job.bar)
    result.repos_listed = {t: listed.get(t, 0) for t in scope.types}
    result.files_s = {job.name: job.done_s for job in jobs}
    result.lists_s = max((job.done_s for job in jobs if job.name in REPO_TYPES), default=0.0)

    path = snap.path / OUTCOMES_FILE
    if path.is_file():
        for lineno, ordinal, row in _records(path):
            if not isinstance(row, dict) or not all(k in row for k in ("repo_type", "repo_id", "outcome")):
                raise HubwhError(f"{path}:{lineno}: not a per-repo line (an object with repo_type, repo_id, outcome)")
            if row["outcome"] not in OUTCOMES:
                raise HubwhError(f"{path}:{lineno}: unknown outcome {row['outcome']!r} (expected one of {OUTCOMES})")
            repo_type, repo_id = row["repo_type"], row["repo_id"]
            if repo_type not in scope.types or not isinstance(repo_id, str) or not scope.in_sample(repo_id):
                continue
            status, message = _outcome_answer(repo_type, repo_id, row["outcome"])
            stager.add(
                "outcomes",
                [{"repo_type": repo_type, "repo_id": repo_id, "status": status, "message": message}],
                ordinal,
            )
    stager.close()


# Per-repo items: their final file names the repos whose items are kept (listed, no outcome) and
# how many, and the items go into raw straight from the staged files.
PER_REPO_TABLES = ("commits", "discussions")


def _staged(folder: Path, table: str) -> str:
    """The staged files of a table: the columnar chunks' and the Python path's."""
    return f"{folder}/{table}.*.parquet"


def _final_rows(folder: Path) -> dict[str, int]:
    """Rows each raw table gets from the load (crawl_runs' one aside)."""
    rows = {}
    for t in TABLES:
        if t == "crawl_runs":
            continue
        final = pq.ParquetFile(folder / f"final_{t}.parquet")
        if t in PER_REPO_TABLES:
            rows[t] = int(sum(b.column("n_rows").to_numpy().sum() for b in final.iter_batches(columns=["n_rows"])))
        else:
            rows[t] = final.metadata.num_rows
    return rows


def _check_and_join(snap: Snapshot, scope: Scope, folder: Path, now: datetime, db: Path) -> None:
    """Stage 2: refuse duplicates; keep the per-repo rows a crawl would fetch; build fetch_log."""
    from hubwh.duckdb_settings import apply_settings
    from hubwh.lake import extension_config
    from hubwh.snapshot.columnar import physical_line

    stage = {t: _staged(folder, t) for t in (*TABLES, "outcomes")}
    con = duckdb.connect(config=extension_config())
    try:
        apply_settings(con, db)
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = false")
        for repo_type in REPO_TYPES:
            table = REPO_TABLE[repo_type]
            dup = con.execute(
                f"SELECT repo_id, min({_LINE}), max({_LINE}) FROM read_parquet(?, union_by_name = true) "
                "GROUP BY repo_id HAVING count(*) > 1 ORDER BY 3 LIMIT 1",
                [stage[table]],
            ).fetchone()
            if dup:
                path = snap.path / REPO_FILES[repo_type]
                first, last = physical_line(path, dup[1]), physical_line(path, dup[2])
                raise HubwhError(
                    f"{path}:{last}: {repo_type} {dup[0]!r} appears twice in the snapshot (first on line {first})"
                )
        for resource, name in (("commits", COMMITS_FILE), ("discussions", DISCUSSIONS_FILE)):
            # the staged items per repo: one line each (a repo's line repeated is refused)
            con.execute(
                f"""CREATE TEMP TABLE {resource}_by_repo AS
                SELECT repo_type, repo_id, min({_LINE}) AS first_line, max({_LINE}) AS last_line, count(*) AS n_rows
                FROM read_parquet(?, union_by_name = true) GROUP BY ALL""",
                [stage[resource]],
            )
            dup = con.execute(
                f"SELECT repo_type, repo_id, first_line, last_line FROM {resource}_by_repo "
                "WHERE first_line <> last_line ORDER BY last_line LIMIT 1"
            ).fetchone()
            if dup:
                path = snap.path / name
                first, last = physical_line(path, dup[2]), physical_line(path, dup[3])
                raise HubwhError(f"{path}:{last}: {dup[0]} {dup[1]!r} appears twice (first on line {first})")
        con.execute(
            """CREATE TEMP TABLE listed AS
            SELECT 'model' AS repo_type, repo_id, sha, last_modified FROM read_parquet($models, union_by_name = true)
            UNION ALL SELECT 'dataset', repo_id, sha, last_modified FROM read_parquet($datasets, union_by_name = true)
            UNION ALL SELECT 'space', repo_id, sha, last_modified FROM read_parquet($spaces, union_by_name = true)""",
            {"models": stage["models"], "datasets": stage["datasets"], "spaces": stage["spaces"]},
        )
        # An outcome line repeated: the last one counts (the emulator reads them into a dict).
        con.execute(
            f"""CREATE TEMP TABLE outcomes AS
            SELECT repo_type, repo_id, arg_max(status, {_LINE}) AS status, arg_max(message, {_LINE}) AS message
            FROM read_parquet(?, union_by_name = true) GROUP BY ALL""",
            [stage["outcomes"]],
        )
        out = {t: str(folder / f"final_{t}.parquet") for t in TABLES}
        for table in ("models", "datasets", "spaces", "space_models"):
            cols = ", ".join(arrow_schema(table).names)
            con.execute(
                f"COPY (SELECT {cols} FROM read_parquet(?, union_by_name = true)) TO '{out[table]}' (FORMAT parquet)",
                [stage[table]],
            )
        for resource in PER_REPO_TABLES:
            # The repos whose items are kept (listed, no outcome), with their counts: the items
            # themselves go into raw from the staged files (_load_raw), not through another copy.
            con.execute(
                f"""COPY (SELECT p.repo_type, p.repo_id, p.n_rows FROM {resource}_by_repo AS p
                SEMI JOIN listed AS l USING (repo_type, repo_id)
                ANTI JOIN outcomes AS o USING (repo_type, repo_id)) TO '{out[resource]}' (FORMAT parquet)"""
            )
        resources = [r for r, wanted in (("commits", scope.commits), ("discussions", scope.discussions)) if wanted]
        cols = ", ".join(arrow_schema("fetch_log").names)
        if resources:
            # What the crawl's fetches record (extract/fetch.py): ok with the rows' count, or
            # the outcome's status and message; no request was made.
            values = ", ".join(f"('{r}')" for r in resources)
            sql = f"""SELECT {cols} FROM (
                SELECT l.repo_type, l.repo_id, res.resource,
                    coalesce(o.status, 'ok') AS status, o.message, 0::BIGINT AS n_requests,
                    $now::TIMESTAMPTZ AS fetched_at, l.sha, l.last_modified,
                    CASE WHEN o.status IS NULL THEN $now::TIMESTAMPTZ END AS last_ok_at,
                    CASE WHEN o.status IS NULL THEN coalesce(n.n_rows, 0) END AS n_rows
                FROM listed AS l
                CROSS JOIN (VALUES {values}) AS res (resource)
                LEFT JOIN outcomes AS o USING (repo_type, repo_id)
                LEFT JOIN (
                    SELECT 'commits' AS resource, repo_type, repo_id, n_rows FROM read_parquet($commits)
                    UNION ALL
                    SELECT 'discussions', repo_type, repo_id, n_rows FROM read_parquet($discussions)
                ) AS n USING (resource, repo_type, repo_id))"""
            con.execute(
                f"COPY ({sql}) TO '{out['fetch_log']}' (FORMAT parquet)",
                {"now": now, "commits": out["commits"], "discussions": out["discussions"]},
            )
        else:
            pq.write_table(arrow_schema("fetch_log").empty_table(), out["fetch_log"])
    finally:
        con.close()


def _raw_rows(wh) -> int:
    have = wh.columns()
    present = [t for t in TABLES if t in have]
    if not present:
        return 0
    sql = " UNION ALL ".join(f"SELECT count(*) AS n FROM raw.{t}" for t in present)
    return int(wh.query_arrow(f"SELECT sum(n) AS n FROM ({sql})").column("n")[0].as_py() or 0)


def load_snapshot(
    snapshot_dir: str | Path,
    db_path: str | Path | None = None,
    *,
    types=REPO_TYPES,
    sample: float | None = None,
    seed: int = 0,
    commits: bool = True,
    discussions: bool = True,
    replace: bool = False,
    progress: bool = True,
    pipelines_dir: str | Path | None = None,
) -> LoadResult:
    """Load a snapshot into `raw` (see the module docstring)."""
    from extract.warehouse import Warehouse, resolve_db_path

    started = time.monotonic()
    snap = Snapshot(snapshot_dir)
    scope = Scope(types=tuple(types), sample=sample, seed=seed, commits=commits, discussions=discussions)
    db = resolve_db_path(db_path)
    wh = Warehouse(db, pipelines_dir)
    n_raw = _raw_rows(wh)
    if n_raw and not replace:
        raise HubwhError(
            f"{db} already holds {n_raw:,} raw rows: load a snapshot into a new file, or pass --replace "
            "to replace its raw tables"
        )
    wh.finish_pending()
    run_id = uuid.uuid4().hex
    started_at = datetime.now(UTC)
    result = LoadResult(run_id, db)
    folder = wh.scratch(f"snapshot-load-{run_id}")
    folder.mkdir(parents=True, exist_ok=True)
    bars = _Progress(progress)
    try:
        _stage(snap, scope, folder, started_at, bars, db, result)
        _check_and_join(snap, scope, folder, started_at, db)
        result.stage_s = round(time.monotonic() - started, 3)
        result.rows = _final_rows(folder)
        summary = {
            "kind": "snapshot_load",
            "snapshot": str(snap.path),
            "manifest": {k: snap.manifest.get(k) for k in ("format", "source", "seed", "created_at", "generator")},
            "repos_listed": result.repos_listed,
            "rows_loaded": dict(result.rows),
            "seconds": {"lists_staged": result.lists_s, "files_staged": result.files_s, "staged": result.stage_s},
        }
        run = to_arrow(
            "crawl_runs",
            [
                {
                    "run_id": run_id,
                    "started_at": started_at,
                    "finished_at": datetime.now(UTC),
                    "endpoint": f"{ENDPOINT_PREFIX}{snap.path}",
                    "scope": json.dumps({**scope.as_json(), "source": "snapshot"}),
                    "summary": json.dumps(summary),
                    "shard_index": 1,  # a snapshot load covers the whole snapshot
                    "shard_count": 1,
                }
            ],
        )
        bar = bars.stage("load", sum(result.rows.values()))
        load_started = time.monotonic()
        _load_raw(wh, folder, run, "replace" if n_raw else "append")
        bars.bars.advance(bar, sum(result.rows.values()))
        bars.bars.finish(bar)
        result.rows["crawl_runs"] = 1
        result.load_s = round(time.monotonic() - load_started, 3)
    finally:
        bars.bars.close()
        shutil.rmtree(folder, ignore_errors=True)
    result.elapsed_s = round(time.monotonic() - started, 3)
    return result


def _load_raw(wh, folder: Path, run: pa.Table, write_disposition: str) -> None:
    """Every raw table in one go: dlt creates (or, with --replace, empties) the tables and loads
    the crawl_runs row, so its schema and load records are a crawl's; then one DuckDB
    transaction inserts the checked rows under that load id (dlt's own normaliser would take
    minutes at today's scale, DuckDB's reader seconds). A failure keeps nothing: the inserts
    roll back and the crawl_runs row is deleted again."""
    from dlt.pipeline.exceptions import PipelineStepFailed

    from extract.warehouse import _first_line
    from hubwh.duckdb_settings import connect

    pipeline = wh.pipeline
    batch = {t: arrow_schema(t).empty_table() for t in TABLES if t != "crawl_runs"}
    batch["crawl_runs"] = run
    load_id = None
    try:
        info = pipeline.run(
            hf_hub(batch, create_all=True, write_disposition=write_disposition), loader_file_format="parquet"
        )
        load_id = info.loads_ids[-1]
        con = connect(wh.db_path)
        try:
            # Rows in any order (a table has none): in input order, each staged file's last
            # partial row group stayed one in raw (228 of 479 in raw.commits at today's Hub), and
            # every later checkpoint merged a few of them, ~10 s each, for the build's first nodes.
            con.execute("SET preserve_insertion_order = false")
            con.execute("BEGIN")
            for t in TABLES:
                if t == "crawl_runs":
                    continue
                cols = arrow_schema(t).names
                params = {"load_id": load_id, "prefix": f"{load_id}.{t}.", "final": str(folder / f"final_{t}.parquet")}
                # _dlt_id: unique, as dlt's are (theirs are random; the load id, the table and the
                # row's place in the staged files cost a third less to make and store than an md5).
                # A snapshot line's items are all in one staged file, so line and row make it unique.
                if t in PER_REPO_TABLES:
                    source = """read_parquet($staged, union_by_name = true, file_row_number = true) AS r
                        SEMI JOIN read_parquet($final) AS k USING (repo_type, repo_id)"""
                    row_id = f"$prefix || r.{_LINE} || '.' || r.file_row_number"
                    params["staged"] = _staged(folder, t)
                else:
                    source, row_id = "read_parquet($final, file_row_number = true) AS r", "$prefix || r.file_row_number"
                con.execute(
                    f"""INSERT INTO raw.{t} ({", ".join(cols)}, _dlt_load_id, _dlt_id)
                    SELECT {", ".join(f"r.{c}" for c in cols)}, $load_id, {row_id} FROM {source}""",
                    params,
                )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            con.close()
    except Exception as exc:
        if load_id is None and isinstance(exc, PipelineStepFailed):
            load_id = getattr(exc, "load_id", None)
        pipeline.drop_pending_packages()  # a later crawl must not finish this load
        if load_id:
            from hubwh.duckdb_settings import connect

            con = connect(wh.db_path)  # the file, or the lake
            try:
                for t in TABLES:
                    try:
                        con.execute(f"DELETE FROM raw.{t} WHERE _dlt_load_id = ?", [load_id])
                    except duckdb.CatalogException:
                        pass
            finally:
                con.close()
        raise HubwhError(f"loading into {wh.db_path} failed (nothing kept): {_first_line(exc)}") from exc
