"""The report's first page: the snapshot (when, scope, row counts) and a few
headline numbers linking to the pages that explain them."""

from __future__ import annotations

from hubwh.report.data import REPO_TYPES, Warehouse
from hubwh.report.layout import card, cards, fmt_num, fmt_share, kpi, not_computed, section, table
from hubwh.report.snapshot import SnapshotInfo

TITLE = "Snapshot"


def build(wh: Warehouse, info: SnapshotInfo) -> str:
    return "".join([snapshot_section(info), headlines(wh), counts(info)])


def snapshot_section(info: SnapshotInfo) -> str:
    rows = [
        ["taken at", info.taken_at or "unknown", info.taken_from],
        ["scope", info.scope_text, f"{info.n_runs} crawl run(s) recorded"],
        ["endpoint", info.endpoint or "unknown", "(never a token)"],
    ]
    lead = (
        "This report reproduces the figures and tables of Osborne, Ding &amp; Kirk (2024), <i>The AI Community "
        "Building the Future? A Quantitative Analysis of Development Activity on Hugging Face Hub</i>, on the "
        "snapshot in this warehouse."
    )
    return section("snapshot", "The snapshot", lead, table(["", "value", "from"], rows, left=3))


def headlines(wh: Warehouse) -> str:
    items = []
    if wh.has("activity_summary", columns=("repo_type", "activity", "zero_share")):
        z = wh.df("select repo_type, zero_share from marts.activity_summary where activity in ('n_likes', 'likes')")
        for rt in REPO_TYPES:
            hit = z[z.repo_type == rt]
            if len(hit):
                items.append(
                    card(
                        f'<a href="activity.html#tables-2-4">{kpi(f"zero_share.{rt}.n_likes", fmt_share(hit.zero_share.iloc[0]))}</a>',  # noqa: E501 (moves into a template)
                        f"of {rt} repos have 0 likes",
                    )
                )
    if wh.has("activity_pareto", columns=("repo_type", "activity", "threshold", "repo_share")):
        v = wh.scalar(
            "select repo_share from marts.activity_pareto where repo_type = 'model' "
            "and activity in ('n_likes', 'likes') and abs(threshold - 0.8) < 1e-9"
        )
        if v is not None:
            items.append(
                card(
                    f'<a href="activity.html#pareto">{kpi("pareto.model.n_likes.0.8", fmt_share(v))}</a>',
                    "of model repos hold 80 % of all likes",
                )
            )
    if wh.has("repo_activity", columns=("repo_type", "license")):
        v = wh.scalar(
            "select avg(case when license is null then 1.0 else 0.0 end) from marts.repo_activity "
            "where repo_type = 'model'"
        )
        if v is not None:
            items.append(
                card(
                    f'<a href="activity.html#licenses">{kpi("no_license_share.model", fmt_share(v))}</a>',
                    "of model repos have no license",
                )
            )
    if wh.has("collab_summary", columns=("network", "isolate_share")):
        v = wh.scalar("select isolate_share from marts.collab_summary where network = 'all'")
        if v is not None:
            items.append(
                card(
                    f'<a href="collaboration.html#isolates">{kpi("isolate_share.all", fmt_share(v))}</a>',
                    "of developers never collaborate (isolates)",
                )
            )
    if wh.has("collab_kcore", columns=("network", "k", "nodes")):
        r = wh.df("select k, nodes from marts.collab_kcore where network = 'all' order by k desc limit 1")
        if len(r):
            items.append(
                card(
                    f'<a href="collaboration.html#tables-6-9">{fmt_num(r.k.iloc[0])}</a>',
                    f"maximal k-core of the collaboration network ({fmt_num(r.nodes.iloc[0])} developers)",
                )
            )
    if wh.has("model_adoption", columns=("subfield", "model_id", "n_spaces")):
        top = wh.df(
            "select model_id, n_spaces from marts.model_adoption where subfield = 'all' and n_spaces > 0 "
            "order by n_spaces desc, model_id limit 1"
        )
        if len(top):
            items.append(
                card(
                    f'<a href="adoption.html#most-used">{kpi("top_model.n_spaces", fmt_num(top.n_spaces.iloc[0]))}</a>',
                    f"spaces use the most used model, {top.model_id.iloc[0]}",
                )
            )
    body = cards(items) if items else not_computed("Headline findings", "no marts built yet: run `hubwh build`")
    return section("headlines", "Headline findings", "", body)


def counts(info: SnapshotInfo) -> str:
    raw = [[f"raw.{t}", "not loaded" if n is None else fmt_num(n)] for t, n in info.raw_counts.items()]
    marts = [[f"marts.{t}", "not built" if n is None else fmt_num(n)] for t, n in info.mart_counts.items()]
    body = (
        '<div class="grid2">'
        + table(["raw table", "rows"], raw, caption="Loaded by the crawler")
        + table(["public mart", "rows"], marts, caption="Built by dbt (docs/methods.md §8)")
        + "</div>"
    )
    return section("row-counts", "Row counts", "", body)
