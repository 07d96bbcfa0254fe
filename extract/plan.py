"""Stage 3 of a crawl, the plan: which repos' commits and discussions to fetch this run.

Decided in SQL (extract/plan.sql) over what the sweeps just wrote and `raw.fetch_log`, the
crawl's whole incremental state: nothing is remembered between runs outside the raw tables, so
a killed run, a changed repo and a stale fetch are all found the same way. The plan is written to
a Parquet file and streamed from it, so a plan of millions of fetches does not sit in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

from extract.scope import Scope
from extract.warehouse import Warehouse

PLAN_SQL = resources.files("extract").joinpath("plan.sql").read_text(encoding="utf-8")
_COUNT_BY_RESOURCE_SQL = "SELECT resource, count(*) AS n FROM read_parquet(?) GROUP BY ALL"
RESOURCES = ("commits", "discussions")


@dataclass(frozen=True)
class PlannedFetch:
    """One repo's commits or discussions to fetch, with what the fetch log must record of it."""

    repo_type: str
    repo_id: str
    resource: str  # commits | discussions
    sha: str | None  # as listed by this run's sweep
    last_modified: datetime | None  # as listed by this run's sweep
    last_ok_at: datetime | None  # of the last successful fetch, kept if this one fails


@dataclass
class Plan:
    """The fetches due, in (repo_type, repo_id, resource) order; `planned` counts them by resource."""

    planned: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RESOURCES, 0))
    path: Path | None = None

    def __iter__(self) -> Iterator[PlannedFetch]:
        if self.path is None:
            return
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(self.path).iter_batches(batch_size=10_000):
            for r in batch.to_pylist():
                yield PlannedFetch(
                    r["repo_type"], r["repo_id"], r["resource"], r["sha"], r["last_modified"], r["last_ok_at"]
                )


def plan(wh: Warehouse, scope: Scope, listed_at: dict[str, datetime], now: datetime) -> Plan:
    """The fetches due for the repos listed by this run's sweeps (`listed_at`: repo type -> when
    its sweep started)."""
    if not (scope.commits or scope.discussions) or not listed_at:
        return Plan()
    params = {
        "model_listed_at": listed_at.get("model"),
        "dataset_listed_at": listed_at.get("dataset"),
        "space_listed_at": listed_at.get("space"),
        "commits": scope.commits,
        "discussions": scope.discussions,
        "ttl_cut": now - timedelta(days=scope.discussions_ttl_days),
        "shard_index": scope.shard.index,
        "shard_count": scope.shard.count,
    }
    path = wh.scratch("plan.parquet")
    wh.query_to_parquet(PLAN_SQL, params, path)
    due = Plan(path=path)
    for r in wh.query_arrow(_COUNT_BY_RESOURCE_SQL, [str(path)]).to_pylist():
        due.planned[r["resource"]] = r["n"]
    return due
