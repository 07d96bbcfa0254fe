"""Sharded crawls (`hubwh crawl --shard I/N`, extract/shard.py, docs/methods.md §13): the shard
hash worked by hand, Python and SQL agreeing, `--shard` validation; and on a tiny synthetic Hub
through the real emulator, client, dlt and dbt: shards 1/2 and 2/2 crawled one after the other into
one DuckDB file give every row once, the raw rows and (after `dbt build`) the marts of one
unsharded crawl, each shard's requests touch only its own repos, and refreshing one shard never
marks another shard's repos unlisted."""

from __future__ import annotations

import math
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import slow_fixture
from test_snapshot_load import VOLATILE, differences

from extract.hf_hub import PRIMARY_KEYS, TABLES
from extract.pipeline import crawl
from extract.shard import SQL_MACRO, Shard, repo_hash, shard_of
from hubwh.emulator import Emulator
from hubwh.errors import HubwhError

PROJECT = Path(__file__).resolve().parent.parent
RAW_TABLES = [t for t in TABLES if t != "crawl_runs"]
REPO_TABLE = {"model": "models", "dataset": "datasets", "space": "spaces"}


# -- the hash -----------------------------------------------------------------------------------
# sha1 of "<type>/<id>" (as `printf %s model/gpt2 | sha1sum` prints it), its first 16 hex digits,
# and the shards by hand: mod 2 is the parity of the last digit; since 16 = 1 (mod 3), the number
# mod 3 is the sum of its hex digits mod 3.
WORKED = [
    # id, first 8 bytes, their value, shard of 2, digit sum, shard of 3
    ("model", "gpt2", "861def66f8ed190b", 9664143600948943115, 2, 140, 3),  # b odd; 140 = 2 (mod 3)
    ("dataset", "squad", "84df1be95539126b", 9574402021784097387, 2, 117, 1),  # b odd; 117 = 0
    ("space", "acme/chat-demo", "22a82db03e4f485d", 2497296228359817309, 2, 114, 1),  # d odd; 114 = 0
    ("model", "bigscience/bloom", "ba4c6d2cb30dad8e", 13424224628034612622, 1, 142, 2),  # e even; 142 = 1
]


@pytest.mark.parametrize(("repo_type", "repo_id", "head", "value", "of2", "digit_sum", "of3"), WORKED)
def test_shard_of_a_repo_worked_by_hand(repo_type, repo_id, head, value, of2, digit_sum, of3):
    assert int(head, 16) == value == repo_hash(repo_type, repo_id)
    assert sum(int(c, 16) for c in head) == digit_sum
    assert shard_of(repo_type, repo_id, 2) == of2 == (2 if int(head[-1], 16) % 2 else 1)
    assert shard_of(repo_type, repo_id, 3) == of3 == digit_sum % 3 + 1
    assert shard_of(repo_type, repo_id, 1) == 1
    assert Shard(of2, 2).contains(repo_type, repo_id) and not Shard(3 - of2, 2).contains(repo_type, repo_id)


def _ids() -> list[tuple[str, str]]:
    ids = [(t, i) for t, i, *_ in WORKED]
    ids += [(t, f"org{k % 37}/repo-{k}") for k in range(3000) for t in ("model", "dataset", "space")][::3]
    ids += [("model", "gpt2"), ("dataset", "gpt2"), ("model", "caf\u00e9/na\u00efve"), ("space", "x")]
    return ids


def test_sql_and_python_put_every_repo_in_the_same_shard():
    ids = _ids()
    con = duckdb.connect()
    con.execute(SQL_MACRO)
    con.execute("CREATE TABLE ids (repo_type VARCHAR, repo_id VARCHAR)")
    con.executemany("INSERT INTO ids VALUES (?, ?)", ids)
    for n in (1, 2, 3, 7):
        got = dict(
            ((t, i), s)
            for t, i, s in con.execute(
                f"SELECT repo_type, repo_id, hubwh_shard(repo_type, repo_id, {n}) FROM ids"
            ).fetchall()
        )
        assert got == {(t, i): shard_of(t, i, n) for t, i in ids}, n
        for index in range(1, n + 1):
            where = Shard(index, n).sql("repo_type", "repo_id") if n > 1 else "TRUE"
            sql_ids = set(con.execute(f"SELECT repo_type, repo_id FROM ids WHERE {where}").fetchall())
            assert sql_ids == {x for x in ids if Shard(index, n).contains(*x)}
    con.close()
    # a model and a dataset with one id are two repos, hashed apart
    assert repo_hash("model", "gpt2") != repo_hash("dataset", "gpt2")


