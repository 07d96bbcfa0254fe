"""Correlations between the activities of repo_activity (§4.1.2, Figures 2 and 3).

Scopes: each repo type (its applicable activities); for models, each license class of the
license comparison ('model:permissive', 'model:restrictive', 'model:none'; the same repos as
license_mwu). Methods: pearson and spearman (all ordered pairs, diagonal included) and
point_biserial ("has a license" against each activity, var_x = 'has_license', per repo type).
Statistics: hubwh.stats.correlation."""

import pandas as pd

from hubwh.stats import ACTIVITY_METHODS, correlation_pairs, point_biserial

ACTIVITIES = {
    "model": [
        "n_likes",
        "n_downloads",
        "n_discussions",
        "n_disc_starters",
        "n_commits",
        "n_committers",
        "n_community",
        "n_usage_spaces",
    ],
    "dataset": [
        "n_likes",
        "n_downloads",
        "n_discussions",
        "n_disc_starters",
        "n_commits",
        "n_committers",
        "n_community",
    ],
    "space": ["n_likes", "n_discussions", "n_disc_starters", "n_commits", "n_committers", "n_community"],
}
LICENSE_CLASSES = ["permissive", "restrictive", "none"]
COLUMNS = ["scope", "method", "var_x", "var_y", "r", "p_value", "n"]


def correlations(activity: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for repo_type, columns in ACTIVITIES.items():
        repos = activity[activity["repo_type"] == repo_type]
        if repos.empty:
            continue
        scopes = [(repo_type, repos)]
        if repo_type == "model":
            compared = repos[repos["in_license_comparison"].fillna(False).astype(bool)]
            scopes += [(f"model:{c}", compared[compared["license_class"] == c]) for c in LICENSE_CLASSES]
        for scope, frame in scopes:
            for method in ACTIVITY_METHODS:
                part = correlation_pairs(frame, columns, method)
                part.insert(0, "method", method)
                part.insert(0, "scope", scope)
                parts.append(part)
        has_license = repos["license"].notna().astype("float64")
        rows = [
            (repo_type, "point_biserial", "has_license", c, *point_biserial(has_license, repos[c])) for c in columns
        ]
        parts.append(pd.DataFrame(rows, columns=COLUMNS))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    return out.astype(
        {
            "scope": "str",
            "method": "str",
            "var_x": "str",
            "var_y": "str",
            "r": "float64",
            "p_value": "float64",
            "n": "int64",
        }
    )


def model(dbt, session):
    dbt.config(materialized="table", schema="marts")
    return correlations(dbt.ref("repo_activity").df())
