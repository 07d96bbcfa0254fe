"""hubwh.network on small graphs whose answers are worked out by hand (in the
comments), plus one comparison with direct networkx calls on a random graph."""

from __future__ import annotations

import math
import random

import networkx as nx
import pandas as pd
import pytest

from hubwh.errors import HubwhError
from hubwh.network import (
    build_graph,
    centrality_frame,
    developer_centrality,
    kcore_frame,
    kcore_table,
    network_summary,
    rich_club_directed,
    summary_frame,
)
from hubwh.network.kcore import average_clustering_weighted


def edges(*triples, network=None) -> pd.DataFrame:
    frame = pd.DataFrame(triples, columns=["source", "target", "weight"])
    if network is not None:
        frame.insert(0, "network", network)
    return frame


def complete(names, weight=1):
    return [(a, b, weight) for a in names for b in names if a != b]


def row_at(rows, k):
    (row,) = [r for r in rows if r["k"] == k]
    return row


def by_dev(frame):
    return frame.set_index("developer")


# ---------------------------------------------------------------- complete digraph


def test_complete_digraph_kcore_and_centrality():
    # K4 in both directions: 12 edges, every node in 3 + out 3 = total degree 6, so
    # the 6-core is everything; no 10-core.
    g = build_graph(edges(*complete("abcd")))
    rows = kcore_table(g)
    assert [(r["k"], r["is_max_k"]) for r in rows] == [(1, False), (5, False), (6, True), (10, False)]
    for k in (1, 5, 6):
        r = row_at(rows, k)
        assert (r["nodes"], r["edges"]) == (4, 12)
        assert r["communities"] == 1 and r["modularity"] == pytest.approx(0.0, abs=1e-12)  # one block: Q = 1 - 144/144
        assert r["density"] == pytest.approx(1.0)  # 12 / (4 * 3)
        assert r["reciprocity"] == pytest.approx(1.0)
        assert r["rich_club"] == pytest.approx(1.0)  # all tied at k* = 6: 12 / 12
        assert math.isnan(r["assortativity"])  # regular
        assert r["avg_degree"] == pytest.approx(6.0)  # 2 * 12 / 4
        assert r["avg_clustering"] == pytest.approx(1.0)  # equal weights: every triangle closed
    empty = row_at(rows, 10)
    assert (empty["nodes"], empty["edges"]) == (0, 0)
    assert all(math.isnan(empty[c]) for c in ("modularity", "communities", "density", "avg_clustering"))

    c = by_dev(developer_centrality(g))
    assert c["degree"].tolist() == [6] * 4 and c["in_degree"].tolist() == [3] * 4
    assert c["pagerank"].tolist() == pytest.approx([0.25] * 4)
    assert c["core_number"].tolist() == [6] * 4 and not c["is_isolate"].any()


def test_weighted_clustering_normalises_by_the_maximum_weight():
    # Complete digraph on x, y, z with x->y weight 8 and the other five edges weight 1:
    # normalised weights 1 and 1/8 (cube roots 1 and 0.5). For every node the two
    # ordered neighbour pairs each give (1)(1)(1 + 0.5) ... i.e. factors
    # (w_ij^1/3 + w_ji^1/3) = 1 for the two light pairs and 1.5 for the x-y pair:
    # T = 2 * 1.5 = 3, denominator 2 * (4 * 3 - 2 * 2) = 16, so C = 3/16 for all.
    triples = [(a, b, 8 if (a, b) == ("x", "y") else 1) for a, b, _ in complete("xyz")]
    (row, *_) = kcore_table(build_graph(edges(*triples)))
    assert row["avg_clustering"] == pytest.approx(3 / 16)


# ---------------------------------------------------------------- star


