"""The warehouse on a DuckLake catalogued in a real PostgreSQL (tests/postgres.py): a reader holding a
connection and querying marts in a loop is never blocked or broken by a crawl and a `dbt build`,
and sees the new snapshot once the build commits; the lake's marts equal the single-file
warehouse's for the same synthetic Hub; the catalog password reaches no log, file, catalog table,
dlt state or error message. Every step runs as the user runs it (`hubwh ...` in a child process)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import TINY_HUB, slow_fixture
from postgres import PASSWORD

from hubwh.paths import PROJECT_ROOT
from hubwh.project import public_marts

# the lake's fixture runs two loads and two builds on a PostgreSQL catalog: minutes, not seconds
pytestmark = pytest.mark.timeout(1800)

# the lake's first state: a sample of the models, loaded (one dlt load) and built without tests
FIRST_LOAD = ["--types", "model", "--sample", "0.3", "--seed", "1"]
NO_TESTS = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]

READER = r"""
import json, os, sys, time
from hubwh.duckdb_settings import connect
from hubwh.lake import lake_from_env

log, stop = sys.argv[1], sys.argv[2]
con = connect(lake_from_env().data_path, read_only=True)  # held for the whole run
with open(log, "a", buffering=1) as out:
    while not os.path.exists(stop):
        try:
            n, likes = con.execute(
                "select count(*), sum(coalesce(n_likes, 0)) from marts.repo_activity"
            ).fetchone()
            users = con.execute("select count(*) from marts.developers").fetchone()[0]
            out.write(json.dumps({"t": time.time(), "repos": n, "likes": int(likes or 0), "developers": users}) + "\n")
        except Exception as exc:
            out.write(json.dumps({"t": time.time(), "error": f"{type(exc).__name__}: {exc}"}) + "\n")
        time.sleep(0.25)
