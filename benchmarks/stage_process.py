"""One benchmark stage in a fresh process, so its wall time and peak memory are its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from hubwh.paths import PROJECT_ROOT


def run_stage(module: str, stage: list[str]) -> dict:
    """Run `python -m MODULE STAGE...`; the JSON report on the last line of its output."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), DO_NOT_TRACK="1")
    proc = subprocess.run(
        [sys.executable, "-m", module, *stage], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    if proc.returncode != 0:
        print(proc.stdout[-4000:], proc.stderr[-4000:], file=sys.stderr)
        raise SystemExit(f"stage {stage[:2]} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])
