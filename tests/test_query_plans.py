"""How DuckDB plans every SQL model, on the demo's warehouse: no join of two tables by a nested
loop. DuckDB 1.4 falls back to one (BLOCKWISE_NL_JOIN, every row against every row) when a join
condition holds more than equalities between the two sides, e.g. a filter on one side inside a
LEFT or SEMI join's ON. Harmless on the demo, such a join ran for over an hour at today's Hub
(repo_activity, model_lineage, int_commits_dated before they were rewritten); the plan shows it
at any size, so this test finds the next one."""

from __future__ import annotations

import re

from hubwh.paths import PROJECT_ROOT

NESTED_LOOPS = ("BLOCKWISE_NL_JOIN", "NESTED_LOOP_JOIN")
# joins that cannot be equalities, on tables that stay small
ALLOWED = {
    "int_paper_figures__rq3": "the paper's few figures matched to measures by name prefix",
    # data tests
    "health_size_classes_cover_every_model": "each model against the handful of size classes",
    "lineage_counts_match_edges": "scalar subqueries: one-row sides",
    "lineage_relation_counts_add_up": "scalar subqueries: one-row sides",
    "rq1_paper_comparison_lists_every_figure": "scalar subqueries: one-row sides",
    "time_collab_timeline_ends_at_collab_summary": "one-row tables side by side",
}


def _plans_with_loops(duck, paths) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        plan = "\n".join(row[1] for row in duck.execute("EXPLAIN " + path.read_text(encoding="utf-8")).fetchall())
        loops = sorted(set(re.findall("|".join(NESTED_LOOPS), plan)))
        if loops and path.stem not in ALLOWED:
            found[path.stem] = loops
    return found


def test_no_sql_model_joins_by_nested_loop(demo_run, duck):
    compiled = demo_run["db"].parent / "target" / "compiled" / "hub_warehouse" / "models"
    models = sorted(compiled.glob("*/*.sql"))  # (tests and unit tests are compiled in folders below)
    assert len(models) == len(list(PROJECT_ROOT.glob("models/*/*.sql"))), compiled  # the models, not their tests
    assert _plans_with_loops(duck, models) == {}


def test_no_data_test_joins_by_nested_loop(demo_run, duck):
    # the data tests run at every build too: one with a filter inside a LEFT JOIN's ON
    # (lineage_repo_activity_matches_nodes) ran for minutes at today's Hub
    compiled = demo_run["db"].parent / "target" / "compiled" / "hub_warehouse"
    singular = sorted((compiled / "tests").rglob("*.sql"))
    generic = sorted(compiled.glob("models/*/*.yml/*.sql"))  # (unit tests are a folder further down)
    assert len(singular) == len(list(PROJECT_ROOT.glob("tests/data_tests/*.sql"))), compiled
    assert len(generic) > 100
    assert _plans_with_loops(duck, singular + generic) == {}
