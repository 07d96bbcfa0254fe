"""The lineage marts (docs/methods.md §9, §8) recomputed independently — pandas and networkx over
the raw list rows (tests/lineage_reference.py), not the warehouse's intermediate tables — on the
demo's synthetic Hub and on a hand-worked mini Hub written as raw rows (a chain, a diamond that
merges two families, cycles with and without a way out, a missing parent, self-references, a
parent and a relation given only by the card, a legacy id, malformed declarations); and the real
model bodies of July 2024 replayed through snapshot, emulator and crawl give exactly the edges
their tags and cards declare."""

from __future__ import annotations

import gzip
import json
import math

import duckdb
import pytest
from conftest import shared_path
from lineage_reference import Reference, declared
from scipy import stats

from hubwh.build import run_dbt

LINEAGE_SELECT = (
    "+model_lineage +model_family_members +model_families +lineage_summary +organisation_derivatives "
    "+lineage_license_drift +lineage_correlations"
)
RAW_SQL = (
    "select repo_id, tags, card_base_model, card_base_model_relation, card_license, is_listed, likes, downloads "
    "from raw.models"
)


def raw_rows(con) -> list[dict]:
    cur = con.execute(RAW_SQL)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def table(con, name: str, key: list[str]) -> dict:
    cur = con.execute(f"select * from {name}")
    names = [d[0] for d in cur.description]
    out = {}
    for r in cur.fetchall():
        row = dict(zip(names, r))
        k = tuple(row.pop(c) for c in key)
        assert k not in out, (name, k)
        out[k[0] if len(k) == 1 else k] = row
    return out


def same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return (a is None and b is None) or (
            a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
        )
    return a == b


def assert_marts_match(con, ref: Reference) -> None:
    """Every lineage mart (and repo_activity's lineage columns) equals the reference."""
    got = table(con, "marts.model_lineage", ["child_id", "parent_id"])
    assert set(got) == set(ref.edges)
    for k, want in ref.edges.items():
        assert all(same(got[k][c], v) for c, v in want.items()), (k, got[k], want)

    nodes = table(con, "intermediate.int_model_lineage_nodes", ["model_id"])
    assert set(nodes) == set(ref.nodes)
    for m, want in ref.nodes.items():
        assert {c: nodes[m][c] for c in want if c != "roots"} == {c: v for c, v in want.items() if c != "roots"}, m

    members = table(con, "marts.model_family_members", ["root_id", "model_id"])
    assert members == ref.members

    families = table(con, "marts.model_families", ["root_id"])
    assert families == ref.families

    orgs = table(con, "marts.organisation_derivatives", ["organisation"])
    assert set(orgs) == set(ref.organisations)
    for o, want in ref.organisations.items():
        assert all(same(orgs[o][c], v) for c, v in want.items()), (o, orgs[o], want)

    drift = table(con, "marts.lineage_license_drift", ["relation", "parent_license_class", "child_license_class"])
    assert {k: (v["n_edges"], v["n_license_changed"], v["n_license_dropped"]) for k, v in drift.items()} == ref.drift

    summary = {m: v for m, v in con.execute("select measure, value from marts.lineage_summary").fetchall()}
    assert set(summary) == set(ref.summary)
    for measure, want in ref.summary.items():
        assert same(summary[measure], None if want is None else float(want)), (measure, summary[measure], want)

    activity = table(con, "marts.repo_activity", ["repo_type", "repo_id"])
    for (repo_type, repo_id), row in activity.items():
        lineage = (row["n_parents"], row["n_children"], row["n_descendants"], row["lineage_depth"])
        if repo_type == "model":
            n = ref.nodes[repo_id]
            assert lineage == (n["n_parents"], n["n_children"], n["n_descendants"], n["depth"]), repo_id
        else:
            assert lineage == (None, None, None, None)

    # descendants vs likes, downloads, usage: scipy on the reference's n_descendants
    corr = table(con, "marts.lineage_correlations", ["population", "var_y", "method"])
    models = [(ref.nodes[r]["n_descendants"], row) for (t, r), row in activity.items() if t == "model"]
    for population in ("all_models", "with_descendants"):
        part = [(d, row) for d, row in models if population == "all_models" or d >= 1]
        for var in ("n_likes", "n_downloads", "n_usage_spaces"):
            pairs = [(d, row[var]) for d, row in part if row[var] is not None]
            for method, fn in (("pearson", stats.pearsonr), ("spearman", stats.spearmanr)):
                row = corr[(population, var, method)]
                assert row["n"] == len(pairs)
                xs, ys = zip(*pairs) if pairs else ((), ())
                if len(pairs) < 3 or len(set(xs)) < 2 or len(set(ys)) < 2:
                    assert row["r"] is None or math.isnan(row["r"])
                else:
                    res = fn(xs, ys)
                    assert same(row["r"], float(res.statistic)) and same(row["p_value"], float(res.pvalue))


