"""The snapshot in memory, indexed for the emulator's endpoints.

Memory matters (a paper-scale snapshot has ~570k repos and ~2M commits), so a
repo record is kept as its raw JSON bytes and parsed only when a page holding it
is served; what listing needs for every repo (id, author, private flag, sort keys,
tags) is held in compact indexes beside it. Commit and discussion lists are kept
per repo as the raw bytes of their JSON array, parsed on demand.

Mutations (`Store.mutate_repo`) are rare (tests simulating a Hub change): they
take the store's lock, rewrite the record and bump `RepoTable.version`, which
invalidates the cached sort orders.
"""

from __future__ import annotations

import bisect
import json
import math
import threading
import zlib
from array import array
from collections import OrderedDict
from pathlib import Path

from hubwh.errors import HubwhError
from hubwh.snapshot.format import (
    COMMITS_FILE,
    DISCUSSIONS_FILE,
    REPO_FILES,
    REPO_TYPES,
    Snapshot,
    iter_gz_lines,
    json_problem,
)

# Sort keys the list endpoints accept (wire names; the client maps its own
# snake_case names to these). Numeric keys sort missing values last, date keys
# compare as ISO strings (the Hub's fixed-width format sorts chronologically).
NUMERIC_SORTS = ("likes", "downloads", "downloadsAllTime", "trendingScore")
DATE_SORTS = ("createdAt", "lastModified")
SORT_ALIASES = {
    "created_at": "createdAt",
    "last_modified": "lastModified",
    "trending_score": "trendingScore",
    "downloads_all_time": "downloadsAllTime",
    # huggingface.js sorts by 30-day likes; the snapshot only holds total likes.
    "likes30d": "likes",
}
SORTS = NUMERIC_SORTS + DATE_SORTS + ("id",)

_MISSING_NUM = -math.inf

# A model's `spaces` (info, expand=spaces) lists at most 100 spaces on the real
# Hub (seen in the 2024 model_info bodies of real Hub API output): a complete
# space -> model edge list has to come from the spaces' own `models`.
SPACES_CAP = 100


def dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def namespace_of(record: dict) -> str | None:
    """The namespace `author=` matches: the record's author, else the id's prefix."""
    author = record.get("author")
    if isinstance(author, str) and author:
        return author
    repo_id = record["id"]
    return repo_id.split("/", 1)[0] if "/" in repo_id else None


