"""`hubwh demo`, the README's first command, end to end in a subprocess on its built-in
synthetic Hub (tests/conftest.py `demo_run`, whose warehouse the other test files read): it must
build the warehouse, print the headline findings of the three research questions, and leave the
HTML report and the Parquet exports."""

from __future__ import annotations

import duckdb

from hubwh.demo import DEMO_SIZES


def test_demo_runs_the_whole_job(demo_run):
    out = demo_run["stdout"]
    for headline in ("RQ1", "Pareto", "licenses", "Mann-Whitney", "RQ2", "k-cores", "RQ3", "most used models"):
        assert headline in out, headline
    assert "5/5 HTML report and Parquet exports" in out
    assert (demo_run["out"] / "report" / "index.html").is_file()
    assert (demo_run["out"] / "parquet" / "repo_activity.parquet").is_file()
    con = duckdb.connect(str(demo_run["db"]), read_only=True)
    assert con.execute("select count(*) from marts.repo_activity").fetchone()[0] == sum(DEMO_SIZES.values())
    con.close()
