"""`hubwh snapshot load`: a snapshot loaded straight into `raw` gives the rows (and, after
`dbt build`, the marts) that crawling the same snapshot through the emulator gives; scope
options take the crawl's sample; bad input stops with one line naming the file and line and
loads nothing.

Real emulator, real crawl, real dlt, real dbt. The crawl is the session's (tests/conftest.py:
the demo's synthetic Hub, crawled and built once for every module); scope options use a tiny
Hub of their own."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import slow_fixture

from extract.hf_hub import TABLES
from hubwh.demo import DEMO_SIZES
from hubwh.emulator import sample

TINY = {"models": 80, "datasets": 20, "spaces": 20}
# Columns that differ between two runs by nature: clocks, dlt's ids, and the request count
# (a load makes no request).
VOLATILE = {
    "_dlt_load_id",
    "_dlt_id",
    "fetched_at",
    "listed_at",
    "first_listed_at",
    "last_listed_at",
    "last_ok_at",
    "n_requests",
    "started_at",
    "finished_at",
    "loaded_at",
}
RAW_TABLES = [t for t in TABLES if t != "crawl_runs"]


def _crawl(snapshot: Path, db: Path, **scope) -> Path:
    from extract.pipeline import crawl
    from hubwh.emulator import Emulator

    with Emulator(snapshot) as emu:
        crawl(endpoint=emu.url, db_path=db, budget=None, progress=False, pipelines_dir=db.parent / "pipelines", **scope)
    return db


def _load(snapshot: Path, db: Path, **scope) -> Path:
    from hubwh.snapshot.load import load_snapshot

    load_snapshot(snapshot, db, progress=False, pipelines_dir=db.parent / "pipelines", **scope)
    return db


def differences(a: Path, b: Path, schema: str, tables: list[str] | None = None) -> list[str]:
    """Every table of `schema` in both files, compared as multisets of rows (volatile columns
    aside, doubles to 10 significant digits); what differs, in words."""
    # Each file under its own name: dbt's views name their database (the file's stem), and DuckDB
    # 1.4 binds a view's names as written, so an attached file must keep that name.
    ca, cb = Path(a).stem, Path(b).stem
    assert ca != cb, "two files of one name cannot be attached side by side"
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{a}' AS \"{ca}\" (READ_ONLY)")
        con.execute(f"ATTACH '{b}' AS \"{cb}\" (READ_ONLY)")

        def names(db: str) -> set[str]:
            sql = "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? AND table_schema = ?"
            return {r[0] for r in con.execute(sql, [db, schema]).fetchall()}

        def columns(db: str, table: str) -> list[tuple[str, str]]:
            sql = (
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = ? "
                "AND table_schema = ? AND table_name = ? ORDER BY ordinal_position"
            )
            return con.execute(sql, [db, schema, table]).fetchall()

        found = []
        in_a, in_b = names(ca), names(cb)
        wanted = set(tables) if tables is not None else in_a | in_b
        found += [f"{schema}.{t} only in one file" for t in sorted(wanted & (in_a ^ in_b))]
        for t in sorted(wanted & in_a & in_b):
            cols_a, cols_b = columns(ca, t), columns(cb, t)
            if cols_a != cols_b:
                found.append(f"{schema}.{t}: columns differ")
                continue

            def expr(name: str, typ: str) -> str:
                q = f'"{name}"'
                # doubles to 10 significant digits, and below 1e-12 as zero: row order moves the
                # near-zero p-values of the correlation marts (as tests/test_shard.py allows too)
                near = f"CASE WHEN abs({q}::DOUBLE) < 1e-12 THEN 0.0 ELSE {q}::DOUBLE END"
                return f"format('{{:.10g}}', {near})" if typ in ("DOUBLE", "FLOAT") else f"{q}::VARCHAR"

            sel = ", ".join(expr(c, typ) for c, typ in cols_a if c not in VOLATILE)
            only_a = con.execute(
                f'SELECT count(*) FROM (SELECT {sel} FROM "{ca}".{schema}.{t} '
                f'EXCEPT ALL SELECT {sel} FROM "{cb}".{schema}.{t})'
            ).fetchone()[0]
            only_b = con.execute(
                f'SELECT count(*) FROM (SELECT {sel} FROM "{cb}".{schema}.{t} '
                f'EXCEPT ALL SELECT {sel} FROM "{ca}".{schema}.{t})'
            ).fetchone()[0]
            if only_a or only_b:
                found.append(f"{schema}.{t}: {only_a} rows only in {a.name}, {only_b} only in {b.name}")
        return found
    finally:
        con.close()


def _count(db: Path, table: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM raw.{table}").fetchone()[0]
    finally:
        con.close()


# Models, seeds and snapshots: what the marts are made of (the data tests ran on the session's
# warehouse; here only the equality of the results is at stake).
MODELS_ONLY = ["build", "--exclude", "resource_type:test", "resource_type:unit_test"]


@pytest.fixture(scope="module")
@slow_fixture
def loaded(synth_snapshot, tmp_path_factory) -> Path:
    """The session's snapshot loaded (not crawled) into a fresh file."""
    return _load(synth_snapshot, tmp_path_factory.mktemp("loaded") / "loaded.duckdb")