def test_reciprocal_star():
    # c <-> l1..l4: 8 edges; c has total degree 8, leaves 2. 2-core = all; the 3-core
    # strips the leaves and then c (degree 0): max k = 2.
    triples = [("c", leaf, 1) for leaf in ("l1", "l2", "l3", "l4")]
    triples += [(leaf, "c", 3) for leaf in ("l1", "l2", "l3", "l4")]
    g = build_graph(edges(*triples))
    rows = kcore_table(g)
    assert [(r["k"], r["is_max_k"]) for r in rows] == [(1, False), (2, True), (5, False), (10, False)]
    r = row_at(rows, 1)
    assert (r["nodes"], r["edges"]) == (5, 8)
    assert r["density"] == pytest.approx(8 / 20)
    assert r["reciprocity"] == pytest.approx(1.0)
    # source out-degree vs target in-degree: (4, 1) x 4 and (1, 4) x 4 -> r = -1
    assert r["assortativity"] == pytest.approx(-1.0)
    assert r["avg_degree"] == pytest.approx(16 / 5)
    assert r["avg_clustering"] == pytest.approx(0.0)  # no triangles
    # top 10 % = ceil(0.5) = 1 node: k* = 8, a club of one -> undefined
    assert math.isnan(r["rich_club"])
    # one community: any split loses (Q(all) = 0 is the maximum)
    assert r["communities"] == 1 and r["modularity"] == pytest.approx(0.0, abs=1e-12)

    c = by_dev(developer_centrality(g))
    assert c.loc["c", ["degree", "in_degree", "out_degree"]].tolist() == [8, 4, 4]
    assert c.loc["l1", ["degree", "in_degree", "out_degree"]].tolist() == [2, 1, 1]
    # p_l = 0.03 + 0.85 p_c / 4 ; p_c = 0.03 + 0.85 * 4 p_l  ->  p_c = 0.132 / 0.2775
    p_c = 0.132 / 0.2775
    assert c.loc["c", "pagerank"] == pytest.approx(p_c, rel=1e-5)
    assert c.loc["l3", "pagerank"] == pytest.approx(0.03 + 0.2125 * p_c, rel=1e-5)
    assert c["core_number"].tolist() == [2] * 5


def test_pagerank_uses_weights():
    # a->b (3), a->c (1), b->a, c->a (1): p_a = 0.05 + 0.85 (p_b + p_c),
    # p_b = 0.05 + 0.85 * 3/4 p_a, p_c = 0.05 + 0.85 * 1/4 p_a  ->  p_a = 0.135 / 0.2775
    c = by_dev(developer_centrality(build_graph(edges(("a", "b", 3), ("a", "c", 1), ("b", "a", 1), ("c", "a", 1)))))
    p_a = 0.135 / 0.2775
    assert c.loc["a", "pagerank"] == pytest.approx(p_a, rel=1e-5)
    assert c.loc["b", "pagerank"] == pytest.approx(0.05 + 0.6375 * p_a, rel=1e-5)
    assert c.loc["c", "pagerank"] == pytest.approx(0.05 + 0.2125 * p_a, rel=1e-5)


# ---------------------------------------------------------------- two cliques


def test_two_cliques_joined_by_one_edge():
    # K4 on a1..a4 and on b1..b4 (both directions) plus a1 -> b1: N = 8, E = 25.
    triples = complete(["a1", "a2", "a3", "a4"]) + complete(["b1", "b2", "b3", "b4"]) + [("a1", "b1", 1)]
    g = build_graph(edges(*triples))
    rows = kcore_table(g)
    # total degrees: a1, b1 = 7, others 6 -> everyone's core number is 6
    assert [(r["k"], r["is_max_k"]) for r in rows] == [(1, False), (5, False), (6, True), (10, False)]
    r = row_at(rows, 6)
    assert (r["nodes"], r["edges"]) == (8, 25)
    assert r["density"] == pytest.approx(25 / 56)
    assert r["reciprocity"] == pytest.approx(24 / 25)
    assert r["avg_degree"] == pytest.approx(50 / 8)
    # partition {A}, {B}: Q = 24/25 - (13*12 + 12*13) / 25^2 = 0.4608
    assert r["communities"] == 2
    assert r["modularity"] == pytest.approx(0.96 - 312 / 625)
    # top 10 % = 1 node; k* = 7; a1 and b1 tie -> club of 2 with 1 edge: 1 / 2
    assert r["rich_club"] == pytest.approx(0.5)
    # (x, y) over edges: (4,3) x3, (4,4) x1, (3,4) x3, (3,3) x18: cov 0.0144, var 0.1344
    assert r["assortativity"] == pytest.approx(3 / 28)
    # a1, b1: T = 48 over 2 * (7 * 6 - 2 * 3) = 72 -> 2/3; the six others 1
    assert r["avg_clustering"] == pytest.approx((6 + 4 / 3) / 8)
    assert row_at(rows, 1) == {**r, "k": 1, "is_max_k": False}


