"""One definition each (hubwh.project): the public marts are the models marked `access: public`
in the marts' YAML, and the RQ1 activities are dbt var `rq1_activities`. dbt reads the same
declarations as the Python helpers (checked on dbt's own manifest), the README lists the same
marts, and the var agrees with repo_activity's columns and values."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml
from conftest import slow_fixture

from hubwh.errors import HubwhError
from hubwh.project import public_marts, rq1_activities

ROOT = Path(__file__).resolve().parent.parent
REPO_TYPES = {"model", "dataset", "space"}


def readme_public_marts() -> list[str]:
    """The backticked names of the README's "Public marts" list, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("Public marts (")
    block = text[start : text.index("\n\n", start)]
    _, _, items = block.partition(":\n")
    return re.findall(r"`([a-z_][a-z0-9_]*)`", items)


@pytest.fixture(scope="module")
@slow_fixture  # a dbt parse: ~12 s when full
def manifest(tmp_path_factory) -> dict:
    """dbt's own reading of the project (`dbt parse`, no warehouse needed), in the run's own target
    folder (conftest), so that dbt parses partially when an earlier test has parsed there."""
    from hubwh.build import run_dbt

    run_dbt(["parse"], tmp_path_factory.mktemp("parse") / "warehouse.duckdb", quiet=True)
    return json.loads((Path(os.environ["DBT_TARGET_PATH"]) / "manifest.json").read_text(encoding="utf-8"))


def test_readme_lists_the_public_marts():
    assert readme_public_marts() == list(public_marts())


def test_public_marts_include_the_two_export_once_missed():
    marts = public_marts()
    assert len(marts) == len(set(marts)) >= 21
    assert {"top_repos", "usage_summary"} <= set(marts)


def test_every_public_mart_is_a_mart_model():
    files = {p.stem for p in (ROOT / "models" / "marts").glob("*.sql")}
    files |= {p.stem for p in (ROOT / "python_models").glob("*.py")}
    assert set(public_marts()) <= files


def test_dbt_marks_the_same_models_public(manifest):
    public = sorted(
        n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["access"] == "public"
    )
    assert public == sorted(public_marts())
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["access"] == "public":
            assert node["config"]["schema"] == "marts", node["name"]


def test_python_models_receive_the_activity_var(manifest):
    """dbt Python models cannot call var(): the YAML config passes it, rendered to the
    mapping itself (not its text) for dbt.config.get("rq1_activities")."""
    want = {name: list(types) for name, types in rq1_activities().items()}
    users = {
        n["name"]: n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["language"] == "python" and "rq1_activities" in n["raw_code"]
    }
    assert set(users) == {"activity_correlations", "license_mwu"}
    for name, node in users.items():
        assert node["config"]["rq1_activities"] == want, name


def test_helpers_refuse_a_project_without_the_declarations(tmp_path):
    (tmp_path / "dbt_project.yml").write_text("name: x\nvars: {}\n")
    with pytest.raises(HubwhError, match="rq1_activities"):
        rq1_activities(tmp_path)
    marts = tmp_path / "models" / "marts"
    marts.mkdir(parents=True)
    (marts / "_marts__rq1.yml").write_text("version: 2\nmodels:\n  - name: a\n    config: {access: protected}\n")
    with pytest.raises(HubwhError, match="no public marts"):
        public_marts(tmp_path)


def test_public_marts_order_and_both_spellings(tmp_path):
    marts = tmp_path / "models" / "marts"
    marts.mkdir(parents=True)
    (tmp_path / "python_models").mkdir()
    (marts / "_marts__rq2.yml").write_text(
        "models:\n  - name: zeta\n    config: {access: public}\n  - name: alpha\n    access: public\n"
    )
    (marts / "_marts__rq1.yml").write_text("models:\n  - name: omega\n    config: {access: public}\n  - name: hidden\n")
    (tmp_path / "python_models" / "_python_models__rq1.yml").write_text(
        "models:\n  - name: beta\n    config: {access: public}\n"
    )
    assert public_marts(tmp_path) == ("beta", "omega", "alpha", "zeta")


def test_rq1_activities_are_the_activity_columns_of_repo_activity():
    props = yaml.safe_load((ROOT / "models" / "marts" / "_marts__rq1.yml").read_text(encoding="utf-8"))
    (repo_activity,) = [m for m in props["models"] if m["name"] == "repo_activity"]
    # every n_* column but the model-tree counts, which are not RQ1 activities (docs/methods.md §9)
    lineage = {"n_parents", "n_children", "n_descendants"}
    columns = [c["name"] for c in repo_activity["columns"] if c["name"].startswith("n_") and c["name"] not in lineage]
    activities = rq1_activities()
    assert set(activities) == set(columns)
    for name, types in activities.items():
        assert types and set(types) <= REPO_TYPES, name
    # the two per-type rules of docs/methods.md §2
    assert "space" not in activities["n_downloads"]
    assert activities["n_usage_spaces"] == ("model",)


def test_rq1_activity_types_agree_with_the_built_mart(duck):
    """Where the var says an activity does not apply, repo_activity holds no value; where it
    applies, some repo of the demo warehouse has one."""
    for name, types in rq1_activities().items():
        for repo_type in sorted(REPO_TYPES):
            known = duck.execute(
                f"select count({name}) from marts.repo_activity where repo_type = ?", [repo_type]
            ).fetchone()[0]
            if repo_type in types:
                assert known > 0, (name, repo_type)
            else:
                assert known == 0, (name, repo_type)


@pytest.mark.slow
def test_a_new_warehouse_file_keeps_dbts_partial_parse(tmp_path, monkeypatch):
    # hubwh.build leaves the file's path out of what makes dbt parse everything again; the
    # database's name (the file's stem) still counts, like every other setting
    from hubwh.build import run_dbt

    logs = tmp_path / "logs"
    monkeypatch.setenv("DBT_LOG_PATH", str(logs))
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))

    def full_parse_reasons(db) -> list[str]:
        run_dbt(["parse"], db)
        text = (logs / "dbt.log").read_text(encoding="utf-8")
        (logs / "dbt.log").unlink()
        return re.findall(r"Unable to do partial parsing because (.*)", text)

    assert full_parse_reasons(tmp_path / "a" / "warehouse.duckdb") == ["saved manifest not found. Starting full parse."]
    assert full_parse_reasons(tmp_path / "b" / "warehouse.duckdb") == []
    assert full_parse_reasons(tmp_path / "b" / "other.duckdb") == ["profile has changed"]  # the database's name
