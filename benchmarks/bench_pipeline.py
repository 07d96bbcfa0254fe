"""End-to-end benchmark of the main job, the way `hubwh demo` runs it, at a fraction of the
paper's scale (prints figures; not a test):

    python -m benchmarks.bench_pipeline [--scale 0.15] [--workdir DIR] [--keep] [--seed 1]

Stages, each a separate process so its wall time, CPU time and peak RSS are its own
(os.wait4 on that process):

1. `hubwh synth`: a synthetic Hub of F x (348,181 models, 65,761 datasets, 156,642 spaces);
2. `hubwh emulate --port 0`: the Hub emulator, alive while 3 runs; it prints the requests it
   served per endpoint kind when stopped (SIGTERM);
3. `hubwh crawl --budget none`: the real huggingface_hub client and a real dlt load;
4. `hubwh build`: dbt build, every model, seed, snapshot and data test;
5. `hubwh report --html`.

Everything written goes under the workdir (snapshot, DuckDB file, dlt state, dbt's target
and logs, report), deleted at the end unless --keep. Stage figures: repos and records
written (synth), requests per endpoint kind (emulator), repos/s and rows per raw table
(crawl), dbt nodes passed and the slowest five (target/run_results.json), the DuckDB size.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PAPER = {"models": 348_181, "datasets": 65_761, "spaces": 156_642}
EMULATOR_START_TIMEOUT_S = 1800  # loading a paper-scale snapshot takes ~16 s CPU; a loaded box is slower


@dataclass
class Stage:
    name: str
    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_rss_mb: float = 0.0
    exit_code: int = 0
    figures: dict = field(default_factory=dict)


def hubwh(*args: str) -> list[str]:
    return [sys.executable, "-m", "hubwh.cli", *args]


def mb(n_bytes: int) -> float:
    return round(n_bytes / 1e6, 1)


def tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def reap(proc: subprocess.Popen, name: str, started: float, log: Path, *, may_fail: bool = False) -> Stage:
    """Wait for proc and measure it: wall since `started`, CPU and peak RSS of that process
    (and of any children it waited for), from wait4's rusage. A failed stage stops the
    benchmark, unless may_fail (the caller then reads stage.exit_code)."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    stage = Stage(
        name,
        wall_s=round(time.perf_counter() - started, 1),
        cpu_s=round(usage.ru_utime + usage.ru_stime, 1),
        peak_rss_mb=round(usage.ru_maxrss / 1024, 1),
        exit_code=proc.returncode,
    )
    if proc.returncode not in (0, -signal.SIGTERM) and not may_fail:
        tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
        raise SystemExit(f"bench-pipeline: stage {name} failed (exit {proc.returncode}); log {log}:\n{tail}")
    return stage


def run(cmd: list[str], name: str, env: dict, logs: Path, *, may_fail: bool = False) -> Stage:
    log = logs / f"{name.replace(' ', '-')}.log"
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        return reap(proc, name, started, log, may_fail=may_fail)


def count_snapshot_items(snapshot: Path) -> dict:
    """Commit and discussion items inside the per-repo lists (the manifest counts lists).
    Read by the benchmark after the synth stage, outside its timing."""
    try:
        import orjson

        loads = orjson.loads
    except ImportError:  # pragma: no cover - orjson comes with dlt
        loads = json.loads
    counts = {}
    for kind in ("commits", "discussions"):
        path = snapshot / f"{kind}.jsonl.gz"
        n = 0
        if path.exists():
            with gzip.open(path, "rb") as fh:
                for line in fh:
                    n += len(loads(line)[kind])
        counts[f"{kind[:-1]} items"] = n
    return counts


def synth_stage(sizes: dict, seed: int, snapshot: Path, env: dict, logs: Path) -> Stage:
    stage = run(
        hubwh(
            "synth", "--out", str(snapshot), "--seed", str(seed), "--quiet", *[f"--{k}={v}" for k, v in sizes.items()]
        ),
        "synth",
        env,
        logs,
    )
    manifest = json.loads((snapshot / "manifest.json").read_text())
    counts = manifest["counts"]
    stage.figures["repos written"] = sum(counts.get(k, 0) for k in PAPER)
    stage.figures["records written (lines)"] = sum(counts.values())
    stage.figures["records per file"] = counts
    stage.figures.update(count_snapshot_items(snapshot))
    stage.figures["snapshot MB"] = mb(tree_size(snapshot))
    return stage


