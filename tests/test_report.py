"""The report without a browser: the terminal headlines, the static pages
(offline, plotly.js once, modest sizes), graceful pages on an empty or
half-built warehouse, and the helpers behind the figures."""

from __future__ import annotations

import html
import re
import shutil

import duckdb
import numpy as np
import pytest
from rich.console import Console

from hubwh.errors import HubwhError
from hubwh.report import print_headlines, write_html
from hubwh.report.charts import ccdf_points, thin_log
from hubwh.report.data import ACTIVITIES, PUBLIC_MARTS
from hubwh.report.layout import PAGES, fmt_num, fmt_share
from hubwh.report.snapshot import describe_scope

PAGE_FILES = [p for p, _ in PAGES]
NOT_COMPUTED = "not computed in this snapshot"


# --- helpers with hand-worked answers ------------------------------------------------------


def test_ccdf_points_hand_worked():
    x, p = ccdf_points(np.array([0, 0, 1, 1, 2, 5]))
    assert x.tolist() == [1, 2, 5]
    assert np.allclose(p, [4 / 6, 2 / 6, 1 / 6])  # zeros count in the denominator
    x, p = ccdf_points(np.array([3, 7]), np.array([10, 30]))  # value counts
    assert x.tolist() == [3, 7] and np.allclose(p, [1.0, 0.75])
    x, p = ccdf_points(np.array([np.nan, 0.0]))
    assert len(x) == 0


def test_ccdf_thinning_keeps_ends_and_shape():
    values = np.arange(1, 100_001)
    x, p = ccdf_points(values, max_points=200)
    assert len(x) <= 202 and x[0] == 1 and x[-1] == 100_000
    assert np.all(np.diff(x) > 0) and np.all(np.diff(p) <= 0)
    # each kept point has its exact probability
    assert np.allclose(p, (100_001 - x) / 100_000)
    idx = thin_log(np.array([1.0, 2.0, 3.0]), 10)
    assert idx.tolist() == [0, 1, 2]


def test_number_formats():
    assert fmt_share(0.8734) == "87.3 %"
    assert fmt_share(None) == "n/a"
    assert fmt_num(3140) == "3,140"
    assert fmt_num(4.1) == "4.10"
    assert fmt_num(float("nan")) == "NaN"
    assert fmt_num(0.00012) == "0.00012"


def test_table_macro_escapes_and_blanks():
    """The table macro: text escaped, a missing cell blank, a Kpi as its data-key span."""
    from hubwh.report.html import environment
    from hubwh.report.layout import Kpi, Table

    template = environment().from_string('{% import "macros.html" as m %}{{ m.table(t) }}')
    out = template.render(t=Table(["repo", "<n>"], [["a&b", None], ["c", Kpi("k.1", "5 %")]], caption="x<y"))
    assert out == (
        '<table class="t"><caption>x&lt;y</caption><thead><tr><th class="l">repo</th><th class="">&lt;n&gt;</th>'
        '</tr></thead><tbody><tr><td class="l">a&amp;b</td><td class=""></td></tr><tr><td class="l">c</td>'
        '<td class=""><span class="kpi" data-key="k.1">5 %</span></td></tr></tbody></table>'
    )


def test_scope_described():
    full = {
        "types": ["model", "dataset", "space"],
        "author": None,
        "filter": [],
        "limit": None,
        "sample": None,
        "seed": 0,
        "commits": True,
        "discussions": True,
        "discussions_ttl_days": 7.0,
    }
    assert describe_scope(full) == "full Hub · types: model, dataset, space"
    scoped = {**full, "types": ["model"], "author": "google", "sample": 0.05, "seed": 3, "discussions": False}
    text = describe_scope(scoped)
    assert text.startswith("scoped crawl") and "author: google" in text
    assert "sample fraction: 0.05 (seed 3)" in text and "discussions not fetched" in text
    assert describe_scope({}).startswith("unknown")


# --- on the session warehouse ----------------------------------------------------------------


