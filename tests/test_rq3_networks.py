"""RQ3 (model adoption in spaces): the SQL marts against an independent networkx /
pandas computation from the raw space → model pairs (docs/methods.md §5).

- on the session's synthetic Hub (crawled through the emulator, full dbt build);
- on a hand-worked mini Hub with the co-usage cap lowered (answers worked by hand);
- on the 1,922 real (space, model) edges of ../shared/real-data replayed through the
  emulator (skips when ../shared is absent).

The reference shares nothing with the SQL but the written rules: current pairs of
listed spaces; a space listing more than the cap is left out of co-usage; a sub-field
network keeps the sub-field's models; dense ranks; the top 100's tie-break."""

from __future__ import annotations

import ast
import csv
import gzip
import json
import math
from pathlib import Path

import duckdb
import networkx as nx
import pandas as pd
import pytest
from conftest import PROJECT_ROOT, shared_path, slow_fixture
from networkx.algorithms import bipartite
from scipy.stats import spearmanr

SEEDS = PROJECT_ROOT / "seeds"
SUBFIELDS = ("all", "nlp", "cv", "mm")
ADOPTION_COLUMNS = [
    "subfield",
    "model_id",
    "organisation",
    "n_spaces",
    "co_usage_degree",
    "co_usage_weight",
    "usage_rank",
    "co_usage_rank",
]
RQ3_SELECT = (
    "+model_usage +model_co_usage +model_adoption +top_organisations +usage_summary "
    "+usage_correlations +int_paper_figures__rq3"
)


# ---- the independent reference ------------------------------------------------------------


def organisation_of(model_id: str, seed_rows: list[dict]) -> str:
    """Organisation behind a model id by the seed's rules (case-insensitive; unmapped stands for itself)."""
    namespace = model_id.split("/", 1)[0] if "/" in model_id else None
    for row in seed_rows:
        if namespace is not None and row["kind"] == "namespace" and row["name"].lower() == namespace.lower():
            return row["organisation"]
        if namespace is None and row["kind"] == "legacy_id" and row["name"].lower() == model_id.lower():
            return row["organisation"]
    return namespace if namespace is not None else model_id


def subfield_members(model_tags: dict[str, list[str]]) -> dict[str, set[str]]:
    tags = pd.read_csv(SEEDS / "subfield_tags.csv")
    return {
        subfield: {m for m, t in model_tags.items() if set(group["tag"]) & set(t or [])}
        for subfield, group in tags.groupby("subfield")
    }