def test_shards_split_the_hub_evenly_and_nest():
    ids = _ids()
    sizes = [sum(Shard(i, 4).contains(*x) for x in ids) for i in (1, 2, 3, 4)]
    assert sum(sizes) == len(ids)  # each repo in exactly one shard
    assert all(abs(s - len(ids) / 4) < 0.1 * len(ids) / 4 for s in sizes), sizes
    # shard 1/2 is the union of shards 1/4 and 3/4 (mod arithmetic): shards can be split later
    assert {x for x in ids if Shard(1, 2).contains(*x)} == {
        x for x in ids if Shard(1, 4).contains(*x) or Shard(3, 4).contains(*x)
    }


def test_the_hash_does_not_depend_on_pythons_hash_seed():
    code = "from extract.shard import shard_of; print([shard_of('model', f'o/r{k}', 7) for k in range(50)])"
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONPATH": str(PROJECT), "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1
    assert outs.pop().strip() == str([shard_of("model", f"o/r{k}", 7) for k in range(50)])


@pytest.mark.parametrize("spec", ["0/2", "3/2", "x/y", "1/0", "2", "1/2/3", "-1/2", ""])
def test_a_bad_shard_is_one_clear_line(spec, tmp_path, capsys):
    from hubwh.cli import main

    with socket.socket() as s:  # nobody listens: the error must come before any request
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = tmp_path / "w.duckdb"
    code = main(
        ["crawl", f"--shard={spec}", "--endpoint", f"http://127.0.0.1:{port}", "--db", str(db), "--no-progress"]
    )
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and "--shard takes I/N with 1 <= I <= N" in err and "Traceback" not in err
    assert not db.exists()  # nothing touched


def test_shard_values():
    assert Shard.parse(None) == Shard(1, 1) == Shard.parse("1/1") and Shard().is_all
    assert Shard.parse(" 2 / 3 ") == Shard(2, 3) and Shard(2, 3).label == "2/3"
    assert Shard.parse((1, 4)) == Shard(1, 4)
    with pytest.raises(HubwhError):
        Shard.parse("4/3")


def test_the_plan_keeps_to_its_shard_even_when_two_sweeps_share_a_stamp(tmp_path):
    """Two shards sweeping at once could stamp their rows with the same microsecond: each plans
    only its own repos all the same."""
    from datetime import UTC, datetime

    from extract.hf_hub import create_raw_tables
    from extract.plan import plan
    from extract.scope import Scope
    from extract.warehouse import Warehouse

    db = tmp_path / "w.duckdb"
    stamp = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    con = duckdb.connect(str(db))
    create_raw_tables(con)
    for repo_id in ("gpt2", "bigscience/bloom"):  # shards 2 and 1 of 2 (worked out above)
        con.execute(
            "INSERT INTO raw.models (repo_id, sha, last_listed_at, first_listed_at, is_listed) "
            "VALUES (?, 'a', ?, ?, true)",
            [repo_id, stamp, stamp],
        )
    con.close()
    wh = Warehouse(db, tmp_path / "pipelines")
    for shard, expected in (("1/2", {"bigscience/bloom"}), ("2/2", {"gpt2"}), (None, {"gpt2", "bigscience/bloom"})):
        due = plan(wh, Scope(types=("model",), shard=shard), {"model": stamp}, stamp)
        assert {(t.repo_id, t.resource) for t in due} == {(i, r) for i in expected for r in ("commits", "discussions")}


# -- crawls of a tiny Hub -------------------------------------------------------------------------
def _crawl(emu: Emulator, db: Path, **kw) -> dict:
    return crawl(
        emu.url, db, budget=None, progress=False, token=False, pipelines_dir=db.parent / f"{db.stem}.pipelines", **kw
    )


