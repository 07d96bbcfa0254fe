"""Whole-table entry points for the dbt Python models: an edge list of several
networks in (network, source, target, weight), one output table out."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pandas as pd

from hubwh.errors import HubwhError
from hubwh.network.centrality import CENTRALITY_COLUMNS, developer_centrality, network_summary
from hubwh.network.graph import build_graph, edge_count
from hubwh.network.kcore import KCORE_COLUMNS, kcore_table

log = logging.getLogger("hubwh.network")

NETWORKS = ("all", "nlp", "cv", "mm")
# kcore_frame computes the networks in worker processes above this many edge rows (the paper-scale
# Hub has ~50 k; spawning a worker costs a second or two of imports)
PARALLEL_MIN_EDGES = 200_000

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


def _network_names(edges: pd.DataFrame, networks: Iterable[str] | None) -> list[str]:
    """The networks asked for, or every network in the edge list."""
    if "network" not in edges.columns:
        raise HubwhError("edge list lacks the column network")
    return list(networks) if networks is not None else sorted(edges["network"].dropna().unique())


def _graphs(edges: pd.DataFrame, networks: Iterable[str] | None):
    for name in _network_names(edges, networks):
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
    if centrality is not None:  # no graph needed: the edges' count is read off the edge list
        for name in _network_names(edges, networks):
            per_dev = centrality.loc[centrality["network"] == name]
            n_edges = edge_count(edges.loc[edges["network"] == name])
            rows.append({"network": name} | network_summary(per_dev, n_edges))
    else:
        for name, graph in _graphs(edges, networks):
            rows.append({"network": name} | network_summary(developer_centrality(graph), graph.number_of_edges()))
    frame = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    for col in ("developers", "isolates", "non_isolates", "edges"):
        frame[col] = frame[col].astype("int64")
    frame["network"] = frame["network"].astype("string")
    return frame


def _kcore_rows(edges: pd.DataFrame, community_method: str) -> list[dict]:
    """The k-core table of one network's edge list (top level: worker processes call it)."""
    return kcore_table(build_graph(edges), community_method=community_method)


def kcore_frame(
    edges: pd.DataFrame,
    networks: Iterable[str] | None = None,
    community_method: str = "networkx",
    workers: int | None = None,
) -> pd.DataFrame:
    """`collab_kcore`: the k-core table of every network (community_method: see
    hubwh.network.kcore._communities).

    workers: processes computing the networks' tables side by side (default: one per core when
    the edge list has more than PARALLEL_MIN_EDGES rows, else none). The tables are pure Python
    and C that holds the GIL, so inside dbt's process they also stopped every other Python
    model; at today's Hub the four networks took 277 s in one thread."""
    names = _network_names(edges, networks)
    parts = {name: edges.loc[edges["network"] == name] for name in names}
    if workers is None:
        workers = min(os.cpu_count() or 1, len(names)) if len(edges) > PARALLEL_MIN_EDGES else 1
    tables = None
    if workers > 1 and len(names) > 1:
        # spawn, not fork: the parent holds DuckDB and dbt's threads
        context = multiprocessing.get_context("spawn")
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                largest_first = sorted(names, key=lambda name: -len(parts[name]))
                futures = {name: pool.submit(_kcore_rows, parts[name], community_method) for name in largest_first}
                tables = {name: futures[name].result() for name in names}
        except BrokenProcessPool as exc:
            # e.g. a calling script whose main module is not import-safe (spawn imports it again)
            log.warning("k-core tables: worker processes failed (%s); computing them in this process", exc)
    if tables is None:
        tables = {name: _kcore_rows(parts[name], community_method) for name in names}
    rows = [{"network": name} | row for name in names for row in tables[name]]
    frame = pd.DataFrame(rows, columns=["network"] + KCORE_COLUMNS)
    for col in ("k", "nodes", "edges"):
        frame[col] = frame[col].astype("int64")
    frame["communities"] = frame["communities"].astype("Int64")
    frame["is_max_k"] = frame["is_max_k"].astype(bool)
    frame["network"] = frame["network"].astype("string")
    return frame
