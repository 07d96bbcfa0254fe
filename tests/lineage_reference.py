"""An independent reference for the lineage marts (docs/methods.md §9): pandas and networkx
over raw list rows, none of the warehouse's SQL or hubwh.lineage. Used by tests/test_lineage*.py.

Rows are dicts with the raw.models columns: repo_id, tags (list or JSON text), card_base_model,
card_base_model_relation, card_license (JSON text or parsed), is_listed, likes, downloads."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import networkx as nx
import numpy as np

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
RELATIONS = ("finetune", "adapter", "quantized", "merge")


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _seed(name: str) -> list[dict]:
    with open(SEEDS / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def declared(row: dict) -> tuple[list[tuple[str, str | None]], list[str], str | None]:
    """(tag declarations [(parent, relation or None)] in tag order, card parents, card relation)."""
    tags = []
    for tag in _json(row.get("tags")) or []:
        if not tag.startswith("base_model:"):
            continue
        parts = tag[len("base_model:") :].split(":")
        if len(parts) > 2 or parts[-1] == "":
            continue
        relation = parts[0].lower() if len(parts) == 2 and parts[0].lower() in RELATIONS else None
        tags.append((parts[-1], relation))
    base = _json(row.get("card_base_model"))
    base = (
        [base] if isinstance(base, str) else [b for b in base if isinstance(b, str)] if isinstance(base, list) else []
    )
    card = [b.strip() for b in base if b.strip()]
    relation = _json(row.get("card_base_model_relation"))
    relation = relation.strip().lower() if isinstance(relation, str) else None
    return tags, card, relation if relation in RELATIONS else None


def license_of(row: dict, aliases: dict, classes: dict) -> tuple[str | None, str]:
    """docs/methods.md §2: first license: tag (its first line, trimmed), else the card's license
    (first element of a list) lower-cased and mapped through license_aliases; its class."""
    license_ = None
    for tag in _json(row.get("tags")) or []:
        if tag.startswith("license:"):
            license_ = tag[len("license:") :].split("\n")[0].strip() or None
            break
    if license_ is None:
        card = _json(row.get("card_license"))
        card = card[0] if isinstance(card, list) and card else card
        if isinstance(card, str) and card.strip():
            card = card.strip().lower()
            license_ = aliases.get(card, card)
    if license_ is None:
        return None, "none"
    return license_, classes.get(license_.lower(), "unclassified")


def organisation_of(model_id: str, by_namespace: dict, by_legacy: dict) -> str:
    if "/" in model_id:
        namespace = model_id.split("/")[0]
        return by_namespace.get(namespace.lower(), namespace)
    return by_legacy.get(model_id.lower(), model_id)


class Reference:
    def __init__(self, rows: list[dict], pareto_thresholds=(0.8, 0.99)):
        listed_rows = [r for r in rows if r.get("is_listed", True) is not False]
        self.listed = {r["repo_id"]: r for r in listed_rows}
        aliases = {a["alias"]: a["license"] for a in _seed("license_aliases")}
        classes = {c["license"]: c["license_class"] for c in _seed("license_classes")}
        orgs = _seed("organisations")
        by_namespace = {o["name"].lower(): o["organisation"] for o in orgs if o["kind"] == "namespace"}
        by_legacy = {o["name"].lower(): o["organisation"] for o in orgs if o["kind"] == "legacy_id"}

        # -- edges ----------------------------------------------------------------------------
        self.self_references = set()
        edges = {}
        for child, row in self.listed.items():
            tags, card, card_relation = declared(row)
            parents: dict[str, dict] = {}
            for parent, relation in tags:
                entry = parents.setdefault(parent, {"tag": False, "card": False, "relation": None})
                entry["tag"] = True
                entry["relation"] = entry["relation"] or relation
            for parent in card:
                parents.setdefault(parent, {"tag": False, "card": False, "relation": None})["card"] = True
            for parent, entry in parents.items():
                if parent == child:
                    self.self_references.add(child)
                    continue
                relation = entry["relation"] or card_relation or "unknown"
                relation_source = "tag" if entry["relation"] else "card" if card_relation else "none"
                source = "both" if entry["tag"] and entry["card"] else "tag" if entry["tag"] else "card"
                edges[(child, parent)] = {
                    "relation": relation,
                    "relation_source": relation_source,
                    "source": source,
                    "parent_listed": parent in self.listed,
                    "parent_without_namespace": "/" not in parent,
                }
        self.licenses = {m: license_of(r, aliases, classes) for m, r in self.listed.items()}
        for (child, parent), e in edges.items():
            c_lic, c_class = self.licenses[child]
            e["child_license"], e["child_license_class"] = c_lic, c_class
            if e["parent_listed"]:
                p_lic, p_class = self.licenses[parent]
                e["parent_license"], e["parent_license_class"] = p_lic, p_class
                e["license_changed"] = c_lic != p_lic
                e["license_dropped"] = p_lic is not None and c_lic is None
            else:
                e.update(parent_license=None, parent_license_class=None, license_changed=None, license_dropped=None)
        self.edges = edges

        # -- graph (child -> parent), roots, families -------------------------------------------
        g = nx.DiGraph()
        g.add_nodes_from(self.listed)
        g.add_edges_from(edges)
        self.graph = g
        cycle_of: dict[str, frozenset] = {}
        for comp in nx.strongly_connected_components(g):
            if len(comp) > 1:
                for m in comp:
                    cycle_of[m] = frozenset(comp)
        self.cycles = set(cycle_of.values())

        def sink(comp) -> bool:
            return all(p in comp for m in comp for p in g.successors(m))

        self.is_root = {
            m: g.out_degree(m) == 0 or (m in cycle_of and sink(cycle_of[m]) and m == min(cycle_of[m])) for m in g
        }
        roots = {m for m, yes in self.is_root.items() if yes}
        self.nodes = {}
        for m in g:
            up = nx.descendants(g, m)  # lineage ancestors
            own_roots = {a for a in up | {m} if a in roots}
            depth = 0 if m in roots else min(nx.shortest_path_length(g, m, r) for r in own_roots)
            comp = cycle_of.get(m)
            self.nodes[m] = {
                "is_listed": m in self.listed,
                "n_parents": g.out_degree(m),
                "n_children": g.in_degree(m),
                "n_descendants": len(nx.ancestors(g, m)),
                "is_root": m in roots,
                "depth": depth,
                "n_roots": len(own_roots),
                "cycle_id": min(comp) if comp else None,
                "cycle_size": len(comp) if comp else None,
                "cycle_without_way_out": bool(comp) and sink(comp),
                "roots": own_roots,
            }
        self.members = {}
        for root in sorted(roots):
            to_root = nx.shortest_path_length(g, target=root)  # distance of every node reaching it
            for m in nx.ancestors(g, root):
                assert root in self.nodes[m]["roots"], (m, root)
                depth = to_root[m]
                via = min(p for p in g.successors(m) if to_root.get(p) == depth - 1)
                self.members[(root, m)] = {"depth": depth, "parent_id": via, "relation": edges[(m, via)]["relation"]}
        assert {(r, m) for m, n in self.nodes.items() for r in n["roots"] if r != m} == set(self.members)

        org = {m: organisation_of(m, by_namespace, by_legacy) for m in g}
        self.families = {}
        by_root = defaultdict(list)
        for (root, m), v in self.members.items():
            by_root[root].append((m, v))
        for root, ms in by_root.items():
            relations = [v["relation"] for _, v in ms]
            self.families[root] = {
                "organisation": org[root],
                "root_listed": root in self.listed,
                "is_cycle": root in cycle_of,
                "n_descendants": len(ms),
                "n_children": g.in_degree(root),
                "max_depth": max(v["depth"] for _, v in ms),
                **{f"n_{r}": relations.count(r) for r in (*RELATIONS, "unknown")},
                "descendant_likes": sum(self.listed[m].get("likes") or 0 for m, _ in ms),
                "descendant_downloads": sum(self.listed[m].get("downloads") or 0 for m, _ in ms),
            }

        # -- organisations -------------------------------------------------------------------------
        with_parent = [m for m in self.listed if g.out_degree(m) > 0]
        derived = defaultdict(set)
        for a in g:
            derived[org[a]] |= nx.ancestors(g, a)
        published = defaultdict(int)
        for m in self.listed:
            published[org[m]] += 1
        ranked = sorted(((o, d) for o, d in derived.items() if d), key=lambda x: (-len(x[1]), x[0]))
        self.organisations = {
            o: {
                "n_models": published[o],
                "n_descendants": len(d),
                "n_descendants_by_others": sum(org[x] != o for x in d),
                "share_of_derived_models": len(d) / len(with_parent),
                "rank": i + 1,
            }
            for i, (o, d) in enumerate(ranked)
        }

        # -- drift and summary -----------------------------------------------------------------
        drift = defaultdict(lambda: [0, 0, 0])
        for e in edges.values():
            if e["parent_listed"]:
                cell = drift[(e["relation"], e["parent_license_class"], e["child_license_class"])]
                cell[0] += 1
                cell[1] += e["license_changed"]
                cell[2] += e["license_dropped"]
        self.drift = {k: tuple(v) for k, v in drift.items()}

        n = len(self.listed)
        sizes = np.array(sorted((f["n_descendants"] for f in self.families.values()), reverse=True), dtype=float)
        depths = np.array([self.nodes[m]["depth"] for m in with_parent], dtype=float)
        n_edges = len(edges)
        s = {
            "n_models": n,
            "n_models_with_parent": len(with_parent),
            "share_with_parent": len(with_parent) / n if n else None,
            "n_models_with_several_parents": sum(g.out_degree(m) >= 2 for m in self.listed),
            "share_with_several_parents": sum(g.out_degree(m) >= 2 for m in self.listed) / n if n else None,
            "n_edges": n_edges,
            "n_edges_parent_unlisted": sum(not e["parent_listed"] for e in edges.values()),
            "n_edges_parent_without_namespace": sum(e["parent_without_namespace"] for e in edges.values()),
            "n_families": len(sizes),
            "family_size_max": sizes.max() if sizes.size else None,
            "family_size_mean": sizes.mean() if sizes.size else None,
            "family_size_median": float(np.median(sizes)) if sizes.size else None,
            "depth_mean": depths.mean() if depths.size else None,
            "depth_max": depths.max() if depths.size else None,
            "self_references_dropped": len(self.self_references),
            "n_cycles": len(self.cycles),
            "n_cycles_without_way_out": sum(sink(c) for c in self.cycles),
            "n_models_on_cycles": len(cycle_of),
            "n_edges_license_changed": sum(bool(e["license_changed"]) for e in edges.values()),
            "n_edges_license_dropped": sum(bool(e["license_dropped"]) for e in edges.values()),
            "n_edges_restrictive_to_permissive": sum(
                e["parent_license_class"] == "restrictive" and e["child_license_class"] == "permissive"
                for e in edges.values()
            ),
            "n_edges_restrictive_to_none": sum(
                e["parent_license_class"] == "restrictive" and e["child_license_class"] == "none"
                for e in edges.values()
            ),
        }
        for q in (50, 90, 99):
            s[f"depth_p{q}"] = float(np.percentile(depths, q)) if depths.size else None
        for src in ("tag", "card", "both"):
            s[f"n_edges_source_{src}"] = sum(e["source"] == src for e in edges.values())
        for r in (*RELATIONS, "unknown"):
            s[f"share_relation_{r}"] = sum(e["relation"] == r for e in edges.values()) / n_edges if n_edges else None
        if sizes.size:
            asc = sizes[::-1]
            k = np.arange(1, asc.size + 1)
            s["family_size_gini"] = float(2 * np.sum(k * asc) / (asc.size * asc.sum()) - (asc.size + 1) / asc.size)
            cum = np.cumsum(sizes)
            for t in pareto_thresholds:
                s[f"family_size_pareto_share_{t}"] = (int(np.argmax(cum >= t * cum[-1])) + 1) / sizes.size
        else:
            s["family_size_gini"] = None
            for t in pareto_thresholds:
                s[f"family_size_pareto_share_{t}"] = None
        self.summary = s
