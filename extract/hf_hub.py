"""The dlt source `hf_hub`: one resource per Hub API resource, loaded into DuckDB schema `raw`.

Resources (tables): models, datasets, spaces, space_models, commits, discussions, fetch_log,
crawl_runs. Columns and keys follow the raw-schema contract
(models/staging/_hf_hub__sources.yml); every resource declares its `primary_key` and
`write_disposition="merge"`.

Rows reach dlt as Arrow tables, lists pre-serialised as JSON text in JSON columns (the contract's
"lists are JSON columns"). Measured with `python -m benchmarks.bench_crawl load` (model rows,
merge into DuckDB, parquet load files): 2,000,000 rows load in 43 s as Arrow tables vs 114 s as
Python dicts with JSON columns (dlt's normaliser is pure Python); dicts with child tables
(`models__tags`) were slower still (19.3 s vs 4.2 s for Arrow at 200,000 rows, so ~3 min at 2M).
The crawler (extract/sweep.py, extract/fetch.py) fetches; this module turns what the API returned
into rows and hands a batch of rows to dlt.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import dlt
import pyarrow as pa

log = logging.getLogger("extract.hf_hub")

TS = pa.timestamp("us", tz="UTC")
STR, INT, BOOL, JSON = pa.string(), pa.int64(), pa.bool_(), "json"

# (column, arrow type, is JSON) per table. JSON columns travel as text and are declared `json`.
_REPO_HEAD = [("repo_id", STR), ("author", STR), ("likes", INT)]
_REPO_COMMON_TAIL = [("trending_score", INT), ("tags", JSON)]
_LISTED = [("first_listed_at", TS), ("last_listed_at", TS), ("is_listed", BOOL)]
_DATES = [("created_at", TS), ("last_modified", TS), ("sha", STR), ("gated", STR), ("card_license", JSON)]

COLUMNS: dict[str, list[tuple[str, Any]]] = {
    "models": _REPO_HEAD
    + [("downloads", INT), ("downloads_all_time", INT)]
    + _REPO_COMMON_TAIL
    + [("pipeline_tag", STR), ("library_name", STR)]
    + _DATES
    + [("safetensors_total", INT)]
    + _LISTED
    # the card's lineage fields (docs/methods.md §9); models only
    + [("card_base_model", JSON), ("card_base_model_relation", JSON)],
    "datasets": _REPO_HEAD + [("downloads", INT), ("downloads_all_time", INT)] + _REPO_COMMON_TAIL + _DATES + _LISTED,
    # "Columns as models, plus sdk; no downloads": the model-only columns stay (NULL) so a union
    # of the three tables lines up (all but the card's lineage fields, which only models have).
    "spaces": _REPO_HEAD
    + _REPO_COMMON_TAIL
    + [("pipeline_tag", STR), ("library_name", STR)]
    + _DATES
    + [("safetensors_total", INT)]
    + _LISTED
    + [("sdk", STR)],
    "space_models": [("space_id", STR), ("model_id", STR), ("model_position", INT), ("listed_at", TS)],
    "commits": [
        ("repo_type", STR),
        ("repo_id", STR),
        ("commit_id", STR),
        ("commit_position", INT),
        ("committed_at", TS),
        ("title", STR),
        ("authors", JSON),
        ("fetched_at", TS),
    ],
    "discussions": [
        ("repo_type", STR),
        ("repo_id", STR),
        ("num", INT),
        ("title", STR),
        ("status", STR),
        ("is_pull_request", BOOL),
        ("author", STR),
        ("created_at", TS),
        ("fetched_at", TS),
    ],
    "fetch_log": [
        ("repo_type", STR),
        ("repo_id", STR),
        ("resource", STR),
        ("status", STR),
        ("message", STR),
        ("n_requests", INT),
        ("fetched_at", TS),
        ("sha", STR),
        ("last_modified", TS),
        ("last_ok_at", TS),
        ("n_rows", INT),
    ],
    "crawl_runs": [
        ("run_id", STR),
        ("started_at", TS),
        ("finished_at", TS),
        ("endpoint", STR),
        ("scope", JSON),
        ("summary", JSON),
        # the run's shard (extract/shard.py): 1 of 1 for a run over the whole Hub
        ("shard_index", INT),
        ("shard_count", INT),
    ],
}
PRIMARY_KEYS = {
    "models": ["repo_id"],
    "datasets": ["repo_id"],
    "spaces": ["repo_id"],
    "space_models": ["space_id", "model_id"],
    "commits": ["repo_type", "repo_id", "commit_id"],
    "discussions": ["repo_type", "repo_id", "num"],
    "fetch_log": ["repo_type", "repo_id", "resource"],
    "crawl_runs": ["run_id"],
}
TABLES = tuple(COLUMNS)
REPO_TABLE = {"model": "models", "dataset": "datasets", "space": "spaces"}

_DLT_TYPES = {STR: "text", INT: "bigint", BOOL: "bool", TS: "timestamp", JSON: "json"}


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(name, STR if typ == JSON else typ) for name, typ in COLUMNS[table]])


def dlt_columns(table: str) -> dict[str, dict]:
    cols = {}
    for name, typ in COLUMNS[table]:
        col = {"data_type": _DLT_TYPES[typ], "nullable": name not in PRIMARY_KEYS[table]}
        if typ == TS:
            col["timezone"] = True
        cols[name] = col
    return cols


# The DuckDB type dlt gives each raw column type (tests/test_dbt_unit.py checks it against a real load).
DUCKDB_TYPES = {STR: "VARCHAR", INT: "BIGINT", BOOL: "BOOLEAN", TS: "TIMESTAMP WITH TIME ZONE", JSON: "JSON"}
DLT_SYSTEM_COLUMNS = (("_dlt_load_id", "VARCHAR"), ("_dlt_id", "VARCHAR"))


def create_raw_tables(con) -> None:
    """The `raw` schema as a crawl leaves it, without rows, on a DuckDB connection: for tests and
    benchmarks that write raw rows themselves."""
    con.execute("create schema if not exists raw")
    for table, columns in COLUMNS.items():
        cols = [(name, DUCKDB_TYPES[typ]) for name, typ in columns] + list(DLT_SYSTEM_COLUMNS)
        con.execute(f"create or replace table raw.{table} ({', '.join(f'{n} {t}' for n, t in cols)})")


def to_arrow(table: str, rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=arrow_schema(table))


# -- values -----------------------------------------------------------------------------
class Malformed(ValueError):
    """A record the Hub returned that cannot be loaded (missing key, wrong type)."""


def parse_ts(value: Any) -> datetime | None:
    """'2024-02-19T10:57:45.000Z' -> aware datetime; None stays None; anything else raises Malformed."""
    if value is None:
        return None
    try:
        ts = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise Malformed(f"not an ISO date: {str(value)[:40]!r}") from None
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def _int(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Malformed(f"{name} is not a number: {str(value)[:40]!r}")
    return int(value)


def _text(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise Malformed(f"{name} is not text: {str(value)[:40]!r}")
    return value


def _json_list(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise Malformed(f"{name} is not a list")
    return json.dumps(value, ensure_ascii=False)


def _gated(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- rows from API records ----------------------------------------------------------------
def repo_row(repo_type: str, item: dict, listed_at: datetime) -> dict:
    """A models/datasets/spaces row from one list item (first_listed_at is filled in later)."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
        raise Malformed("list item without an 'id'")
    card = item.get("cardData")
    license_ = card.get("license") if isinstance(card, dict) else None
    row = {
        "repo_id": item["id"],
        "author": _text(item.get("author"), "author"),
        "likes": _int(item.get("likes"), "likes"),
        "trending_score": _int(item.get("trendingScore"), "trendingScore"),
        "tags": _json_list(item.get("tags"), "tags"),
        "created_at": parse_ts(item.get("createdAt")),
        "last_modified": parse_ts(item.get("lastModified")),
        "sha": _text(item.get("sha"), "sha"),
        "gated": _gated(item.get("gated")),
        "card_license": None if license_ is None else json.dumps(license_, ensure_ascii=False),
        "first_listed_at": listed_at,
        "last_listed_at": listed_at,
        "is_listed": True,
    }
    if repo_type in ("model", "dataset"):
        row["downloads"] = _int(item.get("downloads"), "downloads")
        row["downloads_all_time"] = _int(item.get("downloadsAllTime"), "downloadsAllTime")
    if repo_type == "model":
        row["pipeline_tag"] = _text(item.get("pipeline_tag"), "pipeline_tag")
        row["library_name"] = _text(item.get("library_name"), "library_name")
        st = item.get("safetensors")
        row["safetensors_total"] = _int(st.get("total"), "safetensors.total") if isinstance(st, dict) else None
        # Kept as JSON whatever their shape (a string, a list, junk): staging reads the strings.
        for key, column in (("base_model", "card_base_model"), ("base_model_relation", "card_base_model_relation")):
            value = card.get(key) if isinstance(card, dict) else None
            row[column] = None if value is None else json.dumps(value, ensure_ascii=False)
    if repo_type == "space":
        row["sdk"] = _text(item.get("sdk"), "sdk")
    return row


