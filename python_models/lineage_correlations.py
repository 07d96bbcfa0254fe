"""Descendants vs popularity (docs/methods.md §9; as the RQ3 usage correlations, §5): a model's
n_descendants against its likes, 30-day downloads and usage in spaces, Pearson and Spearman
with p-values, over all listed models and over those with at least one descendant. The
statistics live in hubwh.lineage.descendant_correlations (tested there)."""


def model(dbt, session):
    dbt.config(materialized="table", schema="marts")
    from hubwh.lineage import descendant_correlations

    models = (
        dbt.ref("repo_activity")
        .filter("repo_type = 'model'")
        .project("n_descendants, n_likes, n_downloads, n_usage_spaces")
        .df()
    )
    return descendant_correlations(models)