def _query(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _repos(db: Path) -> set[tuple[str, str]]:
    return {(t, i) for t, table in REPO_TABLE.items() for (i,) in _query(db, f"SELECT repo_id FROM raw.{table}")}


def _per_repo_requests(emu: Emulator) -> set[tuple[str, str]]:
    return {(t, i) for _kind, t, i in emu.repo_request_log()}


@pytest.fixture(scope="module")
@slow_fixture
def crawled(tiny_warehouse, tiny_hub, tmp_path_factory) -> dict:
    """The unsharded crawl (conftest's tiny_warehouse, ref.duckdb here); shards 1/2 then 2/2 into
    sharded.duckdb (with what each requested, and what the file held after the first)."""
    sharded = tmp_path_factory.mktemp("shard-crawls") / "sharded.duckdb"
    out: dict = {"ref": tiny_warehouse["db"], "sharded": sharded}
    out["ref_summary"], out["ref_requested"] = tiny_warehouse["summary"], tiny_warehouse["requested"]
    with Emulator(tiny_hub) as emu:
        for shard in ("1/2", "2/2"):
            emu.reset_counts()
            out[shard] = _crawl(emu, sharded, shard=shard)
            out[f"{shard} requested"] = _per_repo_requests(emu)
            out[f"{shard} lists"] = {k: v for k, v in emu.counts().items() if k.startswith("list:")}
            out[f"{shard} repos"] = _repos(sharded)
    return out


def test_two_shards_give_every_row_once_and_the_rows_of_one_crawl(crawled):
    ref, sharded = crawled["ref"], crawled["sharded"]
    assert differences(ref, sharded, "raw", RAW_TABLES) == []
    for table in RAW_TABLES:
        keys = ", ".join(PRIMARY_KEYS[table])
        n, distinct = _query(sharded, f"SELECT count(*), count(DISTINCT ({keys})) FROM raw.{table}")[0]
        assert n == distinct > 0, table
    # the comparison saw every kind of outcome
    statuses = {s for (s,) in _query(sharded, "SELECT DISTINCT status FROM raw.fetch_log")}
    assert {"ok", "not_found", "gated"} <= statuses
    runs = _query(
        sharded, "SELECT shard_index, shard_count, finished_at IS NOT NULL FROM raw.crawl_runs ORDER BY started_at"
    )
    assert runs == [(1, 2, True), (2, 2, True)]
    assert _query(crawled["ref"], "SELECT shard_index, shard_count FROM raw.crawl_runs") == [(1, 1)]
    # every shard read every list page and kept only its share
    ref_summary = crawled["ref_summary"]
    for repo_type, n in ref_summary["repos_listed"].items():
        for shard in ("1/2", "2/2"):
            s = crawled[shard]
            assert s["shard"] == shard and s["list_pages"][repo_type] == ref_summary["list_pages"][repo_type]
            assert s["repos_listed"][repo_type] + s["in_other_shards"][repo_type] == n
        assert crawled["1/2"]["repos_listed"][repo_type] + crawled["2/2"]["repos_listed"][repo_type] == n


def test_each_shard_writes_and_requests_only_its_own_repos(crawled):
    first = crawled["1/2 repos"]
    assert first and all(shard_of(t, i, 2) == 1 for t, i in first)
    assert crawled["2/2 repos"] == _repos(crawled["ref"]) and crawled["2/2 repos"] - first
    for shard, index in (("1/2", 1), ("2/2", 2)):
        requested = crawled[f"{shard} requested"]
        assert requested and all(shard_of(t, i, 2) == index for t, i in requested), shard
        assert crawled[f"{shard} lists"] == {"list:model": 1, "list:dataset": 1, "list:space": 1}
    assert crawled["1/2 requested"] | crawled["2/2 requested"] == crawled["ref_requested"]
    # space -> model pairs belong to the space's shard
    pairs = _query(crawled["sharded"], "SELECT DISTINCT space_id FROM raw.space_models")
    assert pairs and {("space", s) for (s,) in pairs} <= crawled["2/2 repos"]


@pytest.fixture(scope="module")
@slow_fixture
def built(crawled) -> tuple[Path, Path]:
    from hubwh.build import run_dbt

    # the reference is built (conftest's tiny_warehouse); dbt's unit tests read no data
    run_dbt(["build", "--exclude-resource-type", "unit_test"], crawled["sharded"], quiet=True)
    return crawled["ref"], crawled["sharded"]


def _close(x, y) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        # sums taken in another row order: p-values of near-perfect correlations (1e-62) move most
        return (math.isnan(x) and math.isnan(y)) or math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)
    return x == y


