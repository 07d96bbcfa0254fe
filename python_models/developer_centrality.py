"""Per-developer centrality in each collaboration network (docs/methods.md §4); see
hubwh.network.centrality for every definition."""


def model(dbt, session):
    from hubwh.network import centrality_frame
    from hubwh.network.frames import NETWORKS

    edges = dbt.ref("collab_edges").df()
    return centrality_frame(edges, NETWORKS)
