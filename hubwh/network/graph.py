"""Turning an edge list into the directed graph the metrics run on."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from hubwh.errors import HubwhError

EDGE_COLUMNS = ("source", "target", "weight")


def _check_edges(edges: pd.DataFrame) -> None:
    missing = [c for c in EDGE_COLUMNS if c not in edges.columns]
    if missing:
        raise HubwhError(f"edge list lacks column(s) {', '.join(missing)} (has {', '.join(map(str, edges.columns))})")
    if edges["source"].isna().any() or edges["target"].isna().any():
        raise HubwhError("edge list has a NULL source or target")
    if (edges["weight"].isna() | (edges["weight"] <= 0)).any():
        raise HubwhError("edge list has a NULL or non-positive weight")


def build_graph(edges: pd.DataFrame) -> nx.DiGraph:
    """The collaboration graph of one network: every developer in the edge list is a
    node (a developer whose only edges are self-loops stays, as an isolate), and
    every edge a -> b with a != b carries its weight. Self-loops are dropped: docs/methods.md
    §4 computes every metric "on the directed graph without self-loops"; they only
    serve to keep single-developer repos' developers in the node set.

    Duplicate (source, target) rows are summed. Nodes and edges are added in sorted
    order so that order-dependent algorithms (the greedy modularity's tie-breaking)
    give the same answer on every run."""
    _check_edges(edges)
    graph = nx.DiGraph()
    nodes = pd.unique(pd.concat([edges["source"], edges["target"]], ignore_index=True))
    graph.add_nodes_from(sorted(map(str, nodes)))
    links = edges.loc[edges["source"] != edges["target"], list(EDGE_COLUMNS)]
    links = links.groupby(["source", "target"], as_index=False)["weight"].sum()
    links = links.sort_values(["source", "target"])
    graph.add_weighted_edges_from(
        zip(links["source"].astype(str), links["target"].astype(str), links["weight"].astype(float))
    )
    return graph


def edge_count(edges: pd.DataFrame) -> int:
    """`build_graph(edges).number_of_edges()` without the graph: the distinct (source, target)
    pairs with source != target (collab_summary needs only this of each network's graph)."""
    _check_edges(edges)
    links = edges.loc[edges["source"] != edges["target"], ["source", "target"]]
    return int(len(links.drop_duplicates()))


def induced_subgraph(graph: nx.DiGraph, nodes) -> nx.DiGraph:
    """A new graph induced by `nodes`, with nodes and edges in sorted order.

    (networkx subgraph views iterate their nodes in the order of a Python set, which
    changes with the string hash seed from one process to the next; the greedy
    modularity's tie-breaking depends on that order, so a rebuild could otherwise
    report a slightly different partition.)"""
    keep = sorted(set(nodes))
    inside = set(keep)
    adjacency = graph.adj
    # read straight from the adjacency (a subgraph view filters every neighbour through Python
    # calls: a quarter of the k-core table's time at today's Hub); a graph built sorted gives its
    # edges sorted already, so the sort is a linear pass
    edges = [(u, v, data) for u in keep for v, data in adjacency[u].items() if v in inside]
    edges.sort(key=lambda e: (e[0], e[1]))
    out = nx.DiGraph()
    out.add_nodes_from(keep)
    out.add_edges_from(edges)
    return out


def non_isolate_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """The subgraph of developers with at least one edge to or from someone else
    (docs/methods.md §4: isolates are developers with no edge to anyone else)."""
    succ, pred = graph.succ, graph.pred
    return induced_subgraph(graph, (n for n in graph.nodes if len(succ[n]) or len(pred[n])))


def core_numbers(graph: nx.DiGraph) -> dict:
    """Each node's core number, as networkx `core_number` gives it on a DiGraph (by total
    in + out degree, a reciprocated neighbour counted twice), computed by igraph's coreness
    (mode "all"), which gives the same numbers (tests/test_network.py) in C: networkx's loop
    took 31 s on the network of all models of today's synthetic Hub (621 k developers)."""
    import igraph as ig

    names = list(graph.nodes)
    index = {n: i for i, n in enumerate(names)}
    edges = [(index[u], index[v]) for u, v in graph.edges]
    return dict(zip(names, ig.Graph(n=len(names), edges=edges, directed=True).coreness(mode="all")))
