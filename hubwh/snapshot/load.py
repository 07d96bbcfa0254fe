"""`hubwh snapshot load DIR`: a snapshot straight into the warehouse's `raw` schema, no HTTP.

The rows are the ones a crawl of the snapshot through the emulator gives (`hubwh emulate` +
`hubwh crawl`, same scope), volatile columns aside (`fetched_at`, `*_listed_at`, `listed_at`,
`last_ok_at`, dlt's ids; `n_requests` is 0, no request being made). Nothing is written twice:
a record becomes an API body with the emulator's projection (hubwh/emulator/listing.py: the
list sweep's `expand` fields, extract/sweep.py) and a body becomes a row with the crawler's
own functions (extract/hf_hub.py, extract/fetch.py); a forced outcome becomes the emulator's
error answer, which huggingface_hub turns into the exception the crawler records.

Three stages, so that bad input loads nothing:

1. stage: each file into Parquet in a scratch folder, several files at once (_stage), columnar
   (hubwh/snapshot/columnar.py: DuckDB reads the gzip JSON Lines and maps the fields in SQL, in
   a scratch DuckDB file with the warehouse's memory_limit/threads/temp_directory, so nothing
   needs the whole snapshot in memory). Records whose shape the SQL does not reproduce exactly
   go through the crawler's Python row functions one by one, and so does a whole file DuckDB
   cannot read: a malformed record stops here with their message, naming the file and line.
   (The Python way alone ran at ~1,300 repos/s; the columnar one is what makes today's Hub
   load in minutes.)
2. check and join (DuckDB over the staged files): duplicate ids stop here; commits and
   discussions of repos that are not listed, or whose endpoints fail (outcomes), are dropped;
   `raw.fetch_log` gets a row per listed repo and resource, as the crawl's plan would fetch;
3. load: one dlt run creates every raw table (or, with `--replace`, empties it) and loads the
   crawl_runs row; then one DuckDB transaction inserts the staged rows under that dlt load id
   (no merge needed: stage 2 guaranteed unique keys). A load that fails keeps nothing.
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


# -- stage 1, columnar: DuckDB over the files (hubwh/snapshot/columnar.py) ------------------------
def _duck_types(table: str) -> list[tuple[str, str]]:
    return [(name, "VARCHAR" if typ == "json" else DUCKDB_TYPES[typ]) for name, typ in COLUMNS[table]]


def _stage_connection(folder: Path, db: Path, scope: Scope) -> duckdb.DuckDBPyConnection:
    """A scratch DuckDB file (what is staged lives on disk, not in memory) with the warehouse's
    memory, threads and temp folder, and `in_sample`; its files are staged on cursors of it
    (_stage_cursor), which share these."""
    from hubwh.duckdb_settings import apply_settings
    from hubwh.lake import extension_config

    con = duckdb.connect(str(folder / "stage.duckdb"), config=extension_config())
    apply_settings(con, db)
    if scope.sample is None or scope.sample >= 1:
        con.execute("CREATE MACRO in_sample(repo_id) AS true")
    else:
        con.create_function("in_sample", scope.in_sample, [VARCHAR], BOOLEAN, side_effects=False)
    return con


def _stage_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A connection of its own to the scratch file (one per thread), set for staging."""
    cur = con.cursor()
    # every staged row carries its line and position, so nothing relies on the order rows are
    # written in, and keeping that order costs DuckDB memory
    cur.execute("SET preserve_insertion_order = false")
    cur.execute("SET enable_progress_bar = false")
    cur.execute("SET TimeZone = 'UTC'")  # an ISO date without an offset is UTC, as parse_ts says
    return cur


def _expected(snap: Snapshot, name: str) -> int | None:
    counts = snap.manifest.get("counts")
    return int(counts[name]) if isinstance(counts, dict) and name in counts else None


@dataclass
class _FileJob:
    """One snapshot file to stage: `run(cursor)` stages it the columnar way and returns its odd
    records, or None when DuckDB cannot read the file (then the whole file goes the Python way)."""

    name: str  # what the progress bar says
    path: Path
    run: Callable[[duckdb.DuckDBPyConnection], list | None]
    outputs: tuple[Path, ...]
    bar: object = None
    odd: list | None = None
    done_s: float = 0.0  # seconds from the start of staging until it was staged


