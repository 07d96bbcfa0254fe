"""The extractor against the Hub emulator (issue 3, "Done when"): exact load, request counts,
incremental refresh, unlisted repos, faults, kill -9 and resume, scoped crawls, tokens, errors.

Each test crawls a small synthetic Hub served by the real emulator with the real client, dlt
and DuckDB; expected values come from reading the snapshot files directly."""

from __future__ import annotations

import gzip
import json
import logging
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import slow_fixture

from extract.pipeline import crawl
from hubwh.emulator import Emulator
from hubwh.errors import HubwhError
from hubwh.snapshot import Snapshot, SnapshotWriter
from hubwh.synth import generate

PROJECT = Path(__file__).resolve().parent.parent
SIZES = {"models": 400, "datasets": 80, "spaces": 160}
REPO_TABLE = {"model": "models", "dataset": "datasets", "space": "spaces"}
# Columns that legitimately differ between two crawls of the same Hub (times, load ids,
# request counts, messages naming the emulator's port).
VOLATILE = {
    "_dlt_load_id",
    "_dlt_id",
    "fetched_at",
    "listed_at",
    "first_listed_at",
    "last_listed_at",
    "last_ok_at",
    "n_requests",
    "message",
}


def _ts(value):
    return None if value is None else datetime.fromisoformat(value)


