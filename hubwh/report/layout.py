"""What the report pages share: the page list, number formats, and the plain values
the page modules hand to the templates (tables, KPI numbers, cards, charts, the
"not computed" note). The markup itself lives in templates/ (macros.html).

Pages are static files that open from disk with no network: plotly.js is written
once beside the pages (plotly.min.js) and referenced by relative path."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

PAGES = (
    ("index.html", "Snapshot"),
    ("activity.html", "Activity (RQ1)"),
    ("collaboration.html", "Collaboration (RQ2)"),
    ("adoption.html", "Adoption (RQ3)"),
    ("lineage.html", "Lineage"),
    ("health.html", "Health"),
    ("over-time.html", "Over time"),
    ("paper-vs-now.html", "Paper vs now"),
)

PLOTLY_FILE = "plotly.min.js"


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
        return str(value)
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


# --- values the templates render (macros.html) -------------------------------------------


@dataclass(frozen=True)
class Kpi:
    """A number the browser test compares with the marts (a span with data-key)."""

    key: str
    text: str


@dataclass(frozen=True)
class Card:
    """A headline number (text or Kpi) with its caption, optionally a link to its page."""

    value: str | Kpi
    caption: str
    href: str | None = None


@dataclass(frozen=True)
class Table:
    """A table; the first `left` columns are left-aligned text. Cells are text or Kpi.
    Rows whose index is in `highlight` are marked (class "hl")."""

    headers: Sequence[str]
    rows: Sequence[Sequence]
    caption: str = ""
    left: int = 1
    highlight: Sequence[int] = ()


@dataclass(frozen=True)
class Chart:
    """A plotly figure as its <div> (plotly.js itself is loaded once in the page head)."""

    chart_id: str
    div: Markup


@dataclass(frozen=True)
class Note:
    """'<what>: not computed in this snapshot (<why>).'"""

    what: str
    why: str = ""
