"""Stage 2 of a crawl, the list sweeps: one paginated `expand` call per 1000 repos of each type.

A sweep writes `raw.models` / `raw.datasets` / `raw.spaces` (and `raw.space_models`, from the
spaces' `models`), every row stamped with the sweep's `listed_at`: that stamp is how the plan
(extract/plan.py) tells the repos of this run from those left over from earlier ones. After a
full, unscoped sweep, repos it did not list get `is_listed = false`.

A sharded run (`--shard I/N`, extract/shard.py) still reads every list page, since the Hub cannot
filter by hash, but keeps, and may mark unlisted, only the repos of its own shard: its sweep is a
full sweep of that shard, and rows of other shards are never written (docs/methods.md §13).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx2
import pyarrow as pa
from huggingface_hub.errors import HfHubHTTPError

from extract.client import HubClient, HubUnreachable, one_line
from extract.hf_hub import REPO_TABLE, Malformed, arrow_schema, repo_row, space_model_rows, to_arrow
from extract.progress import CrawlProgress
from extract.scope import Scope
from extract.warehouse import Batch, Warehouse
from hubwh.errors import HubwhError

log = logging.getLogger("extract.sweep")

# Fields asked of each list sweep (`expand`): docs/methods.md §1, plus trendingScore for the
# contract's trending_score. With `expand` the Hub returns only these (and `_id`, `id`).
EXPAND = {
    "model": [
        "author",
        "likes",
        "downloads",
        "downloadsAllTime",
        "trendingScore",
        "tags",
        "pipeline_tag",
        "library_name",
        "createdAt",
        "lastModified",
        "sha",
        "gated",
        "cardData",
        "safetensors",
    ],
    "dataset": [
        "author",
        "likes",
        "downloads",
        "downloadsAllTime",
        "trendingScore",
        "tags",
        "createdAt",
        "lastModified",
        "sha",
        "gated",
        "cardData",
    ],
    "space": [
        "author",
        "likes",
        "trendingScore",
        "tags",
        "sdk",
        "createdAt",
        "lastModified",
        "sha",
        "cardData",
        "models",
    ],
}
PAGE_SIZE = 1000
# Sorting on the creation date (immutable) keeps the Hub's keyset cursor from drifting while we
# page: the default order (trending, a moving score) skips and repeats repos on long sweeps.
SORT = "createdAt"

# A sweep loads what it listed when this many rows wait, or this often (seconds).
LIST_FLUSH_ROWS = 20_000
LIST_FLUSH_SECONDS = 30.0


def list_params(scope: Scope, repo_type: str) -> list[tuple[str, object]]:
    """Query parameters of the list sweep, encoded as huggingface_hub's list_* calls do
    (repeated keys for lists)."""
    params: list[tuple[str, object]] = [("sort", SORT)]
    if scope.author:
        params.append(("author", scope.author))
    params += [("filter", f) for f in scope.filter]
    params += [("expand", e) for e in EXPAND[repo_type]]
    # A sample or a shard is taken from every listed repo, so only a limit over all of them may
    # shorten the page.
    whole = scope.sample is None and scope.shard.is_all
    page = PAGE_SIZE if scope.limit is None or not whole else min(PAGE_SIZE, scope.limit)
    params.append(("limit", page))
    return params


@dataclass
class Listing:
    """What one sweep of one repo type listed and wrote (the run summary's list counts)."""

    repo_type: str
    listed_at: datetime  # the `last_listed_at` of every row this sweep wrote
    pages: int = 0
    repos: int = 0  # kept: de-duplicated, in the shard and the sample, within the limit
    duplicates: int = 0
    other_shards: int = 0  # list items of other shards (sharded runs; a repeated item counts twice)
    marked_unlisted: int | None = None  # only a full sweep may mark repos unlisted
    malformed: dict[str, int] = field(default_factory=dict)  # skipped records, by kind

    def skip_malformed(self, what: str, detail: str) -> None:
        self.malformed[what] = self.malformed.get(what, 0) + 1
        log.warning("malformed %s skipped: %s", what, detail)


def sweep(client: HubClient, wh: Warehouse, scope: Scope, repo_type: str, progress: CrawlProgress) -> Listing:
    """List every repo of `repo_type` in scope and load it into its raw table."""
    table = REPO_TABLE[repo_type]
    listing = Listing(repo_type, datetime.now(UTC))
    seen: set[str] = set()
    batch = Batch()
    bar = progress.stage(f"list {repo_type}s")
    done = False
    try:
        for page in client.list_pages(repo_type, list_params(scope, repo_type)):
            listing.pages += 1
            for item in page:
                try:
                    row = repo_row(repo_type, item, listing.listed_at)
                except Malformed as exc:
                    listing.skip_malformed(f"{repo_type} list item", f"{exc} (page {listing.pages})")
                    continue
                repo_id = row["repo_id"]
                if repo_id in seen:  # the Hub's cursors drift: a repo may come twice
                    listing.duplicates += 1
                    continue
                if not scope.shard.contains(repo_type, repo_id):
                    listing.other_shards += 1
                    continue
                if not scope.in_sample(repo_id):
                    continue
                seen.add(repo_id)
                batch.add(table, [row])
                if repo_type == "space":
                    try:
                        batch.add("space_models", space_model_rows(item, listing.listed_at))
                    except Malformed as exc:
                        listing.skip_malformed("space models list", str(exc))
                if scope.limit is not None and len(seen) >= scope.limit:
                    done = True
                    break
            progress.advance(bar, len(page), note=f"{listing.pages} pages")
            if batch.due(rows=LIST_FLUSH_ROWS, seconds=LIST_FLUSH_SECONDS):
                _load_listed(wh, table, batch)
                batch = Batch()
            if done:
                break
    except (HubUnreachable, httpx2.TransportError, ConnectionError) as exc:  # (HF_HUB_OFFLINE too)
        raise HubwhError(f"cannot list {repo_type}s at {client.endpoint}: {one_line(exc)}") from None
    except HfHubHTTPError as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in (401, 403):
            raise HubwhError(
                f"the Hub refused to list {repo_type}s ({status}): the token is invalid or lacks access"
            ) from None
        raise HubwhError(f"listing {repo_type}s failed: {one_line(exc)}") from None
    _load_listed(wh, table, batch)
    progress.finish(bar)
    listing.repos = len(seen)
    if scope.is_full:
        listing.marked_unlisted = _mark_unlisted(wh, scope, repo_type, listing.listed_at)
    return listing


# `table` below is always a value of REPO_TABLE (and `repo_type` a key of it), and the column
# names come from the contract: the only identifiers put into these statements; values are bound.


def _load_listed(wh: Warehouse, table: str, batch: Batch) -> None:
    load = batch.as_load()
    rows = load.get(table)
    if not rows:
        return
    # Keep first_listed_at of repos already in the warehouse (a merge replaces whole rows).
    fresh = to_arrow(table, rows)
    load[table] = wh.query_arrow(
        f"SELECT b.* REPLACE (coalesce(t.first_listed_at, b.first_listed_at) AS first_listed_at) "
        f"FROM fresh b LEFT JOIN raw.{table} t USING (repo_id)",
        fresh=fresh,
    ).cast(arrow_schema(table))
    wh.load(load)


def _mark_unlisted(wh: Warehouse, scope: Scope, repo_type: str, listed_at: datetime) -> int:
    """Rewrite the listed repos of this sweep's shard that it did not see as unlisted; returns
    how many. Repos of other shards are left to their own shard's sweeps."""
    table = REPO_TABLE[repo_type]
    cols = ", ".join(arrow_schema(table).names)
    in_shard = scope.shard.sql(f"'{repo_type}'", "repo_id")
    gone = wh.query_arrow(
        f"SELECT {cols} FROM raw.{table} WHERE is_listed AND last_listed_at < ? AND {in_shard}", [listed_at]
    )
    if gone.num_rows:
        gone = gone.set_column(gone.schema.get_field_index("is_listed"), "is_listed", pa.array([False] * gone.num_rows))
        wh.load({table: gone.cast(arrow_schema(table))})
    return gone.num_rows
