"""The k-core table of each collaboration network (docs/methods.md §4, paper Tables 6-9); see
hubwh.network.kcore for every column and decision."""


def model(dbt, session):
    from hubwh.network import kcore_frame
    from hubwh.network.frames import NETWORKS

    method = str(dbt.config.get("collab_community_method") or "auto")
    edges = dbt.ref("collab_edges").df()
    return kcore_frame(edges, NETWORKS, community_method=method)