# -- fixtures -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
@slow_fixture
def hub(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("extract_hub") / "hub"
    generate(out, seed=11, outcome_share=0.03, **SIZES)
    return out


def _crawl(emu_or_url, db: Path, **kw) -> dict:
    url = emu_or_url if isinstance(emu_or_url, str) else emu_or_url.url
    kw.setdefault("budget", None)
    kw.setdefault("progress", False)
    kw.setdefault("token", False)
    return crawl(url, db, pipelines_dir=db.parent / f"{db.stem}.pipelines", **kw)


@pytest.fixture(scope="module")
def reference(hub, tmp_path_factory) -> tuple[Path, dict, dict]:
    """A fault-free crawl of `hub`: (db, summary, emulator counts)."""
    db = tmp_path_factory.mktemp("extract_ref") / "ref.duckdb"
    with Emulator(hub) as emu:
        summary = _crawl(emu, db)
        counts = emu.counts()
    return db, summary, counts


def query(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def stable_rows(db: Path, table: str) -> list[tuple]:
    """A table's rows without the volatile columns, sorted."""
    cols = [
        c
        for (c,) in query(
            db,
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'raw' AND table_name = ? ORDER BY ordinal_position",
            [table],
        )
        if c not in VOLATILE
    ]
    return sorted(query(db, f"SELECT {', '.join(cols)} FROM raw.{table}"), key=repr)


DATA_TABLES = ("models", "datasets", "spaces", "space_models", "commits", "discussions", "fetch_log")


def assert_same_tables(db_a: Path, db_b: Path) -> None:
    for table in DATA_TABLES:
        a, b = stable_rows(db_a, table), stable_rows(db_b, table)
        assert len(a) == len(b), f"raw.{table}: {len(a)} rows vs {len(b)}"
        assert a == b, f"raw.{table} differs"


# -- what the snapshot says -------------------------------------------------------------------
class Expected:
    def __init__(self, snapshot_dir: Path):
        snap = Snapshot(snapshot_dir)
        self.repos = {t: [r for r in snap.iter_repos(t) if r.get("private") is not True] for t in REPO_TABLE}
        self.commits = {(t, i): c for t, i, c in snap.iter_commits()}
        self.discussions = {(t, i): d for t, i, d in snap.iter_discussions()}
        self.outcomes = {(t, i): o for t, i, o in snap.iter_outcomes()}

    def listed(self):
        for t, records in self.repos.items():
            for r in records:
                yield t, r["id"]

    def status(self, repo_type: str, repo_id: str) -> str:
        outcome = self.outcomes.get((repo_type, repo_id))
        return {"private": "not_found", "deleted": "not_found", "gated": "gated"}.get(outcome, "ok")

    def list_pages(self, page: int = 1000) -> int:
        return sum(max(1, math.ceil(len(r) / page)) for r in self.repos.values())

    def per_repo_calls(self) -> tuple[int, int]:
        commits = discussions = 0
        for t, i in self.listed():
            if self.status(t, i) != "ok":
                commits += 1
                discussions += 1
                continue
            commits += max(1, math.ceil(len(self.commits.get((t, i), [])) / 1000))
            discussions += max(1, math.ceil(len(self.discussions.get((t, i), [])) / 50))
        return commits, discussions


# -- exact load ---------------------------------------------------------------------------------
def test_crawl_loads_exactly_what_the_snapshot_holds(hub, reference):
    db, summary, _ = reference
    exp = Expected(hub)
    assert summary["malformed"] == {}

    for repo_type, table in REPO_TABLE.items():
        rows = {
            r[0]: r
            for r in query(
                db,
                f"SELECT repo_id, author, likes, tags, sha, gated, card_license, "
                f"created_at, last_modified, is_listed FROM raw.{table}",
            )
        }
        assert set(rows) == {r["id"] for r in exp.repos[repo_type]}, repo_type
        for rec in exp.repos[repo_type]:
            row = rows[rec["id"]]
            card = rec.get("cardData") or {}
            gated = rec.get("gated") if repo_type != "space" else None  # not an `expand` field of spaces
            assert row[1] == rec.get("author")
            assert row[2] == rec.get("likes")
            assert (json.loads(row[3]) if row[3] else None) == rec.get("tags")
            assert row[4] == rec.get("sha")
            assert row[5] == (None if gated is None else str(gated).lower())
            assert (json.loads(row[6]) if row[6] else None) == card.get("license")
            assert row[7] == _ts(rec.get("createdAt")) and row[8] == _ts(rec.get("lastModified"))
            assert row[9] is True
    models = {
        r[0]: r[1:]
        for r in query(
            db, "SELECT repo_id, downloads, downloads_all_time, pipeline_tag, safetensors_total FROM raw.models"
        )
    }
    for rec in exp.repos["model"]:
        st = rec.get("safetensors") or {}
        assert models[rec["id"]] == (
            rec.get("downloads"),
            rec.get("downloadsAllTime"),
            rec.get("pipeline_tag"),
            st.get("total"),
        )
    sdks = dict(query(db, "SELECT repo_id, sdk FROM raw.spaces"))
    assert sdks == {r["id"]: r.get("sdk") for r in exp.repos["space"]}

    # space -> model pairs, with positions
    want_pairs = set()
    for rec in exp.repos["space"]:
        seen = set()
        for pos, m in enumerate(rec.get("models") or []):
            if m not in seen:
                seen.add(m)
                want_pairs.add((rec["id"], m, pos))
    assert set(query(db, "SELECT space_id, model_id, model_position FROM raw.space_models")) == want_pairs
    assert want_pairs, "the synthetic Hub should have space->model pairs"

    # commits: every one, with all authors in order, newest first
    got_commits: dict = {}
    for t, i, cid, pos, at, title, authors in query(
        db,
        "SELECT repo_type, repo_id, commit_id, commit_position, committed_at, title, authors "
        "FROM raw.commits ORDER BY repo_type, repo_id, commit_position",
    ):
        got_commits.setdefault((t, i), []).append((cid, pos, at, title, json.loads(authors)))
    want_commits = {}
    for t, i in exp.listed():
        items = exp.commits.get((t, i), [])
        if exp.status(t, i) == "ok" and items:
            want_commits[(t, i)] = [
                (c["id"], n, _ts(c["date"]), c["title"], [a["user"] for a in c["authors"]]) for n, c in enumerate(items)
            ]
    assert got_commits == want_commits
    assert any(len(c[4]) > 1 for v in want_commits.values() for c in v), "co-authored commits expected"

    # discussions, deleted authors as 'deleted'
    got_disc = set(
        query(
            db,
            "SELECT repo_type, repo_id, num, title, status, is_pull_request, author, created_at FROM raw.discussions",
        )
    )
    want_disc = set()
    for t, i in exp.listed():
        if exp.status(t, i) == "ok":
            for d in exp.discussions.get((t, i), []):
                want_disc.add(
                    (
                        t,
                        i,
                        d["num"],
                        d["title"],
                        d["status"],
                        d["isPullRequest"],
                        d.get("author", {}).get("name", "deleted"),
                        _ts(d["createdAt"]),
                    )
                )
    assert got_disc == want_disc

    # fetch_log: one row per listed repo and resource, forced outcomes with their status
    log_rows = {
        (t, i, r): (s, n)
        for t, i, r, s, n in query(db, "SELECT repo_type, repo_id, resource, status, n_rows FROM raw.fetch_log")
    }
    want_log = {}
    for t, i in exp.listed():
        status = exp.status(t, i)
        want_log[(t, i, "commits")] = (status, len(exp.commits.get((t, i), [])) if status == "ok" else None)
        want_log[(t, i, "discussions")] = (status, len(exp.discussions.get((t, i), [])) if status == "ok" else None)
    assert log_rows == want_log
    statuses = {s for s, _ in want_log.values()}
    assert {"ok", "not_found", "gated"} <= statuses, "the snapshot should force every outcome"
    assert summary["repos_by_status"]["commits"] == {
        s: sum(1 for (t, i) in exp.listed() if exp.status(t, i) == s) for s in statuses
    }


# -- request counts, incremental refresh, unlisted repos ------------------------------------------
def test_request_counts_first_crawl_refresh_and_changes(hub, tmp_path):
    exp = Expected(hub)
    pages = exp.list_pages()
    commit_calls, discussion_calls = exp.per_repo_calls()
    n_repos = sum(1 for _ in exp.listed())
    db = tmp_path / "w.duckdb"
    with Emulator(hub) as emu:
        _crawl(emu, db)
        c = emu.counts()
        # first crawl: list pages + one call per repo and resource (+ extra pages where needed)
        assert c["list:model"] + c["list:dataset"] + c["list:space"] == pages
        assert c["commits"] == commit_calls and c["discussions"] == discussion_calls
        assert c["total"] <= pages + 2 * n_repos + (commit_calls - n_repos) + (discussion_calls - n_repos)
        assert c["info:model"] == 0  # no per-model info calls

        # unchanged Hub: list pages only (nothing due by TTL within 7 days)
        emu.reset_counts()
        summary = _crawl(emu, db)
        assert emu.counts()["total"] == pages
        assert summary["planned"] == {"commits": 0, "discussions": 0}

        # 100 repos get a new commit (new sha and lastModified)
        ok_models = [r["id"] for r in exp.repos["model"] if exp.status("model", r["id"]) == "ok"][:100]
        for k, repo_id in enumerate(ok_models):
            emu.mutate_repo(
                "model",
                repo_id,
                new_commit={
                    "id": f"{k:040x}",
                    "title": f"update {k}",
                    "message": "",
                    "authors": [{"user": "new-author"}],
                    "date": "2023-10-25T12:00:00.000Z",
                },
            )
        emu.reset_counts()
        _crawl(emu, db)
        c = emu.counts()
        assert c["commits"] == 100
        # discussions follow lastModified, which a new commit moves (see the report)
        assert c["discussions"] <= 100
        assert c["total"] <= pages + 100 + 100
        latest = query(
            db,
            "SELECT c.repo_id, c.commit_id, c.commit_position FROM raw.commits c "
            "JOIN raw.fetch_log f ON f.repo_type = c.repo_type AND f.repo_id = c.repo_id "
            "AND f.resource = 'commits' AND f.fetched_at = c.fetched_at "
            "WHERE c.commit_position = 0 AND c.repo_type = 'model'",
        )
        heads = {r[0]: r[1] for r in latest}
        assert all(heads[m] == f"{k:040x}" for k, m in enumerate(ok_models))
        n_new = query(db, "SELECT count(*) FROM raw.commits WHERE authors::VARCHAR LIKE '%new-author%'")[0][0]
        assert n_new == 100

        # TTL 0: every listed repo's discussions are due again, commits still not
        emu.reset_counts()
        _crawl(emu, db, discussions_ttl_days=0)
        c = emu.counts()
        assert c["commits"] == 0 and c["discussions"] == discussion_calls

        # a repo that leaves the listing is marked, not deleted; a scoped sweep marks nothing
        gone = ok_models[0]
        emu.mutate_repo("model", gone, fields={"private": True})
        _crawl(emu, db, types=("model",), author="nobody-at-all", commits=False, discussions=False)
        assert query(db, "SELECT is_listed FROM raw.models WHERE repo_id = ?", [gone]) == [(True,)]
        _crawl(emu, db, types=("model",), commits=False, discussions=False)
        assert query(db, "SELECT is_listed FROM raw.models WHERE repo_id = ?", [gone]) == [(False,)]
        assert query(db, "SELECT count(*) FROM raw.models WHERE NOT is_listed")[0][0] == 1
        assert query(db, "SELECT count(*) FROM raw.commits WHERE repo_id = ?", [gone])[0][0] > 0


def test_rows_missing_behind_an_ok_fetch_log_are_fetched_again(hub, reference, tmp_path):
    """The plan's self-check: fetch_log says ok but the rows did not all load (a killed load)."""
    db = tmp_path / "w.duckdb"
    shutil.copy(reference[0], db)
    victim = query(
        db,
        "SELECT repo_type, repo_id FROM raw.fetch_log WHERE resource = 'commits' "
        "AND status = 'ok' AND n_rows > 1 ORDER BY repo_id LIMIT 1",
    )[0]
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM raw.commits WHERE repo_type = ? AND repo_id = ? AND commit_position = 0", victim)
    con.close()
    with Emulator(hub) as emu:
        _crawl(emu, db)
        assert emu.counts()["commits"] == 1
    assert_same_tables(reference[0], db)


# -- faults ------------------------------------------------------------------------------------
def test_faults_leave_the_tables_identical(hub, reference, tmp_path):
    db = tmp_path / "faulty.duckdb"
    # A generous server limit, so the injected 429s announce it (without one the emulator's
    # 429 fault announces a 500/300 policy, which the crawler would then keep to).
    with Emulator(
        hub,
        rate_limit=(10**6, 300),
        latency_ms=3,
        fault_rate=0.10,
        faults=("5xx", "429", "truncate", "drop", "cutjson"),
        fault_retry_after=0,
        seed=5,
    ) as emu:
        summary = _crawl(emu, db)
        counts = emu.counts()
    assert counts["faults"] > 100, counts
    assert summary["http_429"] > 0 and summary["http_5xx"] > 0 and summary["transport_errors"] > 0
    assert summary["bad_bodies"] > 0
    # (a cut JSON body on a 404 needs no retry: the status alone says not_found)
    assert summary["retries"] >= 0.9 * counts["faults"]
    assert summary["repos_by_status"] == reference[1]["repos_by_status"]
    assert_same_tables(reference[0], db)


@pytest.mark.slow
def test_retry_after_is_honoured_by_every_worker(tmp_path):
    snap = tmp_path / "hub"
    generate(snap, seed=2, models=12, datasets=0, spaces=0, outcome_share=0.0)
    with Emulator(snap, fault_rate=0.2, faults=("429",), fault_retry_after=1, seed=1) as emu:
        summary = _crawl(emu, tmp_path / "w.duckdb", types=("model",), discussions=False)
        log = emu.request_log()
    assert summary["http_429"] > 0
    times = [t for t, _, _ in log]
    for t, _, status in log:
        if status == 429:
            # in flight when the 429 was sent: a few ms (0.2 s allowed on a busy machine);
            # after that nothing until the second is over
            soon = [u for u in times if t + 0.2 < u < t + 0.95]
            assert not soon, f"{len(soon)} requests within 1 s of a 429 with Retry-After: 1"


# -- kill -9 and resume -------------------------------------------------------------------------
def _run_cli(url: str, db: Path, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, DO_NOT_TRACK="1", RUNTIME__DLTHUB_TELEMETRY="false")
    env.pop("HF_TOKEN", None)
    cmd = [
        sys.executable,
        "-m",
        "hubwh.cli",
        "crawl",
        "--endpoint",
        url,
        "--db",
        str(db),
        "--budget",
        "none",
        "--no-progress",
        "--anonymous",
        "--workers",
        "2",
        "--flush-seconds",
        "0.5",
        "--pipelines-dir",
        str(db.parent / f"{db.stem}.pipelines"),
        *extra,
    ]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(PROJECT))


@pytest.mark.slow
def test_killed_crawl_resumes_to_the_same_tables(hub, reference, tmp_path):
    db = tmp_path / "killed.duckdb"
    exp = Expected(hub)
    total = exp.list_pages() + sum(exp.per_repo_calls())
    with Emulator(hub, latency_ms=8) as emu:
        for fraction in (0.25, 0.6):  # kill twice, at different stages of the per-repo fetches
            start = emu.counts()["total"]
            proc = _run_cli(emu.url, db)
            deadline = time.monotonic() + 120
            while emu.counts()["total"] - start < fraction * total and proc.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.02)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            assert proc.returncode == -signal.SIGKILL, "the crawl finished before it could be killed"
        done = query(db, "SELECT count(*) FROM raw.fetch_log")[0][0]
        assert 0 < done < 2 * sum(1 for _ in exp.listed()), "the kills should leave a partial crawl"
        proc = _run_cli(emu.url, db)
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()[-2000:]
    assert_same_tables(reference[0], db)
    # no duplicates anywhere (primary keys hold)
    for table, key in (
        ("commits", "repo_type, repo_id, commit_id"),
        ("discussions", "repo_type, repo_id, num"),
        ("fetch_log", "repo_type, repo_id, resource"),
        ("models", "repo_id"),
    ):
        assert query(db, f"SELECT count(*) - count(DISTINCT ({key})) FROM raw.{table}")[0][0] == 0


