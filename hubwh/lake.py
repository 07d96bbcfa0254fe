"""Where the warehouse lives (the target), and the one place DuckDB extensions come from.

Targets (HUBWH_TARGET):
- `local` (default): one DuckDB file, $HUBWH_DB;
- `lake`: a DuckLake: tables as Parquet files under $HUBWH_LAKE_DATA_PATH, their catalog in the
  database $HUBWH_LAKE_CATALOG names: PostgreSQL (`postgres:dbname=... host=... port=... user=...`,
  any number of processes and machines), SQLite (`sqlite:/path/catalog.sqlite`, processes of one
  machine) or a DuckDB file (`/path/catalog.ducklake`, one process at a time);
- `motherduck`: dbt and the extractor on MotherDuck (`md:$HUBWH_MD_DATABASE`, $MOTHERDUCK_TOKEN).

Extensions (ducklake, postgres, sqlite) are the PyPI packages `duckdb-ext-*`, installed with the
project; every DuckDB connection the product opens (and dbt's, through hubwh/dbt_plugin.py) is pointed at
their folder with automatic install and load switched off, so nothing is ever downloaded at run time.

The catalog password never travels with the catalog string: `lake_from_env()` moves a
`password=...` (or the password of a `postgres://` URL) into PGPASSWORD, which libpq (inside
DuckDB's postgres extension) reads, and rewrites HUBWH_LAKE_CATALOG without it. So ATTACH
statements, dbt's logs, dlt's configuration and state, and error messages never hold it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from hubwh.errors import HubwhError

TARGETS = ("local", "lake", "motherduck")
ENV_TARGET = "HUBWH_TARGET"
ENV_CATALOG = "HUBWH_LAKE_CATALOG"
ENV_DATA_PATH = "HUBWH_LAKE_DATA_PATH"
ALIAS = "lake"  # the attached lake's name in every session (dbt's `database:` too)
# the PostgreSQL schema of the catalog's own tables: DuckLake's default, which dlt's ducklake
# destination must be told (it names a schema of its own otherwise); SQLite has no schemas
METADATA_SCHEMA = "public"
EXTENSION_PACKAGES = ("duckdb-ext-ducklake", "duckdb-ext-postgres", "duckdb-ext-sqlite")


@cache
def extension_directory() -> str:
    """The extension folder the duckdb-ext-* packages install into (site-packages/duckdb_ext/extensions)."""
    for name in EXTENSION_PACKAGES:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        folder = Path(str(dist.locate_file("duckdb_ext/extensions")))
        if folder.is_dir():
            return str(folder.resolve())
    return ""


def extension_config() -> dict:
    """Connect-time DuckDB configuration: extensions from the installed packages only."""
    config: dict = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    if extension_directory():
        config["extension_directory"] = extension_directory()
    return config


def target() -> str:
    value = os.environ.get(ENV_TARGET, "local").strip() or "local"
    if value not in TARGETS:
        raise HubwhError(f"{ENV_TARGET}={value!r} is not one of {', '.join(TARGETS)}")
    return value


def active() -> bool:
    """Is the warehouse a DuckLake (HUBWH_TARGET=lake)?"""
    return target() == "lake"


@dataclass(frozen=True)
class Lake:
    """A DuckLake: its catalog (never holding a password) and its data folder."""

    catalog: str  # what follows `ducklake:` in ATTACH, e.g. `postgres:dbname=lake host=... user=...`
    data_path: Path

    @property
    def kind(self) -> str:
        head = self.catalog.split(":", 1)[0]
        return head if head in ("postgres", "sqlite") else "duckdb"

    def extensions(self) -> tuple[str, ...]:
        return (
            ("ducklake", "postgres")
            if self.kind == "postgres"
            else ("ducklake", "sqlite")
            if self.kind == "sqlite"
            else ("ducklake",)
        )

    def attach_sql(self, alias: str = ALIAS, *, read_only: bool = False) -> str:
        options = [f"DATA_PATH {_quote(str(self.data_path) + os.sep)}"]
        if self.kind == "sqlite":
            options.append("META_TYPE 'sqlite'")
        if read_only:
            options.append("READ_ONLY")
        return f"ATTACH IF NOT EXISTS {_quote('ducklake:' + self.catalog)} AS {alias} ({', '.join(options)})"

    def dlt_catalog(self) -> str:
        """The catalog as dlt's ducklake destination takes it (a URL, still without the password)."""
        if self.kind == "postgres":
            fields = dict(_keywords(self.catalog.split(":", 1)[1]))
            user = fields.get("user", "postgres")
            host = fields.get("host", "localhost")
            port = f":{fields['port']}" if fields.get("port") else ""
            return f"postgres://{user}@{host}{port}/{fields.get('dbname', user)}"
        if self.kind == "sqlite":
            return "sqlite:///" + str(Path(self.catalog.split(":", 1)[1]).resolve())
        return "duckdb:///" + str(Path(self.catalog.removeprefix("duckdb:")).resolve())


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_KEYWORD = re.compile(r"\s*(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S*)")


