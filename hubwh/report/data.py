"""Read-only access to the warehouse for the report pages.

Every page asks for marts by name and gets None back when a mart (or a column it
needs) is absent or empty, so a scoped crawl or a half-built warehouse yields
"not computed in this snapshot" instead of a traceback."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from hubwh import lake
from hubwh.duckdb_settings import connect
from hubwh.errors import HubwhError
from hubwh.project import public_marts, rq1_activities

# The public marts of docs/methods.md §8 (marked `access: public` in the marts' YAML) and the
# activity columns of repo_activity in the paper's order (dbt var rq1_activities).
PUBLIC_MARTS = public_marts()
ACTIVITIES = tuple(rq1_activities())
REPO_TYPES = ("model", "dataset", "space")
NETWORKS = ("all", "cv", "nlp", "mm")  # the paper's order of Tables 6-9
SUBFIELDS = ("all", "nlp", "cv", "mm")


def activity_key(name: str) -> str:
    """'likes' or 'n_likes' -> 'n_likes' (marts may spell activities either way)."""
    name = str(name)
    return name if name.startswith("n_") else f"n_{name}"


def activity_order(name: str) -> int:
    key = activity_key(name)
    return ACTIVITIES.index(key) if key in ACTIVITIES else len(ACTIVITIES)


class Warehouse:
    """A read-only DuckDB connection with helpers that tolerate missing marts."""

    def __init__(self, db_path: str | Path):
        self.path = Path(db_path)
        if not self.path.exists() and not lake.is_lake(self.path):
            raise HubwhError(
                f"no warehouse at {self.path}: run `hubwh crawl` and `hubwh build` (or `hubwh demo`) first"
            )
        try:
            self.con = connect(self.path, read_only=True)
        except duckdb.Error as exc:
            raise HubwhError(f"cannot open {self.path} read-only: {exc}") from exc
        rows = self.con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_catalog = current_database()"  # a lake session also sees its catalog's database
        ).fetchall()
        self._columns: dict[tuple[str, str], list[str]] = {}
        for schema, table, column in rows:
            self._columns.setdefault((schema, table), []).append(column)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def has(self, table: str, schema: str = "marts", columns: tuple[str, ...] = ()) -> bool:
        cols = self._columns.get((schema, table))
        return cols is not None and all(c in cols for c in columns)

    def columns(self, table: str, schema: str = "marts") -> list[str]:
        return list(self._columns.get((schema, table), []))

    def df(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def scalar(self, sql: str, params: list | None = None):
        row = self.con.execute(sql, params or []).fetchone()
        return row[0] if row else None

    def mart(self, table: str, columns: tuple[str, ...] = (), where: str = "", order: str = "") -> pd.DataFrame | None:
        """All rows of marts.<table>, or None when it is absent, lacks a needed
        column, or is empty."""
        if not self.has(table, columns=columns):
            return None
        sql = f'select * from marts."{table}"'
        if where:
            sql += f" where {where}"
        if order:
            sql += f" order by {order}"
        frame = self.df(sql)
        return None if frame.empty else frame

    def count(self, table: str, schema: str = "marts") -> int | None:
        if not self.has(table, schema):
            return None
        return int(self.scalar(f'select count(*) from "{schema}"."{table}"'))
