"""The synthetic Hub: calibration to the paper's figures (measured here from the
snapshot's records, independently of the generator), planted oddities,
determinism, and API shapes (parsed by the real huggingface_hub classes)."""

from __future__ import annotations

import calendar
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from statistics import median

import networkx as nx
import numpy as np
import pytest
from huggingface_hub.community import Discussion
from huggingface_hub.hf_api import DatasetInfo, GitCommitInfo, ModelInfo, SpaceInfo
from huggingface_hub.utils import parse_datetime, validate_repo_id
from rapidfuzz import fuzz

from hubwh.snapshot import Snapshot
from hubwh.synth import generate
from hubwh.synth.sampling import hex_id, hub_date, object_id

# 50,000 models with datasets and spaces in the paper's proportions (65,761 and 156,642 per 348,181).
DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def _norm(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.lower())


class Measures:
    """Everything the calibration tests check, computed from raw snapshot records."""

    def __init__(self, path):
        snap = Snapshot(path)
        self.truth = snap.ground_truth()
        self.repos = {t: list(snap.iter_repos(t)) for t in ("model", "dataset", "space")}
        self.commits = {(t, r): c for t, r, c in snap.iter_commits()}
        self.discussions = {(t, r): d for t, r, d in snap.iter_discussions()}
        self.outcomes = list(snap.iter_outcomes())
        bots = set(self.truth["bots"]) | {"system"}
        alias = dict(self.truth["aliases"])
        self.is_bot = lambda u: u in bots or u.endswith("[bot]") or u.endswith("-bot")
        self.canon = lambda u: alias.get(u, u)

    def zero_share(self, repo_type, field):
        return float(np.mean([r[field] == 0 for r in self.repos[repo_type]]))

    def no_discussion_share(self, repo_type):
        return float(np.mean([not self.discussions.get((repo_type, r["id"])) for r in self.repos[repo_type]]))

    def developers(self, commits):
        """U(r): distinct developers among all authors, bots removed, aliases merged (docs/methods.md §2)."""
        out = []
        for c in commits:
            for a in c["authors"]:
                if not self.is_bot(a["user"]) and self.canon(a["user"]) not in out:
                    out.append(self.canon(a["user"]))
        return out

    def collaboration_graph(self):
        """docs/methods.md §4: for each commit with first author a, edges a -> b for every
        other b in U(r), a self-loop when |U(r)| = 1."""
        g = nx.DiGraph()
        for r in self.repos["model"]:
            commits = self.commits.get(("model", r["id"]), [])
            devs = self.developers(commits)
            g.add_nodes_from(devs)
            for c in commits:
                if not c["authors"] or self.is_bot(c["authors"][0]["user"]):
                    continue
                a = self.canon(c["authors"][0]["user"])
                for b in devs if len(devs) > 1 else [a]:
                    if b != a or len(devs) == 1:
                        w = g.get_edge_data(a, b, {"weight": 0})["weight"]
                        g.add_edge(a, b, weight=w + 1)
        return g

    def license_of(self, r):
        return next((t[8:] for t in r.get("tags", []) if t.startswith("license:")), None)

    def usage(self):
        listed = {r["id"] for r in self.repos["model"]}
        used = Counter(m for s in self.repos["space"] for m in set(s.get("models", [])) if m in listed)
        return used


@pytest.fixture(scope="module")
def m50(hub_50k):
    return Measures(hub_50k)


@pytest.mark.slow
def test_activity_calibration(m50):
    assert m50.zero_share("model", "likes") == pytest.approx(0.91, abs=0.02)
    assert m50.zero_share("dataset", "likes") == pytest.approx(0.88, abs=0.03)
    assert m50.zero_share("model", "downloads") == pytest.approx(0.71, abs=0.03)
    assert m50.zero_share("dataset", "downloads") == pytest.approx(0.70, abs=0.03)
    assert m50.no_discussion_share("model") == pytest.approx(0.84, abs=0.03)
    assert m50.no_discussion_share("dataset") == pytest.approx(0.91, abs=0.03)
    assert m50.no_discussion_share("space") == pytest.approx(0.96, abs=0.02)
    n_commits = [len(m50.commits[("model", r["id"])]) for r in m50.repos["model"]]
    assert list(np.percentile(n_commits, [25, 50, 75])) == [2, 3, 5]
    assert max(n_commits) > 1000 and np.mean(n_commits) > 4  # heavy tail
    likes = sorted((r["likes"] for r in m50.repos["model"]), reverse=True)
    assert likes[0] > 1000 and sum(likes[:500]) > 0.5 * sum(likes)  # 1 % of models hold most likes


