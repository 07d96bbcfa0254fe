"""Collaboration page (RQ2): Figure 4 (degree and PageRank distributions),
isolate shares, network summaries, Tables 6-9 (k-cores) and top developers.
Laid out by templates/collaboration.html."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from hubwh.report import charts
from hubwh.report.data import NETWORKS, Warehouse
from hubwh.report.layout import Card, Chart, Kpi, Note, Table, fmt_num, fmt_share

TITLE = "Collaboration (RQ2)"
NETWORK_NAMES = {
    "all": "all model repos",
    "cv": "computer vision",
    "nlp": "natural language processing",
    "mm": "multimodal",
}
KCORE_COLUMNS = (
    ("nodes", "Nodes"),
    ("edges", "Edges"),
    ("modularity", "MOD"),
    ("communities", "COM"),
    ("density", "DENS"),
    ("reciprocity", "RECIP"),
    ("rich_club", "ARCC"),
    ("assortativity", "ASS"),
    ("avg_degree", "AD"),
    ("avg_clustering", "ACC"),
)


def build(wh: Warehouse) -> dict:
    """The values templates/collaboration.html lays out, one per section."""
    return {
        "isolates": isolates(wh),
        "figure4": figure4(wh),
        "summary": summary(wh),
        "kcore_tables": kcore_tables(wh),
        "top_developers": top_developers(wh),
    }


def _networks(values) -> list[str]:
    present = [str(v) for v in dict.fromkeys(values)]
    return [n for n in NETWORKS if n in present] + [n for n in present if n not in NETWORKS]


def isolates(wh: Warehouse) -> list[Card] | Note:
    df = wh.mart("collab_summary", columns=("network", "isolate_share"))
    if df is None:
        return Note("marts.collab_summary")
    items = []
    for net in _networks(df.network):
        r = df[df.network == net].iloc[0]
        extra = ""
        if "developers" in df.columns and "isolates" in df.columns:
            extra = f" ({fmt_num(r.isolates)} of {fmt_num(r.developers)})"
        items.append(
            Card(
                Kpi(f"isolate_share.{net}", fmt_share(r.isolate_share)),
                f"isolates · {NETWORK_NAMES.get(net, net)}{extra}",
            )
        )
    return items


def figure4(wh: Warehouse) -> Chart | Note:
    if not wh.has("developer_centrality", columns=("network", "degree", "pagerank")):
        return Note("marts.developer_centrality")
    iso = "coalesce(not is_isolate, true)" if wh.has("developer_centrality", columns=("is_isolate",)) else "degree > 0"
    fig = make_subplots(rows=1, cols=2, subplot_titles=["degree", "PageRank"], horizontal_spacing=0.1)
    traces = 0
    spans = {}
    for j, col in enumerate(("degree", "pagerank"), start=1):
        if col == "degree":
            df = wh.df(
                f"select network, degree as v, count(*) as n from marts.developer_centrality "
                f"where {iso} and degree is not null group by all"
            )
        else:
            df = wh.df(
                f"select network, pagerank as v, 1 as n from marts.developer_centrality "
                f"where {iso} and pagerank is not null"
            )
        for net in _networks(df.network):
            sub = df[df.network == net]
            x, p = charts.ccdf_points(sub.v.to_numpy(), sub.n.to_numpy())
            if not len(x):
                continue
            traces += 1
            lo, hi = spans.get(j, (x.min(), x.max()))
            spans[j] = (min(lo, x.min()), max(hi, x.max()))
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=p,
                    mode="lines+markers",
                    name=NETWORK_NAMES.get(net, net),
                    legendgroup=net,
                    showlegend=j == 1,
                    marker=dict(size=4, color=charts.COLORS.get(net)),
                    line=dict(width=1.5, color=charts.COLORS.get(net)),
                    hovertemplate=f"{net}: P(X ≥ %{{x:.3g}}) = %{{y:.3g}}<extra></extra>",
                ),
                row=1,
                col=j,
            )
    if not traces:
        return Note("Centrality distributions", "no non-isolate developers")
    charts.log_axes(fig)
    for j, (lo, hi) in spans.items():
        fig.update_xaxes(dtick=charts.log_dtick(hi, lo), row=1, col=j)
    fig.update_yaxes(title_text="P(X ≥ x)", col=1)
    fig.update_xaxes(title_text="degree (in + out)", col=1)
    fig.update_xaxes(title_text="PageRank", col=2)
    fig.update_layout(margin=dict(t=100), legend=charts.top_legend(460, top=100))
    return charts.figure_html(fig, "fig4-centrality", height=460)


def summary(wh: Warehouse) -> Table | Note:
    df = wh.mart("collab_summary", columns=("network",))
    if df is None:
        return Note("marts.collab_summary")
    cols = [c for c in df.columns if c != "network"]
    rows = []
    for net in _networks(df.network):
        r = df[df.network == net].iloc[0]
        rows.append(
            [net]
            + [fmt_share(r[c]) if c.endswith("_share") else fmt_num(r[c], 5 if "pagerank" in c else 2) for c in cols]
        )
    # one row per measure, one column per network, so the wide table stays readable
    t_rows = [[c.replace("_", " ")] + [row[i + 1] for row in rows] for i, c in enumerate(cols)]
    return Table(["measure"] + [r[0] for r in rows], t_rows)


def kcore_tables(wh: Warehouse) -> list[dict] | Note:
    """Tables 6-9, one per network: {network, caption, table (None without edges), empty_ks (the k
    beyond the maximal core, as text, or "")}."""
    df = wh.mart("collab_kcore", columns=("network", "k"))
    if df is None:
        return Note("marts.collab_kcore")
    out = []
    numbers = {"all": 6, "cv": 7, "nlp": 8, "mm": 9}
    for net in _networks(df.network):
        sub = df[df.network == net].sort_values("k")
        cols = [(c, h) for c, h in KCORE_COLUMNS if c in sub.columns]
        empty = sub[sub.nodes.fillna(0) == 0] if "nodes" in sub.columns else sub.iloc[0:0]
        rows = []
        for _, r in sub.drop(empty.index).iterrows():
            k = fmt_num(r.k) + (" (MAX)" if "is_max_k" in sub.columns and bool(r.is_max_k) else "")
            rows.append([k] + [kcore_cell(c, r[c]) for c, _ in cols])
        n = numbers.get(net)
        caption = (f"Table {n}: " if n else "") + NETWORK_NAMES.get(net, net)
        out.append(
            {
                "network": net,
                "caption": caption,
                "table": Table(["k-core"] + [h for _, h in cols], rows, caption=caption) if rows else None,
                "empty_ks": ", ".join(fmt_num(k) for k in empty.k),
            }
        )
    return out


def kcore_cell(column: str, value) -> str:
    """Counts as integers, ratios with two decimals as the paper prints them (three for
    the tiny clustering values); NaN where a measure is undefined (a regular graph's
    assortativity)."""
    if column in ("nodes", "edges", "communities"):
        return fmt_num(value)
    if value is None or pd.isna(value):
        return "NaN"
    return f"{float(value):.{3 if column == 'avg_clustering' else 2}f}"


def top_developers(wh: Warehouse) -> Table | Note:
    if not wh.has("developer_centrality", columns=("network", "developer", "degree")):
        return Note("marts.developer_centrality")
    cols = [
        c
        for c in ("degree", "in_degree", "out_degree", "pagerank", "core_number")
        if wh.has("developer_centrality", columns=(c,))
    ]
    extra = ""
    join = ""
    if wh.has("developers", columns=("developer", "n_model_repos", "n_commits")):
        extra = ", d.n_model_repos, d.n_commits"
        join = "left join marts.developers d on d.developer = c.developer"
    order = "c.degree desc" + (", c.pagerank desc" if "pagerank" in cols else "") + ", c.developer"
    df = wh.df(
        f"select c.developer, {', '.join('c.' + c for c in cols)}{extra} from marts.developer_centrality c "
        f"{join} where c.network = 'all' and c.degree > 0 order by {order} limit 20"
    )
    if df.empty:
        return Note("Top developers", "no collaboration edges")
    rows = [
        [r.developer] + [fmt_num(r[c], 5 if c == "pagerank" else 2) for c in df.columns[1:]] for _, r in df.iterrows()
    ]
    headers = ["developer"] + [c.replace("_", " ") for c in df.columns[1:]]
    return Table(headers, rows)
