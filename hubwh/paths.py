"""Where things live: the project root, the DuckDB file, dbt's folders."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def warehouse_path() -> Path:
    """The DuckDB file shared by the extractor and dbt: $HUBWH_DB, default
    warehouse.duckdb in the project root (a relative $HUBWH_DB is taken from the
    current directory). With HUBWH_TARGET=lake, the lake's data folder: the path that names the
    lake to every part (hubwh/lake.py; connections to it attach the lake)."""
    from hubwh import lake

    if lake.active():
        return lake.lake_from_env().data_path
    if lake.target() == "motherduck":
        return lake.motherduck_path()
    value = os.environ.get("HUBWH_DB")
    if value:
        return Path(value).expanduser().resolve()
    return PROJECT_ROOT / "warehouse.duckdb"