@pytest.mark.slow
def test_collaboration_calibration(m50):
    committers = [len(m50.developers(m50.commits[("model", r["id"])])) for r in m50.repos["model"]]
    assert np.mean([n == 1 for n in committers]) == pytest.approx(0.87, abs=0.03)
    assert max(committers) == 18  # bigscience/bloom (paper's max)
    g = m50.collaboration_graph()
    g.remove_edges_from(list(nx.selfloop_edges(g)))
    isolates = sum(1 for n in g if g.degree(n) == 0)
    assert isolates / g.number_of_nodes() == pytest.approx(0.89, abs=0.03)
    assert 0.5 < nx.reciprocity(g) < 1.0  # mostly, not only, reciprocal
    degrees = [d for _, d in g.degree() if d > 0]
    assert median(degrees) <= 4 and max(degrees) > 50 * median(degrees)  # a few high-degree hubs


@pytest.mark.slow
def test_license_calibration(m50):
    for repo_type, none_share in (("model", 0.65), ("dataset", 0.72)):
        licenses = [m50.license_of(r) for r in m50.repos[repo_type]]
        assert np.mean([x is None for x in licenses]) == pytest.approx(none_share, abs=0.03)
    licensed = Counter(x for x in map(m50.license_of, m50.repos["model"]) if x)
    total = sum(licensed.values())
    top = [k for k, _ in licensed.most_common(4)]
    assert top == ["apache-2.0", "mit", "openrail", "creativeml-openrail-m"]
    for lic, share in (("apache-2.0", 0.37), ("mit", 0.17), ("openrail", 0.14), ("creativeml-openrail-m", 0.10)):
        assert licensed[lic] / total == pytest.approx(share, abs=0.03)
    for lic in ("cc-by-nc-4.0", "llama2", "other", "cc-by-4.0", "gpl-3.0", "bsd-3-clause"):
        assert licensed[lic] > 0
    cards = [r.get("cardData", {}).get("license") for r in m50.repos["model"] if r.get("cardData")]
    assert any(isinstance(c, list) for c in cards)
    assert any(r.get("cardData", {}).get("license") and m50.license_of(r) is None for r in m50.repos["model"])


@pytest.mark.slow
def test_usage_calibration(m50):
    used = m50.usage()
    degrees = list(used.values())
    n_spaces = len(m50.repos["space"])
    assert median(degrees) == 1
    assert 5.0 <= np.mean(degrees) <= 8.5  # paper: 6.68
    top_model, top = used.most_common(1)[0]
    assert top_model == "runwayml/stable-diffusion-v1-5" and top > 0.01 * n_spaces
    assert used["gpt2"] > 0.004 * n_spaces
    assert max(len(s.get("models", [])) for s in m50.repos["space"]) >= 100  # leaderboard-like spaces
    listed = {r["id"] for r in m50.repos["model"]}
    ghosts = {x for s in m50.repos["space"] for x in s.get("models", []) if x not in listed}
    assert ghosts and ghosts == set(m50.truth["ghost_model_ids"])
    # likes and usage go together (paper: rho = 0.66)
    likes = {r["id"]: r["likes"] for r in m50.repos["model"]}
    rho = np.corrcoef(*(np.argsort(np.argsort(v)) for v in zip(*[(likes[m], used.get(m, 0)) for m in likes])))[0, 1]
    assert rho > 0.3


@pytest.mark.slow
def test_organisations_and_sub_fields(m50):
    namespaces = Counter(r["id"].split("/")[0] for r in m50.repos["model"] if "/" in r["id"])
    assert namespaces.most_common(1)[0][1] >= 100  # organisations with many models
    for org in ("facebook", "google", "microsoft", "stabilityai", "EleutherAI", "bigscience", "h2oai"):
        assert namespaces[org] > 0
    pipelines = Counter(r.get("pipeline_tag") for r in m50.repos["model"])
    for tag in (
        "text-generation",
        "text-classification",
        "image-classification",
        "text-to-image",
        "feature-extraction",
        "translation",
        "object-detection",
    ):
        assert pipelines[tag] > 0
    assert all(r["pipeline_tag"] in r["tags"] for r in m50.repos["model"] if r.get("pipeline_tag"))