def reference_tables(
    pairs: pd.DataFrame, model_tags: dict[str, list[str]], *, cap: int | None = 500, top: int = 100
) -> dict[str, pd.DataFrame]:
    """pairs: current (space_id, model_id) rows; model_tags: tags of the known models."""
    pairs = pairs[["space_id", "model_id"]].drop_duplicates()
    sizes = pairs.groupby("space_id").size()
    co_spaces = set(sizes.index) if cap is None else set(sizes[sizes <= cap].index)
    members = subfield_members(model_tags)
    with open(SEEDS / "organisations.csv", newline="") as fh:
        seed_rows = list(csv.DictReader(fh))

    adoption_rows, co_rows, summary_rows = [], [], []
    for subfield in SUBFIELDS:
        part = pairs if subfield == "all" else pairs[pairs["model_id"].isin(members.get(subfield, set()))]
        graph = nx.Graph()
        graph.add_edges_from((("s", s), ("m", m)) for s, m in part.itertuples(index=False))
        model_nodes = [n for n in graph if n[0] == "m"]
        # co-usage: the bipartite graph without the oversized spaces, projected on the models;
        # weighted_projected_graph's weight is the number of shared spaces
        co_graph = graph.subgraph([n for n in graph if n[0] == "m" or n[1] in co_spaces])
        if len(co_graph) > len(model_nodes):
            projected = bipartite.weighted_projected_graph(co_graph, model_nodes)
        else:  # every space of the network is over the cap: no co-usage at all
            projected = nx.empty_graph(model_nodes)
        for a, b, w in projected.edges(data="weight"):
            ma, mb = sorted((a[1], b[1]))
            co_rows.append((subfield, ma, mb, w))
        for node in model_nodes:
            adoption_rows.append(
                (subfield, node[1], graph.degree(node), projected.degree(node), projected.degree(node, weight="weight"))
            )
        if model_nodes:
            degrees = pd.Series([graph.degree(n) for n in model_nodes], dtype=float)
            summary_rows.append(
                (
                    subfield,
                    len(model_nodes),
                    part["space_id"].nunique(),
                    degrees.mean(),
                    degrees.median(),
                    degrees.std(ddof=1),
                    degrees.max(),
                )
            )

    adoption = pd.DataFrame(
        adoption_rows, columns=["subfield", "model_id", "n_spaces", "co_usage_degree", "co_usage_weight"]
    )
    adoption["organisation"] = [organisation_of(m, seed_rows) for m in adoption["model_id"]]
    by = adoption.groupby("subfield")
    adoption["usage_rank"] = by["n_spaces"].rank(method="dense", ascending=False).astype(int)
    adoption["co_usage_rank"] = by["co_usage_degree"].rank(method="dense", ascending=False).astype(int)

    top_rows = []
    for subfield, group in adoption.groupby("subfield"):
        used = group.sort_values(["n_spaces", "co_usage_degree", "model_id"], ascending=[False, False, True]).head(top)
        co_used = (
            group[group["co_usage_degree"] > 0]
            .sort_values(
                ["co_usage_degree", "co_usage_weight", "n_spaces", "model_id"], ascending=[False, False, False, True]
            )
            .head(top)
        )
        for ranking, chosen in (("used", used), ("co_used", co_used)):
            for organisation, n in chosen["organisation"].value_counts().items():
                top_rows.append((subfield, ranking, organisation, int(n), n / len(chosen)))

    return {
        "adoption": adoption[ADOPTION_COLUMNS],
        "co_usage": pd.DataFrame(co_rows, columns=["subfield", "model_a", "model_b", "n_spaces"]),
        "top_organisations": pd.DataFrame(
            top_rows, columns=["subfield", "ranking", "organisation", "n_models_in_top_100", "share"]
        ),
        "summary": pd.DataFrame(
            summary_rows,
            columns=[
                "subfield",
                "n_models_used",
                "n_spaces_using",
                "mean_n_spaces",
                "median_n_spaces",
                "sd_n_spaces",
                "max_n_spaces",
            ],
        ),
    }


# ---- reading the warehouse -----------------------------------------------------------------