# ---------------------------------------------------------------- self-loops and isolates


def test_self_loops_and_isolates():
    # a and b only have self-loops (single-developer repos): isolates. c <-> d, and a
    # self-loop on c that must not count.
    frame = edges(("a", "a", 5), ("b", "b", 2), ("c", "d", 1), ("d", "c", 1), ("c", "c", 4))
    g = build_graph(frame)
    assert sorted(g.nodes) == ["a", "b", "c", "d"] and g.number_of_edges() == 2
    c = by_dev(developer_centrality(g))
    assert c["is_isolate"].to_dict() == {"a": True, "b": True, "c": False, "d": False}
    assert c.loc["a", ["degree", "core_number"]].tolist() == [0, 0]
    assert math.isnan(c.loc["a", "pagerank"])  # PageRank only over non-isolates ...
    assert c.loc[["c", "d"], "pagerank"].tolist() == pytest.approx([0.5, 0.5])  # ... summing to 1 there
    assert c.loc["c", ["degree", "in_degree", "out_degree", "core_number"]].tolist() == [2, 1, 1, 2]

    s = network_summary(developer_centrality(g), g.number_of_edges())
    assert s == pytest.approx(
        {
            "developers": 4,
            "isolates": 2,
            "isolate_share": 0.5,
            "non_isolates": 2,
            "edges": 2,
            "degree_mean": 2,
            "degree_sd": 0,
            "degree_median": 2,
            "degree_max": 2,
            "pagerank_mean": 0.5,
            "pagerank_sd": 0,
            "pagerank_median": 0.5,
            "pagerank_max": 0.5,
        }
    )

    rows = kcore_table(g)
    assert [(r["k"], r["is_max_k"]) for r in rows] == [(1, False), (2, True), (5, False), (10, False)]
    r = row_at(rows, 1)
    assert (r["nodes"], r["edges"]) == (2, 2)  # the k = 1 core is exactly the non-isolates
    assert (r["communities"], r["density"], r["reciprocity"], r["avg_degree"]) == (1, 1.0, 1.0, 2.0)
    assert r["rich_club"] == pytest.approx(1.0)  # both tied at k* = 2
    assert math.isnan(r["assortativity"])
    assert r["avg_clustering"] == 0.0


# ---------------------------------------------------------------- regular graph


def test_directed_cycle_is_regular():
    # a -> b -> c -> a: in 1, out 1 everywhere.
    (r, *_) = kcore_table(build_graph(edges(("a", "b", 1), ("b", "c", 1), ("c", "a", 1))))
    assert math.isnan(r["assortativity"])
    assert r["reciprocity"] == 0.0
    assert r["density"] == pytest.approx(0.5)
    assert r["rich_club"] == pytest.approx(0.5)  # all tied: 3 / (3 * 2)
    assert (r["communities"], r["modularity"]) == (1, pytest.approx(0.0, abs=1e-12))
    # Fagiolo: [(A + A^T)^3]_ii = 2 over 2 * (2 * 1 - 0) = 4
    assert r["avg_clustering"] == pytest.approx(0.5)


def test_rich_club_ties_and_top_share():
    # 20 nodes: ceil(0.1 * 20) = 2 in the top 10 %. Degrees: h1 = 6, h2 = h3 = 4 (tie
    # at k* = 4 pulls h3 in), the rest lower. Edges among {h1, h2, h3}: h1->h2, h2->h1, h1->h3.
    g = nx.DiGraph()
    g.add_nodes_from(f"n{i}" for i in range(17))
    g.add_edges_from([("h1", "h2"), ("h2", "h1"), ("h1", "h3")])
    g.add_edges_from(
        [("h1", "n0"), ("n1", "h1"), ("h1", "n2"), ("h2", "n3"), ("n4", "h2"), ("h3", "n5"), ("n6", "h3"), ("h3", "n7")]
    )
    assert sorted((d for _, d in g.degree()), reverse=True)[:4] == [6, 4, 4, 1]
    assert rich_club_directed(g) == pytest.approx(3 / 6)


# ---------------------------------------------------------------- frames


