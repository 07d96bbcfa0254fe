"""Over time page (docs/methods.md §10): monthly repos created per type, active and new developers,
churn, the collaboration network quarter by quarter, and — once two refreshes are recorded —
the biggest gainers and the changes between refreshes. Laid out by templates/over-time.html."""

from __future__ import annotations

import plotly.graph_objects as go

from hubwh.report import charts
from hubwh.report.data import REPO_TYPES, Warehouse
from hubwh.report.layout import Card, Chart, Kpi, Note, Table, fmt_num, fmt_share

TITLE = "Over time"
FILE = "over-time.html"
MONTHLY = ("month", "repo_type", "n_repos_created", "n_active_developers", "n_new_developers", "n_churned_developers")
TIMELINE = ("quarter_end", "developers", "isolate_share", "reciprocity", "max_core_nodes", "edges")
GAINERS = ("measure", "repo_type", "rank", "repo_id", "gain", "value_before", "value_now")
DASH = {"model": "solid", "dataset": "dash", "space": "dot"}


def build(wh: Warehouse) -> dict:
    monthly = wh.mart("activity_monthly", columns=MONTHLY, order="repo_type, month")
    timeline = wh.mart("collab_timeline", columns=TIMELINE, order="quarter_end")
    return {
        "headline": headline(wh, monthly, timeline),
        "created": created_chart(monthly),
        "developers": developers_chart(monthly),
        "churn": churn_chart(monthly),
        "network_shares": network_shares_chart(timeline),
        "network_sizes": network_sizes_chart(timeline),
        "gainers": gainers(wh),
        "changes": changes(wh),
    }


def n_refreshes(wh: Warehouse) -> int:
    """Distinct builds that recorded a version in history (a first build records every repo)."""
    if not wh.has("repo_activity_history", schema="history", columns=("dbt_valid_from",)):
        return 0
    return int(wh.scalar("select count(distinct dbt_valid_from) from history.repo_activity_history") or 0)


def _log_y(fig: go.Figure, values) -> None:
    """A log y axis when the positive counts span two decades or more (zeros leave gaps)."""
    positive = [float(v) for v in values if v and v > 0]
    if positive and max(positive) / min(positive) >= 100:
        charts.log_axes(fig, x=False)


def headline(wh: Warehouse, monthly, timeline) -> list[Card] | Note:
    if monthly is None:
        return Note("marts.activity_monthly")
    models = monthly[monthly.repo_type == "model"]
    last = models.iloc[-1] if len(models) else monthly.iloc[-1]
    month = str(last.month)[:7]
    cards = [
        Card(
            Kpi("time.n_months", fmt_num(monthly.month.nunique())), f"months, {str(monthly.month.min())[:7]} to {month}"
        ),
        Card(
            Kpi("time.last.n_active_developers", fmt_num(last.n_active_developers)),
            f"active {last.repo_type} developers in {month}",
        ),
        Card(
            Kpi("time.last.n_new_developers", fmt_num(last.n_new_developers)),
            f"new {last.repo_type} developers in {month}",
        ),
        Card(
            Kpi("time.last.n_repos_created", fmt_num(last.n_repos_created)),
            f"{last.repo_type} repos created in {month}",
        ),
    ]
    if timeline is not None:
        q = timeline.iloc[-1]
        cards.append(
            Card(
                Kpi("time.last_quarter.isolate_share", fmt_share(q.isolate_share)),
                f"isolates at {str(q.quarter_end)[:10]} (collaboration network)",
                href="#network",
            )
        )
        cards.append(
            Card(Kpi("time.last_quarter.max_core_nodes", fmt_num(q.max_core_nodes)), "developers in the maximal core")
        )
    return cards


def _month_lines(fig: go.Figure, monthly, column: str, name: str, types=REPO_TYPES, dash=None) -> list:
    values = []
    for rt in types:
        sub = monthly[monthly.repo_type == rt]
        if sub.empty:
            continue
        y = [v if v > 0 else None for v in sub[column]]
        values += list(sub[column])
        fig.add_trace(
            go.Scatter(
                x=sub.month,
                y=y,
                mode="lines",
                name=f"{rt}s · {name}" if name else f"{rt}s",
                line=dict(color=charts.COLORS[rt], width=1.8, dash=dash or DASH.get(rt, "solid")),
                hovertemplate=f"{rt}s %{{x|%Y-%m}}: %{{y:,}} {name}<extra></extra>",
            )
        )
    return values


def created_chart(monthly) -> Chart | Note:
    if monthly is None:
        return Note("marts.activity_monthly")
    fig = go.Figure()
    values = _month_lines(fig, monthly, "n_repos_created", "", dash="solid")
    _log_y(fig, values)
    fig.update_yaxes(title_text="repos created")
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return charts.figure_html(fig, "time-created", height=380)


def developers_chart(monthly) -> Chart | Note:
    if monthly is None:
        return Note("marts.activity_monthly")
    fig = go.Figure()
    values = []
    for column, name, dash in (("n_active_developers", "active", "solid"), ("n_new_developers", "new", "dot")):
        values += _month_lines(fig, monthly, column, name, dash=dash)
    _log_y(fig, values)
    fig.update_yaxes(title_text="developers (commit authors)")
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return charts.figure_html(fig, "time-developers", height=420)


