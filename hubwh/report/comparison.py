"""Paper vs now: each published figure of the paper beside the same measure on
this snapshot (marts.paper_comparison). Laid out by templates/paper-vs-now.html."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from hubwh.report import charts
from hubwh.report.data import Warehouse
from hubwh.report.layout import Card, Chart, Note, Table, fmt_num, fmt_share, is_missing

TITLE = "Paper vs now"
SHARE_UNITS = ("share", "share_upper_bound", "ratio", "r", "rho")


def _fmt(value, unit) -> str:
    if is_missing(value):
        return "n/a"
    if str(unit) in ("share", "share_upper_bound"):
        return fmt_share(value)
    return fmt_num(value, 4 if abs(float(value)) < 0.01 else 2)


def _key(r: pd.Series) -> str:
    """measure [repo type · network · k] as one readable label."""
    extra = [str(r[c]) for c in ("repo_type", "network") if c in r and not is_missing(r[c]) and str(r[c])]
    if "k" in r and not is_missing(r["k"]):
        extra.append(f"k = {int(r['k'])}")
    return str(r.measure) + (f" [{' · '.join(extra)}]" if extra else "")


def build(wh: Warehouse) -> dict:
    """The values templates/paper-vs-now.html lays out: {comparison: {cards, chart, tables} or a Note}."""
    return {"comparison": comparison(wh)}


def comparison(wh: Warehouse) -> dict | Note:
    df = wh.mart("paper_comparison", columns=("measure", "paper_value", "warehouse_value"))
    if df is None:
        return Note("marts.paper_comparison")
    df = df.copy()
    if "unit" not in df.columns:
        df["unit"] = ""
    if "section" not in df.columns:
        df["section"] = ""
    df["section"] = df.section.astype(str)
    computed = df.warehouse_value.notna()
    items = [
        Card(fmt_num(len(df)), "published figures"),
        Card(fmt_num(int(computed.sum())), "computed on this snapshot"),
    ]
    tables = []
    for sec in sorted(df.section.unique(), key=_section_order):
        sub = df[df.section == sec]
        rows = []
        for _, r in sub.iterrows():
            diff = r.get("difference")
            if is_missing(diff) and not is_missing(r.warehouse_value) and not is_missing(r.paper_value):
                diff = float(r.warehouse_value) - float(r.paper_value)
            if str(r.unit) in ("share", "share_upper_bound") and not is_missing(diff):
                diff_text = f"{float(diff) * 100:+.1f} pts"
            else:
                diff_text = "n/a" if is_missing(diff) else (("+" if float(diff) >= 0 else "") + fmt_num(diff))
            rows.append([_key(r), str(r.unit), _fmt(r.paper_value, r.unit), _fmt(r.warehouse_value, r.unit), diff_text])
        tables.append(
            Table(["measure", "unit", "paper", "now", "difference"], rows, left=2, caption=_section_caption(sec))
        )
    return {"cards": items, "chart": _share_chart(df), "tables": tables}


def _section_caption(sec: str) -> str:
    if not sec or sec in ("nan", "None"):
        return "other"
    return f"§{sec}" if sec[0].isdigit() else sec


def _section_order(sec: str):
    try:
        return tuple(int(p) for p in str(sec).split("."))
    except ValueError:
        return (999,)


def _share_chart(df: pd.DataFrame) -> Chart | Note:
    """Shares (0-1) of the paper against this snapshot's, with the diagonal."""
    sub = df[df.unit.astype(str).isin(SHARE_UNITS) & df.warehouse_value.notna() & df.paper_value.notna()]
    if sub.empty:
        return Note("Shares to compare with the paper")
    labels = [_key(r) for _, r in sub.iterrows()]
    fig = go.Figure(
        go.Scatter(
            x=sub.paper_value.astype(float),
            y=sub.warehouse_value.astype(float),
            mode="markers",
            text=labels,
            marker=dict(size=9, color="#2f6fb3", opacity=0.75),
            hovertemplate="%{text}<br>paper %{x:.3f} · now %{y:.3f}<extra></extra>",
            showlegend=False,
        )
    )
    values = np.concatenate([sub.paper_value.to_numpy(float), sub.warehouse_value.to_numpy(float)])
    lo, hi = min(0.0, float(np.nanmin(values))), max(1.0, float(np.nanmax(values)))
    fig.add_trace(
        go.Scatter(
            x=[lo, hi],
            y=[lo, hi],
            mode="lines",
            line=dict(color="#aaa", dash="dot"),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.update_layout(title="Shares and correlations: paper (x) vs this snapshot (y); on the diagonal = unchanged")
    pad = 0.03 * (hi - lo)
    fig.update_xaxes(title_text="paper (Oct 2023)", range=[lo - pad, hi + pad], constrain="domain")
    fig.update_yaxes(
        title_text="this snapshot", range=[lo - pad, hi + pad], scaleanchor="x", scaleratio=1, constrain="domain"
    )
    return charts.figure_html(fig, "paper-vs-now-shares", height=520)
