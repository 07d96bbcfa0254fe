"""`hubwh snapshot load DIR`: a snapshot straight into the warehouse's `raw` schema, no HTTP.

The rows are the ones a crawl of the snapshot through the emulator gives (`hubwh emulate` +
`hubwh crawl`, same scope), volatile columns aside (`fetched_at`, `*_listed_at`, `listed_at`,
`last_ok_at`, dlt's ids; `n_requests` is 0, no request being made). Nothing is written twice:
a record becomes an API body with the emulator's projection (hubwh/emulator/listing.py: the
list sweep's `expand` fields, extract/sweep.py) and a body becomes a row with the crawler's
own functions (extract/hf_hub.py, extract/fetch.py); a forced outcome becomes the emulator's
error answer, which huggingface_hub turns into the exception the crawler records.

Three stages, so that bad input loads nothing:

1. stage: every file is streamed in batches into Parquet files in a scratch folder (Arrow
   batches, never the whole snapshot in memory); a malformed record stops here, naming the
   file and line;
2. check and join (DuckDB over the staged files): duplicate ids stop here; commits and
   discussions of repos that are not listed, or whose endpoints fail (outcomes), are dropped;
   `raw.fetch_log` gets a row per listed repo and resource, as the crawl's plan would fetch;
3. load: one dlt run of every raw table, streamed from the staged files. Into an empty raw
   schema it appends (no merge needed: stage 2 guaranteed unique keys); `--replace` replaces
   the raw tables instead. A load that fails is rolled back by its dlt load id.
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from extract.hf_hub import (
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

# Rows per staged Arrow batch (memory) and per batch handed to dlt.
STAGE_ROWS = 50_000
LOAD_ROWS = 200_000
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


_OUTCOMES_SCHEMA = pa.schema(
    [("repo_type", pa.string()), ("repo_id", pa.string()), ("status", pa.string()), ("message", pa.string())]
)


def _staged_schema(table: str) -> pa.Schema:
    schema = _OUTCOMES_SCHEMA if table == "outcomes" else arrow_schema(table)
    return schema.append(pa.field(_LINE, pa.int64()))


class _Stager:
    """Rows by table, written to one Parquet file per table in Arrow batches."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.pending: dict[str, list[dict]] = {}
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.counts: dict[str, int] = {}

    def path(self, table: str) -> Path:
        return self.folder / f"{table}.parquet"

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


def _records(path: Path) -> Iterator[tuple[int, object]]:
    for lineno, line in iter_gz_lines(path):
        try:
            yield lineno, json.loads(line)
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


def _stage(snap: Snapshot, scope: Scope, folder: Path, now: datetime, progress) -> dict[str, int]:
    """Stage 1: stream the snapshot's files into Parquet (see the module docstring)."""
    from extract.fetch import item_rows
    from extract.plan import PlannedFetch
    from hubwh.emulator.listing import project

    stager = _Stager(folder)
    listed: dict[str, int] = {}
    for repo_type in scope.types:
        path = snap.path / REPO_FILES[repo_type]
        table = REPO_TABLE[repo_type]
        keep = _list_keep(scope, repo_type)
        bar = progress.stage(f"stage {table}", snap.count(table))
        n = counted = lineno = 0
        if path.is_file():
            for lineno, record in _records(path):
                if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                    raise HubwhError(f"{path}:{lineno}: a {repo_type} record needs a string 'id'")
                if lineno % 10_000 == 0:
                    progress.bars.advance(bar, 10_000)
                    counted = lineno
                # Private repos never appear in a listing (the emulator's rule, listing._members).
                if record.get("private") is True or not scope.in_sample(record["id"]):
                    continue
                item = project(record, keep, store=None, repo_type=repo_type)
                try:
                    stager.add(table, [repo_row(repo_type, item, now)], lineno)
                    if repo_type == "space":
                        stager.add("space_models", space_model_rows(item, now), lineno)
                except Malformed as exc:
                    raise HubwhError(f"{path}:{lineno}: {repo_type} {record['id']}: {exc}") from None
                n += 1
        progress.bars.advance(bar, lineno - counted)
        progress.bars.finish(bar)
        listed[repo_type] = n

    path = snap.path / OUTCOMES_FILE
    if path.is_file():
        for lineno, row in _records(path):
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
                lineno,
            )

    for resource, name, wanted in (
        ("commits", COMMITS_FILE, scope.commits),
        ("discussions", DISCUSSIONS_FILE, scope.discussions),
    ):
        path = snap.path / name
        if not wanted or not path.is_file():
            continue
        bar = progress.stage(f"stage {resource}", snap.count(resource))
        counted = lineno = 0
        for lineno, row in _records(path):
            if lineno % 1000 == 0:
                progress.bars.advance(bar, 1000)
                counted = lineno
            if not isinstance(row, dict) or not isinstance(row.get(resource), list):
                raise HubwhError(
                    f"{path}:{lineno}: not a per-repo line (an object with repo_type, repo_id, {resource})"
                )
            repo_type, repo_id = row.get("repo_type"), row.get("repo_id")
            if repo_type not in REPO_TYPES or not isinstance(repo_id, str):
                raise HubwhError(f"{path}:{lineno}: not a per-repo line (repo_type {repo_type!r}, repo_id {repo_id!r})")
            if repo_type not in scope.types or not scope.in_sample(repo_id):
                continue
            task = PlannedFetch(repo_type, repo_id, resource, None, None, None)
            rows, problems = item_rows(task, row[resource], now)
            if problems:
                raise HubwhError(f"{path}:{lineno}: {repo_type} {repo_id}: {problems[0]}")
            stager.add(resource, rows, lineno)
        progress.bars.advance(bar, lineno - counted)
        progress.bars.finish(bar)
    stager.close()
    return listed


