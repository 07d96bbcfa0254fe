"""Where the warehouse lives, resolved without a server: the DuckDB extensions come from the installed
duckdb-ext-* packages (never downloaded), a DuckLake catalog string gives up its password to
PGPASSWORD, and the motherduck target points the extractor and dbt at the same database."""

from __future__ import annotations

from pathlib import Path

import duckdb
import jinja2
import pytest
import yaml

from hubwh import lake
from hubwh.errors import HubwhError
from hubwh.paths import PROJECT_ROOT, warehouse_path


def test_extensions_come_from_the_installed_packages():
    folder = Path(lake.extension_directory())
    assert folder.is_dir() and folder.name == "extensions" and folder.parent.name == "duckdb_ext"
    version = duckdb.__version__
    for name in ("ducklake", "postgres_scanner", "sqlite_scanner"):
        assert (folder / f"v{version}" / "linux_amd64" / f"{name}.duckdb_extension").exists()
    config = lake.extension_config()
    assert config == {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "extension_directory": str(folder),
    }


def test_connections_load_extensions_only_from_that_folder(tmp_path):
    from hubwh.duckdb_settings import connect

    con = connect(tmp_path / "w.duckdb")
    try:
        settings = dict(
            con.execute(
                "select name, value from duckdb_settings() where name in "
                "('extension_directory', 'autoinstall_known_extensions', 'autoload_known_extensions')"
            ).fetchall()
        )
        assert settings == {
            "extension_directory": lake.extension_directory(),
            "autoinstall_known_extensions": "false",
            "autoload_known_extensions": "false",
        }
        con.execute("LOAD ducklake")  # from the folder: there is no network here
        with pytest.raises(duckdb.Error):
            con.execute("LOAD spatial")  # not a package we install: no download, an error
    finally:
        con.close()


@pytest.mark.parametrize(
    ("given", "catalog", "password"),
    [
        (
            "postgres:dbname=lake host=10.0.0.5 port=5433 user=hub password=s3cr3t",
            "postgres:dbname=lake host=10.0.0.5 port=5433 user=hub",
            "s3cr3t",
        ),
        ("ducklake:postgres:password='a b\\'c' dbname=lake", "postgres:dbname=lake", "a b'c"),
        (
            "postgres://hub:p%40ss@db.example:5432/lake",
            "postgres:dbname=lake host=db.example port=5432 user=hub",
            "p@ss",
        ),
        ("postgres:dbname=lake host=h user=u", "postgres:dbname=lake host=h user=u", None),
        ("sqlite:/data/catalog.sqlite", "sqlite:/data/catalog.sqlite", None),
    ],
)
def test_catalog_password_is_split_off(given, catalog, password):
    assert lake.split_password(given) == (catalog, password)


def test_lake_from_env_moves_the_password_to_pgpassword(monkeypatch, tmp_path):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("HUBWH_TARGET", "lake")
    monkeypatch.setenv("HUBWH_LAKE_CATALOG", "postgres:dbname=lake host=127.0.0.1 port=5999 user=u password=pw9")
    monkeypatch.setenv("HUBWH_LAKE_DATA_PATH", str(tmp_path / "data"))
    the_lake = lake.lake_from_env()
    import os

    assert os.environ["PGPASSWORD"] == "pw9"
    assert "pw9" not in os.environ["HUBWH_LAKE_CATALOG"] and "pw9" not in the_lake.attach_sql()
    assert the_lake.dlt_catalog() == "postgres://u@127.0.0.1:5999/lake"
    assert warehouse_path() == tmp_path / "data" and lake.is_lake(tmp_path / "data")
    assert not lake.is_lake(tmp_path / "w.duckdb")
    assert the_lake.attach_sql(read_only=True) == (
        "ATTACH IF NOT EXISTS 'ducklake:postgres:dbname=lake host=127.0.0.1 port=5999 user=u' AS lake "
        f"(DATA_PATH '{tmp_path / 'data'}/', READ_ONLY)"
    )
    assert lake.scrub("failed: password pw9 rejected") == "failed: password *** rejected"


def test_lake_needs_both_variables(monkeypatch):
    monkeypatch.setenv("HUBWH_TARGET", "lake")
    monkeypatch.delenv("HUBWH_LAKE_CATALOG", raising=False)
    with pytest.raises(HubwhError, match="HUBWH_LAKE_CATALOG"):
        warehouse_path()
    monkeypatch.setenv("HUBWH_TARGET", "cloud")
    with pytest.raises(HubwhError, match="not one of local, lake, motherduck"):
        lake.target()


def _profile_output(name: str, env: dict) -> dict:
    """profiles.yml's output rendered as dbt renders it (env_var with defaults)."""
    text = (PROJECT_ROOT / "profiles.yml").read_text()

    def env_var(key, default=None):
        if key in env:
            return env[key]
        if default is None:
            raise KeyError(key)
        return default

    output = yaml.safe_load(text)["hub_warehouse"]["outputs"][name]

    def render(value):
        if isinstance(value, str):
            return jinja2.Environment().from_string(value).render(env_var=env_var)
        if isinstance(value, dict):
            return {k: render(v) for k, v in value.items()}
        if isinstance(value, list):
            return [render(v) for v in value]
        return value

    return render(output)


