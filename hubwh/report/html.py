"""Writes the static HTML report: one page per part of the paper, rendered from the
Jinja2 templates in templates/ (autoescaped), plotly.js written once beside them,
nothing fetched from the network."""

from __future__ import annotations

from pathlib import Path

import jinja2

from hubwh.errors import HubwhError
from hubwh.report import activity, adoption, collaboration, comparison, health, index, lineage, over_time
from hubwh.report.data import Warehouse
from hubwh.report.layout import PAGES, PLOTLY_FILE, Chart, Kpi, Note, fmt_int, fmt_num, fmt_share
from hubwh.report.snapshot import snapshot_info


def environment() -> jinja2.Environment:
    """The templates' environment: every {{ value }} of an .html template is escaped
    (warehouse strings such as repo ids and licenses reach the pages)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hubwh.report", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=lambda value: "" if value is None else value,  # a missing cell is blank, not "None"
    )
    env.filters.update(share=fmt_share, num=fmt_num, int=fmt_int)
    env.tests.update(
        kpi=lambda v: isinstance(v, Kpi), chart=lambda v: isinstance(v, Chart), note=lambda v: isinstance(v, Note)
    )
    return env


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
        subtitle = f"snapshot {info.taken_at or 'of unknown date'} · {info.scope_text}"
        pages = {
            "index.html": (index.TITLE, index.build(wh, info)),
            "activity.html": (activity.TITLE, activity.build(wh)),
            "collaboration.html": (collaboration.TITLE, collaboration.build(wh)),
            "adoption.html": (adoption.TITLE, adoption.build(wh)),
            "lineage.html": (lineage.TITLE, lineage.build(wh)),
            "health.html": (health.TITLE, health.build(wh)),
            over_time.FILE: (over_time.TITLE, over_time.build(wh)),
            "paper-vs-now.html": (comparison.TITLE, comparison.build(wh)),
        }
    assert set(pages) == {p for p, _ in PAGES}
    js = out / PLOTLY_FILE
    plotly_js = plotly.offline.get_plotlyjs()
    if not js.exists() or js.stat().st_size != len(plotly_js.encode()):
        js.write_text(plotly_js, encoding="utf-8")
    env = environment()
    for filename, (title, context) in pages.items():
        text = env.get_template(filename).render(
            context, filename=filename, title=title, subtitle=subtitle, pages=PAGES, plotly_file=PLOTLY_FILE
        )
        (out / filename).write_text(text, encoding="utf-8")
    return out / "index.html"
