"""The raw-schema section of docs/staging-contract.md, generated from extract.hf_hub.COLUMNS
(the definition dlt loads with) so the doc cannot drift from it.

    python -m extract.schema_doc          # rewrite the section in place
    python -m extract.schema_doc --check  # exit 1 when the committed doc is out of date

tests/test_raw_schema.py runs the check, and checks the types below against a real load."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extract.hf_hub import BOOL, COLUMNS, INT, JSON, PRIMARY_KEYS, STR, TS

DOC = Path(__file__).resolve().parent.parent / "docs" / "staging-contract.md"
BEGIN = "<!-- raw schema: generated from extract/hf_hub.py by `python -m extract.schema_doc`; do not edit -->"
END = "<!-- end of the generated raw schema -->"

# the DuckDB type each column type becomes once dlt has loaded it (TIMESTAMPTZ is DuckDB's short
# name of TIMESTAMP WITH TIME ZONE)
DUCKDB_TYPES = {STR: "VARCHAR", INT: "BIGINT", BOOL: "BOOLEAN", TS: "TIMESTAMPTZ", JSON: "JSON"}


def render() -> str:
    """The section, markers included."""
    lines = [
        BEGIN,
        "## Raw (schema `raw`, loaded by extract/ with dlt)",
        "Columns in load order, with their DuckDB types; every table also has dlt's `_dlt_load_id`",
        "and `_dlt_id`. JSON columns hold lists (and `cardData.license`, the crawl's scope and",
        "summary) as JSON text; staging unnests them.",
        "",
        "| table | primary key | columns |",
        "|---|---|---|",
    ]
    for table, columns in COLUMNS.items():
        cols = ", ".join(f"{name} {DUCKDB_TYPES[typ]}" for name, typ in columns)
        lines.append(f"| `raw.{table}` | {', '.join(PRIMARY_KEYS[table])} | {cols} |")
    lines.append(END)
    return "\n".join(lines)


def updated(text: str) -> str:
    """`text` with its generated section replaced by the current one."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"{DOC}: the markers of the generated raw schema are missing")
    return text[:start] + render() + text[end + len(END) :]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.schema_doc", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the doc is out of date; write nothing")
    args = parser.parse_args(argv)
    text = DOC.read_text(encoding="utf-8")
    new = updated(text)
    if args.check:
        if new != text:
            print(f"{DOC} is out of date: run `python -m extract.schema_doc`", file=sys.stderr)
            return 1
        return 0
    if new != text:
        DOC.write_text(new, encoding="utf-8")
        print(f"updated {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
