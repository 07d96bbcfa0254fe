"""Benchmark (not a test): wall time and peak memory of the RQ2 computations on a
paper-scale collaboration network (≈ 101,000 developers, ≈ 10,500 non-isolates,
≈ 21,600 edges, one hub of degree ≈ 3,000, a complete 14-developer core), per metric.

    .venv/bin/python -m benchmarks.bench_rq2 [--scale 1.0] [--seed 1] [--skip-identity]

The graph is built with the docs/methods.md §4 construction from synthetic model repos (solo
repos -> self-loops; team repos -> first author of each commit to every other member),
with team members drawn preferentially so the degree distribution is right-skewed as
the paper's. Each metric runs alone in a forked child process: a timed run (wall
time), then a second run under tracemalloc for its peak memory (the Python heap:
graphs, frames, arrays), so tracing does not inflate the times. For modularity it also runs igraph's fast-greedy on the
undirected simple version of the same core and scores both partitions with networkx's
directed modularity, to compare speed and partition quality.

The identity part times `hubwh.identity.merge_candidates` on ≈ 100,000 names of which
≈ 2,000 contain a space (the paper's 1,979 real names vs 99,041 usernames).
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import resource
import time
import tracemalloc
from collections import Counter

import networkx as nx
import pandas as pd

from hubwh.network import build_graph, centrality_frame, kcore_frame, summary_frame
from hubwh.network.centrality import developer_centrality
from hubwh.network.graph import induced_subgraph
from hubwh.network.kcore import _assortativity, _igraph_fastgreedy, rich_club_directed

PAPER = {"developers": 101_144, "non_isolates": 10_524, "edges": 21_598, "degree_max": 3_140}


def synthetic_edges(scale: float, seed: int) -> pd.DataFrame:
    """(network, source, target, weight) built like collab_edges from synthetic repos."""
    rng = random.Random(seed)
    n_devs = int(107_500 * scale)  # ≈ 101,000 appear: some of the pool is never drawn
    n_pool = int(16_000 * scale)  # developers who ever join a team repo
    n_team_repos = int(7_000 * scale)
    pool_weights = [1 / (i + 20_000 * scale) for i in range(n_pool)]
    edges: Counter = Counter()

    def add_repo(team: list[str], networks: list[str]) -> None:
        commits = []
        for member in team:  # most members first-author at least one commit
            if len(team) == 1 or rng.random() < 0.8:
                commits.append(member)
        commits += [rng.choice(team) for _ in range(rng.randint(0, 6))]
        if not commits:
            commits = [team[0]]
        for first in commits:
            targets = [first] if len(team) == 1 else [b for b in team if b != first]
            for network in networks:
                for b in targets:
                    edges[(network, first, b)] += 1

    def networks_of() -> list[str]:
        u = rng.random()
        out = ["all"]
        if u < 0.45:
            out.append("nlp")
        elif u < 0.50:
            out.append("cv")
        elif u < 0.65:
            out.append("mm")
        return out

    # solo developers (isolates), one or two single-developer repos each
    for i in range(n_pool, n_devs):
        for _ in range(1 + (rng.random() < 0.3)):
            add_repo([f"dev{i}"], networks_of())
    # team repos: mostly pairs; members drawn with mildly skewed weights; one hub account in ~12 %
    hub = "dev0"
    for _ in range(n_team_repos):
        size = rng.choices([2, 3, 4, 6, 10, 18], weights=[90, 7, 2, 0.7, 0.25, 0.05])[0]
        team = {f"dev{j}" for j in rng.choices(range(1, n_pool), weights=pool_weights[1:], k=size)}
        if rng.random() < 0.12:
            team.add(hub)
        add_repo(sorted(team), networks_of())
    # a complete core of 14 developers committing together (the paper's k = 26 core)
    core = [f"core{i}" for i in range(14)]
    for _ in range(3):
        add_repo(core, ["all", "nlp"])
    return pd.DataFrame(
        [(n, s, t, w) for (n, s, t), w in edges.items()], columns=["network", "source", "target", "weight"]
    )


TRACE_MEMORY = True  # --no-memory turns the second, traced run off


def measure(label: str, fn, results: list, *, keep: bool = True, trace: bool = True):
    """Run fn in a forked child, so that steps do not disturb each other: once timed
    (wall time), then — unless --no-memory — once more under tracemalloc for its peak
    Python-heap allocation (networkx graphs, pandas and numpy buffers are all seen by
    tracemalloc; tracing slows the run, which is why it is a separate, untimed run).
    The child sends fn's value back (pickled) when `keep`."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        t0 = time.perf_counter()
        value = fn()
        wall = time.perf_counter() - t0
        peak = float("nan")
        if TRACE_MEMORY and trace:
            tracemalloc.start()
            fn()
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        with os.fdopen(write, "wb") as fh:
            pickle.dump((wall, peak, value if keep else None), fh)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        wall, peak, value = pickle.load(fh)
    os.waitpid(pid, 0)
    results.append((label, wall, peak))
    print(f"  {label:<52} {wall:9.2f} s {peak:9.1f} MiB", flush=True)
    return value


