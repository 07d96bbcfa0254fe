"""One summary row per collaboration network (docs/methods.md §4, paper §4.2.1)."""


def model(dbt, session):
    from hubwh.network import summary_frame
    from hubwh.network.frames import NETWORKS

    edges = dbt.ref("collab_edges").df()
    centrality = dbt.ref("developer_centrality").df()  # PageRank already computed there
    return summary_frame(edges, NETWORKS, centrality=centrality)
