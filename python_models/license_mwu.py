"""Mann-Whitney U tests of model activity between license classes (Table 5), over the models
of the license comparison. The logic lives in hubwh.activity (tested there); the activities
are dbt var rq1_activities, passed in through this model's YAML config."""


def model(dbt, session):
    dbt.config(materialized="table", schema="marts")
    from hubwh.activity import input_columns, license_tests

    activities = dbt.config.get("rq1_activities")
    repos = dbt.ref("repo_activity").project(", ".join(input_columns(activities))).df()
    return license_tests(repos, activities)
