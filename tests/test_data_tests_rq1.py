"""Tests of the tests: the RQ1 data tests fail when fed a broken table.

Each case copies the built session warehouse, corrupts one mart the way a bug would, runs
`dbt test` on that mart only, and expects the named data test (and only tests of that mart)
to fail."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from hubwh.build import run_dbt
from hubwh.errors import HubwhError

CASES = [
    # n_community smaller than n_committers (e.g. a union computed as an intersection)
    (
        "repo_activity",
        "update marts.repo_activity set n_community = n_committers - 1 "
        "where repo_id = (select min(repo_id) from marts.repo_activity where n_committers >= 1 "
        "and n_community is not null and repo_type = 'model') and repo_type = 'model'",
        "repo_activity_n_community_within_bounds",
    ),
    # a Lorenz curve that bends the wrong way (not convex)
    (
        "activity_lorenz",
        "update marts.activity_lorenz set activity_share = 0.999 "
        "where repo_type = 'model' and activity = 'n_likes' and point = 1",
        "activity_lorenz_curves_are_lorenz_curves",
    ),
    # a correlation matrix that is no longer symmetric
    (
        "activity_correlations",
        "update marts.activity_correlations set r = r / 2 "
        "where scope = 'model' and method = 'spearman' and var_x = 'n_likes' and var_y = 'n_commits'",
        "activity_correlations_matrices_symmetric",
    ),
    # quartiles out of order (the dbt-utils-named expression_is_true)
    (
        "activity_summary",
        "update marts.activity_summary set p25 = p75 + 1 where repo_type = 'model' and activity = 'n_likes'",
        "expression_is_true_activity_summary_min_p25_and_p25_p50_and_p50_p75_and_p75_max",
    ),
    # a share above 1 (accepted_range)
    (
        "activity_pareto",
        "update marts.activity_pareto set repo_share = 1.5 "
        "where repo_type = 'model' and activity = 'n_likes' and threshold = 0.99",
        "accepted_range_activity_pareto_repo_share__1__0",
    ),
    # a license counted twice (unique_combination_of_columns)
    (
        "license_shares",
        "insert into marts.license_shares select * from marts.license_shares where repo_type = 'model' limit 1",
        "unique_combination_of_columns_license_shares_repo_type__license",
    ),
]


@pytest.fixture(scope="module")
def broken_copy(warehouse, tmp_path_factory):
    db = tmp_path_factory.mktemp("broken") / "warehouse.duckdb"
    shutil.copy(warehouse, db)
    return db


@pytest.mark.parametrize("mart,corruption,test_name", CASES, ids=[c[0] for c in CASES])
def test_data_test_fails_on_a_broken_mart(broken_copy, mart, corruption, test_name):
    with duckdb.connect(str(broken_copy)) as con:
        assert con.execute(corruption).fetchone()[0] >= 1, "the corruption touched no row"
    with pytest.raises(HubwhError) as failure:
        run_dbt(["test", "--select", mart], broken_copy, quiet=True)
    message = str(failure.value)
    assert test_name in message
    failed = [line for line in message.splitlines() if "(fail)" in line or "(error)" in line]
    assert all(mart in line for line in failed), message