# -- the demo's synthetic Hub ---------------------------------------------------------------------


@pytest.mark.slow
def test_demo_warehouse_lineage_marts_match_the_reference(duck, synth_snapshot):
    from hubwh.snapshot import Snapshot

    ref = Reference(raw_rows(duck))
    truth = Snapshot(synth_snapshot).ground_truth()["lineage"]
    # the planted lineage is what the warehouse reads
    assert (
        sorted([c, p, e["relation"], e["source"], e["parent_listed"]] for (c, p), e in ref.edges.items())
        == (truth["edges"])
    )
    assert sorted(ref.self_references) == truth["self_references"]
    assert sorted(sorted(c) for c in ref.cycles) == sorted(c["members"] for c in truth["cycles"])
    assert_marts_match(duck, ref)
    summary = dict(duck.execute("select measure, value from marts.lineage_summary").fetchall())
    assert summary["depth_max"] >= 5 and summary["n_cycles"] == 2 and summary["n_cycles_without_way_out"] == 1
    assert summary["n_edges_restrictive_to_none"] > 0 and summary["n_edges_restrictive_to_permissive"] > 0


# -- a hand-worked mini Hub -------------------------------------------------------------------------


def model(repo_id, *, tags=(), base=None, relation=None, license_=None, listed=True, likes=0, downloads=0):
    tags = list(tags) + ([f"license:{license_}"] if license_ else [])
    return {
        "repo_id": repo_id,
        "tags": json.dumps(tags),
        "card_base_model": None if base is None else json.dumps(base),
        "card_base_model_relation": None if relation is None else json.dumps(relation),
        "card_license": None,
        "is_listed": listed,
        "likes": likes,
        "downloads": downloads,
    }


