"""Plotly figures shared by the pages: complementary CDFs on log-log axes
(heavy tails), Lorenz curves, correlation heatmaps, and the HTML embedding.

Figures carry only thinned points (a few hundred per series), so a page stays
small whatever the size of the Hub."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from markupsafe import Markup
from plotly.subplots import make_subplots

from hubwh.report.layout import Chart

MAX_POINTS = 250  # per series, after thinning
COLORS = {
    "model": "#2f6fb3",
    "dataset": "#d9822b",
    "space": "#3a9b5c",
    "all": "#1d232b",
    "nlp": "#2f6fb3",
    "cv": "#d9822b",
    "mm": "#8e44ad",
    "permissive": "#3a9b5c",
    "restrictive": "#c0392b",
    "none": "#7f8c8d",
}
FONT = dict(family="system-ui, 'DejaVu Sans', sans-serif", size=13, color="#1d232b")
PLOT_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def figure_html(fig: go.Figure, chart_id: str, height: int = 420) -> Chart:
    """The figure as a <div> (plotly.js itself is loaded once in the page head)."""
    margin = dict(l=70, r=30, t=60, b=60)
    margin.update({k: v for k, v in (fig.layout.margin.to_plotly_json() or {}).items() if v is not None})
    fig.update_layout(height=height, font=FONT, template="plotly_white", margin=margin)
    # "chart-" keeps plot ids apart from section anchors (getElementById must find the plot)
    div = fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{chart_id}", config=PLOT_CONFIG)
    # Markup: the div must reach the page unescaped, and it is safe to: plotly writes the markup itself
    # around our fixed div id, and its JSON of the figure escapes <, > and / (\u003c...), so no string from
    # the warehouse (repo ids, licenses in labels and hover text) can close the <script> or open a tag.
    return Chart(chart_id, Markup(div))


def ccdf_points(
    values: np.ndarray, counts: np.ndarray | None = None, *, positive_only: bool = True, max_points: int = MAX_POINTS
):
    """(x, P(X >= x)) over the distinct values, thinned to about max_points
    log-spaced points (the smallest and largest value always kept). The
    probability is over all values given, zeros included; only x > 0 is returned
    when positive_only (a log axis cannot show 0)."""
    values = np.asarray(values, dtype=float)
    counts = np.ones_like(values) if counts is None else np.asarray(counts, dtype=float)
    keep = ~np.isnan(values)
    values, counts = values[keep], counts[keep]
    total = counts.sum()
    if total == 0:
        return np.array([]), np.array([])
    order = np.argsort(values)
    values, counts = values[order], counts[order]
    # collapse duplicates
    uniq, idx = np.unique(values, return_index=True)
    sums = np.add.reduceat(counts, idx)
    tail = sums[::-1].cumsum()[::-1]  # number of values >= x
    prob = tail / total
    if positive_only:
        pos = uniq > 0
        uniq, prob = uniq[pos], prob[pos]
    if len(uniq) > max_points:
        picks = thin_log(uniq, max_points)
        uniq, prob = uniq[picks], prob[picks]
    return uniq, prob


def thin_log(x: np.ndarray, max_points: int) -> np.ndarray:
    """Indices of about max_points elements of sorted positive x, spread evenly
    on a log scale (first and last kept)."""
    if len(x) <= max_points:
        return np.arange(len(x))
    lo, hi = np.log10(x[0]), np.log10(x[-1])
    targets = np.linspace(lo, hi, max_points)
    picks = np.searchsorted(np.log10(x), targets)
    picks = np.clip(picks, 0, len(x) - 1)
    return np.unique(np.concatenate([[0], picks, [len(x) - 1]]))


def thin_even(n: int, max_points: int) -> np.ndarray:
    """Indices of about max_points of n ordered points, evenly spaced (ends kept)."""
    if n <= max_points:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, max_points).round().astype(int))


def log_axes(fig: go.Figure, *, x: bool = True, y: bool = True) -> None:
    """Log axes with one labelled tick per decade, in plain powers of ten."""
    common = dict(
        dtick=1, exponentformat="power", showexponent="all", showgrid=True, gridcolor="#e6e9ee", zeroline=False
    )
    if x:
        fig.update_xaxes(type="log", **common)
    if y:
        fig.update_yaxes(type="log", **common)


def log_dtick(xmax: float, xmin: float = 1.0):
    """Tick spacing of a log axis so a panel stays legible: 1-2-5 labels over at most
    two decades, one label per decade up to four, then every second or third decade."""
    decades = np.log10(max(float(xmax), 1e-300) / max(float(xmin), 1e-300))
    if decades <= 2:
        return "D2"
    return 1 if decades <= 4 else 2 if decades <= 8 else 3


def top_legend(height: int, top: int = 100, bottom: int = 60) -> dict:
    """A horizontal legend in the top margin, above the subplot titles."""
    plot = max(1, height - top - bottom)
    return dict(orientation="h", yanchor="bottom", y=1 + 34 / plot, x=0)


def subplot_grid(n: int, cols: int, titles: list[str], *, vspace: float = 0.14, hspace: float = 0.07) -> go.Figure:
    rows = max(1, -(-n // cols))
    return make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles,
        vertical_spacing=vspace / max(1, rows - 1) * 1.4 if rows > 1 else 0.1,
        horizontal_spacing=hspace,
    )


def heatmap(
    matrix: np.ndarray,
    labels: list[str],
    *,
    title: str = "",
    zmin: float = -1.0,
    zmax: float = 1.0,
    showscale: bool = True,
) -> go.Heatmap:
    """A correlation matrix as a heatmap trace with the coefficients written in."""
    text = [["" if np.isnan(v) else f"{v:.2f}" for v in row] for row in matrix]
    return go.Heatmap(
        z=matrix,
        x=labels,
        y=labels,
        zmin=zmin,
        zmax=zmax,
        colorscale="RdBu",
        reversescale=True,
        text=text,
        texttemplate="%{text}",
        textfont=dict(size=11),
        hovertemplate="%{y} × %{x}: %{z:.3f}<extra>" + title + "</extra>",
        showscale=showscale,
        colorbar=dict(title="r", thickness=12, len=0.8),
    )