"""


def _hubwh(args: list[str], env: dict, cwd: Path, timeout: int = 1200) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "hubwh.cli", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, f"hubwh {' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def _child_env(lake: dict, work: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUBWH_", "PGPASSWORD"))}
    return {
        **env,
        **lake,
        "PYTHONPATH": str(PROJECT_ROOT),
        "DBT_LOG_PATH": str(work / "dbt-logs"),
        "DBT_TARGET_PATH": str(work / "dbt-target"),
        "DO_NOT_TRACK": "1",
        "RUNTIME__DLTHUB_TELEMETRY": "false",
    }


@pytest.fixture(scope="module")
@slow_fixture
def lake_run(tiny_hub, new_lake, tmp_path_factory):
    """A lake loaded (a sample of the models) and built (two marts and their parents); then, while a
    reader process queries its marts, crawled in full and built (`hubwh build`: every model and data
    test)."""
    from hubwh.emulator import Emulator

    work = tmp_path_factory.mktemp("lake-run")
    lake = new_lake("run")
    env = _child_env(lake, work)
    pipelines = ["--pipelines-dir", str(work / "pipelines"), "--no-progress", "--budget", "none"]
    outputs: list[str] = []
    with Emulator(tiny_hub) as emu:
        crawl = ["crawl", "--endpoint", emu.url, *pipelines, "--flush-seconds", "60"]
        for args in (
            ["snapshot", "load", str(tiny_hub), *FIRST_LOAD, "--pipelines-dir", str(work / "pipelines")],
            ["build", "--select", "+repo_activity +developers", *NO_TESTS],
        ):
            proc = _hubwh(args, env, work)
            outputs += [proc.stdout, proc.stderr]
        log, stop = work / "reader.jsonl", work / "reader.stop"
        reader = subprocess.Popen([sys.executable, "-c", READER, str(log), str(stop)], env=env, cwd=work)
        try:
            deadline = time.monotonic() + 60
            while not (log.exists() and log.read_text().strip()):
                assert reader.poll() is None and time.monotonic() < deadline, "the reader did not start"
                time.sleep(0.2)
            phases = {"crawl": time.time()}
            proc = _hubwh(crawl, env, work)
            outputs += [proc.stdout, proc.stderr]
            phases["build"] = time.time()
            # every model and data test; the dbt unit tests read no data (tests/test_dbt_unit.py)
            proc = _hubwh(["build", "--exclude-resource-type", "unit_test"], env, work)
            outputs += [proc.stdout, proc.stderr]
            phases["built"] = time.time()
            time.sleep(1.5)  # a few reads after the build
        finally:
            stop.touch()
            reader.wait(timeout=30)
    reads = [json.loads(line) for line in log.read_text().splitlines()]
    return {"env": env, "lake": lake, "work": work, "reads": reads, "phases": phases, "outputs": outputs}


@pytest.fixture(scope="module")
def single_file(tiny_warehouse) -> Path:
    """The same synthetic Hub crawled into the single-file default and built (conftest)."""
    return tiny_warehouse["db"]


def test_reader_never_blocked_and_sees_the_new_snapshot(lake_run, single_file):
    reads, phases = lake_run["reads"], lake_run["phases"]
    errors = [r["error"] for r in reads if "error" in r]
    assert not errors, errors[:3]
    during_crawl = [r for r in reads if phases["crawl"] <= r["t"] < phases["build"]]
    during_build = [r for r in reads if phases["build"] <= r["t"] < phases["built"]]
    after = [r for r in reads if r["t"] > phases["built"] + 0.5]
    assert during_crawl and during_build and after, (len(during_crawl), len(during_build), len(after))
    before = reads[0]
    # the first build saw the sample of models first loaded; the reader kept that snapshot through
    # the full crawl (raw changes, marts do not) and got the new one once the build committed
    assert 0 < before["repos"] < TINY_HUB["models"]
    assert {r["repos"] for r in during_crawl} == {before["repos"]}
    with duckdb.connect(str(single_file), read_only=True) as con:
        n_repos = con.execute("select count(*) from marts.repo_activity").fetchone()[0]
    assert {r["repos"] for r in after} == {n_repos}
    assert after[-1]["developers"] > before["developers"]


def _frame(con, mart: str) -> pd.DataFrame:
    df = con.execute(f'select * from marts."{mart}"').df()
    return df.sort_values(list(df.columns), ignore_index=True, key=lambda s: s.astype(str))


def test_lake_marts_equal_the_single_file_marts(lake_run, single_file, monkeypatch):
    from hubwh.duckdb_settings import connect

    for key, value in lake_run["lake"].items():
        monkeypatch.setenv(key, value)
    lake_con = connect(Path(lake_run["lake"]["HUBWH_LAKE_DATA_PATH"]), read_only=True)
    file_con = duckdb.connect(str(single_file), read_only=True)
    try:
        for mart in public_marts():
            lake_df, file_df = _frame(lake_con, mart), _frame(file_con, mart)
            # no merge candidates on a tiny Hub; changes and gainers need two recorded refreshes
            assert len(file_df) or mart in ("identity_merge_candidates", "activity_changes", "activity_gainers"), (
                f"{mart} is empty on the tiny Hub"
            )
            pd.testing.assert_frame_equal(lake_df, file_df, check_dtype=False, rtol=1e-9, obj=mart)
    finally:
        lake_con.close()
        file_con.close()


def test_catalog_password_goes_nowhere(lake_run, postgres):
    work = lake_run["work"]
    assert PASSWORD in lake_run["lake"]["HUBWH_LAKE_CATALOG"]  # it was given in the catalog string
    assert not [text for text in lake_run["outputs"] if PASSWORD in text]
    needle = PASSWORD.encode()
    leaked = [p for p in work.rglob("*") if p.is_file() and needle in p.read_bytes()]
    data = Path(lake_run["lake"]["HUBWH_LAKE_DATA_PATH"])
    leaked += [p for p in data.rglob("*") if p.is_file() and needle in p.read_bytes()]
    assert not leaked, leaked  # dbt's logs and target, dlt's pipeline folder and state, Parquet files
    assert list((work / "dbt-logs").glob("*.log")) and list((work / "pipelines").iterdir())  # they were written
    db = re.search(r"dbname=(\S+)", lake_run["lake"]["HUBWH_LAKE_CATALOG"]).group(1)
    dump = postgres.dump(db)
    assert "ducklake_snapshot" in dump and PASSWORD not in dump  # the catalog's own tables


def test_errors_name_the_lake_but_not_the_password(new_lake, tmp_path):
    lake = new_lake("wrong")
    for broken in (
        lake["HUBWH_LAKE_CATALOG"].replace("dbname=lake_wrong", "dbname=no_such_db"),
        re.sub(r"port=\d+", "port=1", lake["HUBWH_LAKE_CATALOG"]),
    ):
        env = _child_env({**lake, "HUBWH_LAKE_CATALOG": broken}, tmp_path)
        for args in (["crawl", "--endpoint", "http://127.0.0.1:9", "--no-progress"], ["report"], ["build"]):
            proc = subprocess.run(
                [sys.executable, "-m", "hubwh.cli", *args], env=env, cwd=tmp_path, capture_output=True, text=True
            )
            assert proc.returncode == 2, (args, proc.stdout[-500:], proc.stderr[-2000:])
            assert PASSWORD not in proc.stdout + proc.stderr
            lines = proc.stderr.strip().splitlines()
            assert len(lines) == 1 and "lake" in lines[0], (args, proc.stderr[-2000:])


def _raw_frame(con, table: str) -> pd.DataFrame:
    """A raw table without its volatile columns, every value as text, rows sorted."""
    from test_snapshot_load import VOLATILE

    df = con.execute(f"select * from raw.{table}").df()
    df = df[[c for c in df.columns if c not in VOLATILE]].astype(str)
    return df.sort_values(list(df.columns), ignore_index=True)


def test_two_shards_crawl_one_lake_at_the_same_time(tiny_hub, new_lake, single_file, tmp_path, monkeypatch):
    """Shards 1/2 and 2/2 crawled by two processes at once into one PostgreSQL-catalogued lake:
    both succeed, their runs overlap in time, every repo's rows are there exactly once, and the raw
    tables equal a single unsharded crawl of the same Hub (the single-file warehouse)."""
    from extract.hf_hub import PRIMARY_KEYS, TABLES
    from hubwh.duckdb_settings import connect
    from hubwh.emulator import Emulator

    lake = new_lake("shards")
    env = _child_env(lake, tmp_path)
    with Emulator(tiny_hub) as emu:
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "hubwh.cli", "crawl", "--endpoint", emu.url, "--shard", shard]
                + ["--pipelines-dir", str(tmp_path / f"pipelines-{i}"), "--no-progress", "--budget", "none"],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i, shard in enumerate(("1/2", "2/2"))
        ]
        outputs = [p.communicate(timeout=1200) for p in procs]
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, f"{p.args}:\n{out[-2000:]}\n{err[-3000:]}"
    for key, value in lake.items():
        monkeypatch.setenv(key, value)
    lake_con = connect(Path(lake["HUBWH_LAKE_DATA_PATH"]), read_only=True)
    file_con = duckdb.connect(str(single_file), read_only=True)
    try:
        runs = lake_con.execute(
            "select shard_index, shard_count, started_at, finished_at from raw.crawl_runs order by shard_index"
        ).fetchall()
        assert [(r[0], r[1]) for r in runs] == [(1, 2), (2, 2)]
        (_, _, start_1, end_1), (_, _, start_2, end_2) = runs
        assert start_1 < end_2 and start_2 < end_1, "the two shards' runs did not overlap"
        for table in (t for t in TABLES if t != "crawl_runs"):
            keys = ", ".join(PRIMARY_KEYS[table])
            n, distinct = lake_con.execute(f"select count(*), count(distinct ({keys})) from raw.{table}").fetchone()
            assert n == distinct > 0, table
            pd.testing.assert_frame_equal(_raw_frame(lake_con, table), _raw_frame(file_con, table), obj=table)
    finally:
        lake_con.close()
        file_con.close()