# -- scope ---------------------------------------------------------------------------------------
def _contract() -> dict[str, list[str]]:
    spec = yaml.safe_load((PROJECT / "models" / "staging" / "_hf_hub__sources.yml").read_text())
    tables = spec["sources"][0]["tables"]
    return {t["name"]: [c["name"] for c in t.get("columns", [])] for t in tables}


def test_scoped_crawl_leaves_every_raw_table_present(hub, tmp_path):
    from extract.cli import main

    db = tmp_path / "scoped.duckdb"
    with Emulator(hub) as emu:
        assert (
            main(
                [
                    "--endpoint",
                    emu.url,
                    "--db",
                    str(db),
                    "--types",
                    "model",
                    "--no-commits",
                    "--no-discussions",
                    "--budget",
                    "none",
                    "--no-progress",
                    "--anonymous",
                    "--pipelines-dir",
                    str(tmp_path / "pl"),
                ]
            )
            == 0
        )
        assert emu.counts()["total"] == 1
    have: dict[str, set] = {}
    for table, column in query(
        db, "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'raw'"
    ):
        have.setdefault(table, set()).add(column)
    for table, columns in _contract().items():
        assert table in have, f"raw.{table} missing"
        assert set(columns) | {"_dlt_load_id", "_dlt_id"} <= have[table], table
    types = dict(
        query(
            db,
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'raw'",
        )
    )
    assert types["commits.authors"] == "JSON" and types["models.tags"] == "JSON"
    assert types["discussions.created_at"] == "TIMESTAMP WITH TIME ZONE"
    for empty in ("datasets", "spaces", "space_models", "commits", "discussions", "fetch_log"):
        assert query(db, f"SELECT count(*) FROM raw.{empty}")[0][0] == 0
    assert query(db, "SELECT count(*) FROM raw.models")[0][0] == len(Expected(hub).repos["model"])
    assert query(db, "SELECT count(*) FROM raw.crawl_runs WHERE finished_at IS NOT NULL")[0][0] == 1