def raw_inputs(con) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Current pairs of listed spaces, straight from the raw tables (the staging rule
    restated: a pair holds when seen in its space's latest listing), and the models' tags."""
    pairs = con.sql("""
        select sm.space_id, sm.model_id
        from raw.space_models sm join raw.spaces s on s.repo_id = sm.space_id
        where sm.listed_at >= s.last_listed_at and coalesce(s.is_listed, true)
    """).df()
    # every model row counts for sub-fields (int_model_subfields), listed or not any more
    models = con.sql("select repo_id, cast(tags as varchar) as tags from raw.models").df()
    tags = {r.repo_id: (json.loads(r.tags) if r.tags else []) for r in models.itertuples()}
    return pairs, tags


def mart(con, name: str, columns: list[str]) -> pd.DataFrame:
    schema = "intermediate" if name.startswith("int_") else "marts"
    return con.sql(f"select {', '.join(columns)} from {schema}.{name}").df()


def sort_frame(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys).reset_index(drop=True)


def assert_marts_match_reference(con, ref: dict[str, pd.DataFrame]) -> None:
    adoption = mart(con, "model_adoption", ADOPTION_COLUMNS)
    pd.testing.assert_frame_equal(
        sort_frame(adoption, ["subfield", "model_id"]),
        sort_frame(ref["adoption"], ["subfield", "model_id"]),
        check_dtype=False,
    )
    co_usage = mart(con, "model_co_usage", ["subfield", "model_a", "model_b", "n_spaces"])
    pd.testing.assert_frame_equal(
        sort_frame(co_usage, ["subfield", "model_a", "model_b"]),
        sort_frame(ref["co_usage"], ["subfield", "model_a", "model_b"]),
        check_dtype=False,
    )
    top = mart(con, "top_organisations", ["subfield", "ranking", "organisation", "n_models_in_top_100", "share"])
    pd.testing.assert_frame_equal(
        sort_frame(top, ["subfield", "ranking", "organisation"]),
        sort_frame(ref["top_organisations"], ["subfield", "ranking", "organisation"]),
        check_dtype=False,
    )
    summary = mart(con, "usage_summary", list(ref["summary"].columns))
    pd.testing.assert_frame_equal(
        sort_frame(summary, ["subfield"]), sort_frame(ref["summary"], ["subfield"]), check_dtype=False
    )


# ---- the session's synthetic Hub -----------------------------------------------------------


def test_rq3_marts_match_networkx_on_synthetic_hub(duck):
    pairs, tags = raw_inputs(duck)
    assert len(pairs) > 100, "the synthetic Hub should have usage edges"
    ref = reference_tables(pairs, tags, cap=500)
    assert (ref["co_usage"]["subfield"] != "all").any(), "sub-field co-usage should not be empty"
    assert_marts_match_reference(duck, ref)
    # RQ1's n_usage_spaces is the same count (listed models; 0 when unused)
    activity = duck.sql("""
        select r.repo_id, r.n_usage_spaces, coalesce(a.n_spaces, 0) as n_spaces
        from marts.repo_activity r
        left join marts.model_adoption a on a.subfield = 'all' and a.model_id = r.repo_id
        where r.repo_type = 'model'""").df()
    assert (activity["n_usage_spaces"] == activity["n_spaces"]).all()


# ---- a mini Hub of our own, served, crawled and built ----------------------------------------


def model_record(
    model_id: str,
    *,
    likes: int = 0,
    downloads: int = 0,
    tags: list[str] | None = None,
    pipeline_tag: str | None = None,
    n: int = 0,
) -> dict:
    return {
        "_id": f"{n:024x}",
        "id": model_id,
        "modelId": model_id,
        "author": model_id.split("/")[0] if "/" in model_id else None,
        "likes": likes,
        "downloads": downloads,
        "tags": tags or [],
        "pipeline_tag": pipeline_tag,
        "private": False,
        "gated": False,
        "createdAt": "2023-01-01T00:00:00.000Z",
        "lastModified": "2023-06-01T00:00:00.000Z",
        "sha": f"{n:040x}",
    }


def space_record(space_id: str, models: list[str], n: int) -> dict:
    record = {
        "_id": f"{n + 10**6:024x}",
        "id": space_id,
        "author": space_id.split("/")[0],
        "likes": 0,
        "private": False,
        "gated": False,
        "disabled": False,
        "sdk": "gradio",
        "tags": ["gradio"],
        "createdAt": "2023-02-01T00:00:00.000Z",
        "lastModified": "2023-06-01T00:00:00.000Z",
        "sha": f"{n + 10**6:040x}",
    }
    if models:
        record["models"] = models
    return record


def build_rq3_warehouse(snapshot: Path, db: Path, variables: dict | None = None) -> Path:
    """Serve the snapshot, crawl the listings only, dbt-build the RQ3 models and their parents."""
    from extract.pipeline import crawl
    from hubwh.build import run_dbt
    from hubwh.emulator import Emulator

    with Emulator(snapshot) as emu:
        crawl(
            endpoint=emu.url,
            db_path=db,
            types=("model", "space"),
            budget=None,
            progress=False,
            commits=False,
            discussions=False,
            pipelines_dir=db.parent / "pipelines",
        )
    args = ["build", "--select", RQ3_SELECT, "--indirect-selection", "cautious"]
    if variables:
        args += ["--vars", json.dumps(variables)]
    run_dbt(args, db, quiet=True)
    return db


HAND_MODELS = {  # id: (tags, likes, downloads)
    "facebook/a": (["text-generation"], 10, 100),  # nlp
    "google/b": (["fill-mask", "text-to-image"], 5, 50),  # nlp and mm
    "stabilityai/c": (["text-to-image"], 3, 0),  # mm
    "nobody/d": (["image-classification"], 0, 7),  # cv
    "gpt2": (["text-generation"], 20, 1000),  # nlp, legacy id
    "lonely/f": ([], 1, 1),  # listed, used by no space
    "eleutherai/p": ([], 2, 2),  # seed says EleutherAI: matching ignores case
}
HAND_SPACES = {
    "u/s1": ["facebook/a", "google/b", "stabilityai/c"],
    "u/s2": ["google/b", "facebook/a"],
    "u/s3": ["facebook/a", "gpt2"],
    "u/s4": ["google/b"],
    "u/s5": ["facebook/a", "google/b", "stabilityai/c", "nobody/d", "gone/e"],  # 5 models > cap 4
    "u/s6": [],
    "u/s7": ["eleutherai/p"],
}


@pytest.fixture(scope="module")
@slow_fixture
def hand_worked_db(tmp_path_factory) -> Path:
    from hubwh.snapshot import SnapshotWriter

    root = tmp_path_factory.mktemp("rq3_hand")
    with SnapshotWriter(root / "hub", source="synthetic", seed=0, created_at="2023-10-01T00:00:00Z") as w:
        for n, (model_id, (tags, likes, downloads)) in enumerate(HAND_MODELS.items()):
            w.add_repo("model", model_record(model_id, likes=likes, downloads=downloads, tags=tags, n=n))
        for n, (space_id, models) in enumerate(HAND_SPACES.items()):
            w.add_repo("space", space_record(space_id, models, n))
    return build_rq3_warehouse(root / "hub", root / "warehouse.duckdb", {"co_usage_max_models_per_space": 4})


@pytest.mark.slow
def test_rq3_hand_worked_mini_hub(hand_worked_db):
    con = duckdb.connect(str(hand_worked_db), read_only=True)
    try:
        adoption = (
            con.sql("""select model_id, n_spaces, co_usage_degree, co_usage_weight, usage_rank,
                                     co_usage_rank, organisation, model_exists
                              from marts.model_adoption where subfield = 'all'""")
            .df()
            .set_index("model_id")
        )
        # usage: a in s1 s2 s3 s5, b in s1 s2 s4 s5, c in s1 s5, d, e, gpt2 once each.
        # co-usage without s5 (5 models > cap 4): s1 gives ab ac bc, s2 ab, s3 a-gpt2.
        expected = {
            "facebook/a": (4, 3, 4, 1, 1, "Meta", True),
            "google/b": (4, 2, 3, 1, 2, "Google", True),
            "stabilityai/c": (2, 2, 2, 2, 2, "StabilityAI", True),
            "gpt2": (1, 1, 1, 3, 3, "OpenAI", True),
            "nobody/d": (1, 0, 0, 3, 4, "nobody", True),
            "gone/e": (1, 0, 0, 3, 4, "gone", False),
            "eleutherai/p": (1, 0, 0, 3, 4, "EleutherAI", True),
        }
        got = {m: tuple(r) for m, r in adoption.iterrows()}
        assert got == expected
        co = con.sql("select subfield, model_a, model_b, n_spaces from marts.model_co_usage").fetchall()
        assert sorted(co) == sorted(
            [
                ("all", "facebook/a", "google/b", 2),
                ("all", "facebook/a", "stabilityai/c", 1),
                ("all", "google/b", "stabilityai/c", 1),
                ("all", "facebook/a", "gpt2", 1),
                ("nlp", "facebook/a", "google/b", 2),
                ("nlp", "facebook/a", "gpt2", 1),
                ("mm", "google/b", "stabilityai/c", 1),
            ]
        )
        summary = con.sql("select * from marts.usage_summary where subfield = 'all'").df().iloc[0]
        assert summary["n_models_used"] == 7 and summary["n_spaces_using"] == 6
        assert summary["mean_n_spaces"] == pytest.approx(14 / 7)
        assert summary["median_n_spaces"] == pytest.approx(1.0)
        assert summary["max_n_spaces"] == 4
        assert summary["top_model_id"] == "facebook/a" and summary["n_top_models"] == 2
        assert summary["n_spaces_excluded_from_co_usage"] == 1
        assert summary["n_models_not_listed"] == 1
        top = con.sql("""select ranking, organisation, n_models_in_top_100, share, top_size
                         from marts.top_organisations where subfield = 'all'""").df()
        assert sorted(top[top.ranking == "co_used"]["organisation"]) == ["Google", "Meta", "OpenAI", "StabilityAI"]
        assert (top[top.ranking == "co_used"]["share"] == 0.25).all()
        assert (top[top.ranking == "used"]["top_size"] == 7).all()
        usage = con.sql("select space_id, in_co_usage from marts.model_usage").df()
        assert set(usage[~usage.in_co_usage]["space_id"]) == {"u/s5"}
        # correlations over the 7 listed models (lonely/f, unused, at 0)
        corr = con.execute("""select r, n from marts.usage_correlations where subfield = 'all'
                          and population = 'listed_models' and var_x = 'likes' and method = 'spearman'""").fetchall()[0]
        assert corr[1] == 7
        # likes and usage of a, b, c, d, gpt2, f, p
        assert corr[0] == pytest.approx(spearmanr([10, 5, 3, 0, 20, 1, 2], [4, 4, 2, 1, 1, 0, 1]).statistic)
        # paper figures: the keys of the seed, values where the warehouse has them
        figures = con.sql("select measure, warehouse_value from intermediate.int_paper_figures__rq3").df()
        figures = dict(zip(figures.measure, figures.warehouse_value))
        assert figures["usage.max"] == 4 and figures["usage.gpt2"] == 1
        assert figures["top100_used.Meta"] == 1 and figures["top100_co_used.EleutherAI"] == 0
        assert math.isnan(figures["usage.skytnt/anime-seg"])
        # and the networkx reference agrees on everything, with the same cap
        pairs, tags = raw_inputs(con)
        assert_marts_match_reference(con, reference_tables(pairs, tags, cap=4))
    finally:
        con.close()


# ---- the real edges, replayed ----------------------------------------------------------------


def _real_model_record(raw: dict, n: int) -> dict:
    """A model_info body as a list record: numbers and lists restored where the file has text."""

    def value(key, default=None):
        v = raw.get(key, default)
        if isinstance(v, str) and key in ("likes", "downloads"):
            return int(v)
        if isinstance(v, str) and key == "tags":
            return ast.literal_eval(v)
        if v in ("None",):
            return None
        return v

    record = model_record(
        raw["id"],
        likes=value("likes", 0) or 0,
        downloads=value("downloads", 0) or 0,
        tags=value("tags", []) or [],
        pipeline_tag=value("pipeline_tag"),
        n=n,
    )
    for key in ("_id", "sha", "createdAt", "lastModified", "library_name"):
        if isinstance(raw.get(key), str) and raw[key] != "None":
            record[key] = raw[key]
    return record


@pytest.mark.slow
def test_rq3_real_edges_replayed_through_emulator(tmp_path):
    from hubwh.snapshot import SnapshotWriter

    edges = pd.read_csv(shared_path("real-data", "hub-2024-07", "space_uses_model_edges.csv"))
    info = shared_path("real-data", "hub-2024-07", "model-info", "model_info.jsonl.gz")
    wanted = set(edges["model_id"])
    bodies = {}
    with gzip.open(info, "rt", encoding="utf-8") as fh:
        for line in fh:
            body = json.loads(line)
            if body["id"] in wanted:
                bodies[body["id"]] = body
    with SnapshotWriter(tmp_path / "hub", source="pages", created_at="2024-07-09T00:00:00Z") as w:
        for n, model_id in enumerate(sorted(bodies)):
            w.add_repo("model", _real_model_record(bodies[model_id], n))
        for n, (space_id, group) in enumerate(edges.groupby("space_id", sort=True)):
            w.add_repo("space", space_record(space_id, list(group["model_id"]), n))
    db = build_rq3_warehouse(tmp_path / "hub", tmp_path / "warehouse.duckdb")

    con = duckdb.connect(str(db), read_only=True)
    try:
        # loaded: every edge, once
        usage = con.sql("select space_id, model_id from marts.model_usage").df()
        assert len(usage) == len(edges) == 1922
        assert set(map(tuple, usage.values)) == set(map(tuple, edges[["space_id", "model_id"]].values))
        # ranked: usage degree and dense rank, by pandas straight from the CSV
        counts = edges.groupby("model_id").size().rename("n_spaces").reset_index()
        counts["usage_rank"] = counts["n_spaces"].rank(method="dense", ascending=False).astype(int)
        got = con.sql("""select model_id, n_spaces, usage_rank from marts.model_adoption
                         where subfield = 'all'""").df()
        pd.testing.assert_frame_equal(
            sort_frame(got, ["model_id"]), sort_frame(counts, ["model_id"]), check_dtype=False
        )
        top = con.sql("""select model_id from marts.model_adoption where subfield = 'all'
                         order by usage_position limit 2""").fetchall()
        assert {m for (m,) in top} == set(counts[counts.n_spaces == counts.n_spaces.max()]["model_id"])
        # and the rest (co-usage, sub-fields, organisations, summary) agrees with networkx
        tags = {m: _real_model_record(b, 0)["tags"] for m, b in bodies.items()}
        assert_marts_match_reference(con, reference_tables(edges, tags, cap=500))
    finally:
        con.close()


# ---- the data tests catch broken invariants --------------------------------------------------


@pytest.mark.slow
def test_rq3_data_tests_fail_on_broken_marts(hand_worked_db, tmp_path):
    """Corrupt a copy of the hand-worked warehouse; the RQ3 data tests must name each break."""
    import shutil

    from hubwh.build import run_dbt
    from hubwh.errors import HubwhError

    db = tmp_path / "broken.duckdb"
    shutil.copy(hand_worked_db, db)
    con = duckdb.connect(str(db))
    con.execute("update marts.model_adoption set n_spaces = 2 where subfield = 'all' and model_id = 'gpt2'")
    con.execute("insert into marts.model_co_usage values ('all', 'google/b', 'facebook/a', 1)")  # wrong order
    con.execute("insert into marts.model_co_usage values ('mm', 'facebook/a', 'google/b', 9)")  # a not in mm
    con.execute("update marts.top_organisations set share = 0.9 where subfield = 'all' and ranking = 'used'")
    con.close()
    with pytest.raises(HubwhError) as failed:
        run_dbt(
            [
                "test",
                "--select",
                "model_usage model_co_usage model_adoption top_organisations int_model_subfields",
                "--indirect-selection",
                "cautious",
            ],
            db,
            quiet=True,
        )
    message = str(failed.value)
    for expected in (
        "rq3_usage_degree_equals_edge_count",
        "dense_rank_of_model_adoption_usage_rank",
        "expression_is_true_model_co_usage_model_a___model_b",
        "rq3_co_usage_weight_within_usage_degrees",
        "group_sum_at_most_top_organisations",
    ):
        assert expected in message, f"{expected} did not fail:\n{message}"
