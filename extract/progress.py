"""Progress bars (one per stage, with an ETA where the total is known) and the closing summary
table of `hubwh crawl`. Both go to stderr; with `enabled=False` everything is a no-op."""

from __future__ import annotations

import sys
from typing import Any


class CrawlProgress:
    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self._progress = None
        if enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description:<22}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[note]}"),
                TimeElapsedColumn(),
                TextColumn("eta"),
                TimeRemainingColumn(),
                console=Console(file=sys.stderr),
                transient=False,
            )
            self._progress.start()

    def stage(self, description: str, total: int | None = None) -> Any:
        if not self._progress:
            return None
        return self._progress.add_task(description, total=total, note="")

    def advance(self, task: Any, n: int = 1, note: str | None = None) -> None:
        if self._progress is not None and task is not None:
            kwargs = {"note": note} if note is not None else {}
            self._progress.update(task, advance=n, **kwargs)

    def finish(self, task: Any) -> None:
        if self._progress is not None and task is not None:
            done = next((t.completed for t in self._progress.tasks if t.id == task), 0)
            self._progress.update(task, total=done, completed=done)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def print_summary(summary: dict) -> None:
    """The closing summary of a crawl, as a table on stderr."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="crawl summary", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_row("elapsed", f"{summary['elapsed_s']:.1f} s")
    table.add_row("requests", str(summary["requests"]))
    table.add_row("429 responses", str(summary["http_429"]))
    table.add_row("retries", str(summary["retries"]))
    if summary.get("shard", "1/1") != "1/1":
        other = sum(summary.get("in_other_shards", {}).values())
        table.add_row("shard", f"{summary['shard']}  ({other} listed repos of other shards skipped)")
    for rtype, n in summary.get("repos_listed", {}).items():
        table.add_row(f"{rtype}s listed", f"{n}  ({summary['list_pages'].get(rtype, 0)} pages)")
    for resource, by_status in summary.get("repos_by_status", {}).items():
        text = ", ".join(f"{k} {v}" for k, v in sorted(by_status.items())) or "none due"
        table.add_row(f"{resource} fetched", text)
    for name, n in summary.get("rows_loaded", {}).items():
        if n:
            table.add_row(f"rows -> raw.{name}", str(n))
    if summary.get("malformed"):
        table.add_row("malformed records", ", ".join(f"{k} {v}" for k, v in summary["malformed"].items()))
    Console(file=sys.stderr).print(table)
