"""Per-developer centrality and the network summary (docs/methods.md §4, paper §4.2.1)."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd

from hubwh.network.graph import core_numbers, non_isolate_graph

PAGERANK_DAMPING = 0.85

CENTRALITY_COLUMNS = ["developer", "degree", "in_degree", "out_degree", "pagerank", "core_number", "is_isolate"]


def developer_centrality(graph: nx.DiGraph) -> pd.DataFrame:
    """One row per developer (node) of `graph` (built by `build_graph`: no self-loops).

    - degree = in_degree + out_degree, counting distinct neighbours' edges, unweighted
      (the paper's degree: mean 2E/N over non-isolates);
    - pagerank: weighted (edge weight = number of commits), damping 0.85, computed on
      the subgraph of non-isolates only, so the values sum to 1 over the non-isolates
      (the paper's mean 0.0001 ≈ 1/10,524); NULL (NaN) for isolates;
    - core_number: networkx `core_number` on the directed graph, i.e. by total
      (in + out) degree; 0 for isolates;
    - is_isolate: no edge to or from anyone else (only self-loops, or none).
    """
    nodes = sorted(graph.nodes)
    core = core_numbers(graph) if graph.number_of_nodes() else {}
    active = non_isolate_graph(graph)
    pagerank = nx.pagerank(active, alpha=PAGERANK_DAMPING, weight="weight") if active.number_of_nodes() else {}
    in_deg = dict(graph.in_degree())
    out_deg = dict(graph.out_degree())
    frame = pd.DataFrame(
        {
            "developer": pd.Series(nodes, dtype="object"),
            "in_degree": pd.Series([in_deg[n] for n in nodes], dtype="int64"),
            "out_degree": pd.Series([out_deg[n] for n in nodes], dtype="int64"),
            "pagerank": pd.Series([pagerank.get(n, np.nan) for n in nodes], dtype="float64"),
            "core_number": pd.Series([core.get(n, 0) for n in nodes], dtype="int64"),
        }
    )
    frame["degree"] = frame["in_degree"] + frame["out_degree"]
    frame["is_isolate"] = frame["degree"] == 0
    return frame[CENTRALITY_COLUMNS]


def _describe(values: pd.Series, prefix: str) -> dict[str, float]:
    """mean, sample sd (ddof = 1, as pandas `describe`), median and max; NaN when empty
    (sd NaN with fewer than two values)."""
    values = values.dropna().astype(float)
    if values.empty:
        return {f"{prefix}_{s}": math.nan for s in ("mean", "sd", "median", "max")}
    return {
        f"{prefix}_mean": float(values.mean()),
        f"{prefix}_sd": float(values.std(ddof=1)) if len(values) > 1 else math.nan,
        f"{prefix}_median": float(values.median()),
        f"{prefix}_max": float(values.max()),
    }


def network_summary(centrality: pd.DataFrame, n_edges: int) -> dict[str, float]:
    """Summary of one network from its `developer_centrality` frame.

    developers = every node (developers with any edge, self-loops included);
    isolates / isolate_share / non_isolates as docs/methods.md §4; edges = directed edges
    a -> b, a != b (self-loops excluded, as in the k = 1 core); the degree and
    PageRank distributions are over the non-isolates only (paper §4.2.1)."""
    n = len(centrality)
    isolates = int(centrality["is_isolate"].sum())
    active = centrality.loc[~centrality["is_isolate"]]
    row: dict[str, float] = {
        "developers": n,
        "isolates": isolates,
        "isolate_share": isolates / n if n else math.nan,
        "non_isolates": n - isolates,
        "edges": int(n_edges),
    }
    row |= _describe(active["degree"], "degree")
    row |= _describe(active["pagerank"], "pagerank")
    return row