def bench_network(edges: pd.DataFrame, results: list) -> None:
    all_edges = edges.loc[edges["network"] == "all"]
    graph = measure("build graph (all)", lambda: build_graph(all_edges), results)
    summary = measure(
        "developer_centrality (all: degree, PageRank, core)", lambda: developer_centrality(graph), results
    )
    active = summary.loc[~summary["is_isolate"]]
    print(
        f"    developers {len(summary):,}  non-isolates {len(active):,}  edges {graph.number_of_edges():,}  "
        f"degree mean {active['degree'].mean():.2f} sd {active['degree'].std():.2f} "
        f"median {active['degree'].median():.0f} max {active['degree'].max()}  max core {summary['core_number'].max()}"
    )
    print(
        "    (paper: developers {developers:,}, non-isolates {non_isolates:,}, edges {edges:,}, "
        "degree mean 4.10 sd 32.63 median 2 max {degree_max:,}, max core 26)".format(**PAPER)
    )
    measure(
        "  of which PageRank alone",
        lambda: nx.pagerank(graph.subgraph(active["developer"]), weight="weight"),
        results,
        keep=False,
    )
    measure("  of which core_number alone", lambda: nx.core_number(graph), results, keep=False)

    core_numbers = nx.core_number(graph)
    max_k = max(core_numbers.values())
    for k in sorted({1, 5, 10, max_k}):
        core = induced_subgraph(graph, [v for v, c in core_numbers.items() if c >= k])
        print(f"  k = {k}: {core.number_of_nodes():,} nodes, {core.number_of_edges():,} edges", flush=True)
        nx_part = measure(
            f"  k={k} modularity: networkx greedy (CNM)",
            lambda: nx.community.greedy_modularity_communities(core),
            results,
        )
        q_nx = nx.community.modularity(core, nx_part, weight=None)
        ig_part = measure(f"  k={k} modularity: igraph fast-greedy", lambda: _igraph_fastgreedy(core), results)
        q_ig = nx.community.modularity(core, ig_part, weight=None)
        print(
            f"    directed modularity: networkx {q_nx:.4f} ({len(nx_part)} communities), "
            f"igraph {q_ig:.4f} ({len(ig_part)} communities)"
        )
        measure(f"  k={k} density + reciprocity", lambda: (nx.density(core), nx.reciprocity(core)), results, keep=False)
        measure(f"  k={k} rich club (directed)", lambda: rich_club_directed(core), results, keep=False)
        measure(f"  k={k} assortativity", lambda: _assortativity(core), results, keep=False)
        measure(
            f"  k={k} avg clustering (weighted)",
            lambda: nx.average_clustering(core, weight="weight"),
            results,
            keep=False,
        )

    print("  whole Python models (all four networks):")
    cent = measure("developer_centrality model", lambda: centrality_frame(edges), results)
    measure(
        "collab_summary model (reusing centrality)", lambda: summary_frame(edges, centrality=cent), results, keep=False
    )
    table = measure("collab_kcore model", lambda: kcore_frame(edges), results)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))


def bench_identity(seed: int, results: list) -> None:
    from hubwh.identity import merge_candidates

    rng = random.Random(seed)
    syllables = [
        "ka",
        "ri",
        "mo",
        "ne",
        "ta",
        "lu",
        "si",
        "de",
        "ro",
        "an",
        "el",
        "jo",
        "mi",
        "sa",
        "to",
        "va",
        "zh",
        "ng",
        "er",
        "is",
        "ha",
        "yu",
        "li",
        "be",
        "co",
        "fa",
        "gu",
        "pe",
        "wi",
        "xo",
        "qu",
        "dr",
    ]

    def word(lo: int, hi: int) -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(lo, hi)))

    first = [word(2, 3) for _ in range(3_000)]
    last = [word(2, 4) for _ in range(20_000)]
    names = set()
    while len(names) < 99_000:
        u = rng.random()
        f, s = rng.choice(first), rng.choice(last)
        names.add(
            f"{f}{s}" if u < 0.4 else f"{f[0]}{s}{rng.randrange(100)}" if u < 0.7 else f"{f}-{rng.randrange(10_000)}"
        )
    real = {f"{rng.choice(first).title()} {rng.choice(last).title()}" for _ in range(2_000)}
    names |= {r.lower().replace(" ", "") for r in sorted(real)[::5]}  # ~400 people with both spellings
    people = sorted(names | real)
    # contributions: repos of 1-3 names (most solo), so rule (a) sees realistic per-repo pairs
    rows = []
    for r in range(350_000):
        k = rng.choices([1, 2, 3], weights=[90, 8, 2])[0]
        rows += [(f"repo{r}", rng.choice(people)) for _ in range(k)]
    frame = pd.DataFrame(rows, columns=["repo", "name"])
    out = measure(
        f"identity candidates ({len(people):,} names, {len(real):,} real)", lambda: merge_candidates(frame, 90), results
    )
    print(f"    {len(out):,} candidates: {out['reason'].value_counts().to_dict()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-identity", action="store_true")
    parser.add_argument("--no-memory", action="store_true", help="skip the traced (memory) runs")
    args = parser.parse_args()
    global TRACE_MEMORY
    TRACE_MEMORY = not args.no_memory
    results: list = []
    t0 = time.perf_counter()
    edges = measure(
        "synthesise edge list (setup, not traced)", lambda: synthetic_edges(args.scale, args.seed), results, trace=False
    )
    print(f"    {len(edges):,} edge rows; networks {edges['network'].value_counts().to_dict()}")
    bench_network(edges, results)
    if not args.skip_identity:
        bench_identity(args.seed, results)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"total {time.perf_counter() - t0:.1f} s, process peak RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