def test_a_load_gives_the_raw_rows_of_a_crawl(warehouse, loaded):
    assert differences(warehouse, loaded, "raw", RAW_TABLES) == []
    # The comparison saw real rows: every kind, and the outcomes' statuses.
    for table in RAW_TABLES:
        assert _count(loaded, table) > 0, table
    con = duckdb.connect(str(loaded), read_only=True)
    statuses = {r[0] for r in con.execute("SELECT DISTINCT status FROM raw.fetch_log").fetchall()}
    endpoint, summary = con.execute("SELECT endpoint, summary FROM raw.crawl_runs").fetchone()
    ids = " UNION ALL ".join(f"SELECT _dlt_id FROM raw.{t}" for t in TABLES)
    n_ids, n_rows = con.execute(f"SELECT count(DISTINCT _dlt_id), count(_dlt_id) FROM ({ids})").fetchone()
    con.close()
    assert n_ids == n_rows  # a row's dlt id is its own, across tables too
    assert {"ok", "not_found"} <= statuses
    assert endpoint.startswith("snapshot:") and json.loads(summary)["kind"] == "snapshot_load"


def test_a_load_gives_the_marts_of_a_crawl(warehouse, loaded):
    from hubwh.build import run_dbt

    run_dbt(MODELS_ONLY, loaded, quiet=True)
    assert differences(warehouse, loaded, "marts") == []
    assert differences(warehouse, loaded, "intermediate") == []


def test_a_dump_of_a_crawl_loads_back_to_its_rows_and_marts(warehouse, tmp_path):
    from hubwh.build import run_dbt
    from hubwh.snapshot import Snapshot
    from hubwh.snapshot.dump import dump_snapshot

    counts = dump_snapshot(warehouse, tmp_path / "dump", progress=False)
    assert counts["models"] == DEMO_SIZES["models"] and counts["commits"] > 0 and counts["outcomes"] > 0
    assert Snapshot(tmp_path / "dump").manifest["source"] == "warehouse"
    reloaded = _load(tmp_path / "dump", tmp_path / "reloaded.duckdb")
    assert differences(warehouse, reloaded, "raw", RAW_TABLES) == []
    run_dbt(MODELS_ONLY, reloaded, quiet=True)
    assert differences(warehouse, reloaded, "marts") == []


@pytest.fixture(scope="module")
@slow_fixture
def tiny_hub(tmp_path_factory) -> Path:
    from hubwh.synth import generate

    out = tmp_path_factory.mktemp("tiny-hub") / "hub"
    generate(out, seed=11, **TINY)
    return out


def test_scope_options_take_what_the_crawl_takes(tiny_hub, tmp_path):
    scope = {"types": ("model", "dataset"), "sample": 0.4, "seed": 3, "commits": False}
    crawled = _crawl(tiny_hub, tmp_path / "crawled.duckdb", **scope)
    loaded = _load(tiny_hub, tmp_path / "loaded.duckdb", **scope)
    assert differences(crawled, loaded, "raw", RAW_TABLES) == []
    n_models = _count(loaded, "models")
    assert 0.25 * TINY["models"] < n_models < 0.55 * TINY["models"]  # a sample, not all
    assert _count(loaded, "spaces") == 0 and _count(loaded, "commits") == 0
    assert _count(loaded, "discussions") > 0
    assert _count(loaded, "fetch_log") == n_models + _count(loaded, "datasets")  # discussions only


# -- bad input, through the real command ------------------------------------------
@pytest.fixture(scope="module")
def sample_hub(tmp_path_factory) -> Path:
    return sample.write_sample_hub(tmp_path_factory.mktemp("load-errors") / "hub")


