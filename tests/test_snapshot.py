"""The snapshot format (docs/snapshot-format.md): writer/reader round trip,
`snapshot from-pages` on hand-made pages, and the `hubwh snapshot` command."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

from hubwh.cli import main as hubwh_main
from hubwh.errors import HubwhError
from hubwh.snapshot import Snapshot, SnapshotWriter
from hubwh.snapshot.from_pages import build_from_pages

MODEL = {
    "_id": "621ffdc036468d709f174338",
    "id": "openai-community/gpt2",
    "likes": 2900,
    "trendingScore": 3,
    "private": False,
    "downloads": 11,
    "tags": ["license:mit", "région:ü"],
    "createdAt": "2022-03-02T23:29:04.000Z",
    "modelId": "openai-community/gpt2",
}
COMMITS = [
    {
        "id": "a" * 40,
        "title": "Mise à jour",
        "message": "",
        "authors": [{"user": "lysandre"}, {"user": "x"}],
        "date": "2024-02-19T10:57:45.000Z",
    },
    {
        "id": "b" * 40,
        "title": "initial commit",
        "message": "",
        "authors": [{"user": "system"}],
        "date": "2019-02-18T10:36:15.000Z",
    },
]
DISCUSSIONS = [
    {
        "num": 2,
        "repo": {"name": "openai-community/gpt2", "type": "model"},
        "title": "日本語?",
        "createdAt": "2025-10-28T09:01:44.000Z",
        "status": "open",
        "isPullRequest": False,
    }
]


def test_round_trip(tmp_path):
    out = tmp_path / "snap"
    with SnapshotWriter(out, source="synthetic", seed=3, created_at="2023-10-20T00:00:00Z", params={"models": 1}) as w:
        w.add_repo("model", MODEL)
        w.add_repo("dataset", {"id": "squad"})
        w.add_commits("model", MODEL["id"], COMMITS)
        w.add_discussions("model", MODEL["id"], DISCUSSIONS)
        w.add_outcome("dataset", "squad", "gated")
        w.add_ground_truth({"aliases": [["Jessica Smith", "jessicasmith"]], "bots": ["SFconvertbot"]})
    snap = Snapshot(out)
    assert list(snap.iter_repos("model")) == [MODEL]
    assert list(MODEL) == list(next(snap.iter_repos("model")))  # field order kept
    assert list(snap.iter_repos("dataset")) == [{"id": "squad"}]
    assert list(snap.iter_repos("space")) == []
    assert list(snap.iter_commits()) == [("model", MODEL["id"], COMMITS)]
    assert list(snap.iter_discussions()) == [("model", MODEL["id"], DISCUSSIONS)]
    assert list(snap.iter_outcomes()) == [("dataset", "squad", "gated")]
    assert snap.ground_truth() == {"aliases": [["Jessica Smith", "jessicasmith"]], "bots": ["SFconvertbot"]}
    assert snap.count("models") == 1 and snap.count("spaces") == 0 and snap.count("commits") == 1
    assert snap.manifest["seed"] == 3 and snap.manifest["source"] == "synthetic"
    assert (out / "spaces.jsonl.gz").is_file()  # the three lists always exist
    # UTF-8 as is, not \u escapes
    assert "Mise à jour".encode() in gzip.decompress((out / "commits.jsonl.gz").read_bytes())


def test_writing_over_a_snapshot_leaves_nothing_stale(tmp_path):
    with SnapshotWriter(tmp_path, source="synthetic", created_at="2023-01-01T00:00:00Z") as w:
        w.add_repo("model", {"id": "a/b"})
        w.add_outcome("model", "a/b", "deleted")
        w.add_ground_truth({"aliases": []})
    with SnapshotWriter(tmp_path, source="synthetic", created_at="2023-01-01T00:00:00Z") as w:
        w.add_repo("model", {"id": "c/d"})
    snap = Snapshot(tmp_path)
    assert list(snap.iter_outcomes()) == [] and snap.ground_truth() is None
    assert [r["id"] for r in snap.iter_repos("model")] == ["c/d"]


def test_writer_refuses_bad_input(tmp_path):
    with SnapshotWriter(tmp_path / "s", source="synthetic", created_at="2023-01-01T00:00:00Z") as w:
        with pytest.raises(HubwhError, match="no 'id'"):
            w.add_repo("model", {"likes": 1})
        with pytest.raises(HubwhError, match="unknown outcome"):
            w.add_outcome("model", "a/b", "renamed")
    assert Snapshot(tmp_path / "s").ground_truth() is None


def test_reader_names_bad_file(tmp_path):
    with pytest.raises(HubwhError, match="no manifest.json"):
        Snapshot(tmp_path)
    with SnapshotWriter(tmp_path / "s", source="synthetic", created_at="2023-01-01T00:00:00Z") as w:
        w.add_repo("model", {"id": "a/b"})
    (tmp_path / "s" / "models.jsonl.gz").write_bytes(gzip.compress(b'{"id": "a/b"}\n{not json\n'))
    with pytest.raises(HubwhError, match=r"models.jsonl.gz:2: not valid JSON"):
        list(Snapshot(tmp_path / "s").iter_repos("model"))


def _pages(tmp_path):
    """Hand-made dataset pages: plain and gzipped, a duplicate id, bad items, bad pages."""
    folder = tmp_path / "datasets"
    folder.mkdir()
    first = [
        {"_id": "1" * 24, "id": "a/one", "likes": 1, "tags": ["license:mit"], "description": "ünïcode"},
        {"_id": "2" * 24, "id": "b/two", "author": "b", "likes": 0},
        {"likes": 5},  # bad: no id
        "not an object",
    ]  # bad: not an object
    second = [
        {"_id": "9" * 24, "id": "a/one", "likes": 99},  # duplicate: the first one wins
        {"_id": "3" * 24, "id": "c/three", "gated": "manual", "key": ""},
    ]
    (folder / "page-2.json").write_text(json.dumps(first, ensure_ascii=False))
    (folder / "page-10.json.gz").write_bytes(gzip.compress(json.dumps(second).encode()))
    (folder / "page-11.json").write_text('[{"id": "d/four"')  # truncated: not JSON
    (folder / "page-12.json").write_text('{"error": "rate limited"}')  # an object, not a page
    models = tmp_path / "models"
    models.mkdir()
    (models / "p").write_bytes(gzip.compress(b'[{"_id": "4", "id": "gpt2", "modelId": "gpt2", "likes": 3}]'))
    return models, folder, first, second


def test_from_pages(tmp_path):
    models, datasets, first, second = _pages(tmp_path)
    report = build_from_pages(tmp_path / "out", models=models, datasets=datasets)
    snap = Snapshot(tmp_path / "out")
    records = list(snap.iter_repos("dataset"))
    # page-2 before page-10 (natural order); each record exactly as it came, no field invented
    assert records == [first[0], first[1], second[1]]
    assert "author" not in records[0] and "lastModified" not in records[0] and "sha" not in records[0]
    assert list(snap.iter_repos("model")) == [{"_id": "4", "id": "gpt2", "modelId": "gpt2", "likes": 3}]
    assert list(snap.iter_repos("space")) == [] and list(snap.iter_commits()) == []
    assert report.kept == {"model": 1, "dataset": 3}
    assert report.duplicates["dataset"] == 1 and report.bad_items["dataset"] == 2
    assert report.pages["dataset"] == 2  # two good pages of four
    problems = "\n".join(report.problems)
    assert "page-11.json: skipped the page: not valid JSON" in problems
    assert "page-12.json: skipped the page: not a JSON array" in problems
    assert "page-2.json: item 2 skipped" in problems and "page-2.json: item 3 skipped" in problems
    assert snap.manifest["source"] == "pages" and snap.manifest["seed"] is None
    assert snap.manifest["params"]["report"]["bad_items"] == {"model": 0, "dataset": 2}


def test_from_pages_missing_folder(tmp_path):
    with pytest.raises(HubwhError, match="not a folder of list pages"):
        build_from_pages(tmp_path / "out", models=tmp_path / "nope", datasets=tmp_path)


def test_snapshot_cli(tmp_path, capsys):
    models, datasets, _, _ = _pages(tmp_path)
    out = tmp_path / "out"
    rc = hubwh_main(
        [
            "snapshot",
            "from-pages",
            "--models",
            str(models),
            "--datasets",
            str(datasets),
            "--out",
            str(out),
            "--created-at",
            "2024-07-09T00:00:00Z",
        ]
    )
    captured = capsys.readouterr()
    assert rc == 1  # written, but bad input was skipped
    assert "datasets: 2 pages, 6 items, 3 kept, 1 duplicates, 2 bad items" in captured.out
    assert "page-11.json" in captured.err and "4 bad pages or items skipped" in captured.err
    assert Snapshot(out).manifest["created_at"] == "2024-07-09T00:00:00Z"
    # a missing folder: one clear line, status 2, no traceback
    rc = hubwh_main(
        [
            "snapshot",
            "from-pages",
            "--models",
            str(tmp_path / "nope"),
            "--datasets",
            str(datasets),
            "--out",
            str(tmp_path / "o2"),
        ]
    )
    captured = capsys.readouterr()
    assert rc == 2 and "not a folder of list pages" in captured.err and "Traceback" not in captured.err
    # `hubwh snapshot info` as a real process
    proc = subprocess.run(
        [sys.executable, "-m", "hubwh.cli", "snapshot", "info", str(out)], capture_output=True, text=True, check=True
    )
    assert "source pages" in proc.stdout
    assert "datasets" in proc.stdout and "3 records" in proc.stdout


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hubwh.cli", *args], capture_output=True, text=True, timeout=120)


def test_from_pages_takes_a_folder_of_model_pages_alone(tmp_path):
    """Model pages alone (no --datasets, no --spaces) make a snapshot; the pages are the
    emulator's own answers to GET /api/models, paged through its Link cursors."""
    import httpx2

    from hubwh.emulator import Emulator, sample

    pages = tmp_path / "model-pages"
    pages.mkdir()
    listed = []
    with Emulator(sample.write_sample_hub(tmp_path / "hub"), page_size=4) as emu:
        url = f"{emu.url}/api/models"
        while url:
            r = httpx2.get(url)
            r.raise_for_status()
            listed += r.json()
            n = len(list(pages.iterdir())) + 1
            # every other page gzipped, as a crawl may store them
            (pages / f"page-{n}.json").write_bytes(gzip.compress(r.content) if n % 2 else r.content)
            url = r.links.get("next", {}).get("url")
    n_pages = len(list(pages.iterdir()))
    assert n_pages >= 3

    out = tmp_path / "snap"
    proc = _cli("snapshot", "from-pages", "--models", str(pages), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert (
        proc.stdout.splitlines()[-1]
        == f"models: {n_pages} pages, {len(listed)} items, {len(listed)} kept, 0 duplicates, 0 bad items"
    )
    snap = Snapshot(out)
    assert list(snap.iter_repos("model")) == listed  # each record as listed, in page order
    assert list(snap.iter_repos("dataset")) == [] and list(snap.iter_repos("space")) == []
    assert snap.manifest["params"]["models"] == str(pages) and "datasets" not in snap.manifest["params"]
    # ... and the snapshot serves
    with Emulator(out) as emu:
        assert len(httpx2.get(f"{emu.url}/api/models?limit=1000").json()) == len(listed)


def test_from_pages_without_any_folder_says_so_in_one_line(tmp_path):
    proc = _cli("snapshot", "from-pages", "--out", str(tmp_path / "snap"))
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "hubwh snapshot: no list pages given: name a folder of them with --models, --datasets or --spaces"
    ]
    assert not (tmp_path / "snap").exists()


def test_records_orjson_refuses_are_written_by_the_json_module(tmp_path):
    from hubwh.snapshot.format import Snapshot, SnapshotWriter

    big = {"id": "o/big", "downloads": 2**70, "cardData": {1: "key that is not text"}, "likes": 1.5e-7}
    with SnapshotWriter(tmp_path, source="synthetic", created_at="2023-01-01T00:00:00Z") as w:
        w.add_repo("model", {"id": "o/plain", "tags": ["é", "😀"]})
        w.add_repo("model", big)
    records = list(Snapshot(tmp_path).iter_repos("model"))
    assert records == [{"id": "o/plain", "tags": ["é", "😀"]}, {**big, "cardData": {"1": "key that is not text"}}]
