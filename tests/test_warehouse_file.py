"""The warehouse file itself: readable by DuckDB 1.x tools, and its history snapshot
records changes across refreshes (docs/methods.md §6, time)."""

from __future__ import annotations

import shutil
import struct

import duckdb

from extract.pipeline import crawl
from extract.warehouse import DUCKDB_FILE_CONFIG
from hubwh.build import run_dbt
from hubwh.emulator import Emulator


def _storage_version(path) -> int:
    # DuckDB's file header: 8 bytes checksum, the magic "DUCK", then the storage version.
    header = open(path, "rb").read(20)
    assert header[8:12] == b"DUCK"
    return struct.unpack("<Q", header[12:20])[0]


def test_warehouse_keeps_the_duckdb_1x_storage_version(warehouse, tmp_path):
    # What a file created with the compatibility setting carries, and what duckdb 2.x's own
    # default would be: the built warehouse (written by dlt, then dbt) must carry the former.
    compatible, native = tmp_path / "compatible.duckdb", tmp_path / "native.duckdb"
    duckdb.connect(str(compatible), config=DUCKDB_FILE_CONFIG).close()
    duckdb.connect(str(native)).close()
    assert _storage_version(compatible) != _storage_version(native)
    assert _storage_version(warehouse) == _storage_version(compatible)


def test_history_snapshot_records_a_changed_repo(synth_snapshot, warehouse, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, db)
    con = duckdb.connect(str(db), read_only=True)
    repo_id, likes = con.execute(
        "select repo_id, n_likes from marts.repo_activity where repo_type = 'model' "
        "order by n_likes desc, repo_id limit 1"
    ).fetchone()
    before = con.execute("select count(*) from history.repo_activity_history").fetchone()[0]
    con.close()

    with Emulator(synth_snapshot) as emu:
        emu.mutate_repo("model", repo_id, fields={"likes": likes + 5})
        crawl(endpoint=emu.url, db_path=db, budget=None, progress=False, pipelines_dir=tmp_path / "pipelines")
    run_dbt(["run", "--select", "+repo_activity"], db, quiet=True)
    run_dbt(["snapshot"], db, quiet=True)

    con = duckdb.connect(str(db), read_only=True)
    versions = con.execute(
        "select n_likes, dbt_valid_to is null as is_current from history.repo_activity_history "
        "where repo_type = 'model' and repo_id = ? order by dbt_valid_from",
        [repo_id],
    ).fetchall()
    after = con.execute("select count(*) from history.repo_activity_history").fetchone()[0]
    con.close()
    assert versions == [(likes, False), (likes + 5, True)]
    assert after == before + 1  # only the changed repo got a new version
