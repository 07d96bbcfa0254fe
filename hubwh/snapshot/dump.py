"""`hubwh snapshot dump --out DIR`: the warehouse's raw schema written as a snapshot.

Each raw row goes back to the API field it came from (the inverse of extract/hf_hub.py's row
functions), so that `hubwh snapshot load` of the dump gives the same raw rows again (volatile
columns aside). What raw does not keep cannot come back; docs/snapshot-format.md lists it.
The dump streams: DuckDB reads raw in Arrow batches (commits and discussions grouped per repo),
and the records go out through `SnapshotWriter` one by one.

Which rows: repos still listed (`is_listed`), a space's models of its latest listing, and the
commits and discussions of each repo's latest successful fetch (the warehouse's own rule,
macros/latest_fetch_rows.sql). A repo whose latest fetch was `gated` gets the `gated`
outcome, one that was `not_found` the `deleted` outcome (a 404 either way).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from hubwh.errors import HubwhError
from hubwh.snapshot.format import REPO_TYPES, SnapshotWriter

BATCH = 10_000
_TABLE = {"model": "models", "dataset": "datasets", "space": "spaces"}
# The Hub's date format (milliseconds, Z).
_ISO = "'%Y-%m-%dT%H:%M:%S.%gZ'"


def _ts(column: str) -> str:
    return f"strftime(timezone('UTC', {column}), {_ISO})"


def _repo_sql(repo_type: str) -> str:
    table = _TABLE[repo_type]
    cols = [
        "r.repo_id AS id",
        "r.author",
        "r.likes",
        "r.trending_score",
        "r.tags",
        f"{_ts('r.created_at')} AS created_at",
        f"{_ts('r.last_modified')} AS last_modified",
        "r.sha",
        "r.gated",
        "r.card_license",
    ]
    if repo_type != "space":
        cols += ["r.downloads", "r.downloads_all_time"]
    if repo_type == "model":
        cols += ["r.pipeline_tag", "r.library_name", "r.safetensors_total"]
        cols += ["r.card_base_model", "r.card_base_model_relation"]
    joins = ""
    if repo_type == "space":
        cols += ["r.sdk", "m.models"]
        joins = """LEFT JOIN (
            SELECT sm.space_id, list(struct_pack(pos := sm.model_position, id := sm.model_id)
                ORDER BY sm.model_position) AS models
            FROM raw.space_models AS sm JOIN raw.spaces AS s ON sm.space_id = s.repo_id
            WHERE sm.listed_at >= s.last_listed_at GROUP BY ALL
        ) AS m ON m.space_id = r.repo_id"""
    return f"SELECT {', '.join(cols)} FROM raw.{table} AS r {joins} WHERE coalesce(r.is_listed, true)"


def _gated(value: str | None):
    return {"false": False, "true": True}.get(value, value)


def _repo_record(repo_type: str, row: dict) -> dict:
    """The API list item a raw repo row came from, as far as raw keeps it."""
    record: dict = {"id": row["id"]}
    simple = [("author", "author"), ("likes", "likes")]
    if repo_type != "space":
        simple += [("downloads", "downloads"), ("downloadsAllTime", "downloads_all_time")]
    simple += [("trendingScore", "trending_score")]
    if repo_type == "model":
        simple += [("pipeline_tag", "pipeline_tag"), ("library_name", "library_name")]
    simple += [("createdAt", "created_at"), ("lastModified", "last_modified"), ("sha", "sha")]
    if repo_type == "space":
        simple += [("sdk", "sdk")]
    for key, column in simple:
        if row[column] is not None:
            record[key] = row[column]
    if row["tags"] is not None:
        record["tags"] = json.loads(row["tags"])
    if row["gated"] is not None:
        record["gated"] = _gated(row["gated"])
    # the card fields raw keeps (docs/snapshot-format.md): license, and for models the lineage ones
    card_fields = [("license", "card_license")]
    if repo_type == "model":
        card_fields += [("base_model", "card_base_model"), ("base_model_relation", "card_base_model_relation")]
    card = {key: json.loads(row[column]) for key, column in card_fields if row[column] is not None}
    if card:
        record["cardData"] = card
    if repo_type == "model" and row["safetensors_total"] is not None:
        record["safetensors"] = {"total": row["safetensors_total"]}
    if repo_type == "space" and row["models"]:
        record["models"] = _positioned(row["models"], lambda m: m["id"], lambda first: first)
    return record


def _positioned(items: list[dict], value, filler) -> list:
    """Items at their positions; a gap (a repeat the row functions dropped) is filled with a
    repeat of the item before, which loading drops again, so positions survive."""
    out: list = []
    for item in items:
        while len(out) < item["pos"]:
            out.append(filler(out[-1]) if out else value(item))
        out.append(value(item))
    return out


def _latest_sql(resource: str, fields: str, order: str) -> str:
    return f"""
    WITH f AS (
        SELECT repo_type, repo_id, last_ok_at FROM raw.fetch_log WHERE resource = '{resource}'
    ), r AS (
        SELECT x.*, coalesce(f.last_ok_at, max(x.fetched_at) OVER (PARTITION BY x.repo_type, x.repo_id)) AS latest
        FROM raw.{resource} AS x LEFT JOIN f USING (repo_type, repo_id)
    )
    SELECT repo_type, repo_id, list({fields} ORDER BY {order}) AS items
    FROM r WHERE fetched_at = latest GROUP BY ALL"""


_COMMITS_SQL = _latest_sql(
    "commits",
    f"struct_pack(pos := commit_position, id := commit_id, title := title, authors := authors, "
    f"date := {_ts('committed_at')})",
    "commit_position",
)
_DISCUSSIONS_SQL = _latest_sql(
    "discussions",
    f"struct_pack(num := num, title := title, status := status, isPullRequest := is_pull_request, "
    f"author := author, createdAt := {_ts('created_at')})",
    "num DESC",
)
_OUTCOMES_SQL = """
    SELECT repo_type, repo_id,
        CASE WHEN bool_or(status = 'gated') THEN 'gated' ELSE 'deleted' END AS outcome
    FROM raw.fetch_log WHERE status IN ('gated', 'not_found') GROUP BY ALL ORDER BY ALL"""


def _commit(item: dict) -> dict:
    return {
        "id": item["id"],
        "title": item["title"],
        "authors": [{"user": u} for u in json.loads(item["authors"] or "[]")],
        "date": item["date"],
    }


def _discussion(item: dict) -> dict:
    out = {"num": item["num"], "title": item["title"], "status": item["status"]}
    if item["author"] != "deleted":  # the row functions' name for an absent author
        out["author"] = {"name": item["author"]}
    out["isPullRequest"] = item["isPullRequest"]
    out["createdAt"] = item["createdAt"]
    return out


def _stream(con, sql: str):
    # A cursor of its own: the connection stays free for other queries while this streams.
    cursor = con.cursor()
    try:
        # fetch_arrow_reader: what DuckDB 1.4 and 2.x both have (2.x alone has to_arrow_reader)
        for batch in cursor.sql(sql).fetch_arrow_reader(BATCH):
            yield from batch.to_pylist()
    finally:
        cursor.close()


def dump_snapshot(db_path: str | Path, out: str | Path, *, progress: bool = True) -> dict[str, int]:
    """Write the raw schema of `db_path` as a snapshot in `out`; returns the record counts."""
    from extract.progress import CrawlProgress
    from hubwh import lake
    from hubwh.duckdb_settings import connect

    db = Path(db_path)
    if not db.is_file() and not lake.is_lake(db):
        raise HubwhError(f"no warehouse at {db}")
    con = connect(db, read_only=True)  # the file, or the lake
    bars = CrawlProgress(progress)
    try:
        have = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'"
            ).fetchall()
        }
        missing = [
            t for t in (*_TABLE.values(), "space_models", "commits", "discussions", "fetch_log") if t not in have
        ]
        if missing:
            raise HubwhError(f"{db} has no raw.{missing[0]}: crawl or load into it first")
        run = None
        if "crawl_runs" in have:
            run = con.execute(
                "SELECT finished_at, endpoint, scope FROM raw.crawl_runs WHERE finished_at IS NOT NULL "
                "ORDER BY finished_at DESC LIMIT 1"
            ).fetchone()
        created_at = (run[0] if run else datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        params = {"db": str(db), "endpoint": run[1] if run else None, "scope": json.loads(run[2]) if run else None}
        with SnapshotWriter(out, source="warehouse", created_at=created_at, params=params) as writer:
            for repo_type in REPO_TYPES:
                total = con.execute(f"SELECT count(*) FROM raw.{_TABLE[repo_type]}").fetchone()[0]
                bar = bars.stage(f"dump {_TABLE[repo_type]}", total)
                for i, row in enumerate(_stream(con, _repo_sql(repo_type)), 1):
                    writer.add_repo(repo_type, _repo_record(repo_type, row))
                    if i % BATCH == 0:
                        bars.advance(bar, BATCH)
                bars.finish(bar)
            for resource, sql, item in (
                ("commits", _COMMITS_SQL, _commit),
                ("discussions", _DISCUSSIONS_SQL, _discussion),
            ):
                bar = bars.stage(f"dump {resource}", None)
                for i, row in enumerate(_stream(con, sql), 1):
                    if resource == "commits":
                        items = _positioned(row["items"], _commit, dict)
                        writer.add_commits(row["repo_type"], row["repo_id"], items)
                    else:
                        writer.add_discussions(row["repo_type"], row["repo_id"], [item(d) for d in row["items"]])
                    if i % 1000 == 0:
                        bars.advance(bar, 1000)
                bars.finish(bar)
            for row in _stream(con, _OUTCOMES_SQL):
                writer.add_outcome(row["repo_type"], row["repo_id"], row["outcome"])
        return dict(writer.manifest["counts"])
    finally:
        bars.close()
        con.close()
