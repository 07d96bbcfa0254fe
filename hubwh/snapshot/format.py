"""Read and write Hub snapshots: gzip JSON Lines, streamed (docs/snapshot-format.md)."""

from __future__ import annotations

import gzip
import json
import zlib
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import orjson

from hubwh.errors import HubwhError

FORMAT = "hubwh-snapshot/1"
REPO_TYPES = ("model", "dataset", "space")
REPO_FILES = {"model": "models.jsonl.gz", "dataset": "datasets.jsonl.gz", "space": "spaces.jsonl.gz"}
COMMITS_FILE = "commits.jsonl.gz"
DISCUSSIONS_FILE = "discussions.jsonl.gz"
OUTCOMES_FILE = "outcomes.jsonl.gz"
OUTCOMES = ("private", "gated", "deleted")
# Optional, not API-shaped: what a synthetic Hub planted (aliases, bots...), for tests.
GROUND_TRUTH_FILE = "ground_truth.json.gz"


def _dumps(value: Any) -> bytes:
    """A record as one compact JSON line (UTF-8, key order kept: records keep the Hub's own
    field order), by orjson, faster than the json module and with the same bytes for the
    synthetic Hub's records (a float may be spelled differently, 1e-7 for 1e-07, and reads back
    equal); what orjson refuses (an integer beyond 64 bits, a key that is not text) goes
    through the json module."""
    try:
        return orjson.dumps(value) + b"\n"
    except TypeError:
        return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


# Lines are compressed in chunks of about this many bytes, on a thread of their own.
CHUNK_BYTES = 1 << 20
# Chunks waiting for the compressing thread before a writer waits for it (memory bound).
PENDING_CHUNKS = 8


class _Compressor:
    """One thread that compresses every file's chunks, in the order they were handed over
    (zlib releases the GIL, so the records of the next chunk are made meanwhile)."""

    def __init__(self):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gzip")
        self._pending: deque[Future] = deque()

    def submit(self, write, data: bytes) -> None:
        self._pending.append(self._pool.submit(write, data))
        while len(self._pending) > PENDING_CHUNKS or (self._pending and self._pending[0].done()):
            self._pending.popleft().result()  # a write that failed raises here

    def close(self) -> None:
        try:
            while self._pending:
                self._pending.popleft().result()
        finally:
            self._pool.shutdown(wait=True)


class _JsonlGzWriter:
    def __init__(self, path: Path, compressor: _Compressor):
        # mtime=0 and no file name in the gzip header: one seed gives byte-identical files.
        raw = open(path, "wb")
        self._gz = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6)
        self._raw = raw
        self._compressor = compressor
        self._lines: list[bytes] = []
        self._size = 0
        self.count = 0

    def write(self, value: Any) -> None:
        line = _dumps(value)
        self._lines.append(line)
        self._size += len(line)
        self.count += 1
        if self._size >= CHUNK_BYTES:
            self.flush()

    def flush(self) -> None:
        if self._lines:
            self._compressor.submit(self._gz.write, b"".join(self._lines))
            self._lines, self._size = [], 0

    def close(self) -> None:
        """Close the file (after the compressor has written every chunk: see SnapshotWriter.close)."""
        self._gz.close()
        self._raw.close()


