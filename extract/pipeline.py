"""`crawl()`: the Hub (or an emulator) into the DuckDB file's `raw` schema.

Stages of a run:

1. finish any load a killed run left pending; create missing raw tables (empty);
2. list sweeps (every run): one paginated `expand` call per 1000 repos of each type in scope,
   de-duplicated by id, sampled, loaded as they come; `space_models` from the spaces' `models`;
   after a full, unscoped sweep, repos no longer listed get `is_listed = false`;
3. plan (SQL over the raw tables): commits of repos whose `sha` changed since the last fetch,
   or never fetched, or whose last fetch failed or did not fully load; discussions when
   `lastModified` changed or the last fetch is older than the TTL;
4. per-repo fetches in a thread pool, all sharing one rate limiter; results are loaded in
   batches as they come, each repo's rows together with its fetch_log row, so a run killed at
   any point loses only unloaded work, which the next run's plan picks up again.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
import pyarrow as pa
from huggingface_hub.errors import DisabledRepoError, GatedRepoError, HfHubHTTPError, RepositoryNotFoundError

from extract.client import HubClient, HubUnreachable
from extract.hf_hub import (
    REPO_TABLE,
    Malformed,
    arrow_schema,
    commit_row,
    discussion_row,
    repo_row,
    space_model_rows,
    to_arrow,
)
from extract.progress import CrawlProgress
from extract.scope import Scope
from extract.warehouse import Warehouse, resolve_db_path
from hubwh.errors import HubwhError

log = logging.getLogger("extract.pipeline")

# Load a batch when it holds this many rows or results, or is this old (seconds).
FLUSH_ROWS = 50_000
FLUSH_RESULTS = 5_000
FLUSH_SECONDS = 5.0
LIST_FLUSH_ROWS = 20_000


def _now() -> datetime:
    return datetime.now(UTC)


def _one_line(exc: BaseException, limit: int = 300) -> str:
    """A short message for fetch_log and errors: the HTTP status and the server's own message
    when there is one (the client's long hints left out)."""
    response = getattr(exc, "response", None)
    server_message = getattr(exc, "server_message", None)
    if response is not None and server_message:
        text = f"{response.status_code} {server_message}"
    else:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return " ".join(text.split())[:limit]


@dataclass
class Task:
    repo_type: str
    repo_id: str
    resource: str  # commits | discussions
    sha: str | None
    last_modified: datetime | None
    last_ok_at: datetime | None


@dataclass
class Result:
    task: Task
    rows: list[dict]
    log_row: dict
    malformed: int = 0


@dataclass
class Batch:
    """Rows waiting to be loaded, by table."""

    tables: dict[str, list] = field(default_factory=dict)
    results: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, table: str, rows: list[dict]) -> None:
        self.tables.setdefault(table, []).extend(rows)

    def n_rows(self) -> int:
        return sum(len(v) for v in self.tables.values())

    def due(self, rows: int = FLUSH_ROWS, results: int = FLUSH_RESULTS, seconds: float = FLUSH_SECONDS) -> bool:
        if not self.tables:
            return False
        return self.results >= results or self.n_rows() >= rows or time.monotonic() - self.started >= seconds

    def as_load(self) -> dict[str, Any]:
        return dict(self.tables)


