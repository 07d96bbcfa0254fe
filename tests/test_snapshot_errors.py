"""A damaged snapshot stops `hubwh emulate` (and `hubwh snapshot info`) with one line
that names the file, and the line for a JSON Lines file: status 2, no traceback.
So does damaged input to `hubwh snapshot from-pages` (a warning per page).

Each case damages one file of the small sample snapshot as a disk, a cut-off copy
or a hand edit would, then runs the real command."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hubwh.emulator import sample


@pytest.fixture(scope="module")
def sample_hub(tmp_path_factory) -> Path:
    return sample.write_sample_hub(tmp_path_factory.mktemp("snapshot-errors") / "hub")


@pytest.fixture()
def hub(sample_hub, tmp_path) -> Path:
    """A fresh copy of the sample snapshot, to damage."""
    return Path(shutil.copytree(sample_hub, tmp_path / "hub"))


def _hubwh(*args: str) -> subprocess.CompletedProcess:
    # A damaged snapshot must stop it at once: a timeout here means it started serving.
    return subprocess.run([sys.executable, "-m", "hubwh.cli", *args], capture_output=True, text=True, timeout=60)


def _fails_with_one_line(proc: subprocess.CompletedProcess, command: str) -> str:
    lines = proc.stderr.splitlines()
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert len(lines) == 1 and lines[0].startswith(f"hubwh {command}: "), proc.stderr
    if command == "emulate":
        assert proc.stdout == ""  # no URL: it never served
    return lines[0]


def _lines(path: Path) -> list[bytes]:
    return gzip.decompress(path.read_bytes()).split(b"\n")


def _replace_line(path: Path, lineno: int, new: bytes) -> None:
    lines = _lines(path)
    lines[lineno - 1] = new
    path.write_bytes(gzip.compress(b"\n".join(lines)))


# -- manifest.json ---------------------------------------------------------------
def test_corrupt_manifest_names_the_file(hub):
    manifest = hub / "manifest.json"
    text = manifest.read_text().splitlines(keepends=True)
    manifest.write_text(text[0] + "  ,,\n" + "".join(text[1:]))  # a hand edit gone wrong
    for command in (("emulate", "--snapshot", str(hub)), ("snapshot", "info", str(hub))):
        line = _fails_with_one_line(_hubwh(*command), command[0])
        assert f"{manifest}: not valid JSON (" in line and "line 2 column 3" in line, line


def test_manifest_that_is_not_an_object_names_the_file(hub):
    (hub / "manifest.json").write_text("[]\n")
    line = _fails_with_one_line(_hubwh("emulate", "--snapshot", str(hub)), "emulate")
    assert line == f"hubwh emulate: {hub / 'manifest.json'}: not a snapshot manifest (a JSON object)"


# -- the gzip JSON Lines record files ----------------------------------------------
@pytest.mark.parametrize(
    "name, lineno",
    [
        ("models.jsonl.gz", 3),
        ("datasets.jsonl.gz", 2),
        ("spaces.jsonl.gz", 5),
        ("commits.jsonl.gz", 2),
        ("discussions.jsonl.gz", 1),
        ("outcomes.jsonl.gz", 3),
    ],
)
def test_a_garbled_line_names_the_file_and_the_line(hub, name, lineno):
    path = hub / name
    original = _lines(path)[lineno - 1]
    _replace_line(path, lineno, original[: len(original) // 2])  # a line cut short
    line = _fails_with_one_line(_hubwh("emulate", "--snapshot", str(hub)), "emulate")
    assert line.startswith(f"hubwh emulate: {path}:{lineno}: not valid JSON ("), line


def test_a_line_that_is_not_a_per_repo_record_names_the_file_and_the_line(hub):
    path = hub / "outcomes.jsonl.gz"
    _replace_line(path, 2, json.dumps({"repo_type": "model", "outcome": "gated"}).encode())  # no repo_id
    line = _fails_with_one_line(_hubwh("emulate", "--snapshot", str(hub)), "emulate")
    assert line == (f"hubwh emulate: {path}:2: not a per-repo line (an object with repo_type, repo_id, outcome)")
    path = hub / "commits.jsonl.gz"
    _replace_line(hub / "outcomes.jsonl.gz", 2, b"")  # mend that one (a blank line is skipped)
    _replace_line(path, 4, b'["model", "gpt2", []]')
    line = _fails_with_one_line(_hubwh("emulate", "--snapshot", str(hub)), "emulate")
    assert line == f"hubwh emulate: {path}:4: not a per-repo line (an object with repo_type, repo_id, commits)"


def test_a_record_without_an_id_names_the_file_and_the_line(hub):
    path = hub / "datasets.jsonl.gz"
    _replace_line(path, 4, b'{"id": 7}')
    line = _fails_with_one_line(_hubwh("emulate", "--snapshot", str(hub)), "emulate")
    assert line == f"hubwh emulate: {path}:4: a dataset record needs a string 'id'"


@pytest.mark.parametrize("name", ["models.jsonl.gz", "commits.jsonl.gz", "outcomes.jsonl.gz"])
def test_a_truncated_gzip_file_names_the_file_and_the_line(hub, name):
    path = hub / name
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a copy cut off half way
    line = _fails_with_one_line(_hubwh("emulate", "--snapshot", str(hub)), "emulate")
    prefix = f"hubwh emulate: {path}:"
    assert line.startswith(prefix) and line.endswith(": the gzip data ends early (a truncated file?)"), line
    assert line[len(prefix) :].split(":")[0].isdigit(), line


def test_damaged_gzip_data_names_the_file(hub):
    path = hub / "commits.jsonl.gz"
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 3, len(data) // 3 + 64):
        data[i] ^= 0x5A  # a bad sector
    path.write_bytes(bytes(data))
    line = _fails_with_one_line(_hubwh("emulate", "--snapshot", str(hub)), "emulate")
    assert line.startswith(f"hubwh emulate: {path}:"), line
    assert "corrupt gzip data" in line or "not a valid gzip file" in line, line
    (hub / "spaces.jsonl.gz").write_text('{"id": "a/b"}\n')  # not gzipped at all
    line = _fails_with_one_line(_hubwh("emulate", "--snapshot", str(hub)), "emulate")
    assert line.startswith(f"hubwh emulate: {hub / 'spaces.jsonl.gz'}:1: not a valid gzip file ("), line


# -- ground truth ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "damage, problem",
    [
        (lambda p: p.write_bytes(gzip.compress(b'{"bots": ["SFconvertbot",\n')), "not valid JSON ("),
        (lambda p: p.write_bytes(gzip.compress(b'{"bots": []}')[:15]), "the gzip data ends early"),
    ],
    ids=["bad-json", "truncated"],
)
def test_a_damaged_ground_truth_names_the_file(hub, damage, problem):
    path = hub / "ground_truth.json.gz"
    damage(path)
    line = _fails_with_one_line(_hubwh("snapshot", "info", str(hub)), "snapshot")
    assert line.startswith(f"hubwh snapshot: {path}: {problem}"), line


# -- from-pages inputs -------------------------------------------------------------------
def test_damaged_list_pages_are_named_one_line_each(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    good = gzip.compress(json.dumps([{"id": f"org/m{i}", "likes": i} for i in range(200)]).encode())
    (pages / "page-1.json.gz").write_bytes(good)
    damaged = bytearray(good)
    for i in range(len(damaged) // 3, len(damaged) // 3 + 32):
        damaged[i] ^= 0x5A
    (pages / "page-2.json.gz").write_bytes(bytes(damaged))
    (pages / "page-3.json.gz").write_bytes(good[: len(good) // 2])
    (pages / "page-4.json").write_bytes(b'[{"id": "org/\xff"}]')
    proc = _hubwh("snapshot", "from-pages", "--models", str(pages), "--out", str(tmp_path / "snap"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    warnings = proc.stderr.splitlines()
    assert warnings[0].startswith(f"warning: {pages / 'page-2.json.gz'}: skipped the page: "), warnings
    assert "corrupt gzip data" in warnings[0] or "not a valid gzip file" in warnings[0], warnings
    assert warnings[1] == (
        f"warning: {pages / 'page-3.json.gz'}: skipped the page: the gzip data ends early (a truncated file?)"
    )
    assert warnings[2].startswith(f"warning: {pages / 'page-4.json'}: skipped the page: not UTF-8 ("), warnings
    assert warnings[3:] == ["hubwh snapshot: 3 bad pages or items skipped (the rest was written)"]
    assert "models: 1 pages, 200 items, 200 kept" in proc.stdout
