"""`hubwh export`: every public mart (marked `access: public` in the marts' YAML, docs/methods.md
§8) written as Parquet, read back with pyarrow with the same rows and columns as the warehouse."""

from __future__ import annotations

import duckdb
import pyarrow.parquet as pq
import pytest

from hubwh.errors import HubwhError
from hubwh.export import export_parquet, main
from hubwh.project import public_marts


def test_every_public_mart_is_exported_with_its_rows(warehouse, tmp_path):
    files = export_parquet(warehouse, tmp_path / "pq")
    assert [f.stem for f in files] == list(public_marts())
    # the two the README named and the exporter's own list once left out
    assert {"top_repos", "usage_summary"} <= {f.stem for f in files}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for f in files:
            table = pq.read_table(f)
            (n,) = con.execute(f'select count(*) from marts."{f.stem}"').fetchone()
            cols = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_schema = 'marts' "
                    "and table_name = ? order by ordinal_position",
                    [f.stem],
                ).fetchall()
            ]
            assert table.num_rows == n, f.stem
            assert table.column_names == cols, f.stem
        # values survive the trip: the same multiset of rows for a mart with mixed types
        back = duckdb.sql(
            f"select * from read_parquet('{tmp_path / 'pq' / 'collab_summary.parquet'}') order by network"
        ).fetchall()
        assert back == con.execute("select * from marts.collab_summary order by network").fetchall()
    finally:
        con.close()
    assert not list((tmp_path / "pq").glob("*.tmp"))


def test_export_cli(warehouse, tmp_path, capsys):
    assert main(["--db", str(warehouse), "--out", str(tmp_path / "out")]) == 0
    assert f"wrote {len(public_marts())} Parquet files" in capsys.readouterr().out
    assert (tmp_path / "out" / "repo_activity.parquet").exists()


def test_export_refuses_a_missing_or_unbuilt_warehouse(tmp_path):
    with pytest.raises(HubwhError, match="no warehouse"):
        export_parquet(tmp_path / "absent.duckdb", tmp_path / "out")
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(HubwhError, match="no public marts"):
        export_parquet(empty, tmp_path / "out")
