"""Benchmarks of the extractor (figures, not tests). `python -m benchmarks.bench_crawl [PART ...]`

Parts (all by default):
  requests  requests per repo on a first crawl and on refreshes, and throughput in repos/s,
            against the emulator with no limit (--models, default 50,000)
  paper     the paper's way (sequential: one commits call, one discussions call and one
            model_info per model) vs this extractor, same Hub, same rate limit, time scaled down
  load      loading model rows into DuckDB with dlt: Arrow tables with JSON text columns (what
            the extractor does) vs Python dicts with JSON columns vs dicts with child tables
            (--rows, default 200,000; each variant in its own process for its peak memory)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")


def peak_mb() -> float:
    """This process's peak resident memory. (ru_maxrss survives exec on Linux, so a child
    process would report its parent's peak: VmHWM does not.)"""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _hub(work: Path, models: int, seed: int = 1) -> Path:
    from hubwh.synth import generate

    snap = work / f"hub_{models}"
    if not (snap / "manifest.json").exists():
        t = time.perf_counter()
        generate(snap, models=models, datasets=0, spaces=0, seed=seed)
        print(f"  synthetic Hub of {models:,} models written in {time.perf_counter() - t:.1f} s")
    return snap


# -- requests per repo and throughput ------------------------------------------------------------
def bench_requests(work: Path, models: int, workers: int) -> None:
    from extract.pipeline import crawl
    from hubwh.emulator import Emulator

    print(f"\n== requests per repo and throughput: {models:,} models, no rate limit, {workers} workers")
    snap = _hub(work, models)
    db = work / "requests.duckdb"
    for p in (db, work / "requests.pipelines"):
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
    run = dict(
        budget=None,
        progress=False,
        token=False,
        workers=workers,
        types=("model",),
        pipelines_dir=work / "requests.pipelines",
    )
    with Emulator(snap) as emu:
        for label, kw, mutate in (
            ("first crawl", {}, 0),
            ("refresh, unchanged", {}, 0),
            ("refresh, 1% new commits", {}, models // 100),
            ("refresh, discussions TTL due (ttl 0)", {"discussions_ttl_days": 0}, 0),
        ):
            if mutate:
                ids = [r["id"] for r in _models(snap)][:mutate]
                for k, repo_id in enumerate(ids):
                    emu.mutate_repo(
                        "model",
                        repo_id,
                        new_commit={
                            "id": f"{k:040x}",
                            "title": "bench",
                            "message": "",
                            "authors": [{"user": "bench"}],
                            "date": "2023-10-25T00:00:00.000Z",
                        },
                    )
            emu.reset_counts()
            t = time.perf_counter()
            crawl(emu.url, db, **run, **kw)
            elapsed = time.perf_counter() - t
            c = emu.counts()
            print(
                f"  {label:<38} {c['total']:>8,} requests = {c['total'] / models:.3f}/repo "
                f"(list {c['list:model']}, commits {c['commits']:,}, discussions {c['discussions']:,}); "
                f"{elapsed:6.1f} s, {models / elapsed:,.0f} repos/s, {c['total'] / elapsed:,.0f} req/s"
            )
    print(f"  peak memory (this process, emulator included): {peak_mb():,.0f} MB")


def _models(snap: Path):
    from hubwh.snapshot import Snapshot

    return Snapshot(snap).iter_repos("model")


# -- the paper's way vs this extractor -------------------------------------------------------------
def paper_way(endpoint: str, budget: tuple[int, float]) -> int:
    """Sequential, as the paper's scripts: list the models, then per model one commits listing,
    one discussions listing and one model_info (to learn the spaces that use it). Same client
    (same rate limiter and retries) as the extractor; returns repos done."""
    from huggingface_hub.errors import HfHubHTTPError

    from extract.client import HubClient

    done = 0
    with HubClient(endpoint, token=False, budget=budget) as client:
        api = client.api
        for model in api.list_models():
            for call in (
                lambda: list(api.list_repo_commits(model.id)),
                lambda: list(api.get_repo_discussions(model.id)),
                lambda: api.model_info(model.id),
            ):
                try:
                    call()
                except HfHubHTTPError:  # private, gated, deleted: the paper's scripts record NaN
                    pass
            done += 1
    return done


def bench_paper(work: Path, models: int, scale: float, latency_ms: float) -> None:
    from extract.pipeline import crawl
    from hubwh.emulator import Emulator

    calls, seconds = 1000, 300 / scale
    print(
        f"\n== the paper's way vs this extractor: {models:,} models; the free tier's 1000 calls / 300 s "
        f"scaled {scale:g}x faster to 1000 / {seconds:g} s, latency {latency_ms:g} ms "
        f"(a ~{latency_ms * scale / 1000:.2g} s round trip, scaled)"
    )
    snap = _hub(work, models, seed=2)
    results = {}
    for name in ("paper", "extractor"):
        with Emulator(snap, rate_limit=(calls, seconds), latency_ms=latency_ms) as emu:
            t = time.perf_counter()
            if name == "paper":
                paper_way(emu.url, (calls, seconds))
            else:
                db = work / "paper_cmp.duckdb"
                db.unlink(missing_ok=True)
                shutil.rmtree(work / "paper_cmp.pipelines", ignore_errors=True)
                crawl(
                    emu.url,
                    db,
                    budget=(calls, seconds),
                    progress=False,
                    token=False,
                    types=("model",),
                    pipelines_dir=work / "paper_cmp.pipelines",
                )
            elapsed = time.perf_counter() - t
            c = emu.counts()
            results[name] = (c["total"], elapsed, c["429"])
            print(
                f"  {name:<10} {c['total']:>7,} requests ({c['total'] / models:.2f}/model), {elapsed:7.1f} s "
                f"(= {elapsed * scale / 3600:.2f} h at the real budget), 429s {c['429']}"
            )
    (rp, tp, _), (re_, te, _) = results["paper"], results["extractor"]
    print(f"  ratio paper / extractor: requests {rp / re_:.2f}x, wall time {tp / te:.2f}x")
    print("  the extractor's refresh of an unchanged Hub costs only the list pages (see `requests`)")


# -- load formats -------------------------------------------------------------------------------
_TAGS = [
    "transformers",
    "pytorch",
    "safetensors",
    "text-generation",
    "en",
    "license:mit",
    "region:us",
    "endpoints_compatible",
    "autotrain_compatible",
    "conversational",
]


def _model_rows(n: int):
    rnd = random.Random(0)
    listed = datetime(2026, 11, 26, tzinfo=UTC)
    for i in range(n):
        yield {
            "repo_id": f"org{i % 20000}/model-{i}",
            "author": f"org{i % 20000}",
            "likes": rnd.randint(0, 100),
            "downloads": rnd.randint(0, 10000),
            "downloads_all_time": rnd.randint(0, 100000),
            "trending_score": 0,
            "tags": _TAGS[: rnd.randint(2, 10)] + [f"dataset:org/d{i % 500}"],
            "pipeline_tag": "text-generation",
            "library_name": "transformers",
            "created_at": datetime(2024, 1, 1, tzinfo=UTC),
            "last_modified": datetime(2024, 2, 1, tzinfo=UTC),
            "sha": f"{i:040x}",
            "gated": "false",
            "card_license": "mit",
            "safetensors_total": 1_000_000,
            "first_listed_at": listed,
            "last_listed_at": listed,
            "is_listed": True,
        }


def _load_one(mode: str, rows: int, workdir: str) -> None:
    """One variant in this process; prints a JSON line of figures."""
    import dlt
    import duckdb

    from extract.hf_hub import dlt_columns, to_arrow
    from extract.warehouse import configure_dlt

    configure_dlt()
    page = 1000

    def pages():
        buf = []
        for r in _model_rows(rows):
            buf.append(r)
            if len(buf) == page:
                yield buf
                buf = []
        if buf:
            yield buf

    if mode == "arrow_json":

        def gen():
            for p in pages():
                for r in p:
                    r["tags"] = json.dumps(r["tags"])
                    r["card_license"] = json.dumps(r["card_license"])
                yield to_arrow("models", p)

        data = dlt.resource(
            gen(), name="models", primary_key="repo_id", write_disposition="merge", columns=dlt_columns("models")
        )
    elif mode == "dicts_json":
        cols = {"tags": {"data_type": "json"}, "card_license": {"data_type": "json"}}
        data = dlt.resource(pages(), name="models", primary_key="repo_id", write_disposition="merge", columns=cols)
    else:  # dicts_child: dlt's default, lists become raw.models__tags
        data = dlt.resource(pages(), name="models", primary_key="repo_id", write_disposition="merge")
    db = Path(workdir) / f"{mode}.duckdb"
    p = dlt.pipeline(
        f"bench_{mode}",
        destination=dlt.destinations.duckdb(str(db)),
        dataset_name="raw",
        pipelines_dir=str(Path(workdir) / "pipelines"),
    )
    t = time.perf_counter()
    p.run(data, loader_file_format="parquet")
    first = time.perf_counter() - t
    con = duckdb.connect(str(db), read_only=True)
    n = con.execute("SELECT count(*) FROM raw.models").fetchone()[0]
    con.close()
    assert n == rows, (n, rows)
    print(json.dumps({"mode": mode, "rows": rows, "seconds": first, "peak_mb": peak_mb()}))


LOAD_MODES = ("arrow_json", "dicts_json", "dicts_child")


def bench_load(work: Path, rows: int, modes=LOAD_MODES) -> None:
    print(f"\n== loading {rows:,} model rows (merge into an empty DuckDB), one process per variant")
    out = {}
    for mode in modes:
        d = tempfile.mkdtemp(dir=work)
        r = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_crawl", "_load_one", mode, str(rows), d],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        shutil.rmtree(d, ignore_errors=True)
        if r.returncode != 0:
            print(f"  {mode}: failed\n{r.stderr[-2000:]}")
            continue
        fig = json.loads(r.stdout.strip().splitlines()[-1])
        out[mode] = fig
        print(
            f"  {mode:<12} {fig['seconds']:7.1f} s  {rows / fig['seconds']:>9,.0f} rows/s  "
            f"peak {fig['peak_mb']:,.0f} MB  -> 2,000,000 rows in ~{2e6 / rows * fig['seconds'] / 60:.1f} min"
        )
    if "arrow_json" in out:
        for mode in ("dicts_json", "dicts_child"):
            if mode in out:
                print(f"  arrow_json is {out[mode]['seconds'] / out['arrow_json']['seconds']:.1f}x faster than {mode}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_load_one":
        _load_one(argv[1], int(argv[2]), argv[3])
        return 0
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_crawl",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("parts", nargs="*", default=["requests", "paper", "load"])
    ap.add_argument("--models", type=int, default=50_000, help="models for `requests` (default 50,000)")
    ap.add_argument("--paper-models", type=int, default=1000, help="models for `paper` (default 1,000)")
    ap.add_argument("--scale", type=float, default=20, help="time scale of `paper` (default 20x)")
    ap.add_argument("--latency-ms", type=float, default=7.5, help="emulator latency of `paper` (default 7.5)")
    ap.add_argument("--rows", type=int, default=200_000, help="rows for `load` (default 200,000)")
    ap.add_argument("--load-modes", default=",".join(LOAD_MODES), help="variants of `load`")
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--workdir", help="keep synthetic Hubs and databases here (default: a temporary folder)")
    args = ap.parse_args(argv)
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="bench_crawl_"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if "requests" in args.parts:
            bench_requests(work, args.models, args.workers)
        if "paper" in args.parts:
            bench_paper(work, args.paper_models, args.scale, args.latency_ms)
        if "load" in args.parts:
            bench_load(work, args.rows, tuple(args.load_modes.split(",")))
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