class Crawler:
    def __init__(
        self,
        client: HubClient,
        warehouse: Warehouse,
        scope: Scope,
        *,
        workers: int,
        progress: CrawlProgress,
        flush_seconds: float = FLUSH_SECONDS,
    ):
        self.client = client
        self.wh = warehouse
        self.scope = scope
        self.workers = max(1, int(workers))
        self.progress = progress
        self.flush_seconds = flush_seconds
        self.sweep_started: dict[str, datetime] = {}
        self.list_pages: dict[str, int] = {}
        self.repos_listed: dict[str, int] = {}
        self.duplicates: dict[str, int] = {}
        self.marked_unlisted: dict[str, int] = {}
        self.malformed: dict[str, int] = {}
        self.by_status: dict[str, dict[str, int]] = {"commits": {}, "discussions": {}}
        self.planned: dict[str, int] = {"commits": 0, "discussions": 0}

    def _malformed(self, what: str, detail: str, n: int = 1) -> None:
        self.malformed[what] = self.malformed.get(what, 0) + n
        log.warning("malformed %s skipped: %s", what, detail)

    # -- stage 2: list sweeps ----------------------------------------------------------------
    def sweep(self, repo_type: str) -> None:
        scope, table = self.scope, REPO_TABLE[repo_type]
        listed_at = _now()
        self.sweep_started[repo_type] = listed_at
        seen: set[str] = set()
        pages = dups = 0
        batch = Batch()
        task = self.progress.stage(f"list {repo_type}s")
        done = False
        try:
            for page in self.client.list_pages(repo_type, scope.list_params(repo_type)):
                pages += 1
                for item in page:
                    try:
                        row = repo_row(repo_type, item, listed_at)
                    except Malformed as exc:
                        self._malformed(f"{repo_type} list item", f"{exc} (page {pages})")
                        continue
                    repo_id = row["repo_id"]
                    if repo_id in seen:  # the Hub's cursors drift: a repo may come twice
                        dups += 1
                        continue
                    if not scope.in_sample(repo_id):
                        continue
                    seen.add(repo_id)
                    batch.add(table, [row])
                    if repo_type == "space":
                        try:
                            batch.add("space_models", space_model_rows(item, listed_at))
                        except Malformed as exc:
                            self._malformed("space models list", str(exc))
                    if scope.limit is not None and len(seen) >= scope.limit:
                        done = True
                        break
                self.progress.advance(task, len(page), note=f"{pages} pages")
                if batch.due(rows=LIST_FLUSH_ROWS, results=10**9, seconds=30.0):
                    self._load_listing(repo_type, batch)
                    batch = Batch()
                if done:
                    break
        except (HubUnreachable, httpx2.TransportError, ConnectionError) as exc:  # (HF_HUB_OFFLINE too)
            raise HubwhError(f"cannot list {repo_type}s at {self.client.endpoint}: {_one_line(exc)}") from None
        except HfHubHTTPError as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in (401, 403):
                raise HubwhError(
                    f"the Hub refused to list {repo_type}s ({status}): the token is invalid or lacks access"
                ) from None
            raise HubwhError(f"listing {repo_type}s failed: {_one_line(exc)}") from None
        self._load_listing(repo_type, batch)
        self.progress.finish(task)
        self.list_pages[repo_type] = pages
        self.repos_listed[repo_type] = len(seen)
        self.duplicates[repo_type] = dups
        if scope.is_full:
            self._mark_unlisted(repo_type, listed_at)

    def _load_listing(self, repo_type: str, batch: Batch) -> None:
        table = REPO_TABLE[repo_type]
        load = batch.as_load()
        rows = load.get(table)
        if not rows:
            return
        # Keep first_listed_at of repos already in the warehouse (a merge replaces whole rows).
        fresh = to_arrow(table, rows)
        load[table] = self.wh.query_arrow(
            f"SELECT b.* REPLACE (coalesce(t.first_listed_at, b.first_listed_at) AS first_listed_at) "
            f"FROM fresh b LEFT JOIN raw.{table} t USING (repo_id)",
            fresh=fresh,
        ).cast(arrow_schema(table))
        self.wh.load(load)

    def _mark_unlisted(self, repo_type: str, listed_at: datetime) -> None:
        table = REPO_TABLE[repo_type]
        cols = ", ".join(arrow_schema(table).names)
        gone = self.wh.query_arrow(
            f"SELECT {cols} FROM raw.{table} WHERE is_listed AND last_listed_at < ?", [listed_at]
        )
        if gone.num_rows:
            gone = gone.set_column(
                gone.schema.get_field_index("is_listed"), "is_listed", pa.array([False] * gone.num_rows)
            )
            self.wh.load({table: gone.cast(arrow_schema(table))})
        self.marked_unlisted[repo_type] = gone.num_rows

    # -- stage 3: plan -----------------------------------------------------------------------
    def plan(self, now: datetime) -> Iterator[Task]:
        """The fetches due, in repo order (counted in self.planned); streamed from a Parquet file
        so a plan of millions of fetches does not sit in memory."""
        resources = [r for r, on in (("commits", self.scope.commits), ("discussions", self.scope.discussions)) if on]
        if not resources or not self.sweep_started:
            return iter(())
        listed = " UNION ALL ".join(
            f"SELECT '{t}' AS repo_type, repo_id, sha, last_modified FROM raw.{REPO_TABLE[t]} "
            f"WHERE last_listed_at = ?::TIMESTAMPTZ"
            for t in self.sweep_started
        )
        params: list[Any] = list(self.sweep_started.values())  # the `listed` CTE's, in order
        ttl_cut = now - timedelta(days=self.scope.discussions_ttl_days)
        parts = []
        for res in resources:
            if res == "commits":
                changed = "f.sha IS DISTINCT FROM r.sha"
            else:
                changed = (
                    "f.last_modified IS DISTINCT FROM r.last_modified "
                    "OR (f.status = 'ok' AND f.last_ok_at < ?::TIMESTAMPTZ) "
                    "OR (f.status <> 'ok' AND f.fetched_at < ?::TIMESTAMPTZ)"
                )
            parts.append(f"""
                SELECT r.repo_type, r.repo_id, '{res}' AS resource, r.sha, r.last_modified, f.last_ok_at
                FROM listed r
                LEFT JOIN raw.fetch_log f
                  ON f.repo_type = r.repo_type AND f.repo_id = r.repo_id AND f.resource = '{res}'
                LEFT JOIN (SELECT repo_type, repo_id, fetched_at, count(*) AS n FROM raw.{res} GROUP BY ALL) c
                  ON c.repo_type = r.repo_type AND c.repo_id = r.repo_id AND c.fetched_at = f.fetched_at
                WHERE f.repo_id IS NULL OR f.status = 'error' OR {changed}
                   -- a fetch logged ok whose rows did not all load (a killed run): fetch again
                   OR (f.status = 'ok' AND coalesce(c.n, 0) <> coalesce(f.n_rows, -1))""")
            if res == "discussions":
                params += [ttl_cut, ttl_cut]
        sql = (
            f"WITH listed AS ({listed}) SELECT * FROM ({' UNION ALL '.join(parts)}) "
            f"ORDER BY repo_type, repo_id, resource"
        )
        path = self.wh.scratch("plan.parquet")
        self.wh.query_to_parquet(sql, params, path)
        for r in self.wh.query_arrow(
            "SELECT resource, count(*) AS n FROM read_parquet(?) GROUP BY ALL", [str(path)]
        ).to_pylist():
            self.planned[r["resource"]] = r["n"]
        return self._read_plan(path)

    @staticmethod
    def _read_plan(path: Path) -> Iterator[Task]:
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=10_000):
            for r in batch.to_pylist():
                yield Task(r["repo_type"], r["repo_id"], r["resource"], r["sha"], r["last_modified"], r["last_ok_at"])

    # -- stage 4: per-repo fetches --------------------------------------------------------------
    def fetch(self, task: Task) -> Result:
        """One repo's commits or discussions (runs in a worker thread)."""
        stats = self.client.stats
        before = stats.thread_requests()
        items: list[Any] = []
        status, message = "ok", None
        try:
            pages = self.client.commit_pages if task.resource == "commits" else self.client.discussion_pages
            for page in pages(task.repo_type, task.repo_id):
                items.extend(page)
        except GatedRepoError as exc:  # a subclass of RepositoryNotFoundError: first
            status, message = "gated", _one_line(exc)
        except DisabledRepoError as exc:
            status, message = "not_found", _one_line(exc)
        except RepositoryNotFoundError as exc:
            status, message = "not_found", _one_line(exc)
        except HubUnreachable:
            raise
        except (HfHubHTTPError, httpx2.HTTPError, ValueError) as exc:
            status, message = "error", _one_line(exc)
        fetched_at = _now()
        rows: list[dict] = []
        malformed: list[str] = []
        if status == "ok":
            seen: set = set()
            for position, item in enumerate(items):
                try:
                    if task.resource == "commits":
                        row = commit_row(task.repo_type, task.repo_id, position, item, fetched_at)
                        key = row["commit_id"]
                    else:
                        row = discussion_row(task.repo_type, task.repo_id, item, fetched_at)
                        key = row["num"]
                except Malformed as exc:
                    malformed.append(str(exc))
                    continue
                if key in seen:
                    continue
                seen.add(key)
                rows.append(row)
            if malformed:
                message = f"skipped {len(malformed)} malformed item(s): {malformed[0]}"
        log_row = {
            "repo_type": task.repo_type,
            "repo_id": task.repo_id,
            "resource": task.resource,
            "status": status,
            "message": message,
            "n_requests": stats.thread_requests() - before,
            "fetched_at": fetched_at,
            "sha": task.sha,
            "last_modified": task.last_modified,
            "last_ok_at": fetched_at if status == "ok" else task.last_ok_at,
            "n_rows": len(rows) if status == "ok" else None,
        }
        return Result(task, rows, log_row, len(malformed))

    def fetch_all(self, tasks: Iterator[Task]) -> None:
        if not any(self.planned.values()):
            return
        bars = {
            res: self.progress.stage(res, total=self.planned[res])
            for res in ("commits", "discussions")
            if self.planned[res]
        }
        max_inflight = max(64, self.workers * 32)
        pending: set[Future] = set()
        batch = Batch()
        it = iter(tasks)
        pool = ThreadPoolExecutor(self.workers, thread_name_prefix="hubwh-fetch")
        failed = True
        try:

            def fill() -> None:
                while len(pending) < max_inflight:
                    task = next(it, None)
                    if task is None:
                        return
                    pending.add(pool.submit(self.fetch, task))

            fill()
            while pending:
                done, rest = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                pending.clear()
                pending.update(rest)
                for future in done:
                    result = future.result()  # HubUnreachable ends the crawl (after the flush below)
                    self._collect(batch, result)
                    self.progress.advance(bars.get(result.task.resource))
                fill()
                if batch.due(seconds=self.flush_seconds):
                    loading, batch = batch, Batch()
                    self.wh.load(loading.as_load())
            failed = False
        except HubUnreachable as exc:
            raise HubwhError(
                f"lost the connection to {self.client.endpoint}: {_one_line(exc)} "
                f"(work done so far is saved; run the crawl again to finish)"
            ) from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            # Whatever finished is loaded, also when the crawl stops early (Ctrl-C, lost Hub).
            try:
                self.wh.load(batch.as_load())
            except HubwhError:
                if not failed:
                    raise
                log.warning("could not save the last results; the next run fetches them again")

    def _collect(self, batch: Batch, result: Result) -> None:
        res = result.task.resource
        status = result.log_row["status"]
        self.by_status[res][status] = self.by_status[res].get(status, 0) + 1
        if result.malformed:
            self._malformed(
                f"{res[:-1]} item",
                f"{result.task.repo_type} {result.task.repo_id}: {result.log_row['message']}",
                result.malformed,
            )
        batch.add(res, result.rows)
        batch.add("fetch_log", [result.log_row])
        batch.results += 1