def _stage(snap: Snapshot, scope: Scope, folder: Path, now: datetime, progress, db: Path, result: LoadResult) -> None:
    """Stage 1: every file into Parquet (see the module docstring).

    The files are staged concurrently, each on a DuckDB cursor of its own: a gzip file is read
    by one thread, so one file at a time left a core idle for most of the load. The records they
    send the Python way (few, or a whole unreadable file) are staged afterwards, in file order."""
    from concurrent.futures import ThreadPoolExecutor
    from functools import partial

    from hubwh.duckdb_settings import duckdb_settings
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
        out = folder / f"{table}.columnar.parquet"
        models_out = folder / "space_models.columnar.parquet" if repo_type == "space" else None
        run = partial(
            columnar.stage_repos,
            path=path,
            repo_type=repo_type,
            keep=keep,
            columns=_duck_types(table),
            constants=repo_constants,
            out=out,
            space_models_out=models_out,
            expected=_expected(snap, table),
        )
        jobs.append(_FileJob(repo_type, path, run, tuple(p for p in (out, models_out) if p is not None)))
    for resource, name, wanted in (
        ("commits", COMMITS_FILE, scope.commits),
        ("discussions", DISCUSSIONS_FILE, scope.discussions),
    ):
        path = snap.path / name
        if not wanted or not path.is_file():
            continue
        out = folder / f"{resource}.columnar.parquet"
        run = partial(
            columnar.stage_items,
            path=path,
            resource=resource,
            repo_types=scope.types,
            all_repo_types=REPO_TYPES,
            columns=_duck_types(resource),
            constants={"fetched_at": now_sql},
            out=out,
            expected=_expected(snap, resource),
        )
        jobs.append(_FileJob(resource, path, run, (out,)))

    con = _stage_connection(folder, db, scope)
    cursors: list[duckdb.DuckDBPyConnection] = []

    def stage_file(job: _FileJob) -> None:
        cur = _stage_cursor(con)
        cursors.append(cur)
        try:
            job.odd = job.run(cur)
        except columnar.Unreadable as exc:
            log.warning("%s: staged record by record (%s)", job.path, exc)
            for p in job.outputs:
                p.unlink(missing_ok=True)
        finally:
            cur.close()
            job.done_s = round(time.monotonic() - started, 3)

    for job in jobs:
        label = f"stage {REPO_TABLE.get(job.name, job.name)}"
        job.bar = progress.stage(label, snap.count(REPO_TABLE.get(job.name, job.name)))
    # the largest files first, so that the last one to finish is a small one
    order = sorted(jobs, key=lambda j: j.path.stat().st_size, reverse=True)
    workers = max(1, min(len(jobs), int(duckdb_settings(db).get("threads") or 1)))
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="stage") as pool:
            futures = [pool.submit(stage_file, job) for job in order]
            try:
                for future in futures:
                    future.result()
            except BaseException:
                for cur in cursors:  # stop the other files' queries too
                    try:
                        cur.interrupt()
                    except duckdb.Error:
                        pass
                raise
    finally:
        con.close()
        (folder / "stage.duckdb").unlink(missing_ok=True)
        (folder / "stage.duckdb.wal").unlink(missing_ok=True)

    # the Python way, in file order: each file's odd records, or the whole of an unreadable one
    for job in jobs:
        if job.name in REPO_TYPES:
            repo_type, keep = job.name, keeps[job.name]
            n = 0 if job.odd is None else pq.ParquetFile(job.outputs[0]).metadata.num_rows
            if job.odd is None:
                for lineno, ordinal, record in _records(job.path):
                    n += _repo_record(stager, scope, keep, now, repo_type, job.path, lineno, ordinal, record)
            else:
                for ordinal, text in job.odd:
                    n += _repo_record(stager, scope, keep, now, repo_type, job.path, None, ordinal, json.loads(text))
            listed[repo_type] = n
            progress.bars.advance(job.bar, snap.count(REPO_TABLE[repo_type]) or n)
        else:
            resource = job.name
            if job.odd is None:
                for lineno, ordinal, row in _records(job.path):
                    _item_line(stager, scope, now, resource, job.path, lineno, ordinal, row)
            else:
                for ordinal, text in job.odd:
                    _item_line(stager, scope, now, resource, job.path, None, ordinal, json.loads(text))
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


def _check_and_join(snap: Snapshot, scope: Scope, folder: Path, now: datetime, db: Path) -> None:
    """Stage 2: refuse duplicates; keep the per-repo rows a crawl would fetch; build fetch_log."""
    from hubwh.duckdb_settings import apply_settings
    from hubwh.lake import extension_config
    from hubwh.snapshot.columnar import physical_line

    stage = {t: f"{folder}/{t}.*.parquet" for t in (*TABLES, "outcomes")}
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
            dup = con.execute(
                f"SELECT repo_type, repo_id, min({_LINE}), max({_LINE}) FROM read_parquet(?, union_by_name = true) "
                f"GROUP BY ALL HAVING min({_LINE}) <> max({_LINE}) ORDER BY 4 LIMIT 1",
                [stage[resource]],
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
        for resource in ("commits", "discussions"):
            cols = ", ".join(f"r.{c}" for c in arrow_schema(resource).names)
            con.execute(
                f"""COPY (SELECT {cols} FROM read_parquet(?, union_by_name = true) AS r
                SEMI JOIN listed AS l USING (repo_type, repo_id)
                ANTI JOIN outcomes AS o USING (repo_type, repo_id)) TO '{out[resource]}' (FORMAT parquet)""",
                [stage[resource]],
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
                    SELECT 'commits' AS resource, repo_type, repo_id, count(*) AS n_rows
                    FROM read_parquet($commits) GROUP BY ALL
                    UNION ALL
                    SELECT 'discussions', repo_type, repo_id, count(*) FROM read_parquet($discussions) GROUP BY ALL
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
        for t in TABLES:
            if t != "crawl_runs":
                result.rows[t] = pq.ParquetFile(folder / f"final_{t}.parquet").metadata.num_rows
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
    transaction inserts the staged rows under that load id (dlt's own normaliser would take
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
                cols = ", ".join(arrow_schema(t).names)
                # _dlt_id: a row's random id, as dlt gives one
                con.execute(
                    f"""INSERT INTO raw.{t} ({cols}, _dlt_load_id, _dlt_id)
                    SELECT {cols}, ?, substr(md5(gen_random_uuid()::VARCHAR), 1, 16)
                    FROM read_parquet(?)""",
                    [load_id, str(folder / f"final_{t}.parquet")],
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
