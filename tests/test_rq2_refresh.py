"""RQ2 after a refresh: a model repo whose latest commits fetch failed (it turned gated, private
or was deleted since an earlier crawl) keeps its old rows in raw.commits (fetch_log.last_ok_at
is kept), and a repo a full sweep no longer lists keeps its rows too. Neither is part of the Hub
as it stands: repo_activity gives them NULL activity or no row (docs/methods.md §0), so the
collaboration network and the developers mart must not count their old commits either.

The session warehouse is copied, the raw tables are changed as the extractor would change them
on such a refresh, and the models downstream of the resolved authors are rebuilt."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from test_rq2 import alias_map, rebuild_edges, warehouse_edges


@pytest.fixture(scope="module")
def refreshed(warehouse, tmp_path_factory):
    from hubwh.build import run_dbt

    with duckdb.connect(str(warehouse), read_only=True) as con:
        # the two model repos with most developers (they carry many collaboration edges)
        gated, gone = [
            r[0]
            for r in con.execute("""
            select repo_id from intermediate.int_model_repo_developers
            group by repo_id order by count(*) desc, repo_id limit 2""").fetchall()
        ]
        before = con.execute("""select developer, repo_id from intermediate.int_commit_authors_resolved
            where repo_type = 'model' and developer is not null""").fetchall()
    db = tmp_path_factory.mktemp("rq2_refresh") / "warehouse.duckdb"
    shutil.copy(warehouse, db)
    with duckdb.connect(str(db)) as con:
        # a later crawl: the re-fetch answered 403 (last_ok_at kept); a full sweep no longer lists `gone`
        con.execute("update raw.fetch_log set status = 'gated' where repo_type = 'model' and repo_id = ?", [gated])
        con.execute("update raw.models set is_listed = false where repo_id = ?", [gone])
    run_dbt(
        ["run", "--select", "int_repos_unioned+ int_commit_authors_resolved+ int_discussion_authors_resolved+"],
        db,
        quiet=True,
    )
    return db, gated, gone, before


def test_network_leaves_out_repos_no_longer_fetched_or_listed(refreshed):
    db, gated, gone, _ = refreshed
    with duckdb.connect(str(db), read_only=True) as con:
        status = dict(
            con.execute(
                """select repo_id, n_commits from marts.repo_activity
            where repo_type = 'model' and repo_id in (?, ?)""",
                [gated, gone],
            ).fetchall()
        )
        assert status == {gated: None}  # the gated repo's activity is unknown, `gone` has no row
        stale = con.execute(
            """select count(*) from intermediate.int_model_repo_developers
            where repo_id in (?, ?)""",
            [gated, gone],
        ).fetchone()[0]
        assert stale == 0
        assert warehouse_edges(con) == rebuild_edges(con, alias_map(con))


def test_developers_leave_out_repos_no_longer_fetched_or_listed(refreshed):
    db, gated, gone, before = refreshed
    expected: dict[str, set] = {}
    for developer, repo_id in before:
        if repo_id not in (gated, gone):
            expected.setdefault(developer, set()).add(repo_id)
    with duckdb.connect(str(db), read_only=True) as con:
        got = dict(con.execute("select developer, n_model_repos from marts.developers where not is_bot").fetchall())
    lost = {d for d, _ in before} - set(expected)
    assert {d: got.get(d, 0) for d in expected} == {d: len(r) for d, r in expected.items()}
    assert all(got.get(d, 0) == 0 for d in lost)
