"""`hubwh snapshot from-pages`, `info`, `load` and `dump`: build, inspect, load and write snapshots."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hubwh.snapshot.format import GROUND_TRUTH_FILE, REPO_TYPES, Snapshot


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


def _load(args) -> int:
    from hubwh.snapshot.load import load_snapshot

    result = load_snapshot(
        args.dir,
        args.db,
        types=tuple(t.strip() for t in args.types.split(",") if t.strip()),
        sample=args.sample,
        seed=args.seed,
        commits=not args.no_commits,
        discussions=not args.no_discussions,
        replace=args.replace,
        progress=not args.no_progress,
        pipelines_dir=args.pipelines_dir,
    )
    listed = sum(result.repos_listed.values())
    rate = listed / result.elapsed_s if result.elapsed_s else 0.0
    print(
        f"loaded {args.dir} into {result.db_path} (raw) in {result.elapsed_s:.1f} s: {listed:,} repos ({rate:,.0f}/s)"
    )
    if result.lists_s:
        files = ", ".join(f"{k} {v:.1f} s" for k, v in result.files_s.items())
        print(
            f"  repo lists staged in {result.lists_s:.1f} s ({listed / result.lists_s:,.0f} repos/s); every file in "
            f"{result.stage_s:.1f} s with the checks ({files}); written to raw in {result.load_s:.1f} s"
        )
    for table, n in result.rows.items():
        print(f"  raw.{table:<13} {n:>12,} rows")
    return 0


def _dump(args) -> int:
    from hubwh.paths import warehouse_path
    from hubwh.snapshot.dump import dump_snapshot

    db = Path(args.db).expanduser().resolve() if args.db else warehouse_path()
    counts = dump_snapshot(db, args.out, progress=not args.no_progress)
    print(f"wrote {args.out} from {db}: " + ", ".join(f"{n:,} {name}" for name, n in counts.items()))
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
    load = sub.add_parser(
        "load",
        help="load a snapshot straight into the raw schema (no HTTP), as a crawl of it through the emulator would",
    )
    load.add_argument("dir", help="snapshot folder")
    load.add_argument("--db", help="DuckDB file (default: $HUBWH_DB or warehouse.duckdb in the project)")
    load.add_argument("--types", default=",".join(REPO_TYPES), help="comma list of model,dataset,space")
    load.add_argument("--sample", type=float, metavar="FRACTION", help="the reproducible sample `hubwh crawl` takes")
    load.add_argument("--seed", type=int, default=0, help="seed of --sample (default 0)")
    load.add_argument("--no-commits", action="store_true", help="do not load commits")
    load.add_argument("--no-discussions", action="store_true", help="do not load discussions")
    load.add_argument("--replace", action="store_true", help="replace raw tables that already hold rows")
    load.add_argument("--pipelines-dir", help="dlt's working folder (default .dlt/pipelines in the project)")
    load.add_argument("--no-progress", action="store_true", help="no progress bars")
    dump = sub.add_parser("dump", help="write the warehouse's raw schema as a snapshot")
    dump.add_argument("--out", required=True, help="snapshot folder to write")
    dump.add_argument("--db", help="DuckDB file (default: $HUBWH_DB or warehouse.duckdb in the project)")
    dump.add_argument("--no-progress", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    commands = {"from-pages": _from_pages, "info": _info, "load": _load, "dump": _dump}
    return commands[args.command](args)
