"""Benchmark (not a test): the community-health and model-size models (docs/methods.md §11, §12)
at today's Hub scale (docs/methods.md §7: 2.5 M models, 600 k datasets, 1 M spaces).

    .venv/bin/python -m benchmarks.bench_health [--scale 1.0] [--work DIR]

Steps, each in its own process (peak RSS is VmHWM, which a child does not inherit):
(1) raw tables written straight into DuckDB (the extractor's contract, models/staging/
_hf_hub__sources.yml), no crawl: list rows of every repo (a quarter of the models with
safetensors parameters, log-uniform from 1 M to 400 B), about 700 k developers with
heavy-tailed activity, commits (the `system` initial commit, then commits by the owner and
occasionally others, 2 % with a co-author, a few by bots), discussions (16 % of repos, a tenth
of them pull requests, authors drawn from all developers, so some later commit: journeys),
space → model pairs, and an ok fetch_log row per repo and resource;
(2) `dbt run` of everything upstream of the new models (not timed);
(3) `dbt run` of the new models alone — int_repo_developer_activity, int_repo_developer_roles,
int_repo_organisations, int_model_sizes, repo_health, elephant_factor, model_size_activity,
model_size_tests — wall time, peak RSS and dbt's time per model;
(4) `dbt test` of their data tests, wall time and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from benchmarks.stage_process import run_stage

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TODAY = {"models": 2_500_000, "datasets": 600_000, "spaces": 1_000_000, "developers": 700_000}
NEW_MODELS = (
    "int_repo_developer_activity int_repo_developer_roles int_repo_organisations int_model_sizes "
    "repo_health elephant_factor model_size_activity model_size_tests"
)
UPSTREAM = "+repo_activity +int_repo_developer_activity +int_repo_organisations"
T0 = 1_600_000_000  # 2020-09-13, seconds
SPAN = 4 * 365 * 86_400
CHUNK = 250_000  # repos per insert


def peak_rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _ts(seconds: np.ndarray) -> pa.Array:
    return pa.array(seconds.astype("datetime64[s]").astype("datetime64[us]"), type=pa.timestamp("us", tz="UTC"))


def write_hub(db: Path, scale: float, seed: int) -> dict:
    """The raw tables (module docstring, step 1); returns the row counts."""
    import duckdb

    from extract.hf_hub import create_raw_tables

    rng = np.random.default_rng(seed)
    sizes = {k: max(10, int(v * scale)) for k, v in TODAY.items()}
    n_dev = sizes["developers"]
    # developers' activity weights: heavy-tailed (a few very busy accounts)
    weight = rng.pareto(1.2, n_dev) + 1
    cum = np.cumsum(weight) / weight.sum()

    def developers(n: int) -> np.ndarray:
        return np.minimum(np.searchsorted(cum, rng.random(n)), n_dev - 1)

    con = duckdb.connect(str(db))
    create_raw_tables(con)
    fetched = T0 + SPAN + 86_400
    counts = dict.fromkeys(("repos", "commits", "discussions", "space_models"), 0)
    for repo_type, table in (("model", "models"), ("dataset", "datasets"), ("space", "spaces")):
        n = sizes[f"{table}"]
        for start in range(0, n, CHUNK):
            m = min(CHUNK, n - start)
            owner = developers(m)
            org = rng.random(m) < 0.25
            namespace = np.where(
                org, np.char.add("org", (owner % 50_000).astype(str)), np.char.add("u", owner.astype(str))
            )
            ids = np.char.add(np.char.add(namespace, f"/{repo_type[0]}"), np.arange(start, start + m).astype(str))
            created = T0 + rng.integers(0, SPAN, m)
            likes = np.where(rng.random(m) < 0.9, 0, np.minimum(rng.pareto(1.1, m) * 2, 50_000)).astype(np.int64)
            cols = {
                "repo_id": pa.array(ids.tolist()),
                "author": pa.array(namespace.tolist()),
                "likes": pa.array(likes),
                "tags": pa.array(['["region:us"]'] * m),
                "created_at": _ts(created),
                "last_modified": _ts(created + 86_400),
                "is_listed": pa.array(np.ones(m, dtype=bool)),
                "last_listed_at": _ts(np.full(m, fetched)),
            }
            if repo_type != "space":
                cols["downloads"] = pa.array(np.where(rng.random(m) < 0.5, 0, rng.pareto(0.7, m) * 10).astype(np.int64))
            if repo_type == "model":
                has = rng.random(m) < 0.25
                params = (10 ** rng.uniform(6, 11.6, m)).astype(np.int64)
                cols["safetensors_total"] = pa.array(np.where(has, params, 0), mask=~has)
            rows = pa.table(cols)  # noqa: F841 (read by DuckDB below)
            names = ", ".join(cols)
            con.execute(f"insert into raw.{table} ({names}) select {names} from rows")
            counts["repos"] += m

            # commits: the system initial commit, then 0-N more (mean ~2.5), newest first
            extra = np.minimum(rng.geometric(0.4, m) - 1 + (rng.random(m) < 0.05) * rng.integers(5, 60, m), 500)
            n_c = extra + 1
            repo_of = np.repeat(np.arange(m), n_c)
            pos = np.concatenate([np.arange(k)[::-1] for k in n_c]) if m else np.array([], int)
            total = repo_of.size
            first = pos == n_c[repo_of] - 1  # the oldest: system
            other = rng.random(total) < 0.12
            author = np.where(other, developers(total), owner[repo_of])
            co = developers(total)
            bot = rng.random(total) < 0.01
            authors = np.where(
                first,
                '["system"]',
                np.where(
                    bot,
                    '["SFconvertbot"]',
                    np.char.add(
                        np.char.add('["u', author.astype(str)),
                        np.where(
                            rng.random(total) < 0.02, np.char.add(np.char.add('", "u', co.astype(str)), '"]'), '"]'
                        ),
                    ),
                ),
            )
            when = created[repo_of] + (n_c[repo_of] - 1 - pos) * rng.integers(3_600, 40 * 86_400, total)
            commits = pa.table(
                {
                    "repo_type": pa.array([repo_type] * total),
                    "repo_id": pa.array(ids[repo_of].tolist()),
                    "commit_id": pa.array(np.char.add("c", np.arange(total).astype(str)).tolist()),
                    "commit_position": pa.array(pos.astype(np.int64)),
                    "committed_at": _ts(when),
                    "title": pa.array(["Update README.md"] * total),
                    "authors": pa.array(authors.tolist()),
                    "fetched_at": _ts(np.full(total, fetched)),
                }
            )
            names = ", ".join(commits.column_names)
            con.execute(f"insert into raw.commits ({names}) select {names} from commits")
            counts["commits"] += total

            # discussions: 16 % of repos, 1-N each, a tenth pull requests
            n_d = np.where(rng.random(m) < 0.16, np.minimum(rng.geometric(0.45, m), 200), 0)
            d_repo = np.repeat(np.arange(m), n_d)
            d_total = d_repo.size
            d_num = np.concatenate([np.arange(1, k + 1) for k in n_d if k]) if d_total else np.array([], int)
            d_author = developers(d_total)
            deleted = rng.random(d_total) < 0.08
            discussions = pa.table(
                {
                    "repo_type": pa.array([repo_type] * d_total),
                    "repo_id": pa.array(ids[d_repo].tolist()),
                    "num": pa.array(d_num.astype(np.int64)),
                    "title": pa.array(["Question"] * d_total),
                    "status": pa.array(["open"] * d_total),
                    "is_pull_request": pa.array(rng.random(d_total) < 0.1),
                    "author": pa.array(np.char.add("u", d_author.astype(str)).tolist(), mask=deleted),
                    "created_at": _ts(created[d_repo] + rng.integers(0, SPAN // 2, d_total)),
                    "fetched_at": _ts(np.full(d_total, fetched)),
                }
            )
            names = ", ".join(discussions.column_names)
            con.execute(f"insert into raw.discussions ({names}) select {names} from discussions")
            counts["discussions"] += d_total

            log = pa.table(  # noqa: F841
                {
                    "repo_type": pa.array([repo_type] * (2 * m)),
                    "repo_id": pa.array(ids.tolist() * 2),
                    "resource": pa.array(["commits"] * m + ["discussions"] * m),
                    "status": pa.array(["ok"] * (2 * m)),
                    "n_requests": pa.array(np.ones(2 * m, dtype=np.int64)),
                    "fetched_at": _ts(np.full(2 * m, fetched)),
                    "last_ok_at": _ts(np.full(2 * m, fetched)),
                    "n_rows": pa.array(np.concatenate([n_c, n_d]).astype(np.int64)),
                }
            )
            names = "repo_type, repo_id, resource, status, n_requests, fetched_at, last_ok_at, n_rows"
            con.execute(f"insert into raw.fetch_log ({names}) select {names} from log")
    # space -> model pairs: 38 % of spaces list 1-5 models, popular models more often
    con.execute(
        "insert into raw.space_models (space_id, model_id, model_position, listed_at) "
        "select s.repo_id, m.repo_id, 0, s.last_listed_at from raw.spaces as s "
        "inner join (select repo_id, row_number() over () as k from raw.models) as m "
        f"on m.k = 1 + (hash(s.repo_id) % {max(1, sizes['models'] // 20)}) "
        "where hash(s.repo_id) % 100 < 38"
    )
    counts["space_models"] = con.execute("select count(*) from raw.space_models").fetchone()[0]
    con.close()
    return counts


def child(stage: list[str]) -> dict:
    """Run `python -m benchmarks.bench_health --stage ...` in a fresh process; its JSON report."""
    return run_stage("benchmarks.bench_health", stage)


def stage(args) -> dict:
    from hubwh.build import run_dbt

    os.environ["DBT_TARGET_PATH"] = str(args.work / "target")
    os.environ["DBT_LOG_PATH"] = str(args.work / "logs")
    started = time.perf_counter()
    out: dict = {}
    if args.stage == "hub":
        out["rows"] = write_hub(args.db, args.scale, args.seed)
    elif args.stage == "upstream":
        run_dbt(["seed"], args.db, quiet=True)
        # int_model_sizes too (repo_activity reads it); the models stage builds it again, timed
        later = " ".join(m for m in NEW_MODELS.split() if m != "int_model_sizes")
        run_dbt(["run", "--select", UPSTREAM, "--exclude", later], args.db, quiet=True)
    elif args.stage == "models":
        run_dbt(["run", "--select", NEW_MODELS], args.db, quiet=True)
        results = json.loads((args.work / "target" / "run_results.json").read_text())
        out["per_model"] = {r["unique_id"].split(".")[-1]: round(r["execution_time"], 2) for r in results["results"]}
        out["dbt_elapsed_s"] = results["elapsed_time"]  # the run itself: the stage adds compaction and publishing
    else:
        run_dbt(["test", "--select", NEW_MODELS], args.db, quiet=True)
    out.update(seconds=time.perf_counter() - started, peak_rss_mib=peak_rss_mib())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of today's Hub (1.0 = 2.5 M models)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench_health"))
    parser.add_argument("--stage", choices=("hub", "upstream", "models", "tests"), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage:
        print(json.dumps(stage(args)))
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    db = args.work / "health.duckdb"
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    common = ["--scale", str(args.scale), "--seed", str(args.seed), "--work", str(args.work), "--db", str(db)]
    hub = child(["--stage", "hub", *common])
    print(f"raw tables at scale {args.scale}: {hub['rows']} in {hub['seconds']:.0f} s, {hub['peak_rss_mib']:.0f} MiB")
    up = child(["--stage", "upstream", *common])
    print(f"upstream models (not the new ones): {up['seconds']:.0f} s, {up['peak_rss_mib']:.0f} MiB peak")
    models = child(["--stage", "models", *common])
    print(
        f"new models: {models['seconds']:.1f} s wall ({models['dbt_elapsed_s']:.1f} s in dbt's run, the rest"
        f" compacting and publishing the file), {models['peak_rss_mib']:.0f} MiB peak RSS (dbt's process)"
    )
    for name, seconds in models["per_model"].items():
        print(f"  {name:32s} {seconds:8.2f} s")
    tests = child(["--stage", "tests", *common])
    print(f"their data tests: {tests['seconds']:.1f} s wall, {tests['peak_rss_mib']:.0f} MiB peak RSS")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
