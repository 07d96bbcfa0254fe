"""The k-core table of a collaboration network (docs/methods.md §4, paper Tables 6-9).

Every column is computed on the k-core subgraph of the directed graph without
self-loops, with core numbers by total (in + out) degree, as networkx `k_core`
does on a DiGraph.

Decisions (where docs/methods.md and the paper are silent):
- levels: k = 1, 5, 10 and the maximal k. A level above the maximal k gives an
  empty core: its row is kept (nodes = edges = 0, every other column NULL) so that
  "this network has no 10-core" is visible rather than missing. When the maximal k
  is itself 1, 5 or 10 that row is flagged is_max_k (no duplicate row).
- measures that are undefined on a core (density or rich club with fewer than 2
  nodes, assortativity of a regular graph, anything on an empty core) are NaN.
- rich club: the directed Smilkov-Kocarev coefficient at one degree threshold
  (see `rich_club_directed`), not the paper's (unreproducible) ARCC values.
- communities: networkx's CNM greedy partition on the directed, unweighted core (the
  default, as docs/methods.md says), or igraph's fast-greedy on its undirected simple version
  (`community_method="igraph"`); modularity is always networkx's directed, unweighted
  modularity of the partition. At paper scale networkx takes ~15-20 s for the k = 1
  core of all models (most of the table's time), igraph ~0.4 s, with modularity equal
  to within 0.01 (benchmarks/bench_rq2.py); networkx stays the default because it is
  the algorithm docs/methods.md names and runs on the directed graph itself; `auto` (the
  dbt default) switches to igraph above AUTO_NETWORKX_MAX_EDGES edges, and to igraph's Louvain
  (not CNM: a faster heuristic) above AUTO_IGRAPH_MAX_EDGES, where CNM takes minutes.
- avg_clustering weights are normalised by the core's own maximum weight (networkx), computed
  with sparse matrices (`average_clustering_weighted`, equal to networkx's).
"""

from __future__ import annotations

import math
import warnings

import networkx as nx
import numpy as np

from hubwh.errors import HubwhError
from hubwh.network.graph import core_numbers, induced_subgraph

KCORE_LEVELS = (1, 5, 10)
RICH_CLUB_TOP_SHARE = 0.10

KCORE_COLUMNS = [
    "k",
    "is_max_k",
    "nodes",
    "edges",
    "modularity",
    "communities",
    "density",
    "reciprocity",
    "rich_club",
    "assortativity",
    "avg_degree",
    "avg_clustering",
]


def kcore_levels(max_k: int) -> list[tuple[int, bool]]:
    """(k, is_max_k) for the table: 1, 5, 10 and max_k (when max_k >= 1)."""
    levels = set(KCORE_LEVELS)
    if max_k >= 1:
        levels.add(max_k)
    return [(k, k == max_k) for k in sorted(levels)]


def rich_club_directed(graph: nx.DiGraph, top_share: float = RICH_CLUB_TOP_SHARE) -> float:
    """Directed rich-club coefficient (Smilkov & Kocarev), docs/methods.md §4:
    k* = the smallest total degree among the top `top_share` highest-degree nodes,
    rich = every node with total degree >= k*, and the coefficient is
    E_rich / (N_rich (N_rich - 1)) with E_rich the directed edges among rich nodes.

    The top 10 % is ceil(0.1 N) nodes (at least one); nodes tied with the last of
    them at k* are all in the rich club, so ties can make it larger than 10 %.
    Degrees are taken within `graph` (the k-core itself). NaN when N_rich < 2."""
    n = graph.number_of_nodes()
    if n == 0:
        return math.nan
    degrees = sorted((d for _, d in graph.degree()), reverse=True)
    n_top = max(1, math.ceil(top_share * n))
    k_star = degrees[n_top - 1]
    rich = [v for v, d in graph.degree() if d >= k_star]
    n_rich = len(rich)
    if n_rich < 2:
        return math.nan
    e_rich = graph.subgraph(rich).number_of_edges()
    return e_rich / (n_rich * (n_rich - 1))


def reciprocity(graph: nx.DiGraph) -> float:
    """networkx `reciprocity` of the whole graph (the share of edges whose reverse is an edge
    too) of a graph without self-loops, counted over the adjacency: networkx counts the edges of
    an undirected copy of the graph, which took a tenth of the k-core table's time at today's Hub.
    The same integers, so the same float (tests/test_network.py)."""
    edges = graph.number_of_edges()
    if edges == 0:
        raise HubwhError("reciprocity is not defined for a graph without edges")
    succ = graph.succ
    return sum(1 for u, targets in succ.items() for v in targets if u in succ[v]) / edges