def start_emulator(snapshot: Path, env: dict, logs: Path) -> tuple[subprocess.Popen, str, float, float]:
    """Start `hubwh emulate` and read the URL from its first line of output."""
    started = time.perf_counter()
    err = open(logs / "emulate.log", "wb")
    proc = subprocess.Popen(
        hubwh("emulate", "--snapshot", str(snapshot), "--port", "0"), env=env, stdout=subprocess.PIPE, stderr=err
    )
    err.close()  # the child holds its own copy
    ready, _, _ = select.select([proc.stdout], [], [], EMULATOR_START_TIMEOUT_S)
    line = proc.stdout.readline().decode().strip() if ready else ""
    if not line.startswith("http"):
        proc.terminate()
        reap(proc, "emulate", started, logs / "emulate.log")
        raise SystemExit(f"bench-pipeline: the emulator printed no URL (got {line!r}); see {logs / 'emulate.log'}")
    return proc, line, started, round(time.perf_counter() - started, 1)


def stop_emulator(proc: subprocess.Popen, started: float, load_s: float, logs: Path) -> Stage:
    proc.send_signal(signal.SIGTERM)
    stage = reap(proc, "emulate", started, logs / "emulate.log")
    proc.stdout.close()
    stage.figures["snapshot load s (to URL)"] = load_s
    served = {}
    for line in (logs / "emulate.log").read_text(errors="replace").splitlines():
        if line.startswith("served: "):
            served = ast.literal_eval(line[len("served: ") :])
    stage.figures["requests served"] = served
    return stage


