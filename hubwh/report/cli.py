"""`hubwh report`: headline findings in the terminal, or the HTML report with --html DIR."""

from __future__ import annotations

import argparse
from pathlib import Path

from hubwh.paths import warehouse_path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="hubwh report",
        description="Print the headline findings of the three research questions, or write the "
        "static HTML report (opens offline in any browser).",
    )
    parser.add_argument(
        "--html",
        type=Path,
        metavar="DIR",
        default=None,
        help="write the HTML report into DIR (index.html and one page per part)",
    )
    parser.add_argument(
        "--db", type=Path, default=None, help="the DuckDB warehouse (default $HUBWH_DB, else warehouse.duckdb)"
    )
    args = parser.parse_args(argv)
    db = args.db.expanduser().resolve() if args.db else warehouse_path()
    from hubwh.report import print_headlines, write_html

    if args.html is None:
        print_headlines(db)
        return 0
    index = write_html(db, args.html)
    print(f"HTML report: {index}")
    return 0
