"""`hubwh demo`: the whole job, offline, on a built-in synthetic Hub.

synthetic Hub snapshot -> Hub emulator (in-process, 127.0.0.1) -> crawl (real
huggingface_hub client, real dlt load into DuckDB) -> dbt build (all models and
data tests) -> headline findings in the terminal -> HTML report and Parquet
exports of the public marts."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from hubwh.paths import PROJECT_ROOT, warehouse_path

DEMO_SIZES = {"models": 3000, "datasets": 600, "spaces": 1200}
DEMO_SEED = 7


def run_demo(out_dir: Path, db_path: Path, sizes: dict[str, int], seed: int, html: bool = True) -> dict:
    from rich.console import Console

    from extract.pipeline import crawl
    from hubwh.build import dbt_build
    from hubwh.emulator import Emulator
    from hubwh.synth import generate

    console = Console()
    timings: dict[str, float] = {}
    snapshot = out_dir / "snapshot"

    t = time.perf_counter()
    console.rule("[bold]1/5 synthetic Hub")
    generate(snapshot, seed=seed, **sizes)
    timings["synth"] = time.perf_counter() - t
    console.print(f"snapshot: {snapshot} ({', '.join(f'{v:,} {k}' for k, v in sizes.items())}, seed {seed})")

    t = time.perf_counter()
    console.rule("[bold]2/5 Hub emulator + crawl")
    if db_path.exists():
        db_path.unlink()  # the demo always starts from an empty warehouse
    with Emulator(snapshot) as emu:
        console.print(f"emulator: {emu.url}")
        crawl(endpoint=emu.url, db_path=db_path, budget=None, progress=True, pipelines_dir=out_dir / "dlt-pipelines")
    timings["crawl"] = time.perf_counter() - t

    t = time.perf_counter()
    console.rule("[bold]3/5 dbt build")
    dbt_build(db_path)
    timings["dbt build"] = time.perf_counter() - t

    console.rule("[bold]4/5 headline findings")
    from hubwh.report import print_headlines, write_html

    print_headlines(db_path, console=console)

    report_index = None
    if html:
        from hubwh.export import export_parquet

        t = time.perf_counter()
        console.rule("[bold]5/5 HTML report and Parquet exports")
        report_index = write_html(db_path, out_dir / "report")
        exported = export_parquet(db_path, out_dir / "parquet")
        timings["report"] = time.perf_counter() - t
        console.print(f"HTML report: [bold]{report_index}[/bold] (open it in a browser; works offline)")
        console.print(f"Parquet: {len(exported)} public marts in {out_dir / 'parquet'}")
    console.print(f"warehouse: {db_path}   (duckdb {db_path} -readonly, or `hubwh report`)")
    console.print("timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    return {"snapshot": snapshot, "db": db_path, "report": report_index, "timings": timings}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="hubwh demo", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=PROJECT_ROOT / "build" / "demo",
        help="folder for the snapshot, dlt state and HTML report (default build/demo)",
    )
    parser.add_argument(
        "--db", type=Path, default=None, help="DuckDB file to (re)create (default $HUBWH_DB or warehouse.duckdb)"
    )
    parser.add_argument("--models", type=int, default=DEMO_SIZES["models"])
    parser.add_argument("--datasets", type=int, default=DEMO_SIZES["datasets"])
    parser.add_argument("--spaces", type=int, default=DEMO_SIZES["spaces"])
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    parser.add_argument("--no-html", action="store_true", help="skip the HTML report and Parquet exports")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    db = args.db.resolve() if args.db else warehouse_path()
    sizes = {"models": args.models, "datasets": args.datasets, "spaces": args.spaces}
    run_demo(out, db, sizes, args.seed, html=not args.no_html)
    return 0
