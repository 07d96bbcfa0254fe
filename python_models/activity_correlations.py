"""Correlations between the activities of repo_activity (§4.1.2, Figures 2 and 3): per repo
type, per license class of the license comparison, and point-biserial with "has a license".
The logic lives in hubwh.activity (tested there); the activities are dbt var rq1_activities,
passed in through this model's YAML config."""


def model(dbt, session):
    dbt.config(materialized="table", schema="marts")
    from hubwh.activity import activity_correlations, input_columns

    activities = dbt.config.get("rq1_activities")
    repos = dbt.ref("repo_activity").project(", ".join(input_columns(activities))).df()
    return activity_correlations(repos, activities)
