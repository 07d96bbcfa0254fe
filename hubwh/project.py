"""What the dbt project declares, read from its YAML files without running dbt.

Two things are defined once, in the dbt project, and read here by the Python code that runs
outside dbt (`hubwh export`, the report):

- the public marts: the models marked `access: public` in the marts' properties files
  (models/marts/_marts__*.yml, python_models/_python_models__*.yml), docs/methods.md §8;
- the RQ1 activities: dbt var `rq1_activities` in dbt_project.yml, each activity column of
  repo_activity with the repo types it applies to (docs/methods.md §2).

dbt itself reads the same declarations (the macro `rq1_activities`, the Python models through
their YAML config), so nothing here is a second copy."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from hubwh.errors import HubwhError
from hubwh.paths import PROJECT_ROOT

# the properties files that declare marts (the SQL ones, then the dbt Python ones)
MART_PROPERTIES = ("models/marts/_marts__*.yml", "python_models/_python_models__*.yml")
# the order of the analyses the properties files serve (their suffix): the paper's three
# research questions, then the analyses beyond it; any other suffix sorts after these
SECTION_ORDER = ("rq1", "rq2", "rq3", "lineage", "health", "time")


def _load(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise HubwhError(f"cannot read {path}: {exc}") from exc


def _is_public(model: dict) -> bool:
    # dbt accepts `access` under `config:` (1.10+) and, for backwards compatibility, at the top
    access = (model.get("config") or {}).get("access", model.get("access"))
    return access == "public"


def _section(path: Path) -> str:
    """'_marts__rq1.yml' -> 'rq1': the research question a properties file serves."""
    return path.stem.rpartition("__")[2]


@cache
def _public_marts(root: Path) -> tuple[str, ...]:
    found: list[tuple[str, str]] = []
    for pattern in MART_PROPERTIES:
        for path in sorted(root.glob(pattern)):
            for model in _load(path).get("models") or []:
                if _is_public(model):
                    found.append((_section(path), model["name"]))
    if not found:
        raise HubwhError(f"no public marts declared under {root} ({', '.join(MART_PROPERTIES)})")
    rank = {section: i for i, section in enumerate(SECTION_ORDER)}
    found.sort(key=lambda item: (rank.get(item[0], len(SECTION_ORDER)), item[0], item[1]))
    return tuple(name for _, name in found)


def public_marts(root: Path = PROJECT_ROOT) -> tuple[str, ...]:
    """The public marts (docs/methods.md §8), grouped by the analysis they serve (the suffix of
    the properties file, in SECTION_ORDER) and alphabetical within each."""
    return _public_marts(Path(root))


@cache
def _project_vars(root: Path) -> dict:
    return _load(root / "dbt_project.yml").get("vars") or {}


def rq1_activities(root: Path = PROJECT_ROOT) -> dict[str, tuple[str, ...]]:
    """dbt var `rq1_activities`: activity column -> the repo types it applies to, in the
    paper's order (Tables 2-4)."""
    value = _project_vars(Path(root)).get("rq1_activities")
    if not isinstance(value, dict) or not value:
        raise HubwhError(f"dbt_project.yml under {root} has no var rq1_activities (activity: [repo types])")
    return {str(name): tuple(types) for name, types in value.items()}
