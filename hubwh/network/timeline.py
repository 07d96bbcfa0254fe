"""The collaboration network of all models as of each quarter end (docs/methods.md §10).

docs/methods.md §4 builds the network from every commit; §10 applies the same construction to
the commits dated up to each quarter end q only (U(r) from those commits too). The measures
kept per quarter (developers, isolates, edges, reciprocity, core numbers, degrees) ignore edge
weights, so the network at q is fixed by *which* links exist at q, and links are only ever
added as q grows: developer b is a node from their first model commit (any author position),
and the link a -> b (a != b) exists from the earliest time, over the repos r both belong to,
at which a has been the first author of a commit of r and b an author of a commit of r
(`int_model_collab_links_dated` computes these times in SQL).

So the graph is grown quarter by quarter instead of being rebuilt from the commits for every
quarter; only the core numbers are recomputed per quarter (networkx `core_number`, by igraph, on the
non-isolates; isolates have core number 0). benchmarks/bench_time.py measures the two ways.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd

from hubwh.errors import HubwhError
from hubwh.network.graph import core_numbers
from hubwh.stats import gini

TIMELINE_COLUMNS = [
    "quarter_end",
    "quarter",
    "developers",
    "isolates",
    "isolate_share",
    "non_isolates",
    "edges",
    "reciprocity",
    "max_k",
    "max_core_nodes",
    "degree_gini",
]


def quarter_ends(first, last) -> list[pd.Timestamp]:
    """The last day (UTC) of every calendar quarter from the quarter of `first` to that of
    `last`, as dates (midnight timestamps, tz-naive)."""
    periods = pd.period_range(_as_naive(first).to_period("Q"), _as_naive(last).to_period("Q"), freq="Q")
    return [p.end_time.normalize() for p in periods]


def timeline_frame(links: pd.DataFrame, until=None, since=None) -> pd.DataFrame:
    """One row per quarter end, from the quarter of `since` (the first model commit; default:
    the first link) to the quarter of `until` (the snapshot's clock; default: the newest link).

    `links`: columns source, target, linked_at; source == target marks when a developer
    first joins a model repo, source != target when the directed link first exists.
    Columns: see TIMELINE_COLUMNS; reciprocity is NaN, max_k and max_core_nodes 0 while the
    network has no edge; degree_gini is the Gini of total degree over the non-isolates."""
    missing = [c for c in ("source", "target", "linked_at") if c not in links.columns]
    if missing:
        raise HubwhError(f"timeline links lack column(s) {', '.join(missing)}")
    empty = pd.DataFrame({c: pd.Series(dtype="float64") for c in TIMELINE_COLUMNS})
    links = links.dropna(subset=["source", "target", "linked_at"])
    if links.empty:
        return _typed(empty)
    at = pd.to_datetime(links["linked_at"], utc=True).dt.tz_localize(None)
    last = at.max() if until is None or pd.isna(until) else max(at.max(), _as_naive(until))
    first = at.min() if since is None or pd.isna(since) else min(at.min(), _as_naive(since))
    ends = quarter_ends(first, last)
    # quarter index of each link: the first quarter end at or after its day
    day = at.dt.normalize()
    q_index = np.searchsorted(np.array(ends, dtype="datetime64[ns]"), day.to_numpy(dtype="datetime64[ns]"), side="left")
    frame = pd.DataFrame(
        {
            "source": links["source"].astype(str).to_numpy(),
            "target": links["target"].astype(str).to_numpy(),
            "q": q_index,
        }
    )
    is_node = frame["source"] == frame["target"]
    nodes_by_q = frame.loc[is_node].groupby("q")["source"].apply(list).to_dict()
    edges = frame.loc[~is_node].sort_values(["q", "source", "target"])
    edges_by_q = {q: list(zip(g["source"], g["target"])) for q, g in edges.groupby("q")}

    graph = nx.DiGraph()  # the non-isolates and their links, grown quarter by quarter
    seen: set[str] = set()
    reciprocated = 0
    rows = []
    for q, end in enumerate(ends):
        seen.update(nodes_by_q.get(q, ()))
        for a, b in edges_by_q.get(q, ()):
            if graph.has_edge(a, b):
                continue
            if graph.has_edge(b, a):
                reciprocated += 2
            graph.add_edge(a, b)
        # a link's ends are developers of its repo, so they are nodes already; kept safe anyway
        seen.update(graph.nodes)
        n, n_linked, n_edges = len(seen), graph.number_of_nodes(), graph.number_of_edges()
        if n_edges:
            core = core_numbers(graph)
            max_k = max(core.values())
            max_core = sum(1 for c in core.values() if c == max_k)
            degrees = np.fromiter((d for _, d in graph.degree()), dtype="float64", count=n_linked)
            g = gini(degrees)
        else:
            max_k, max_core, g = 0, 0, math.nan
        rows.append(
            {
                "quarter_end": end.date(),
                "quarter": f"{end.year}Q{(end.month - 1) // 3 + 1}",
                "developers": n,
                "isolates": n - n_linked,
                "isolate_share": (n - n_linked) / n if n else math.nan,
                "non_isolates": n_linked,
                "edges": n_edges,
                "reciprocity": reciprocated / n_edges if n_edges else math.nan,
                "max_k": max_k,
                "max_core_nodes": max_core,
                "degree_gini": math.nan if g is None else g,
            }
        )
    return _typed(pd.DataFrame(rows, columns=TIMELINE_COLUMNS))


def _as_naive(value) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    return ts.tz_convert("UTC").tz_localize(None) if ts.tzinfo else ts


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for col in ("developers", "isolates", "non_isolates", "edges", "max_k", "max_core_nodes"):
        frame[col] = frame[col].astype("int64")
    frame["quarter"] = frame["quarter"].astype("string")
    frame["quarter_end"] = pd.to_datetime(frame["quarter_end"]).dt.date if len(frame) else frame["quarter_end"]
    return frame