def _check_and_join(snap: Snapshot, scope: Scope, folder: Path, now: datetime) -> None:
    """Stage 2: refuse duplicates; keep the per-repo rows a crawl would fetch; build fetch_log."""
    stage = {t: str(folder / f"{t}.parquet") for t in (*TABLES, "outcomes")}
    from hubwh.lake import extension_config

    con = duckdb.connect(config=extension_config())
    try:
        con.execute("SET preserve_insertion_order = false")
        for repo_type in REPO_TYPES:
            table = REPO_TABLE[repo_type]
            dup = con.execute(
                f"SELECT repo_id, min({_LINE}), max({_LINE}) FROM read_parquet(?) GROUP BY repo_id "
                "HAVING count(*) > 1 ORDER BY 3 LIMIT 1",
                [stage[table]],
            ).fetchone()
            if dup:
                raise HubwhError(
                    f"{snap.path / REPO_FILES[repo_type]}:{dup[2]}: {repo_type} {dup[0]!r} appears twice in the "
                    f"snapshot (first on line {dup[1]})"
                )
        for resource, name in (("commits", COMMITS_FILE), ("discussions", DISCUSSIONS_FILE)):
            dup = con.execute(
                f"SELECT repo_type, repo_id, min({_LINE}), max({_LINE}) FROM read_parquet(?) GROUP BY ALL "
                f"HAVING min({_LINE}) <> max({_LINE}) ORDER BY 4 LIMIT 1",
                [stage[resource]],
            ).fetchone()
            if dup:
                raise HubwhError(
                    f"{snap.path / name}:{dup[3]}: {dup[0]} {dup[1]!r} appears twice (first on line {dup[2]})"
                )
        con.execute(
            """CREATE TEMP TABLE listed AS
            SELECT 'model' AS repo_type, repo_id, sha, last_modified FROM read_parquet($models)
            UNION ALL SELECT 'dataset', repo_id, sha, last_modified FROM read_parquet($datasets)
            UNION ALL SELECT 'space', repo_id, sha, last_modified FROM read_parquet($spaces)""",
            {"models": stage["models"], "datasets": stage["datasets"], "spaces": stage["spaces"]},
        )
        # An outcome line repeated: the last one counts (the emulator reads them into a dict).
        con.execute(
            f"""CREATE TEMP TABLE outcomes AS
            SELECT repo_type, repo_id, arg_max(status, {_LINE}) AS status, arg_max(message, {_LINE}) AS message
            FROM read_parquet(?) GROUP BY ALL""",
            [stage["outcomes"]],
        )
        out = {t: str(folder / f"final_{t}.parquet") for t in TABLES}
        for table in ("models", "datasets", "spaces", "space_models"):
            cols = ", ".join(arrow_schema(table).names)
            con.execute(f"COPY (SELECT {cols} FROM read_parquet(?)) TO '{out[table]}' (FORMAT parquet)", [stage[table]])
        for resource in ("commits", "discussions"):
            cols = ", ".join(f"r.{c}" for c in arrow_schema(resource).names)
            con.execute(
                f"""COPY (SELECT {cols} FROM read_parquet(?) AS r
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


def _batches(path: Path, table: str) -> Iterator[pa.Table]:
    schema = arrow_schema(table)
    yielded = False
    for batch in pq.ParquetFile(path).iter_batches(batch_size=LOAD_ROWS):
        yielded = True
        yield pa.Table.from_batches([batch]).cast(schema)
    if not yielded:  # the table is still created, with its columns
        yield schema.empty_table()


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
        result.repos_listed = _stage(snap, scope, folder, started_at, bars)
        _check_and_join(snap, scope, folder, started_at)
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
                }
            ],
        )
        batch = {t: _batches(folder / f"final_{t}.parquet", t) for t in TABLES if t != "crawl_runs"}
        batch["crawl_runs"] = run
        bar = bars.stage("load (dlt)", None)
        load_started = time.monotonic()
        _dlt_load(wh, batch, "replace" if n_raw else "append")
        bars.bars.finish(bar)
        result.rows["crawl_runs"] = 1
        result.load_s = round(time.monotonic() - load_started, 3)
    finally:
        bars.bars.close()
        shutil.rmtree(folder, ignore_errors=True)
    result.elapsed_s = round(time.monotonic() - started, 3)
    return result


def _dlt_load(wh, batch: dict, write_disposition: str) -> None:
    """One dlt run of every raw table; on failure its rows are deleted again by load id."""
    from dlt.pipeline.exceptions import PipelineStepFailed

    pipeline = wh.pipeline
    try:
        pipeline.run(hf_hub(batch, create_all=True, write_disposition=write_disposition), loader_file_format="parquet")
    except Exception as exc:
        load_id = getattr(exc, "load_id", None) if isinstance(exc, PipelineStepFailed) else None
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
        from extract.warehouse import _first_line

        raise HubwhError(f"loading into {wh.db_path} failed (nothing kept): {_first_line(exc)}") from exc