def space_model_rows(item: dict, listed_at: datetime) -> list[dict]:
    """(space, model) pairs from a space's `models` list, first position kept for repeats."""
    models = item.get("models")
    if models is None:
        return []
    if not isinstance(models, list) or not all(isinstance(m, str) for m in models):
        raise Malformed(f"space {item.get('id')}: 'models' is not a list of ids")
    seen: set[str] = set()
    rows = []
    for position, model_id in enumerate(models):
        if model_id not in seen:
            seen.add(model_id)
            rows.append(
                {"space_id": item["id"], "model_id": model_id, "model_position": position, "listed_at": listed_at}
            )
    return rows


def commit_row(repo_type: str, repo_id: str, position: int, item: Any, fetched_at: datetime) -> dict:
    if not isinstance(item, dict):
        raise Malformed("commit item is not an object")
    missing = [k for k in ("id", "title", "date", "authors") if k not in item]
    if missing:
        raise Malformed(f"commit item lacks {', '.join(missing)}")
    authors = item["authors"]
    if not isinstance(authors, list) or not all(
        isinstance(a, dict) and isinstance(a.get("user"), str) for a in authors
    ):
        raise Malformed(f"commit {str(item['id'])[:12]}: authors is not a list of {{'user': ...}}")
    return {
        "repo_type": repo_type,
        "repo_id": repo_id,
        "commit_id": _text(item["id"], "id"),
        "commit_position": position,
        "committed_at": parse_ts(item["date"]),
        "title": _text(item["title"], "title"),
        "authors": json.dumps([a["user"] for a in authors], ensure_ascii=False),
        "fetched_at": fetched_at,
    }


