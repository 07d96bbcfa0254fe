"""Model lineage for the synthetic Hub: `base_model` tags and card fields (docs/methods.md §9).

The generator draws every other field of a model from its own random stream; lineage draws
from a stream of its own (`Lineage.rng`), so a seed gives the same repos with or without it,
and lineage only adds entries: `base_model:` tags (plain, and the newer
`base_model:<relation>:<id>` form) and the card's `base_model` / `base_model_relation`.
The parent a model already had (the generator's popular `base`, drawn from the main stream)
is kept and may gain a relation.

Calibration (the real 2024 bodies in ../shared/real-data/hub-2024-07/model-info: 1,198 of
8,650 models declare a base model, 1.5 % of those several; tags and card agree on all but
one; a quarter of parents are declared by fewer than ten models, a few by dozens): about 15 %
of models have a parent; family sizes are heavy-tailed (a child picks a parent in proportion to
the children it already has, or a popular model, or any earlier model); chains grow from
recent derivatives (base -> fine-tune -> fine-tune -> quantised); merges have 2-4 parents;
accounts that publish many models may turn into quantisers, whose models are nearly all
quantisations. Planted once each when the Hub is big enough: a self-reference, a 2-cycle with
no way out, a 3-cycle with a way out, a chain of depth 5 and a merge of 4 parents.

Parents are earlier models (the stream cannot name a model that does not exist yet), except
on the planted cycles: their first member's writes wait in a buffer (`Deferred`) until the
last member's id is known, then go out in the original order.
"""

from __future__ import annotations

import random
import zlib
from collections import deque

from hubwh.synth import vocab
from hubwh.synth.repos import model_name

RELATIONS = ("finetune", "adapter", "quantized", "merge")
# Relation of a planted edge by how its parent was picked (merges are always 'merge').
RELATION_MIX = {
    "chain": (("finetune", 0.6), ("quantized", 0.25), ("adapter", 0.15)),
    "fresh": (("finetune", 0.6), ("adapter", 0.3), ("quantized", 0.1)),
    "popular": (("finetune", 0.55), ("adapter", 0.3), ("quantized", 0.15)),
    "existing": (("finetune", 0.65), ("adapter", 0.25), ("quantized", 0.1)),
}
NEW_PARENT_SHARE = 0.03  # models without the generator's base that get one here (≈15 % in all)
RELATION_TAG_SHARE = 0.5  # children tagged in the newer base_model:<relation>:<id> form too
RELATION_TAG_ONLY_SHARE = 0.1  # of those, the relation form without the plain tag
CARD_RELATION_SHARE = {"new": 0.5, "plain": 0.35}  # children whose card gives base_model_relation
CARD_ONLY_SHARE = 0.04  # edges the card declares and the tags do not
UNLISTED_SHARE = 0.03  # parents that are not listed (deleted or private)
COUNT_MASK = (1 << 22) - 1  # models per account, counted in a 4 MB table of hashed namespaces
# An account may turn into a quantiser when it publishes its n-th model (chance by n): the
# busiest accounts most often, as on the Hub (TheBloke, bartowski, mradermacher, QuantFactory).
QUANTISER_AT = {6: 0.015, 40: 0.04}
FAMOUS_ORGS = frozenset(vocab.FAMOUS_ORGS) - {"TheBloke"}  # well-known labs publish their own models
KNOWN_QUANTISERS = frozenset({"TheBloke"})
POOL_SIZE = 20_000  # reservoir of earlier models (small families)
HOT_SIZE = 200_000  # parents once per child (preferential attachment: big families)
RECENT_SIZE = 5_000  # recent derivatives (chains)
TAIL_TAGS = {"license", "model-index", "autotrain_compatible", "text-generation-inference", "endpoints_compatible"}


def _weighted(rng: random.Random, pairs) -> str:
    u = rng.random() * sum(w for _, w in pairs)
    for value, weight in pairs:
        u -= weight
        if u < 0:
            return value
    return pairs[-1][0]


class Deferred:
    """The SnapshotWriter calls of model repos, held back while a planted cycle is open."""

    WRITES = ("add_repo", "add_commits", "add_discussions", "add_outcome")

    def __init__(self, writer):
        self.writer = writer
        self.held: list[tuple[str, tuple]] | None = None
        self.release()

    def hold(self) -> None:
        self.held = []
        for name in self.WRITES:
            setattr(self, name, lambda *args, _name=name: self.held.append((_name, args)))

    def release(self) -> None:
        held, self.held = self.held or [], None
        for name in self.WRITES:
            setattr(self, name, getattr(self.writer, name))
        for name, args in held:
            getattr(self.writer, name)(*args)


