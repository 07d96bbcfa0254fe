"""Writes the static HTML report: one page per part of the paper, plotly.js
written once beside them, nothing fetched from the network."""

from __future__ import annotations

from pathlib import Path

from hubwh.errors import HubwhError
from hubwh.report import activity, adoption, collaboration, comparison, index
from hubwh.report.data import Warehouse
from hubwh.report.layout import PAGES, PLOTLY_FILE, esc, page
from hubwh.report.snapshot import snapshot_info


def write_html(db_path: str | Path, out_dir: str | Path) -> Path:
    """Write the report pages into out_dir; returns the path of index.html."""
    import plotly.offline

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HubwhError(f"cannot create the report folder {out}: {exc}") from exc
    with Warehouse(db_path) as wh:
        info = snapshot_info(wh)
        subtitle = esc(f"snapshot {info.taken_at or 'of unknown date'} · {info.scope_text}")
        bodies = {
            "index.html": (index.TITLE, index.build(wh, info)),
            "activity.html": (activity.TITLE, activity.build(wh)),
            "collaboration.html": (collaboration.TITLE, collaboration.build(wh)),
            "adoption.html": (adoption.TITLE, adoption.build(wh)),
            "paper-vs-now.html": (comparison.TITLE, comparison.build(wh)),
        }
    assert set(bodies) == {p for p, _ in PAGES}
    js = out / PLOTLY_FILE
    plotly_js = plotly.offline.get_plotlyjs()
    if not js.exists() or js.stat().st_size != len(plotly_js.encode()):
        js.write_text(plotly_js, encoding="utf-8")
    for filename, (title, body) in bodies.items():
        (out / filename).write_text(page(filename, title, subtitle, body), encoding="utf-8")
    return out / "index.html"
