"""Replaying a real crawl: the 2024 dataset list pages (175,000 datasets, as the
Hub returned them) -> `snapshot from-pages` -> emulator -> the real client's
`list_datasets()` gives back every dataset, in the pages' order (none has a trendingScore, so
ties keep line order), with every field it had and no other."""

from __future__ import annotations

import gzip
import json

import pytest
from conftest import shared_path
from huggingface_hub import HfApi
from huggingface_hub.hf_api import DatasetInfo

from hubwh.snapshot import Snapshot
from hubwh.snapshot.from_pages import build_from_pages


@pytest.mark.slow
@pytest.mark.shared
def test_replay_real_dataset_pages(tmp_path):
    from hubwh.emulator import Emulator

    pages = shared_path("real-data", "hub-2024-07", "datasets-list")
    no_models = tmp_path / "no-models"
    no_models.mkdir()
    report = build_from_pages(tmp_path / "snap", models=no_models, datasets=pages)
    assert report.problems == [] and report.kept["dataset"] == 175_000
    assert Snapshot(tmp_path / "snap").count("datasets") == 175_000

    # The page records themselves, independently of the snapshot (compact JSON per id).
    expected: dict[str, str] = {}
    for path in sorted(pages.iterdir()):
        for item in json.loads(gzip.decompress(path.read_bytes())):
            expected.setdefault(item["id"], json.dumps(item))
    assert len(expected) == 175_000
    order = list(expected)

    with Emulator(tmp_path / "snap") as emu:
        seen = []
        for info in HfApi(endpoint=emu.url, token=False).list_datasets():
            record = json.loads(expected.pop(info.id))
            # What the client makes of the page record itself: same attributes, same values
            # (including the raw `_id` and `key`, and no field the page did not have).
            assert vars(info) == vars(DatasetInfo(**record)), info.id
            seen.append(info.id)
        counts = emu.counts()
    assert seen == order and not expected
    assert counts["list:dataset"] == 175  # paged through Link cursors, 1,000 a page
