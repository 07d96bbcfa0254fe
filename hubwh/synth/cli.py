"""`hubwh synth --out DIR --models N --datasets N --spaces N --seed S`, or
`hubwh synth --refresh-of SNAPSHOT --days 35 --out DIR` (the same Hub later)."""

from __future__ import annotations

import argparse
import time

from hubwh.synth import generate, refresh


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="hubwh synth",
        description=(
            "Write a synthetic Hub snapshot (docs/snapshot-format.md), calibrated to the paper's "
            "published figures and deterministic for a seed."
        ),
    )
    parser.add_argument("--out", required=True, help="snapshot folder to write")
    parser.add_argument("--models", type=int, default=3000, help="public models listed (default 3000)")
    parser.add_argument("--datasets", type=int, default=600, help="public datasets listed (default 600)")
    parser.add_argument("--spaces", type=int, default=1200, help="public spaces listed (default 1200)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument(
        "--as-of",
        default="2023-10-20T00:00:00Z",
        help="the snapshot's date, YYYY-MM-DDTHH:MM:SSZ (default: the paper's October 2023)",
    )
    parser.add_argument(
        "--outcome-share",
        type=float,
        default=0.01,
        help="share of repos that are private/gated/deleted when fetched (default 0.01)",
    )
    parser.add_argument(
        "--refresh-of",
        metavar="SNAPSHOT",
        help="write the synthetic Hub SNAPSHOT as it stands --days later instead (sizes and seed are its own)",
    )
    parser.add_argument("--days", type=int, default=35, help="with --refresh-of: days later (default 35)")
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.refresh_of:
        out = refresh(args.refresh_of, args.out, days=args.days)
        if not args.quiet:
            print(f"wrote {out} ({args.refresh_of} {args.days} days later) in {time.perf_counter() - started:.1f} s")
        return 0
    out = generate(
        args.out,
        models=args.models,
        datasets=args.datasets,
        spaces=args.spaces,
        seed=args.seed,
        as_of=args.as_of,
        outcome_share=args.outcome_share,
    )
    if not args.quiet:
        print(
            f"wrote {out} ({args.models} models, {args.datasets} datasets, {args.spaces} spaces, "
            f"seed {args.seed}) in {time.perf_counter() - started:.1f} s"
        )
    return 0