def _sorted_rows(db: Path, schema: str, table: str) -> list[tuple]:
    """A table's rows without the volatile columns, sorted on its other non-double columns."""
    cols = _query(
        db,
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
        "ORDER BY ordinal_position",
        [schema, table],
    )
    kept = [(c, typ) for c, typ in cols if c not in VOLATILE]
    exact = [k for k, (_, typ) in enumerate(kept) if typ not in ("DOUBLE", "FLOAT")]
    names = ", ".join('"' + c + '"' for c, _ in kept)
    rows = _query(db, f'SELECT {names} FROM {schema}."{table}"')
    return sorted(
        rows, key=lambda r: repr([r[k] for k in exact]) + repr([f"{x:.6g}" for x in r if isinstance(x, float)])
    )


def mart_differences(a: Path, b: Path, schema: str) -> list[str]:
    """Tables of `schema` whose rows differ between the files (doubles to 1e-9 relative or 1e-12
    absolute, since the two files' rows reach the models in different orders)."""
    sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
    tables = sorted(r[0] for r in _query(a, sql, [schema]))
    assert tables and tables == sorted(r[0] for r in _query(b, sql, [schema]))
    found = []
    for table in tables:
        ra, rb = _sorted_rows(a, schema, table), _sorted_rows(b, schema, table)
        if len(ra) != len(rb) or not all(all(map(_close, x, y)) for x, y in zip(ra, rb, strict=True)):
            found.append(f"{schema}.{table}: {len(ra)} vs {len(rb)} rows, or values differ")
    return found


def test_two_shards_build_the_marts_of_one_crawl(built):
    ref, sharded = built
    # shard 1's repos were listed by an earlier run than shard 2's: they still count everywhere
    assert mart_differences(ref, sharded, "marts") == []
    assert mart_differences(ref, sharded, "intermediate") == []
    n_listed = sum(_query(ref, f"SELECT count(*) FROM raw.{t} WHERE is_listed")[0][0] for t in REPO_TABLE.values())
    assert _query(sharded, "SELECT count(*) FROM marts.repo_activity")[0][0] == n_listed == len(_repos(ref))


def _listed(db: Path, repo_id: str) -> bool:
    return _query(db, "SELECT is_listed FROM raw.models WHERE repo_id = ?", [repo_id])[0][0]


def test_a_shards_refresh_marks_only_its_own_repos_unlisted(crawled, tiny_hub, tmp_path):
    db = tmp_path / "refresh.duckdb"
    shutil.copy(crawled["sharded"], db)
    models = sorted(i for t, i in crawled["2/2 repos"] if t == "model")
    gone = {index: next(m for m in models if shard_of("model", m, 2) == index) for index in (1, 2)}
    with Emulator(tiny_hub) as emu:
        for repo_id in gone.values():
            emu.mutate_repo("model", repo_id, fields={"private": True})
        # a full refresh of shard 1: nothing changed in it but its lost repo; shard 2 untouched
        emu.reset_counts()
        summary = _crawl(emu, db, shard="1/2")
        assert summary["planned"] == {"commits": 0, "discussions": 0}
        assert emu.repo_request_log() == []
        assert summary["marked_unlisted"] == {"model": 1, "dataset": 0, "space": 0}
        assert not _listed(db, gone[1]) and _listed(db, gone[2])
        assert _query(db, "SELECT count(*) FROM raw.models WHERE NOT is_listed")[0][0] == 1
        # a run covering shard 2 (here an unsharded one, which covers every shard) finds the other
        summary = _crawl(emu, db, types=("model",), commits=False, discussions=False)
        assert summary["marked_unlisted"] == {"model": 1}
        assert {i for (i,) in _query(db, "SELECT repo_id FROM raw.models WHERE NOT is_listed")} == set(gone.values())
