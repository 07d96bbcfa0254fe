"""The dbt unit tests (`unit_tests:` in models/*/_*__unit_tests.yml), run by real dbt on an empty
warehouse: the raw tables are created empty from the raw schema's one definition
(extract/hf_hub.py COLUMNS), every model upstream of a unit-tested model is built with `--empty`
(dbt needs a unit-tested model's direct parents to exist as relations, for their columns), then
`dbt test --select test_type:unit` runs them all. (`dbt build` runs them too, each before its model.)

No synthetic Hub and no data: this is the fast check of the SQL marts' logic (`make test-fast`).
"""

from __future__ import annotations

import fcntl
import re

import duckdb
import pytest
from conftest import PROJECT_ROOT

from extract.hf_hub import create_raw_tables
from extract.warehouse import DUCKDB_FILE_CONFIG

# A fixed place (under the git-ignored target/), not a fresh tmp dir: dbt re-parses the whole
# project when the profile's database path changes, and a full parse costs ~4× a partial one.
WORK = PROJECT_ROOT / "target" / "unit-tests"
# Not named raw.duckdb: DuckDB then reads `raw` as the catalog as well as the schema.
DB = WORK / "unit.duckdb"


# The marts and intermediates whose rules the unit tests must cover (docs/methods.md §0, §2, §4, §5).
COVERED = {
    "activity_pareto",
    "int_repo_licenses",
    "collab_edges",
    "model_co_usage",
    "repo_activity",
    "int_repo_fetches_current",
    # community health and model size (docs/methods.md §11, §12)
    "int_repo_developer_activity",
    "int_repo_developer_roles",
    "repo_health",
    "elephant_factor",
    "model_size_activity",
}

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def create_empty_raw(path) -> None:
    """The `raw` schema as a crawl leaves it, without rows."""
    con = duckdb.connect(str(path), config=DUCKDB_FILE_CONFIG)
    try:
        create_raw_tables(con)
    finally:
        con.close()


def raw_columns(path) -> dict[str, list[tuple[str, str]]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name not like '\\_dlt%' escape '\\' "
            "order by table_name, ordinal_position"
        ).fetchall()
    finally:
        con.close()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, typ in rows:
        out.setdefault(table, []).append((column, typ))
    return out


def _not_passed(result) -> list[str]:
    """Every node of a dbt run that did not pass, by name (a failed unit test with dbt's diff)."""
    if result.exception is not None:
        return [f"dbt stopped: {result.exception}"]
    return [
        f"- {r.node.name} ({r.status}): {ANSI.sub('', r.message or '').strip()}"
        for r in result.result.results
        if str(r.status).lower() not in ("pass", "success")
    ]


def test_dbt_unit_tests_pass(monkeypatch):
    from dbt.cli.main import dbtRunner

    WORK.mkdir(parents=True, exist_ok=True)
    with open(WORK / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two pytest runs in one checkout share WORK
        for stale in (DB, DB.with_name(DB.name + ".wal")):
            stale.unlink(missing_ok=True)
        create_empty_raw(DB)

        monkeypatch.setenv("HUBWH_DB", str(DB))
        monkeypatch.setenv("DO_NOT_TRACK", "1")
        monkeypatch.chdir(PROJECT_ROOT)
        flags = ["--quiet", "--no-use-colors", "--log-level-file", "warn", "--log-path", str(WORK / "logs")]
        common = ["--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)]
        common += ["--target-path", str(WORK / "target"), "--no-write-json"]  # partial parsing is still kept

        # One parse for both steps: the second runner reuses the first's manifest.
        parsed = dbtRunner().invoke([*flags, "parse", *common])
        assert parsed.success, f"dbt parse failed: {parsed.exception}"
        runner = dbtRunner(manifest=parsed.result)
        # Every model and seed upstream of a unit test, built empty (the unit-tested models too).
        built = runner.invoke(
            [*flags, "build", "--select", "+test_type:unit", "--exclude", "test_type:unit", "test_type:data"]
            + ["--empty", *common]
        )
        if built.success:
            # A separate step, so each unit test runs even when another one fails.
            tested = runner.invoke([*flags, "test", "--select", "test_type:unit", *common])

    if not built.success:
        pytest.fail("dbt could not build the empty models:\n" + "\n".join(_not_passed(built)), pytrace=False)
    if not tested.success:
        pytest.fail("dbt unit tests failed:\n" + "\n".join(_not_passed(tested)), pytrace=False)
    covered = {r.node.tested_node_unique_id.split(".")[-1] for r in tested.result.results}
    assert covered >= COVERED, f"no dbt unit test of {sorted(COVERED - covered)}"


@pytest.mark.slow
def test_empty_raw_schema_is_what_dlt_loads(tmp_path):
    """The fast path's raw tables equal those a zero-row dlt load creates (names, order, types)."""
    from extract.warehouse import Warehouse, resolve_db_path

    loaded = resolve_db_path(tmp_path / "loaded.duckdb")
    Warehouse(loaded, pipelines_dir=tmp_path / "pipelines").ensure_tables()
    created = tmp_path / "created.duckdb"
    create_empty_raw(created)
    assert raw_columns(created) == raw_columns(loaded)
