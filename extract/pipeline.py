"""`crawl()`: the Hub (or an emulator) into the DuckDB file's `raw` schema.

Stages of a run, data flowing one way:

1. finish any load a killed run left pending; create missing raw tables (empty);
2. list sweeps, every run (extract/sweep.py): one paginated `expand` call per 1000 repos of each
   type in scope, de-duplicated by id, sampled, loaded as they come; `space_models` from the
   spaces' `models`; after a full, unscoped sweep, repos no longer listed get `is_listed = false`;
   a sharded run (`--shard I/N`, extract/shard.py) keeps, marks and fetches only its shard's repos;
3. plan (extract/plan.py, SQL over the raw tables): commits of repos whose `sha` changed since the
   last fetch, or never fetched, or whose last fetch failed or did not fully load; discussions
   when `lastModified` changed or the last fetch is older than the TTL;
4. per-repo fetches (extract/fetch.py) in a thread pool, all sharing one rate limiter; this module
   loads their results in batches as they come, each repo's rows together with its fetch_log row,
   so a run killed at any point loses only unloaded work, which the next run's plan picks up again.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from extract.client import HubClient, HubUnreachable, one_line
from extract.fetch import FetchResult, fetch
from extract.plan import RESOURCES, Plan, plan
from extract.progress import CrawlProgress
from extract.scope import Scope
from extract.shard import Shard
from extract.sweep import Listing, sweep
from extract.warehouse import Batch, Warehouse, resolve_db_path
from hubwh.errors import HubwhError

log = logging.getLogger("extract.pipeline")

# Load the fetch results when this many rows or results wait (memory), or this often (seconds:
# what a crash can lose).
FLUSH_ROWS = 50_000
FLUSH_RESULTS = 5_000
FLUSH_SECONDS = 5.0


@dataclass
class RunCounts:
    """What the run summary tells of each stage, gathered as the stages run."""

    listings: dict[str, Listing] = field(default_factory=dict)  # by repo type, in sweep order
    planned: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RESOURCES, 0))
    by_status: dict[str, dict[str, int]] = field(default_factory=lambda: {r: {} for r in RESOURCES})
    malformed: dict[str, int] = field(default_factory=dict)  # skipped records, by kind, all stages

    def add_listing(self, listing: Listing) -> None:
        self.listings[listing.repo_type] = listing
        self._add_malformed(listing.malformed)

    def add_fetch(self, result: FetchResult) -> None:
        statuses = self.by_status[result.task.resource]
        status = result.fetch_log_row["status"]
        statuses[status] = statuses.get(status, 0) + 1
        self._add_malformed(result.malformed)

    def _add_malformed(self, part: dict[str, int]) -> None:
        for what, n in part.items():
            self.malformed[what] = self.malformed.get(what, 0) + n

    def as_summary(self) -> dict:
        listings = self.listings.values()
        return {
            "list_pages": {x.repo_type: x.pages for x in listings},
            "repos_listed": {x.repo_type: x.repos for x in listings},
            "duplicates_in_sweep": {x.repo_type: x.duplicates for x in listings},
            "in_other_shards": {x.repo_type: x.other_shards for x in listings},
            "marked_unlisted": {x.repo_type: x.marked_unlisted for x in listings if x.marked_unlisted is not None},
            "planned": self.planned,
            "repos_by_status": self.by_status,
            "malformed": self.malformed,
        }


def fetch_all(
    client: HubClient,
    wh: Warehouse,
    due: Plan,
    counts: RunCounts,
    *,
    workers: int,
    progress: CrawlProgress,
    flush_seconds: float,
) -> None:
    """Run the planned fetches on `workers` threads, loading their results as they come."""
    if not any(due.planned.values()):
        return
    bars = {res: progress.stage(res, total=due.planned[res]) for res in RESOURCES if due.planned[res]}
    # Enough queued to keep the workers busy, few enough that the plan streams from its file.
    max_inflight = max(64, workers * 32)
    pending: set[Future] = set()
    batch = Batch()
    tasks = iter(due)
    pool = ThreadPoolExecutor(workers, thread_name_prefix="hubwh-fetch")
    failed = True
    try:

        def fill() -> None:
            while len(pending) < max_inflight:
                task = next(tasks, None)
                if task is None:
                    return
                pending.add(pool.submit(fetch, client, task))

        fill()
        while pending:
            done, rest = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            pending.clear()
            pending.update(rest)
            for future in done:
                result = future.result()  # HubUnreachable ends the crawl (after the flush below)
                counts.add_fetch(result)
                # A repo's rows and its fetch_log row travel in one load: a fetch is done once loaded.
                batch.add(result.task.resource, result.rows)
                batch.add("fetch_log", [result.fetch_log_row])
                batch.results += 1
                progress.advance(bars.get(result.task.resource))
            fill()
            if batch.due(rows=FLUSH_ROWS, results=FLUSH_RESULTS, seconds=flush_seconds):
                loading, batch = batch, Batch()
                wh.load(loading.as_load())
        failed = False
    except HubUnreachable as exc:
        raise HubwhError(
            f"lost the connection to {client.endpoint}: {one_line(exc)} "
            f"(work done so far is saved; run the crawl again to finish)"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        # Whatever finished is loaded, also when the crawl stops early (Ctrl-C, lost Hub).
        try:
            wh.load(batch.as_load())
        except HubwhError:
            if not failed:
                raise
            log.warning("could not save the last results; the next run fetches them again")


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
    shard: str | Shard | tuple[int, int] | None = None,
) -> dict:
    """Crawl the Hub (or an emulator) into `raw`; returns the run's summary (also stored in
    raw.crawl_runs). See the module docstring for the stages. `shard`: 'I/N' (or a Shard) to
    crawl only the repos of shard I of N; None for the whole Hub."""
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
        shard=Shard.parse(shard),
    )
    db = resolve_db_path(db_path)
    client = HubClient(endpoint, token, budget=budget)
    wh = Warehouse(db, pipelines_dir, shard=scope.shard)
    run_id = uuid.uuid4().hex
    started_at = datetime.now(UTC)
    bars = CrawlProgress(progress)
    counts = RunCounts()

    def run_row(summary: dict | None) -> dict:
        return {
            "run_id": run_id,
            "started_at": started_at,
            "finished_at": datetime.now(UTC) if summary else None,
            "endpoint": client.endpoint,
            "scope": json.dumps(scope.as_json()),
            "summary": json.dumps(summary) if summary else None,
            "shard_index": scope.shard.index,
            "shard_count": scope.shard.count,
        }

    try:
        with client:
            wh.finish_pending()
            wh.ensure_tables()
            wh.load({"crawl_runs": [run_row(None)]})
            for repo_type in scope.types:
                counts.add_listing(sweep(client, wh, scope, repo_type, bars))
            listed_at = {t: listing.listed_at for t, listing in counts.listings.items()}
            due = plan(wh, scope, listed_at, datetime.now(UTC))
            counts.planned = due.planned
            fetch_all(client, wh, due, counts, workers=max(1, int(workers)), progress=bars, flush_seconds=flush_seconds)
            summary = _summary(counts, client, wh, run_id, started, db)
            summary["shard"] = scope.shard.label
            wh.load({"crawl_runs": [run_row(summary)]})
    finally:
        bars.close()
    summary["rows_loaded"] = {k: v for k, v in wh.rows_loaded.items()}
    summary["elapsed_s"] = round(time.monotonic() - started, 3)
    return summary


def _summary(counts: RunCounts, client: HubClient, wh: Warehouse, run_id: str, started: float, db: Path) -> dict:
    stats = client.stats.as_dict()
    budget = client.limiter.effective_budget()
    return {
        "run_id": run_id,
        "endpoint": client.endpoint,
        "db_path": str(db),
        **stats,
        "budget": list(budget) if budget else None,
        **counts.as_summary(),
        "rows_loaded": dict(wh.rows_loaded),
        "loads": wh.loads,
        "elapsed_s": round(time.monotonic() - started, 3),
    }