def _assortativity(graph: nx.DiGraph) -> float:
    """networkx `degree_assortativity_coefficient` (out-degree of the source vs
    in-degree of the target on a DiGraph); NaN where it is undefined (a regular
    graph: zero variance) instead of a warning."""
    if graph.number_of_edges() == 0:
        return math.nan
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        value = nx.degree_assortativity_coefficient(graph)
    return float(value) if np.isfinite(value) else math.nan


def average_clustering_weighted(graph: nx.DiGraph, rows_per_block: int = 2_048) -> float:
    """networkx's `average_clustering(graph, weight="weight")` on a DiGraph without self-loops
    (Fagiolo's directed weighted clustering, weights divided by the graph's maximum), computed
    with sparse matrices instead of networkx's loop over every pair of neighbours, which took
    most of the k-core table's time on dense cores. With A the matrix of cube roots of the
    normalised weights and S = A + A^T, a node's weighted directed triangles are (S^3)_ii =
    sum_j (S^2)_ij S_ij (S is symmetric), taken a block of rows at a time to bound memory; the
    denominator is 2 (d_tot (d_tot - 1) - 2 d_bidirectional), and nodes without triangles
    count as 0. Equal to networkx up to floating-point rounding (tests/test_network.py)."""
    from scipy import sparse

    n = graph.number_of_nodes()
    if n == 0:
        return math.nan
    index = {v: i for i, v in enumerate(graph)}
    edges = list(graph.edges(data="weight", default=1))
    if not edges:
        return 0.0
    src = np.fromiter((index[u] for u, _, _ in edges), dtype=np.int64, count=len(edges))
    dst = np.fromiter((index[v] for _, v, _ in edges), dtype=np.int64, count=len(edges))
    weight = np.fromiter((w for _, _, w in edges), dtype=np.float64, count=len(edges))
    a = sparse.csr_matrix((np.cbrt(weight / weight.max()), (src, dst)), shape=(n, n))
    s = (a + a.T).tocsr()
    triangles = np.zeros(n)
    for start in range(0, n, rows_per_block):
        block = s[start : start + rows_per_block]
        triangles[start : start + block.shape[0]] = np.asarray((block @ s).multiply(block).sum(axis=1)).ravel()
    linked = sparse.csr_matrix((np.ones(len(edges)), (src, dst)), shape=(n, n))
    d_total = np.asarray(linked.sum(axis=0)).ravel() + np.asarray(linked.sum(axis=1)).ravel()
    d_both = np.asarray(linked.multiply(linked.T).sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        per_node = np.where(triangles > 0, triangles / (2 * (d_total * (d_total - 1) - 2 * d_both)), 0.0)
    return float(per_node.mean())


COMMUNITY_METHODS = ("networkx", "igraph", "louvain", "auto")
# method "auto": networkx's CNM up to this many edges in a core, igraph's fast-greedy above.
# networkx's time grows with the edges faster than linearly (measured: 17 k edges 7 s, 23 k 9 s,
# 25 k 25 s, 36 k 65 s, 157 k 629 s); igraph takes under a second at 36 k. The demo's and the
# paper-scale Hub's cores are below it (paper scale, k = 1 of all models: 9.8 k nodes, 23 k
# edges), so their tables are networkx's.
AUTO_NETWORKX_MAX_EDGES = 25_000
# ... and igraph's fast-greedy up to this many, Louvain above: fast-greedy grows faster still on
# big cores with little community structure (today's synthetic Hub, k = 1 of all: 70 k nodes,
# 304 k edges, 206 s; k = 5, 203 k edges, 52 s; k = 10, 126 k edges, 6 s); Louvain takes ~1 s.
AUTO_IGRAPH_MAX_EDGES = 100_000
# Louvain visits nodes in a random order: a fixed seed makes the partition reproducible.
LOUVAIN_SEED = 0


def _undirected_simple(graph: nx.DiGraph):
    """The igraph Graph of a core as an undirected simple graph, and its node names by index
    (igraph's CNM and Louvain take undirected graphs only)."""
    import igraph as ig

    names = list(graph.nodes)
    index = {n: i for i, n in enumerate(names)}
    pairs = sorted({tuple(sorted((index[u], index[v]))) for u, v in graph.edges})
    return ig.Graph(n=len(names), edges=pairs, directed=False), names


def _igraph_fastgreedy(graph: nx.DiGraph) -> list[set]:
    """igraph's fast-greedy (the same CNM algorithm, in C) on the undirected simple
    version of the graph."""
    core, names = _undirected_simple(graph)
    clusters = core.community_fastgreedy().as_clustering()
    return [{names[i] for i in members} for members in clusters]


def _igraph_louvain(graph: nx.DiGraph) -> list[set]:
    """igraph's Louvain (multilevel) on the undirected simple version of the graph, seeded
    (python-igraph draws from the random number generator it is given)."""
    import random

    import igraph as ig

    core, names = _undirected_simple(graph)
    ig.set_random_number_generator(random.Random(LOUVAIN_SEED))
    try:
        clusters = core.community_multilevel()
    finally:
        ig.set_random_number_generator(random)
    return [{names[i] for i in members} for members in clusters]


def community_method_for(graph: nx.DiGraph, method: str) -> str:
    """The method `auto` stands for on this core (any other method stands for itself)."""
    if method != "auto":
        return method
    edges = graph.number_of_edges()
    if edges <= AUTO_NETWORKX_MAX_EDGES:
        return "networkx"
    return "igraph" if edges <= AUTO_IGRAPH_MAX_EDGES else "louvain"


def _communities(graph: nx.DiGraph, method: str = "networkx") -> tuple[float, int]:
    """Clauset-Newman-Moore greedy partition and its modularity, always scored with
    networkx's directed, unweighted modularity.

    method "networkx" (the default, docs/methods.md §4): `greedy_modularity_communities` on the
    directed graph, unweighted. method "igraph": fast-greedy on the undirected simple
    graph — about 30x faster at paper scale with a partition of near-equal directed
    modularity (benchmarks/bench_rq2.py), for Hubs where networkx is too slow.
    method "louvain": igraph's Louvain (multilevel) on the undirected simple graph, seeded: not
    CNM but a faster heuristic, which usually finds a partition of higher modularity. method
    "auto": networkx up to AUTO_NETWORKX_MAX_EDGES edges, igraph up to AUTO_IGRAPH_MAX_EDGES,
    Louvain above (community_method_for)."""
    method = community_method_for(graph, method)
    if method == "networkx":
        parts = nx.community.greedy_modularity_communities(graph, weight=None)
    elif method == "igraph":
        parts = _igraph_fastgreedy(graph)
    elif method == "louvain":
        parts = _igraph_louvain(graph)
    else:
        raise HubwhError(f"unknown community method {method!r} (one of {', '.join(COMMUNITY_METHODS)})")
    return float(nx.community.modularity(graph, parts, weight=None)), len(parts)


def kcore_row(core: nx.DiGraph, k: int, is_max_k: bool, community_method: str = "networkx") -> dict:
    """Every column of the k-core table for one core subgraph."""
    n, e = core.number_of_nodes(), core.number_of_edges()
    row = {"k": k, "is_max_k": is_max_k, "nodes": n, "edges": e}
    if n == 0 or e == 0:
        return row | {c: math.nan for c in KCORE_COLUMNS if c not in row}
    modularity, communities = _communities(core, community_method)
    row |= {
        "modularity": modularity,
        "communities": communities,
        "density": e / (n * (n - 1)),
        "reciprocity": reciprocity(core),
        "rich_club": rich_club_directed(core),
        "assortativity": _assortativity(core),
        "avg_degree": 2 * e / n,
        # weighted: weights normalised by the core's maximum weight, as networkx does
        "avg_clustering": average_clustering_weighted(core),
    }
    return row


def kcore_table(
    graph: nx.DiGraph, levels: list[tuple[int, bool]] | None = None, community_method: str = "networkx"
) -> list[dict]:
    """The k-core table of a graph built by `build_graph` (no self-loops)."""
    cores = core_numbers(graph) if graph.number_of_nodes() else {}
    max_k = max(cores.values(), default=0)
    rows = []
    for k, is_max in levels if levels is not None else kcore_levels(max_k):
        members = [v for v, c in cores.items() if c >= k]
        rows.append(kcore_row(induced_subgraph(graph, members), k, is_max, community_method))
    return rows