class SnapshotWriter:
    """Write a snapshot folder record by record.

    >>> with SnapshotWriter(out, source="synthetic", seed=1, created_at="2023-10-01T00:00:00Z") as w:
    ...     w.add_repo("model", {"_id": "...", "id": "org/m", ...})
    ...     w.add_commits("model", "org/m", [...])
    """

    def __init__(
        self,
        path: str | Path,
        *,
        source: str,
        seed: int | None = None,
        created_at: str,
        params: dict | None = None,
        generator: str | None = None,
    ):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        # Writing over an earlier snapshot: drop its files first, so none of them
        # (an outcomes file, a ground truth) lingers into the new one.
        for name in (
            *REPO_FILES.values(),
            COMMITS_FILE,
            DISCUSSIONS_FILE,
            OUTCOMES_FILE,
            GROUND_TRUTH_FILE,
            "manifest.json",
        ):
            (self.path / name).unlink(missing_ok=True)
        from hubwh import __version__

        self.manifest: dict[str, Any] = {
            "format": FORMAT,
            "source": source,
            "generator": generator or f"hubwh {__version__}",
            "seed": seed,
            "created_at": created_at,
            "params": params or {},
        }
        self._writers: dict[str, _JsonlGzWriter] = {}
        self._compressor = _Compressor()

    def _writer(self, name: str) -> _JsonlGzWriter:
        if name not in self._writers:
            self._writers[name] = _JsonlGzWriter(self.path / name, self._compressor)
        return self._writers[name]

    def add_repo(self, repo_type: str, record: dict) -> None:
        if "id" not in record:
            raise HubwhError(f"a {repo_type} record has no 'id': {str(record)[:200]}")
        self._writer(REPO_FILES[repo_type]).write(record)

    def add_commits(self, repo_type: str, repo_id: str, commits: list[dict]) -> None:
        self._writer(COMMITS_FILE).write({"repo_type": repo_type, "repo_id": repo_id, "commits": commits})

    def add_discussions(self, repo_type: str, repo_id: str, discussions: list[dict]) -> None:
        self._writer(DISCUSSIONS_FILE).write({"repo_type": repo_type, "repo_id": repo_id, "discussions": discussions})

    def add_outcome(self, repo_type: str, repo_id: str, outcome: str) -> None:
        if outcome not in OUTCOMES:
            raise HubwhError(f"unknown outcome {outcome!r} (expected one of {OUTCOMES})")
        self._writer(OUTCOMES_FILE).write({"repo_type": repo_type, "repo_id": repo_id, "outcome": outcome})

    def add_ground_truth(self, truth: dict) -> None:
        """Write ground_truth.json.gz (one JSON document; the emulator ignores it)."""
        with open(self.path / GROUND_TRUTH_FILE, "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
                gz.write(json.dumps(truth, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8"))

    def close(self) -> None:
        # The three repo lists always exist, even when empty.
        for name in REPO_FILES.values():
            self._writer(name)
        try:
            for writer in self._writers.values():
                writer.flush()
        finally:
            self._compressor.close()
        counts = {}
        for name, writer in sorted(self._writers.items()):
            writer.close()
            counts[name.removesuffix(".jsonl.gz")] = writer.count
        self.manifest["counts"] = counts
        (self.path / "manifest.json").write_text(json.dumps(self.manifest, indent=2, sort_keys=True) + "\n")

    def __enter__(self) -> SnapshotWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# What reading a gzip file can raise: truncated (EOFError), not gzip or a bad CRC
# (BadGzipFile, an OSError), corrupt deflate data (zlib.error), unreadable (OSError).
GZIP_ERRORS = (OSError, EOFError, zlib.error)


def gzip_problem(exc: BaseException) -> str:
    """What went wrong reading a gzip file, in words (for `path: problem`)."""
    if isinstance(exc, EOFError):
        return "the gzip data ends early (a truncated file?)"
    if isinstance(exc, gzip.BadGzipFile):
        return f"not a valid gzip file ({exc})"
    if isinstance(exc, zlib.error):
        return f"corrupt gzip data ({exc})"
    return f"cannot read it ({getattr(exc, 'strerror', None) or exc})"


def json_problem(exc: ValueError, *, in_line: bool = False) -> str:
    """What is wrong with a JSON text, in words; `in_line`: the text is one JSONL line."""
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 ({exc.reason} at byte {exc.start})"
    if isinstance(exc, json.JSONDecodeError):
        where = f"column {exc.colno}" if in_line else f"line {exc.lineno} column {exc.colno}"
        return f"not valid JSON ({exc.msg}: {where})"
    return f"not valid JSON ({exc})"


def iter_gz_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, line without surrounding blanks) per non-blank line of a gzip file.

    A file that cannot be read to its end raises a HubwhError naming it and the line
    where reading stopped."""
    lineno = 0
    try:
        with gzip.open(path, "rb") as fh:
            for lineno, line in enumerate(fh, 1):
                line = line.strip()
                if line:
                    yield lineno, line
    except GZIP_ERRORS as exc:
        raise HubwhError(f"{path}:{lineno + 1}: {gzip_problem(exc)}") from None


def _iter_numbered(path: Path) -> Iterator[tuple[int, Any]]:
    for lineno, line in iter_gz_lines(path):
        try:
            value = json.loads(line)
        except ValueError as exc:
            raise HubwhError(f"{path}:{lineno}: {json_problem(exc, in_line=True)}") from None
        yield lineno, value


def iter_jsonl_gz(path: Path) -> Iterator[Any]:
    """Yield the JSON values of a gzip JSON Lines file; a bad line (or bad gzip data)
    raises a HubwhError naming the file and the line."""
    for _, value in _iter_numbered(path):
        yield value


def read_json(path: Path, *, gzipped: bool = False) -> Any:
    """One JSON document from a file (gzipped or not); any failure to read or parse it
    raises a HubwhError naming the file."""
    try:
        if gzipped:
            with gzip.open(path, "rb") as fh:
                raw = fh.read()
        else:
            raw = path.read_bytes()
    except GZIP_ERRORS as exc:
        raise HubwhError(f"{path}: {gzip_problem(exc)}") from None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise HubwhError(f"{path}: {json_problem(exc)}") from None


class Snapshot:
    """A snapshot folder, read lazily: every iterator streams its file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        manifest = self.path / "manifest.json"
        if not manifest.is_file():
            raise HubwhError(f"{self.path} is not a Hub snapshot (no manifest.json)")
        self.manifest: dict[str, Any] = read_json(manifest)
        if not isinstance(self.manifest, dict):
            raise HubwhError(f"{manifest}: not a snapshot manifest (a JSON object)")
        if self.manifest.get("format") != FORMAT:
            raise HubwhError(f"{self.path}: unsupported snapshot format {self.manifest.get('format')!r}")

    def _iter(self, name: str) -> Iterator[Any]:
        path = self.path / name
        if path.is_file():
            yield from iter_jsonl_gz(path)

    def _iter_rows(self, name: str, keys: tuple[str, ...]) -> Iterator[tuple]:
        """The `keys` of each line of a per-repo file; a line without them is named."""
        path = self.path / name
        if not path.is_file():
            return
        for lineno, row in _iter_numbered(path):
            if not isinstance(row, dict) or not all(k in row for k in keys):
                raise HubwhError(f"{path}:{lineno}: not a per-repo line (an object with {', '.join(keys)})")
            yield tuple(row[k] for k in keys)

    def iter_repos(self, repo_type: str) -> Iterator[dict]:
        """Repo records of one type, in file order."""
        return self._iter(REPO_FILES[repo_type])

    def iter_commits(self) -> Iterator[tuple[str, str, list[dict]]]:
        """(repo_type, repo_id, commit items newest first) per repo."""
        return self._iter_rows(COMMITS_FILE, ("repo_type", "repo_id", "commits"))

    def iter_discussions(self) -> Iterator[tuple[str, str, list[dict]]]:
        """(repo_type, repo_id, discussion items newest first) per repo."""
        return self._iter_rows(DISCUSSIONS_FILE, ("repo_type", "repo_id", "discussions"))

    def iter_outcomes(self) -> Iterator[tuple[str, str, str]]:
        """(repo_type, repo_id, outcome) per repo with a forced outcome."""
        return self._iter_rows(OUTCOMES_FILE, ("repo_type", "repo_id", "outcome"))

    def ground_truth(self) -> dict | None:
        """The planted facts of a synthetic snapshot (ground_truth.json.gz), or None."""
        path = self.path / GROUND_TRUTH_FILE
        if not path.is_file():
            return None
        return read_json(path, gzipped=True)

    def count(self, name: str) -> int:
        """Record count from the manifest ('models', 'commits', ...)."""
        return int(self.manifest.get("counts", {}).get(name, 0))
