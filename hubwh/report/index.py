"""The report's first page: the snapshot (when, scope, row counts) and a few
headline numbers linking to the pages that explain them (templates/index.html)."""

from __future__ import annotations

from hubwh.report.data import REPO_TYPES, Warehouse
from hubwh.report.layout import Card, Kpi, Table, fmt_num, fmt_share
from hubwh.report.snapshot import SnapshotInfo

TITLE = "Snapshot"


def build(wh: Warehouse, info: SnapshotInfo) -> dict:
    """The values templates/index.html lays out."""
    return {"snapshot": snapshot_table(info), "headlines": headlines(wh), **counts(info)}


def snapshot_table(info: SnapshotInfo) -> Table:
    rows = [
        ["taken at", info.taken_at or "unknown", info.taken_from],
        ["scope", info.scope_text, f"{info.n_runs} crawl run(s) recorded"],
        ["endpoint", info.endpoint or "unknown", "(never a token)"],
    ]
    return Table(["", "value", "from"], rows, left=3)


def headlines(wh: Warehouse) -> list[Card]:
    """The headline cards (none when no mart is built)."""
    items = []
    if wh.has("activity_summary", columns=("repo_type", "activity", "zero_share")):
        z = wh.df("select repo_type, zero_share from marts.activity_summary where activity in ('n_likes', 'likes')")
        for rt in REPO_TYPES:
            hit = z[z.repo_type == rt]
            if len(hit):
                items.append(
                    Card(
                        Kpi(f"zero_share.{rt}.n_likes", fmt_share(hit.zero_share.iloc[0])),
                        f"of {rt} repos have 0 likes",
                        href="activity.html#tables-2-4",
                    )
                )
    if wh.has("activity_pareto", columns=("repo_type", "activity", "threshold", "repo_share")):
        v = wh.scalar(
            "select repo_share from marts.activity_pareto where repo_type = 'model' "
            "and activity in ('n_likes', 'likes') and abs(threshold - 0.8) < 1e-9"
        )
        if v is not None:
            items.append(
                Card(
                    Kpi("pareto.model.n_likes.0.8", fmt_share(v)),
                    "of model repos hold 80 % of all likes",
                    href="activity.html#pareto",
                )
            )
    if wh.has("repo_activity", columns=("repo_type", "license")):
        v = wh.scalar(
            "select avg(case when license is null then 1.0 else 0.0 end) from marts.repo_activity "
            "where repo_type = 'model'"
        )
        if v is not None:
            items.append(
                Card(
                    Kpi("no_license_share.model", fmt_share(v)),
                    "of model repos have no license",
                    href="activity.html#licenses",
                )
            )
    if wh.has("collab_summary", columns=("network", "isolate_share")):
        v = wh.scalar("select isolate_share from marts.collab_summary where network = 'all'")
        if v is not None:
            items.append(
                Card(
                    Kpi("isolate_share.all", fmt_share(v)),
                    "of developers never collaborate (isolates)",
                    href="collaboration.html#isolates",
                )
            )
    if wh.has("collab_kcore", columns=("network", "k", "nodes")):
        r = wh.df("select k, nodes from marts.collab_kcore where network = 'all' order by k desc limit 1")
        if len(r):
            items.append(
                Card(
                    fmt_num(r.k.iloc[0]),
                    f"maximal k-core of the collaboration network ({fmt_num(r.nodes.iloc[0])} developers)",
                    href="collaboration.html#tables-6-9",
                )
            )
    if wh.has("model_adoption", columns=("subfield", "model_id", "n_spaces")):
        top = wh.df(
            "select model_id, n_spaces from marts.model_adoption where subfield = 'all' and n_spaces > 0 "
            "order by n_spaces desc, model_id limit 1"
        )
        if len(top):
            items.append(
                Card(
                    Kpi("top_model.n_spaces", fmt_num(top.n_spaces.iloc[0])),
                    f"spaces use the most used model, {top.model_id.iloc[0]}",
                    href="adoption.html#most-used",
                )
            )
    return items


def counts(info: SnapshotInfo) -> dict[str, Table]:
    raw = [[f"raw.{t}", "not loaded" if n is None else fmt_num(n)] for t, n in info.raw_counts.items()]
    marts = [[f"marts.{t}", "not built" if n is None else fmt_num(n)] for t, n in info.mart_counts.items()]
    return {
        "raw_counts": Table(["raw table", "rows"], raw, caption="Loaded by the crawler"),
        "mart_counts": Table(["public mart", "rows"], marts, caption="Built by dbt (docs/methods.md §8)"),
    }