MINI = [
    # a chain base -> ft1 -> ft2 -> ft3 -> q4, licenses drifting
    model("c/base", license_="llama2", likes=100),
    model("c/ft1", tags=["base_model:c/base"], base="c/base", license_="mit", likes=5, downloads=7),
    model("c/ft2", tags=["base_model:c/ft1", "base_model:finetune:c/ft1"], base="c/ft1", likes=1),
    model("c/ft3", tags=["base_model:c/ft2"], base="c/ft2", relation="finetune"),
    model("c/q4", tags=["base_model:quantized:c/ft3"], license_="llama2", downloads=3),  # relation form only
    # a diamond: m merges a1 (family d/a) and b1 (family d/b); mq quantises m
    model("d/a"),
    model("d/b", license_="apache-2.0"),
    model("d/a1", tags=["base_model:d/a"], base="d/a"),
    model("d/b1", tags=["base_model:d/b"], base="d/b", license_="apache-2.0"),
    model(
        "d/m",
        tags=["base_model:d/a1", "base_model:d/b1", "base_model:merge:d/a1", "base_model:merge:d/b1"],
        base=["d/a1", "d/b1"],
        relation="merge",
    ),  # fmt: skip
    model("d/mq", tags=["base_model:d/m"], base="d/m", relation="quantized"),
    # a merge of parents at different depths: depth is the nearest root's (1, by d/a), not c/base's 5
    model("d/uneven", tags=["base_model:c/q4", "base_model:d/a"]),
    # two ways into one family at the same depth: the member enters by the smaller parent id
    model("v/root"),
    model("v/a", tags=["base_model:v/root"]),
    model("v/b", tags=["base_model:v/root"]),
    model("v/m", tags=["base_model:finetune:v/b", "base_model:adapter:v/a"]),
    # a 2-cycle with no way out, and a child hanging from it
    model("x/q", tags=["base_model:x/p"]),
    model("x/p", tags=["base_model:x/q"]),
    model("x/r", tags=["base_model:x/q"], base="x/q", relation="adapter"),
    # a 3-cycle with a way out (y/c -> y/root)
    model("y/root"),
    model("y/a", tags=["base_model:y/b"]),
    model("y/b", tags=["base_model:y/c"]),
    model("y/c", tags=["base_model:y/a", "base_model:y/root"]),
    # a missing parent (deleted), also given with whitespace in the card
    model("z/kid", tags=["base_model:z/gone"], base=" z/gone ", license_="mit"),
    # self-references: one with another parent, one with none
    model("s/self", tags=["base_model:s/self", "base_model:c/base"], base=["s/self"]),
    model("s/only", base="s/only"),
    # a parent only in the card; a relation only in the card (tag and card agree on the parent)
    model("k/card", base="c/base", relation="adapter"),
    model("r/child", tags=["base_model:c/base"], base=["c/base"], relation="Adapter "),
    # tag relation beats the card's; a legacy id; malformed declarations
    model("t/win", tags=["base_model:finetune:gpt2", "base_model:gpt2"], base="gpt2", relation="merge"),
    model("gpt2", license_="mit", likes=50),
    model(
        "t/junk",
        tags=["base_model:a:b:c", "base_model:", "base_model:oops:gpt2"],
        base=[3, "", "gpt2"],
        relation="sideways",
    ),  # fmt: skip
    # a model no longer listed: its own declarations do not count, as a parent it is unlisted
    model("o/old", tags=["base_model:c/base"], listed=False),
    model("o/uses-old", tags=["base_model:o/old"]),
    # a random graph with cycles, checked against the reference only
    *[
        model(
            f"g/n{i:02d}",
            tags=[f"base_model:g/n{j:02d}" for j in sorted({(i * 7 + k * 13) % 40 for k in range(i % 3)})],
        )
        for i in range(40)
    ],
]


def _mini_warehouse(path, rows) -> None:
    from extract.hf_hub import TABLES, arrow_schema

    con = duckdb.connect(str(path))
    con.execute("create schema raw")
    for name in TABLES:
        empty = arrow_schema(name).empty_table()  # noqa: F841 (read by DuckDB)
        con.execute(f"create table raw.{name} as select *, null::varchar as _dlt_load_id from empty")
    for r in rows:
        con.execute(
            "insert into raw.models (repo_id, tags, card_base_model, card_base_model_relation, card_license, "
            "is_listed, likes, downloads) values (?, ?, ?, ?, ?, ?, ?, ?)",
            list(r.values()),
        )
    con.close()
    run_dbt(["build", "--select", LINEAGE_SELECT, "--indirect-selection", "cautious"], path, quiet=True)


