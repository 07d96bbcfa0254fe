"""`hubwh demo`, the README's first command, end to end in a subprocess on a small
synthetic Hub: it must build the warehouse, print the headline findings of the three
research questions, and leave the HTML report and the Parquet exports."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest


@pytest.mark.slow
def test_demo_runs_the_whole_job(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    env = dict(os.environ, DBT_TARGET_PATH=str(tmp_path / "target"), DBT_LOG_PATH=str(tmp_path / "logs"), COLUMNS="200")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "hubwh.cli",
            "demo",
            "--out",
            str(tmp_path / "demo"),
            "--db",
            str(db),
            "--models",
            "600",
            "--datasets",
            "120",
            "--spaces",
            "240",
            "--seed",
            "3",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = run.stdout
    for headline in ("RQ1", "Pareto", "licenses", "Mann-Whitney", "RQ2", "k-cores", "RQ3", "most used models"):
        assert headline in out, headline
    assert (tmp_path / "demo" / "report" / "index.html").is_file()
    assert (tmp_path / "demo" / "parquet" / "repo_activity.parquet").is_file()
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from marts.repo_activity").fetchone()[0] == 600 + 120 + 240
    con.close()