@pytest.fixture()
@slow_fixture  # each case runs the real command and loads a snapshot
def hub(sample_hub, tmp_path) -> Path:
    """A fresh copy of the sample snapshot, to damage."""
    return Path(shutil.copytree(sample_hub, tmp_path / "hub"))


def _hubwh_load(hub: Path, db: Path, *args: str) -> subprocess.CompletedProcess:
    """The real command's entry point (`hubwh snapshot load ...`), in this process: a new
    interpreter per case would spend its time importing dlt."""
    from hubwh.cli import main

    argv = ["snapshot", "load", str(hub), "--db", str(db), "--no-progress"]
    argv += ["--pipelines-dir", str(db.parent / "pipelines"), *args]
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(argv)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def _fails_and_loads_nothing(hub: Path, db: Path) -> str:
    proc = _hubwh_load(hub, db)
    lines = proc.stderr.splitlines()
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert len(lines) == 1 and lines[0].startswith("hubwh snapshot: "), proc.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        raw = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw'").fetchone()[0]
    finally:
        con.close()
    assert raw == 0  # not one table, let alone a row
    return lines[0].removeprefix("hubwh snapshot: ")


def _replace_line(path: Path, lineno: int, new: bytes) -> None:
    lines = gzip.decompress(path.read_bytes()).split(b"\n")
    lines[lineno - 1] = new
    path.write_bytes(gzip.compress(b"\n".join(lines)))


def _line(path: Path, lineno: int) -> dict:
    return json.loads(gzip.decompress(path.read_bytes()).split(b"\n")[lineno - 1])


def test_the_sample_hub_loads(hub, tmp_path):
    proc = _hubwh_load(hub, tmp_path / "ok.duckdb")
    assert proc.returncode == 0, proc.stderr
    assert _count(tmp_path / "ok.duckdb", "models") > 0


def test_a_garbled_line_names_the_file_and_the_line(hub, tmp_path):
    path = hub / "models.jsonl.gz"
    _replace_line(path, 3, b'{"id": "org/m", "likes": ')
    assert _fails_and_loads_nothing(hub, tmp_path / "w.duckdb").startswith(f"{path}:3: not valid JSON")


def test_a_malformed_commit_names_the_file_and_the_line(hub, tmp_path):
    path = hub / "commits.jsonl.gz"
    row = _line(path, 2)
    del row["commits"][0]["title"]
    _replace_line(path, 2, json.dumps(row).encode())
    line = _fails_and_loads_nothing(hub, tmp_path / "w.duckdb")
    assert line == f"{path}:2: {row['repo_type']} {row['repo_id']}: commit item lacks title"


# Chunks of ~600 bytes of text cut every file of the sample hub into several (a list record is
# ~450 bytes), so the lines named must come from the chunks' offsets.
SMALL_CHUNKS = [None, 600]


@pytest.mark.parametrize("chunk_bytes", SMALL_CHUNKS)
def test_a_wrongly_typed_field_names_the_file_and_the_line(hub, tmp_path, monkeypatch, chunk_bytes):
    from hubwh.snapshot import columnar

    monkeypatch.setattr(columnar, "CHUNK_BYTES", chunk_bytes or columnar.CHUNK_BYTES)
    path = hub / "datasets.jsonl.gz"
    record = _line(path, 5)
    record["likes"] = "many"
    _replace_line(path, 5, json.dumps(record).encode())
    line = _fails_and_loads_nothing(hub, tmp_path / "w.duckdb")
    assert line == f"{path}:5: dataset {record['id']}: likes is not a number: 'many'"


@pytest.mark.parametrize("chunk_bytes", SMALL_CHUNKS)
def test_a_repeated_id_names_the_file_and_both_lines(hub, tmp_path, monkeypatch, chunk_bytes):
    from hubwh.snapshot import columnar

    monkeypatch.setattr(columnar, "CHUNK_BYTES", chunk_bytes or columnar.CHUNK_BYTES)
    path = hub / "spaces.jsonl.gz"
    first = _line(path, 1)
    _replace_line(path, 4, json.dumps(first).encode())
    line = _fails_and_loads_nothing(hub, tmp_path / "w.duckdb")
    assert line == f"{path}:4: space {first['id']!r} appears twice in the snapshot (first on line 1)"


