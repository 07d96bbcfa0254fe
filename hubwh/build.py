"""`hubwh build`: run dbt (build by default) on the warehouse with the project's profile.

dbt is run in-process through dbtRunner, from the project root, with
HUBWH_DB set to an absolute path so dbt and the extractor agree on the file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hubwh.errors import HubwhError
from hubwh.paths import PROJECT_ROOT, warehouse_path


def run_dbt(args: list[str], db_path: str | Path | None = None, *, quiet: bool = False):
    """Run `dbt <args>` against db_path (default $HUBWH_DB); returns dbt's result.

    Raises HubwhError when dbt reports failure (a failing data test included)."""
    from dbt.cli.main import dbtRunner

    db = Path(db_path).resolve() if db_path else warehouse_path()
    os.environ["HUBWH_DB"] = str(db)
    os.environ.setdefault("DO_NOT_TRACK", "1")
    full = list(args) + ["--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)]
    if quiet:
        full = ["--quiet", "--log-level-file", "warn"] + full
    cwd = os.getcwd()
    os.chdir(PROJECT_ROOT)  # .dlt/config.toml and relative paths resolve from the root
    try:
        result = dbtRunner().invoke(full)
    finally:
        os.chdir(cwd)
    if result.exception is not None:
        raise HubwhError(f"dbt {' '.join(args)} failed: {result.exception}")
    if not result.success:
        failed = []
        for r in getattr(result.result, "results", None) or []:
            status = str(getattr(r, "status", ""))
            if status.lower() in ("error", "fail"):
                failed.append(f"{r.node.name} ({status}): {(r.message or '').strip()[:300]}")
        raise HubwhError(f"dbt {' '.join(args)} failed:\n  " + "\n  ".join(failed or ["see dbt output"]))
    return result


def dbt_build(db_path: str | Path | None = None, select: str | None = None, *, quiet: bool = False):
    """`dbt build` (seeds, models, data tests) on the warehouse at db_path."""
    args = ["build"]
    if select:
        args += ["--select", select]
    return run_dbt(args, db_path, quiet=quiet)


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(
            "usage: hubwh build [dbt args...]\n\nRuns `dbt build` (or `dbt <args>` when the first arg "
            "is a dbt command) on $HUBWH_DB with the project's profile."
        )
        return 0
    if not argv or argv[0].startswith("-"):
        argv = ["build"] + argv
    db = warehouse_path()
    if argv[0] in ("build", "run", "test", "seed") and not db.exists():
        raise HubwhError(f"no warehouse at {db}: run `hubwh crawl` (or `hubwh demo`) first")
    run_dbt(argv, db)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