def test_lake_output_attaches_what_the_extractor_writes(monkeypatch, tmp_path):
    from extract.warehouse import _lake_destination

    env = {
        "HUBWH_TARGET": "lake",
        "HUBWH_LAKE_CATALOG": "postgres:dbname=lake host=127.0.0.1 port=5999 user=u password=pw9",
        "HUBWH_LAKE_DATA_PATH": str(tmp_path / "data"),
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    the_lake = lake.lake_from_env()
    import os

    output = _profile_output("lake", dict(os.environ, HUBWH_DUCKDB_EXTENSIONS=lake.extension_directory()))
    assert output["database"] == lake.ALIAS and output["path"] == ":memory:"
    [attach] = output["attach"]
    assert attach["alias"] == lake.ALIAS
    assert attach["path"] == "ducklake:" + the_lake.catalog  # no password in what dbt logs
    assert attach["options"] == {"data_path": f"{tmp_path / 'data'}/"}  # DuckLake's default metadata schema
    # dbt's connections get the extension folder and a memory size from the project's plugin
    from types import SimpleNamespace

    from hubwh.dbt_plugin import Plugin
    from hubwh.duckdb_settings import absolute_memory

    assert output["plugins"] == [{"module": "hubwh.dbt_plugin"}] == _profile_output("local", {})["plugins"]
    config, creds = {}, SimpleNamespace(settings={"memory_limit": "50%", "threads": "2"})
    Plugin.__new__(Plugin).update_connection_config(creds, config)
    assert config == lake.extension_config()
    assert creds.settings == {"memory_limit": absolute_memory("50%"), "threads": "2"}
    # dlt's ducklake destination: the same catalog, metadata schema and data folder
    dest = _lake_destination(the_lake, the_lake.data_path)
    creds = dest.config_params["credentials"]
    assert creds.ducklake_name == lake.ALIAS and creds.metadata_schema == lake.METADATA_SCHEMA
    assert str(creds.catalog.to_native_representation()) == "postgres://u@127.0.0.1:5999/lake"
    assert creds.storage.bucket_url == the_lake.data_path.as_uri() + "/"
    assert creds.statements == ["LOAD ducklake", "LOAD postgres"]
    assert creds.global_config["extension_directory"] == lake.extension_directory()


def test_motherduck_target_points_the_extractor_and_dbt_at_one_database(monkeypatch, tmp_path):
    from extract.warehouse import Warehouse, resolve_db_path
    from hubwh.build import _local_target

    monkeypatch.setenv("HUBWH_TARGET", "motherduck")
    monkeypatch.setenv("HUBWH_MD_DATABASE", "hw_team")
    monkeypatch.setenv("MOTHERDUCK_TOKEN", "md-token-123")
    db = resolve_db_path(None)
    assert db == warehouse_path() == PROJECT_ROOT / "md:hw_team" and lake.is_motherduck(db)
    wh = Warehouse(db, pipelines_dir=tmp_path / "pipelines")  # no connection is made yet
    assert wh.pipeline.destination.destination_type == "dlt.destinations.motherduck"
    assert wh.pipeline.dataset_name == "raw"
    creds = wh.pipeline.destination.config_params["credentials"]
    assert creds.database == "hw_team" and creds.password == "md-token-123"
    output = _profile_output("motherduck", {"HUBWH_MD_DATABASE": "hw_team", "MOTHERDUCK_TOKEN": "md-token-123"})
    assert output["path"] == "md:hw_team"  # dbt builds on the database dlt loads
    sources = yaml.safe_load((PROJECT_ROOT / "models/staging/_hf_hub__sources.yml").read_text())["sources"]
    [hub] = [s for s in sources if s["name"] == "hf_hub"]
    assert hub["schema"] == "raw" and "database" not in hub  # raw of the target's own database
    assert not _local_target([])  # no file to compact or publish
    monkeypatch.delenv("MOTHERDUCK_TOKEN")
    with pytest.raises(HubwhError, match="MOTHERDUCK_TOKEN"):
        Warehouse(db, pipelines_dir=tmp_path / "p2")


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ("5GB", 5 * 10**9),
        ("11993MiB", 11993 * 2**20),
        ("4.5 GiB", int(4.5 * 2**30)),
        ("100kb", 10**5),
        ("2 gigabytes", 2 * 10**9),
        ("7G", 7 * 10**9),
    ],
)
def test_memory_sizes_are_read_as_duckdb_reads_them(size, expected):
    """The staging workers of `snapshot load` share the memory limit: its bytes must be DuckDB's."""
    from hubwh.duckdb_settings import memory_bytes

    assert memory_bytes(size) == expected
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{size}'")
    theirs = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    con.execute(f"SET memory_limit = '{expected}B'")
    assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == theirs


def test_a_memory_size_duckdb_would_refuse_is_named():
    from hubwh.duckdb_settings import memory_bytes

    with pytest.raises(HubwhError, match="'lots'"):
        memory_bytes("lots")
