"""Replay of a real crawl: the 175,000 raw `GET /api/datasets` pages of July 2024
(../shared/real-data) written as a snapshot, served by the emulator and listed
with the real client's `list_datasets()`: every dataset comes back, in the
pages' order (none has a trendingScore, so ties keep line order), with every
field it had and no other."""

from __future__ import annotations

import gzip
import json
from datetime import datetime

import pytest
from conftest import shared_path
from huggingface_hub import HfApi

from hubwh.emulator import Emulator
from hubwh.snapshot import SnapshotWriter

# Wire key -> DatasetInfo attribute, for every key the 2024 pages carry.
ATTRS = {
    "_id": "_id",
    "id": "id",
    "author": "author",
    "disabled": "disabled",
    "gated": "gated",
    "lastModified": "last_modified",
    "likes": "likes",
    "private": "private",
    "sha": "sha",
    "downloads": "downloads",
    "tags": "tags",
    "createdAt": "created_at",
    "key": "key",
    "description": "description",
    "citation": "citation",
    "paperswithcode_id": "paperswithcode_id",
}


def _wire(info) -> dict:
    out = {}
    for key, attr in ATTRS.items():
        value = getattr(info, attr, None)
        if isinstance(value, datetime):
            value = value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
        if value is not None:
            out[key] = value
    return out


@pytest.mark.slow
@pytest.mark.shared
def test_replaying_the_2024_datasets_list_returns_every_dataset_intact(tmp_path):
    pages = sorted(shared_path("real-data", "hub-2024-07", "datasets-list").glob("*.json*"))
    records = []
    for page in pages:
        opener = gzip.open if page.suffix == ".gz" else open
        with opener(page, "rt", encoding="utf-8") as fh:
            records += json.load(fh)
    assert len(records) == 175_000
    with SnapshotWriter(tmp_path / "hub", source="pages", created_at="2024-07-09T00:00:00Z") as writer:
        for record in records:
            writer.add_repo("dataset", record)
    with Emulator(tmp_path / "hub") as emu:
        got = list(HfApi(endpoint=emu.url, token=False).list_datasets())
        assert emu.counts()["list:dataset"] == 175  # pages of 1,000
    assert len(got) == len(records)
    assert [d.id for d in got] == [r["id"] for r in records]
    for info, record in zip(got, records):
        assert set(record) <= set(ATTRS)
        assert _wire(info) == record, record["id"]
