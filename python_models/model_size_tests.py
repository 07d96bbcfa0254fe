"""Model size against activity (docs/methods.md §12): over the listed models with a known size,
Spearman between parameters and each activity of var('model_size_activities') (passed in through
this model's YAML config), and a Kruskal–Wallis test of each activity across the size classes.
The statistics live in hubwh.health.model_size_tests (tested there)."""


def model(dbt, session):
    dbt.config(materialized="table", schema="marts")
    from hubwh.health import model_size_tests

    activities = list(dbt.config.get("model_size_activities"))
    columns = ", ".join(["parameters", "size_class", *activities])
    models = dbt.ref("repo_activity").filter("repo_type = 'model'").project(columns).df()
    return model_size_tests(models, activities)
