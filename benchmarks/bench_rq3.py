"""Benchmark (not a test): wall time and peak memory of the RQ3 models (model usage,
co-usage, adoption, top organisations, summary, correlations) on a paper-scale
synthetic Hub (348,181 models, 156,642 spaces).

    .venv/bin/python -m benchmarks.bench_rq3 [--scale 1.0] [--work /tmp/bench_rq3] [--cap 500]

Steps: (1) the synthetic Hub writes a snapshot (models and spaces only: RQ3 needs no
datasets); (2) its model and space records are loaded straight into the raw tables of
the extractor's contract (models/staging/_hf_hub__sources.yml), skipping the HTTP crawl,
whose cost belongs to the extractor's benchmark; (3) `dbt build` of the RQ3 models and
their parents (seeds, staging, data tests) runs in a child process, so its peak RSS is
the child's. Prints the figures; per-model times come from dbt's run_results.json."""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PAPER = {"models": 348_181, "spaces": 156_642}
RQ3_SELECT = (
    "+model_usage +model_co_usage +model_adoption +top_organisations +usage_summary "
    "+usage_correlations +int_paper_figures__rq3"
)


def load_raw(snapshot: Path, db: Path) -> dict[str, int]:
    """Model and space records → raw.models, raw.spaces, raw.space_models (one sweep's rows)."""
    from extract.hf_hub import COLUMNS, create_raw_tables
    from hubwh.snapshot import Snapshot

    snap = Snapshot(snapshot)
    swept = "2023-10-20T00:00:00Z"
    con = duckdb.connect(str(db))
    create_raw_tables(con)
    columns = [
        "repo_id",
        "author",
        "likes",
        "downloads",
        "tags",
        "pipeline_tag",
        "library_name",
        "created_at",
        "last_modified",
        "sha",
        "gated",
        "card_license",
        "sdk",
        "first_listed_at",
        "last_listed_at",
        "is_listed",
    ]
    counts = {}
    for repo_type, table in (("model", "models"), ("space", "spaces")):
        rows, pairs = [], []
        for r in snap.iter_repos(repo_type):
            card = r.get("cardData") or {}
            rows.append(
                (
                    r["id"],
                    r.get("author"),
                    r.get("likes"),
                    r.get("downloads"),
                    json.dumps(r.get("tags") or []),
                    r.get("pipeline_tag"),
                    r.get("library_name"),
                    r.get("createdAt"),
                    r.get("lastModified"),
                    r.get("sha"),
                    str(r.get("gated", False)).lower(),
                    json.dumps(card["license"]) if "license" in card else None,
                    r.get("sdk"),
                    swept,
                    swept,
                    True,
                )
            )
            for position, model_id in enumerate(r.get("models") or []):
                pairs.append((r["id"], model_id, position, swept))
        frame = pd.DataFrame(rows, columns=columns)  # noqa: F841 (read by DuckDB below)
        # the raw schema's own columns of this repo type (spaces have sdk and no downloads)
        present = ", ".join(c for c in columns if c in {name for name, _ in COLUMNS[table]})
        con.execute(f"insert into raw.{table} ({present}) select {present} from frame")
        counts[table] = len(rows)
        if pairs:
            pair_frame = pd.DataFrame(pairs, columns=["space_id", "model_id", "model_position", "listed_at"])  # noqa: F841
            con.execute(
                "insert into raw.space_models (space_id, model_id, model_position, listed_at) select * from pair_frame"
            )
            counts["space_models"] = len(pairs)
    con.close()
    return counts


def run_dbt_child(db: Path, work: Path, cap: int | None) -> tuple[float, float, dict]:
    """`dbt build` of the RQ3 selection in a child process: (wall s, child peak RSS MiB, run_results)."""
    env = dict(
        os.environ,
        HUBWH_DB=str(db),
        DBT_TARGET_PATH=str(work / "target"),
        DBT_LOG_PATH=str(work / "logs"),
        DO_NOT_TRACK="1",
        RUNTIME__DLTHUB_TELEMETRY="false",
    )
    args = [
        str(Path(sys.executable).with_name("dbt")),
        "build",
        "--profiles-dir",
        ".",
        "--select",
        RQ3_SELECT,
        "--indirect-selection",
        "cautious",
        "--vars",
        json.dumps({"co_usage_max_models_per_space": cap}),
    ]
    started = time.perf_counter()
    proc = subprocess.run(args, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        print(proc.stdout[-4000:], file=sys.stderr)
        raise SystemExit("dbt build failed")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # Linux: KiB
    results = json.loads((work / "target" / "run_results.json").read_text())
    return wall, peak, results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the paper's Hub (default 1.0)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench_rq3"))
    parser.add_argument("--cap", type=int, default=500, help="co_usage_max_models_per_space (0 = no cap)")
    parser.add_argument("--snapshot", type=Path, help="reuse this snapshot instead of generating one")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = {k: int(v * args.scale) for k, v in PAPER.items()}

    snapshot = args.snapshot
    if snapshot is None:
        from hubwh.synth import generate

        snapshot = args.work / "hub"
        t = time.perf_counter()
        generate(snapshot, models=sizes["models"], datasets=0, spaces=sizes["spaces"], seed=args.seed)
        print(
            f"synthetic Hub: {sizes['models']:,} models, {sizes['spaces']:,} spaces in {time.perf_counter() - t:.1f} s"
        )

    db = args.work / "warehouse.duckdb"
    db.unlink(missing_ok=True)
    t = time.perf_counter()
    counts = load_raw(snapshot, db)
    print(f"raw load: {counts} in {time.perf_counter() - t:.1f} s")

    wall, peak, results = run_dbt_child(db, args.work, args.cap or None)
    print(f"dbt build (RQ3 models + parents + data tests): {wall:.1f} s wall, peak RSS {peak:,.0f} MiB")
    by_kind: dict[str, float] = {}
    for r in results["results"]:
        kind = r["unique_id"].split(".")[0]
        by_kind[kind] = by_kind.get(kind, 0.0) + r["execution_time"]
    print("  execution time by kind: " + ", ".join(f"{k} {v:.1f} s" for k, v in sorted(by_kind.items())))
    for r in sorted(results["results"], key=lambda r: -r["execution_time"]):
        if r["unique_id"].startswith("model.") and r["execution_time"] >= 0.05:
            print(f"  {r['unique_id'].split('.')[-1]:<40} {r['execution_time']:7.2f} s")

    con = duckdb.connect(str(db), read_only=True)
    summary = con.sql(
        "select subfield, n_models_used, n_spaces_using, n_edges, round(mean_n_spaces, 2) as mean, "
        "median_n_spaces as median, round(sd_n_spaces, 2) as sd, max_n_spaces as max, "
        "n_co_usage_pairs, n_spaces_excluded_from_co_usage as excluded "
        "from marts.usage_summary order by subfield"
    )
    print(summary)
    con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
