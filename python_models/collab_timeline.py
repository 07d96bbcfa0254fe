"""The collaboration network of all models as of each quarter end (docs/methods.md §10); see
hubwh.network.timeline for the construction and every decision."""


def model(dbt, session):
    from hubwh.network.timeline import timeline_frame

    links = dbt.ref("int_model_collab_links_dated").df()
    clock = dbt.ref("int_hub_clock").df()["hub_time"]
    first = dbt.ref("int_commits_dated").filter("repo_type = 'model'").aggregate("min(committed_at) as t").df()["t"]
    return timeline_frame(
        links, until=clock.iloc[0] if len(clock) else None, since=first.iloc[0] if len(first) else None
    )
