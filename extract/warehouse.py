"""The crawl's side of the DuckDB file: the dlt pipeline that loads batches (`Batch`) into `raw`,
and short read-only looks at what earlier runs loaded (the incremental state lives in the raw tables).

dlt and our reads never hold the file at the same time: each load opens and closes it, and so
does each query here."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from extract.hf_hub import COLUMNS, TABLES, hf_hub
from extract.shard import SQL_MACRO as SHARD_MACRO
from extract.shard import Shard
from hubwh import lake
from hubwh.duckdb_settings import connect, duckdb_settings
from hubwh.errors import HubwhError
from hubwh.paths import PROJECT_ROOT, warehouse_path

log = logging.getLogger("extract.warehouse")
DATASET = "raw"


class _DropArrowHintNotice(logging.Filter):
    # JSON columns travel as Arrow text; dlt notes the (intended) hint difference on every load.
    def filter(self, record: logging.LogRecord) -> bool:
        return "when merging arrow schema with dlt schema" not in record.getMessage()


def configure_dlt() -> None:
    """Settings that must hold whatever the working directory (so .dlt/config.toml may not be read)."""
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    os.environ["NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID"] = "true"
    os.environ["NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_ID"] = "true"
    dlt_logger = logging.getLogger("dlt")
    if not any(isinstance(f, _DropArrowHintNotice) for f in dlt_logger.filters):
        dlt_logger.addFilter(_DropArrowHintNotice())


# Storage format of a new warehouse file (TOOLCHAIN: duckdb 2.x's own format is unreadable by 1.x).
DUCKDB_FILE_CONFIG = {"storage_compatibility_version": "v1.4.0"}


def resolve_db_path(db_path: str | Path | None) -> Path:
    """The DuckDB file to load into (with HUBWH_TARGET=lake: the lake's data folder, the lake
    attached once to check it and create it); raises HubwhError when it cannot be written."""
    from hubwh import lake

    if lake.active():
        if db_path and not lake.is_lake(db_path):
            raise HubwhError("--db names a DuckDB file; with HUBWH_TARGET=lake the warehouse is the lake")
        db = lake.lake_from_env().data_path
        connect(db).close()
        return db
    if lake.target() == "motherduck":
        return lake.motherduck_path()
    db = Path(db_path).expanduser().resolve() if db_path else warehouse_path()
    if db.is_dir():
        raise HubwhError(f"the database path {db} is a directory")
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HubwhError(f"cannot create the folder of the database {db}: {exc.strerror or exc}") from None
    if not os.access(db.parent, os.W_OK) or (db.exists() and not os.access(db, os.W_OK)):
        raise HubwhError(f"cannot write the database {db}: permission denied")
    try:
        # A new file is created readable by DuckDB 1.x too (BI drivers, Evidence's Node DuckDB);
        # later writers (dlt, dbt) keep the version a file was created with.
        connect(db, config=DUCKDB_FILE_CONFIG).close()
    except duckdb.Error as exc:
        raise HubwhError(f"cannot open the database {db}: {str(exc).splitlines()[0]}") from None
    return db


class Warehouse:
    """Loads batches of rows (table -> rows) into `raw` through dlt, and answers queries."""

    def __init__(self, db_path: Path, pipelines_dir: str | Path | None = None, shard: Shard | None = None):
        import dlt
        from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials

        configure_dlt()
        self.db_path = db_path
        self.pipelines_dir = Path(pipelines_dir) if pipelines_dir else PROJECT_ROOT / ".dlt" / "pipelines"
        # One pipeline (local state, pending packages, scratch files) per database file, so a
        # pending load can never land in another file; and per shard, with its own dlt staging
        # dataset, so shards crawling at once never share a pending load, a plan file or the
        # staging tables of a merge (docs/methods.md §13).
        key = hashlib.sha1(str(db_path).encode()).hexdigest()[:8]
        shard = shard or Shard()
        suffix = "" if shard.is_all else f"_shard_{shard.index}_of_{shard.count}"
        # each shard merges through a staging dataset of its own, so concurrent shards never share one
        staging = {"staging_dataset_name_layout": f"%s_staging{suffix}"}
        if lake.is_lake(db_path):
            destination = _lake_destination(lake.lake_from_env(), db_path, **staging)
        elif lake.is_motherduck(db_path):
            destination = motherduck_destination(**staging)
        else:
            # dlt opens its own connections: they get the profile's DuckDB settings too
            destination = dlt.destinations.duckdb(
                DuckDbCredentials(str(db_path), global_config={**lake.extension_config(), **duckdb_settings(db_path)}),
                **staging,
            )
        self.pipeline = dlt.pipeline(
            pipeline_name=f"hf_hub_{key}{suffix}",
            destination=destination,
            dataset_name=DATASET,
            pipelines_dir=str(self.pipelines_dir),
            progress=None,
        )
        self._lake_session = None
        self.rows_loaded: dict[str, int] = {t: 0 for t in TABLES}
        self.loads = 0

    # -- loading ------------------------------------------------------------------------
    def finish_pending(self) -> None:
        """Load what a killed run had extracted but not loaded (dlt keeps it in the pipelines dir)."""
        p = self.pipeline
        if "fetch_log" not in self.columns():
            # A new (or replaced) database: nothing left by an earlier run belongs in it.
            self.pipeline = p.drop()
            return
        try:
            if p.has_pending_data:
                log.info("finishing the load a previous run left pending")
                p.normalize()
                p.load()
        except Exception as exc:  # a package we cannot finish is dropped: fetch_log re-plans its repos
            log.warning("dropping a pending load left by a previous run: %s", str(exc).splitlines()[0])
            p.drop_pending_packages()

    def ensure_tables(self) -> None:
        """Create any raw table (or column) of the contract still missing, empty. On a lake, shards
        started together create the same tables at once and DuckLake lets one of them commit: the
        others find the tables there on a second look."""
        attempts = 4 if lake.is_lake(self.db_path) else 1
        for attempt in range(attempts):
            have = self.columns()
            if all(set(name for name, _ in COLUMNS[t]) <= have.get(t, set()) for t in TABLES):
                return
            try:
                self.pipeline.run(hf_hub(create_all=True), loader_file_format="parquet")
                return
            except Exception as exc:
                if attempt == attempts - 1:
                    raise HubwhError(f"creating the raw tables in {self.db_path} failed: {_first_line(exc)}") from exc
                log.info("creating the raw tables met a concurrent writer; looking again")
                self.pipeline.drop_pending_packages()
                time.sleep(0.5 * (attempt + 1))

    def load(self, batch: dict[str, list[dict] | pa.Table]) -> None:
        batch = {t: rows for t, rows in batch.items() if rows is not None and len(rows)}
        if not batch:
            return
        try:
            self.pipeline.run(hf_hub(batch), loader_file_format="parquet")
        except Exception as exc:
            raise HubwhError(f"loading into {self.db_path} failed: {_first_line(exc)}") from exc
        self.loads += 1
        for t, rows in batch.items():
            self.rows_loaded[t] += len(rows)

    # -- reading -------------------------------------------------------------------------
    def _connect(self):
        # A file is opened per query (dlt must find it unlocked); a lake session is kept, since
        # attaching costs a catalog round trip and DuckLake lets dlt write beside it. A DuckDB-file
        # catalog allows one attachment per process, so it too is opened per query.
        if lake.is_lake(self.db_path) and lake.lake_from_env().kind != "duckdb":
            if self._lake_session is None:
                self._lake_session = connect(self.db_path)
            con = self._lake_session.cursor()
            con.execute(f"USE {lake.ALIAS}")
        else:
            con = connect(self.db_path)
        con.execute(SHARD_MACRO)  # the crawl's SQL may ask which shard a repo is in
        return con

    def query_arrow(self, sql: str, params: list | dict | None = None, **tables: pa.Table) -> pa.Table:
        con = self._connect()
        try:
            for name, table in tables.items():
                con.register(name, table)
            return con.sql(sql, params=params or None).to_arrow_table()
        finally:
            con.close()

    def query_to_parquet(self, sql: str, params: list | dict | None, path: Path) -> None:
        """Write a query's result to a Parquet file (big results stream from disk, not memory)."""
        con = self._connect()
        try:
            con.sql(sql, params=params or None).write_parquet(str(path))
        finally:
            con.close()

    def scratch(self, name: str) -> Path:
        """A file in this pipeline's own folder."""
        folder = self.pipelines_dir / f"{self.pipeline.pipeline_name}.scratch"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    def columns(self) -> dict[str, set[str]]:
        rows = self.query_arrow(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_catalog = current_database() AND table_schema = ?",
            [DATASET],
        ).to_pylist()
        out: dict[str, set[str]] = {}
        for r in rows:
            out.setdefault(r["table_name"], set()).add(r["column_name"])
        return out


