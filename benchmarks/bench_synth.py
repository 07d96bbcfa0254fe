"""Benchmark `hubwh synth`: wall time and peak memory (RSS) at the paper's scale
and at 2,000,000 models (datasets and spaces in the paper's proportions).

    python -m benchmarks.bench_synth                      # paper scale, then 2M models
    python -m benchmarks.bench_synth --sizes paper
    python -m benchmarks.bench_synth --models 100000      # one custom size (proportional)

Each run is a separate `hubwh synth` process, so its peak RSS and CPU time are its
own (CPU time is the fairer figure on a shared, loaded machine). Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAPER = {"models": 348_181, "datasets": 65_761, "spaces": 156_642}


def proportional(models: int) -> dict:
    return {
        "models": models,
        "datasets": round(models * PAPER["datasets"] / PAPER["models"]),
        "spaces": round(models * PAPER["spaces"] / PAPER["models"]),
    }


SIZES = {"paper": PAPER, "2m": proportional(2_000_000)}


def run_one(label: str, sizes: dict, seed: int, workdir: Path, keep: bool) -> dict:
    out = workdir / f"hub-{label}"
    cmd = [
        sys.executable,
        "-m",
        "hubwh.cli",
        "synth",
        "--out",
        str(out),
        "--seed",
        str(seed),
        "--quiet",
        *[f"--{k}={v}" for k, v in sizes.items()],
    ]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"hubwh synth failed ({status}) for {label}")
    manifest = json.loads((out / "manifest.json").read_text())
    size = sum(p.stat().st_size for p in out.iterdir())
    row = {
        "label": label,
        **sizes,
        "wall_s": round(wall, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "snapshot_mb": round(size / 1e6, 1),
        "counts": manifest["counts"],
    }
    repos = sizes["models"] + sizes["datasets"] + sizes["spaces"]
    row["repos_per_s"] = round(repos / wall)
    if not keep:
        shutil.rmtree(out)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="paper,2m", help="comma-separated presets: paper, 2m (default both)")
    parser.add_argument("--models", type=int, help="one custom size instead of the presets (proportional)")
    parser.add_argument("--datasets", type=int, help="override datasets of the custom size")
    parser.add_argument("--spaces", type=int, help="override spaces of the custom size")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workdir", help="where snapshots are written (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the snapshots")
    args = parser.parse_args(argv)
    if args.models:
        sizes = proportional(args.models)
        if args.datasets is not None:
            sizes["datasets"] = args.datasets
        if args.spaces is not None:
            sizes["spaces"] = args.spaces
        runs = {f"{args.models}": sizes}
    else:
        runs = {name: SIZES[name] for name in args.sizes.split(",")}
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bench-synth-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(
        f"{'run':<8} {'models':>10} {'datasets':>9} {'spaces':>9} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12} "
        f"{'snapshot MB':>12} {'repos/s':>8} {'commit lists':>13}"
    )
    for label, sizes in runs.items():
        row = run_one(label, sizes, args.seed, workdir, args.keep)
        print(
            f"{label:<8} {row['models']:>10,} {row['datasets']:>9,} {row['spaces']:>9,} "
            f"{row['wall_s']:>8} {row['cpu_s']:>8} "
            f"{row['peak_rss_mb']:>12} {row['snapshot_mb']:>12} {row['repos_per_s']:>8,} "
            f"{row['counts'].get('commits', 0):>13,}",
            flush=True,
        )
    if not args.workdir and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