def test_frames_cover_every_network_even_empty_ones():
    frame = pd.concat(
        [
            edges(*complete("abc"), network="all"),
            edges(("a", "a", 1), network="nlp"),
        ]
    )
    s = summary_frame(frame, ["all", "nlp", "cv"]).set_index("network")
    assert s.loc["all", "non_isolates"] == 3 and s.loc["nlp", "isolates"] == 1
    assert s.loc["cv", "developers"] == 0 and math.isnan(s.loc["cv", "degree_mean"])
    k = kcore_frame(frame, ["all", "nlp", "cv"])
    assert set(k["network"]) == {"all", "nlp", "cv"}
    assert k.loc[k["network"] == "nlp", "nodes"].tolist() == [0, 0, 0]  # no max-k row when max k = 0
    c = centrality_frame(frame, ["all", "nlp", "cv"])
    assert c.groupby("network").size().to_dict() == {"all": 3, "nlp": 1}
    # with the centrality table given (as collab_summary does), no graph is built: the same rows
    from_table = summary_frame(frame, ["all", "nlp", "cv"], centrality=c).set_index("network")
    pd.testing.assert_frame_equal(from_table, s)


def test_edge_count_is_the_graphs():
    from hubwh.network.graph import edge_count

    rng = random.Random(5)
    rows = [(f"d{rng.randrange(30)}", f"d{rng.randrange(30)}", rng.randint(1, 4)) for _ in range(300)]
    frame = edges(*rows)  # duplicates and self-loops among them
    assert frame.duplicated(["source", "target"]).any() and (frame["source"] == frame["target"]).any()
    assert edge_count(frame) == build_graph(frame).number_of_edges()
    with pytest.raises(HubwhError, match="non-positive"):
        edge_count(edges(("a", "b", 0)))


def test_duplicate_rows_are_summed_and_bad_input_is_refused():
    g = build_graph(edges(("a", "b", 1), ("a", "b", 2)))
    assert g["a"]["b"]["weight"] == 3
    with pytest.raises(HubwhError, match="weight"):
        build_graph(pd.DataFrame({"source": ["a"], "target": ["b"]}))
    with pytest.raises(HubwhError, match="non-positive"):
        build_graph(edges(("a", "b", 0)))


# ---------------------------------------------------------------- against networkx


def test_matches_direct_networkx_calls_on_a_random_graph():
    rng = random.Random(3)
    raw = nx.gnp_random_graph(120, 0.04, seed=3, directed=True)
    triples = [(f"d{u}", f"d{v}", rng.randint(1, 9)) for u, v in raw.edges]
    triples += [(f"d{u}", f"d{u}", 1) for u in range(120, 150)]  # 30 isolates (self-loops only)
    triples += [("d1", "d1", 2)]
    frame = edges(*triples)
    g = build_graph(frame)

    ref = nx.DiGraph()
    ref.add_nodes_from(set(frame["source"]) | set(frame["target"]))
    ref.add_weighted_edges_from(t for t in triples if t[0] != t[1])
    active = ref.subgraph([n for n in ref if ref.degree(n) > 0])

    c = by_dev(developer_centrality(g))
    assert c["is_isolate"].sum() == len(ref) - len(active) >= 30
    pr = nx.pagerank(active, alpha=0.85, weight="weight")
    assert c.loc[list(pr), "pagerank"].tolist() == pytest.approx(list(pr.values()), rel=1e-6)
    assert c["core_number"].to_dict() == nx.core_number(ref)
    assert c["degree"].to_dict() == dict(ref.degree())

    max_k = max(nx.core_number(ref).values())
    for row in kcore_table(g):
        core = nx.k_core(ref, row["k"])
        assert (row["nodes"], row["edges"]) == (core.number_of_nodes(), core.number_of_edges())
        if core.number_of_nodes() == 0:
            continue
        parts = nx.community.greedy_modularity_communities(core)  # unweighted by default
        assert row["communities"] == len(parts)
        assert row["modularity"] == pytest.approx(nx.community.modularity(core, parts, weight=None))
        assert row["density"] == pytest.approx(nx.density(core))
        assert row["reciprocity"] == pytest.approx(nx.reciprocity(core))
        assert row["assortativity"] == pytest.approx(nx.degree_assortativity_coefficient(core))
        assert row["avg_clustering"] == pytest.approx(nx.average_clustering(core, weight="weight"))
        assert row["avg_degree"] == pytest.approx(2 * core.number_of_edges() / core.number_of_nodes())
        assert row["is_max_k"] == (row["k"] == max_k)


