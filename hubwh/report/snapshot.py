"""What snapshot the warehouse holds: when it was taken, its scope, row counts.
Shared by the HTML header page and the terminal report."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from hubwh.report.data import PUBLIC_MARTS, Warehouse

RAW_TABLES = ("models", "datasets", "spaces", "space_models", "commits", "discussions", "fetch_log")


@dataclass
class SnapshotInfo:
    taken_at: str | None = None  # ISO time of the snapshot
    taken_from: str = ""  # which column said so
    endpoint: str | None = None
    scope: dict = field(default_factory=dict)
    scope_text: str = "unknown (no crawl recorded)"
    n_runs: int = 0
    raw_counts: dict[str, int | None] = field(default_factory=dict)
    mart_counts: dict[str, int | None] = field(default_factory=dict)


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return str(value)


def describe_scope(scope: dict) -> str:
    """'full Hub' or the restrictions of a scoped crawl, in words (keys of
    extract.scope.Scope.as_json; unknown keys are shown as they are)."""
    if not scope:
        return "unknown (no scope recorded)"
    parts, limited = [], False
    types = scope.get("types")
    if types:
        parts.append("types: " + ", ".join(map(str, types if isinstance(types, list) else [types])))
    for key in ("author", "filter", "limit"):
        value = scope.get(key)
        if value not in (None, "", [], {}):
            limited = True
            parts.append(f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}")
    frac = scope.get("sample", scope.get("sample_fraction"))
    if frac not in (None, "", 1, 1.0):
        limited = True
        seed = scope.get("seed")
        parts.append(f"sample fraction: {frac}" + (f" (seed {seed})" if seed is not None else ""))
    for key in ("commits", "discussions"):
        if scope.get(key) is False:
            parts.append(f"{key} not fetched")
    known = {
        "types",
        "author",
        "filter",
        "limit",
        "sample",
        "sample_fraction",
        "seed",
        "commits",
        "discussions",
        "discussions_ttl_days",
    }
    parts += [f"{k}: {v}" for k, v in scope.items() if k not in known and v not in (None, "", [], {})]
    return ("scoped crawl" if limited else "full Hub") + (" · " + " · ".join(parts) if parts else "")


def snapshot_info(wh: Warehouse) -> SnapshotInfo:
    info = SnapshotInfo()
    if wh.has("crawl_runs", "raw"):
        runs = wh.df("select * from raw.crawl_runs order by coalesce(finished_at, started_at) desc nulls last")
        info.n_runs = len(runs)
        if len(runs):
            latest = runs.iloc[0]
            when = latest.get("finished_at")
            if when is None or str(when) in ("NaT", "None"):
                when = latest.get("started_at")
            info.taken_at, info.taken_from = _iso(when), "raw.crawl_runs (latest run)"
            info.endpoint = latest.get("endpoint")
            raw_scope = latest.get("scope")
            try:
                info.scope = raw_scope if isinstance(raw_scope, dict) else json.loads(raw_scope or "{}")
            except (TypeError, ValueError):
                info.scope = {"scope": str(raw_scope)}
            info.scope_text = describe_scope(info.scope)
    if info.taken_at is None and wh.has("fetch_log", "raw", columns=("fetched_at",)):
        value = wh.scalar("select max(fetched_at) from raw.fetch_log")
        if value is not None:
            info.taken_at, info.taken_from = _iso(value), "raw.fetch_log (latest fetch)"
    if info.taken_at is None and wh.has("models", "raw", columns=("_dlt_load_id",)):
        value = wh.scalar("select max(cast(_dlt_load_id as double)) from raw.models")
        if value is not None:
            info.taken_at = _iso(datetime.fromtimestamp(float(value), tz=UTC))
            info.taken_from = "raw.models (latest dlt load)"
    info.raw_counts = {t: wh.count(t, "raw") for t in RAW_TABLES}
    info.mart_counts = {t: wh.count(t) for t in PUBLIC_MARTS}
    return info
