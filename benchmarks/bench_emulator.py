"""Benchmark of the emulator (prints figures; not a test):

    python -m benchmarks.bench_emulator [--snapshot DIR] [--calls 4000] [--threads 8] [--separate]

Loads the snapshot (a generated 2,000-repo one by default) and reports load
time, peak memory, then the rate of `list_repo_commits` calls made by the real
`huggingface_hub` client from `--threads` threads, against the emulator in
this process or (`--separate`) in its own `hubwh emulate` process.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def write_bench_snapshot(path: Path, repos: int = 2000) -> Path:
    """Models with 3 commits each, every 10th with 30 (two pages of 50 for none)."""
    from hubwh.snapshot import SnapshotWriter

    with SnapshotWriter(path, source="synthetic", seed=1, created_at="2023-10-01T00:00:00Z") as w:
        for i in range(repos):
            repo_id = f"org{i % 50}/model-{i}"
            w.add_repo(
                "model",
                {
                    "_id": f"{i:024x}",
                    "id": repo_id,
                    "likes": i % 7,
                    "trendingScore": 0,
                    "private": False,
                    "downloads": i,
                    "tags": ["transformers", "region:us"],
                    "createdAt": "2023-01-01T00:00:00.000Z",
                    "modelId": repo_id,
                },
            )
            w.add_commits(
                "model",
                repo_id,
                [
                    {
                        "id": f"{i:020x}{j:020x}",
                        "title": f"Update {j}",
                        "message": "",
                        "authors": [{"user": f"user{j % 9}"}],
                        "date": "2023-01-01T00:00:00.000Z",
                    }
                    for j in range(3 if i % 10 else 30)
                ],
            )
    return path


def crawl_commits(url: str, repo_ids: list[str], threads: int) -> tuple[float, int]:
    from huggingface_hub import HfApi

    local = threading.local()

    def call(repo_id: str) -> int:
        if not hasattr(local, "api"):
            local.api = HfApi(endpoint=url, token=False)
        return len(local.api.list_repo_commits(repo_id))

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        commits = sum(pool.map(call, repo_ids))
    return time.perf_counter() - start, commits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_emulator")
    parser.add_argument("--snapshot", help="snapshot to serve (default: a generated 2,000-repo one)")
    parser.add_argument("--calls", type=int, default=4000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--separate", action="store_true", help="run the emulator as `hubwh emulate`")
    args = parser.parse_args(argv)
    from hubwh.emulator import Emulator
    from hubwh.snapshot import Snapshot

    with tempfile.TemporaryDirectory() as tmp:
        snapshot = Path(args.snapshot) if args.snapshot else write_bench_snapshot(Path(tmp) / "hub")
        snap = Snapshot(snapshot)
        forced = {repo_id for repo_type, repo_id, _ in snap.iter_outcomes() if repo_type == "model"}
        repo_ids = [
            r["id"]
            for r in snap.iter_repos("model")
            if r.get("private") is not True and r["id"] not in forced and r["id"].isascii()
        ]
        repo_ids = (repo_ids * (args.calls // max(1, len(repo_ids)) + 1))[: args.calls]
        start, cpu = time.perf_counter(), time.process_time()
        emulator = Emulator(snapshot)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"load: {time.perf_counter() - start:.1f} s wall, {time.process_time() - cpu:.1f} s CPU, "
            f"peak RSS {peak_mb:.0f} MB ({', '.join(f'{len(t)} {k}s' for k, t in emulator.store.tables.items())}, "
            f"{len(emulator.store.commits)} commit lists)"
        )
        if args.separate:
            proc = subprocess.Popen(
                [sys.executable, "-m", "hubwh.cli", "emulate", "--snapshot", str(snapshot)],
                stdout=subprocess.PIPE,
                text=True,
            )
            try:
                url = proc.stdout.readline().strip()
                crawl_commits(url, repo_ids[:200], args.threads)  # warm-up
                seconds, commits = crawl_commits(url, repo_ids, args.threads)
            finally:
                proc.terminate()
                proc.wait()
        else:
            with emulator:
                crawl_commits(emulator.url, repo_ids[:200], args.threads)
                emulator.reset_counts()
                seconds, commits = crawl_commits(emulator.url, repo_ids, args.threads)
                assert emulator.counts()["commits"] >= len(repo_ids)
        where = "separate process" if args.separate else "in process"
        print(
            f"commits calls ({where}, {args.threads} client threads): {len(repo_ids)} calls, {commits} commits "
            f"in {seconds:.2f} s = {len(repo_ids) / seconds:.0f} calls/s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
