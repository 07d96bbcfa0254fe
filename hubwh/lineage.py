"""Model lineage (docs/methods.md §9): the ancestor closure of the child -> parent graph, and
the correlations of a model's descendants with its popularity (the dbt Python model
`lineage_correlations`).

`ancestor_closure` gives every (model, ancestor) pair reachable by following parent edges, with
the length of the shortest path: a breadth-first search from every model at once, one level per
step over integer codes (numpy), each level's new pairs checked against the pairs found before,
so a graph with cycles ends (a pair is never found twice). It is the Python candidate that
benchmarks/bench_lineage.py measured against the recursive CTE of int_model_lineage_closure at
2.5 M models (the CTE was kept: see that model's description); tests use it as a second,
independent closure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hubwh.arrays import unique_sorted
from hubwh.errors import HubwhError

CLOSURE_COLUMNS = ("model_id", "ancestor_id", "distance")


def _in_sorted(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Which of `keys` are in the sorted array `sorted_keys`."""
    if not sorted_keys.size:
        return np.zeros(keys.shape, dtype=bool)
    at = np.searchsorted(sorted_keys, keys)
    at[at == sorted_keys.size] = 0
    return sorted_keys[at] == keys


def closure_codes(child: np.ndarray, parent: np.ndarray, n_nodes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ancestor closure over node codes 0..n_nodes-1: arrays (node, ancestor, distance), one
    entry per reachable pair with the shortest path length (>= 1). A node on a cycle is its own
    ancestor (distance = the shortest cycle through it). Self-loops and repeated edges are ignored."""
    child = np.asarray(child, dtype=np.int64)
    parent = np.asarray(parent, dtype=np.int64)
    if child.shape != parent.shape:
        raise HubwhError("closure_codes: child and parent differ in length")
    empty = np.zeros(0, dtype=np.int64)
    n = np.int64(max(int(n_nodes), 1))
    keys = unique_sorted(child[child != parent] * n + parent[child != parent])
    if not keys.size:
        return empty, empty, empty.astype(np.int32)
    src, dst = keys // n, keys % n  # sorted by src: a CSR of each node's parents
    indptr = np.zeros(int(n) + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=int(n)), out=indptr[1:])
    found = [keys]  # the pairs of each level, each sorted
    nodes, ancestors, distances = [src], [dst], [np.ones(keys.size, dtype=np.int32)]
    level = 1
    front_node, front_anc = src, dst
    while front_node.size:
        starts = indptr[front_anc]
        counts = indptr[front_anc + 1] - starts
        total = int(counts.sum())
        if total == 0:
            break
        # the parents of each frontier ancestor, one row per (pair, parent)
        offsets = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total, dtype=np.int64)
        cand = unique_sorted(np.repeat(front_node, counts) * n + dst[offsets])
        for earlier in found:
            cand = cand[~_in_sorted(cand, earlier)]
            if not cand.size:
                break
        if not cand.size:
            break
        level += 1
        found.append(cand)
        front_node, front_anc = cand // n, cand % n
        nodes.append(front_node)
        ancestors.append(front_anc)
        distances.append(np.full(cand.size, level, dtype=np.int32))
    return np.concatenate(nodes), np.concatenate(ancestors), np.concatenate(distances)


def ancestor_closure(edges: pa.Table | pd.DataFrame) -> pa.Table:
    """(model_id, ancestor_id, distance) for every ancestor of every model of `edges`
    (columns child_id, parent_id: one row per edge, child -> parent)."""
    table = edges if isinstance(edges, pa.Table) else pa.Table.from_pandas(edges, preserve_index=False)
    missing = {"child_id", "parent_id"} - set(table.column_names)
    if missing:
        raise HubwhError(f"ancestor_closure: input lacks columns {sorted(missing)}")
    child = table.column("child_id").cast(pa.string()).combine_chunks()
    parent = table.column("parent_id").cast(pa.string()).combine_chunks()
    if child.null_count or parent.null_count:
        raise HubwhError("ancestor_closure: an edge has a NULL end")
    ids = pc.unique(pa.concat_arrays([child, parent]))
    ids = ids.take(pc.sort_indices(ids))  # byte order, so code order is id order
    node, anc, dist = closure_codes(
        pc.index_in(child, value_set=ids).to_numpy(),
        pc.index_in(parent, value_set=ids).to_numpy(),
        len(ids),
    )
    return pa.table(
        {
            "model_id": ids.take(pa.array(node)),
            "ancestor_id": ids.take(pa.array(anc)),
            "distance": pa.array(dist, type=pa.int32()),
        }
    )


# -- descendants vs popularity -------------------------------------------------------------------
DESCENDANT_PAIRS = (("n_descendants", "n_likes"), ("n_descendants", "n_downloads"), ("n_descendants", "n_usage_spaces"))
CORRELATION_COLUMNS = ["population", "var_x", "var_y", "method", "r", "p_value", "n"]


def descendant_correlations(models: pd.DataFrame) -> pd.DataFrame:
    """n_descendants vs likes, 30-day downloads and usage in spaces: Pearson and Spearman with
    two-sided p-values (hubwh.stats.correlation_pairs, as usage_correlations), over
    'all_models' and over 'with_descendants' (n_descendants >= 1). `models` has one row per
    listed model with the repo_activity columns; pairs with a missing value are dropped."""
    from hubwh.stats import ACTIVITY_METHODS, correlation_pairs  # scipy: only here, not for the closure

    needed = {c for pair in DESCENDANT_PAIRS for c in pair}
    missing = needed - set(models.columns)
    if missing:
        raise HubwhError(f"descendant_correlations: input lacks columns {sorted(missing)}")
    populations = {"all_models": models, "with_descendants": models[models["n_descendants"].fillna(0) >= 1]}
    rows = []
    for population, part in populations.items():
        for var_x, var_y in DESCENDANT_PAIRS:
            for method in ACTIVITY_METHODS:
                pairs = correlation_pairs(part, [var_x, var_y], method)
                row = pairs[(pairs["var_x"] == var_x) & (pairs["var_y"] == var_y)].iloc[0]
                rows.append((population, var_x, var_y, method, row["r"], row["p_value"], int(row["n"])))
    out = pd.DataFrame(rows, columns=CORRELATION_COLUMNS)
    return out.astype({"r": "float64", "p_value": "float64", "n": "int64"})
