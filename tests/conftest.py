"""Shared fixtures: one small synthetic Hub, served by the emulator, crawled into
a real DuckDB file by the real extractor and built by real dbt, once per test
session (tests that need something else build their own)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# PostgreSQL of the tests' own (session fixtures `postgres` and `new_lake`: DuckLakes catalogued in it)
from postgres import new_lake, postgres  # noqa: F401

from hubwh.demo import DEMO_SEED, DEMO_SIZES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")


# Fixtures that write a synthetic Hub and crawl it, or build a whole warehouse with dbt (seconds to
# minutes each). Every test that uses one, directly or through another fixture, is marked `slow`
# (pytest_collection_modifyitems below), so `make test-fast` (`-m "not slow"`) never builds one.
SLOW_FIXTURES: set[str] = {"synth_snapshot", "crawled_db", "warehouse", "duck", "postgres", "new_lake"}


def slow_fixture(fixture_function):
    """Declare a test module's own fixture as slow (it builds a Hub or a warehouse); put it
    under @pytest.fixture."""
    SLOW_FIXTURES.add(fixture_function.__name__)
    return fixture_function


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when it is absent (a user's clone)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is only beside the project in the workplace)")
    return path


@pytest.fixture(scope="session")
def synth_snapshot(tmp_path_factory) -> Path:
    """A small synthetic Hub snapshot (fixed seed)."""
    from hubwh.synth import generate

    out = tmp_path_factory.mktemp("snapshot") / "hub"
    generate(out, seed=DEMO_SEED, **DEMO_SIZES)  # the demo's synthetic Hub
    return out


@pytest.fixture(scope="session")
def crawled_db(synth_snapshot, tmp_path_factory) -> Path:
    """The snapshot served by the emulator and crawled (full scope) into a DuckDB file."""
    from extract.pipeline import crawl
    from hubwh.emulator import Emulator

    db = tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"
    with Emulator(synth_snapshot) as emu:
        crawl(endpoint=emu.url, db_path=db, budget=None, progress=False, pipelines_dir=db.parent / "pipelines")
    return db


@pytest.fixture(scope="session")
def warehouse(crawled_db) -> Path:
    """The crawled DuckDB file after a full `dbt build` (all models and data tests pass)."""
    from hubwh.build import dbt_build

    dbt_build(crawled_db, quiet=True)
    return crawled_db


@pytest.fixture()
def duck(warehouse):
    """A read-only DuckDB connection to the built warehouse, configured as hubwh's own (DuckDB 1.4
    refuses a second connection to one file in one process with a different configuration)."""
    from hubwh.duckdb_settings import connect

    con = connect(warehouse, read_only=True)
    yield con
    con.close()
