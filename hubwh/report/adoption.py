"""Adoption page (RQ3): Figure 5 (usage and co-usage degree distributions), the
most used models and their organisations per sub-field, likes/downloads vs usage.
Laid out by templates/adoption.html."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from hubwh.report import charts
from hubwh.report.data import SUBFIELDS, Warehouse
from hubwh.report.layout import Card, Chart, Kpi, Note, Table, fmt_num, fmt_p, fmt_share

TITLE = "Adoption (RQ3)"
SUBFIELD_NAMES = {"all": "all spaces", "nlp": "NLP", "cv": "computer vision", "mm": "multimodal"}
SCATTER_POINTS = 3000
SHORT = {"organisation": "organisation", "n_spaces": "spaces", "co_usage_degree": "co-used"}


def build(wh: Warehouse) -> dict:
    """The values templates/adoption.html lays out, one per section."""
    return {
        "headline": headline(wh),
        "figure5": figure5(wh),
        "top_models": top_models(wh),
        "top_organisations": top_organisations(wh),
        "usage_vs_popularity": usage_vs_popularity(wh),
        "scatter_points": SCATTER_POINTS,
    }


def _subfields(values) -> list[str]:
    present = [str(v) for v in dict.fromkeys(values)]
    return [s for s in SUBFIELDS if s in present] + [s for s in present if s not in SUBFIELDS]


def headline(wh: Warehouse) -> list[Card] | Note:
    if not wh.has("model_adoption", columns=("subfield", "model_id", "n_spaces")):
        return Note("marts.model_adoption")
    top = wh.df(
        "select model_id, n_spaces from marts.model_adoption where subfield = 'all' and n_spaces > 0 "
        "order by n_spaces desc, model_id limit 1"
    )
    stats = wh.df(
        "select count(*) as n, avg(n_spaces) as mean, median(n_spaces) as median "
        "from marts.model_adoption where subfield = 'all' and n_spaces > 0"
    )
    if top.empty:
        return Note("Model usage", "no space declares a model")
    r = top.iloc[0]
    return [
        Card(Kpi("top_model.n_spaces", fmt_num(r.n_spaces)), f"spaces use the most used model, {r.model_id}"),
        Card(fmt_num(stats.n.iloc[0]), "models used by ≥ 1 space"),
        Card(fmt_num(stats["mean"].iloc[0]), "mean usage degree (paper: 6.68)"),
        Card(fmt_num(stats["median"].iloc[0]), "median usage degree (paper: 1)"),
    ]


def figure5(wh: Warehouse) -> Chart | Note:
    if not wh.has("model_adoption", columns=("subfield", "n_spaces")):
        return Note("marts.model_adoption")
    has_co = wh.has("model_adoption", columns=("co_usage_degree",))
    panels = [("n_spaces", "usage degree (spaces per model)")]
    if has_co:
        panels.append(("co_usage_degree", "co-usage degree (co-used models)"))
    fig = make_subplots(rows=1, cols=len(panels), subplot_titles=[p[1] for p in panels], horizontal_spacing=0.1)
    traces = 0
    spans = {}
    for j, (col, _) in enumerate(panels, start=1):
        where = "n_spaces > 0" if col == "n_spaces" else f"{col} is not null"
        df = wh.df(f"select subfield, {col} as v, count(*) as n from marts.model_adoption where {where} group by all")
        for sf in _subfields(df.subfield):
            sub = df[df.subfield == sf]
            x, p = charts.ccdf_points(sub.v.to_numpy(), sub.n.to_numpy())
            if not len(x):
                continue
            traces += 1
            spans[j] = max(spans.get(j, 1.0), float(x.max()))
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=p,
                    mode="lines+markers",
                    name=SUBFIELD_NAMES.get(sf, sf),
                    legendgroup=sf,
                    showlegend=j == 1,
                    marker=dict(size=4, color=charts.COLORS.get(sf)),
                    line=dict(width=1.5, color=charts.COLORS.get(sf)),
                    hovertemplate=f"{sf}: P(X ≥ %{{x:,}}) = %{{y:.3g}}<extra></extra>",
                ),
                row=1,
                col=j,
            )
    if not traces:
        return Note("Usage distributions", "no space declares a model")
    charts.log_axes(fig)
    for j, hi in spans.items():
        fig.update_xaxes(dtick=charts.log_dtick(hi), row=1, col=j)
    fig.update_yaxes(title_text="P(X ≥ x)", col=1)
    fig.update_xaxes(title_text="spaces using the model", col=1)
    if has_co:
        fig.update_xaxes(title_text="models co-used with it", col=2)
    fig.update_layout(margin=dict(t=100), legend=charts.top_legend(460, top=100))
    return charts.figure_html(fig, "fig5-usage", height=460)


def top_models(wh: Warehouse) -> list[Table] | Note:
    """One table per sub-field."""
    if not wh.has("model_adoption", columns=("subfield", "model_id", "n_spaces")):
        return Note("marts.model_adoption")
    cols = [c for c in ("organisation", "n_spaces", "co_usage_degree") if wh.has("model_adoption", columns=(c,))]
    order = "usage_position" if wh.has("model_adoption", columns=("usage_position",)) else "n_spaces desc, model_id"
    df = wh.df(
        f"select subfield, model_id, {', '.join(cols)} from ("
        f"select *, row_number() over (partition by subfield order by {order}) as i "
        "from marts.model_adoption where n_spaces > 0) where i <= 10 order by subfield, i"
    )
    if df.empty:
        return Note("Model usage", "no space declares a model")
    out = []
    for sf in _subfields(df.subfield):
        sub = df[df.subfield == sf]
        rows = [
            [r.model_id] + [r[c] if c == "organisation" else fmt_num(r[c]) for c in cols] for _, r in sub.iterrows()
        ]
        out.append(
            Table(
                ["model"] + [SHORT.get(c, c) for c in cols],
                rows,
                caption=SUBFIELD_NAMES.get(sf, sf),
                left=1 + ("organisation" in cols),
            )
        )
    return out


def top_organisations(wh: Warehouse) -> dict | Note:
    """{chart: organisations of the first sub-field, tables: one per sub-field and ranking}."""
    df = wh.mart("top_organisations", columns=("subfield", "ranking", "organisation", "n_models_in_top_100"))
    if df is None:
        return Note("marts.top_organisations")
    rankings = [r for r in ("used", "co_used") if (df.ranking == r).any()] or list(dict.fromkeys(df.ranking))
    subfields = _subfields(df.subfield)
    alls = df[df.subfield == (subfields[0] if subfields else "all")]
    fig = make_subplots(
        rows=1,
        cols=len(rankings),
        horizontal_spacing=0.22,
        subplot_titles=[f"top 100 {r.replace('_', '-')} models ({subfields[0]})" for r in rankings],
    )
    for j, rk in enumerate(rankings, start=1):
        top = (
            alls[alls.ranking == rk]
            .sort_values(["n_models_in_top_100", "organisation"], ascending=[False, True])
            .head(12)[::-1]
        )
        fig.add_trace(
            go.Bar(
                x=top.n_models_in_top_100,
                y=top.organisation,
                orientation="h",
                showlegend=False,
                marker_color="#2f6fb3" if rk == "used" else "#8e44ad",
                text=top.n_models_in_top_100,
                textposition="auto",
                hovertemplate="%{y}: %{x} models<extra></extra>",
            ),
            row=1,
            col=j,
        )
    most = int(alls.n_models_in_top_100.max()) if len(alls) else 0
    fig.update_xaxes(title_text="models in the top 100", dtick=1 if most <= 10 else None, rangemode="tozero")
    fig.update_layout(margin=dict(l=170))
    out = {"chart": charts.figure_html(fig, "top-organisations", height=460), "tables": []}
    for sf in subfields:
        for rk in rankings:
            sub = (
                df[(df.subfield == sf) & (df.ranking == rk)]
                .sort_values(["n_models_in_top_100", "organisation"], ascending=[False, True])
                .head(8)
            )
            if sub.empty:
                continue
            rows = [
                [r.organisation, fmt_num(r.n_models_in_top_100), fmt_share(r.share) if "share" in sub.columns else ""]
                for _, r in sub.iterrows()
            ]
            out["tables"].append(
                Table(
                    ["organisation", "models", "share"],
                    rows,
                    caption=f"{SUBFIELD_NAMES.get(sf, sf)} · top 100 {rk.replace('_', '-')}",
                )
            )
    return out


def usage_vs_popularity(wh: Warehouse) -> dict:
    """{correlations: table (or a Note), scatter: chart (or None)}."""
    df = wh.mart("usage_correlations", columns=("method", "r"))
    out = {
        "correlations": Note("marts.usage_correlations") if df is None else _correlation_table(df),
        "scatter": None,
    }
    if wh.has("repo_activity", columns=("repo_type", "repo_id", "n_likes", "n_downloads", "n_usage_spaces")):
        pts = wh.df(f"""select repo_id, n_likes, n_downloads, n_usage_spaces from marts.repo_activity
                        where repo_type = 'model' and n_usage_spaces > 0
                        order by hash(repo_id) limit {SCATTER_POINTS}""")
        if not pts.empty:
            fig = make_subplots(rows=1, cols=2, subplot_titles=["likes", "downloads (30 days)"], horizontal_spacing=0.1)
            for j, col in enumerate(("n_likes", "n_downloads"), start=1):
                sub = pts[pts[col] > 0]
                fig.add_trace(
                    go.Scatter(
                        x=sub[col],
                        y=sub.n_usage_spaces,
                        mode="markers",
                        showlegend=False,
                        text=sub.repo_id,
                        marker=dict(size=5, opacity=0.5, color="#2f6fb3"),
                        hovertemplate="%{text}: %{x:,} → %{y:,} spaces<extra></extra>",
                    ),
                    row=1,
                    col=j,
                )
            charts.log_axes(fig)
            fig.update_yaxes(title_text="spaces using the model", col=1)
            fig.update_xaxes(title_text="likes", col=1)
            fig.update_xaxes(title_text="downloads", col=2)
            out["scatter"] = charts.figure_html(fig, "usage-vs-popularity", height=440)
    return out


def _correlation_table(df: pd.DataFrame) -> Table:
    """One row per (sub-field, population, variable), Pearson and Spearman side by side."""
    keys = [
        c
        for c in df.columns
        if c not in ("method", "r", "p_value", "n")
        and (pd.api.types.is_string_dtype(df[c]) or pd.api.types.is_object_dtype(df[c]))
    ]
    methods = [m for m in ("pearson", "spearman") if (df.method == m).any()] or list(dict.fromkeys(df.method))
    if "subfield" in keys:
        df = df.assign(_o=df.subfield.map(lambda s: SUBFIELDS.index(s) if s in SUBFIELDS else 99))
        df = df.sort_values(["_o"] + [k for k in keys if k != "subfield"], kind="stable")
    rows = []
    for key, grp in df.groupby(keys, sort=False, dropna=False) if keys else [((), df)]:
        key = key if isinstance(key, tuple) else (key,)
        row = [str(k).replace("_", " ") for k in key]
        for m in methods:
            hit = grp[grp.method == m]
            row.append(
                f"{fmt_num(hit.r.iloc[0], 3)} (p {fmt_p(hit.p_value.iloc[0])})"
                if len(hit) and "p_value" in hit
                else (fmt_num(hit.r.iloc[0], 3) if len(hit) else "n/a")
            )
        row.append(fmt_num(grp.n.max()) if "n" in grp else "")
        rows.append(row)
    headers = [k.replace("_", " ") for k in keys] + [m.title() + " r" for m in methods] + ["n"]
    return Table(headers, rows, left=len(keys))
