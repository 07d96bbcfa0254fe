"""The Evidence pages in reports/ cannot go stale: every source query runs against
the demo warehouse, and every page query runs against the source tables the way
Evidence serves them (each source query's result becomes table
`hub_warehouse.<file name>`), returning rows with the columns the page's
components name. Evidence itself is not run (it needs internet on first use)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

REPORTS = Path(__file__).resolve().parent.parent / "reports"
SOURCE = "hub_warehouse"
SOURCE_DIR = REPORTS / "sources" / SOURCE
PAGES = sorted((REPORTS / "pages").glob("*.md"))

SQL_BLOCK = re.compile(r"^```sql[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*\n(.*?)^```", re.S | re.M)
TAG = re.compile(r"<([A-Z][A-Za-z]*)\b(.*?)/?>", re.S)
PROP = re.compile(r"\b(x|y|value|series|id)=([A-Za-z_][A-Za-z0-9_]*)(?=[\s/>])")


def page_queries(page: Path) -> dict[str, str]:
    text = page.read_text(encoding="utf-8")
    blocks = SQL_BLOCK.findall(text)
    names = [n for n, _ in blocks]
    assert len(names) == len(set(names)), f"{page.name}: duplicate query names"
    return dict(blocks)


def expand_references(sql: str, queries: dict[str, str]) -> str:
    """Evidence's ${other_query} becomes a subquery."""
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: f"({queries[m.group(1)]})", sql)


@pytest.fixture(scope="module")
def served(warehouse):
    """An in-memory DuckDB holding each source query's result as hub_warehouse.<name>,
    as Evidence's `sources` step and browser runtime hold them."""
    src = duckdb.connect(str(warehouse), read_only=True)
    con = duckdb.connect()
    con.execute(f"create schema {SOURCE}")
    try:
        for path in sorted(SOURCE_DIR.glob("*.sql")):
            result = src.sql(path.read_text(encoding="utf-8")).to_arrow_table()
            con.register("_result", result)
            con.execute(f'create table {SOURCE}."{path.stem}" as select * from _result')
            con.unregister("_result")
    finally:
        src.close()
    yield con
    con.close()


def test_project_files():
    import json

    package = json.loads((REPORTS / "package.json").read_text())
    assert package["dependencies"]["typescript"] == "5.4.2"  # TypeScript 7 breaks the peer resolution
    settings = json.loads((REPORTS / "evidence.settings.json").read_text())
    assert settings["send_anonymous_usage_stats"] == "no"
    assert f"name: {SOURCE}" in (SOURCE_DIR / "connection.yaml").read_text()
    assert {p.stem for p in PAGES} >= {"index", "activity", "collaboration", "adoption", "paper-vs-now"}


def test_every_source_query_has_rows(served):
    for path in sorted(SOURCE_DIR.glob("*.sql")):
        n = served.execute(f'select count(*) from {SOURCE}."{path.stem}"').fetchone()[0]
        assert n > 0, f"source query {path.name} returns no rows on the demo warehouse"


def test_every_page_query_runs_and_feeds_its_components(served):
    used_sources = set()
    for page in PAGES:
        queries = page_queries(page)
        assert queries, f"{page.name} has no query"
        columns = {}
        for name, sql in queries.items():
            used_sources |= set(re.findall(rf"\b{SOURCE}\.([a-z_]+)", sql))
            try:
                rel = served.execute(expand_references(sql, queries))
            except duckdb.Error as exc:
                pytest.fail(f"{page.name}: query {name} fails: {exc}")
            rows = rel.fetchall()
            assert rows, f"{page.name}: query {name} returns no rows on the demo warehouse"
            columns[name] = [d[0] for d in rel.description]
        # components name queries that exist and columns those queries return
        text = page.read_text(encoding="utf-8")
        current = None
        for tag, attrs in TAG.findall(text):
            data = re.search(r"data=\{([A-Za-z_][A-Za-z0-9_]*)", attrs)
            if data:
                current = data.group(1)
                assert current in queries, f"{page.name}: <{tag}> uses unknown query {current}"
            if tag not in ("Column",) and not data:
                continue
            for prop, col in PROP.findall(attrs):
                if tag != "Column" and prop == "id":
                    continue
                assert col in columns[current], f"{page.name}: <{tag} {prop}={col}> not a column of {current}"
    sources = {p.stem for p in SOURCE_DIR.glob("*.sql")}
    assert used_sources <= sources, f"pages use undefined sources: {used_sources - sources}"
    assert sources <= used_sources, f"source queries no page uses: {sources - used_sources}"


def test_activity_lists_are_the_dbt_var():
    """Evidence cannot read dbt vars: its copies of the activity list (Figure 1's source
    query and the activity page's loop) must equal dbt var rq1_activities, in its order."""
    from hubwh.project import rq1_activities

    want = list(rq1_activities())
    ccdf = (SOURCE_DIR / "activity_ccdf.sql").read_text(encoding="utf-8")
    casts = re.findall(r"cast\((n_[a-z_]+) as bigint\) as (n_[a-z_]+)", ccdf)
    assert [c for c, alias in casts if c == alias] == want
    unpivot_on = re.search(r"^\s*on (.+?)\s*$\s*into name", ccdf, re.M)
    assert unpivot_on, "activity_ccdf.sql: no `on ... into name` clause found"
    assert [c.strip() for c in unpivot_on.group(1).split(",")] == want
    page = (REPORTS / "pages" / "activity.md").read_text(encoding="utf-8")
    loops = re.findall(r"\{#each \[([^\]]*n_likes[^\]]*)\] as", page)
    assert loops, "activity.md: no {#each [...]} over the activities found"
    for loop in loops:
        assert re.findall(r"'([a-z_]+)'", loop) == want