@pytest.fixture(scope="module")
def report(warehouse, tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    index = write_html(warehouse, out)
    return out, index


def test_report_pages_are_written_offline(report):
    out, index = report
    assert index == out / "index.html"
    js = out / "plotly.min.js"
    assert js.stat().st_size > 1_000_000  # plotly.js itself, written once beside the pages
    for name in PAGE_FILES:
        html = (out / name).read_text(encoding="utf-8")
        assert html.count('<script src="plotly.min.js">') == 1
        # nothing fetched from the network: no remote scripts, styles, fonts or images
        assert not re.search(r'(src|href)\s*=\s*["\']?(https?:)?//', html), name
        assert "cdn.plot.ly" not in html
        assert (out / name).stat().st_size < 2_000_000, f"{name} is too big"
        for href, _ in PAGES:  # every page links every page
            assert f'href="{href}"' in html


def test_report_shows_every_figure_and_table(report):
    out, _ = report
    activity = (out / "activity.html").read_text(encoding="utf-8")
    for marker in (
        "Figure 1",
        "Table 2",
        "Table 3",
        "Table 4",
        "Pareto",
        "Lorenz",
        "Figure 2",
        "Figure 3",
        "License shares",
        "Table 5",
    ):
        assert marker in activity, marker
    collab = (out / "collaboration.html").read_text(encoding="utf-8")
    for marker in ("Figure 4", "Table 6", "Table 7", "Table 8", "Table 9", "Isolates", "Top developers"):
        assert marker in collab, marker
    adoption = (out / "adoption.html").read_text(encoding="utf-8")
    for marker in ("Figure 5", "Most used models per sub-field", "Organisations behind", "Likes and downloads"):
        assert marker in adoption, marker
    lineage = (out / "lineage.html").read_text(encoding="utf-8")
    for marker in (
        "The largest families",
        "Family sizes",
        "Relations",
        "Derivatives by organisation",
        "License drift",
        "Descendants vs popularity",
        'data-chart="lineage-families"',
        'data-chart="lineage-family-sizes"',
        'data-chart="lineage-relations"',
    ):
        assert marker in lineage, marker
    # on the full demo warehouse nothing is missing
    for name in PAGE_FILES:
        assert NOT_COMPUTED not in (out / name).read_text(encoding="utf-8"), name


def test_header_says_when_and_what(report, duck):
    out, _ = report
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "full Hub" in index
    n_models = duck.execute("select count(*) from raw.models").fetchone()[0]
    assert f'<td class="l">raw.models</td><td class="">{n_models:,}</td>' in index
    finished = duck.execute("select max(finished_at) from raw.crawl_runs").fetchone()[0]
    assert finished.strftime("%Y-%m-%d") in index


def test_paper_comparison_rows_all_listed(report, duck):
    out, _ = report
    page = (out / "paper-vs-now.html").read_text(encoding="utf-8")
    n = duck.execute("select count(*) from marts.paper_comparison").fetchone()[0]
    assert page.count("<tr>") - page.count("<thead><tr>") == n


def test_print_headlines(warehouse, duck):
    console = Console(record=True, width=160)
    print_headlines(warehouse, console=console)
    text = console.export_text()
    isolate = duck.execute("select isolate_share from marts.collab_summary where network = 'all'").fetchone()[0]
    top = duck.execute(
        "select model_id, n_spaces from marts.model_adoption where subfield = 'all' "
        "order by n_spaces desc, model_id limit 1"
    ).fetchone()
    zero = duck.execute(
        "select zero_share from marts.activity_summary where repo_type = 'model' and activity = 'n_likes'"
    ).fetchone()[0]
    assert fmt_share(isolate) in text
    assert top[0] in text and f"{top[1]:,}" in text
    assert fmt_share(zero) in text
    share = duck.execute(
        "select count(distinct child_id) / (select count(*) from marts.repo_activity where repo_type = 'model') "
        "from marts.model_lineage"
    ).fetchone()[0]
    root, size = duck.execute(
        "select root_id, count(*) as n from marts.model_family_members "
        "group by root_id order by n desc, root_id limit 1"
    ).fetchone()
    org, n_desc = duck.execute(
        "select organisation, n_descendants from marts.organisation_derivatives "
        "order by n_descendants desc, organisation limit 1"
    ).fetchone()
    drift = duck.execute(
        "select count(*) from marts.model_lineage "
        "where parent_license_class = 'restrictive' and child_license_class = 'permissive'"
    ).fetchone()[0]
    lineage = text[text.index("Lineage") :]
    assert re.search(rf"share of models with a parent\s*│\s*{re.escape(fmt_share(share))}", lineage)
    assert re.search(rf"largest family \(descendants\)\s*│\s*{size:,}\s*│\s*{re.escape(root)}", lineage)
    assert re.search(rf"top organisation by descendants\s*│\s*{n_desc:,}\s*│\s*{re.escape(org)}", lineage)
    assert re.search(rf"restrictive → permissive edges\s*│\s*{drift:,}\s", lineage)
    for title in (
        "zero activity",
        "Pareto",
        "licenses",
        "Mann-Whitney",
        "collaboration",
        "k-cores",
        "most used models",
        "organisations",
        "Lineage",
    ):
        assert title in text, title
    assert NOT_COMPUTED not in text


def test_report_cli(warehouse, tmp_path, capsys):
    from hubwh.cli import main

    assert main(["report", "--db", str(warehouse)]) == 0
    assert "RQ2" in capsys.readouterr().out
    assert main(["report", "--db", str(tmp_path / "absent.duckdb")]) == 2
    assert "no warehouse" in capsys.readouterr().err


# --- graceful on what a scoped or half-built warehouse lacks ------------------------------


def _all_pages(out) -> dict[str, str]:
    return {name: (out / name).read_text(encoding="utf-8") for name in PAGE_FILES}


def test_empty_warehouse_says_not_computed(tmp_path):
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    pages = _all_pages(write_html(db, tmp_path / "html").parent)
    assert PAGE_FILES[0] == "index.html"
    for name in PAGE_FILES[1:]:  # every page but the snapshot's
        assert NOT_COMPUTED in pages[name], name
        assert "data-chart=" not in pages[name]
    assert "unknown" in pages["index.html"]
    console = Console(record=True, width=160)
    print_headlines(db, console=console)
    assert NOT_COMPUTED in console.export_text()


def test_missing_warehouse_is_one_clear_error(tmp_path):
    with pytest.raises(HubwhError, match="no warehouse"):
        write_html(tmp_path / "nope.duckdb", tmp_path / "html")


def test_empty_marts_and_null_activity_degrade(warehouse, tmp_path):
    """Every mart present but empty, and repo_activity with no commit or discussion data
    (a crawl with --no-commits --no-discussions): pages still render and say so."""
    db = tmp_path / "scoped.duckdb"
    con = duckdb.connect(str(db))
    try:
        con.execute(f"attach '{warehouse}' as w (read_only)")
        con.execute("create schema marts; create schema raw")
        con.execute("create table raw.crawl_runs as select * from w.raw.crawl_runs")
        nulls = ", ".join(
            f"cast(null as bigint) as {c}"
            for c in ACTIVITIES
            if c in ("n_discussions", "n_disc_starters", "n_commits", "n_committers", "n_community")
        )
        con.execute(f"create table marts.repo_activity as select * replace ({nulls}) from w.marts.repo_activity")
        for mart in PUBLIC_MARTS:
            if mart != "repo_activity":
                con.execute(f"create table marts.{mart} as select * from w.marts.{mart} limit 0")
        con.execute("detach w")
    finally:
        con.close()
    pages = _all_pages(write_html(db, tmp_path / "html").parent)
    assert PAGE_FILES[0] == "index.html"
    for name in PAGE_FILES[1:]:  # every page but the snapshot's
        assert NOT_COMPUTED in pages[name], name
    # Figure 1 still draws likes and downloads; commit-based panels are simply absent
    assert 'data-chart="fig1-distributions"' in pages["activity.html"]
    assert "n_commits" not in re.search(r"fig1-distributions.*?</script>", pages["activity.html"], re.S).group(0)
    console = Console(record=True, width=160)
    print_headlines(db, console=console)
    assert NOT_COMPUTED in console.export_text()


LINEAGE_MARTS = (
    "model_lineage",
    "model_family_members",
    "model_families",
    "organisation_derivatives",
    "lineage_license_drift",
    "lineage_correlations",
)


def test_lineage_not_computed_without_lineage(warehouse, tmp_path):
    """A crawl with no base_model tags or cards: the lineage marts are built empty (and the
    summary holds zero counts and NULL statistics); the Lineage page and the headlines say
    lineage was not computed, and show no lineage number."""
    db = tmp_path / "no-lineage.duckdb"
    shutil.copyfile(warehouse, db)
    con = duckdb.connect(str(db))
    try:
        for mart in LINEAGE_MARTS:
            con.execute(f"delete from marts.{mart}")
        con.execute(
            "update marts.lineage_summary set value = case when measure in ('n_models') then value "
            "when starts_with(measure, 'n_') or measure = 'self_references_dropped' then 0 end"
        )
    finally:
        con.close()
    pages = _all_pages(write_html(db, tmp_path / "html").parent)
    lineage = pages["lineage.html"]
    assert "Lineage: not computed in this snapshot (the crawl holds no lineage fields" in lineage
    assert "data-chart=" not in lineage and "data-key=" not in lineage and "<table" not in lineage
    # the other pages are untouched
    assert NOT_COMPUTED not in pages["adoption.html"]
    console = Console(record=True, width=200)
    print_headlines(db, console=console)
    text = console.export_text()
    assert (
        "Lineage (the crawl holds no lineage fields (base_model tags or cards)): not computed in this snapshot" in text
    )
    assert "share of models with a parent" not in text
    assert text.count(NOT_COMPUTED) == 1


def test_license_drift_highlights_restrictive_parents(report, duck):
    """Exactly the restrictive → permissive and restrictive → none rows are highlighted."""
    out, _ = report
    page = (out / "lineage.html").read_text(encoding="utf-8")
    drift = page[page.index('id="license-drift"') :]
    drift = drift[: drift.index("</table>")]
    marked = re.findall(r'<tr class="hl"><td class="l">([^<]+)</td>', drift)
    assert marked == ["restrictive → permissive", "restrictive → none"]
    n = duck.execute(
        "select count(*) from (select distinct parent_license_class, child_license_class "
        "from marts.lineage_license_drift)"
    ).fetchone()[0]
    assert drift.count("<tr") - drift.count("<thead><tr>") == n


# --- warehouse strings are escaped on the way into the pages -------------------------------

HOSTILE_REPO = "evil/<script>alert(1)</script>&co"
HOSTILE_LICENSE = "A&B <img src=x onerror=alert(2)>"


def test_hostile_strings_are_escaped(warehouse, tmp_path):
    """A repo id and a license holding markup come out as text: escaped where the page shows
    them, \\u003c-escaped inside the plotly JSON, never as a tag (fails without autoescape)."""
    db = tmp_path / "hostile.duckdb"
    shutil.copyfile(warehouse, db)
    con = duckdb.connect(str(db))
    try:
        top = con.execute(
            "select model_id from marts.model_adoption where subfield = 'all' order by n_spaces desc, model_id limit 1"
        ).fetchone()[0]
        # and far ahead of the rest, so it stays the most used model whatever the ties
        con.execute(
            "update marts.model_adoption set model_id = ?, n_spaces = n_spaces + 1000 where model_id = ?",
            [HOSTILE_REPO, top],
        )
        lic = con.execute(
            "select license from marts.license_shares where repo_type = 'model' and license is not null "
            "order by n_repos desc, license limit 1"
        ).fetchone()[0]
        con.execute("update marts.license_shares set license = ? where license = ?", [HOSTILE_LICENSE, lic])
    finally:
        con.close()
    pages = _all_pages(write_html(db, tmp_path / "html").parent)
    for name, page in pages.items():
        assert "<script>alert" not in page and "<img src=x" not in page, name
    shown = {"index.html": HOSTILE_REPO, "adoption.html": HOSTILE_REPO, "activity.html": HOSTILE_LICENSE}
    for name, text in shown.items():
        assert html.escape(text) in pages[name], name  # &lt;script&gt;... &amp;co
    assert f"spaces use the most used model, {html.escape(HOSTILE_REPO)}</div>" in pages["index.html"]
    assert f'<td class="l">{html.escape(HOSTILE_LICENSE)}</td>' in pages["activity.html"]
