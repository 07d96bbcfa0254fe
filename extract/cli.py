"""`hubwh crawl`: crawl the Hub (or an emulator) into the DuckDB file's raw schema."""

from __future__ import annotations

import argparse
import logging

from extract.ratelimit import parse_budget
from extract.scope import REPO_TYPES
from extract.shard import Shard
from hubwh.errors import HubwhError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="hubwh crawl",
        description="Crawl the Hugging Face Hub (or a Hub emulator) into the raw schema of the DuckDB file "
        "($HUBWH_DB). Incremental: a re-run fetches only what changed. Resumable: re-run after "
        "a crash. Uses HF_TOKEN or the stored token when present (never stored).",
    )
    p.add_argument("--endpoint", help="Hub URL (default: $HF_ENDPOINT or https://huggingface.co)")
    p.add_argument("--db", help="DuckDB file (default: $HUBWH_DB or warehouse.duckdb in the project)")
    p.add_argument("--types", default=",".join(REPO_TYPES), help="comma list of model,dataset,space")
    p.add_argument("--author", help="only repos of this user or organisation")
    p.add_argument(
        "--filter", action="append", default=[], metavar="TAG", help="only repos with this tag (repeat: all must match)"
    )
    p.add_argument("--limit", type=int, help="at most N repos of each type")
    p.add_argument("--sample", type=float, metavar="FRACTION", help="a reproducible random sample of repos")
    p.add_argument("--seed", type=int, default=0, help="seed of --sample (default 0)")
    p.add_argument(
        "--shard",
        metavar="I/N",
        help="crawl only shard I of N (repos split by a stable hash of type and id): N machines, "
        "each with its own token, crawl one Hub into one warehouse without writing the same rows",
    )
    p.add_argument("--no-commits", action="store_true", help="do not fetch commits")
    p.add_argument("--no-discussions", action="store_true", help="do not fetch discussions")
    p.add_argument(
        "--budget",
        default="1000/300",
        help="client-side rate limit CALLS/SECONDS, or 'none' (default 1000/300, the free tier)",
    )
    p.add_argument("--workers", type=int, default=8, help="parallel per-repo fetches (default 8)")
    p.add_argument(
        "--discussions-ttl-days",
        type=float,
        default=7.0,
        help="re-fetch discussions of unchanged repos after this many days (default 7)",
    )
    p.add_argument(
        "--flush-seconds",
        type=float,
        default=5.0,
        help="load fetched results at least this often: what a crash can lose (default 5)",
    )
    p.add_argument("--pipelines-dir", help="dlt's working folder (default .dlt/pipelines in the project)")
    p.add_argument("--anonymous", action="store_true", help="send no token even if one is configured")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.add_argument("-v", "--verbose", action="store_true", help="log retries and skipped records")
    return p


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    if args.verbose:
        logging.getLogger("extract").setLevel(logging.DEBUG)
    if args.workers < 1:
        raise HubwhError("--workers must be at least 1")
    shard = Shard.parse(args.shard)  # before any network or file access: a bad value is one line
    from extract.pipeline import crawl
    from extract.progress import print_summary

    summary = crawl(
        endpoint=args.endpoint,
        db_path=args.db,
        types=tuple(t.strip() for t in args.types.split(",") if t.strip()),
        author=args.author,
        filter=args.filter,
        limit=args.limit,
        sample=args.sample,
        seed=args.seed,
        commits=not args.no_commits,
        discussions=not args.no_discussions,
        budget=parse_budget(args.budget),
        token=False if args.anonymous else None,
        workers=args.workers,
        discussions_ttl_days=args.discussions_ttl_days,
        progress=not args.no_progress,
        pipelines_dir=args.pipelines_dir,
        flush_seconds=args.flush_seconds,
        shard=shard,
    )
    print_summary(summary)
    return 0
