"""The emulator over a small synthetic Hub (hubwh.synth): a full sweep with the
real client returns exactly the snapshot (lists, info, commits, discussions,
forced outcomes), with 8 client threads at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import slow_fixture
from huggingface_hub import HfApi
from huggingface_hub.errors import GatedRepoError, HFValidationError, RepositoryNotFoundError
from huggingface_hub.utils import validate_repo_id

from hubwh.emulator import Emulator
from hubwh.snapshot import Snapshot


@pytest.fixture(scope="module")
@slow_fixture
def small_hub(tmp_path_factory):
    synth = pytest.importorskip("hubwh.synth")
    return synth.generate(tmp_path_factory.mktemp("synth") / "hub", models=300, datasets=60, spaces=120, seed=3)


def _fetchable(repo_id: str) -> bool:
    try:
        validate_repo_id(repo_id)
        return True
    except HFValidationError:
        return False


def test_a_full_sweep_returns_the_snapshot(small_hub):
    snap = Snapshot(small_hub)
    records = {t: list(snap.iter_repos(t)) for t in ("model", "dataset", "space")}
    commits = {(t, i): c for t, i, c in snap.iter_commits()}
    discussions = {(t, i): d for t, i, d in snap.iter_discussions()}
    outcomes = {(t, i): o for t, i, o in snap.iter_outcomes()}
    with Emulator(small_hub, page_size=100) as emu:
        api = HfApi(endpoint=emu.url, token=False)
        listed = {
            "model": [m.id for m in api.list_models(full=True)],
            "dataset": [d.id for d in api.list_datasets(full=True)],
            "space": [s.id for s in api.list_spaces(full=True)],
        }
        for repo_type, ids in listed.items():
            assert sorted(ids) == sorted(r["id"] for r in records[repo_type] if r.get("private") is not True)

        def fetch(item):
            repo_type, record = item
            key = (repo_type, record["id"])
            try:
                info = api.repo_info(record["id"], repo_type=repo_type)
                got_commits = api.list_repo_commits(record["id"], repo_type=repo_type)
                got_discussions = list(api.get_repo_discussions(record["id"], repo_type=repo_type))
            except GatedRepoError:
                return key, "gated"
            except RepositoryNotFoundError:
                return key, "not found"
            assert info.id == record["id"] and info.sha == record.get("sha")
            assert [(c.commit_id, c.authors) for c in got_commits] == [
                (c["id"], [a["user"] for a in c["authors"]]) for c in commits.get(key, [])
            ]
            assert [(d.num, d.author) for d in got_discussions] == [
                (d["num"], d.get("author", {}).get("name", "deleted")) for d in discussions.get(key, [])
            ]
            return key, "ok"

        items = [
            (t, r) for t, rs in records.items() for r in rs if r.get("private") is not True and _fetchable(r["id"])
        ]
        with ThreadPoolExecutor(8) as pool:
            results = dict(pool.map(fetch, items))
    for key, result in results.items():
        expected = {"gated": "gated", "private": "not found", "deleted": "not found"}.get(outcomes.get(key), "ok")
        assert result == expected, key
    assert sum(r == "ok" for r in results.values()) > 0.9 * len(results)