def test_igraph_community_method_agrees_on_two_cliques():
    triples = complete(["a1", "a2", "a3", "a4"]) + complete(["b1", "b2", "b3", "b4"]) + [("a1", "b1", 1)]
    g = build_graph(edges(*triples))
    (row, *_) = kcore_table(g, community_method="igraph")
    assert row["communities"] == 2
    assert row["modularity"] == pytest.approx(0.96 - 312 / 625)  # scored the networkx (directed) way
    (louvain, *_) = kcore_table(g, community_method="louvain")
    assert (louvain["communities"], louvain["modularity"]) == (2, pytest.approx(0.96 - 312 / 625))
    with pytest.raises(HubwhError, match="community method"):
        kcore_table(g, community_method="spectral")


@pytest.mark.slow  # three fresh Python processes
def test_kcore_table_does_not_depend_on_the_string_hash_seed():
    # Partitions break ties by node order, and networkx subgraph views order nodes like a
    # Python set (hash-seed dependent): on this small paper-shaped network the igraph
    # partition used to differ between processes. The same edges must give one table.
    import subprocess
    import sys

    from conftest import PROJECT_ROOT

    code = (
        "from hubwh.network import build_graph, kcore_table\n"
        "from benchmarks.bench_rq2 import synthetic_edges\n"
        "e = synthetic_edges(0.05, 3)\n"
        "g = build_graph(e[e['network'] == 'all'])\n"
        "print([(r['k'], r['communities'], round(r['modularity'], 12))\n"
        "       for m in ('networkx', 'igraph') for r in kcore_table(g, community_method=m)])\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=PROJECT_ROOT,
            env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin"},
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(outputs) == 1 and "(1, " in outputs.pop()


def test_auto_community_method_is_networkx_then_igraph_then_louvain(monkeypatch):
    # A random directed graph (40 nodes, 70 edges, seed 0) on which the two methods' partitions
    # differ (networkx 6 communities, igraph 5), both checked against networkx itself.
    from hubwh.network import kcore

    rnd = random.Random(0)
    nodes = [f"u{i:02d}" for i in range(40)]
    pairs: list[tuple[str, str]] = []
    while len(pairs) < 70:
        pair = tuple(rnd.sample(nodes, 2))
        if pair not in pairs:
            pairs.append(pair)
    g = build_graph(edges(*[(a, b, 1) for a, b in pairs]))
    by = {m: kcore_table(g, community_method=m)[0] for m in ("networkx", "igraph")}
    parts = nx.community.greedy_modularity_communities(g, weight=None)
    assert by["networkx"]["communities"] == len(parts)
    assert by["networkx"]["modularity"] == pytest.approx(nx.community.modularity(g, parts, weight=None))
    assert (by["networkx"]["communities"], by["igraph"]["communities"]) == (6, 5)  # they do differ here
    # igraph's partition, scored the networkx (directed) way, is about as good
    assert by["igraph"]["modularity"] == pytest.approx(by["networkx"]["modularity"], abs=0.05)
    assert kcore_table(g, community_method="auto")[0] == by["networkx"]  # edges <= threshold
    monkeypatch.setattr(kcore, "AUTO_NETWORKX_MAX_EDGES", g.number_of_edges() - 1)
    assert kcore_table(g, community_method="auto")[0] == by["igraph"]
    monkeypatch.setattr(kcore, "AUTO_IGRAPH_MAX_EDGES", g.number_of_edges() - 1)
    louvain = kcore_table(g, community_method="louvain")[0]
    assert kcore_table(g, community_method="auto")[0] == louvain
    # Louvain's partition, found by igraph directly with the same seed and scored by networkx
    import igraph as ig

    names = list(g.nodes)
    undirected = ig.Graph(
        n=len(names), edges=sorted({tuple(sorted((names.index(u), names.index(v)))) for u, v in g.edges})
    )
    ig.set_random_number_generator(random.Random(kcore.LOUVAIN_SEED))
    try:
        clusters = undirected.community_multilevel()
    finally:
        ig.set_random_number_generator(random)
    parts = [{names[i] for i in members} for members in clusters]
    assert louvain["communities"] == len(parts)
    assert louvain["modularity"] == pytest.approx(nx.community.modularity(g, parts, weight=None))
    assert louvain["modularity"] >= by["networkx"]["modularity"] - 0.05
    assert kcore_table(g, community_method="louvain")[0] == louvain  # seeded: the same every time


def random_digraph(seed: int, n: int, p_max: float, isolates: int) -> nx.DiGraph:
    """A random digraph with about 30 % of its edges reciprocated and some isolates, nodes named."""
    rng = random.Random(seed)
    g = nx.gnp_random_graph(n, rng.uniform(0.005, p_max), seed=seed, directed=True)
    g.add_edges_from((v, u) for u, v in list(g.edges) if rng.random() < 0.3)
    g.add_nodes_from(range(n, n + isolates))
    return nx.relabel_nodes(g, {v: f"n{v}" for v in g})


@pytest.mark.parametrize("seed", range(6))
def test_core_numbers_equal_networkx(seed):
    # igraph's coreness stands in for networkx's core_number
    from hubwh.network.graph import core_numbers

    g = random_digraph(seed, 200, 0.06, isolates=15)
    assert core_numbers(g) == nx.core_number(g)


@pytest.mark.parametrize("seed", range(4))
def test_reciprocity_equals_networkx(seed):
    from hubwh.network.kcore import reciprocity

    g = random_digraph(seed, 150, 0.08, isolates=10)
    assert 0 < reciprocity(g) < 1
    assert reciprocity(g) == nx.reciprocity(g)
    assert reciprocity(nx.DiGraph([(1, 2), (2, 1)])) == 1.0 and reciprocity(nx.DiGraph([(1, 2)])) == 0.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sparse_weighted_clustering_equals_networkx(seed):
    # random directed graphs with reciprocated edges, isolates and weights of several sizes,
    # taken in row blocks smaller than the graph so the blocking is exercised
    rng = random.Random(seed)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(120))  # some stay isolates
    for u, v in nx.gnp_random_graph(100, 0.04 + 0.06 * seed, seed=seed, directed=True).edges:
        graph.add_edge(u, v, weight=rng.choice([1.0, 2.0, 3.0, 12.5]))
    expected = nx.average_clustering(graph, weight="weight")
    assert expected > 0
    assert average_clustering_weighted(graph, rows_per_block=17) == pytest.approx(expected, rel=1e-12)
    assert math.isnan(average_clustering_weighted(nx.DiGraph()))
    assert average_clustering_weighted(nx.DiGraph([(1, 2)])) == 0.0