def churn_chart(monthly) -> Chart | Note:
    """Churned developers per month as a share of the previous month's active ones."""
    if monthly is None:
        return Note("marts.activity_monthly")
    fig = go.Figure()
    for rt in REPO_TYPES:
        sub = monthly[monthly.repo_type == rt]
        if sub.empty:
            continue
        previous = sub.n_active_developers.shift(1)
        rate = [c / p if p and p > 0 else None for c, p in zip(sub.n_churned_developers, previous)]
        fig.add_trace(
            go.Scatter(
                x=sub.month,
                y=rate,
                mode="lines",
                name=f"{rt}s",
                customdata=sub.n_churned_developers,
                line=dict(color=charts.COLORS[rt], width=1.8),
                hovertemplate=f"{rt}s %{{x|%Y-%m}}: %{{y:.1%}} churned (%{{customdata:,}})<extra></extra>",
            )
        )
    fig.update_yaxes(title_text="churned / previous month's active", tickformat=".0%", rangemode="tozero")
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return charts.figure_html(fig, "time-churn", height=380)


def network_shares_chart(timeline) -> Chart | Note:
    if timeline is None:
        return Note("marts.collab_timeline")
    fig = go.Figure()
    for column, name, color in (
        ("isolate_share", "isolate share", charts.COLORS["all"]),
        ("reciprocity", "reciprocity", charts.COLORS["nlp"]),
        ("degree_gini", "degree Gini", charts.COLORS["cv"]),
    ):
        if column in timeline:
            fig.add_trace(
                go.Scatter(
                    x=timeline.quarter_end,
                    y=timeline[column],
                    mode="lines+markers",
                    name=name,
                    line=dict(color=color, width=1.8),
                    marker=dict(size=5),
                    hovertemplate=f"%{{x}}: {name} %{{y:.3f}}<extra></extra>",
                )
            )
    fig.update_yaxes(title_text="share", range=[0, 1.02])
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return charts.figure_html(fig, "time-network-shares", height=380)


def network_sizes_chart(timeline) -> Chart | Note:
    if timeline is None:
        return Note("marts.collab_timeline")
    fig = go.Figure()
    values = []
    for column, name, color in (
        ("developers", "developers", charts.COLORS["all"]),
        ("non_isolates", "non-isolates", charts.COLORS["model"]),
        ("edges", "edges", charts.COLORS["dataset"]),
        ("max_core_nodes", "maximal core size", charts.COLORS["mm"]),
    ):
        if column in timeline:
            values += list(timeline[column])
            fig.add_trace(
                go.Scatter(
                    x=timeline.quarter_end,
                    y=[v if v > 0 else None for v in timeline[column]],
                    mode="lines+markers",
                    name=name,
                    line=dict(color=color, width=1.8),
                    marker=dict(size=5),
                    hovertemplate=f"%{{x}}: %{{y:,}} {name}<extra></extra>",
                )
            )
    _log_y(fig, values)
    fig.update_yaxes(title_text="count")
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return charts.figure_html(fig, "time-network-sizes", height=400)


ONE_REFRESH = "Shown once history holds two or more refreshes (crawl again, then build): this warehouse has {n}."


def gainers(wh: Warehouse) -> Table | Note | str:
    """The gainers table; a Note when the mart is missing; a sentence (str) before a second refresh."""
    n = n_refreshes(wh)
    if n < 2 and wh.has("activity_gainers"):
        return ONE_REFRESH.format(n=n)
    if n < 2:
        return Note("marts.activity_gainers")
    df = wh.mart("activity_gainers", columns=GAINERS, order="measure, repo_type, rank")
    if df is None:
        return Note("Biggest gainers", "no repo gained likes or committers in the window")
    rows = []
    for r in df.itertuples():
        gain = fmt_num(r.gain)
        if r.rank == 1:
            gain = Kpi(f"time.gainer.{r.measure}.{r.repo_type}", gain)
        rows.append(
            [r.measure, r.repo_type, fmt_num(r.rank), r.repo_id, gain, fmt_num(r.value_before), fmt_num(r.value_now)]
        )
    return Table(["measure", "repo type", "rank", "repo", "gain", "before", "now"], rows, left=4)


def changes(wh: Warehouse) -> Table | Note | str:
    cols = ("repo_type", "d_likes", "d_commits", "has_decrease")
    if not wh.has("activity_changes", columns=cols):
        return Note("marts.activity_changes")
    n = n_refreshes(wh)
    if n < 2:
        return ONE_REFRESH.format(n=n)
    df = wh.df(
        "select repo_type, count(*) as n, count(*) filter (where has_decrease) as n_decrease, "
        "coalesce(sum(d_likes), 0) as likes, coalesce(sum(d_commits), 0) as commits, "
        + (
            "count(*) filter (where d_downloads_all_time < 0) as n_all_time_down "
            if wh.has("activity_changes", columns=("d_downloads_all_time",))
            else "0 as n_all_time_down "
        )
        + "from marts.activity_changes group by repo_type"
    )
    order = {rt: i for i, rt in enumerate(REPO_TYPES)}
    df = df.sort_values("repo_type", key=lambda s: s.map(order))
    rows = [
        [
            r.repo_type,
            Kpi(f"time.changes.{r.repo_type}", fmt_num(r.n)),
            fmt_num(r.likes),
            fmt_num(r.commits),
            fmt_num(r.n_decrease),
            fmt_num(r.n_all_time_down),
        ]
        for r in df.itertuples()
    ]
    return Table(
        [
            "repo type",
            "changed versions",
            "likes gained",
            "commits added",
            "with a decrease",
            "all-time downloads down",
        ],
        rows,
    )
