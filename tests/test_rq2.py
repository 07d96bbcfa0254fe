"""RQ2 on a built warehouse: the collaboration edges rebuilt independently from the raw
commits in plain Python, the identity candidates against the synthetic Hub's planted
aliases, and the RQ2 marts' consistency with each other and with the paper's keys."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "seeds"


# ---------------------------------------------------------------- the reference computation


def _read_seed(name: str) -> list[dict]:
    with open(SEEDS / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _is_bot(name: str, seeded: set[str]) -> bool:
    low = name.lower()
    return low in seeded or low.endswith("[bot]") or low.endswith("-bot")


def rebuild_edges(con, aliases: dict[str, str]) -> Counter:
    """docs/methods.md §4 from raw.commits, in plain Python: per listed model repo whose latest commits
    fetch is ok, U(r) = developers
    among all commit authors (bots, `system` removed; aliases mapped); per commit, its
    first developer a -> every other b in U(r) (+1), or a -> a when |U(r)| = 1. Returns
    Counter {(network, source, target): weight}."""
    bots = {row["username"].lower() for row in _read_seed("bots")}
    tags_of = defaultdict(set)
    for row in _read_seed("subfield_tags"):
        tags_of[row["subfield"]].add(row["tag"])

    subfields = defaultdict(set)  # repo -> sub-fields
    for repo_id, tags in con.execute("select repo_id, tags from raw.models").fetchall():
        tags = set(json.loads(tags) if isinstance(tags, str) else (tags or []))
        for subfield, members in tags_of.items():
            if tags & members:
                subfields[repo_id].add(subfield)

    # only the Hub as it stands (docs/methods.md §0): listed model repos whose latest commits fetch is ok
    # (a repo that turned gated / private / deleted keeps its old rows in raw, but they no longer count)
    current = {
        r[0]
        for r in con.execute("""
        select m.repo_id from raw.models m join raw.fetch_log f
          on f.repo_type = 'model' and f.repo_id = m.repo_id and f.resource = 'commits'
        where coalesce(m.is_listed, true) and f.status = 'ok'
    """).fetchall()
    }
    rows = [
        r
        for r in con.execute("""
        select repo_id, commit_id, authors, fetched_at from raw.commits where repo_type = 'model'
    """).fetchall()
        if r[0] in current
    ]
    latest = {}
    for repo_id, _, _, fetched_at in rows:
        latest[repo_id] = max(latest.get(repo_id, fetched_at), fetched_at)
    commits = defaultdict(list)  # repo -> [ordered developers of each commit]
    for repo_id, _, authors, fetched_at in rows:
        if fetched_at != latest[repo_id]:
            continue
        names = json.loads(authors) if isinstance(authors, str) else list(authors or [])
        devs = [aliases.get(n, n) for n in names if n != "system" and not _is_bot(n, bots)]
        devs = [d for d in devs if not _is_bot(d, bots)]
        commits[repo_id].append(devs)

    edges: Counter = Counter()
    for repo_id, per_commit in commits.items():
        team = {d for devs in per_commit for d in devs}
        networks = ["all"] + sorted(subfields.get(repo_id, ()))
        for devs in per_commit:
            if not devs:
                continue
            first = devs[0]
            targets = [first] if len(team) == 1 else [b for b in team if b != first]
            for network in networks:
                for b in targets:
                    edges[(network, first, b)] += 1
    return edges


def warehouse_edges(con) -> Counter:
    return Counter(
        {
            (n, s, t): int(w)
            for n, s, t, w in con.execute("select network, source, target, weight from marts.collab_edges").fetchall()
        }
    )


def alias_map(con) -> dict[str, str]:
    return dict(con.execute("select alias, developer from intermediate.int_identity_map").fetchall())


# ---------------------------------------------------------------- on the session warehouse


def test_collab_edges_equal_an_independent_rebuild(duck):
    expected = rebuild_edges(duck, alias_map(duck))
    got = warehouse_edges(duck)
    assert got == expected
    # the synthetic Hub exercises what matters: multi-author commits, bots, self-loops
    multi = duck.execute("""select count(*) from intermediate.int_commits_filtered_to_latest_fetch
        where repo_type = 'model' and len(authors) > 1""").fetchone()[0]
    bot_rows = duck.execute("""select count(*) from intermediate.int_commit_authors_resolved
        where repo_type = 'model' and is_bot""").fetchone()[0]
    assert multi > 0 and bot_rows > 0
    assert any(s == t for _, s, t in got) and any(s != t for _, s, t in got)
    assert {n for n, _, _ in got} == {"all", "nlp", "cv", "mm"}


def test_rq2_marts_agree_with_each_other(duck):
    summary = {
        r[0]: r[1:]
        for r in duck.execute(
            "select network, developers, isolates, non_isolates, edges, degree_mean from marts.collab_summary"
        ).fetchall()
    }
    assert set(summary) == {"all", "nlp", "cv", "mm"}
    for network, (developers, isolates, non_isolates, edges, degree_mean) in summary.items():
        nodes, k_edges = duck.execute(
            "select nodes, edges from marts.collab_kcore where network = ? and k = 1", [network]
        ).fetchone()
        assert (nodes, k_edges) == (non_isolates, edges)
        assert developers == isolates + non_isolates
        if non_isolates:
            assert degree_mean == pytest.approx(2 * edges / non_isolates)
        n_nodes = duck.execute(
            """select count(distinct d) from (select source d from marts.collab_edges where network = ?
            union select target from marts.collab_edges where network = ?)""",
            [network, network],
        ).fetchone()[0]
        assert n_nodes == developers
    sums = duck.execute("""select network, sum(pagerank), count(*) filter (where pagerank is null and not is_isolate)
        from marts.developer_centrality group by network
        having count(*) filter (where not is_isolate) > 0""").fetchall()
    for _, total, missing in sums:
        assert total == pytest.approx(1.0) and missing == 0
    # bots are visible in developers, never in the network
    bots = {r[0] for r in duck.execute("select developer from marts.developers where is_bot").fetchall()}
    assert bots
    in_network = {r[0] for r in duck.execute("select developer from marts.developer_centrality").fetchall()}
    assert not bots & in_network


def test_every_rq2_figure_of_the_paper_has_a_warehouse_value(duck):
    rows = duck.execute("""
        select p.measure, p.network, p.k, f.warehouse_value
        from seeds.published_figures p
        left join intermediate.int_paper_figures__rq2 f
          on f.measure = p.measure and f.network is not distinct from p.network
         and f.k is not distinct from cast(p.k as integer)
        where p.measure in ('n_developers', 'usernames_merged', 'isolate_share', 'non_isolates')
           or p.measure like 'degree.%' or p.measure like 'pagerank.%' or p.measure like 'kcore.%'
    """).fetchall()
    assert len(rows) == 89
    cores = dict(duck.execute("select network || ':' || k, nodes from marts.collab_kcore").fetchall())
    missing = []
    for measure, network, k, value in rows:
        if value is not None:
            continue
        # undefined where the warehouse's k-core is empty or beyond its maximal k (the
        # paper's maximal-core rows, e.g. k = 26), and assortativity on regular cores
        empty_core = k is not None and not cores.get(f"{network}:{k}")
        if not (empty_core or measure == "kcore.assortativity"):
            missing.append((measure, network, k))
    assert not missing


# ---------------------------------------------------------------- identity merging


def _planted_aliases(snapshot: Path) -> list[tuple[str, str]]:
    path = snapshot / "ground_truth.json.gz"
    if not path.exists():
        pytest.skip("the synthetic snapshot has no ground_truth.json.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        truth = json.load(fh)
    return [tuple(pair) for pair in truth["aliases"]]


def test_identity_candidates_find_the_planted_aliases(duck, synth_snapshot):
    planted = _planted_aliases(synth_snapshot)
    seen = {
        r[0]
        for r in duck.execute("""select author from intermediate.int_commit_authors_filtered_to_latest_fetch
        union select author from intermediate.int_discussions_filtered_to_latest_fetch
        where author is not null""").fetchall()
    }
    planted = [(a, c) for a, c in planted if a in seen and c in seen]
    assert len(planted) >= 5  # the small demo Hub plants a handful
    found = {
        frozenset(r) for r in duck.execute("select name_a, name_b from marts.identity_merge_candidates").fetchall()
    }
    hits = [p for p in planted if frozenset(p) in found]
    assert len(hits) / len(planted) >= 0.9, sorted(set(planted) - set(hits))[:20]
    # oriented alias -> canonical as planted for most of them
    oriented = {tuple(r) for r in duck.execute("select name_a, name_b from marts.identity_merge_candidates").fetchall()}
    assert sum(p in oriented for p in hits) / len(hits) >= 0.8


@pytest.fixture(scope="module")
def auto_merged_warehouse(warehouse, tmp_path_factory):
    """A copy of the warehouse with the network rebuilt with automatic identity acceptance on, so
    that aliases really change the network."""
    from hubwh.build import run_dbt

    db = tmp_path_factory.mktemp("rq2_auto") / "warehouse.duckdb"
    shutil.copy(warehouse, db)
    run_dbt(
        [
            "build",
            "--select",
            "+collab_edges +developers",
            "--exclude",
            "test_type:singular",
            "--vars",
            "{auto_accept_identity_candidates: true}",
        ],
        db,
        quiet=True,
    )
    return db


def test_collab_edges_with_merged_aliases(auto_merged_warehouse):
    import duckdb

    con = duckdb.connect(str(auto_merged_warehouse), read_only=True)
    try:
        aliases = alias_map(con)
        assert aliases and all(
            src == "auto"
            for (src,) in con.execute("select distinct source from intermediate.int_identity_map").fetchall()
        )
        used = con.execute("""select count(*) from intermediate.int_commit_authors_filtered_to_latest_fetch
            where repo_type = 'model' and author in (select alias from intermediate.int_identity_map)""").fetchone()[0]
        assert used > 0  # the merges do touch model commits
        assert warehouse_edges(con) == rebuild_edges(con, aliases)
        # an alias never appears as a node, and shows up in its developer's aliases
        nodes = {
            r[0]
            for r in con.execute(
                "select source from marts.collab_edges union select target from marts.collab_edges"
            ).fetchall()
        }
        assert not nodes & set(aliases)
        listed = {a for (lst,) in con.execute("select aliases from marts.developers").fetchall() for a in lst}
        assert listed <= set(aliases) and listed
    finally:
        con.close()
