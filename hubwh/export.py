"""`hubwh export`: the public marts (docs/methods.md §8) as Parquet files, one per mart,
so any BI tool or dataframe library can read them without DuckDB.

The warehouse is opened read-only (DuckDB's COPY writes the files, not the
database), so an export can run beside other readers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hubwh.errors import HubwhError
from hubwh.paths import PROJECT_ROOT, warehouse_path
from hubwh.project import public_marts

DEFAULT_OUT = PROJECT_ROOT / "build" / "parquet"


def export_parquet(db_path: str | Path, out_dir: str | Path, *, marts=None) -> list[Path]:
    """Write marts.<name> to out_dir/<name>.parquet for every public mart the warehouse
    holds (default: hubwh.project.public_marts(), the marts marked public in their YAML);
    returns the files written. Raises HubwhError when the warehouse is missing or holds
    none of them."""
    import duckdb

    from hubwh import lake
    from hubwh.duckdb_settings import connect

    marts = public_marts() if marts is None else marts
    db = Path(db_path)
    if not db.exists() and not lake.is_lake(db):
        raise HubwhError(f"no warehouse at {db}: run `hubwh crawl` and `hubwh build` (or `hubwh demo`) first")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HubwhError(f"cannot create {out}: {exc}") from exc
    try:
        con = connect(db, read_only=True)
    except duckdb.Error as exc:
        raise HubwhError(f"cannot open {db} read-only: {exc}") from exc
    written: list[Path] = []
    try:
        present = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = current_database() and table_schema = 'marts'"
            ).fetchall()
        }
        for name in marts:
            if name not in present:
                continue
            target = out / f"{name}.parquet"
            tmp = target.with_suffix(".parquet.tmp")
            # the path is ours (a mart name under out_dir); quote it for SQL anyway
            path_sql = str(tmp).replace("'", "''")
            con.execute(f"copy (select * from marts.\"{name}\") to '{path_sql}' (format parquet, compression zstd)")
            tmp.replace(target)  # a reader never sees a half-written file
            written.append(target)
    finally:
        con.close()
    if not written:
        raise HubwhError(f"{db} has no public marts: run `hubwh build` first")
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="hubwh export", description="Write every public mart (docs/methods.md §8) as a Parquet file."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"folder for the Parquet files (default {DEFAULT_OUT.relative_to(PROJECT_ROOT)})",
    )
    parser.add_argument(
        "--db", type=Path, default=None, help="the DuckDB warehouse (default $HUBWH_DB, else warehouse.duckdb)"
    )
    args = parser.parse_args(argv)
    db = args.db.expanduser().resolve() if args.db else warehouse_path()
    files = export_parquet(db, args.out)
    missing = [m for m in public_marts() if m not in {f.stem for f in files}]
    print(f"wrote {len(files)} Parquet files to {args.out}")
    if missing:
        print(f"not built in this warehouse (skipped): {', '.join(missing)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
