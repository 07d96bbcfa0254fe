"""The single-file warehouse across rebuilds: it does not grow, DuckDB's resource settings reach
every connection, and BI tools read a published copy that a build never blocks or breaks."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time

import duckdb
import pytest

from extract.warehouse import Warehouse
from hubwh.build import publish, published_path, run_dbt
from hubwh.duckdb_settings import duckdb_settings
from hubwh.errors import HubwhError
from hubwh.paths import PROJECT_ROOT
from hubwh.project import public_marts
from hubwh.report.data import Warehouse as ReportWarehouse

SETTINGS_SQL = (
    "select current_setting('memory_limit') as memory_limit, current_setting('threads') as threads, "
    "current_setting('temp_directory') as temp_directory"
)


@pytest.fixture()
def resource_env(tmp_path, monkeypatch):
    """Unusual values for the three settings, and what DuckDB reports for them."""
    spill = tmp_path / "spill"
    monkeypatch.setenv("HUBWH_MEMORY_LIMIT", "1234MB")
    monkeypatch.setenv("HUBWH_THREADS", "3")
    monkeypatch.setenv("HUBWH_TEMP_DIR", str(spill))
    con = duckdb.connect(config={"memory_limit": "1234MB"})
    memory = con.execute("select current_setting('memory_limit')").fetchone()[0]
    con.close()
    return {"memory_limit": memory, "threads": 3, "temp_directory": str(spill)}


def test_settings_are_the_profile_defaults_unless_set(monkeypatch):
    for name in ("HUBWH_MEMORY_LIMIT", "HUBWH_THREADS", "HUBWH_TEMP_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HUBWH_DB", "/data/w.duckdb")
    # the default share (50%) as a size: DuckDB 1.4 takes no percentages
    half = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2 // 2**20
    assert duckdb_settings() == {"memory_limit": f"{half}MiB", "threads": "2", "temp_directory": "/data/w.duckdb.tmp"}
    monkeypatch.setenv("HUBWH_MEMORY_LIMIT", "6GB")
    assert duckdb_settings("/x/y.duckdb")["memory_limit"] == "6GB"
    assert duckdb_settings("/x/y.duckdb")["temp_directory"] == "/x/y.duckdb.tmp"


def test_settings_reach_the_crawler_dlt_and_the_report(resource_env, tmp_path):
    from extract.warehouse import resolve_db_path

    db = resolve_db_path(tmp_path / "w.duckdb")
    wh = Warehouse(db, pipelines_dir=tmp_path / "pipelines")
    assert wh.query_arrow(SETTINGS_SQL).to_pylist() == [resource_env]
    with wh.pipeline.sql_client() as client:  # the connection dlt loads through
        rows = client.execute_sql(SETTINGS_SQL)
    assert [dict(zip(resource_env, r)) for r in rows] == [resource_env]
    with ReportWarehouse(db) as report:
        assert report.con.execute(SETTINGS_SQL).fetchall() == [tuple(resource_env.values())]


@pytest.mark.slow
def test_settings_reach_dbt(resource_env, tmp_path):
    db = tmp_path / "w.duckdb"
    duckdb.connect(str(db)).close()
    result = run_dbt(["show", "--inline", SETTINGS_SQL, "--output", "json"], db, quiet=True)
    table = result.result.results[0].agate_table
    assert [dict(zip(table.column_names, row)) for row in table.rows] == [resource_env]


def _blocks(db) -> str:
    con = duckdb.connect(str(db), read_only=True)
    row = con.execute("pragma database_size").fetchone()
    con.close()
    return f"{db.stat().st_size / 1e6:.2f} MB, blocks {row[3]} total, {row[5]} free"


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


READER = textwrap.dedent(
    """
    import json, sys, time, duckdb
    path, stop = sys.argv[1], sys.argv[2]
    con = duckdb.connect(path, read_only=True)
    queries, errors = 0, []
    print("ready", flush=True)
    import os
    while not os.path.exists(stop):
        try:
            con.execute("select count(*), sum(n_likes) from marts.repo_activity").fetchall()
            con.execute("select count(*) from history.repo_activity_history").fetchall()
            queries += 1
        except Exception as exc:
            errors.append(str(exc))
        time.sleep(0.02)
    con.close()
    print(json.dumps({"queries": queries, "errors": errors}), flush=True)
    """
)
# a rebuild: every model replaced (`hubwh build` without the data tests, which write nothing and
# ran on the first build)
REBUILD = ["build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]


def _copy_warehouse(warehouse, tmp_path, monkeypatch):
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, db)
    monkeypatch.setenv("HUBWH_DB", str(db))
    monkeypatch.delenv("HUBWH_PUBLISHED_DB", raising=False)
    assert publish(db) == published_path(db) == tmp_path / "warehouse.published.duckdb"
    return db, published_path(db)


@pytest.fixture(scope="module")
def rebuilt(warehouse, tmp_path_factory):
    """A copy of the warehouse with one model's likes raised in raw, rebuilt three times in a row
    by `hubwh build` in a child process while another process reads the published copy in a loop."""
    tmp_path = tmp_path_factory.mktemp("rebuilt")
    with pytest.MonkeyPatch.context() as monkeypatch:
        db, copy = _copy_warehouse(warehouse, tmp_path, monkeypatch)
    con = duckdb.connect(str(db))
    repo_id, likes = con.execute(
        "select repo_id, n_likes from marts.repo_activity where repo_type = 'model' order by n_likes desc limit 1"
    ).fetchone()
    con.execute("update raw.models set likes = likes + 1000 where repo_id = ?", [repo_id])
    con.close()

    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(copy), str(stop)], stdout=subprocess.PIPE, text=True)
    sizes, builds = [], []
    try:
        assert reader.stdout.readline().strip() == "ready"
        env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "HUBWH_DB": str(db)}
        env.pop("HUBWH_PUBLISHED_DB", None)
        for _ in range(3):
            builds.append(
                subprocess.run(
                    [sys.executable, "-m", "hubwh.cli", *REBUILD], env=env, capture_output=True, text=True, timeout=900
                )
            )
            sizes.append(db.stat().st_size)
        time.sleep(0.5)  # the reader keeps going after the copy was replaced under it
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    return {
        "db": db,
        "copy": copy,
        "first": warehouse.stat().st_size,
        "sizes": sizes,
        "builds": builds,
        "seen": json.loads(out.strip().splitlines()[-1]),
        "repo_id": repo_id,
        "likes": likes,
    }


def test_rebuilds_do_not_grow_the_file(rebuilt):
    # DuckDB reuses but never returns the blocks of replaced tables: before compaction, two
    # rebuilds of the demo warehouse took it from 24.7 to 27.8 MB (+13 %).
    for build in rebuilt["builds"]:
        assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    first, sizes = rebuilt["first"], rebuilt["sizes"]
    assert len(sizes) == 3 and max(sizes) <= 1.10 * first, (
        f"{sizes} after a first build of {first}: {_blocks(rebuilt['db'])}"
    )
    con = duckdb.connect(str(rebuilt["db"]), read_only=True)
    assert con.execute("select count(*) from marts.repo_activity").fetchone()[0] > 0
    con.close()


def test_a_reader_of_the_published_copy_never_blocks_a_build(rebuilt):
    assert all(build.returncode == 0 for build in rebuilt["builds"])
    seen = rebuilt["seen"]
    assert seen["errors"] == [] and seen["queries"] > 50, seen

    con = duckdb.connect(str(rebuilt["copy"]), read_only=True)
    assert con.execute(
        "select n_likes from marts.repo_activity where repo_id = ?", [rebuilt["repo_id"]]
    ).fetchone() == (rebuilt["likes"] + 1000,)
    published = {
        r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()
    }
    assert published == set(public_marts())
    assert con.execute("select count(*) from seeds.bots").fetchone()[0] > 0
    con.close()


def test_a_failed_build_leaves_the_published_copy_untouched(warehouse, tmp_path, monkeypatch):
    db, copy = _copy_warehouse(warehouse, tmp_path, monkeypatch)
    before = _digest(copy)
    con = duckdb.connect(str(db))
    con.execute("drop table raw.spaces")  # staging.stg_hf_hub__spaces and all below it fail
    con.close()
    with pytest.raises(HubwhError, match="failed"):
        run_dbt(["build", "--select", "+repo_activity"], db, quiet=True)
    assert _digest(copy) == before
    assert not list(tmp_path.glob("*.tmp*"))


def test_dbt_sets_the_temp_directory_once_so_a_spill_does_not_stop_the_build(tmp_path):
    # dbt-duckdb SETs every profile setting on every new cursor; once DuckDB has spilled to its
    # temp directory, setting it again fails, even to the same folder (a build of today's Hub
    # stopped midway). The project's plugin moves it to the database's opening configuration.
    from types import SimpleNamespace

    from hubwh.dbt_plugin import Plugin

    spill = str(tmp_path / "w.duckdb.tmp")
    creds = SimpleNamespace(settings={"memory_limit": "40MB", "threads": "1", "temp_directory": spill})
    plugin, config = Plugin.__new__(Plugin), {}
    plugin.update_connection_config(creds, config)
    assert config["temp_directory"] == spill and "temp_directory" not in creds.settings
    again = {}
    plugin.update_connection_config(creds, again)  # dbt-duckdb opens the file again between nodes
    assert again["temp_directory"] == spill

    con = duckdb.connect(str(tmp_path / "w.duckdb"), config=config)
    con.execute("SET preserve_insertion_order = false")
    for key, value in creds.settings.items():
        con.execute(f"SET {key} = '{value}'")
    con.execute("CREATE TABLE t AS SELECT repeat('x', 50) || i::VARCHAR AS b FROM range(3000000) AS r(i)")
    con.execute("CREATE TABLE s AS SELECT * FROM t ORDER BY b")  # more than 40 MB: spills
    assert os.path.isdir(spill)
    cursor = con.cursor()  # a new node's cursor, set up as dbt-duckdb does
    for key, value in creds.settings.items():
        cursor.execute(f"SET {key} = '{value}'")
    with pytest.raises(duckdb.NotImplementedException, match="temporary directory"):
        cursor.execute(f"SET temp_directory = '{spill}'")  # what it did before
    assert cursor.execute("SELECT count(*) FROM s").fetchone() == (3_000_000,)
    con.close()
