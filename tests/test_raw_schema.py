"""The raw schema has one definition, extract/hf_hub.py's COLUMNS (what dlt loads with): the
sources YAML declares exactly its tables and columns, in its order; docs/staging-contract.md's
raw tables are generated from it and committed up to date; and a real load has exactly those
columns with the types the doc states."""

from __future__ import annotations

from pathlib import Path

import yaml

from extract import schema_doc
from extract.hf_hub import COLUMNS

ROOT = Path(__file__).resolve().parent.parent
DLT_COLUMNS = ["_dlt_load_id", "_dlt_id"]


def sources_yaml() -> dict[str, dict]:
    spec = yaml.safe_load((ROOT / "models" / "staging" / "_hf_hub__sources.yml").read_text(encoding="utf-8"))
    (source,) = spec["sources"]
    assert source["name"] == "hf_hub" and source["schema"] == "raw"
    return {t["name"]: t for t in source["tables"]}


def test_sources_yaml_declares_exactly_the_loaded_tables_and_columns():
    tables = sources_yaml()
    assert list(tables) == list(COLUMNS)
    for name, table in tables.items():
        declared = [c["name"] for c in table.get("columns", [])]
        assert declared == [c for c, _ in COLUMNS[name]], f"raw.{name}"
        for column in table["columns"]:
            assert column.get("description"), f"raw.{name}.{column['name']} has no description"
            # dbt does not check declared types of sources: none are declared, so none can drift
            assert "data_type" not in column, f"raw.{name}.{column['name']}"


def test_doc_raw_schema_is_generated_and_up_to_date():
    text = schema_doc.DOC.read_text(encoding="utf-8")
    assert schema_doc.render() in text, "docs/staging-contract.md is out of date: run `python -m extract.schema_doc`"
    assert schema_doc.main(["--check"]) == 0
    for table in COLUMNS:
        assert f"| `raw.{table}` |" in schema_doc.render()


def test_doc_check_fails_on_a_stale_doc(tmp_path, monkeypatch):
    stale = tmp_path / "contract.md"
    text = schema_doc.DOC.read_text(encoding="utf-8").replace("n_rows BIGINT", "n_rows INTEGER")
    stale.write_text(text, encoding="utf-8")
    monkeypatch.setattr(schema_doc, "DOC", stale)
    assert schema_doc.main(["--check"]) == 1
    assert schema_doc.main([]) == 0
    assert schema_doc.main(["--check"]) == 0
    assert "n_rows BIGINT" in stale.read_text(encoding="utf-8")


def test_a_real_load_has_exactly_the_declared_columns_and_doc_types(duck):
    long_names = {"TIMESTAMP WITH TIME ZONE": "TIMESTAMPTZ"}
    for table, columns in COLUMNS.items():
        got = duck.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
        want = [(c, schema_doc.DUCKDB_TYPES[t]) for c, t in columns] + [(c, "VARCHAR") for c in DLT_COLUMNS]
        assert [(c, long_names.get(t, t)) for c, t in got] == want, f"raw.{table}"