def test_sample_is_reproducible_and_costs_its_share(hub, tmp_path):
    with Emulator(hub) as emu:
        a = _crawl(emu, tmp_path / "a.duckdb", types=("model",), sample=0.25, seed=3, discussions=False)
        calls = emu.counts()["commits"]
        _crawl(emu, tmp_path / "b.duckdb", types=("model",), sample=0.25, seed=3, commits=False, discussions=False)
        _crawl(emu, tmp_path / "c.duckdb", types=("model",), sample=0.25, seed=4, commits=False, discussions=False)
    ids = {k: {r[0] for r in query(tmp_path / f"{k}.duckdb", "SELECT repo_id FROM raw.models")} for k in "abc"}
    n = len(Expected(hub).repos["model"])
    assert ids["a"] == ids["b"] and ids["a"] != ids["c"]
    assert 0.15 * n < len(ids["a"]) < 0.35 * n
    assert calls == len(ids["a"]) == a["repos_listed"]["model"]


def test_author_filter_and_limit(hub, tmp_path):
    exp = Expected(hub)
    authors = [r.get("author") for r in exp.repos["model"] if r.get("author")]
    top = max(set(authors), key=authors.count)
    with Emulator(hub) as emu:
        s = _crawl(emu, tmp_path / "a.duckdb", types=("model",), author=top, commits=False, discussions=False)
        s2 = _crawl(emu, tmp_path / "l.duckdb", types=("model", "space"), limit=7, commits=False, discussions=False)
    got = {r[0] for r in query(tmp_path / "a.duckdb", "SELECT repo_id FROM raw.models")}
    assert got == {r["id"] for r in exp.repos["model"] if r.get("author") == top}
    assert s["repos_listed"]["model"] == len(got)
    assert s2["repos_listed"] == {"model": 7, "space": 7}


