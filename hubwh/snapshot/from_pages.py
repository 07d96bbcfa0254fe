"""Build a snapshot from raw list pages as the Hub returned them.

A page is a JSON array of list items (`GET /api/models|datasets|spaces`), plain
or gzipped, under any file name. Records keep exactly the fields they came with
(a default list page has no `author`, `lastModified` or `sha`, and none is
invented). Duplicates (by `id`, which keyset cursors over moving counters
produce) keep the first occurrence, in page-file order. A page that is not
valid JSON or not an array is skipped and reported; so is an item that is not
an object with a string `id`. The rest is kept.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from hubwh.errors import HubwhError
from hubwh.snapshot.format import GZIP_ERRORS, SnapshotWriter, gzip_problem, json_problem


@dataclass
class PagesReport:
    """What from-pages read, kept, and skipped (per repo type)."""

    pages: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    duplicates: dict[str, int] = field(default_factory=dict)
    bad_items: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # one line per bad page / bad item

    def summary(self) -> str:
        lines = []
        for repo_type in self.pages:
            lines.append(
                f"{repo_type}s: {self.pages[repo_type]} pages, {self.items[repo_type]} items, "
                f"{self.kept[repo_type]} kept, {self.duplicates[repo_type]} duplicates, "
                f"{self.bad_items[repo_type]} bad items"
            )
        return "\n".join(lines)


def _page_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise HubwhError(f"{folder}: not a folder of list pages")
    # Natural order (page-2 before page-10): "keep the first" then means the earliest page.
    natural = lambda p: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", p.name)]  # noqa: E731
    files = sorted((p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")), key=natural)
    return files  # an empty folder is allowed: no repos of that type


def _read_page(path: Path) -> list:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":  # gzip magic, whatever the file is called
        try:
            raw = gzip.decompress(raw)
        except GZIP_ERRORS as exc:
            raise ValueError(gzip_problem(exc)) from None
    try:
        value = json.loads(raw.decode("utf-8"))
    except ValueError as exc:  # UnicodeDecodeError included
        raise ValueError(json_problem(exc)) from None
    if not isinstance(value, list):
        raise ValueError(f"not a JSON array (a list page is an array; got {type(value).__name__})")
    return value


def build_from_pages(
    out: str | Path,
    *,
    models: str | Path | None = None,
    datasets: str | Path | None = None,
    spaces: str | Path | None = None,
    created_at: str | None = None,
) -> PagesReport:
    """Write a snapshot at `out` from folders of list pages (at least one of `models`,
    `datasets`, `spaces`; a type without a folder has no repos); return what happened."""
    given = {"model": models, "dataset": datasets, "space": spaces}
    sources = {repo_type: Path(folder) for repo_type, folder in given.items() if folder is not None}
    if not sources:
        raise HubwhError("no list pages given: name a folder of them with --models, --datasets or --spaces")
    files = {repo_type: _page_files(folder) for repo_type, folder in sources.items()}
    report = PagesReport()
    newest = ""
    params = {f"{t}s": str(p) for t, p in sources.items()}
    with SnapshotWriter(out, source="pages", seed=None, created_at=created_at or "", params=params) as writer:
        for repo_type, paths in files.items():
            seen: set[str] = set()
            counts = dict(pages=0, items=0, kept=0, duplicates=0, bad_items=0)
            for path in paths:
                try:
                    page = _read_page(path)
                except (OSError, ValueError) as exc:
                    report.problems.append(f"{path}: skipped the page: {exc}")
                    continue
                counts["pages"] += 1
                for position, item in enumerate(page):
                    counts["items"] += 1
                    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
                        counts["bad_items"] += 1
                        what = "no string 'id'" if isinstance(item, dict) else f"a {type(item).__name__}, not an object"
                        report.problems.append(f"{path}: item {position} skipped: {what}: {str(item)[:120]}")
                        continue
                    if item["id"] in seen:
                        counts["duplicates"] += 1
                        continue
                    seen.add(item["id"])
                    for key in ("lastModified", "createdAt"):
                        value = item.get(key)
                        if isinstance(value, str) and value > newest:
                            newest = value
                    writer.add_repo(repo_type, item)
                    counts["kept"] += 1
            for key, value in counts.items():
                getattr(report, key)[repo_type] = value
        # The snapshot's clock: given, or the newest date its records carry.
        writer.manifest["created_at"] = created_at or newest or None
        writer.manifest["params"]["report"] = {
            k: getattr(report, k) for k in ("pages", "items", "kept", "duplicates", "bad_items")
        }
    return report
