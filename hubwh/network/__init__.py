"""Collaboration-network metrics (docs/methods.md §4): per-developer centrality, the
network summary and the k-core table, computed from a weighted directed edge list.

The dbt Python models `developer_centrality`, `collab_summary` and `collab_kcore`
are thin wrappers around `centrality_frame`, `summary_frame` and `kcore_frame`,
which take the `collab_edges` mart (columns network, source, target, weight) and
return one table over all networks.
"""

from hubwh.network.centrality import developer_centrality, network_summary
from hubwh.network.frames import centrality_frame, kcore_frame, summary_frame
from hubwh.network.graph import build_graph, non_isolate_graph
from hubwh.network.kcore import KCORE_LEVELS, kcore_levels, kcore_row, kcore_table, rich_club_directed

__all__ = [
    "KCORE_LEVELS",
    "build_graph",
    "centrality_frame",
    "developer_centrality",
    "kcore_frame",
    "kcore_levels",
    "kcore_row",
    "kcore_table",
    "network_summary",
    "non_isolate_graph",
    "rich_club_directed",
    "summary_frame",
]
