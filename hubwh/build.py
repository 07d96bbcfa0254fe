"""`hubwh build`: run dbt (build by default) on the warehouse with the project's profile.

dbt is run in-process through dbtRunner, from the project root, with
HUBWH_DB set to an absolute path so dbt and the extractor agree on the file.

After a dbt command that writes the single-file warehouse succeeds, two things follow:
- compaction: the file is copied into a fresh one that replaces it. DuckDB reuses the blocks
  of the tables a build replaces but never gives them back, and a build holds old and new
  versions of a table at once, so without it every rebuild left the file larger;
- publishing: the public marts, the seeds and the history are copied into a read-only copy
  beside it (`published_path`), replaced atomically, which BI tools open. A build holds the
  warehouse itself locked; the copy is never locked by a writer, and a failed build leaves the
  last published copy as it was."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

import duckdb

from hubwh import lake
from hubwh.duckdb_settings import apply_settings
from hubwh.errors import HubwhError
from hubwh.paths import PROJECT_ROOT, warehouse_path
from hubwh.project import public_marts

log = logging.getLogger("hubwh.build")

# dbt commands that write the warehouse: compacted and published after they succeed
WRITING_COMMANDS = ("build", "run", "seed", "snapshot")
# compact once more than this share of the file's blocks is free (a rebuild of the demo leaves 7-9 %)
COMPACT_FREE_SHARE = 0.02
# schemas published whole beside the public marts
PUBLISHED_SCHEMAS = ("seeds", "history")


def _partial_parse_across_warehouse_files() -> None:
    """Keep dbt's partial parse when only the warehouse file changes.

    dbt parses the whole project again (~11 s more than a partial parse) whenever a connection
    setting differs from the last parse's, the DuckDB file's path and the temp folder beside it
    included. Nothing dbt parses depends on them: a node names its database, and `database` (the
    file's stem) is still compared. So they are left out of the comparison's hash (and only
    there: `target.path` in Jinja is untouched); every other setting still forces a full parse."""
    import pprint

    from dbt.parser.manifest import FileHash, ManifestLoader

    build_check = ManifestLoader.build_manifest_state_check
    if getattr(build_check, "without_file_path", False):
        return

    def build_manifest_state_check(self):
        check = build_check(self)
        keys = []
        for key, value in self.root_project.credentials.connection_info():
            if key == "path":
                continue
            if key == "settings" and isinstance(value, dict):
                value = {k: v for k, v in value.items() if k != "temp_directory"}
            keys.append((key, value))
        check.profile_hash = FileHash.from_contents(pprint.pformat(sorted(keys)))
        return check

    build_manifest_state_check.without_file_path = True
    ManifestLoader.build_manifest_state_check = build_manifest_state_check


def run_dbt(args: list[str], db_path: str | Path | None = None, *, quiet: bool = False):
    """Run `dbt <args>` against db_path (default $HUBWH_DB); returns dbt's result.

    Raises HubwhError when dbt reports failure (a failing data test included)."""
    from dbt.cli.main import dbtRunner

    _partial_parse_across_warehouse_files()
    db = Path(db_path).resolve() if db_path else warehouse_path()
    os.environ["HUBWH_DB"] = str(db)
    if os.environ.get("HUBWH_TEMP_DIR"):  # dbt runs from the project root: keep it where it was meant
        os.environ["HUBWH_TEMP_DIR"] = str(Path(os.environ["HUBWH_TEMP_DIR"]).expanduser().resolve())
    os.environ.setdefault("DO_NOT_TRACK", "1")
    full = list(args) + ["--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)]
    if lake.target() != "local" and not _target_arg(args):
        if lake.active():
            lake.lake_from_env()  # the catalog's password into PGPASSWORD, out of what dbt renders
        full += ["--target", lake.target()]
    if quiet:
        full = ["--quiet", "--log-level-file", "warn"] + full
    cwd = os.getcwd()
    os.chdir(PROJECT_ROOT)  # .dlt/config.toml and relative paths resolve from the root
    try:
        result = dbtRunner().invoke(full)
    finally:
        os.chdir(cwd)
    if result.exception is not None:
        raise HubwhError(f"dbt {' '.join(args)} failed: {lake.scrub(str(result.exception))}")
    if not result.success:
        failed = []
        for r in getattr(result.result, "results", None) or []:
            status = str(getattr(r, "status", ""))
            if status.lower() in ("error", "fail"):
                failed.append(f"{r.node.name} ({status}): {(r.message or '').strip()[:300]}")
        raise HubwhError(lake.scrub(f"dbt {' '.join(args)} failed:\n  " + "\n  ".join(failed or ["see dbt output"])))
    if args and args[0] in WRITING_COMMANDS and _local_target(args) and db.exists():
        compact(db)
        publish(db)
    return result


def _target_arg(args: list[str]) -> str | None:
    for i, arg in enumerate(args):
        if arg in ("--target", "-t") and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--target="):
            return arg.partition("=")[2]
    return None


def _local_target(args: list[str]) -> bool:
    # compaction and publishing concern the single-file default (the `local` output); a lake
    # needs neither: its readers see committed snapshots and are never blocked
    target = _target_arg(args) or (lake.target() if lake.target() != "local" else os.environ.get("DBT_TARGET", "local"))
    return target == "local"


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _storage_version() -> str:
    from extract.warehouse import DUCKDB_FILE_CONFIG  # the one definition of the file format

    return DUCKDB_FILE_CONFIG["storage_compatibility_version"]


def compact(db: Path) -> None:
    """Rewrite the warehouse into a fresh file (readable by DuckDB 1.x, like the original) and
    put it in the original's place; the file is held locked throughout, so no write is lost."""
    db = Path(db)
    tmp = db.with_name(db.name + ".compact")
    _remove(tmp, Path(f"{tmp}.wal"))
    started = time.perf_counter()
    # an in-memory session spilling where the warehouse does
    con = apply_settings(duckdb.connect(config=lake.extension_config()), db)
    try:
        con.execute(f"ATTACH {_quote(db)} AS hubwh_src")
        con.execute("CHECKPOINT hubwh_src")  # nothing left in a WAL that would outlive its file
        total, free = con.execute(
            "SELECT total_blocks, free_blocks FROM pragma_database_size() WHERE database_name = 'hubwh_src'"
        ).fetchone()
        if free <= COMPACT_FREE_SHARE * total:
            return  # a run that replaced little: not worth rewriting the file (about 10 MB/s here)
        if Path(f"{db}.wal").exists():
            log.warning("not compacting %s: its write-ahead log is still there", db)
            return
        con.execute(f"ATTACH {_quote(tmp)} AS hubwh_compact (STORAGE_VERSION '{_storage_version()}')")
        con.execute("COPY FROM DATABASE hubwh_src TO hubwh_compact")
        con.execute("DETACH hubwh_compact")
        os.replace(tmp, db)
    except BaseException:
        _remove(tmp, Path(f"{tmp}.wal"))
        raise
    finally:
        con.close()
    log.info("compacted %s in %.1f s", db, time.perf_counter() - started)


def published_path(db: str | Path | None = None) -> Path:
    """The read-only copy BI tools open: $HUBWH_PUBLISHED_DB, default <warehouse>.published.duckdb
    beside the warehouse (warehouse.duckdb -> warehouse.published.duckdb)."""
    value = os.environ.get("HUBWH_PUBLISHED_DB")
    if value:
        return Path(value).expanduser().resolve()
    db = Path(db).resolve() if db else warehouse_path()
    return db.with_name(f"{db.stem}.published{db.suffix or '.duckdb'}")


def publish(db: str | Path | None = None, target: str | Path | None = None) -> Path | None:
    """Copy the public marts, seeds and history of the warehouse into a new file beside
    `target` (default published_path) and rename it over `target`: a reader holding the old
    copy keeps reading it, the next one to open gets the new one. Nothing is published (None)
    while a public mart is missing, so a partial first build never replaces a whole copy."""
    db = Path(db).resolve() if db else warehouse_path()
    target = Path(target).resolve() if target else published_path(db)
    tmp = target.with_name(f"{target.name}.tmp{os.getpid()}")
    _remove(tmp, Path(f"{tmp}.wal"))
    started = time.perf_counter()
    # an in-memory session spilling where the warehouse does
    con = apply_settings(duckdb.connect(config=lake.extension_config()), db)
    try:
        con.execute(f"ATTACH {_quote(db)} AS hubwh_src (READ_ONLY)")
        have: dict[str, set[str]] = {}
        for schema, table in con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'hubwh_src' "
            "UNION ALL SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = 'hubwh_src'"
        ).fetchall():
            have.setdefault(schema, set()).add(table)
        missing = [m for m in public_marts() if m not in have.get("marts", set())]
        if missing:
            log.warning("not publishing %s: public marts missing (%s)", db, ", ".join(missing))
            return None
        plan = {"marts": list(public_marts())}
        plan.update({schema: sorted(have.get(schema, ())) for schema in PUBLISHED_SCHEMAS})
        con.execute(f"ATTACH {_quote(tmp)} AS hubwh_pub (STORAGE_VERSION '{_storage_version()}')")
        for schema, tables in plan.items():
            con.execute(f'CREATE SCHEMA hubwh_pub."{schema}"')
            for table in tables:
                con.execute(
                    f'CREATE TABLE hubwh_pub."{schema}"."{table}" AS SELECT * FROM hubwh_src."{schema}"."{table}"'
                )
        con.execute("DETACH hubwh_pub")
        os.replace(tmp, target)
    except BaseException:
        _remove(tmp, Path(f"{tmp}.wal"))
        raise
    finally:
        con.close()
    log.info("published %s to %s in %.1f s", db, target, time.perf_counter() - started)
    return target


def dbt_build(db_path: str | Path | None = None, select: str | None = None, *, quiet: bool = False):
    """`dbt build` (seeds, models, data tests) on the warehouse at db_path."""
    args = ["build"]
    if select:
        args += ["--select", select]
    return run_dbt(args, db_path, quiet=quiet)


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(
            "usage: hubwh build [dbt args...]\n\n"
            "Runs `dbt build` (or `dbt <args>` when the first arg is a dbt command) on $HUBWH_DB\n"
            "with the project's profile. After a build, run, seed or snapshot succeeds, the file is\n"
            "compacted, and the public marts, seeds and history are published to\n"
            "$HUBWH_PUBLISHED_DB (default <warehouse>.published.duckdb), the copy BI tools open."
        )
        return 0
    if not argv or argv[0].startswith("-"):
        argv = ["build"] + argv
    db = warehouse_path()
    if lake.active():
        from hubwh.duckdb_settings import connect

        connect(db, read_only=True).close()  # attaches the lake or says in one line why not
    elif argv[0] in ("build", "run", "test", "seed") and not db.exists():
        raise HubwhError(f"no warehouse at {db}: run `hubwh crawl` (or `hubwh demo`) first")
    run_dbt(argv, db)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