@pytest.mark.slow
def test_hand_worked_mini_hub(tmp_path):
    db = tmp_path / "mini.duckdb"
    _mini_warehouse(db, MINI)
    con = duckdb.connect(str(db), read_only=True)
    ref = Reference(raw_rows(con))
    assert_marts_match(con, ref)

    edges = table(con, "marts.model_lineage", ["child_id", "parent_id"])
    pick = {k: (v["relation"], v["source"], v["parent_listed"]) for k, v in edges.items()}
    assert pick[("c/ft1", "c/base")] == ("unknown", "both", True)
    assert pick[("c/ft2", "c/ft1")] == ("finetune", "both", True)
    assert pick[("c/ft3", "c/ft2")] == ("finetune", "both", True)  # relation only in the card
    assert pick[("c/q4", "c/ft3")] == ("quantized", "tag", True)
    assert pick[("d/m", "d/a1")] == pick[("d/m", "d/b1")] == ("merge", "both", True)
    assert pick[("z/kid", "z/gone")] == ("unknown", "both", False)
    assert pick[("k/card", "c/base")] == ("adapter", "card", True)  # parent only in the card
    assert pick[("r/child", "c/base")] == ("adapter", "both", True)
    assert pick[("t/win", "gpt2")] == ("finetune", "both", True)
    assert pick[("t/junk", "gpt2")] == ("unknown", "both", True)  # 'oops' and 'sideways' are no relations
    assert pick[("o/uses-old", "o/old")] == ("unknown", "tag", False)
    assert not any(c in ("s/self", "s/only") and p == c for c, p in edges)
    assert ("s/self", "c/base") in edges and not any(c == "o/old" for c, _ in edges)
    assert len([k for k in edges if not k[0].startswith("g/")]) == 29
    drift = edges[("c/ft1", "c/base")]
    assert (drift["parent_license_class"], drift["child_license_class"], drift["license_changed"]) == (
        "restrictive", "permissive", True,
    )  # fmt: skip
    assert edges[("c/ft2", "c/ft1")]["license_dropped"] is True
    assert edges[("z/kid", "z/gone")]["license_changed"] is None

    nodes = table(con, "intermediate.int_model_lineage_nodes", ["model_id"])
    look = {m: (n["is_root"], n["depth"], n["n_descendants"], n["cycle_id"]) for m, n in nodes.items()}
    assert look["c/base"] == (True, 0, 8, None)  # ft1..q4, d/uneven, s/self, k/card, r/child (not o/old)
    assert look["d/uneven"] == (False, 1, 0, None)
    assert look["c/q4"] == (False, 4, 1, None)  # d/uneven
    assert look["d/mq"] == (False, 3, 0, None)
    assert look["x/p"] == (True, 0, 2, "x/p")  # the smallest id of a cycle with no way out
    assert look["x/q"] == (False, 1, 2, "x/p")
    assert look["x/r"] == (False, 2, 0, None)
    assert look["y/a"] == (False, 3, 2, "y/a") and look["y/c"] == (False, 1, 2, "y/a")
    assert look["y/root"] == (True, 0, 3, None)
    assert look["z/gone"] == (True, 0, 1, None) and nodes["z/gone"]["is_listed"] is False
    assert look["s/only"] == (True, 0, 0, None)
    assert look["o/old"] == (True, 0, 1, None) and nodes["o/old"]["is_listed"] is False

    members = table(con, "marts.model_family_members", ["root_id", "model_id"])
    fam = {k: (v["depth"], v["parent_id"], v["relation"]) for k, v in members.items()}
    assert fam[("d/a", "d/m")] == (2, "d/a1", "merge") and fam[("d/b", "d/m")] == (2, "d/b1", "merge")
    assert fam[("d/a", "d/mq")] == fam[("d/b", "d/mq")] == (3, "d/m", "quantized")
    assert {m for r, m in members if r == "x/p"} == {"x/q", "x/r"}
    assert fam[("v/root", "v/m")] == (2, "v/a", "adapter")
    assert fam[("y/root", "y/a")] == (3, "y/b", "unknown")
    assert not any(r in ("x/q", "y/a", "y/b", "y/c", "s/only") for r, _ in members)

    families = table(con, "marts.model_families", ["root_id"])
    assert families["c/base"]["n_descendants"] == 8 and families["c/base"]["max_depth"] == 5  # d/uneven
    assert families["c/base"]["organisation"] == "c" and families["gpt2"]["organisation"] == "OpenAI"
    assert families["x/p"]["is_cycle"] is True and families["z/gone"]["root_listed"] is False
    assert families["c/base"]["descendant_likes"] == 6 and families["c/base"]["descendant_downloads"] == 10

    summary = dict(con.execute("select measure, value from marts.lineage_summary").fetchall())
    assert summary["self_references_dropped"] == len(ref.self_references)
    assert {m for m in ref.self_references if not m.startswith("g/")} == {"s/self", "s/only"}
    cycles = con.execute(
        "select count(distinct cycle_id), count(distinct cycle_id) filter (where cycle_without_way_out), count(*) "
        "from intermediate.int_model_lineage_nodes where cycle_id is not null and model_id not like 'g/%'"
    ).fetchone()
    assert cycles == (2, 1, 5)
    assert summary["n_cycles"] > 2  # and the random graph's
    assert summary["n_edges_source_card"] == 1 and summary["n_edges_parent_unlisted"] == 2
    con.close()