# -- malformed records -----------------------------------------------------------------------------
@pytest.mark.slow
def test_malformed_records_are_counted_and_the_rest_kept(tmp_path, caplog):
    snap = tmp_path / "hub"
    good = {"user": "alice"}
    with SnapshotWriter(snap, source="synthetic", seed=0, created_at="2023-10-01T00:00:00Z") as w:
        for name, likes in (("org/a", 1), ("org/b", "lots"), ("org/c", 3)):
            w.add_repo(
                "model",
                {"_id": "0" * 24, "id": name, "likes": likes, "sha": "f" * 40, "createdAt": "2023-01-01T00:00:00.000Z"},
            )
        w.add_commits(
            "model",
            "org/a",
            [
                {"id": "1" * 40, "title": "t1", "message": "", "authors": [good], "date": "2023-02-01T00:00:00.000Z"},
                {"id": "2" * 40, "title": "no date", "message": "", "authors": [good]},
                {
                    "id": "3" * 40,
                    "title": "initial commit",
                    "message": "",
                    "authors": [{"user": "system"}],
                    "date": "2023-01-01T00:00:00.000Z",
                },
            ],
        )
        w.add_discussions(
            "model",
            "org/c",
            [
                {
                    "num": 2,
                    "title": "x",
                    "createdAt": "2023-03-01T00:00:00.000Z",
                    "isPullRequest": False,
                    "repo": {"name": "org/c", "type": "model"},
                },
                {
                    "num": 1,
                    "title": "y",
                    "status": "open",
                    "createdAt": "2023-03-01T00:00:00.000Z",
                    "isPullRequest": True,
                    "repo": {"name": "org/c", "type": "model"},
                },
            ],
        )
    db = tmp_path / "w.duckdb"
    with caplog.at_level(logging.WARNING, logger="extract"), Emulator(snap) as emu:
        summary = _crawl(emu, db)
    assert summary["malformed"] == {"model list item": 1, "commit item": 1, "discussion item": 1}
    assert {r[0] for r in query(db, "SELECT repo_id FROM raw.models")} == {"org/a", "org/c"}
    assert query(db, "SELECT commit_id, commit_position FROM raw.commits ORDER BY 2") == [("1" * 40, 0), ("3" * 40, 2)]
    assert query(db, "SELECT num, author FROM raw.discussions") == [(1, "deleted")]
    assert query(db, "SELECT status, message FROM raw.fetch_log WHERE repo_id = 'org/a' AND resource = 'commits'") == [
        ("ok", "skipped 1 malformed item(s): commit item lacks date")
    ]
    assert "likes is not a number" in caplog.text and "lacks status" in caplog.text


