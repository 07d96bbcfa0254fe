"""DuckDB's resource settings (memory_limit, threads, temp_directory), defined once.

They are the `settings:` of the `local` output in profiles.yml, read from HUBWH_MEMORY_LIMIT,
HUBWH_THREADS and HUBWH_TEMP_DIR with the defaults written there. dbt-duckdb applies them to
its own connections; every other DuckDB connection the product opens (the crawler and dlt, the
report, the export, compaction and publishing) renders the same entries here, with the same
`env_var` dbt has, so the two can never disagree."""

from __future__ import annotations

import os
import time
from functools import cache
from pathlib import Path

import duckdb
import jinja2
import yaml

from hubwh.errors import HubwhError
from hubwh.paths import PROJECT_ROOT

PROFILE = "hub_warehouse"
OUTPUT = "local"


@cache
def _templates(root: Path) -> tuple[tuple[str, str], ...]:
    path = root / "profiles.yml"
    try:
        profile = yaml.safe_load(path.read_text(encoding="utf-8"))
        settings = profile[PROFILE]["outputs"][OUTPUT].get("settings") or {}
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise HubwhError(f"cannot read the {OUTPUT} output of {path}: {exc}") from exc
    return tuple((str(k), str(v)) for k, v in settings.items())


def duckdb_settings(db_path: str | Path | None = None, root: Path = PROJECT_ROOT) -> dict[str, str]:
    """The settings as dbt would render them for the warehouse at db_path (default $HUBWH_DB)."""
    env = dict(os.environ)
    if db_path is not None:
        env["HUBWH_DB"] = str(Path(db_path).expanduser().resolve())

    def env_var(name: str, default: str | None = None) -> str:
        if name in env:
            return env[name]
        if default is None:
            raise HubwhError(f"profiles.yml needs the environment variable {name}")
        return default

    jinja = jinja2.Environment(undefined=jinja2.StrictUndefined)
    out = {key: jinja.from_string(template).render(env_var=env_var) for key, template in _templates(root)}
    if out.get("memory_limit", "").strip().endswith("%"):
        out["memory_limit"] = absolute_memory(out["memory_limit"])
    if out.get("temp_directory"):
        # dbt runs from the project root: a relative folder must mean the same to every process
        out["temp_directory"] = str(Path(out["temp_directory"]).expanduser().resolve())
    return out


def absolute_memory(share: str) -> str:
    """A share of the machine's memory ('50%') as a size DuckDB 1.4 takes ('11993MiB'): DuckDB
    1.4 knows no percentages, and profiles.yml keeps the default written as a share."""
    try:
        fraction = float(share.strip().rstrip("%")) / 100
    except ValueError:
        raise HubwhError(f"HUBWH_MEMORY_LIMIT={share!r} is neither a size (8GB) nor a share (50%)") from None
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{max(1, int(total * fraction / 2**20))}MiB"


def _memory_units() -> dict[str, int]:
    """DuckDB's memory units, lower case: 'k', 'kb', 'kilobyte(s)' (1000), 'kib' (1024), ..."""
    units = {"": 1, "b": 1, "byte": 1, "bytes": 1}
    for power, prefix in enumerate(("kilo", "mega", "giga", "tera"), 1):
        units.update(dict.fromkeys((prefix[0], f"{prefix[0]}b", f"{prefix}byte", f"{prefix}bytes"), 1000**power))
        units[f"{prefix[0]}ib"] = 1024**power
    return units


_UNITS = _memory_units()


def memory_bytes(size: str) -> int:
    """A DuckDB memory size ('5GB', '11993MiB', '4.5 GiB') in bytes, with DuckDB's units (KB is
    1000 bytes, KiB 1024)."""
    import re

    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*", size)
    unit = match and _UNITS.get(match.group(2).lower())
    if not unit:
        raise HubwhError(f"{size!r} is not a memory size DuckDB takes (8GB, 900MiB)")
    return int(float(match.group(1)) * unit)


def apply_settings(con: duckdb.DuckDBPyConnection, db_path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """Apply the settings to an open connection (SET, not connect-time config: a second
    connection to a file already open in this process must not ask for another configuration)."""
    for key, value in duckdb_settings(db_path).items():
        con.execute(f"SET {key} = '{value.replace(chr(39), chr(39) * 2)}'")
    return con


def connect(db_path: str | Path | None = None, *, read_only: bool = False, config: dict | None = None):
    """duckdb.connect with the warehouse's settings applied (db_path None: an in-memory database
    whose temp folder is the warehouse's). Extensions come from the installed packages only
    (hubwh/lake.py). When db_path names the lake (HUBWH_TARGET=lake), the connection is an
    in-memory session with the DuckLake attached as `lake` and in use, so the warehouse's
    unqualified names (`raw.models`, `marts.repo_activity`) mean the lake's tables."""
    from hubwh import lake

    config = {**lake.extension_config(), **(config or {})}
    if lake.is_lake(db_path):
        return _connect_lake(lake.lake_from_env(), db_path, read_only=read_only, config=config)
    if lake.is_motherduck(db_path):
        # a network service: its extension comes from MotherDuck when first used (never offline)
        config.update(autoinstall_known_extensions=True, autoload_known_extensions=True)
        config["motherduck_token"] = lake.motherduck_token()
        return duckdb.connect(Path(db_path).name, read_only=read_only, config=config)
    con = duckdb.connect(str(db_path) if db_path is not None else ":memory:", read_only=read_only, config=config)
    try:
        return apply_settings(con, db_path)
    except BaseException:
        con.close()
        raise


def _attach_lake(con: duckdb.DuckDBPyConnection, attach_sql: str, attempts: int = 6) -> None:
    """ATTACH a lake. Two processes attaching a fresh catalog at the same moment both create
    DuckLake's metadata tables, and the slower one fails with "already exists": by then the
    catalog is initialised, so attaching again succeeds (shards started together, §13)."""
    for attempt in range(attempts):
        try:
            con.execute(attach_sql)
            return
        except duckdb.Error as exc:
            if "already exists" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def _connect_lake(the_lake, db_path, *, read_only: bool, config: dict):
    from hubwh import lake

    config.pop("storage_compatibility_version", None)  # a property of DuckDB files, not of a lake
    con = duckdb.connect(":memory:", config=config)
    try:
        apply_settings(con, db_path)
        for name in the_lake.extensions():
            con.execute(f"LOAD {name}")
        the_lake.data_path.mkdir(parents=True, exist_ok=True)
        _attach_lake(con, the_lake.attach_sql(read_only=read_only))
        con.execute(f"USE {lake.ALIAS}")
        return con
    except duckdb.Error as exc:
        con.close()
        raise HubwhError(
            f"cannot attach the lake ({the_lake.catalog}): {lake.scrub(str(exc).splitlines()[0])}"
        ) from None
    except BaseException:
        con.close()
        raise