def crawl(
    endpoint: str | None = None,
    db_path: str | Path | None = None,
    *,
    types=("model", "dataset", "space"),
    author: str | None = None,
    filter=None,
    limit: int | None = None,
    sample: float | None = None,
    seed: int = 0,
    commits: bool = True,
    discussions: bool = True,
    budget: tuple[int, float] | None = (1000, 300),
    token: str | bool | None = None,
    workers: int = 8,
    discussions_ttl_days: float = 7,
    progress: bool = True,
    pipelines_dir: str | Path | None = None,
    flush_seconds: float = FLUSH_SECONDS,
) -> dict:
    """Crawl the Hub (or an emulator) into `raw`; returns the run's summary (also stored in
    raw.crawl_runs). See the module docstring for the stages."""
    started = time.monotonic()
    scope = Scope(
        types=tuple(types),
        author=author,
        filter=tuple(filter or ()) if not isinstance(filter, str) else (filter,),
        limit=limit,
        sample=sample,
        seed=seed,
        commits=commits,
        discussions=discussions,
        discussions_ttl_days=discussions_ttl_days,
    )
    db = resolve_db_path(db_path)
    client = HubClient(endpoint, token, budget=budget)
    wh = Warehouse(db, pipelines_dir)
    run_id = uuid.uuid4().hex
    started_at = _now()
    bars = CrawlProgress(progress)
    crawler = Crawler(client, wh, scope, workers=workers, progress=bars, flush_seconds=flush_seconds)

    def run_row(summary: dict | None) -> dict:
        return {
            "run_id": run_id,
            "started_at": started_at,
            "finished_at": _now() if summary else None,
            "endpoint": client.endpoint,
            "scope": json.dumps(scope.as_json()),
            "summary": json.dumps(summary) if summary else None,
        }

    try:
        with client:
            wh.finish_pending()
            wh.ensure_tables()
            wh.load({"crawl_runs": [run_row(None)]})
            for repo_type in scope.types:
                crawler.sweep(repo_type)
            tasks = crawler.plan(_now())
            crawler.fetch_all(tasks)
            summary = _summary(crawler, client, wh, run_id, started, db)
            wh.load({"crawl_runs": [run_row(summary)]})
    finally:
        bars.close()
    summary["rows_loaded"] = {k: v for k, v in wh.rows_loaded.items()}
    summary["elapsed_s"] = round(time.monotonic() - started, 3)
    return summary


def _summary(crawler: Crawler, client: HubClient, wh: Warehouse, run_id: str, started: float, db: Path) -> dict:
    stats = client.stats.as_dict()
    budget = client.limiter.effective_budget()
    return {
        "run_id": run_id,
        "endpoint": client.endpoint,
        "db_path": str(db),
        **stats,
        "budget": list(budget) if budget else None,
        "list_pages": crawler.list_pages,
        "repos_listed": crawler.repos_listed,
        "duplicates_in_sweep": crawler.duplicates,
        "marked_unlisted": crawler.marked_unlisted,
        "planned": crawler.planned,
        "repos_by_status": crawler.by_status,
        "malformed": crawler.malformed,
        "rows_loaded": dict(wh.rows_loaded),
        "loads": wh.loads,
        "elapsed_s": round(time.monotonic() - started, 3),
    }
