"""Benchmark (not a test): the lineage build (docs/methods.md §9) at today's Hub scale, and the
ancestor closure as a recursive CTE in DuckDB vs the Python library function.

    .venv/bin/python -m benchmarks.bench_lineage [--models 2500000] [--parent-share 0.2] [--work DIR]

Steps: (1) a Hub of `--models` model rows is written straight into raw.models (the extractor's
contract, models/staging/_hf_hub__sources.yml), a fifth of them with parents: three giant
families (100,000+ descendants each), chains from earlier derivatives, small families of
arbitrary models, merges of 2-4 parents, unlisted parents, self-references, 2- and 3-cycles
with and without a way out; tags in both `base_model:` forms and cards with base_model (string
or list) and base_model_relation; (2) `dbt build` of the lineage models with their parents and
data tests runs in a child process (wall time, peak RSS, per-model times); (3) the closure
alone, from the built edges table, in two fresh child processes: the recursive CTE of
int_model_lineage_closure (its compiled SQL; `USING KEY`, the cycle guard: a (model, ancestor)
pair is kept once, at its first, shortest distance) and the Python candidate,
hubwh.lineage.ancestor_closure, read from and written back to DuckDB as a dbt Python model
would; both must give the same rows. Every step runs in its own process and reports its own
peak RSS (VmHWM, which a forked child does not inherit from the parent).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from benchmarks.stage_process import run_stage

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LINEAGE_SELECT = (
    "+model_lineage +model_family_members +model_families +lineage_summary +organisation_derivatives "
    "+lineage_license_drift"
)
RELATIONS = ("finetune", "adapter", "quantized", "merge")
LICENSES = ("apache-2.0", "mit", "openrail", "llama2", "cc-by-nc-4.0", "creativeml-openrail-m")

CHECKSUM = "select count(*), sum(distance), sum(hash(model_id, ancestor_id, distance)) from closure"


def make_hub(n_models: int, parent_share: float, seed: int) -> tuple[pa.Table, dict]:
    """raw.models rows of a Hub with lineage (see the module docstring) and what was planted."""
    rng = np.random.default_rng(seed)
    n_ns = max(10, n_models // 4)
    # heavy-tailed accounts: a few publish thousands
    namespace = np.minimum((rng.pareto(1.1, n_models) * 3).astype(np.int64), n_ns - 1)
    ids = [f"ns{ns}/model-{i}" for i, ns in enumerate(namespace.tolist())]
    giants = [0, 1, 2]
    is_child = rng.random(n_models) < parent_share
    is_child[giants] = False
    children = np.flatnonzero(is_child)
    m = children.size
    kind = rng.random(m)
    u = rng.random(m)
    parents: dict[int, list] = {}
    non_children = np.flatnonzero(~is_child)
    for r, (child, k, v) in enumerate(zip(children.tolist(), kind.tolist(), u.tolist())):
        if k < 0.45 or r == 0:
            ps = [giants[0 if v < 0.4 else 1 if v < 0.75 else 2]]
        elif k < 0.75:
            ps = [int(children[int(v * r)])]  # an earlier derivative: chains
        elif k < 0.97:
            ps = [int(non_children[int(v * non_children.size)])]  # small families
        elif k < 0.99:
            ps = [f"gone/model-{child}"]  # not listed
        else:
            ps = [int(children[int(v * r)]), giants[int(v * 3)]]
            ps += [int(non_children[int(x * non_children.size)]) for x in rng.random(int(v * 10) % 3)]
        parents[child] = ps
    # cycles among models without parents: half with a way out (one member also under a giant)
    spare = rng.choice(non_children[non_children > 2], size=500, replace=False).tolist()
    planted = {"two_cycles": 0, "three_cycles": 0, "self_references": 0}
    for c in range(50):
        a, b, x, y, z = spare[c * 5 : c * 5 + 5]
        parents[a], parents[b] = [b], [a]
        parents[x], parents[y], parents[z] = [z], [x], [y]
        if c % 2:
            parents[a].append(giants[0])
            parents[x].append(giants[1])
        planted["two_cycles"] += 1
        planted["three_cycles"] += 1
    for s in spare[250:350]:
        parents.setdefault(s, []).append(s)
        planted["self_references"] += 1

    tags, card_models, card_relations = [], [], []
    licensed = rng.random(n_models) < 0.35
    lic = rng.integers(0, len(LICENSES), n_models)
    form = rng.random(n_models)
    for i in range(n_models):
        tag = ["transformers", "safetensors"]
        base, relation_json = None, None
        ps = parents.get(i)
        if ps:
            names = [ids[p] if isinstance(p, int) else p for p in ps]
            relation = "merge" if len(names) > 1 else RELATIONS[i % 3]
            f = form[i]
            if f < 0.45:  # plain tags and the card
                tag += [f"base_model:{p}" for p in names]
                base = names[0] if len(names) == 1 else names
            elif f < 0.8:  # both tag forms and the card, with its relation
                tag += [f"base_model:{p}" for p in names] + [f"base_model:{relation}:{p}" for p in names]
                base = names
                relation_json = json.dumps(relation)
            elif f < 0.95:  # tags only
                tag += [f"base_model:{p}" for p in names]
            else:  # card only, with its relation
                base = names[0] if len(names) == 1 else names
                relation_json = json.dumps(relation)
        if licensed[i]:
            tag.append(f"license:{LICENSES[lic[i]]}")
        tag.append("region:us")
        tags.append(json.dumps(tag))
        card_models.append(None if base is None else json.dumps(base))
        card_relations.append(relation_json)
    likes = np.minimum(rng.pareto(1.2, n_models).astype(np.int64), 50_000)
    downloads = np.minimum((rng.pareto(0.8, n_models) * 10).astype(np.int64), 10**8)
    table = pa.table(
        {
            "repo_id": ids,
            "author": [i.split("/")[0] for i in ids],
            "likes": likes,
            "downloads": downloads,
            "tags": tags,
            "card_base_model": card_models,
            "card_base_model_relation": card_relations,
            "is_listed": np.ones(n_models, dtype=bool),
        }
    )
    planted["models_with_parent"] = sum(1 for i, ps in parents.items() if any(p != i for p in ps))
    return table, planted


def write_raw(db: Path, models: pa.Table) -> None:
    """Every raw table of the contract (empty but models), as the extractor's schema has them."""
    import duckdb

    from extract.hf_hub import create_raw_tables

    con = duckdb.connect(str(db))
    create_raw_tables(con)
    names = ", ".join(models.column_names)
    con.execute(f"insert into raw.models ({names}) select {names} from models")
    con.close()


