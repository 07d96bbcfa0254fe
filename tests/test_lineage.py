"""hubwh.lineage (docs/methods.md §9): the ancestor closure against networkx on graphs whose
answers are known or computed independently (chains, diamonds, cycles with and without a way
out, self-loops, repeated edges), the descendant correlations against scipy, and the
extractor's and emulator's handling of the card's lineage fields."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from extract.hf_hub import COLUMNS, repo_row
from hubwh.errors import HubwhError
from hubwh.lineage import ancestor_closure, closure_codes, descendant_correlations


def closure_set(edges) -> set[tuple[str, str, int]]:
    frame = pd.DataFrame(edges, columns=["child_id", "parent_id"], dtype="object")
    table = ancestor_closure(frame.astype(str) if len(frame) else frame)
    got = list(zip(*(table.column(c).to_pylist() for c in ("model_id", "ancestor_id", "distance"))))
    assert len(got) == len(set(got))  # one row per pair
    return set(got)


def nx_closure(edges) -> set[tuple[str, str, int]]:
    """Shortest parent-path distances with networkx; a node on a cycle reaches itself."""
    g = nx.DiGraph((c, p) for c, p in edges if c != p)
    out = set()
    for x in g:
        dist = nx.single_source_shortest_path_length(g, x)
        out |= {(x, a, d) for a, d in dist.items() if a != x}
        back = [dist[y] + 1 for y in g.predecessors(x) if y in dist]
        if back:
            out.add((x, x, min(back)))
    return out


def test_hand_worked_graphs():
    chain = [("b", "a"), ("c", "b"), ("d", "c")]
    assert closure_set(chain) == {
        ("b", "a", 1), ("c", "b", 1), ("c", "a", 2), ("d", "c", 1), ("d", "b", 2), ("d", "a", 3),
    }  # fmt: skip
    # a diamond: the shortest way wins (m -> a directly, and through x)
    diamond = [("x", "a"), ("m", "x"), ("m", "a"), ("m", "b")]
    assert ("m", "a", 1) in closure_set(diamond) and ("m", "a", 2) not in closure_set(diamond)
    # a 3-cycle with a way out, self-loops and repeated edges ignored
    cycle = [("p", "q"), ("q", "r"), ("r", "p"), ("r", "out"), ("r", "out"), ("p", "p")]
    got = closure_set(cycle)
    assert {(m, m, 3) for m in "pqr"} <= got
    assert ("p", "out", 3) in got and ("r", "out", 1) in got and ("out", "out", 0) not in got
    assert len(got) == 12  # p, q, r each reach p, q, r and out
    assert closure_set([("a", "a")]) == set()
    assert closure_set([]) == set()


def test_closure_matches_networkx_on_random_graphs():
    for trial in range(150):
        rng = random.Random(trial)
        n = rng.randrange(1, 40)
        edges = [(f"m{rng.randrange(n)}", f"m{rng.randrange(n)}") for _ in range(rng.randrange(0, 80))]
        assert closure_set(edges) == nx_closure(edges), trial


def test_closure_on_a_long_chain_and_a_big_star():
    """Depth 400 (400 levels) and a family of 20,000 children: nothing quadratic in the family."""
    chain = [(f"c{i + 1:04d}", f"c{i:04d}") for i in range(400)]
    got = closure_set(chain)
    assert len(got) == 400 * 401 // 2 and ("c0400", "c0000", 400) in got
    star = pd.DataFrame({"child_id": [f"k{i}" for i in range(20_000)], "parent_id": "root"})
    table = ancestor_closure(star)
    assert table.num_rows == 20_000 and set(table.column("distance").to_pylist()) == {1}


def test_closure_keeps_ids_as_written_and_in_byte_order():
    edges = [("Zeta/x", "gpt2"), ("zeta/x", "gpt2"), ("é/ü", "gpt2")]
    got = closure_set(edges)
    assert got == {("Zeta/x", "gpt2", 1), ("zeta/x", "gpt2", 1), ("é/ü", "gpt2", 1)}
    node, anc, dist = closure_codes(np.array([2, 1]), np.array([1, 0]), 3)
    assert sorted(zip(node.tolist(), anc.tolist(), dist.tolist())) == [(1, 0, 1), (2, 0, 2), (2, 1, 1)]


def test_closure_rejects_bad_input():
    with pytest.raises(HubwhError, match="lacks columns"):
        ancestor_closure(pd.DataFrame({"child": ["a"], "parent_id": ["b"]}))
    with pytest.raises(HubwhError, match="NULL"):
        ancestor_closure(pd.DataFrame({"child_id": ["a", None], "parent_id": ["b", "c"]}))


def test_descendant_correlations_match_scipy():
    rng = np.random.default_rng(3)
    n = 400
    desc = np.where(rng.random(n) < 0.7, 0, rng.integers(1, 50, n))
    frame = pd.DataFrame(
        {
            "n_descendants": desc,
            "n_likes": desc * 3 + rng.integers(0, 20, n),
            "n_downloads": rng.integers(0, 1000, n),
            "n_usage_spaces": pd.array([None if i % 10 == 0 else int(v) for i, v in enumerate(desc)], dtype="Int64"),
        }
    )
    out = descendant_correlations(frame).set_index(["population", "var_y", "method"])
    assert len(out) == 12 and set(out["var_x"]) == {"n_descendants"}
    for population, part in (("all_models", frame), ("with_descendants", frame[frame.n_descendants >= 1])):
        for var in ("n_likes", "n_downloads", "n_usage_spaces"):
            ok = part[var].notna()
            x = part.loc[ok, "n_descendants"].astype(float)
            y = part.loc[ok, var].astype(float)
            for method, fn in (("pearson", stats.pearsonr), ("spearman", stats.spearmanr)):
                res = fn(x, y)
                row = out.loc[(population, var, method)]
                assert row["n"] == ok.sum()
                assert row["r"] == pytest.approx(res.statistic) and row["p_value"] == pytest.approx(res.pvalue)
    # a constant variable gives no correlation, not an error
    flat = frame.assign(n_descendants=0)
    out = descendant_correlations(flat)
    assert out.loc[out.population == "all_models", "r"].isna().all()
    assert (out.loc[out.population == "with_descendants", "n"] == 0).all()
    with pytest.raises(HubwhError, match="lacks columns"):
        descendant_correlations(frame.drop(columns="n_likes"))


def test_extractor_keeps_the_card_lineage_fields_as_json():
    names = [c for c, _ in COLUMNS["models"]]
    assert {"card_base_model", "card_base_model_relation"} <= set(names)
    now = datetime(2024, 7, 1, tzinfo=UTC)
    for card, base, relation in (
        ({"base_model": "meta-llama/Llama-2-7b-hf"}, '"meta-llama/Llama-2-7b-hf"', None),
        ({"base_model": ["a/b", "c/d"], "base_model_relation": "merge"}, '["a/b", "c/d"]', '"merge"'),
        ({"base_model": [], "license": "mit"}, "[]", None),
        ({"base_model": {"odd": 1}, "base_model_relation": ["x"]}, '{"odd": 1}', '["x"]'),
        ({"license": "mit"}, None, None),
        (None, None, None),
    ):
        item = {"id": "u/m", "tags": ["base_model:a/b"], **({"cardData": card} if card is not None else {})}
        row = repo_row("model", item, now)
        assert (row["card_base_model"], row["card_base_model_relation"]) == (base, relation), card
    space = repo_row("space", {"id": "u/s", "cardData": {"base_model": "x/y"}}, now)
    assert "card_base_model" not in space  # models only


def test_emulator_serves_the_card_lineage_fields(tmp_path):
    """Through the real client, as the crawl asks for them (expand=cardData)."""
    from huggingface_hub import HfApi

    from hubwh.emulator import Emulator
    from hubwh.snapshot import SnapshotWriter

    card = {"license": "mit", "base_model": ["a/b", "gpt2"], "base_model_relation": "merge"}
    with SnapshotWriter(tmp_path / "hub", source="pages", created_at="2024-07-09T00:00:00Z") as w:
        w.add_repo("model", {"_id": "0" * 24, "id": "u/m", "tags": ["base_model:merge:a/b"], "cardData": card})
    with Emulator(tmp_path / "hub") as emu:
        (info,) = HfApi(endpoint=emu.url, token=False).list_models(expand=["cardData", "tags"])
    assert info.card_data.base_model == ["a/b", "gpt2"] and info.card_data.base_model_relation == "merge"
    assert info.tags == ["base_model:merge:a/b"]
    assert json.loads(json.dumps(info.card_data.to_dict()))["base_model"] == ["a/b", "gpt2"]
