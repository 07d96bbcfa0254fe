"""A scoped crawl (`--types model --no-commits --no-discussions`) still builds: every data test
passes, and the RQ1 marts compute what the data allows and leave the rest NULL, not zero."""

from __future__ import annotations

import duckdb
import pytest


@pytest.fixture(scope="module")
def scoped_warehouse(synth_snapshot, tmp_path_factory):
    from extract.pipeline import crawl
    from hubwh.build import dbt_build
    from hubwh.emulator import Emulator

    db = tmp_path_factory.mktemp("scoped") / "warehouse.duckdb"
    with Emulator(synth_snapshot) as emu:
        crawl(
            endpoint=emu.url,
            db_path=db,
            types=("model",),
            commits=False,
            discussions=False,
            budget=None,
            progress=False,
            pipelines_dir=db.parent / "pipelines",
        )
    dbt_build(db, quiet=True)  # raises HubwhError if any model or data test fails
    return db


@pytest.mark.slow
def test_scoped_crawl_builds_with_null_activity(scoped_warehouse):
    with duckdb.connect(str(scoped_warehouse), read_only=True) as con:

        def one(sql):
            return con.execute(sql).fetchone()

        n_models, types = one("select count(*), count(distinct repo_type) from marts.repo_activity")
        assert n_models > 0 and types == 1
        # nothing fetched: NULL commits / discussions / community, status not_fetched
        assert (
            one(
                "select count(*) from marts.repo_activity where n_commits is not null "
                "or n_committers is not null or n_discussions is not null "
                "or n_disc_starters is not null or n_community is not null "
                "or n_usage_spaces is not null"
            )[0]
            == 0
        )
        assert (
            one(
                "select count(*) from marts.repo_activity where fetch_status_commits <> 'not_fetched' "
                "or fetch_status_discussions <> 'not_fetched'"
            )[0]
            == 0
        )
        # listing-based activity is still there
        assert one("select count from marts.activity_summary where activity = 'n_likes'")[0] == n_models
        assert one("select count, mean from marts.activity_summary where activity = 'n_commits'") == (0, None)
        assert (
            one("select count(*) from marts.activity_pareto where activity = 'n_commits' and repo_share is not null")[0]
            == 0
        )
        assert (
            one("select count(*) from marts.activity_pareto where activity = 'n_likes' and repo_share is null")[0] == 0
        )
        assert one("select count(*) from marts.license_shares")[0] > 0
        # paper_comparison: every figure listed; commit figures NULL, listing figures computed
        assert (
            one(
                "select warehouse_value from marts.paper_comparison "
                "where measure = 'mean.n_commits' and repo_type = 'model'"
            )[0]
            is None
        )
        assert (
            one("select warehouse_value from marts.paper_comparison where measure = 'n_repos' and repo_type = 'model'")[
                0
            ]
            == n_models
        )
        assert one("select count(*) from marts.top_repos")[0] == 0


@pytest.mark.slow
def test_scoped_crawl_without_spaces_has_no_usage_values(scoped_warehouse):
    """No space listed: usage in spaces is unknown, not 0, so usage_correlations has no complete
    row (n = 0), as repo_activity.n_usage_spaces is NULL."""
    with duckdb.connect(str(scoped_warehouse), read_only=True) as con:
        rows = con.execute("select subfield, population, var_x, method, r, n from marts.usage_correlations").fetchall()
        assert rows, "usage_correlations should still list its rows"
        assert [r for r in rows if r[5] != 0 or r[4] is not None] == []
        assert (
            con.execute(
                "select count(*) from intermediate.int_model_popularity_usage where n_spaces is not null"
            ).fetchone()[0]
            == 0
        )


@pytest.mark.slow
def test_scoped_crawl_without_commits_has_no_network_figures(scoped_warehouse):
    """No commit fetched: the collaboration figures of paper_comparison (developers, isolates,
    degree, k-cores, merged usernames) are unknown, NULL, not 0 developers beside the paper's."""
    with duckdb.connect(str(scoped_warehouse), read_only=True) as con:
        rows = con.execute("""select measure, network, k, warehouse_value from marts.paper_comparison
            where measure in ('n_developers', 'usernames_merged', 'isolate_share', 'non_isolates')
               or measure like 'degree.%' or measure like 'pagerank.%' or measure like 'kcore.%'""").fetchall()
        assert len(rows) == 89
        assert [r for r in rows if r[3] is not None] == []