def _keywords(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text.rstrip()):
        m = _KEYWORD.match(text, pos)
        if not m:
            raise HubwhError(f"{ENV_CATALOG}: cannot read the PostgreSQL connection string after {pos} characters")
        value = m.group(2)
        if value.startswith("'"):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        out.append((m.group(1), value))
        pos = m.end()
    return out


def _libpq(fields: list[tuple[str, str]]) -> str:
    def value(v: str) -> str:
        return v if v and re.fullmatch(r"[^\s'\\]+", v) else "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"

    return " ".join(f"{k}={value(v)}" for k, v in fields)


def split_password(catalog: str) -> tuple[str, str | None]:
    """The catalog string without its password, and the password (None when it had none)."""
    catalog = catalog.strip().removeprefix("ducklake:")
    if catalog.startswith(("postgres://", "postgresql://")):
        url = urlsplit(catalog)
        fields = [("dbname", unquote(url.path.lstrip("/")) or "postgres"), ("host", url.hostname or "localhost")]
        if url.port:
            fields.append(("port", str(url.port)))
        if url.username:
            fields.append(("user", unquote(url.username)))
        return "postgres:" + _libpq(fields), unquote(url.password) if url.password else None
    if catalog.startswith("postgres:"):
        fields = _keywords(catalog.split(":", 1)[1])
        password = [v for k, v in fields if k == "password"]
        rest = [(k, v) for k, v in fields if k != "password"]
        return "postgres:" + _libpq(rest), password[-1] if password else None
    return catalog, None


def lake_from_env() -> Lake:
    """The lake the environment names; moves a catalog password into PGPASSWORD (see the module)."""
    raw = os.environ.get(ENV_CATALOG, "").strip()
    data = os.environ.get(ENV_DATA_PATH, "").strip()
    if not raw or not data:
        raise HubwhError(
            f"{ENV_TARGET}=lake needs {ENV_CATALOG} (the catalog: postgres:dbname=... host=... user=..., "
            f"or sqlite:/path/catalog.sqlite) and {ENV_DATA_PATH} (the folder of the lake's Parquet files)"
        )
    catalog, password = split_password(raw)
    if password is not None:
        os.environ["PGPASSWORD"] = password
    os.environ[ENV_CATALOG] = catalog
    if not catalog.startswith(("postgres:", "sqlite:")):
        catalog = str(Path(catalog.removeprefix("duckdb:")).expanduser().resolve())
    elif catalog.startswith("sqlite:"):
        catalog = "sqlite:" + str(Path(catalog.split(":", 1)[1]).expanduser().resolve())
    data_path = Path(data).expanduser().resolve()
    os.environ[ENV_DATA_PATH] = str(data_path)
    return Lake(catalog, data_path)


def is_lake(db_path) -> bool:
    """Does db_path name the lake (HUBWH_TARGET=lake and the lake's data folder)?"""
    if db_path is None or not active():
        return False
    return Path(db_path).expanduser().resolve() == lake_from_env().data_path


ENV_MD_DATABASE = "HUBWH_MD_DATABASE"  # read by profiles.yml's motherduck output too
MD_DEFAULT_DATABASE = "hub_warehouse"


def motherduck_database() -> str:
    return os.environ.get(ENV_MD_DATABASE, "").strip() or MD_DEFAULT_DATABASE


def motherduck_path() -> Path:
    """The path that names the MotherDuck database (HUBWH_TARGET=motherduck): `md:<database>`
    under the project root, so the parts that pass a warehouse path around pass this one."""
    from hubwh.paths import PROJECT_ROOT

    return PROJECT_ROOT / f"md:{motherduck_database()}"


def is_motherduck(db_path) -> bool:
    return db_path is not None and target() == "motherduck" and Path(db_path).name.startswith("md:")


def motherduck_token() -> str:
    token = os.environ.get("MOTHERDUCK_TOKEN", "").strip()
    if not token:
        raise HubwhError("HUBWH_TARGET=motherduck needs MOTHERDUCK_TOKEN (a MotherDuck access token)")
    return token


def scrub(text: str) -> str:
    """Text with the catalog password (if any) replaced: for error messages that quote a cause."""
    password = os.environ.get("PGPASSWORD")
    return text.replace(password, "***") if password else text
