"""Activity page (RQ1): Figure 1 (distributions), Tables 2-4 with zero and
Pareto shares, Lorenz curves, Figures 2-3 (correlations), license shares and
Table 5 (Mann-Whitney U with effect sizes). Laid out by templates/activity.html."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from hubwh.report import charts
from hubwh.report.data import ACTIVITIES, REPO_TYPES, Warehouse, activity_key, activity_order
from hubwh.report.layout import Card, Chart, Kpi, Note, Table, fmt_fixed, fmt_num, fmt_p, fmt_share, label

TITLE = "Activity (RQ1)"
LICENSE_CLASSES = ("permissive", "restrictive", "none")
SUMMARY_STATS = (
    ("count", "count"),
    ("mean", "mean"),
    ("std", "std"),
    ("min", "min"),
    ("p25", "25%"),
    ("p50", "50%"),
    ("p75", "75%"),
    ("max", "max"),
)


def build(wh: Warehouse) -> dict:
    """The values templates/activity.html lays out, one per section."""
    return {
        "figure1": figure1(wh),
        "summary_tables": summary_tables(wh),
        "pareto": pareto(wh),
        "lorenz": lorenz(wh),
        "correlations_by_type": correlations_by_type(wh),
        "correlations_by_license": correlations_by_license(wh),
        "license_shares": license_shares(wh),
        "mann_whitney": mann_whitney(wh),
    }


def _activities_in(wh: Warehouse) -> list[str]:
    cols = wh.columns("repo_activity")
    return [a for a in ACTIVITIES if a in cols]


def figure1(wh: Warehouse) -> Chart | Note:
    if not wh.has("repo_activity", columns=("repo_type",)):
        return Note("marts.repo_activity")
    acts = _activities_in(wh)
    series = []
    for act in acts:
        counts = wh.df(
            f'select repo_type, "{act}" as v, count(*) as n from marts.repo_activity '
            f'where "{act}" is not null group by all'
        )
        for rt in REPO_TYPES:
            sub = counts[counts.repo_type == rt]
            x, p = charts.ccdf_points(sub.v.to_numpy(), sub.n.to_numpy())
            if len(x):
                series.append((act, rt, x, p))
    if not series:
        return Note("Activity distributions", "no activity counts")
    shown = [a for a in acts if any(s[0] == a for s in series)]
    fig = charts.subplot_grid(len(shown), 4, [label(a) for a in shown])
    seen = set()
    for act, rt, x, p in series:
        i = shown.index(act)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=p,
                mode="lines+markers",
                name=rt,
                legendgroup=rt,
                showlegend=rt not in seen,
                marker=dict(size=4, color=charts.COLORS[rt]),
                line=dict(width=1.5, color=charts.COLORS[rt]),
                hovertemplate=f"{rt} · {label(act)}: P(X ≥ %{{x:,}}) = %{{y:.3g}}<extra></extra>",
            ),
            row=i // 4 + 1,
            col=i % 4 + 1,
        )
        seen.add(rt)
    charts.log_axes(fig)
    for i, act in enumerate(shown):
        xmax = max(float(s[2].max()) for s in series if s[0] == act)
        fig.update_xaxes(dtick=charts.log_dtick(xmax), row=i // 4 + 1, col=i % 4 + 1)
    fig.update_yaxes(title_text="P(X ≥ x)", col=1)
    rows = -(-len(shown) // 4)
    height = 330 * rows + 110
    fig.update_layout(margin=dict(t=100), legend=charts.top_legend(height, top=100))
    return charts.figure_html(fig, "fig1-distributions", height=height)


def summary_tables(wh: Warehouse) -> list[dict] | Note:
    """Tables 2-4, one per repo type: {number, repo_type, table} (table None when the type has no rows)."""
    df = wh.mart("activity_summary", columns=("repo_type", "activity"))
    if df is None:
        return Note("marts.activity_summary")
    out = []
    for n, rt in enumerate(REPO_TYPES, start=2):
        sub = df[df.repo_type == rt].copy()
        if sub.empty:
            out.append({"number": n, "repo_type": rt, "table": None})
            continue
        sub["_o"] = sub.activity.map(activity_order)
        sub = sub.sort_values("_o")
        headers = [""] + [label(a) for a in sub.activity]
        body = []
        for col, name in SUMMARY_STATS:
            if col in sub.columns:
                fmt = fmt_fixed if col in ("mean", "std") else fmt_num
                body.append([name] + [fmt(v) for v in sub[col]])
        if "zero_share" in sub.columns:
            body.append(
                ["zero share"]
                + [
                    Kpi(f"zero_share.{rt}.{activity_key(a)}", fmt_share(v))
                    for a, v in zip(sub.activity, sub.zero_share)
                ]
            )
        table = Table(headers, body, caption=f"Table {n}: {rt} repositories")
        out.append({"number": n, "repo_type": rt, "table": table})
    return out


def pareto(wh: Warehouse) -> Table | Note:
    df = wh.mart("activity_pareto", columns=("repo_type", "activity", "threshold", "repo_share"))
    if df is None:
        return Note("marts.activity_pareto")
    thresholds = sorted(df.threshold.dropna().unique())
    headers = ["repo type", "activity"] + [f"{fmt_share(t, 0)} of activity ← repos" for t in thresholds]
    if "gini" in df.columns:
        headers.append("Gini")
    rows = []
    for rt in REPO_TYPES:
        sub = df[df.repo_type == rt]
        for act in sorted(sub.activity.unique(), key=activity_order):
            a = sub[sub.activity == act]
            row = [rt, label(act)]
            for t in thresholds:
                hit = a[np.isclose(a.threshold, t)]
                row.append(
                    Kpi(f"pareto.{rt}.{activity_key(act)}.{t:g}", fmt_share(hit.repo_share.iloc[0]))
                    if len(hit)
                    else "n/a"
                )
            if "gini" in a.columns:
                row.append(fmt_num(a.gini.dropna().iloc[0], 3) if a.gini.notna().any() else "n/a")
            rows.append(row)
    return Table(headers, rows, left=2)


def lorenz(wh: Warehouse) -> Chart | Note:
    if not wh.has("activity_lorenz", columns=("repo_type", "activity", "repo_share", "activity_share")):
        return Note("marts.activity_lorenz")
    df = wh.df("""
        select repo_type, activity, repo_share, activity_share from (
            select *, row_number() over w as i, count(*) over (partition by repo_type, activity) as n
            from marts.activity_lorenz
            window w as (partition by repo_type, activity order by repo_share, activity_share))
        where i = 1 or i = n or i % greatest(1, n // 300) = 0
        order by repo_type, activity, repo_share, activity_share""")
    if df.empty:
        return Note("Lorenz curves")
    types = [rt for rt in REPO_TYPES if (df.repo_type == rt).any()]
    fig = make_subplots(rows=1, cols=len(types), subplot_titles=types, horizontal_spacing=0.06)
    palette = ["#2f6fb3", "#d9822b", "#3a9b5c", "#c0392b", "#8e44ad", "#16a085", "#7f8c8d", "#b7950b"]
    for j, rt in enumerate(types, start=1):
        sub = df[df.repo_type == rt]
        for act in sorted(sub.activity.unique(), key=activity_order):
            a = sub[sub.activity == act]
            color = palette[min(activity_order(act), len(palette) - 1)]
            x = np.concatenate([[0.0], a.repo_share.to_numpy(float)])
            y = np.concatenate([[0.0], a.activity_share.to_numpy(float)])
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=y,
                    mode="lines",
                    name=label(act),
                    legendgroup=act,
                    showlegend=j == 1,
                    line=dict(color=color, width=1.8),
                    hovertemplate=f"{rt} · {label(act)}: %{{x:.1%}} of repos hold %{{y:.1%}}<extra></extra>",
                ),
                row=1,
                col=j,
            )
        fig.add_trace(
            go.Scatter(
                x=[0, 1],
                y=[0, 1],
                mode="lines",
                line=dict(color="#aaa", dash="dot", width=1),
                showlegend=False,
                hoverinfo="skip",
            ),
            row=1,
            col=j,
        )
    fig.update_xaxes(title_text="share of repos", tickformat=".0%", range=[0, 1])
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(title_text="share of activity", col=1)
    return charts.figure_html(fig, "lorenz-curves", height=420)


def _corr_matrix(df: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """A symmetric matrix from (var_x, var_y, r) rows, in the paper's activity order."""
    names = sorted(set(df.var_x) | set(df.var_y), key=activity_order)
    idx = {n: i for i, n in enumerate(names)}
    m = np.full((len(names), len(names)), np.nan)
    for x, y, r in zip(df.var_x, df.var_y, df.r):
        if pd.notna(r):
            m[idx[x], idx[y]] = m[idx[y], idx[x]] = float(r)
    for i in range(len(names)):
        if np.isnan(m[i, i]):
            m[i, i] = 1.0
    return m, [label(n) for n in names]


def _heatmaps(df: pd.DataFrame, scopes: list[str], chart_id: str, titles: list[str]) -> Chart:
    fig = make_subplots(rows=1, cols=len(scopes), subplot_titles=titles, horizontal_spacing=0.13)
    for j, scope in enumerate(scopes, start=1):
        m, labels = _corr_matrix(df[df.scope == scope])
        fig.add_trace(charts.heatmap(m, labels, title=scope, showscale=j == len(scopes)), row=1, col=j)
        fig.update_yaxes(autorange="reversed", row=1, col=j)
    fig.update_xaxes(tickangle=-40)
    height = 470 if len(scopes) > 1 else 520
    fig.update_layout(margin=dict(l=120, b=120))
    return charts.figure_html(fig, chart_id, height=height)


def correlations_by_type(wh: Warehouse) -> list[dict] | Note:
    """Figure 2, one heatmap per method: {method, chart} (chart a Note when not computable)."""
    df = wh.mart("activity_correlations", columns=("scope", "method", "var_x", "var_y", "r"))
    if df is None:
        return Note("marts.activity_correlations")
    out = []
    for method in ("pearson", "spearman"):
        sub = df[(df.method == method) & df.scope.isin(REPO_TYPES) & (df.var_x != df.var_y)]
        sub = sub[sub.var_x.map(activity_key).isin(ACTIVITIES) & sub.var_y.map(activity_key).isin(ACTIVITIES)]
        scopes = [s for s in REPO_TYPES if (sub.scope == s).any()]
        if not scopes:
            out.append({"method": method.title(), "chart": Note(f"{method.title()} correlations per repo type")})
            continue
        out.append({"method": method.title(), "chart": _heatmaps(sub, scopes, f"fig2-{method}", scopes)})
    return out


def _license_scope(scope: str) -> str | None:
    """The license class a correlation scope refers to ('permissive', 'model:permissive', ...)."""
    s = str(scope).lower()
    for cls in LICENSE_CLASSES:
        if s == cls or s.endswith(":" + cls) or s.endswith("_" + cls) or s.endswith("/" + cls):
            return cls
    return None


def correlations_by_license(wh: Warehouse) -> dict | Note:
    """Figure 3: {classes: heatmaps per license class, point_biserial: bars} (each a Chart or a Note)."""
    df = wh.mart("activity_correlations", columns=("scope", "method", "var_x", "var_y", "r"))
    if df is None:
        return Note("marts.activity_correlations")
    out = {}
    pear = df[(df.method == "pearson") & (df.var_x != df.var_y)].copy()
    pear["cls"] = pear.scope.map(_license_scope)
    pear = pear[pear.cls.notna()]
    pear = pear[pear.var_x.map(activity_key).isin(ACTIVITIES) & pear.var_y.map(activity_key).isin(ACTIVITIES)]
    classes = [c for c in LICENSE_CLASSES if (pear.cls == c).any()]
    if classes:
        pear["scope"] = pear.cls
        out["classes"] = _heatmaps(pear, classes, "fig3-license-classes", classes)
    else:
        out["classes"] = Note("Correlations per license class")
    pb = df[df.method == "point_biserial"].copy()
    if not pb.empty:
        # the activity is whichever side of the pair is an activity column
        pb["act"] = [y if activity_key(y) in ACTIVITIES else x for x, y in zip(pb.var_x, pb.var_y)]
        pb = pb[pb.act.map(activity_key).isin(ACTIVITIES)]
        pb["_o"] = pb.act.map(activity_order)
        pb = pb.sort_values("_o")
        fig = go.Figure()
        scopes = [s for s in REPO_TYPES if (pb.scope == s).any()] or list(dict.fromkeys(pb.scope))
        for scope in scopes:
            sub = pb[pb.scope == scope]
            fig.add_trace(
                go.Bar(
                    x=[label(a) for a in sub.act],
                    y=sub.r,
                    name=str(scope),
                    marker_color=charts.COLORS.get(str(scope), "#2f6fb3"),
                    text=[f"{v:.2f}" if pd.notna(v) else "" for v in sub.r],
                    textposition="outside",
                    hovertemplate=f"{scope}: has a license × %{{x}}: r = %{{y:.3f}}<extra></extra>",
                )
            )
        fig.update_layout(
            title="Point-biserial r: has a license × activity, per repo type",
            yaxis_title="r",
            barmode="group",
            legend=dict(orientation="h", y=1.1, x=0.6),
        )
        values = pb.r.to_numpy(float)
        lo = float(np.nanmin(np.append(values, 0.0)))
        hi = float(np.nanmax(np.append(values, 0.0)))
        pad = max(0.05, (hi - lo) * 0.15)
        fig.update_yaxes(range=[lo - pad if lo < 0 else 0, hi + pad], zeroline=True, zerolinecolor="#888")
        out["point_biserial"] = charts.figure_html(fig, "fig3-point-biserial", height=380)
    else:
        out["point_biserial"] = Note("Point-biserial correlations")
    return out


def license_shares(wh: Warehouse) -> dict | Note:
    """{cards: no-license shares, chart: top licenses (or None), table: top licenses (or a Note)}."""
    df = wh.mart("license_shares", columns=("repo_type", "license"))
    ra_ok = wh.has("repo_activity", columns=("repo_type", "license"))
    if df is None and not ra_ok:
        return Note("marts.license_shares")
    items = []
    if ra_ok:
        none = wh.df(
            "select repo_type, avg(case when license is null then 1.0 else 0.0 end) as s, count(*) as n "
            "from marts.repo_activity group by repo_type"
        )
        for rt in REPO_TYPES:
            hit = none[none.repo_type == rt]
            if len(hit):
                items.append(
                    Card(
                        Kpi(f"no_license_share.{rt}", fmt_share(hit.s.iloc[0])),
                        f"of {rt} repos have no license (n = {int(hit.n.iloc[0]):,})",
                    )
                )
    out = {"cards": items, "chart": None}
    if df is not None and "share_of_licensed" in df.columns:
        lic = df[df.license.notna()]
        types = [rt for rt in REPO_TYPES if (lic.repo_type == rt).any()]
        if types:
            fig = make_subplots(rows=1, cols=len(types), subplot_titles=types, horizontal_spacing=0.12)
            for j, rt in enumerate(types, start=1):
                top = lic[lic.repo_type == rt].sort_values("share_of_licensed", ascending=False).head(10)[::-1]
                colors = [charts.COLORS.get(str(c), "#7f8c8d") for c in top.get("license_class", ["none"] * len(top))]
                fig.add_trace(
                    go.Bar(
                        x=top.share_of_licensed,
                        y=top.license,
                        orientation="h",
                        marker_color=colors,
                        text=[fmt_share(v) for v in top.share_of_licensed],
                        textposition="auto",
                        showlegend=False,
                        hovertemplate="%{y}: %{x:.1%} of licensed " + rt + "s<extra></extra>",
                    ),
                    row=1,
                    col=j,
                )
            fig.update_xaxes(tickformat=".0%", title_text="share of licensed repos")
            fig.update_layout(
                title="Top 10 licenses among licensed repos (green permissive, red restrictive, grey other)",
                margin=dict(l=180),
            )
            out["chart"] = charts.figure_html(fig, "license-shares", height=440)
        rows = []
        for rt in types:
            top = (
                lic[lic.repo_type == rt]
                .sort_values("n_repos" if "n_repos" in lic.columns else "share_of_licensed", ascending=False)
                .head(10)
            )
            for _, r in top.iterrows():
                rows.append(
                    [
                        rt,
                        r.license,
                        r.get("license_class", ""),
                        fmt_num(r.get("n_repos")),
                        fmt_share(r.get("share_of_repos")),
                        fmt_share(r.get("share_of_licensed")),
                    ]
                )
        out["table"] = Table(
            ["repo type", "license", "class", "repos", "share of repos", "share of licensed"], rows, left=3
        )
    else:
        out["table"] = Note("Top licenses (marts.license_shares)")
    return out


def mann_whitney(wh: Warehouse) -> dict | Note:
    """Table 5: {chart: effect sizes (or None), table}."""
    df = wh.mart("license_mwu", columns=("activity", "group_a", "group_b", "u_statistic", "p_value"))
    if df is None:
        return Note("marts.license_mwu")
    df = df.copy()
    df["_o"] = df.activity.map(activity_order)
    pairs = list(dict.fromkeys(zip(df.group_a, df.group_b)))
    out = {"chart": None}
    if "rank_biserial" in df.columns and df.rank_biserial.notna().any():
        fig = go.Figure()
        symbols = ["circle", "diamond", "square", "triangle-up"]
        for i, (a, b) in enumerate(pairs):
            sub = df[(df.group_a == a) & (df.group_b == b)].sort_values("_o", ascending=False)
            fig.add_trace(
                go.Scatter(
                    x=sub.rank_biserial,
                    y=[label(x) for x in sub.activity],
                    mode="markers",
                    name=f"{a} vs {b}",
                    marker=dict(size=11, symbol=symbols[i % 4]),
                    hovertemplate=f"{a} vs {b} · %{{y}}: r = %{{x:.3f}}<extra></extra>",
                )
            )
        fig.add_vline(x=0, line_color="#888", line_width=1)
        reach = float(np.nanmax(np.abs(df.rank_biserial.to_numpy(float))))
        reach = min(1.0, max(0.1, reach * 1.25))
        fig.update_xaxes(
            title_text="rank-biserial r (> 0: first group more active)", range=[-reach, reach], zeroline=False
        )
        fig.update_layout(title="Effect sizes", legend=dict(orientation="h", y=-0.2), margin=dict(l=140))
        out["chart"] = charts.figure_html(fig, "table5-effect-sizes", height=430)
    cols = [
        c for c in ("u_statistic", "p_value", "rank_biserial", "median_a", "median_b", "n_a", "n_b") if c in df.columns
    ]
    names = {
        "u_statistic": "U",
        "p_value": "p",
        "rank_biserial": "rank-biserial r",
        "median_a": "median (1st)",
        "median_b": "median (2nd)",
        "n_a": "n (1st)",
        "n_b": "n (2nd)",
    }
    rows = []
    for act in sorted(df.activity.unique(), key=activity_order):
        for a, b in pairs:
            hit = df[(df.activity == act) & (df.group_a == a) & (df.group_b == b)]
            if hit.empty:
                continue
            r = hit.iloc[0]
            cells = []
            for c in cols:
                if c == "p_value":
                    cells.append(fmt_p(r[c]))
                elif c == "rank_biserial":
                    cells.append("n/a" if pd.isna(r[c]) else f"{r[c]:+.3f}")
                else:
                    cells.append(fmt_num(r[c]))
            rows.append([label(act), f"{a} vs {b}"] + cells)
    headers = ["activity", "groups (1st vs 2nd)"] + [names[c] for c in cols]
    out["table"] = Table(headers, rows, left=2)
    return out