# -- the real model bodies of July 2024 --------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.shared
def test_real_model_bodies_replayed_give_the_declared_edges(tmp_path):
    from extract.pipeline import crawl
    from hubwh.emulator import Emulator
    from hubwh.snapshot import SnapshotWriter

    path = shared_path("real-data", "hub-2024-07", "model-info", "model_info.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        bodies = [json.loads(line) for line in fh]
    assert len(bodies) == 8650
    # what the bodies declare, read straight from them
    want, declaring, selfish = {}, set(), set()
    for body in bodies:
        card = body.get("cardData") or {}
        row = {  # as raw.models keeps them: JSON text
            "tags": body.get("tags"),
            "card_base_model": json.dumps(card["base_model"]) if "base_model" in card else None,
            "card_base_model_relation": json.dumps(card.get("base_model_relation")),
        }
        tags, card_parents, card_relation = declared(row)
        for parent in {p for p, _ in tags} | set(card_parents):
            declaring.add(body["id"])
            if parent == body["id"]:
                selfish.add(parent)
            else:
                in_tags, in_card = parent in {p for p, _ in tags}, parent in card_parents
                want[(body["id"], parent)] = "both" if in_tags and in_card else "tag" if in_tags else "card"
    # July 2024: 1,198 models declare a base model, 5 of them only themselves
    assert (len(declaring), len({c for c, _ in want}), len(selfish)) == (1198, 1193, 5)

    with SnapshotWriter(tmp_path / "hub", source="pages", created_at="2024-07-09T00:00:00Z") as writer:
        for body in bodies:
            writer.add_repo("model", body)
    db = tmp_path / "warehouse.duckdb"
    with Emulator(tmp_path / "hub") as emu:
        crawl(
            endpoint=emu.url,
            db_path=db,
            types=("model",),
            commits=False,
            discussions=False,
            budget=None,
            progress=False,
            pipelines_dir=tmp_path / "pipelines",
        )
    run_dbt(["build", "--select", "+model_lineage", "--indirect-selection", "cautious"], db, quiet=True)
    con = duckdb.connect(str(db), read_only=True)
    got = {
        (c, p): s for c, p, s in con.execute("select child_id, parent_id, source from marts.model_lineage").fetchall()
    }
    con.close()
    assert got == want
    assert sum(s == "both" for s in got.values()) >= 0.95 * len(got)  # tags and card agree there


@pytest.mark.slow
def test_a_hub_without_lineage_builds_empty_lineage_marts(tmp_path):
    db = tmp_path / "plain.duckdb"
    _mini_warehouse(db, [model("a/x", license_="mit"), model("b/y"), model("gpt2")])
    con = duckdb.connect(str(db), read_only=True)
    for mart in ("model_lineage", "model_family_members", "model_families", "organisation_derivatives"):
        assert con.execute(f"select count(*) from marts.{mart}").fetchone()[0] == 0, mart
    summary = dict(con.execute("select measure, value from marts.lineage_summary").fetchall())
    assert summary["n_models"] == 3 and summary["n_edges"] == 0 and summary["share_with_parent"] == 0
    assert summary["share_relation_finetune"] is None and summary["family_size_gini"] is None
    assert summary["depth_max"] is None
    assert con.execute("select count(*) from marts.lineage_license_drift").fetchone()[0] == 0
    depths = con.execute("select lineage_depth, n_descendants from marts.repo_activity").fetchall()
    assert depths == [(0, 0)] * 3
    assert_marts_match(con, Reference(raw_rows(con)))
    con.close()