def _num(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _MISSING_NUM
    return float(value)


def _date(value) -> str:
    return value if isinstance(value, str) else ""


class RepoTable:
    """All records of one repo type, in snapshot line order (the tie-break order)."""

    def __init__(self, repo_type: str):
        self.repo_type = repo_type
        self.raw: list[bytes] = []  # record JSON, one per line index
        self.ids: list[str] = []
        self.index: dict[str, int] = {}  # repo id -> line index
        self.ids_lower: list[str] = []  # for `search`
        self.private = bytearray()  # 1 when the record says private: true
        self.numeric = {key: array("d") for key in NUMERIC_SORTS}
        self.dates: dict[str, list[str]] = {key: [] for key in DATE_SORTS}
        self.by_tag: dict[str, list[int]] = {}  # tag -> ascending line indexes
        self.by_author: dict[str, list[int]] = {}
        self.pipeline_tag: list[str | None] = []
        self.gated: bytearray = bytearray()  # 1 when gated is "auto"/"manual"
        self.version = 0  # bumped on every mutation
        self._orders: dict[str, tuple[int, list[int]]] = {}
        self._filtered: OrderedDict = OrderedDict()
        self.lock = threading.RLock()

    def __len__(self) -> int:
        return len(self.raw)

    # -- building -------------------------------------------------------------
    def add(self, raw: bytes, record: dict) -> None:
        repo_id = record["id"]
        if repo_id in self.index:
            raise HubwhError(f"{self.repo_type} {repo_id!r} appears twice in the snapshot")
        i = len(self.raw)
        self.raw.append(raw)
        self.ids.append(repo_id)
        self.index[repo_id] = i
        self.ids_lower.append(repo_id.lower())
        self.private.append(1 if record.get("private") is True else 0)
        self.pipeline_tag.append(record.get("pipeline_tag"))
        self.gated.append(1 if record.get("gated") not in (None, False) else 0)
        for key in NUMERIC_SORTS:
            self.numeric[key].append(_num(record.get(key)))
        for key in DATE_SORTS:
            self.dates[key].append(_date(record.get(key)))
        for tag in _tags(record):
            self.by_tag.setdefault(tag, []).append(i)
        author = namespace_of(record)
        if author is not None:
            self.by_author.setdefault(author, []).append(i)

    # -- reading --------------------------------------------------------------
    def record(self, i: int) -> dict:
        return json.loads(self.raw[i])

    def sort_value(self, key: str, i: int):
        if key in self.numeric:
            return self.numeric[key][i]
        if key in self.dates:
            return self.dates[key][i]
        return self.ids[i]

    def position_key(self, key: str, i: int) -> tuple:
        """Descending order is by (value, -line index) reversed: value high first,
        then snapshot line order among equal values."""
        return (self.sort_value(key, i), -i)

    def order(self, key: str) -> list[int]:
        """All line indexes sorted by `key` descending (cached per version)."""
        with self.lock:
            cached = self._orders.get(key)
            if cached is not None and cached[0] == self.version:
                return cached[1]
            if key in self.numeric:
                values = self.numeric[key]
            elif key in self.dates:
                values = self.dates[key]
            else:
                values = self.ids
            order = sorted(range(len(values)), key=lambda i: (values[i], -i), reverse=True)
            self._orders[key] = (self.version, order)
            return order

    def filtered_order(self, key: str, signature: tuple, predicate_set) -> list[int]:
        """The order for `key` restricted to a filter, cached by the filter's
        signature so that paging through a filtered sweep is not quadratic."""
        cache_key = (key, signature)
        with self.lock:
            hit = self._filtered.get(cache_key)
            if hit is not None and hit[0] == self.version:
                self._filtered.move_to_end(cache_key)
                return hit[1]
        members = predicate_set()
        base = self.order(key)
        if members is None:
            result = base
        else:
            result = [i for i in base if i in members]
        with self.lock:
            self._filtered[cache_key] = (self.version, result)
            while len(self._filtered) > 32:
                self._filtered.popitem(last=False)
        return result

    # -- mutation -------------------------------------------------------------
    def replace(self, i: int, record: dict) -> None:
        """Rewrite record i (same id) and refresh its index entries."""
        old = self.record(i)
        self.raw[i] = dumps(record)
        self.private[i] = 1 if record.get("private") is True else 0
        self.pipeline_tag[i] = record.get("pipeline_tag")
        self.gated[i] = 1 if record.get("gated") not in (None, False) else 0
        for key in NUMERIC_SORTS:
            self.numeric[key][i] = _num(record.get(key))
        for key in DATE_SORTS:
            self.dates[key][i] = _date(record.get(key))
        old_tags, new_tags = set(_tags(old)), set(_tags(record))
        for tag in old_tags - new_tags:
            self.by_tag[tag].remove(i)
        for tag in new_tags - old_tags:
            bisect.insort(self.by_tag.setdefault(tag, []), i)
        old_author, new_author = namespace_of(old), namespace_of(record)
        if old_author != new_author:
            if old_author is not None:
                self.by_author[old_author].remove(i)
            if new_author is not None:
                bisect.insort(self.by_author.setdefault(new_author, []), i)
        self.version += 1


# Commit and discussion arrays are most of a snapshot's bytes (~800 MB of commits
# at the paper's scale): the longer ones are kept zlib-compressed (about 5x
# smaller), which costs microseconds per request. A raw array starts with `[`,
# a zlib stream with 0x78, so the two never mix up.
_COMPRESS_OVER = 1024


def pack_array(raw: bytes) -> bytes:
    return zlib.compress(raw, 1) if len(raw) > _COMPRESS_OVER else raw


def unpack_array(packed: bytes) -> list:
    return json.loads(packed if packed[:1] == b"[" else zlib.decompress(packed))


def _tags(record: dict) -> list[str]:
    tags = record.get("tags")
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def _iter_per_repo(path: Path, list_key: str):
    """(repo_type, repo_id, raw JSON array bytes) per line of a per-repo file.

    Lines as SnapshotWriter writes them (`{"repo_type":..,"repo_id":..,"commits":[..]}`)
    are split without parsing the array (a repo id cannot hold a quote, so the
    first `,"commits":` is the key); any other layout is parsed whole."""
    key = b',"' + list_key.encode() + b'":'
    for lineno, line in iter_gz_lines(path):
        pos = line.find(key) if line.startswith(b'{"repo_type":') else -1
        if pos > 0 and line.endswith(b"]}"):
            try:
                head = json.loads(line[:pos] + b"}")
                array_bytes = line[pos + len(key) : -1]
                if array_bytes.startswith(b"["):
                    yield head["repo_type"], head["repo_id"], array_bytes
                    continue
            except (ValueError, KeyError, TypeError):
                pass
        try:  # any other layout: parse the whole line
            row = json.loads(line)
        except ValueError as exc:
            raise HubwhError(f"{path}:{lineno}: {json_problem(exc, in_line=True)}") from None
        try:
            repo_type, repo_id, items = row["repo_type"], row["repo_id"], row[list_key]
        except (KeyError, TypeError):
            raise HubwhError(
                f"{path}:{lineno}: not a per-repo line (an object with repo_type, repo_id, {list_key})"
            ) from None
        yield repo_type, repo_id, dumps(items)


class Store:
    """A snapshot loaded for serving."""

    def __init__(self, snapshot_dir: str | Path):
        snap = Snapshot(snapshot_dir)
        self.path = snap.path
        self.manifest = snap.manifest
        self.lock = threading.RLock()
        self.tables: dict[str, RepoTable] = {t: RepoTable(t) for t in REPO_TYPES}
        for repo_type in REPO_TYPES:
            table = self.tables[repo_type]
            path = snap.path / REPO_FILES[repo_type]
            if not path.is_file():
                continue
            for lineno, line in iter_gz_lines(path):
                try:
                    record = json.loads(line)
                except ValueError as exc:
                    raise HubwhError(f"{path}:{lineno}: {json_problem(exc, in_line=True)}") from None
                if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                    raise HubwhError(f"{path}:{lineno}: a {repo_type} record needs a string 'id'")
                table.add(line, record)
        # (repo_type, repo_id) -> raw JSON array bytes
        self.commits: dict[tuple[str, str], bytes] = {}
        self.discussions: dict[tuple[str, str], bytes] = {}
        for name, key, target in (
            (COMMITS_FILE, "commits", self.commits),
            (DISCUSSIONS_FILE, "discussions", self.discussions),
        ):
            path = snap.path / name
            if path.is_file():
                for repo_type, repo_id, raw in _iter_per_repo(path, key):
                    target[(repo_type, repo_id)] = pack_array(raw)
        self.outcomes: dict[tuple[str, str], str] = {(t, i): o for t, i, o in snap.iter_outcomes()}
        self._build_links()

    def _build_links(self) -> None:
        """Which spaces use each model / dataset (from the spaces' `models` and
        `datasets` fields): model_info's `spaces` and the `models=` filter."""
        spaces = self.tables["space"]
        self.spaces_using: dict[str, dict[str, list[int]]] = {"model": {}, "dataset": {}}
        self.has_space_links = False
        for i in range(len(spaces)):
            raw = spaces.raw[i]
            if b'"models"' not in raw and b'"datasets"' not in raw:
                continue
            record = spaces.record(i)
            for field, repo_type in (("models", "model"), ("datasets", "dataset")):
                value = record.get(field)
                if isinstance(value, list):
                    if field == "models":
                        self.has_space_links = True
                    for linked in dict.fromkeys(v for v in value if isinstance(v, str)):
                        self.spaces_using[repo_type].setdefault(linked, []).append(i)

    def spaces_of_model(self, model_id: str) -> list[str] | None:
        """Ids of the spaces using a model (the first SPACES_CAP in snapshot
        order), or None when the snapshot's spaces carry no `models` at all
        (then nothing is known, and nothing is invented)."""
        if not self.has_space_links:
            return None
        ids = self.tables["space"].ids
        return [ids[i] for i in self.spaces_using["model"].get(model_id, [])[:SPACES_CAP]]

    def commit_list(self, repo_type: str, repo_id: str) -> list[dict]:
        packed = self.commits.get((repo_type, repo_id))
        return unpack_array(packed) if packed is not None else []

    def discussion_list(self, repo_type: str, repo_id: str) -> list[dict]:
        packed = self.discussions.get((repo_type, repo_id))
        return unpack_array(packed) if packed is not None else []

    def mutate_repo(
        self, repo_type: str, repo_id: str, *, fields: dict | None = None, new_commit: dict | None = None
    ) -> dict:
        """Simulate a change on the Hub; returns the updated record."""
        if repo_type not in self.tables:
            raise HubwhError(f"unknown repo type {repo_type!r} (expected one of {REPO_TYPES})")
        table = self.tables[repo_type]
        with self.lock, table.lock:
            i = table.index.get(repo_id)
            if i is None:
                raise HubwhError(f"{repo_type} {repo_id!r} is not in the snapshot")
            record = table.record(i)
            if new_commit is not None:
                for key in ("id", "title", "message", "authors", "date"):
                    if key not in new_commit:
                        raise HubwhError(f"new_commit needs {key!r}")
                commits = self.commit_list(repo_type, repo_id)
                commits.insert(0, new_commit)
                self.commits[(repo_type, repo_id)] = pack_array(dumps(commits))
                record["sha"] = new_commit["id"]
                record["lastModified"] = new_commit["date"]
            if fields:
                if "id" in fields and fields["id"] != repo_id:
                    raise HubwhError("mutate_repo cannot rename a repo")
                record.update(fields)
            table.replace(i, record)
            if repo_type == "space" and fields and ("models" in fields or "datasets" in fields):
                self._build_links()
            return record
