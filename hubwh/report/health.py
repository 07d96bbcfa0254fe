"""Health page (docs/methods.md §11, §12): how many repos depend on one person (contributor
absence factor), the onion of core, regular and casual developers by repo type, journeys
from a discussion to a commit, the elephant factor by organisation, and activity by model size
class. Laid out by templates/health.html."""

from __future__ import annotations

import plotly.graph_objects as go

from hubwh.report import charts
from hubwh.report.data import REPO_TYPES, Warehouse
from hubwh.report.layout import Card, Kpi, Note, Table, fmt_num, fmt_p, fmt_share, label

TITLE = "Health"
ROLES = ("core", "regular", "casual", "discussion_only")
ROLE_COLORS = {"core": "#2f6fb3", "regular": "#3a9b5c", "casual": "#d9822b", "discussion_only": "#9aa3ad"}
ABSENCE_BINS = ("1", "2", "3", "4+")
SIZE_CLASSES = ("<100M", "100M-1B", "1B-10B", "10B-100B", ">=100B", "unknown")
BOX_ACTIVITIES = ("n_committers", "n_discussions", "n_likes", "n_downloads")
HEALTH_COLUMNS = ("repo_type", "n_committers", "absence_factor", "n_core", "n_regular", "n_casual")


def build(wh: Warehouse) -> dict:
    """The values templates/health.html lays out, one per section."""
    return {
        "headline": headline(wh),
        "absence": absence(wh),
        "onion": onion(wh),
        "journeys": journeys(wh),
        "elephant": elephant(wh),
        "sizes": size_boxes(wh),
        "size_table": size_table(wh),
        "size_tests": size_tests(wh),
    }


def has_health(wh: Warehouse) -> bool:
    """repo_health was built and holds a repo."""
    return wh.has("repo_health", columns=HEALTH_COLUMNS) and bool(wh.scalar("select count(*) from marts.repo_health"))


def one_person_shares(wh: Warehouse):
    """Per repo type: multi-developer repos (>= 2 committers) and the share of them whose
    absence factor is 1 (one developer holds half the credited commits)."""
    return wh.df(
        "select repo_type, count(*) as n_multi, avg(cast(absence_factor = 1 as double)) as share_one "
        "from marts.repo_health where n_committers >= 2 group by repo_type"
    ).set_index("repo_type")


def headline(wh: Warehouse) -> list[Card] | Note:
    if not has_health(wh):
        return Note("marts.repo_health")
    shares = one_person_shares(wh)
    cards = [
        Card(
            Kpi(f"health.one_person_share.{rt}", fmt_share(shares.share_one[rt])),
            f"of {fmt_num(shares.n_multi[rt])} multi-developer {rt} repos depend on one person (absence factor 1)",
            href="#absence-factor",
        )
        for rt in REPO_TYPES
        if rt in shares.index
    ]
    n_journeys = wh.scalar("select sum(n_discussion_to_commit) from marts.repo_health")
    if n_journeys is not None:
        cards.append(
            Card(
                Kpi("health.journeys.all", fmt_num(n_journeys)),
                "developers who opened a discussion first and later committed",
                href="#journeys",
            )
        )
    if wh.has("elephant_factor", columns=("repo_type", "activity", "elephant_factor")):
        ef = wh.scalar(
            "select elephant_factor from marts.elephant_factor where repo_type = 'model' and activity = 'n_downloads'"
        )
        if ef is not None:
            cards.append(
                Card(
                    Kpi("health.elephant.model.n_downloads.headline", fmt_num(ef)),
                    "organisations hold half of all model downloads (elephant factor)",
                    href="#elephant-factor",
                )
            )
    return cards