def test_kcore_frame_in_worker_processes_equals_one_process():
    # the path today's Hub takes (networks side by side in spawned processes) gives the same table
    rng = random.Random(7)
    triples = []
    for network in ("all", "nlp", "cv"):
        raw = nx.gnp_random_graph(60, 0.08, seed=rng.randrange(1000), directed=True)
        triples += [(network, f"d{u}", f"d{v}", rng.randint(1, 5)) for u, v in raw.edges]
    frame = pd.DataFrame(triples, columns=["network", "source", "target", "weight"])
    one = kcore_frame(frame, ["all", "nlp", "cv", "mm"], community_method="auto", workers=1)
    two = kcore_frame(frame, ["all", "nlp", "cv", "mm"], community_method="auto", workers=2)
    pd.testing.assert_frame_equal(one, two)
    assert list(one["network"].unique()) == ["all", "nlp", "cv", "mm"] and (one["nodes"] > 0).sum() >= 9


def test_kcore_frame_falls_back_to_one_process_when_the_workers_break(monkeypatch, caplog):
    from concurrent.futures.process import BrokenProcessPool

    from hubwh.network import frames

    class Broken:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, *args, **kwargs):
            raise BrokenProcessPool("a worker died")

    frame = edges(*complete(["a", "b", "c"]), network="all")
    frame = pd.concat([frame, edges(*complete(["x", "y"]), network="nlp")], ignore_index=True)
    expected = kcore_frame(frame, ["all", "nlp"], workers=1)
    monkeypatch.setattr(frames, "ProcessPoolExecutor", Broken)
    pd.testing.assert_frame_equal(kcore_frame(frame, ["all", "nlp"], workers=2), expected)
    assert "worker processes failed" in caplog.text
