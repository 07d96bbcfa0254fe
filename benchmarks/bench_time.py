"""Benchmark (not a test): activity_monthly and collab_timeline (docs/methods.md §10) at the paper's
scale and at today's (docs/methods.md §7), and the quarter-by-quarter network grown incrementally
(what collab_timeline does) against rebuilding it from the commits for every quarter.

    .venv/bin/python -m benchmarks.bench_time [--scale paper|today|both] [--work DIR]

Steps, each in its own process (peak RSS is VmHWM): (1) a Hub of model repos written straight
into raw.models, raw.commits, raw.discussions and raw.fetch_log (the extractor's contract): paper
scale 348,181 models and about 101,000 developers, today's 2,500,000 and about 700,000; creation
dates growing exponentially, most commits in the first days after creation and a maintenance
tail, one owner per repo (heavy-tailed), extra committers only in some repos of "social"
developers, with the same few partners each (so about nine in ten developers are isolates);
(2) `dbt run` of everything upstream (not timed); (3) `dbt run` of activity_monthly with its
own intermediates; (4) `dbt run` of collab_timeline with int_model_collab_links_dated; (5) the
rebuild: for every quarter end, docs/methods.md §4's construction in DuckDB on the commits dated up
to it, then the same measures with networkx; both ways must give the same rows. Models only:
the datasets and spaces of a Hub add to activity_monthly in proportion, not to collab_timeline.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.stage_process import run_stage

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCALES = {
    "paper": {"models": 348_181, "developers": 101_144, "as_of": "2023-10-20"},
    "today": {"models": 2_500_000, "developers": 700_000, "as_of": "2025-10-20"},
}
MONTHLY_MODELS = "int_commits_dated int_commit_developers_dated int_discussions_dated int_hub_clock activity_monthly"
TIMELINE_MODELS = "int_model_collab_links_dated collab_timeline"
COMPARED = ["developers", "isolates", "non_isolates", "edges", "reciprocity", "max_k", "max_core_nodes", "degree_gini"]


def peak_rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def make_hub(db: Path, n_models: int, n_devs: int, as_of: str, seed: int) -> dict:
    """raw tables of a Hub of model repos (see the module docstring)."""
    import duckdb

    from extract.hf_hub import create_raw_tables

    rng = np.random.default_rng(seed)
    day = 86_400.0
    t_end = np.datetime64(f"{as_of}T00:00:00").astype("datetime64[s]").astype(np.int64)
    t_start = np.datetime64("2019-01-01T00:00:00").astype("datetime64[s]").astype(np.int64)
    age = rng.exponential(210 / math.log(2) * day, n_models)
    created = t_end - age
    old = created < t_start
    created[old] = t_start + rng.random(old.sum()) * (t_end - t_start) * 0.3
    owner = np.minimum((n_devs * rng.random(n_models) ** 1.35).astype(np.int64), n_devs - 1)
    n_social = int(n_devs * 0.12)
    social = owner < n_social
    multi = social & (rng.random(n_models) < 0.45)
    offsets = np.array([1, 2, 3, 5, 8])
    p1 = np.where(multi, (owner + offsets[rng.integers(0, 5, n_models)]) % n_social, -1)
    p2 = np.where(multi & (rng.random(n_models) < 0.3), (owner + offsets[rng.integers(0, 5, n_models)]) % n_social, -1)
    p2 = np.where(p2 == p1, -1, p2)
    n_commits = 1 + np.maximum(1, rng.geometric(0.45, n_models))
    n_commits = np.maximum(n_commits, 2 + (p1 >= 0) + (p2 >= 0))
    import pyarrow as pa

    repos = pa.table(  # noqa: F841 (read by DuckDB)
        {
            "i": np.arange(n_models),
            "owner": owner,
            "p1": p1,
            "p2": p2,
            "created": created.astype(np.int64),
            "span": np.maximum(t_end - created, 3600).astype(np.int64),
            "n_commits": n_commits,
            "n_disc": np.where(rng.random(n_models) < 0.16, rng.integers(1, 4, n_models), 0),
        }
    )
    con = duckdb.connect(str(db))
    create_raw_tables(con)
    con.execute("set preserve_insertion_order = false")
    con.execute("""
        create temp table commits as
        with expanded as (
            select r.*, unnest(range(r.n_commits)) as j from repos as r
        ),
        dated as (
            select *,
                -- one uniform per commit: 70 % in a burst after creation (mean 1.5 days), the rest a
                -- maintenance tail over the repo's life
                (hash(i, j, 'u') % 1000003) / 1000003.0 as u,
                (hash(i, j, 'a') % 1000) / 1000.0 as v
            from expanded
        )
        select
            'ns' || owner || '/model-' || i as repo_id,
            i, j, n_commits,
            to_timestamp(created + case
                when j = 0 then 0
                when u < 0.7 then 1 + (-1.5 * 86400 * ln(1 - u / 0.7))
                else 1 + span * pow((u - 0.7) / 0.3, 1.5)
            end) as committed_at,
            case
                when j = 0 then 'system'
                when j = 2 and p1 >= 0 then 'dev' || p1
                when j = 3 and p2 >= 0 then 'dev' || p2
                when j > 3 and p1 >= 0 and v < 0.3 then 'dev' || p1
                else 'dev' || owner
            end as author
        from dated
    """)
    now = "timestamptz '" + as_of + " 12:00:00+00'"
    con.execute(f"""
        insert into raw.commits (repo_type, repo_id, commit_id, commit_position, committed_at, title, authors,
                                 fetched_at)
        select 'model', repo_id, md5(repo_id || '/' || j), n_commits - row_number() over (
                   partition by i order by committed_at, j),
               least(committed_at, {now}), 'c', to_json([author]), {now}
        from commits
    """)
    con.execute(f"""
        insert into raw.models (repo_id, author, likes, downloads, tags, created_at, last_modified, sha, is_listed)
        select 'ns' || owner || '/model-' || i, 'ns' || owner, 0, 0, '[]', to_timestamp(created),
               least(to_timestamp(created + span), {now}), md5('sha' || i), true
        from repos
    """)
    con.execute(f"""
        insert into raw.discussions (repo_type, repo_id, num, title, status, is_pull_request, author, created_at,
                                     fetched_at)
        select 'model', 'ns' || owner || '/model-' || i, k + 1, 'q', 'open', false,
               'dev' || (hash(i, k) % {n_devs}), to_timestamp(created + span * ((hash(i, k, 'd') % 1000) / 1000.0)),
               {now}
        from (select *, unnest(range(n_disc)) as k from repos where n_disc > 0)
    """)
    con.execute(f"""
        insert into raw.fetch_log (repo_type, repo_id, resource, status, n_requests, fetched_at, last_ok_at, n_rows)
        select 'model', 'ns' || owner || '/model-' || i, resource, 'ok', 1, {now}, {now},
               case when resource = 'commits' then n_commits else n_disc end
        from repos cross join (values ('commits'), ('discussions')) as t(resource)
    """)
    counts = {
        t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in ("models", "commits", "discussions")
    }
    con.close()
    return counts


# The intermediates the time models read, straight from raw: this Hub has no bot but `system` and
# no alias, so they hold what the project's own models give (which take most of the upstream time:
# identity candidates, bots, licenses...). `--upstream dbt` builds the real ones instead.
SHORTCUT = {
    "int_repos_unioned": """select 'model' as repo_type, repo_id, author, created_at, last_modified, likes, downloads,
        downloads_all_time from raw.models""",
    "int_commits_filtered_to_latest_fetch": """select repo_type, repo_id, commit_id, commit_position, committed_at,
        title, fetched_at from raw.commits""",
    "int_repo_fetches_current": "select repo_type, repo_id, resource from raw.fetch_log where status = 'ok'",
    "int_commit_authors_resolved": """select *, nullif(raw_author, 'system') as developer, false as is_bot from (
        select repo_type, repo_id, commit_id, commit_position,
            cast(unnest(range(cast(json_array_length(authors) as bigint))) as integer) as author_position,
            unnest(cast(authors as varchar[])) as raw_author
        from raw.commits)""",
    "int_discussions_filtered_to_latest_fetch": """select repo_type, repo_id, num as discussion_num, title, status,
        is_pull_request, author, created_at, fetched_at from raw.discussions""",
    "int_discussion_authors_resolved": """select repo_type, repo_id, num as discussion_num, is_pull_request,
        author as raw_author, author as developer, false as is_bot from raw.discussions""",
    "int_model_commit_first_authors": """select repo_id, commit_id, arg_min(developer, author_position) as developer
        from intermediate.int_commit_authors_resolved where repo_type = 'model' and developer is not null
        group by all""",
}


def shortcut_upstream(db: Path) -> dict:
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect(str(db))
    con.execute("create schema if not exists intermediate")
    for name, sql in SHORTCUT.items():
        con.execute(f"create or replace table intermediate.{name} as {sql}")
    con.close()
    return {"seconds": time.perf_counter() - started, "peak_rss_mib": peak_rss_mib()}


def child(stage: list[str]) -> dict:
    """Run `python -m benchmarks.bench_time --stage ...` in a fresh process; its JSON report."""
    return run_stage("benchmarks.bench_time", stage)


def _dbt(args, dbt_args: list[str]) -> dict:
    from hubwh.build import run_dbt

    os.environ["DBT_TARGET_PATH"] = str(args.work / "target")
    os.environ["DBT_LOG_PATH"] = str(args.work / "logs")
    started = time.perf_counter()
    run_dbt(dbt_args, args.db, quiet=True)
    seconds = time.perf_counter() - started
    results = json.loads((args.work / "target" / "run_results.json").read_text())["results"]
    per_model = {r["unique_id"].split(".")[-1]: round(r["execution_time"], 2) for r in results}
    return {"seconds": seconds, "peak_rss_mib": peak_rss_mib(), "models": per_model}


def stage(args) -> dict:
    if args.stage == "hub":
        started = time.perf_counter()
        counts = make_hub(args.db, args.models, args.developers, args.as_of, args.seed)
        return {"seconds": time.perf_counter() - started, "peak_rss_mib": peak_rss_mib(), "rows": counts}
    if args.stage == "upstream" and args.upstream == "shortcut":
        return shortcut_upstream(args.db)
    if args.stage == "upstream":
        mine = f"{MONTHLY_MODELS} {TIMELINE_MODELS}"
        seeds = _dbt(args, ["seed"])
        run = _dbt(args, ["run", "--select", "+activity_monthly +collab_timeline", "--exclude", mine])
        return run | {"seconds": seeds["seconds"] + run["seconds"]}
    if args.stage == "monthly":
        return _dbt(args, ["run", "--select", MONTHLY_MODELS])
    if args.stage == "timeline":
        return _dbt(args, ["run", "--select", TIMELINE_MODELS])
    if args.stage == "rebuild":
        return rebuild(args)
    raise SystemExit(f"unknown stage {args.stage}")


def rebuild(args) -> dict:
    """collab_timeline the slow way: per quarter end, the edge list from the commits dated up to
    it (docs/methods.md §4 in SQL, as collab_edges), then networkx; compared with the mart."""
    import duckdb
    import networkx as nx
    import pandas as pd

    from hubwh.network.graph import build_graph
    from hubwh.network.timeline import timeline_frame
    from hubwh.stats import gini

    con = duckdb.connect(str(args.db), read_only=True)
    built = con.execute("select * from marts.collab_timeline order by quarter_end").df()
    # the incremental way in this process too (the dbt run adds dbt's own overhead): the links'
    # SQL (compiled by the timeline stage), then the quarter-by-quarter growth
    compiled = args.work / "target" / "compiled" / "hub_warehouse" / "models" / "intermediate"
    started, cpu = time.perf_counter(), time.process_time()
    links = con.execute((compiled / "int_model_collab_links_dated.sql").read_text()).df()
    sql_done = time.perf_counter()
    grown = timeline_frame(links, until=built["quarter_end"].max(), since=built["quarter_end"].min())
    incremental = {
        "seconds": time.perf_counter() - started,
        "sql_seconds": sql_done - started,
        "cpu_seconds": time.process_time() - cpu,
        "same": bool(np.allclose(grown[COMPARED].to_numpy(float), built[COMPARED].to_numpy(float), equal_nan=True)),
    }
    started, cpu = time.perf_counter(), time.process_time()
    rows = []
    for end in built["quarter_end"]:
        edges = con.execute(
            """
            with c as (
                select d.repo_id, d.commit_id, d.author_position, d.developer
                from intermediate.int_commit_developers_dated as d
                where d.repo_type = 'model' and d.committed_at < cast(? as date) + interval 1 day
            ),
            members as (select distinct repo_id, developer from c),
            sizes as (select repo_id, count(*) as n from members group by repo_id),
            firsts as (select repo_id, commit_id, arg_min(developer, author_position) as a from c group by all)
            select f.a as source, m.developer as target, count(*) as weight
            from firsts as f join members as m using (repo_id) join sizes as s using (repo_id)
            where m.developer <> f.a or s.n = 1
            group by all
            """,
            [pd.Timestamp(end).date()],
        ).df()
        graph = build_graph(edges)
        n, e = graph.number_of_nodes(), graph.number_of_edges()
        linked = [d for _, d in graph.degree() if d > 0]
        core = nx.core_number(graph) if e else {}
        max_k = max(core.values(), default=0)
        g = gini(linked) if linked else None
        rows.append(
            {
                "developers": n,
                "isolates": n - len(linked),
                "non_isolates": len(linked),
                "edges": e,
                "reciprocity": nx.reciprocity(graph) if e else math.nan,
                "max_k": max_k,
                "max_core_nodes": sum(1 for c in core.values() if c == max_k) if e else 0,
                "degree_gini": math.nan if g is None else g,
            }
        )
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    rebuilt = pd.DataFrame(rows)
    same = bool(np.allclose(rebuilt[COMPARED].to_numpy(float), built[COMPARED].to_numpy(float), equal_nan=True))
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_rss_mib": peak_rss_mib(),
        "same": same,
        "quarters": len(rows),
        "incremental": incremental,
    }


def run_scale(name: str, args) -> None:
    spec = SCALES[name]
    work = args.work / name
    work.mkdir(parents=True, exist_ok=True)
    (work / "warehouse.duckdb").unlink(missing_ok=True)
    common = ["--work", str(work), "--models", str(spec["models"]), "--developers", str(spec["developers"])]
    common += ["--as-of", spec["as_of"], "--upstream", args.upstream]
    hub = child(["--stage", "hub", *common])
    print(f"[{name}] raw: {hub['rows']} in {hub['seconds']:.0f} s")
    up = child(["--stage", "upstream", *common])
    print(f"[{name}] upstream ({args.upstream}, not part of the figures): {up['seconds']:.0f} s")
    for part in ("monthly", "timeline"):
        r = child(["--stage", part, *common])
        models = ", ".join(f"{m} {s:.1f} s" for m, s in r["models"].items())
        print(f"[{name}] {part}: {r['seconds']:.1f} s wall (dbt run), peak RSS {r['peak_rss_mib']:,.0f} MiB; {models}")
    r = child(["--stage", "rebuild", *common])
    inc = r["incremental"]
    print(
        f"[{name}] grown incrementally (links SQL once + timeline_frame): {inc['seconds']:.1f} s wall "
        f"({inc['sql_seconds']:.1f} s SQL), {inc['cpu_seconds']:.1f} s CPU; same rows: {inc['same']}"
    )
    print(
        f"[{name}] rebuilt per quarter ({r['quarters']} quarters, SQL edge list + networkx): {r['seconds']:.1f} s "
        f"wall, {r['cpu_seconds']:.1f} s CPU, peak RSS {r['peak_rss_mib']:,.0f} MiB; same rows: {r['same']}"
    )
    import duckdb

    con = duckdb.connect(str(work / "warehouse.duckdb"), read_only=True)
    print(
        con.sql(
            "select quarter, developers, isolate_share, edges, reciprocity, max_k, max_core_nodes "
            "from marts.collab_timeline order by quarter_end desc limit 3"
        )
    )
    print(
        con.sql(
            "select count(*) as months, sum(n_commits) as commits, max(n_active_developers) as peak_active "
            "from marts.activity_monthly"
        )
    )
    con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("paper", "today", "both"), default="both")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench_time"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--upstream",
        choices=("shortcut", "dbt"),
        default="shortcut",
        help="the intermediates the time models read: from raw directly (default) or dbt's own",
    )
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--models", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--developers", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--as-of", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.db = args.work / "warehouse.duckdb"
    if args.stage:
        print(json.dumps(stage(args)))
        return 0
    for name in ("paper", "today") if args.scale == "both" else (args.scale,):
        run_scale(name, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
