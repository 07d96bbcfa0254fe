"""RQ1 statistics over repo_activity that SQL does not do well (docs/methods.md §2, paper
§4.1.2-§4.1.3): the correlations between activities (Figures 2 and 3) and the Mann-Whitney U
tests between license classes (Table 5). Called by the dbt Python models
`activity_correlations` and `license_mwu`; tested in tests/test_activity.py.

`activities` is dbt var `rq1_activities`: activity column -> the repo types it applies to
(the models receive it through their YAML config; see hubwh.project.rq1_activities)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from hubwh.errors import HubwhError
from hubwh.stats import ACTIVITY_METHODS, correlation_pairs, mann_whitney, point_biserial

# the license classes compared (docs/methods.md §2); 'unclassified' is not one of them
LICENSE_CLASSES = ("permissive", "restrictive", "none")
LICENSE_PAIRS = (("permissive", "restrictive"), ("permissive", "none"), ("restrictive", "none"))

CORRELATION_COLUMNS = ["scope", "method", "var_x", "var_y", "r", "p_value", "n"]
MWU_COLUMNS = [
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

Activities = Mapping[str, Sequence[str]]


def repo_types(activities: Activities) -> list[str]:
    """The repo types the activities apply to, in order of first mention."""
    return list(dict.fromkeys(t for types in activities.values() for t in types))


def activities_for(activities: Activities, repo_type: str) -> list[str]:
    """The activity columns that apply to `repo_type`, in the var's order."""
    return [name for name, types in activities.items() if repo_type in types]


def input_columns(activities: Activities) -> list[str]:
    """The columns of repo_activity the statistics read: the Python models fetch these only
    (at today's Hub, 4 M rows whose other columns, names and ids, cost more to fetch than the
    statistics to compute)."""
    return ["repo_type", "license", "license_class", "in_license_comparison", *activities]


def _require(frame: pd.DataFrame, columns, what: str) -> None:
    missing = set(columns) - set(frame.columns)
    if missing:
        raise HubwhError(f"{what}: repo_activity lacks columns {sorted(missing)}")


def _in_comparison(frame: pd.DataFrame) -> pd.Series:
    return frame["in_license_comparison"].fillna(False).astype(bool)


def activity_correlations(activity: pd.DataFrame, activities: Activities) -> pd.DataFrame:
    """Scopes: each repo type over its applicable activities, and for models each license class
    of the license comparison ('model:permissive', 'model:restrictive', 'model:none'; the same
    models as license_tests). Methods: pearson and spearman (every ordered pair, diagonal
    included; hubwh.stats.correlation_pairs), and point_biserial of "has a license"
    (var_x = 'has_license') with each activity, per repo type. A repo type without rows is
    left out."""
    _require(activity, {"repo_type", "license", "license_class", "in_license_comparison", *activities}, "correlations")
    parts = []
    for repo_type in repo_types(activities):
        columns = activities_for(activities, repo_type)
        repos = activity[activity["repo_type"] == repo_type]
        if repos.empty:
            continue
        scopes = [(repo_type, repos)]
        if repo_type == "model":
            compared = repos[_in_comparison(repos)]
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
        parts.append(pd.DataFrame(rows, columns=CORRELATION_COLUMNS))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=CORRELATION_COLUMNS)
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


def license_tests(activity: pd.DataFrame, activities: Activities) -> pd.DataFrame:
    """Two-sided Mann-Whitney U (hubwh.stats.mann_whitney) of every model activity between
    each pair of license classes, over the models of the license comparison: one row per
    (activity, pair), statistics None where a group is empty."""
    columns = activities_for(activities, "model")
    _require(activity, {"repo_type", "license_class", "in_license_comparison", *columns}, "license tests")
    models = activity[(activity["repo_type"] == "model") & _in_comparison(activity)]
    rows = []
    for column in columns:
        for a, b in LICENSE_PAIRS:
            res = mann_whitney(
                models.loc[models["license_class"] == a, column], models.loc[models["license_class"] == b, column]
            )
            rows.append({"activity": column, "group_a": a, "group_b": b, **res})
    return pd.DataFrame(rows, columns=MWU_COLUMNS).astype(
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
