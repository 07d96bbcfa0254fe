"""Likes and downloads vs usage in spaces (docs/methods.md §5, §8 `usage_correlations`):
Pearson and Spearman r with p-values and n, per sub-field and population.
The statistics live in hubwh.adoption (tested there)."""


def model(dbt, session):
    dbt.config(materialized="table", schema="marts")
    from hubwh.adoption import usage_correlations

    frame = dbt.ref("int_model_popularity_usage").df()
    return usage_correlations(frame)