@pytest.mark.slow
def test_planted_oddities(m50):
    models = {r["id"]: r for r in m50.repos["model"]}
    for legacy in ("gpt2", "bert-base-uncased", "distilbert-base-uncased", "roberta-base", "t5-small"):
        assert legacy in models and "author" not in models[legacy]
    assert sorted(i for i in models if "/" not in i) == m50.truth["legacy_model_ids"]
    assert sum(r["createdAt"].startswith("2022-03-02T23:29:") for r in models.values()) > 100  # Hub placeholder
    authors = Counter(a["user"] for c in m50.commits.values() for x in c for a in x["authors"])
    assert authors["SFconvertbot"] > 0 and any(u.endswith("[bot]") for u in authors)
    starters = Counter(d.get("author", {}).get("name", "deleted") for ds in m50.discussions.values() for d in ds)
    assert starters["SFconvertbot"] > 0 and starters["librarian-bot"] > 0 and starters["deleted"] > 0
    assert all(d.get("author", "absent") is not None for ds in m50.discussions.values() for d in ds)
    all_commits = [x for c in m50.commits.values() for x in c]
    assert any(not x["authors"] for x in all_commits)
    assert any(len(x["authors"]) > 1 for x in all_commits)
    assert Counter(o for _, _, o in m50.outcomes).keys() == {"private", "gated", "deleted"}
    assert len(m50.outcomes) == pytest.approx(0.01 * sum(map(len, m50.repos.values())), rel=0.3)
    texts = [x["title"] for x in all_commits] + [
        d["author"]["fullname"] for ds in m50.discussions.values() for d in ds if "author" in d
    ]
    assert any(not t.isascii() for t in texts)


@pytest.mark.slow
def test_planted_aliases_are_findable(m50):
    """Every ground-truth alias appears in commits and docs/methods.md §3's candidate rules
    can find it: a name with a space vs all usernames (rule b), or a variant
    beside its canonical spelling in one repo (rule a)."""
    aliases = m50.truth["aliases"]
    assert len(aliases) >= 30
    kinds = Counter()
    repo_authors = [{a["user"] for x in c for a in x["authors"]} for c in m50.commits.values()]
    for alias, canonical in aliases:
        assert fuzz.token_set_ratio(_norm(alias), _norm(canonical)) >= 90
        seen_with = [names for names in repo_authors if alias in names]
        assert seen_with, alias
        if " " in alias:
            kinds["real name"] += 1
        else:
            assert any(canonical in names for names in seen_with), alias
            kinds["variant"] += 1
    assert kinds["real name"] > 0 and kinds["variant"] > 0
    assert len(set(m50.truth["bots"]) & {"SFconvertbot", "librarian-bot"}) == 2


