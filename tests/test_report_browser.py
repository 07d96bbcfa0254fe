"""The HTML report in a real browser: every page of the report written from the
session warehouse is opened from disk in headless Chromium, which must log no
console message, render every plotly chart with data marks, and show the key
numbers the marts hold. Screenshots of every page land in build/screenshots/.

Skipped when Chromium is absent (`.ci/run` installs Debian's `chromium`)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hubwh.report import layout

PROJECT_ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.browser

PAGES = tuple(name for name, _title in layout.PAGES)  # every page the report writes
SCREENSHOT_DIR = PROJECT_ROOT / "build" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
]


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def open_page(
    page: Path,
    *,
    screenshot: Path | None = None,
    window: str = "1400,2400",
    scale: float | None = None,
    timeout: int = 90,
) -> tuple[str, list[str]]:
    """Load a local page in headless Chromium; returns (DOM after scripts ran,
    console messages). Optionally writes a screenshot of the window."""
    binary = chromium_binary()
    assert binary, "chromium not on PATH"
    with tempfile.TemporaryDirectory(prefix="hubwh-chromium-") as home:
        args = [
            binary,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={home}/profile",
            f"--window-size={window}",
            # let plotly finish drawing (virtual time: no real wait when idle)
            "--virtual-time-budget=10000",
            "--dump-dom",
        ]
        if screenshot is not None:
            args.append(f"--screenshot={screenshot}")
        if scale:
            args.append(f"--force-device-scale-factor={scale}")
        args.append(page.resolve().as_uri())
        env = {**os.environ, "HOME": home}
        proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env)
    assert proc.returncode == 0, f"chromium failed on {page.name}: {proc.stderr[-2000:]}"
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return proc.stdout, console


class _Charts(HTMLParser):
    """Collects, per <div class="chart" data-chart=...>, the classes and tags
    drawn inside it by plotly."""

    def __init__(self):
        super().__init__()
        self.charts: dict[str, dict] = {}
        self.kpis: dict[str, str] = {}
        self._stack: list[tuple[str, str | None]] = []  # (tag, chart id it opens)
        self._current: str | None = None
        self._kpi: str | None = None
        self.js_errors = None

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area", "base", "embed"}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html" and "data-js-errors" in a:
            self.js_errors = a["data-js-errors"]
        opened = None
        if tag == "div" and "chart" in (a.get("class") or "").split() and a.get("data-chart"):
            opened = self._current = a["data-chart"]
            self.charts[opened] = {"svg": 0, "marks": 0}
        if tag == "span" and "kpi" in (a.get("class") or "").split():
            self._kpi = a.get("data-key")
            self.kpis[self._kpi] = ""
        if self._current:
            info = self.charts[self._current]
            classes = (a.get("class") or "").split()
            if tag == "svg" and "main-svg" in classes:
                info["svg"] += 1
            # data marks: line paths with a drawn path, markers/bars ("point"), heatmap images
            if tag == "path" and "js-line" in classes and len(a.get("d") or "") > 2:
                info["marks"] += 1
            if tag == "path" and "point" in classes and len(a.get("d") or "") > 2:
                info["marks"] += 1
            if tag == "g" and "point" in classes:
                info["marks"] += 1
            # boxes of box plots
            if tag == "path" and "box" in classes and len(a.get("d") or "") > 2:
                info["marks"] += 1
            # treemap and sunburst tiles
            if tag == "path" and "surface" in classes and len(a.get("d") or "") > 2:
                info["marks"] += 1
            if tag == "image" and (a.get("href") or a.get("xlink:href") or "").startswith("data:image"):
                info["marks"] += 1
        if tag not in self.VOID:
            self._stack.append((tag, opened))

    def handle_startendtag(self, tag, attrs):
        # self-closing SVG elements (<path .../>, <image .../>): count, don't push
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self._stack:
            self._pop(tag)

    def handle_endtag(self, tag):
        self._pop(tag)

    def _pop(self, tag):
        while self._stack:
            t, opened = self._stack.pop()
            if opened:
                self._current = None
            if t == "span" and self._kpi is not None:
                self._kpi = None
            if t == tag:
                break

    def handle_data(self, data):
        if self._kpi is not None:
            self.kpis[self._kpi] += data


def parse_dom(dom: str) -> _Charts:
    parser = _Charts()
    parser.feed(dom)
    return parser


@pytest.fixture(scope="module")
def rendered(warehouse, tmp_path_factory):
    """The report written once, every page opened once in Chromium."""
    if chromium_binary() is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from hubwh.report import write_html

    out = tmp_path_factory.mktemp("report")
    write_html(warehouse, out)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def load(name):
        return name, open_page(out / name, screenshot=SCREENSHOT_DIR / name.replace(".html", ".png"))

    pages = {}
    with ThreadPoolExecutor(max_workers=2) as pool:  # two browsers at a time: ~2.5 s a page
        for name, (dom, console) in pool.map(load, PAGES):
            pages[name] = {
                "source": (out / name).read_text(encoding="utf-8"),
                "dom": dom,
                "console": console,
                "parsed": parse_dom(dom),
            }
    return pages


def test_pages_log_no_console_messages(rendered):
    for name, page in rendered.items():
        assert page["console"] == [], f"{name} logged to the console: {page['console']}"
        assert page["parsed"].js_errors is None, f"{name} raised: {page['parsed'].js_errors}"


def test_every_chart_is_drawn_with_data(rendered):
    total = 0
    for name, page in rendered.items():
        declared = re.findall(r'data-chart="([^"]+)"', page["source"])
        charts = page["parsed"].charts
        assert sorted(charts) == sorted(declared), f"{name}: charts missing from the DOM"
        for chart_id, info in charts.items():
            assert info["svg"] >= 1, f"{name}: plotly did not draw {chart_id}"
            assert info["marks"] >= 1, f"{name}: {chart_id} has no data marks"
        total += len(charts)
    # the demo warehouse has data for every figure of the paper (Figures 1-5 and more)
    assert total >= 10
    for name in ("activity.html", "collaboration.html", "adoption.html", "lineage.html"):
        assert rendered[name]["parsed"].charts, f"{name} has no chart"


def test_screenshots_written(rendered):
    for name in PAGES:
        shot = SCREENSHOT_DIR / name.replace(".html", ".png")
        assert shot.exists() and shot.stat().st_size > 10_000, shot


def _share(value) -> str:
    return f"{float(value) * 100:.1f} %"


def test_key_numbers_equal_the_marts(rendered, duck):
    isolate = duck.execute("select isolate_share from marts.collab_summary where network = 'all'").fetchone()[0]
    zero_likes = duck.execute(
        "select zero_share from marts.activity_summary where repo_type = 'model' and activity = 'n_likes'"
    ).fetchone()[0]
    zero_disc = duck.execute(
        "select zero_share from marts.activity_summary where repo_type = 'space' and activity = 'n_discussions'"
    ).fetchone()[0]
    top_spaces = duck.execute("select max(n_spaces) from marts.model_adoption where subfield = 'all'").fetchone()[0]
    # an independent count from the usage pairs, not the adoption mart
    top_pairs = duck.execute(
        "select count(distinct space_id) as n from marts.model_usage group by model_id order by n desc limit 1"
    ).fetchone()[0]
    pareto = duck.execute(
        "select repo_share from marts.activity_pareto where repo_type = 'model' "
        "and activity = 'n_likes' and threshold = 0.8"
    ).fetchone()[0]
    assert top_spaces == top_pairs

    index = rendered["index.html"]["parsed"].kpis
    activity = rendered["activity.html"]["parsed"].kpis
    collab = rendered["collaboration.html"]["parsed"].kpis
    adoption = rendered["adoption.html"]["parsed"].kpis
    assert collab["isolate_share.all"] == _share(isolate)
    assert index["isolate_share.all"] == _share(isolate)
    assert activity["zero_share.model.n_likes"] == _share(zero_likes)
    assert index["zero_share.model.n_likes"] == _share(zero_likes)
    assert activity["zero_share.space.n_discussions"] == _share(zero_disc)
    assert activity["pareto.model.n_likes.0.8"] == _share(pareto)
    assert adoption["top_model.n_spaces"] == f"{int(top_spaces):,}"
    assert index["top_model.n_spaces"] == f"{int(top_spaces):,}"


def test_lineage_page_draws_its_charts(rendered):
    charts = rendered["lineage.html"]["parsed"].charts
    assert set(charts) == {"lineage-families", "lineage-family-sizes", "lineage-relations"}
    # the treemap: at least the 20 largest families' tiles and one relation tile each
    assert charts["lineage-families"]["marks"] >= 40
    assert "not computed in this snapshot" not in rendered["lineage.html"]["source"]


def test_lineage_key_numbers_equal_the_marts(rendered, duck):
    """Every lineage number on the page, recomputed from the edges and family members
    (not from lineage_summary, which the page reads)."""
    q = lambda sql: duck.execute(sql).fetchone()  # noqa: E731
    n_models = q("select count(*) from marts.repo_activity where repo_type = 'model'")[0]
    with_parent = q("select count(distinct child_id) from marts.model_lineage")[0]
    n_edges = q("select count(*) from marts.model_lineage")[0]
    n_families, largest = q(
        "select count(*), max(n) from (select root_id, count(*) as n from marts.model_family_members group by root_id)"
    )
    depth_max = q("select max(d) from (select model_id, min(depth) as d from marts.model_family_members group by all)")[
        0
    ]
    to_permissive, to_none = q(
        "select count(*) filter (where parent_license_class = 'restrictive' and child_license_class = 'permissive'), "
        "count(*) filter (where parent_license_class = 'restrictive' and child_license_class = 'none') "
        "from marts.model_lineage"
    )
    top_org = q("select max(n_descendants) from marts.organisation_derivatives")[0]
    relations = dict(duck.execute("select relation, count(*) from marts.model_lineage group by all").fetchall())
    # the demo Hub plants lineage, drift of both kinds, and families of more than one member
    assert with_parent and to_permissive and to_none and largest > 1 and len(relations) >= 4

    kpis = rendered["lineage.html"]["parsed"].kpis
    assert kpis["lineage.share_with_parent"] == _share(with_parent / n_models)
    assert kpis["lineage.n_edges"] == f"{n_edges:,}"
    assert kpis["lineage.n_families"] == f"{n_families:,}"
    assert kpis["lineage.largest_family"] == f"{largest:,}"
    assert kpis["lineage.depth_max"] == f"{depth_max:,}"
    assert kpis["lineage.restrictive_to_permissive"] == f"{to_permissive:,}"
    assert kpis["lineage.drift.restrictive_to_permissive"] == f"{to_permissive:,}"
    assert kpis["lineage.drift.restrictive_to_none"] == f"{to_none:,}"
    assert kpis["lineage.top_organisation.n_descendants"] == f"{top_org:,}"
    for relation, n in relations.items():
        assert kpis[f"lineage.share_relation.{relation}"] == _share(n / n_edges), relation


def test_health_page_draws_its_charts(rendered):
    charts = rendered["health.html"]["parsed"].charts
    assert set(charts) == {"health-absence", "health-onion", "health-size-boxes"}
    assert charts["health-size-boxes"]["marks"] >= 4 * 5  # four activities, five known size classes
    assert "not computed in this snapshot" not in rendered["health.html"]["source"]


def test_health_key_numbers_equal_the_marts(rendered, duck):
    """The Health page's numbers, recomputed from repo_health's rows, elephant_factor and the size marts."""
    import pandas as pd

    kpis = rendered["health.html"]["parsed"].kpis
    health = duck.execute("select * from marts.repo_health").df()
    for rt, part in health.groupby("repo_type"):
        multi = part[part.n_committers >= 2]
        assert kpis[f"health.one_person_share.{rt}"] == _share((multi.absence_factor == 1).mean()), rt
        assert kpis[f"health.one_person_share.{rt}.table"] == _share((multi.absence_factor == 1).mean()), rt
        roles = {r: part[f"n_{r}"].sum() for r in ("core", "regular", "casual", "discussion_only")}
        for role, n in roles.items():
            assert kpis[f"health.onion.{rt}.{role}"] == _share(n / sum(roles.values())), (rt, role)
        assert kpis[f"health.journeys.{rt}"] == f"{int(part.n_discussion_to_commit.sum()):,}"
        assert kpis[f"health.pr_journeys.{rt}"] == f"{int(part.n_pr_to_commit.sum()):,}"
    assert kpis["health.journeys.all"] == f"{int(health.n_discussion_to_commit.sum()):,}"
    for r in duck.execute("select repo_type, activity, elephant_factor from marts.elephant_factor").fetchall():
        assert kpis[f"health.elephant.{r[0]}.{r[1]}"] == f"{r[2]:,}", r
    sizes = duck.execute(
        "select size_class, count(*) from marts.repo_activity where repo_type = 'model' group by all"
    ).fetchall()
    for size_class, n in sizes:
        assert kpis[f"health.size.{size_class}.n_models"] == f"{n:,}", size_class
    tests = duck.execute("select activity, spearman_r from marts.model_size_tests").df()
    for r in tests.itertuples():
        expected = f"{r.spearman_r:,.3f}" if pd.notna(r.spearman_r) else "NaN"
        assert kpis[f"health.size_spearman.{r.activity}"] == expected, r.activity


TIME_CHARTS = {"time-created", "time-developers", "time-churn", "time-network-shares", "time-network-sizes"}


def test_over_time_page_draws_its_charts(rendered):
    charts = rendered["over-time.html"]["parsed"].charts
    assert set(charts) == TIME_CHARTS
    # a line per repo type (created, churn), per type and measure (developers), per measure (network)
    assert charts["time-created"]["marks"] >= 3 and charts["time-churn"]["marks"] >= 3
    assert charts["time-developers"]["marks"] >= 6
    assert charts["time-network-shares"]["marks"] >= 3 and charts["time-network-sizes"]["marks"] >= 4
    # one refresh only: the gainers say why they are not shown
    assert "Shown once history holds two or more refreshes" in rendered["over-time.html"]["source"]


def test_over_time_key_numbers_equal_the_marts(rendered, duck):
    q = lambda sql: duck.execute(sql).fetchone()  # noqa: E731
    n_months = q("select count(distinct month) from marts.activity_monthly")[0]
    active, new, created = q(
        "select n_active_developers, n_new_developers, n_repos_created from marts.activity_monthly "
        "where repo_type = 'model' order by month desc limit 1"
    )
    # the last month's active model developers, counted again from the dated commit authors
    (recount,) = q(
        "select count(distinct developer) from intermediate.int_commit_developers_dated where repo_type = 'model' "
        "and date_trunc('month', timezone('UTC', committed_at)) = "
        "(select max(month) from marts.activity_monthly)"
    )
    isolate_share, max_core = q(
        "select isolate_share, max_core_nodes from marts.collab_timeline order by quarter_end desc"
    )
    kpis = rendered["over-time.html"]["parsed"].kpis
    assert kpis["time.n_months"] == f"{n_months:,}"
    assert kpis["time.last.n_active_developers"] == f"{active:,}" == f"{recount:,}"
    assert kpis["time.last.n_new_developers"] == f"{new:,}"
    assert kpis["time.last.n_repos_created"] == f"{created:,}"
    assert kpis["time.last_quarter.isolate_share"] == _share(isolate_share)
    assert kpis["time.last_quarter.max_core_nodes"] == f"{max_core:,}"
