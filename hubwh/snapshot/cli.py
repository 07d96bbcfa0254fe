"""`hubwh snapshot from-pages ...` and `hubwh snapshot info DIR`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hubwh.snapshot.format import GROUND_TRUTH_FILE, Snapshot


def _from_pages(args) -> int:
    from hubwh.snapshot.from_pages import build_from_pages

    report = build_from_pages(
        args.out, models=args.models, datasets=args.datasets, spaces=args.spaces, created_at=args.created_at
    )
    print(f"wrote {args.out}")
    print(report.summary())
    if report.problems:
        shown = report.problems[:50]
        for line in shown:
            print(f"warning: {line}", file=sys.stderr)
        if len(report.problems) > len(shown):
            print(f"warning: ... and {len(report.problems) - len(shown)} more", file=sys.stderr)
        print(
            f"hubwh snapshot: {len(report.problems)} bad pages or items skipped (the rest was written)", file=sys.stderr
        )
        return 1
    return 0


def _info(args) -> int:
    snap = Snapshot(args.dir)
    m = snap.manifest
    print(f"snapshot   {snap.path}")
    print(f"format     {m.get('format')}  source {m.get('source')}  seed {m.get('seed')}")
    print(f"created_at {m.get('created_at')}  generator {m.get('generator')}")
    for name, count in sorted(m.get("counts", {}).items()):
        path = Path(snap.path) / f"{name}.jsonl.gz"
        size = path.stat().st_size if path.is_file() else 0
        print(f"  {name:<12} {count:>12,} records  {size / 1e6:10.2f} MB")
    truth = snap.ground_truth()
    if truth is not None:
        sizes = ", ".join(f"{k} {len(v) if isinstance(v, (list, dict)) else v}" for k, v in sorted(truth.items()))
        print(f"  {GROUND_TRUTH_FILE}: {sizes}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hubwh snapshot", description="Build or inspect Hub snapshots.")
    sub = parser.add_subparsers(dest="command", required=True)
    pages = sub.add_parser("from-pages", help="build a snapshot from raw list pages (JSON arrays, plain or gzipped)")
    # Any one of the three will do: a repo type without a folder has no repos in the snapshot.
    pages.add_argument("--models", help="folder of GET /api/models pages")
    pages.add_argument("--datasets", help="folder of GET /api/datasets pages")
    pages.add_argument("--spaces", help="folder of GET /api/spaces pages")
    pages.add_argument("--out", required=True, help="snapshot folder to write")
    pages.add_argument("--created-at", help="the snapshot's date (default: the newest date in its records)")
    info = sub.add_parser("info", help="print a snapshot's manifest and file sizes")
    info.add_argument("dir", help="snapshot folder")
    args = parser.parse_args(argv)
    return _from_pages(args) if args.command == "from-pages" else _info(args)