# -- tokens and errors ------------------------------------------------------------------------------
def test_token_never_reaches_logs_db_or_dlt_state(hub, tmp_path, caplog, capfd):
    token = "hf_SeCrEtT0kenForTheTest4242"
    db = tmp_path / "w.duckdb"
    with (
        caplog.at_level(logging.DEBUG),
        Emulator(hub, fault_rate=0.05, seed=3, faults=("5xx", "drop"), rate_limit=(10**6, 300)) as emu,
    ):
        summary = crawl(
            emu.url, db, token=token, budget=None, progress=True, types=("model",), pipelines_dir=tmp_path / "pl"
        )
    assert summary["retries"] > 0  # the retry paths logged too
    out, err = capfd.readouterr()
    assert token not in caplog.text and token not in out and token not in err
    assert token not in json.dumps(summary)
    files = [db] + [p for p in (tmp_path / "pl").rglob("*") if p.is_file()]
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        assert token.encode() not in data, path


@pytest.mark.slow  # the client retries the refused connection with backoff (seconds)
def test_unreachable_endpoint_is_one_clear_line(tmp_path, capsys):
    from hubwh.cli import main

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    code = main(
        [
            "crawl",
            "--endpoint",
            f"http://127.0.0.1:{port}",
            "--db",
            str(tmp_path / "w.duckdb"),
            "--budget",
            "none",
            "--no-progress",
            "--anonymous",
            "--pipelines-dir",
            str(tmp_path / "pl"),
        ]
    )
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and "cannot list models" in err and "Traceback" not in err
    assert time.monotonic() - started < 60