def test_demo_size_records_parse_with_the_real_client(synth_snapshot):
    """The demo snapshot (tests/conftest.py): API shapes and invariants."""
    snap = Snapshot(synth_snapshot)
    classes = {"model": ModelInfo, "dataset": DatasetInfo, "space": SpaceInfo}
    heads = {}
    for repo_type, cls in classes.items():
        for r in snap.iter_repos(repo_type):
            info = cls(**r)
            assert info.id == r["id"]
            validate_repo_id(r["id"])
            assert re.fullmatch(r"[0-9a-f]{24}", r["_id"])
            assert r["private"] is False and r["gated"] in (False, "auto", "manual")
            for key in ("createdAt", "lastModified"):
                assert DATE.match(r[key]), r[key]
            if repo_type == "model":
                assert r["modelId"] == r["id"]
                assert ("author" in r) == ("/" in r["id"])
                if "safetensors" in r:
                    assert r["safetensors"]["total"] == sum(r["safetensors"]["parameters"].values())
            heads[(repo_type, r["id"])] = (r["sha"], r["lastModified"])
    n = 0
    for repo_type, repo_id, commits in snap.iter_commits():
        infos = [
            GitCommitInfo(
                commit_id=c["id"],
                authors=[a["user"] for a in c["authors"]],
                created_at=parse_datetime(c["date"]),
                title=c["title"],
                message=c["message"],
                formatted_title=None,
                formatted_message=None,
            )
            for c in commits
        ]
        assert (infos[0].commit_id, commits[0]["date"]) == heads[(repo_type, repo_id)]
        assert infos[-1].title == "initial commit" and infos[-1].authors == ["system"]
        assert all(a.created_at > b.created_at for a, b in zip(infos, infos[1:]))  # newest first
        n += 1
    assert n == len(heads)  # every repo has its commits
    for repo_type, repo_id, discussions in snap.iter_discussions():
        nums = [d["num"] for d in discussions]
        assert nums == sorted(nums, reverse=True)
        for d in discussions:  # what get_repo_discussions builds
            Discussion(
                title=d["title"],
                num=d["num"],
                author=d.get("author", {}).get("name", "deleted"),
                created_at=parse_datetime(d["createdAt"]),
                status=d["status"],
                repo_id=d["repo"]["name"],
                repo_type=d["repo"]["type"],
                is_pull_request=d["isPullRequest"],
                endpoint="http://x",
            )
            assert d["repo"] == {"name": repo_id, "type": repo_type}
    listed = set(heads)
    assert all((t, r) in listed for t, r, _ in snap.iter_outcomes())
    gated = {(t, r) for t, r, o in snap.iter_outcomes() if o == "gated"}
    assert all(rec["gated"] for t in classes for rec in snap.iter_repos(t) if (t, rec["id"]) in gated)
    # the demo size still shows the shape: mostly zero likes, a space using runwayml/stable-diffusion-v1-5
    models = list(snap.iter_repos("model"))
    assert 0.85 < np.mean([r["likes"] == 0 for r in models]) < 0.95
    assert any("runwayml/stable-diffusion-v1-5" in s.get("models", []) for s in snap.iter_repos("space"))


def test_ids_and_dates_are_the_plain_formulas():
    """hex_id, object_id and hub_date are fast forms of format()/strftime(): the same text for
    the same draws (a snapshot of a seed stays byte for byte what it was)."""
    a, b = random.Random(3), random.Random(3)
    for chars in (1, 7, 16, 24, 40):
        for _ in range(200):
            assert hex_id(a, chars) == format(b.getrandbits(chars * 4), f"0{chars}x")
    for epoch in (0, 1, 2**32 - 1, 2**32 + 5, 1_697_760_000):
        assert object_id(a, epoch) == format(epoch & 0xFFFFFFFF, "08x") + format(b.getrandbits(64), "016x")
    ends = [calendar.timegm(t) for t in [(2023, 12, 31, 23, 59, 59), (2024, 2, 29, 0, 0, 0), (2024, 3, 1, 0, 0, 0)]]
    epochs = [-86_401, -1, 0, 59, 3599, 86_399, 86_400, *ends, *(a.randrange(10**10) for _ in range(5000))]
    for epoch in epochs:
        assert hub_date(epoch) == time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(epoch)), epoch


def test_deterministic_for_a_seed(tmp_path):
    sizes = {"models": 400, "datasets": 80, "spaces": 160}
    a = generate(tmp_path / "a", seed=5, **sizes)
    # The same seed in another process with another string-hash seed: nothing may depend on set order.
    b = tmp_path / "b"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "hubwh.cli",
            "synth",
            "--out",
            str(b),
            "--seed",
            "5",
            "--quiet",
            *[f"--{k}={v}" for k, v in sizes.items()],
        ],
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    c = generate(tmp_path / "c", seed=6, **sizes)
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert "ground_truth.json.gz" in names and "commits.jsonl.gz" in names
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / "models.jsonl.gz").read_bytes() != (c / "models.jsonl.gz").read_bytes()
    assert Snapshot(a).count("models") == 400 and Snapshot(a).count("spaces") == 160


def test_cli(tmp_path, capsys):
    from hubwh.cli import main

    assert (
        main(
            ["synth", "--out", str(tmp_path / "h"), "--models", "50", "--datasets", "5", "--spaces", "9", "--seed", "1"]
        )
        == 0
    )
    assert "50 models" in capsys.readouterr().out
    snap = Snapshot(tmp_path / "h")
    assert (snap.count("models"), snap.count("datasets"), snap.count("spaces")) == (50, 5, 9)
    assert snap.manifest["seed"] == 1 and snap.manifest["created_at"] == "2023-10-20T00:00:00Z"
    assert main(["synth", "--out", str(tmp_path / "x"), "--models", "-1"]) == 2
    assert "non-negative" in capsys.readouterr().err