def _lake_destination(the_lake: lake.Lake, db_path: Path, **options):
    """dlt's ducklake destination on the lake: its connections get the extension folder (set
    before the extensions load, so no download), the profile's settings, and the same catalog
    and data folder our own sessions attach; the password stays in PGPASSWORD."""
    import dlt
    from dlt.destinations.impl.ducklake.configuration import DuckLakeCredentials

    credentials = DuckLakeCredentials(
        ducklake_name=lake.ALIAS,
        metadata_schema=lake.METADATA_SCHEMA,
        catalog=the_lake.dlt_catalog(),
        storage=the_lake.data_path.as_uri() + "/",
    )
    settings = {**lake.extension_config(), **duckdb_settings(db_path)}
    # extension_directory and the autoload switches are SET before the first LOAD below
    credentials.global_config = settings
    credentials.statements = [f"LOAD {name}" for name in the_lake.extensions()]
    return dlt.destinations.ducklake(credentials=credentials, **options)


def motherduck_destination(**options):
    """dlt's motherduck destination on the database dbt's `motherduck` output builds on
    (md:$HUBWH_MD_DATABASE, schema raw), the token from MOTHERDUCK_TOKEN."""
    import dlt
    from dlt.destinations.impl.motherduck.configuration import MotherDuckCredentials

    credentials = MotherDuckCredentials()
    credentials.database = lake.motherduck_database()
    credentials.password = lake.motherduck_token()
    return dlt.destinations.motherduck(credentials=credentials, **options)


@dataclass
class Batch:
    """Rows waiting to be loaded, by table (each stage decides when its batch is due)."""

    tables: dict[str, list] = field(default_factory=dict)
    results: int = 0  # per-repo fetch results in it
    started: float = field(default_factory=time.monotonic)

    def add(self, table: str, rows: list[dict]) -> None:
        self.tables.setdefault(table, []).extend(rows)

    def n_rows(self) -> int:
        return sum(len(v) for v in self.tables.values())

    def due(self, *, rows: int, seconds: float, results: int | None = None) -> bool:
        if not self.tables:
            return False
        return (
            (results is not None and self.results >= results)
            or self.n_rows() >= rows
            or time.monotonic() - self.started >= seconds
        )

    def as_load(self) -> dict[str, Any]:
        return dict(self.tables)


def _first_line(exc: BaseException) -> str:
    # dlt wraps the cause; its first line names the failing step.
    cause = exc
    while getattr(cause, "__cause__", None) is not None:
        cause = cause.__cause__
    text = lake.scrub(str(cause)).strip().splitlines()
    return text[0] if text else type(cause).__name__