def discussion_row(repo_type: str, repo_id: str, item: Any, fetched_at: datetime) -> dict:
    if not isinstance(item, dict):
        raise Malformed("discussion item is not an object")
    missing = [k for k in ("num", "title", "status", "isPullRequest", "createdAt") if k not in item]
    if missing:
        raise Malformed(f"discussion item lacks {', '.join(missing)}")
    author = item.get("author", {})  # absent for deleted users: the client says 'deleted'
    name = author.get("name", "deleted") if isinstance(author, dict) else None
    if name is None:
        raise Malformed(f"discussion #{item['num']}: author is not an object")
    return {
        "repo_type": repo_type,
        "repo_id": repo_id,
        "num": _int(item["num"], "num"),
        "title": _text(item["title"], "title"),
        "status": _text(item["status"], "status"),
        "is_pull_request": bool(item["isPullRequest"]),
        "author": _text(name, "author.name"),
        "created_at": parse_ts(item["createdAt"]),
        "fetched_at": fetched_at,
    }


# -- the dlt source -------------------------------------------------------------------------
def _resource(table: str, data: pa.Table | Iterable[pa.Table] | None, write_disposition: str):
    def rows():
        if isinstance(data, pa.Table):
            yield data
        elif data is not None:
            yield from data

    return dlt.resource(
        rows,
        name=table,
        table_name=table,
        primary_key=PRIMARY_KEYS[table],
        write_disposition=write_disposition,
        columns=dlt_columns(table),
    )()


@dlt.source(name="hf_hub", max_table_nesting=0)
def hf_hub(
    batch: dict[str, list[dict] | pa.Table | Iterable[pa.Table]] | None = None,
    *,
    create_all: bool = False,
    write_disposition: str = "merge",
) -> Iterable:
    """The Hub's resources for one load: `batch` maps a table name to its rows (dicts, an Arrow
    table, or an iterator of Arrow tables, which streams). Tables absent from the batch load
    nothing, unless `create_all`, which loads an empty table for each so that every raw table
    exists with its columns after any crawl. `write_disposition` other than merge is for a
    snapshot load (hubwh/snapshot/load.py), which guarantees unique keys itself."""
    batch = batch or {}
    for table in TABLES:
        rows = batch.get(table)
        if rows is None or (isinstance(rows, list) and not rows):
            data = arrow_schema(table).empty_table() if create_all else None
        elif isinstance(rows, list):
            data = to_arrow(table, rows)
        else:
            data = rows
        yield _resource(table, data, write_disposition)