def absence(wh: Warehouse) -> dict | Note:
    """Distribution of the absence factor over repos with a credited commit, per repo type."""
    if not has_health(wh):
        return Note("marts.repo_health")
    df = wh.df(
        "select repo_type, case when absence_factor >= 4 then '4+' else cast(absence_factor as varchar) end as bin, "
        "count(*) as n from marts.repo_health where absence_factor is not null group by all"
    )
    if df.empty:
        return Note("Absence factor", "no repo has a credited commit")
    fig = go.Figure()
    totals = df.groupby("repo_type").n.sum()
    for rt in REPO_TYPES:
        sub = df[df.repo_type == rt].set_index("bin").n
        if sub.empty:
            continue
        fig.add_trace(
            go.Bar(
                x=list(ABSENCE_BINS),
                y=[sub.get(b, 0) / totals[rt] for b in ABSENCE_BINS],
                name=rt,
                marker_color=charts.COLORS[rt],
                customdata=[int(sub.get(b, 0)) for b in ABSENCE_BINS],
                hovertemplate=f"{rt}: absence factor %{{x}}, %{{customdata:,}} repos (%{{y:.1%}})<extra></extra>",
            )
        )
    fig.update_layout(barmode="group", legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    fig.update_xaxes(title_text="absence factor (developers holding half the credited commits)", type="category")
    fig.update_yaxes(title_text="share of repos", tickformat=".0%", rangemode="tozero")
    shares = one_person_shares(wh)
    rows = []
    for rt in REPO_TYPES:
        if rt not in totals.index:
            continue
        multi = rt in shares.index
        rows.append(
            [
                rt,
                fmt_num(int(totals[rt])),
                fmt_num(shares.n_multi[rt]) if multi else "0",
                Kpi(f"health.one_person_share.{rt}.table", fmt_share(shares.share_one[rt])) if multi else "",
            ]
        )
    table = Table(["repo type", "repos with commits", "multi-developer", "of those, absence factor 1"], rows)
    return {"chart": charts.figure_html(fig, "health-absence", height=380), "table": table}


def onion_counts(wh: Warehouse):
    return wh.df(
        "select repo_type, sum(n_core) as core, sum(n_regular) as regular, sum(n_casual) as casual, "
        "sum(n_discussion_only) as discussion_only from marts.repo_health group by repo_type"
    ).set_index("repo_type")


def onion(wh: Warehouse) -> dict | Note:
    """Shares of developer-repo pairs by role, per repo type (discussion-only starters beside)."""
    if not has_health(wh):
        return Note("marts.repo_health")
    df = onion_counts(wh).fillna(0)
    fig = go.Figure()
    present = [rt for rt in REPO_TYPES if rt in df.index]
    totals = {rt: float(df.loc[rt, list(ROLES)].sum()) for rt in present}
    for role in ROLES:
        fig.add_trace(
            go.Bar(
                y=present,
                x=[df.loc[rt, role] / totals[rt] if totals[rt] else 0 for rt in present],
                orientation="h",
                name=role.replace("_", "-"),
                marker_color=ROLE_COLORS[role],
                customdata=[int(df.loc[rt, role]) for rt in present],
                hovertemplate=f"%{{y}} · {role}: %{{customdata:,}} (%{{x:.1%}})<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    fig.update_xaxes(title_text="share of developers per repo (summed over repos)", tickformat=".0%")
    rows = [
        [rt]
        + [
            Kpi(f"health.onion.{rt}.{role}", fmt_share(df.loc[rt, role] / totals[rt] if totals[rt] else None))
            for role in ROLES
        ]
        + [fmt_num(int(totals[rt]))]
        for rt in present
    ]
    table = Table(["repo type", "core", "regular", "casual", "discussion only", "developer-repo pairs"], rows)
    return {"chart": charts.figure_html(fig, "health-onion", height=300), "table": table}


def journeys(wh: Warehouse) -> Table | Note:
    if not has_health(wh):
        return Note("marts.repo_health")
    df = wh.df(
        "select repo_type, sum(n_discussion_to_commit) as j, sum(n_pr_to_commit) as pr, "
        "count(*) filter (where n_discussion_to_commit > 0) as repos, "
        "median(median_days_discussion_to_commit) as days from marts.repo_health "
        "where n_discussion_to_commit is not null group by repo_type"
    ).set_index("repo_type")
    rows = []
    for rt in REPO_TYPES:
        if rt not in df.index:
            continue
        r = df.loc[rt]
        rows.append(
            [
                rt,
                Kpi(f"health.journeys.{rt}", fmt_num(r.j)),
                Kpi(f"health.pr_journeys.{rt}", fmt_num(r.pr)),
                fmt_num(r.j - r.pr),
                fmt_num(r.repos),
                fmt_num(r.days) if r.repos else "n/a",
            ]
        )
    if not rows:
        return Note("Journeys", "no repo has both its commits and its discussions")
    return Table(
        ["repo type", "journeys", "from a PR", "from a discussion", "repos", "median of repo medians (days)"], rows
    )


def elephant(wh: Warehouse) -> Table | Note:
    cols = ("repo_type", "activity", "elephant_factor", "n_organisations", "top_share", "top_organisations")
    if not wh.has("elephant_factor", columns=cols):
        return Note("marts.elephant_factor")
    df = wh.df("select * from marts.elephant_factor")
    if df.empty:
        return Note("marts.elephant_factor")
    order = {a: i for i, a in enumerate(("n_credited_commits", "n_likes", "n_downloads", "n_usage_spaces"))}
    df = df.sort_values(
        ["repo_type", "activity"],
        key=lambda s: s.map(lambda v: REPO_TYPES.index(v) if v in REPO_TYPES else order.get(v, 9)),
    )
    rows = [
        [
            r.repo_type,
            label(r.activity) if r.activity != "n_credited_commits" else "credited commits",
            Kpi(f"health.elephant.{r.repo_type}.{r.activity}", fmt_num(r.elephant_factor)),
            fmt_num(r.n_organisations),
            fmt_share(r.top_share),
            ", ".join(list(r.top_organisations)[:5]) + (" …" if len(r.top_organisations) > 5 else ""),
        ]
        for r in df.itertuples()
    ]
    return Table(
        ["repo type", "activity", "elephant factor", "organisations", "their share", "the elephants (first 5)"],
        rows,
        left=2,
    )


def size_boxes(wh: Warehouse) -> dict | Note:
    """Box plots (quartiles and 5-95 % whiskers, precomputed in SQL so the page stays small at
    any scale) of activity + 1 by size class, on log axes."""
    if not wh.has("repo_activity", columns=("size_class", "parameters", *BOX_ACTIVITIES)):
        return Note("repo_activity.size_class")
    parts = [
        f"select size_class, '{a}' as activity, "
        f"quantile_cont({a} + 1, [0.05, 0.25, 0.5, 0.75, 0.95]) as q, count({a}) as n "
        f"from marts.repo_activity where repo_type = 'model' and size_class <> 'unknown' group by size_class"
        for a in BOX_ACTIVITIES
    ]
    df = wh.df(" union all ".join(parts))
    df = df[df.n > 0]
    if df.empty:
        return Note("Activity by model size", "no model has safetensors metadata")
    present = [c for c in SIZE_CLASSES if (df.size_class == c).any()]
    fig = charts.subplot_grid(len(BOX_ACTIVITIES), 2, [f"{label(a)} + 1" for a in BOX_ACTIVITIES])
    for i, activity in enumerate(BOX_ACTIVITIES):
        sub = df[df.activity == activity].set_index("size_class")
        classes = [c for c in present if c in sub.index]
        q = [list(sub.q[c]) for c in classes]
        fig.add_trace(
            go.Box(
                x=classes,
                q1=[v[1] for v in q],
                median=[v[2] for v in q],
                q3=[v[3] for v in q],
                lowerfence=[v[0] for v in q],
                upperfence=[v[4] for v in q],
                marker_color=charts.COLORS["model"],
                name=label(activity),
                showlegend=False,
                hoverinfo="x+y",
            ),
            row=i // 2 + 1,
            col=i % 2 + 1,
        )
        fig.update_yaxes(type="log", row=i // 2 + 1, col=i % 2 + 1)
        fig.update_xaxes(categoryorder="array", categoryarray=list(SIZE_CLASSES), row=i // 2 + 1, col=i % 2 + 1)
    return charts.figure_html(fig, "health-size-boxes", height=640)


def size_table(wh: Warehouse) -> Table | Note:
    cols = ("size_class", "size_class_rank", "activity", "n_models", "share_multi_committer", "median", "mean")
    if not wh.has("model_size_activity", columns=cols):
        return Note("marts.model_size_activity")
    df = wh.df("select * from marts.model_size_activity order by size_class_rank")
    if df.empty:
        return Note("marts.model_size_activity")
    rows = []
    for _, sub in df.groupby("size_class_rank", sort=True):
        first = sub.iloc[0]
        by = sub.set_index("activity")
        rows.append(
            [
                first.size_class,
                Kpi(f"health.size.{first.size_class}.n_models", fmt_num(first.n_models)),
                fmt_share(first.share_multi_committer),
                *[fmt_num(by["mean"].get(a)) for a in ("n_committers", "n_discussions", "n_likes", "n_downloads")],
            ]
        )
    headers = ["size class", "models", "> 1 committer", "mean committers", "mean discussions", "mean likes"]
    return Table(headers + ["mean downloads"], rows)


def size_tests(wh: Warehouse) -> Table | Note:
    cols = ("activity", "n", "spearman_r", "spearman_p", "kruskal_h", "kruskal_p")
    if not wh.has("model_size_tests", columns=cols):
        return Note("marts.model_size_tests")
    df = wh.df("select * from marts.model_size_tests")
    if df.empty:
        return Note("marts.model_size_tests")
    rows = [
        [
            label(r.activity),
            fmt_num(r.n),
            Kpi(f"health.size_spearman.{r.activity}", fmt_num(r.spearman_r, 3)),
            fmt_p(r.spearman_p),
            fmt_num(r.kruskal_h, 3),
            fmt_p(r.kruskal_p),
        ]
        for r in df.itertuples()
    ]
    return Table(["activity", "models", "Spearman r", "p", "Kruskal–Wallis H", "p"], rows)
