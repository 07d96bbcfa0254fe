"""Stage 4 of a crawl, the per-repo fetches: one repo's commits or discussions, all pages.

`fetch` runs in a worker thread and touches no database: it returns the rows and the repo's
`raw.fetch_log` row, which the orchestration (extract/pipeline.py) loads together, so a fetch
counts as done only once its rows are in. The outcome recorded in `fetch_log.status`:

- `ok`: all pages read (malformed items skipped and named in `message`);
- `not_found`: the repo is gone or disabled;
- `gated`: the repo asks for access the token does not have;
- `error`: any other HTTP error or unreadable answer (fetched again next run).

A lost connection (`HubUnreachable`) is no outcome of the repo: it ends the crawl.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx2
from huggingface_hub.errors import DisabledRepoError, GatedRepoError, HfHubHTTPError, RepositoryNotFoundError

from extract.client import HubClient, HubUnreachable, one_line
from extract.hf_hub import Malformed, commit_row, discussion_row
from extract.plan import PlannedFetch

log = logging.getLogger("extract.fetch")


@dataclass
class FetchResult:
    task: PlannedFetch
    rows: list[dict]  # for raw.commits or raw.discussions (task.resource)
    fetch_log_row: dict
    malformed: dict[str, int] = field(default_factory=dict)  # skipped items, by kind


def fetch(client: HubClient, task: PlannedFetch) -> FetchResult:
    """One repo's commits or discussions."""
    stats = client.stats
    before = stats.thread_requests()
    items: list[Any] = []
    status, message = "ok", None
    try:
        pages = client.commit_pages if task.resource == "commits" else client.discussion_pages
        for page in pages(task.repo_type, task.repo_id):
            items.extend(page)
    except HubUnreachable:
        raise
    except (HfHubHTTPError, httpx2.HTTPError, ValueError) as exc:
        status, message = failure_status(exc)
    fetched_at = datetime.now(UTC)
    rows: list[dict] = []
    malformed: dict[str, int] = {}
    if status == "ok":
        rows, problems = item_rows(task, items, fetched_at)
        if problems:
            message = f"skipped {len(problems)} malformed item(s): {problems[0]}"
            what = f"{task.resource[:-1]} item"
            malformed[what] = len(problems)
            log.warning("malformed %s skipped: %s", what, f"{task.repo_type} {task.repo_id}: {message}")
    fetch_log_row = {
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
    return FetchResult(task, rows, fetch_log_row, malformed)


def failure_status(exc: Exception) -> tuple[str, str]:
    """The fetch_log (status, message) of a failed per-repo fetch (also what a snapshot load
    records for a repo with a forced outcome, hubwh/snapshot/load.py)."""
    # GatedRepoError is a subclass of RepositoryNotFoundError: first.
    if isinstance(exc, GatedRepoError):
        return "gated", one_line(exc)
    if isinstance(exc, (DisabledRepoError, RepositoryNotFoundError)):
        return "not_found", one_line(exc)
    return "error", one_line(exc)


def item_rows(task: PlannedFetch, items: list[Any], fetched_at: datetime) -> tuple[list[dict], list[str]]:
    """The items as rows, each commit or discussion once, and why any item was skipped."""
    rows: list[dict] = []
    problems: list[str] = []
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
            problems.append(str(exc))
            continue
        if key in seen:
            continue
        seen.add(key)
        rows.append(row)
    return rows, problems
