"""Today's Hub on one machine (docs/methods.md §7, §13): a benchmark, not a test.

    python -m benchmarks.bench_scale [--scale 1.0] [--json FILE] [--snapshot DIR] [--workdir DIR] [--keep]

Scale 1.0 is today's Hub: 2,500,000 models, 600,000 datasets, 1,000,000 spaces. Stages, each
its own process so its wall time and peak RSS are its own (os.wait4):

1. `hubwh synth` (skipped with --snapshot: an existing snapshot is loaded instead);
2. `hubwh snapshot load`: the snapshot straight into raw (repos per second of list rows);
3. `hubwh build`: dbt build, every model, seed, snapshot and data test (then compaction);
4. `hubwh report --html`;
5. `hubwh export`: the public marts as Parquet.

Printed and, with --json FILE, written to FILE:
`{"stages": {name: {"wall_s", "cpu_s", "peak_rss_mb"}}, "dbt_nodes": [{"name", "wall_s", "rows"}],
"db_mb", "sizes", ...}`, the ten slowest dbt nodes from target/run_results.json (rows: the
node's relation counted after the build). The budget (issue 11) is printed beside the figures.
DuckDB's resources come from HUBWH_MEMORY_LIMIT / HUBWH_THREADS / HUBWH_TEMP_DIR as everywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_pipeline import Stage, hubwh, mb, run, tree_size

TODAY = {"models": 2_500_000, "datasets": 600_000, "spaces": 1_000_000}
# Issue 11's budget at scale 1.0 (2 cores, 24 GB).
BUDGET = {
    "synth": {"wall_s": 600},
    "snapshot load": {"wall_s": 300, "repos_per_s": 100_000},
    "dbt build": {"wall_s": 900, "peak_rss_mb": 8000},
    "dbt node": {"wall_s": 240},
}


def _stage_json(stage: Stage) -> dict:
    return {"wall_s": stage.wall_s, "cpu_s": stage.cpu_s, "peak_rss_mb": stage.peak_rss_mb, **stage.figures}


def slowest_nodes(target: Path, db: Path, n: int = 10) -> list[dict]:
    """The n slowest nodes of the last dbt run, with the rows of the relation each built."""
    import duckdb

    results = json.loads((target / "run_results.json").read_text())["results"]
    slow = sorted(results, key=lambda r: r.get("execution_time") or 0, reverse=True)[:n]
    out = []
    con = duckdb.connect(str(db), read_only=True)
    try:
        for r in slow:
            rows = None
            relation = r.get("relation_name")
            if relation and r["unique_id"].split(".", 1)[0] in ("model", "seed", "snapshot"):
                try:
                    rows = con.execute(f"select count(*) from {relation}").fetchone()[0]
                except duckdb.Error:
                    rows = None
            elif r["unique_id"].startswith("test."):
                rows = r.get("failures")
            out.append(
                {
                    "name": r["unique_id"].split(".", 2)[-1],
                    "kind": r["unique_id"].split(".", 1)[0],
                    "status": r["status"],
                    "wall_s": round(r.get("execution_time") or 0, 1),
                    "rows": rows,
                }
            )
    finally:
        con.close()
    return out


def raw_rows(db: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw' "
                "and not starts_with(table_name, '_dlt') order by 1"
            ).fetchall()
        ]
        return {t: con.execute(f'select count(*) from raw."{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def load_seconds(db: Path) -> dict:
    """The load's own timings, from its crawl_runs summary (hubwh/snapshot/load.py)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("select summary from raw.crawl_runs order by started_at desc limit 1").fetchone()
    finally:
        con.close()
    return json.loads(row[0]).get("seconds", {}) if row else {}


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_scale",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of today's Hub (default 1.0)")
    parser.add_argument("--json", type=Path, help="write every figure to this file (JSON)")
    parser.add_argument("--snapshot", type=Path, help="load this snapshot instead of writing one (no synth stage)")
    parser.add_argument("--workdir", type=Path, help="where everything is written (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the workdir")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic Hub (default 1)")
    args = parser.parse_args(argv)
    if not args.scale > 0:
        parser.error("--scale must be > 0")
    sizes = {k: max(1, round(v * args.scale)) for k, v in TODAY.items()}
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="bench-scale-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    logs, db, target = workdir / "logs", workdir / "warehouse.duckdb", workdir / "target"
    snapshot = args.snapshot.resolve() if args.snapshot else workdir / "snapshot"
    logs.mkdir(exist_ok=True)
    for stale in (db, db.with_name(db.name + ".wal"), (target / "run_results.json")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(workdir / "dlt-pipelines", ignore_errors=True)
    env = dict(
        os.environ,
        HUBWH_DB=str(db),
        DBT_TARGET_PATH=str(target),
        DBT_LOG_PATH=str(logs / "dbt"),
        DO_NOT_TRACK="1",
        RUNTIME__DLTHUB_TELEMETRY="false",
        PYTHONDONTWRITEBYTECODE="1",
    )
    print(
        f"bench-scale: scale {args.scale} ({', '.join(f'{v:,} {k}' for k, v in sizes.items())}); workdir {workdir}; "
        f"HUBWH_MEMORY_LIMIT={os.environ.get('HUBWH_MEMORY_LIMIT', '(default)')} "
        f"HUBWH_THREADS={os.environ.get('HUBWH_THREADS', '(default)')}",
        flush=True,
    )
    print(f"{'stage':<14} {'wall s':>9} {'CPU s':>9} {'peak RSS MB':>12}", flush=True)
    stages: dict[str, Stage] = {}

    def show(stage: Stage) -> None:
        stages[stage.name] = stage
        print(f"{stage.name:<14} {stage.wall_s:>9.1f} {stage.cpu_s:>9.1f} {stage.peak_rss_mb:>12.0f}", flush=True)
        for key, value in stage.figures.items():
            print(f"{'':<16}{key}: {value}", flush=True)

    if not args.snapshot:
        flags = [f"--{k}={v}" for k, v in sizes.items()]
        show(
            run(hubwh("synth", "--out", str(snapshot), "--seed", str(args.seed), "--quiet", *flags), "synth", env, logs)
        )
    manifest = json.loads((snapshot / "manifest.json").read_text())
    stage = run(
        hubwh(
            "snapshot",
            "load",
            str(snapshot),
            "--db",
            str(db),
            "--no-progress",
            "--pipelines-dir",
            str(workdir / "dlt-pipelines"),
        ),
        "snapshot load",
        env,
        logs,
    )
    rows = raw_rows(db)
    seconds = load_seconds(db)
    listed = sum(rows.get(t, 0) for t in ("models", "datasets", "spaces"))
    stage.figures.update(
        {
            "repos": listed,
            # the throughput: repos per second of staging the repo lists (list rows)
            "repos_per_s": round(listed / seconds["lists_staged"]) if seconds.get("lists_staged") else None,
            "repos_per_s_whole_load": round(listed / stage.wall_s) if stage.wall_s else None,
            "load_seconds": seconds,
            "raw_rows": rows,
            "db_mb_after_load": mb(db.stat().st_size),
        }
    )
    show(stage)
    stage = run(hubwh("build"), "dbt build", env, logs, may_fail=True)
    stage.figures["db_mb_after_build"] = mb(db.stat().st_size)
    show(stage)
    nodes = slowest_nodes(target, db) if (target / "run_results.json").exists() else []
    print("ten slowest dbt nodes:", flush=True)
    for node in nodes:
        print(f"  {node['wall_s']:>8.1f} s  {node['rows'] if node['rows'] is not None else '':>12}  {node['name']}")
    show(run(hubwh("report", "--html", str(workdir / "report"), "--db", str(db)), "report", env, logs))
    stage = run(hubwh("export", "--out", str(workdir / "parquet"), "--db", str(db)), "export", env, logs)
    stage.figures["parquet_mb"] = mb(tree_size(workdir / "parquet"))
    show(stage)

    result = {
        "scale": args.scale,
        "sizes": sizes,
        "snapshot_counts": manifest.get("counts", {}),
        "snapshot_mb": mb(tree_size(snapshot)),
        "stages": {name: _stage_json(s) for name, s in stages.items()},
        "dbt_nodes": nodes,
        "db_mb": mb(db.stat().st_size),
        "settings": {k: os.environ.get(k) for k in ("HUBWH_MEMORY_LIMIT", "HUBWH_THREADS", "HUBWH_TEMP_DIR")},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    print(f"DuckDB file: {result['db_mb']} MB", flush=True)
    print(f"budget (scale 1.0; this run is scale {args.scale}):", flush=True)
    load = stages["snapshot load"]
    checks = [
        ("snapshot load <= 300 s", load.wall_s <= BUDGET["snapshot load"]["wall_s"]),
        ("snapshot load >= 100k repos/s", (load.figures["repos_per_s"] or 0) >= BUDGET["snapshot load"]["repos_per_s"]),
        ("dbt build <= 900 s", stages["dbt build"].wall_s <= BUDGET["dbt build"]["wall_s"]),
        ("dbt build <= 8 GB peak RSS", stages["dbt build"].peak_rss_mb <= BUDGET["dbt build"]["peak_rss_mb"]),
        ("no dbt node > 240 s", all(n["wall_s"] <= BUDGET["dbt node"]["wall_s"] for n in nodes)),
    ]
    if "synth" in stages:
        checks.append(("synth <= 600 s", stages["synth"].wall_s <= BUDGET["synth"]["wall_s"]))
    for name, ok in checks:
        print(f"  {name:<32} {verdict(ok)}", flush=True)
    result["budget"] = {name: ok for name, ok in checks}
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}", flush=True)
    failed = stages["dbt build"].exit_code != 0
    if args.keep or failed:
        print(f"kept: {workdir}")
    elif not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
