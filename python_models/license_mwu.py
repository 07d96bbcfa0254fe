"""Mann-Whitney U tests of model activity between license classes (Table 5): for each
activity and each pair (permissive vs restrictive, permissive vs none, restrictive vs none),
over the models of the license comparison (no license, or a license used by at least
var('license_min_repos') models). Two-sided; U of group_a, p-value, group sizes, medians and
the rank-biserial effect size (beyond the paper). Statistics: hubwh.stats.mann_whitney."""

import pandas as pd

from hubwh.stats import mann_whitney

ACTIVITIES = [
    "n_likes",
    "n_disc_starters",
    "n_discussions",
    "n_committers",
    "n_commits",
    "n_downloads",
    "n_community",
    "n_usage_spaces",
]
PAIRS = [("permissive", "restrictive"), ("permissive", "none"), ("restrictive", "none")]
COLUMNS = [
    "activity",
    "group_a",
    "group_b",
    "u_statistic",
    "p_value",
    "n_a",
    "n_b",
    "median_a",
    "median_b",
    "rank_biserial",
]


def license_tests(activity: pd.DataFrame) -> pd.DataFrame:
    models = activity[(activity["repo_type"] == "model") & activity["in_license_comparison"].fillna(False).astype(bool)]
    rows = []
    for column in ACTIVITIES:
        for a, b in PAIRS:
            res = mann_whitney(
                models.loc[models["license_class"] == a, column], models.loc[models["license_class"] == b, column]
            )
            rows.append({"activity": column, "group_a": a, "group_b": b, **res})
    return pd.DataFrame(rows, columns=COLUMNS).astype(
        {
            "activity": "str",
            "group_a": "str",
            "group_b": "str",
            "u_statistic": "float64",
            "p_value": "float64",
            "n_a": "int64",
            "n_b": "int64",
            "median_a": "float64",
            "median_b": "float64",
            "rank_biserial": "float64",
        }
    )


def model(dbt, session):
    dbt.config(materialized="table", schema="marts")
    return license_tests(dbt.ref("repo_activity").df())