def peak_rss_mib() -> float:
    """This process's peak resident set size (VmHWM), in MiB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(stage: list[str]) -> dict:
    """Run `python -m benchmarks.bench_lineage --stage ...` in a fresh process; its JSON report."""
    return run_stage("benchmarks.bench_lineage", stage)


def stage_hub(args) -> dict:
    started = time.perf_counter()
    models, planted = make_hub(args.models, args.parent_share, args.seed)
    write_raw(Path(args.db), models)
    return {"seconds": time.perf_counter() - started, "peak_rss_mib": peak_rss_mib(), "planted": planted}


def stage_dbt(args) -> dict:
    """`dbt build` of the lineage models, their parents and data tests, in this process."""
    from hubwh.build import run_dbt

    os.environ["DBT_TARGET_PATH"] = str(args.work / "target")
    os.environ["DBT_LOG_PATH"] = str(args.work / "logs")
    started = time.perf_counter()
    run_dbt(["build", "--select", LINEAGE_SELECT, "--indirect-selection", "cautious"], args.db, quiet=True)
    return {"seconds": time.perf_counter() - started, "peak_rss_mib": peak_rss_mib()}


def stage_closure(args) -> dict:
    """One closure run from the built edges table: wall time, peak RSS, row count and a checksum."""
    import duckdb

    from hubwh.lineage import ancestor_closure  # (its imports are not timed)

    compiled = args.work / "target" / "compiled" / "hub_warehouse" / "models" / "intermediate"
    con = duckdb.connect(str(args.db), read_only=True)
    started = time.perf_counter()
    if args.engine == "cte":
        con.execute("create temp table closure as " + (compiled / "int_model_lineage_closure.sql").read_text())
    else:
        edges = con.sql("select child_id, parent_id from intermediate.int_model_lineage_edges").to_arrow_table()
        result = ancestor_closure(edges)  # noqa: F841 (read by DuckDB)
        con.execute("create temp table closure as select * from result")
    seconds = time.perf_counter() - started
    rows, total, digest = con.execute(CHECKSUM).fetchone()
    return {
        "seconds": seconds,
        "peak_rss_mib": peak_rss_mib(),
        "rows": rows,
        "sum_distance": int(total),
        "digest": str(digest),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=2_500_000)
    parser.add_argument("--parent-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench_lineage"))
    parser.add_argument("--stage", choices=("hub", "dbt", "closure"), help=argparse.SUPPRESS)
    parser.add_argument("--engine", choices=("cte", "python"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.db = args.work / "warehouse.duckdb"
    if args.stage:
        report = {"hub": stage_hub, "dbt": stage_dbt, "closure": stage_closure}[args.stage](args)
        print(json.dumps(report))
        return 0

    args.work.mkdir(parents=True, exist_ok=True)
    args.db.unlink(missing_ok=True)
    common = ["--work", str(args.work), "--models", str(args.models), "--parent-share", str(args.parent_share)]
    hub = child(["--stage", "hub", *common, "--seed", str(args.seed)])
    print(f"raw.models: {args.models:,} models, {hub['planted']} in {hub['seconds']:.1f} s")

    build = child(["--stage", "dbt", *common])
    print(
        f"dbt build (lineage models + parents + data tests): {build['seconds']:.1f} s wall, "
        f"peak RSS {build['peak_rss_mib']:,.0f} MiB"
    )
    results = json.loads((args.work / "target" / "run_results.json").read_text())
    by_kind: dict[str, float] = {}
    for r in results["results"]:
        kind = r["unique_id"].split(".")[0]
        by_kind[kind] = by_kind.get(kind, 0.0) + r["execution_time"]
    print("  execution time by kind: " + ", ".join(f"{k} {v:.1f} s" for k, v in sorted(by_kind.items())))
    for r in sorted(results["results"], key=lambda r: -r["execution_time"])[:10]:
        print(f"  {r['unique_id'].split('.')[-1][:60]:<60} {r['execution_time']:7.2f} s")

    import duckdb

    con = duckdb.connect(str(args.db), read_only=True)
    print(
        con.sql(
            "select measure, value from marts.lineage_summary where measure in ('n_edges', "
            "'share_with_parent', 'n_families', 'family_size_max', 'depth_max', 'n_cycles', "
            "'n_cycles_without_way_out', 'self_references_dropped') order by measure"
        )
    )
    print(con.sql("select root_id, n_descendants, max_depth from marts.model_families order by 2 desc limit 4"))
    con.close()

    runs = {}
    for engine in ("cte", "python"):
        runs[engine] = child(["--stage", "closure", "--engine", engine, *common])
        r = runs[engine]
        print(f"closure, {engine:<6}: {r['seconds']:.2f} s, peak RSS {r['peak_rss_mib']:,.0f} MiB, {r['rows']:,} pairs")
    same = all(runs["python"][k] == runs["cte"][k] for k in ("rows", "sum_distance", "digest"))
    print(f"same closure from both: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
