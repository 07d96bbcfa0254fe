"""Whole-table entry points for the dbt Python models: an edge list of several
networks in (network, source, target, weight), one output table out."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from hubwh.errors import HubwhError
from hubwh.network.centrality import CENTRALITY_COLUMNS, developer_centrality, network_summary
from hubwh.network.graph import build_graph
from hubwh.network.kcore import KCORE_COLUMNS, kcore_table

NETWORKS = ("all", "nlp", "cv", "mm")

SUMMARY_COLUMNS = [
    "network",
    "developers",
    "isolates",
    "isolate_share",
    "non_isolates",
    "edges",
    "degree_mean",
    "degree_sd",
    "degree_median",
    "degree_max",
    "pagerank_mean",
    "pagerank_sd",
    "pagerank_median",
    "pagerank_max",
]


def _graphs(edges: pd.DataFrame, networks: Iterable[str] | None):
    if "network" not in edges.columns:
        raise HubwhError("edge list lacks the column network")
    names = list(networks) if networks is not None else sorted(edges["network"].dropna().unique())
    for name in names:
        yield name, build_graph(edges.loc[edges["network"] == name])


def centrality_frame(edges: pd.DataFrame, networks: Iterable[str] | None = None) -> pd.DataFrame:
    """`developer_centrality` of every network, with a leading network column."""
    parts = [developer_centrality(g).assign(network=name) for name, g in _graphs(edges, networks)]
    columns = ["network"] + CENTRALITY_COLUMNS
    if not parts:
        parts = [developer_centrality(build_graph(pd.DataFrame(columns=["source", "target", "weight"])))]
        parts[0]["network"] = pd.Series(dtype="string")
    frame = pd.concat(parts, ignore_index=True)[columns]
    frame["network"] = frame["network"].astype("string")
    frame["developer"] = frame["developer"].astype("string")
    return frame


def summary_frame(
    edges: pd.DataFrame, networks: Iterable[str] | None = None, centrality: pd.DataFrame | None = None
) -> pd.DataFrame:
    """`collab_summary`: one row per network (a network with no edges gets a row of
    zeros and NaNs). `centrality` (a `centrality_frame` result, e.g. the
    developer_centrality table) saves recomputing PageRank when given."""
    rows = []
    for name, graph in _graphs(edges, networks):
        if centrality is not None:
            per_dev = centrality.loc[centrality["network"] == name]
        else:
            per_dev = developer_centrality(graph)
        rows.append({"network": name} | network_summary(per_dev, graph.number_of_edges()))
    frame = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    for col in ("developers", "isolates", "non_isolates", "edges"):
        frame[col] = frame[col].astype("int64")
    frame["network"] = frame["network"].astype("string")
    return frame


def kcore_frame(
    edges: pd.DataFrame, networks: Iterable[str] | None = None, community_method: str = "networkx"
) -> pd.DataFrame:
    """`collab_kcore`: the k-core table of every network (community_method: see
    hubwh.network.kcore._communities)."""
    rows = [
        {"network": name} | row
        for name, graph in _graphs(edges, networks)
        for row in kcore_table(graph, community_method=community_method)
    ]
    frame = pd.DataFrame(rows, columns=["network"] + KCORE_COLUMNS)
    for col in ("k", "nodes", "edges"):
        frame[col] = frame[col].astype("int64")
    frame["communities"] = frame["communities"].astype("Int64")
    frame["is_max_k"] = frame["is_max_k"].astype(bool)
    frame["network"] = frame["network"].astype("string")
    return frame