def test_a_truncated_file_names_the_file(hub, tmp_path):
    path = hub / "discussions.jsonl.gz"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    line = _fails_and_loads_nothing(hub, tmp_path / "w.duckdb")
    assert line.startswith(f"{path}:") and line.endswith("the gzip data ends early (a truncated file?)"), line


def test_a_warehouse_with_raw_rows_is_not_loaded_over(hub, tmp_path):
    db = tmp_path / "w.duckdb"
    assert _hubwh_load(hub, db).returncode == 0
    n = _count(db, "commits")
    proc = _hubwh_load(hub, db)
    assert proc.returncode == 2 and "already holds" in proc.stderr and "--replace" in proc.stderr
    assert _count(db, "commits") == n
    proc = _hubwh_load(hub, db, "--replace", "--no-commits")
    assert proc.returncode == 0, proc.stderr
    assert _count(db, "commits") == 0 and _count(db, "models") > 0


def _rewrite(path: Path, edit) -> None:
    lines = gzip.decompress(path.read_bytes()).split(b"\n")
    path.write_bytes(gzip.compress(b"\n".join(edit(lines))))


def test_the_columnar_stage_gives_the_rows_of_the_crawlers_functions(hub, tmp_path, monkeypatch):
    """Odd but valid records (floats for counts, dates with an offset or none, a license object,
    escapes and unicode, blank lines) load the same whether DuckDB maps them or the crawler's
    Python functions do, record by record."""
    from hubwh.snapshot import columnar

    def odd_models(lines):
        records = [json.loads(line) for line in lines if line.strip()]
        records[0]["likes"] = 5.9
        records[1]["createdAt"] = "2023-01-02T03:04:05+02:00"
        records[2]["lastModified"] = "2023-01-02T03:04:05"
        records[3]["tags"] = ["a", 'é"q\\\n\t\u2028', "😀"]
        records[4]["cardData"] = {"license": {"name": "custom"}, "base_model": ["x/y", "z/w"]}
        records[5]["gated"] = "manual"
        out = [json.dumps(r, ensure_ascii=False).encode() for r in records]
        return [out[0], b"", b"   ", *out[1:]]

    def repeated_items(resource):
        # a repo whose list holds one item twice (the second with another title): the first is kept
        def edit(lines):
            records = [json.loads(line) for line in lines if line.strip()]
            line = next(r for r in records if len(r[resource]) >= 2)
            line[resource].append({**line[resource][0], "title": "the same item again"})
            return [b"", *(json.dumps(r, ensure_ascii=False).encode() for r in records)]

        return edit

    _rewrite(hub / "models.jsonl.gz", odd_models)
    _rewrite(hub / "commits.jsonl.gz", repeated_items("commits"))
    _rewrite(hub / "discussions.jsonl.gz", repeated_items("discussions"))
    columnar_db = _load(hub, tmp_path / "columnar.duckdb")

    taken: list[str] = []
    real = columnar.stage_repos

    def spy(con, **kwargs):
        taken.append(kwargs["chunk"].path.name)
        return real(con, **kwargs)

    def refuse(*args, **kwargs):
        raise columnar.Unreadable("forced")

    monkeypatch.setattr(columnar, "stage_repos", spy)
    monkeypatch.setattr(columnar, "CHUNK_BYTES", 600)  # every file in several chunks
    chunked_db = _load(hub, tmp_path / "chunked.duckdb")
    assert {"model-text.00000.jsonl", "model-text.00003.jsonl"} <= set(taken)  # columnar, chunked
    monkeypatch.setattr(columnar, "stage_repos", refuse)
    monkeypatch.setattr(columnar, "stage_items", refuse)
    python_db = _load(hub, tmp_path / "python.duckdb")
    assert differences(columnar_db, python_db, "raw", RAW_TABLES) == []
    assert differences(chunked_db, python_db, "raw", RAW_TABLES) == []
    con = duckdb.connect(str(columnar_db), read_only=True)
    likes = {r[0] for r in con.execute("SELECT likes FROM raw.models").fetchall()}
    licenses = {r[0] for r in con.execute("SELECT card_license::VARCHAR FROM raw.models").fetchall()}
    repeated = con.execute(
        "SELECT (SELECT count(*) FROM raw.commits WHERE title = 'the same item again'),"
        " (SELECT count(*) FROM raw.discussions WHERE title = 'the same item again')"
    ).fetchone()
    con.close()
    assert 5 in likes and '{"name": "custom"}' in licenses
    assert repeated == (0, 0)
