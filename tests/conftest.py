"""Shared fixtures: one small synthetic Hub (the demo's), served by the emulator, crawled into
a real DuckDB file by the real extractor and built by real dbt, once per test run (by
`hubwh demo` itself; tests that need something else build their own)."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

# PostgreSQL of the tests' own (session fixtures `postgres` and `new_lake`: DuckLakes catalogued in it)
from postgres import new_lake, postgres  # noqa: F401

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
# `make test` runs test files in parallel processes (pytest-xdist): each gets dbt's target and log
# folders of its own (dbt writes its manifest, partial parse and run results there)
if os.environ.get("PYTEST_XDIST_WORKER"):
    _worker = os.environ["PYTEST_XDIST_WORKER"]
    os.environ.setdefault("DBT_TARGET_PATH", str(PROJECT_ROOT / "target" / f"pytest-{_worker}"))
    os.environ.setdefault("DBT_LOG_PATH", str(PROJECT_ROOT / "logs" / f"pytest-{_worker}"))


# Fixtures that write a synthetic Hub and crawl it, or build a whole warehouse with dbt (seconds to
# minutes each). Every test that uses one, directly or through another fixture, is marked `slow`
# (pytest_collection_modifyitems below), so `make test-fast` (`-m "not slow"`) never builds one.
SLOW_FIXTURES: set[str] = {
    "demo_run",
    "synth_snapshot",
    "warehouse",
    "duck",
    "hub_50k",
    "tiny_hub",
    "tiny_warehouse",
    "postgres",
    "new_lake",
}


def slow_fixture(fixture_function):
    """Declare a test module's own fixture as slow (it builds a Hub or a warehouse); put it
    under @pytest.fixture."""
    SLOW_FIXTURES.add(fixture_function.__name__)
    return fixture_function


# The longest test files (minutes each), run first: `make test` hands whole files to its workers as
# they come free (pytest-xdist --dist loadfile), so a long file left to the end would run alone.
LONGEST_FIRST = (
    "test_lake.py",
    "test_extract.py",
    "test_rebuild.py",
    "test_shard.py",
    "test_snapshot_load.py",
    "test_lineage_warehouse.py",
    "test_time.py",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when it is absent (a user's clone)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is only beside the project in the workplace)")
    return path


@contextmanager
def _made_once(tmp_path_factory, name: str):
    """A folder made once for the whole run: under pytest-xdist the first worker to need it makes
    it while the others wait, then all share it (the session fixtures below are read, never
    written, by the tests). Yields (folder, already made); the caller makes it when not."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above every worker's own
    folder, done = root / name, root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        made = done.exists()
        folder.mkdir(exist_ok=True)
        yield folder, made
        done.touch()


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> dict:
    """`hubwh demo` as the README's first command runs it (its built-in synthetic Hub, seed and
    sizes), in a child process: the snapshot, the crawled and built warehouse, the report and the
    exports it leaves, and what it printed. tests/test_demo.py checks the run itself."""
    with _made_once(tmp_path_factory, "demo") as (folder, made):
        out, db, log = folder / "demo", folder / "warehouse.duckdb", folder / "demo.log"
        if not made:
            env = dict(
                os.environ,
                DBT_TARGET_PATH=str(folder / "target"),
                DBT_LOG_PATH=str(folder / "logs"),
                COLUMNS="200",
                PYTHONPATH=str(PROJECT_ROOT),
            )
            cmd = [sys.executable, "-m", "hubwh.cli", "demo", "--out", str(out), "--db", str(db)]
            run = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
            assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
            log.write_text(run.stdout, encoding="utf-8")
    return {"out": out, "db": db, "stdout": log.read_text(encoding="utf-8")}


@pytest.fixture(scope="session")
def synth_snapshot(demo_run) -> Path:
    """The demo's synthetic Hub snapshot (hubwh.demo DEMO_SEED, DEMO_SIZES)."""
    return demo_run["out"] / "snapshot"


@pytest.fixture(scope="session")
def warehouse(demo_run) -> Path:
    """The demo's warehouse: the snapshot served by the emulator, crawled (full scope) into a DuckDB
    file and built by `dbt build` (all models and data tests pass). Tests only read it."""
    return demo_run["db"]


# A synthetic Hub of 50,000 models (the paper's ratios of datasets and spaces), for calibration
# against the real Hub's distributions.
HUB_50K = {"seed": 11, "models": 50_000, "datasets": 9_443, "spaces": 22_494}


def _synthetic_hub(tmp_path_factory, name: str, params: dict) -> Path:
    """A synthetic Hub snapshot written once for the whole run (hubwh.synth.generate(**params))."""
    from hubwh.synth import generate

    with _made_once(tmp_path_factory, name) as (folder, made):
        if not made:
            generate(folder / "hub", **params)
    return folder / "hub"


@pytest.fixture(scope="session")
def hub_50k(tmp_path_factory) -> Path:
    return _synthetic_hub(tmp_path_factory, "hub-50k", HUB_50K)


# A tiny synthetic Hub (66 repos, a tenth of them gated, private or gone by the time their details
# are fetched) for the tests that crawl one Hub several ways: by shards, into a lake.
TINY_HUB = {"seed": 5, "models": 40, "datasets": 10, "spaces": 16, "outcome_share": 0.1}


@pytest.fixture(scope="session")
def tiny_hub(tmp_path_factory) -> Path:
    return _synthetic_hub(tmp_path_factory, "tiny-hub", TINY_HUB)


@pytest.fixture(scope="session")
def tiny_warehouse(tiny_hub, tmp_path_factory) -> dict:
    """tiny_hub crawled once, unsharded, into the single-file default and built (its data tests
    included; the dbt unit tests read no data), with the crawl's summary and the (type, id) of
    every repo whose details it requested."""
    from extract.pipeline import crawl
    from hubwh.build import run_dbt
    from hubwh.emulator import Emulator

    with _made_once(tmp_path_factory, "tiny-warehouse") as (folder, made):
        db, facts = folder / "warehouse.duckdb", folder / "crawl.json"
        if not made:
            with Emulator(tiny_hub) as emu:
                summary = crawl(
                    emu.url, db, budget=None, progress=False, token=False, pipelines_dir=folder / "pipelines"
                )
                requested = sorted({(t, i) for _kind, t, i in emu.repo_request_log()})
            run_dbt(["build", "--exclude-resource-type", "unit_test"], db, quiet=True)
            facts.write_text(json.dumps({"summary": summary, "requested": requested}, default=str), encoding="utf-8")
    crawled = json.loads(facts.read_text(encoding="utf-8"))
    return {"db": db, "summary": crawled["summary"], "requested": {tuple(r) for r in crawled["requested"]}}


@pytest.fixture()
def duck(warehouse):
    """A read-only DuckDB connection to the built warehouse, configured as hubwh's own (DuckDB 1.4
    refuses a second connection to one file in one process with a different configuration)."""
    from hubwh.duckdb_settings import connect

    con = connect(warehouse, read_only=True)
    yield con
    con.close()