def raw_figures(db: Path) -> tuple[dict, dict]:
    """(rows per raw table, the latest closing summary in raw.crawl_runs)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw' "
                "and not starts_with(table_name, '_dlt') order by table_name"
            ).fetchall()
        ]
        rows = {t: con.execute(f'select count(*) from raw."{t}"').fetchone()[0] for t in tables}
        found = con.execute(
            "select summary from raw.crawl_runs where summary is not null order by finished_at desc limit 1"
        ).fetchone()
    finally:
        con.close()
    return rows, json.loads(found[0]) if found else {}


def crawl_stage(url: str, db: Path, workdir: Path, env: dict, logs: Path) -> Stage:
    stage = run(
        hubwh(
            "crawl",
            "--endpoint",
            url,
            "--budget",
            "none",
            "--no-progress",
            "--db",
            str(db),
            "--pipelines-dir",
            str(workdir / "dlt-pipelines"),
        ),
        "crawl",
        env,
        logs,
    )
    rows, summary = raw_figures(db)
    listed = sum(summary.get("repos_listed", {}).values())
    loaded = sum(rows.values())
    f = stage.figures
    f["repos listed"] = listed
    f["repos/s"] = round(listed / stage.wall_s) if stage.wall_s else None
    f["rows in raw"] = loaded
    f["rows/s"] = round(loaded / stage.wall_s) if stage.wall_s else None
    f["rows per raw table"] = rows
    f["requests (client)"] = summary.get("requests")
    f["requests/s"] = round(summary.get("requests", 0) / stage.wall_s) if stage.wall_s else None
    f["429 / 5xx / retries"] = (summary.get("http_429"), summary.get("http_5xx"), summary.get("retries"))
    f["repos by status"] = summary.get("repos_by_status")
    f["DuckDB MB after crawl"] = mb(db.stat().st_size)
    return stage


def build_stage(db: Path, target: Path, env: dict, logs: Path) -> Stage:
    """dbt build. A failing data test is a finding, not a crash: the figures are still
    printed, with the failed nodes, and the benchmark goes on (and exits 1)."""
    results_file = target / "run_results.json"
    results_file.unlink(missing_ok=True)  # a reused workdir must not show an older run
    stage = run(hubwh("build"), "dbt build", env, logs, may_fail=True)
    if not results_file.exists():
        tail = (logs / "dbt-build.log").read_text(errors="replace")[-3000:]
        raise SystemExit(f"bench-pipeline: dbt build failed (exit {stage.exit_code}) before running:\n{tail}")
    results = json.loads(results_file.read_text())["results"]
    by_kind: dict[str, dict[str, int]] = {}
    for r in results:
        kind = r["unique_id"].split(".", 1)[0]
        by_kind.setdefault(kind, {}).setdefault(r["status"], 0)
        by_kind[kind][r["status"]] += 1
    slowest = sorted(results, key=lambda r: r.get("execution_time") or 0, reverse=True)[:5]
    stage.figures["nodes by kind and status"] = by_kind
    failed = [
        f"{r['unique_id'].split('.', 2)[-1]} ({r['status']}): {' '.join((r.get('message') or '').split())[:200]}"
        for r in results
        if r["status"] in ("fail", "error")
    ]
    if failed:
        stage.figures["FAILED nodes"] = failed
    stage.figures["slowest 5 nodes"] = [
        f"{r['unique_id'].split('.', 2)[-1]} {r['execution_time']:.1f} s" for r in slowest
    ]
    stage.figures["DuckDB MB after build"] = mb(db.stat().st_size)
    return stage


def report_stage(db: Path, out: Path, env: dict, logs: Path) -> Stage:
    stage = run(hubwh("report", "--html", str(out), "--db", str(db)), "report", env, logs)
    stage.figures["report MB"] = mb(tree_size(out))
    return stage


def print_stage(stage: Stage) -> None:
    print(f"{stage.name:<10} {stage.wall_s:>9.1f} {stage.cpu_s:>9.1f} {stage.peak_rss_mb:>12.0f}", flush=True)
    for key, value in stage.figures.items():
        if isinstance(value, list):
            print(f"{'':<12}{key}:")
            for item in value:
                print(f"{'':<14}{item}")
        else:
            print(f"{'':<12}{key}: {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_pipeline",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--scale", type=float, default=0.15, help="fraction of the paper's scale (default 0.15)")
    parser.add_argument("--workdir", type=Path, help="where everything is written (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the workdir (snapshot, warehouse, report)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic Hub (default 1)")
    args = parser.parse_args(argv)
    if not args.scale > 0:
        parser.error("--scale must be > 0")
    sizes = {k: max(1, round(v * args.scale)) for k, v in PAPER.items()}
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="bench-pipeline-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    logs, snapshot, db, target = (
        workdir / "logs",
        workdir / "snapshot",
        workdir / "warehouse.duckdb",
        workdir / "target",
    )
    logs.mkdir(exist_ok=True)
    # Always a first crawl into an empty warehouse, as the demo does: a reused workdir loses
    # its warehouse and dlt state (the snapshot is rewritten by synth).
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(workdir / "dlt-pipelines", ignore_errors=True)
    # Everything the children write goes under the workdir; no telemetry.
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
        f"bench-pipeline: scale {args.scale} ({', '.join(f'{v:,} {k}' for k, v in sizes.items())}, "
        f"seed {args.seed}); workdir {workdir}",
        flush=True,
    )
    print(f"{'stage':<10} {'wall s':>9} {'CPU s':>9} {'peak RSS MB':>12}", flush=True)
    started = time.perf_counter()
    stages = [synth_stage(sizes, args.seed, snapshot, env, logs)]
    print_stage(stages[-1])
    emulator, url, emu_started, load_s = start_emulator(snapshot, env, logs)
    try:
        crawl = crawl_stage(url, db, workdir, env, logs)
    finally:
        if emulator.returncode is None:
            emulate = stop_emulator(emulator, emu_started, load_s, logs)
    print_stage(emulate)
    print_stage(crawl)
    stages += [emulate, crawl]
    stages.append(build_stage(db, target, env, logs))
    print_stage(stages[-1])
    stages.append(report_stage(db, workdir / "report", env, logs))
    print_stage(stages[-1])
    total = time.perf_counter() - started
    print(
        f"total: {total:.1f} s wall, {sum(s.cpu_s for s in stages):.1f} s CPU (all stages), "
        f"peak RSS {max(s.peak_rss_mb for s in stages):.0f} MB ({max(stages, key=lambda s: s.peak_rss_mb).name}), "
        f"DuckDB {mb(db.stat().st_size)} MB",
        flush=True,
    )
    failed = [s.name for s in stages if s.exit_code not in (0, -signal.SIGTERM)]
    if failed:
        print(f"bench-pipeline: {', '.join(failed)} reported failures (above); logs in {logs}", flush=True)
    if args.keep or failed:
        print(f"kept: {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
