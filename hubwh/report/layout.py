"""The shared look of the report pages: page skeleton, navigation, number
formats, HTML tables and the "not computed" note.

Pages are static files that open from disk with no network: plotly.js is written
once beside the pages (plotly.min.js) and referenced by relative path."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

import pandas as pd

PAGES = (
    ("index.html", "Snapshot"),
    ("activity.html", "Activity (RQ1)"),
    ("collaboration.html", "Collaboration (RQ2)"),
    ("adoption.html", "Adoption (RQ3)"),
    ("paper-vs-now.html", "Paper vs now"),
)

PLOTLY_FILE = "plotly.min.js"

CSS = """
:root { --fg:#1d232b; --muted:#5b6573; --line:#d9dee5; --accent:#2f6fb3; --bg:#ffffff; --soft:#f4f6f9; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color:var(--fg); background:var(--bg); }
header.top { background:#17324f; color:#fff; padding:14px 28px 0 28px; }
header.top h1 { margin:0 0 4px 0; font-size:21px; font-weight:600; }
header.top .sub { color:#c9d6e4; font-size:13px; margin-bottom:10px; }
nav a { display:inline-block; color:#dbe6f2; text-decoration:none; padding:8px 14px; margin-right:2px;
        border-radius:6px 6px 0 0; font-size:14px; }
nav a.here { background:var(--bg); color:var(--fg); font-weight:600; }
main { padding:18px 28px 40px 28px; max-width:1360px; }
h2 { font-size:19px; margin:30px 0 6px 0; padding-top:8px; border-top:1px solid var(--line); }
h3 { font-size:16px; margin:18px 0 6px 0; }
p.lead { color:var(--muted); margin:4px 0 12px 0; max-width:980px; }
.note { background:#fff7e0; border-left:4px solid #e0a800; padding:8px 12px; margin:8px 0; color:#5a4500; }
.cards { display:flex; flex-wrap:wrap; gap:12px; margin:12px 0; }
.card { background:var(--soft); border:1px solid var(--line); border-radius:8px; padding:10px 14px; min-width:190px; }
.card .v { font-size:22px; font-weight:600; }
.card a { color:inherit; text-decoration:none; }
.card a:hover { text-decoration:underline; }
.card .k { font-size:12.5px; color:var(--muted); }
table.t { border-collapse:collapse; margin:6px 0 14px 0; font-size:13.5px; }
table.t th, table.t td { border-bottom:1px solid var(--line); padding:4px 10px; text-align:right; white-space:nowrap; }
table.t th { background:var(--soft); font-weight:600; }
table.t td.l, table.t th.l { text-align:left; }
.scroll table.t td.l { max-width:270px; overflow:hidden; text-overflow:ellipsis; }
table.t caption { caption-side:top; text-align:left; font-weight:600; padding:4px 0; }
.grid2 { display:grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap:10px 24px; align-items:start; }
.chart { margin:6px 0 12px 0; }
.scroll { overflow-x:auto; max-width:100%; }
.scroll table.t { margin-right:8px; }
.muted { color:var(--muted); }
code { background:var(--soft); padding:1px 4px; border-radius:3px; font-size:13px; }
"""

# Recorded in the page so a browser test can see script errors in the DOM too.
ERROR_HOOK = """<script>
window.__hubwhErrors = [];
window.addEventListener('error', function (e) {
  window.__hubwhErrors.push(String(e.message));
  document.documentElement.setAttribute('data-js-errors', window.__hubwhErrors.join(' | '));
});
</script>"""


def esc(value) -> str:
    return html.escape("" if value is None else str(value))


def is_missing(value) -> bool:
    """None, NaN, pandas NA/NaT."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def fmt_share(value, digits: int = 1) -> str:
    """0.873 -> '87.3 %' (a share of 1)."""
    if is_missing(value):
        return "n/a"
    return f"{float(value) * 100:.{digits}f} %"


def fmt_int(value) -> str:
    if is_missing(value):
        return "n/a"
    return f"{int(round(float(value))):,}"


def fmt_num(value, digits: int = 2) -> str:
    """Counts with thousands separators, other numbers with `digits` decimals
    (small magnitudes with 3 significant digits), NaN as the paper writes it."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return esc(value)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    if x != 0 and abs(x) < 10**-digits:
        return f"{x:.3g}"
    return f"{x:,.{digits}f}"


def fmt_fixed(value, digits: int = 2) -> str:
    """Always `digits` decimals (means, standard deviations)."""
    if is_missing(value):
        return "n/a"
    return f"{float(value):,.{digits}f}"


def fmt_p(value) -> str:
    if is_missing(value):
        return "n/a"
    x = float(value)
    return "< 0.001" if x < 0.001 else f"{x:.3f}"


def label(activity: str) -> str:
    """Column names as the paper prints them (n_likes)."""
    return str(activity) if str(activity).startswith("n_") else f"n_{activity}"


def kpi(key: str, text: str) -> str:
    """A number the browser test compares with the marts (data-key)."""
    return f'<span class="kpi" data-key="{esc(key)}">{esc(text)}</span>'


def card(value_html: str, caption: str) -> str:
    return f'<div class="card"><div class="v">{value_html}</div><div class="k">{esc(caption)}</div></div>'


def cards(items: Iterable[str]) -> str:
    return '<div class="cards">' + "".join(items) + "</div>"


def not_computed(what: str, why: str = "") -> str:
    extra = f" ({esc(why)})" if why else ""
    return f'<p class="note">{esc(what)}: not computed in this snapshot{extra}.</p>'


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    caption: str = "",
    left: int = 1,
    raw: bool = False,
    attrs: str = "",
) -> str:
    """An HTML table; the first `left` columns are left-aligned text. Cells are
    escaped unless raw=True (then the caller passes ready HTML)."""
    out = [f'<table class="t" {attrs}>']
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    out.append(
        "<thead><tr>"
        + "".join(f'<th class="{"l" if i < left else ""}">{esc(h)}</th>' for i, h in enumerate(headers))
        + "</tr></thead><tbody>"
    )
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            content = str(cell) if raw else esc(cell)
            cells.append(f'<td class="{"l" if i < left else ""}">{content}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def section(anchor: str, title: str, lead: str, body: str) -> str:
    lead_html = f'<p class="lead">{lead}</p>' if lead else ""
    return f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>{lead_html}{body}</section>'


def page(filename: str, title: str, subtitle: str, body: str) -> str:
    nav = "".join(
        f'<a href="{href}" class="{"here" if href == filename else ""}">{esc(name)}</a>' for href, name in PAGES
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · hub-warehouse</title>
<link rel="icon" href="data:,">
{ERROR_HOOK}
<style>{CSS}</style>
<script src="{PLOTLY_FILE}"></script>
</head><body>
<header class="top"><h1>hub-warehouse · {esc(title)}</h1><div class="sub">{subtitle}</div><nav>{nav}</nav></header>
<main>
{body}
</main></body></html>
"""
