"""The synthetic Hub's model lineage (hubwh/synth/lineage.py): it only adds lineage entries to
tags and cards (every other field and file as without it), and it plants what docs/methods.md §9
must cope with. Measured here from the snapshot's records with networkx, independently of the
generator; its ground truth must say exactly what the records declare."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

from hubwh.snapshot import Snapshot
from hubwh.synth import generate

RELATIONS = {"finetune", "adapter", "quantized", "merge"}
RESTRICTIVE = {"creativeml-openrail-m", "openrail", "openrail++", "llama2", "cc-by-nc-4.0", "agpl-3.0"}
PERMISSIVE = {"apache-2.0", "mit", "bsd-3-clause", "cc-by-4.0"}


def declared(record: dict) -> dict[str, dict]:
    """parent -> {'tag': bool, 'card': bool, 'tag_relation': str|None} as the record declares them."""
    out: dict[str, dict] = {}
    for tag in record.get("tags", []):
        parts = tag.split(":")
        if parts[0] != "base_model" or len(parts) not in (2, 3):
            continue
        entry = out.setdefault(parts[-1], {"tag": False, "card": False, "tag_relation": None})
        entry["tag"] = True
        if len(parts) == 3 and entry["tag_relation"] is None:
            entry["tag_relation"] = parts[1]
    card = record.get("cardData") or {}
    base = card.get("base_model")
    for parent in [base] if isinstance(base, str) else base or []:
        out.setdefault(parent, {"tag": False, "card": False, "tag_relation": None})["card"] = True
    return out


class Lineage:
    def __init__(self, path):
        snap = Snapshot(path)
        self.models = list(snap.iter_repos("model"))
        self.truth = snap.ground_truth()["lineage"]
        self.ids = {r["id"] for r in self.models}
        self.licenses = {
            r["id"]: next((t[8:] for t in r["tags"] if t.startswith("license:")), None) for r in self.models
        }
        self.graph = nx.DiGraph()  # child -> parent
        self.self_references = []
        self.edges = []
        for r in self.models:
            card_relation = (r.get("cardData") or {}).get("base_model_relation")
            for parent, d in declared(r).items():
                if parent == r["id"]:
                    self.self_references.append(parent)
                    continue
                relation = d["tag_relation"] or (card_relation if card_relation in RELATIONS else "unknown")
                source = "both" if d["tag"] and d["card"] else "tag" if d["tag"] else "card"
                self.edges.append([r["id"], parent, relation, source, parent in self.ids])
                self.graph.add_edge(r["id"], parent)

    def depths(self) -> dict[str, int]:
        """Shortest distance from each model with a parent to its nearest parentless ancestor."""
        up = self.graph
        roots = [n for n in up if up.out_degree(n) == 0]
        best: dict[str, int] = {}
        down = up.reverse(copy=False)
        for root in roots:
            for node, d in nx.single_source_shortest_path_length(down, root).items():
                if d and d < best.get(node, 10**9):
                    best[node] = d
        return best


@pytest.fixture(scope="module")
def demo(synth_snapshot):
    return Lineage(synth_snapshot)


def test_lineage_only_adds_entries_to_tags_and_cards(tmp_path):
    sizes = {"models": 1500, "datasets": 100, "spaces": 300}
    on = generate(tmp_path / "on", seed=3, **sizes)
    off = generate(tmp_path / "off", seed=3, lineage=False, **sizes)
    for name in ("datasets", "spaces", "commits", "discussions", "outcomes"):
        assert (on / f"{name}.jsonl.gz").read_bytes() == (off / f"{name}.jsonl.gz").read_bytes(), name
    assert "lineage" not in Snapshot(off).ground_truth()
    added = Counter()
    for a, b in zip(Snapshot(on).iter_repos("model"), Snapshot(off).iter_repos("model"), strict=True):
        assert list(a) == list(b), a["id"]  # same keys, same order
        for key in a:
            if key == "tags":
                it = iter(a["tags"])
                assert all(tag in it for tag in b["tags"]), a["id"]  # the old tags, in their order
                new = [t for t in a["tags"] if t not in b["tags"]]
                assert all(t.startswith("base_model:") for t in new), new
                added["tags"] += bool(new)
            elif key == "cardData":
                same = {k: v for k, v in a[key].items() if k not in ("base_model", "base_model_relation")}
                assert same == {k: v for k, v in b[key].items() if k not in ("base_model", "base_model_relation")}
                added["card"] += a[key] != b[key]
            else:
                assert a[key] == b[key], (a["id"], key)
    assert added["tags"] > 50 and added["card"] > 30


def test_ground_truth_is_what_the_records_declare(demo):
    assert sorted(demo.edges) == demo.truth["edges"]
    assert demo.self_references == demo.truth["self_references"] and len(demo.self_references) == 1
    assert sorted({e[1] for e in demo.edges if not e[4]}) == demo.truth["unlisted_parents"]


def test_demo_hub_plants_every_case(demo):
    g = demo.graph
    with_parent = {e[0] for e in demo.edges}
    assert 0.12 < len(with_parent) / len(demo.models) < 0.18
    sources = Counter(e[3] for e in demo.edges)
    assert sources["both"] > sources["tag"] > sources["card"] > 0  # tags and card mostly agree
    tags = [t for r in demo.models for t in r["tags"] if t.startswith("base_model:")]
    assert sum(t.count(":") == 2 for t in tags) > 20 and sum(t.count(":") == 1 for t in tags) > 100
    relations = Counter(e[2] for e in demo.edges)
    assert set(relations) == RELATIONS | {"unknown"}
    card_only_relation = [
        r
        for r in demo.models
        if (r.get("cardData") or {}).get("base_model_relation")
        and not any(t.count(":") == 2 for t in r["tags"] if t.startswith("base_model:"))
    ]
    assert card_only_relation  # a relation given only by the card
    n_parents = Counter(e[0] for e in demo.edges)
    assert {2, 4} <= set(n_parents.values()) and max(n_parents.values()) == 4  # merges of 2-4 parents
    assert max(demo.depths().values()) >= 5
    assert "gpt2" in {e[1] for e in demo.edges}  # legacy parent ids, as written
    assert any(not e[4] and "/" not in e[1] for e in demo.edges)  # an unlisted parent without namespace
    assert len([e for e in demo.edges if not e[4]]) >= 2
    # one 2-cycle with no way out, one 3-cycle with one
    cycles = sorted((sorted(c) for c in nx.simple_cycles(g)), key=len)
    assert [len(c) for c in cycles] == [2, 3]
    assert [c["members"] for c in demo.truth["cycles"]] == cycles
    for cycle, planted in zip(cycles, demo.truth["cycles"]):
        exits = {p for m in cycle for p in g.successors(m)} - set(cycle)
        assert bool(exits) == planted["way_out"] == (len(cycle) == 3)
    # license drift: restrictive parents with permissive or unlicensed children
    drift = Counter()
    for child, parent, *_ in demo.edges:
        if demo.licenses.get(parent) in RESTRICTIVE:
            child_license = demo.licenses[child]
            drift["none" if child_license is None else "permissive" if child_license in PERMISSIVE else "other"] += 1
    assert drift["none"] > 10 and drift["permissive"] > 0
    # quantisers: accounts with many models, nearly all of them quantisations
    by_account = Counter(r["id"].split("/")[0] for r in demo.models if "/" in r["id"])
    quantised = Counter(e[0].split("/")[0] for e in demo.edges if e[2] == "quantized")
    assert demo.truth["quantisers"]
    busiest = max(demo.truth["quantisers"], key=by_account.__getitem__)
    assert by_account[busiest] >= 20 and quantised[busiest] >= 0.5 * by_account[busiest]


@pytest.mark.slow
def test_lineage_calibration_at_50k(hub_50k):
    hub = Lineage(hub_50k)
    with_parent = {e[0] for e in hub.edges}
    assert len(with_parent) / len(hub.models) == pytest.approx(0.15, abs=0.02)
    several = Counter(e[0] for e in hub.edges)
    assert 0.005 < sum(n >= 2 for n in several.values()) / len(with_parent) < 0.05  # real 2024: 1.5 %
    # heavy-tailed families: a few bases with a thousand descendants, most with one or two
    down = hub.graph.reverse(copy=False)
    roots = [n for n in hub.graph if hub.graph.out_degree(n) == 0]
    sizes = sorted((len(nx.descendants(down, r)) for r in roots), reverse=True)
    assert sizes[0] >= 800 and sum(s <= 2 for s in sizes) / len(sizes) > 0.6
    depths = Counter(hub.depths().values())
    assert depths[1] > depths[2] > depths[3] > depths[4] > 0 and max(depths) >= 5
    assert sum(1 for e in hub.edges if not e[4]) >= 10
    assert sorted(hub.edges) == hub.truth["edges"]