class Lineage:
    def __init__(self, seed: int, n_models: int, n_special: int):
        self.rng = random.Random(f"hubwh-synth-lineage:{seed}")
        self.n_models = n_models
        self.pool: list[str] = []
        self.seen = 0
        self.hot: list[str] = [m[0] for m in vocab.FAMOUS_MODELS[:12]]
        self.recent: deque[tuple[str, int]] = deque(maxlen=RECENT_SIZE)
        self.namespace_counts = bytearray(COUNT_MASK + 1)
        self.quantisers: set[str] = set(KNOWN_QUANTISERS)
        self.legacy_listed: list[str] = []
        # Ground truth: "child\tparent\trelation\tsource" per edge as the warehouse should read it.
        self.edges: list[str] = []
        self.self_references: list[str] = []
        self.cycles: list[dict] = []
        # Planted once each, at fixed shares of the model list (only on Hubs big enough).
        start = n_special + 10
        room = n_models - start
        self.plan = {}
        if room >= 60:
            for name, share in (
                ("self_reference", 0.15),
                ("two_cycle", 0.3),
                ("three_cycle", 0.45),
                ("chain", 0.6),
                ("merge4", 0.75),
                ("legacy", 0.8),
                ("unlisted", 0.85),
                ("card_only", 0.9),
            ):
                self.plan[name] = start + int(room * share)
        self.next_plan = min(self.plan.values(), default=n_models)
        self.open: dict | None = None  # a cycle or chain being planted
        self._intent: dict[str, dict[str, list]] = {}  # child -> parent -> [in tags, in card, tag relation]

    # ---- picking parents -----------------------------------------------------------------

    def _popular(self, base_models: list[str]) -> str:
        rng = self.rng
        u = rng.random()
        if u < 0.12 and self.legacy_listed:
            return self.legacy_listed[int(len(self.legacy_listed) * rng.random() ** 2)]
        if u < 0.45:
            return base_models[int(len(base_models) * rng.random() ** 2)]
        return self.hot[rng.randrange(len(self.hot))]

    def _chain_parent(self) -> tuple[str, int] | None:
        if not self.recent:
            return None
        rng = self.rng
        a = self.recent[rng.randrange(len(self.recent))]
        b = self.recent[rng.randrange(len(self.recent))]
        return a if a[1] >= b[1] else b

    def _unlisted_id(self, pipeline, library) -> str:
        """A parent id that no listed model has (deleted or private; the ground truth checks)."""
        rng = self.rng
        namespace = self.pool[rng.randrange(len(self.pool))] if self.pool else ""
        if "/" not in namespace or rng.random() < 0.5:
            namespace = f"{rng.choice(vocab.WORDS)}{rng.randrange(100)}"
        else:
            namespace = namespace.split("/")[0]
        return f"{namespace}/{model_name(rng, pipeline, library)}"

    def _pick(self, base_models, pipeline, library) -> tuple[list[str], str, int, set[str]]:
        """(parents, relation, depth, unlisted parents) for a model that gets parents here."""
        rng = self.rng
        u = rng.random()
        if u < 0.05:
            k = rng.choice((2, 2, 2, 3, 3, 4))
            parents: list[str] = []
            for _ in range(k * 3):
                v = rng.random()
                chain = self._chain_parent() if v < 0.4 else None
                p = chain[0] if chain else self._popular(base_models) if v < 0.7 else self._fresh()
                if p and p not in parents:
                    parents.append(p)
                if len(parents) == k:
                    break
            return parents, "merge" if len(parents) > 1 else "finetune", 2, set()
        if u < 0.40:
            chain = self._chain_parent()
            if chain:
                return [chain[0]], _weighted(rng, RELATION_MIX["chain"]), chain[1] + 1, set()
        parent = self._fresh() if 0.40 <= u < 0.72 else None
        kind = "fresh"
        if parent is None:
            kind, parent = "popular", self._popular(base_models)
        unlisted = set()
        if rng.random() < UNLISTED_SHARE:
            parent = self._unlisted_id(pipeline, library)
            unlisted.add(parent)
        return [parent], _weighted(rng, RELATION_MIX[kind]), 1, unlisted

    def _fresh(self) -> str | None:
        return self.pool[self.rng.randrange(len(self.pool))] if self.pool else None

    # ---- writing lineage into a record -------------------------------------------------------

    @staticmethod
    def _tag_slot(tags: list[str]) -> int:
        """Where base_model tags go: after the last one, else before the license tag and the
        Hub's trailing tags (as in the real bodies)."""
        last = max((i for i, t in enumerate(tags) if t.startswith("base_model:")), default=None)
        if last is not None:
            return last + 1
        for i, t in enumerate(tags):
            if t.split(":")[0] in TAIL_TAGS or t.startswith("region:"):
                return i
        return len(tags)

    def _express(
        self,
        record: dict,
        parents: list[str],
        relation: str | None,
        card_only=frozenset(),
        *,
        form: str | None = None,
        card_relation: bool | None = None,
    ) -> None:
        """Declare `parents` (and give `relation` to the record's declared parents) in tags and
        card; `form` ('new' or 'plain' tags) and `card_relation` are drawn unless given."""
        rng = self.rng
        child = record["id"]
        tags: list[str] = record["tags"]
        card = record.get("cardData")
        in_card = card.get("base_model") if card is not None else None
        in_card = [in_card] if isinstance(in_card, str) else list(in_card or [])
        intent = self._intent.setdefault(child, {})
        for t in tags:
            if t.startswith("base_model:") and t.count(":") == 1:
                intent.setdefault(t[len("base_model:") :], [True, t[len("base_model:") :] in in_card, None])
        new = [p for p in dict.fromkeys(parents) if p not in intent]
        tagged = [p for p in new if p not in card_only]
        if form is None:
            form = "new" if relation and rng.random() < RELATION_TAG_SHARE else "plain"
        relation_only = form == "new" and not intent and rng.random() < RELATION_TAG_ONLY_SHARE
        for p in new:
            intent[p] = [p in tagged, False, None]
        add = [] if relation_only else [f"base_model:{p}" for p in tagged]
        if form == "new":
            for p, state in intent.items():
                if state[0] and state[2] is None:
                    add.append(f"base_model:{relation}:{p}")
                    state[2] = relation
        slot = self._tag_slot(tags)
        tags[slot:slot] = add
        if card is not None:
            for p in new:
                if p in card_only or rng.random() < 0.96:
                    in_card.append(p)
            if in_card:
                card["base_model"] = in_card[0] if len(in_card) == 1 and rng.random() > 0.03 else in_card
                if card_relation is None:
                    card_relation = rng.random() < CARD_RELATION_SHARE[form]
                if relation and "base_model_relation" not in card and card_relation:
                    card["base_model_relation"] = relation
            for p in in_card:
                if p in intent:
                    intent[p][1] = True

    def _finish_record(self, record: dict) -> None:
        """The record's edges as the warehouse must read them (docs/methods.md §9), into the truth."""
        child = record["id"]
        intent = self._intent.pop(child, None)
        if not intent:
            return
        card = record.get("cardData") or {}
        card_relation = card.get("base_model_relation")
        for parent, (in_tags, in_card, tag_relation) in intent.items():
            if parent == child:
                continue
            relation = tag_relation or (card_relation if card_relation in RELATIONS else "unknown")
            source = "both" if in_tags and in_card else "tag" if in_tags else "card"
            self.edges.append(f"{child}\t{parent}\t{relation}\t{source}")

    def _note(self, repo_id: str, parents: list[str], depth: int) -> None:
        rng = self.rng
        for p in parents:
            if len(self.hot) < HOT_SIZE:
                self.hot.append(p)
            else:
                self.hot[rng.randrange(HOT_SIZE)] = p
        self.recent.append((repo_id, depth))

    # ---- per model -------------------------------------------------------------------------

    def plant(
        self,
        writer: Deferred,
        record: dict,
        *,
        index: int,
        base: str | None,
        base_models: list[str],
        special: bool,
        pipeline: str | None,
        library: str | None,
    ) -> None:
        """Add lineage to one model record (before it is written)."""
        rng = self.rng
        repo_id = record["id"]
        namespace = repo_id.split("/")[0] if "/" in repo_id else None
        if special or namespace is None:
            if namespace is None:
                self.legacy_listed.append(repo_id)
            if base:
                self._express(record, [], None)
            self._done(record)
            return
        key = zlib.crc32(namespace.encode()) & COUNT_MASK
        count = self.namespace_counts[key] = min(255, self.namespace_counts[key] + 1)
        if count in QUANTISER_AT and namespace not in FAMOUS_ORGS and rng.random() < QUANTISER_AT[count]:
            self.quantisers.add(namespace)
        free = base is None and namespace not in self.quantisers and record.get("cardData") is not None
        if (
            free
            and (self.open is not None or index >= self.next_plan)
            and self._planted(writer, record, index, base_models)
        ):
            self._done(record)
            return
        if namespace in self.quantisers and rng.random() < 0.95:
            if base:
                parents, depth = [], 2
            else:
                chain = self._chain_parent() if rng.random() < 0.4 else None
                parents, depth = ([chain[0]], chain[1] + 1) if chain else ([self._popular(base_models)], 1)
            self._express(record, parents, "quantized")
            self._note(repo_id, parents or [base], depth)
        elif base:
            extra: list[str] = []
            if rng.random() < 0.02:
                extra = sorted({self._popular(base_models) for _ in range(rng.randrange(1, 4))} - {base})
            relation = "merge" if extra else _weighted(rng, RELATION_MIX["existing"])
            self._express(record, extra, relation if rng.random() < 0.9 else None)
            self._note(repo_id, [base, *extra], 1)
        elif rng.random() < NEW_PARENT_SHARE:
            parents, relation, depth, unlisted = self._pick(base_models, pipeline, library)
            card_only = set()
            if record.get("cardData") is not None:
                card_only = {p for p in parents if rng.random() < (0.5 if p in unlisted else CARD_ONLY_SHARE)}
            self._express(record, parents, relation if rng.random() < 0.85 else None, card_only)
            self._note(repo_id, parents, depth)
        self._done(record)

    def _done(self, record: dict) -> None:
        open_ = self.open
        if open_ is None or open_["kind"] == "chain" or open_["members"][0] is not record:
            self._finish_record(record)  # (a cycle's first member is finished when the ring closes)
        self.seen += 1
        repo_id = record["id"]
        if len(self.pool) < POOL_SIZE:
            self.pool.append(repo_id)
        else:
            j = self.rng.randrange(self.seen)
            if j < POOL_SIZE:
                self.pool[j] = repo_id

    def _planted(self, writer: Deferred, record: dict, index: int, base_models: list[str]) -> bool:
        """The once-only plants, on models with a card and no other parent; True when this
        record took part in one."""
        repo_id = record["id"]
        state = self.open
        if state is not None:
            kind, members = state["kind"], state["members"]
            if kind == "chain":
                self._express(record, [members[-1]["id"]], "quantized" if len(members) == 5 else "finetune")
                members.append(record)
                if len(members) == 6:
                    self.open = None
                return True
            self._express(record, [members[-1]["id"]], "finetune")
            members.append(record)
            if len(members) == (2 if kind == "two_cycle" else 3):
                # Close the ring: the first member (still in the buffer) derives from the last.
                first = members[0]
                self._express(first, [repo_id], "finetune")
                self.cycles.append({"members": sorted(m["id"] for m in members), "way_out": kind == "three_cycle"})
                self.open = None
                self._finish_record(first)
                writer.release()
            return True
        kind = min(self.plan, key=self.plan.get)
        del self.plan[kind]
        self.next_plan = min(self.plan.values(), default=self.n_models)
        if kind == "self_reference":
            self._express(record, [repo_id], None)
            self.self_references.append(repo_id)
        elif kind == "legacy":
            # a parent id without namespace, as written before the Hub moved them (gpt2)
            self._express(record, [self.legacy_listed[0] if self.legacy_listed else "gpt2"], "finetune", form="plain")
        elif kind == "unlisted":
            # a parent no listed model has, its namespace missing (as 'Nous-Hermes-2-Mixtral-8x7B-DPO')
            parent = f"{vocab.BASE_NAMES[0]}-{vocab.NAME_SUFFIXES[0]}-{index}"
            self._express(record, [parent], "adapter", form="new")
        elif kind == "card_only":
            # a parent only in the card, the relation only in the card
            self._express(
                record,
                [vocab.FAMOUS_MODELS[0][0]],
                "quantized",
                card_only={vocab.FAMOUS_MODELS[0][0]},
                form="plain",
                card_relation=True,
            )
        elif kind == "merge4":
            parents: list[str] = []
            while len(parents) < 4:
                p = self._popular(base_models)
                if p not in parents:
                    parents.append(p)
            self._express(record, parents, "merge")
            self._note(repo_id, parents, 1)
        else:
            if kind in ("chain", "three_cycle"):
                # the chain's root, and the 3-cycle's way out
                self._express(record, [vocab.FAMOUS_MODELS[0][0]], "finetune")
            self.open = {"kind": kind, "members": [record]}
            if kind != "chain":
                writer.hold()
        return True

    def finish(self, writer: Deferred) -> None:
        """Release whatever a cycle left open (a Hub too small to close it)."""
        if self.open is not None:
            first = self.open["members"][0]
            self.open = None
            self._finish_record(first)
        writer.release()

    def ground_truth(self, is_listed) -> dict:
        """What was planted, for tests; `is_listed(model_id)` says whether an id is a listed model."""
        edges = []
        for line in self.edges:
            child, parent, relation, source = line.split("\t")
            edges.append([child, parent, relation, source, bool(is_listed(parent))])
        edges.sort()
        return {
            "edges": edges,
            "self_references": sorted(self.self_references),
            "cycles": self.cycles,
            "quantisers": sorted(self.quantisers),
            "unlisted_parents": sorted({e[1] for e in edges if not e[4]}),
        }