class _Reject401(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the Hub's answer to a bad token on a list call
        body = b'{"error":"Invalid credentials in Authorization header"}'
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.slow  # a crawl through the CLI
def test_bad_token_is_one_clear_line(tmp_path, capsys):
    from hubwh.cli import main

    server = HTTPServer(("127.0.0.1", 0), _Reject401)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        os.environ["HF_TOKEN"] = "hf_not_a_valid_token_000"
        code = main(
            [
                "crawl",
                "--endpoint",
                f"http://127.0.0.1:{server.server_address[1]}",
                "--db",
                str(tmp_path / "w.duckdb"),
                "--no-progress",
                "--pipelines-dir",
                str(tmp_path / "pl"),
            ]
        )
    finally:
        os.environ.pop("HF_TOKEN", None)
        server.shutdown()
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1
    assert "401" in err and "token" in err and "hf_not_a_valid" not in err


def test_unwritable_database_path_is_one_clear_line(tmp_path, capsys):
    from hubwh.cli import main

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = main(["crawl", "--endpoint", "http://127.0.0.1:9", "--db", str(blocker / "w.duckdb"), "--no-progress"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "database" in err
    not_duckdb = tmp_path / "text.duckdb"
    not_duckdb.write_text("hello")
    with pytest.raises(HubwhError, match="cannot open the database"):
        crawl("http://127.0.0.1:9", not_duckdb, progress=False)
