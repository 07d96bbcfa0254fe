"""The Hub over time (docs/methods.md §10): activity_monthly and collab_timeline recomputed
independently (pandas over the raw commits with the seeds' bots and merges applied; networkx
per quarter) on the session's synthetic Hub and on a hand-worked Hub; activity_changes after
two crawls of a tiny synthetic Hub and its refresh, against the two snapshot files."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from conftest import slow_fixture
from test_rq1_recompute import _is_bot_by_rule, _latest, default_rules

from hubwh.network.timeline import quarter_ends, timeline_frame
from hubwh.snapshot import Snapshot

# only what these tests read (and the data tests between them, for the hand-worked Hub)
HAND_BUILD = [
    "build",
    "--select",
    "+activity_monthly +collab_timeline +collab_summary",
    "--indirect-selection",
    "cautious",
    "--exclude-resource-type",
    "unit_test",
]
REFRESH_BUILD = [
    "build",
    "--select",
    "+activity_changes +activity_gainers",
    "--exclude-resource-type",
    "test",
    "unit_test",
]


# ---- the reference: pandas and networkx over the raw rows ------------------------------------


class Raw:
    """The raw rows that count (listed repos, latest ok fetch), authors resolved as
    docs/methods.md §3 says: the seeds' bots plus the [bot] / -bot rules, `system` nobody,
    the seed's merges applied."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        rules = default_rules()
        merges, seed_bots = rules["merges"], rules["bots"]
        listed = []
        for repo_type, table in (("model", "models"), ("dataset", "datasets"), ("space", "spaces")):
            frame = con.execute(f"select repo_id, created_at, is_listed from raw.{table}").df()
            frame = frame[frame["is_listed"].fillna(True).astype(bool)]
            listed.append(frame.assign(repo_type=repo_type)[["repo_type", "repo_id", "created_at"]])
        self.repos = pd.concat(listed, ignore_index=True)
        log = con.execute("select repo_type, repo_id, resource, status, last_ok_at from raw.fetch_log").df()
        keys = set(zip(self.repos.repo_type, self.repos.repo_id))

        def counted(frame, resource):
            ok = {(r.repo_type, r.repo_id) for r in log.itertuples() if r.resource == resource and r.status == "ok"}
            frame = _latest(frame, log, resource)
            mask = [(t, i) in keys and (t, i) in ok for t, i in zip(frame.repo_type, frame.repo_id)]
            return frame[mask].reset_index(drop=True)

        self.commits = counted(
            con.execute(
                "select repo_type, repo_id, commit_id, committed_at, cast(authors as varchar) as authors, "
                "fetched_at from raw.commits"
            ).df(),
            "commits",
        )
        self.discussions = counted(
            con.execute("select repo_type, repo_id, num, author, created_at, fetched_at from raw.discussions").df(),
            "discussions",
        )
        names = {a for s in self.commits.authors for a in json.loads(s)} | set(self.discussions.author.dropna())
        bots = seed_bots | {n.lower() for n in names if _is_bot_by_rule(n)}

        def developer(name):
            if name is None or name != name or name in ("system", "deleted"):
                return None
            canonical = merges.get(name, name)
            return None if name.lower() in bots or canonical.lower() in bots else canonical

        self.commits["developers"] = [
            [d for d in map(developer, json.loads(s)) if d is not None] for s in self.commits.authors
        ]
        self.discussions["developer"] = [developer(a) for a in self.discussions.author]

    @staticmethod
    def month(values) -> pd.Series:
        return pd.to_datetime(values, utc=True).dt.tz_localize(None).dt.to_period("M")


def expected_monthly(raw: Raw, hub_time) -> pd.DataFrame:
    created = raw.repos.dropna(subset=["created_at"]).assign(month=lambda f: Raw.month(f.created_at))
    commits = raw.commits.assign(month=Raw.month(raw.commits.committed_at))
    authored = commits.explode("developers").dropna(subset=["developers"])
    authored = authored[["repo_type", "developers", "month"]].drop_duplicates()
    authored.columns = ["repo_type", "developer", "month"]
    starters = raw.discussions.dropna(subset=["developer"]).assign(month=lambda f: Raw.month(f.created_at))
    starters = starters[["repo_type", "developer", "month"]].drop_duplicates()
    first = min(
        created.month.min(), commits.month.min(), starters.month.min() if len(starters) else created.month.min()
    )
    last = Raw.month(pd.Series([hub_time])).iloc[0]
    rows = []
    for repo_type in sorted(raw.repos.repo_type.unique()):
        active_before: set = set()
        seen_starters: set = set()
        previous: set = set()
        for month in pd.period_range(first, last, freq="M"):
            active = set(authored[(authored.repo_type == repo_type) & (authored.month == month)].developer)
            disc = set(starters[(starters.repo_type == repo_type) & (starters.month == month)].developer)
            new = active - active_before
            rows.append(
                {
                    "month": month.to_timestamp().date(),
                    "repo_type": repo_type,
                    "n_repos_created": int(((created.repo_type == repo_type) & (created.month == month)).sum()),
                    "n_commits": int(((commits.repo_type == repo_type) & (commits.month == month)).sum()),
                    "n_active_developers": len(active),
                    "n_new_developers": len(new),
                    "n_returning_developers": len(active & active_before),
                    "n_churned_developers": len(previous - active),
                    "n_active_disc_starters": len(disc),
                    "n_new_disc_starters": len(disc - seen_starters),
                }
            )
            active_before |= active
            seen_starters |= disc
            previous = active
    return pd.DataFrame(rows)


def expected_timeline(raw: Raw, hub_time) -> pd.DataFrame:
    """docs/methods.md §4's construction on the model commits dated <= each quarter end, per quarter,
    with networkx (no shortcut: the graph is rebuilt from the commits every quarter)."""
    commits = raw.commits[raw.commits.repo_type == "model"].copy()
    commits["at"] = pd.to_datetime(commits.committed_at, utc=True).dt.tz_localize(None)
    rows = []
    for end in quarter_ends(commits["at"].min(), pd.Timestamp(hub_time)):
        upto = commits[commits["at"] < end + pd.Timedelta(days=1)]
        graph = nx.DiGraph()
        for _, repo in upto.groupby("repo_id"):
            members = sorted({d for ds in repo.developers for d in ds})
            graph.add_nodes_from(members)
            for ds in repo.developers:
                if ds:
                    graph.add_edges_from((ds[0], b) for b in members if b != ds[0])
        n, e = graph.number_of_nodes(), graph.number_of_edges()
        degrees = np.array([d for _, d in graph.degree() if d > 0], dtype=float)
        core = nx.core_number(graph) if n else {}
        max_k = max(core.values(), default=0) if e else 0
        if len(degrees):
            x = np.sort(degrees)
            gini = float(np.sum((2 * np.arange(1, len(x) + 1) - len(x) - 1) * x) / (len(x) * x.sum()))
        else:
            gini = np.nan
        rows.append(
            {
                "quarter_end": end.date(),
                "developers": n,
                "isolates": n - len(degrees),
                "isolate_share": (n - len(degrees)) / n if n else np.nan,
                "non_isolates": len(degrees),
                "edges": e,
                "reciprocity": nx.reciprocity(graph) if e else np.nan,
                "max_k": max_k,
                "max_core_nodes": sum(1 for c in core.values() if c == max_k) if e else 0,
                "degree_gini": gini,
            }
        )
    return pd.DataFrame(rows)


def built(con, table: str, order: str) -> pd.DataFrame:
    return con.execute(f"select * from marts.{table} order by {order}").df()


def assert_monthly_equal(con) -> pd.DataFrame:
    hub_time = con.execute("select hub_time from intermediate.int_hub_clock").fetchone()[0]
    want = expected_monthly(Raw(con), hub_time).sort_values(["repo_type", "month"]).reset_index(drop=True)
    got = built(con, "activity_monthly", "repo_type, month")
    got["month"] = pd.to_datetime(got["month"]).dt.date
    pd.testing.assert_frame_equal(got[want.columns], want, check_dtype=False)
    return got


def assert_timeline_equal(con) -> pd.DataFrame:
    hub_time = con.execute("select hub_time from intermediate.int_hub_clock").fetchone()[0]
    want = expected_timeline(Raw(con), hub_time)
    got = built(con, "collab_timeline", "quarter_end")
    got["quarter_end"] = pd.to_datetime(got["quarter_end"]).dt.date
    pd.testing.assert_frame_equal(got[want.columns], want, check_dtype=False, rtol=1e-9)
    return got


# ---- the session's synthetic Hub ------------------------------------------------------------


def test_activity_monthly_equals_pandas_on_the_synthetic_hub(duck):
    got = assert_monthly_equal(duck)
    models = got[got.repo_type == "model"]
    # the synthetic Hub's time is realistic enough for every measure to show
    assert (models.n_churned_developers > 0).sum() > 10 and (models.n_returning_developers > 0).sum() > 10
    assert models.n_repos_created.iloc[-6:].sum() > models.n_repos_created.iloc[-18:-12].sum()  # growth
    assert (got.n_commits == 0).any() or len(got) > 30  # zero months kept (or a long range)


def test_collab_timeline_equals_networkx_on_the_synthetic_hub(duck):
    got = assert_timeline_equal(duck)
    assert len(got) >= 8 and got.developers.is_monotonic_increasing and got.edges.is_monotonic_increasing
    summary = duck.execute("select developers, edges from marts.collab_summary where network = 'all'").fetchone()
    assert (got.developers.iloc[-1], got.edges.iloc[-1]) == summary


# ---- the hand-worked Hub ----------------------------------------------------------------------


def _commit(n, date, *users):
    return {"id": f"{n:040x}", "title": "c", "message": "", "authors": [{"user": u} for u in users], "date": date}


def _repo(repo_id, created, last, n, **extra):
    return {
        "_id": f"{n:024x}",
        "id": repo_id,
        "author": repo_id.split("/")[0],
        "likes": 0,
        "downloads": 0,
        "tags": [],
        "private": False,
        "gated": False,
        "createdAt": created,
        "lastModified": last,
        "sha": f"{n:040x}",
        **extra,
    }


def write_hand_hub(path: Path) -> Path:
    """alice: new in January, absent in February (churned), back in March (returning).
    carol and dave share a model repo: carol -> dave in March, dave -> carol in April.
    SFconvertbot commits in May (a commit, no developer); erin opens discussions in
    February and April; bob works on a model and a dataset in February."""
    from hubwh.snapshot import SnapshotWriter

    with SnapshotWriter(path, source="synthetic", seed=0, created_at="2023-05-20T00:00:00Z") as w:
        w.add_repo("model", _repo("alice/m1", "2023-01-05T10:00:00.000Z", "2023-03-10T09:00:00.000Z", 1))
        w.add_commits(
            "model",
            "alice/m1",
            [
                _commit(12, "2023-03-10T09:00:00.000Z", "alice"),
                _commit(11, "2023-01-06T10:00:00.000Z", "alice"),
                _commit(10, "2023-01-05T10:00:00.000Z", "system"),
            ],
        )
        disc = {"repo": {"name": "alice/m1", "type": "model"}, "title": "q", "status": "open", "isPullRequest": False}
        w.add_discussions(
            "model",
            "alice/m1",
            [
                {"num": 3, **disc, "createdAt": "2023-04-02T00:00:00.000Z"},  # a deleted user
                {"num": 2, "author": {"name": "erin", "type": "user"}, **disc, "createdAt": "2023-04-01T00:00:00.000Z"},
                {"num": 1, "author": {"name": "erin", "type": "user"}, **disc, "createdAt": "2023-02-20T00:00:00.000Z"},
            ],
        )
        w.add_repo("model", _repo("bob/m2", "2023-02-02T00:00:00.000Z", "2023-02-03T00:00:00.000Z", 2))
        w.add_commits(
            "model",
            "bob/m2",
            [_commit(21, "2023-02-03T00:00:00.000Z", "bob"), _commit(20, "2023-02-02T00:00:00.000Z", "system")],
        )
        w.add_repo("model", _repo("carol/m3", "2023-03-01T00:00:00.000Z", "2023-05-01T00:00:00.000Z", 3))
        w.add_commits(
            "model",
            "carol/m3",
            [
                _commit(33, "2023-05-01T00:00:00.000Z", "SFconvertbot"),
                _commit(32, "2023-04-15T00:00:00.000Z", "dave"),
                _commit(31, "2023-03-02T00:00:00.000Z", "carol", "dave"),
                _commit(30, "2023-03-01T00:00:00.000Z", "system"),
            ],
        )
        w.add_repo("dataset", _repo("bob/d1", "2023-02-10T00:00:00.000Z", "2023-02-11T00:00:00.000Z", 4))
        w.add_commits(
            "dataset",
            "bob/d1",
            [_commit(41, "2023-02-11T00:00:00.000Z", "bob"), _commit(40, "2023-02-10T00:00:00.000Z", "system")],
        )
    return path


@pytest.fixture(scope="module")
@slow_fixture
def hand_db(tmp_path_factory) -> Path:
    from hubwh.build import run_dbt
    from hubwh.snapshot.load import load_snapshot

    root = tmp_path_factory.mktemp("time_hand")
    db = root / "warehouse.duckdb"
    load_snapshot(write_hand_hub(root / "hub"), db, progress=False, pipelines_dir=root / "pipelines")
    run_dbt(HAND_BUILD, db, quiet=True)
    return db


def test_utc_month_macro_is_the_utc_calendar_month_in_any_session_time_zone():
    # the macro's expression (macros/time_helpers.sql) evaluated as dbt renders it, against
    # pandas' UTC months, with a session time zone far from UTC and instants near month ends
    from conftest import PROJECT_ROOT

    text = (PROJECT_ROOT / "macros" / "time_helpers.sql").read_text()
    body = text.split("macro utc_month(expr) -%}", 1)[1].split("{%- endmacro %}", 1)[0].strip()
    instants = [
        "2023-03-01 00:30:00+02",  # still February in UTC
        "2023-02-28 23:30:00-03",  # already March in UTC
        "2024-02-29 23:59:59.999999+00",
        "2023-12-31 22:00:00-05",  # next year in UTC
        "1999-12-31 23:59:59+00",
        None,
    ]
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'Pacific/Kiritimati'")  # UTC+14
        frame = con.execute(
            f"SELECT v, {body.replace('{{ expr }}', 'v')} AS month FROM (SELECT unnest(?)::TIMESTAMPTZ AS v)",
            [instants],
        ).df()
    expected = [
        None if v is None else pd.Timestamp(v).tz_convert("UTC").tz_localize(None).to_period("M").start_time.date()
        for v in instants
    ]
    got = [None if pd.isna(m) else pd.Timestamp(m).date() for m in frame["month"]]
    assert got == expected


def test_hand_worked_hub_monthly(hand_db):
    with duckdb.connect(str(hand_db), read_only=True) as con:
        got = assert_monthly_equal(con)
    cols = [
        "n_repos_created",
        "n_commits",
        "n_active_developers",
        "n_new_developers",
        "n_returning_developers",
        "n_churned_developers",
        "n_active_disc_starters",
        "n_new_disc_starters",
    ]
    models = got[got.repo_type == "model"].set_index(got[got.repo_type == "model"].month.astype(str))[cols]
    assert models.to_dict("index") == {
        "2023-01-01": dict(zip(cols, (1, 2, 1, 1, 0, 0, 0, 0))),  # alice new
        "2023-02-01": dict(zip(cols, (1, 2, 1, 1, 0, 1, 1, 1))),  # alice churned, bob new, erin starts
        "2023-03-01": dict(zip(cols, (1, 3, 3, 2, 1, 1, 0, 0))),  # alice returns, carol and dave new
        "2023-04-01": dict(zip(cols, (0, 1, 1, 0, 1, 2, 1, 0))),  # dave; alice and carol churn; erin again
        "2023-05-01": dict(zip(cols, (0, 1, 0, 0, 0, 1, 0, 0))),  # the bot's commit; dave churns
    }
    datasets = got[got.repo_type == "dataset"]
    assert list(datasets.n_new_developers) == [0, 1, 0, 0, 0] and list(datasets.n_churned_developers) == [0, 0, 1, 0, 0]
    assert set(got.repo_type) == {"model", "dataset"}  # no space listed: no space rows


def test_hand_worked_hub_timeline(hand_db):
    with duckdb.connect(str(hand_db), read_only=True) as con:
        got = assert_timeline_equal(con)
        summary = con.execute("select developers, isolates, edges from marts.collab_summary where network='all'")
        assert summary.fetchone() == (4, 2, 2)
    assert [str(q) for q in got.quarter_end] == ["2023-03-31", "2023-06-30"]
    assert list(got.developers) == [4, 4] and list(got.isolates) == [2, 2]
    assert list(got.edges) == [1, 2] and list(got.reciprocity) == [0.0, 1.0]
    assert list(got.max_k) == [1, 2] and list(got.max_core_nodes) == [2, 2]


# ---- the timeline function on hand-made links ----------------------------------------------


def test_timeline_frame_hand_worked():
    links = pd.DataFrame(
        {
            "source": ["a", "b", "c", "a", "b", "a", "c"],
            "target": ["a", "b", "c", "b", "a", "c", "a"],
            "linked_at": pd.to_datetime(
                [
                    "2022-12-31 23:59:59",  # a joins in 2022Q4 (the last second of it)
                    "2023-01-01 00:00:00",
                    "2023-02-01 00:00:00",
                    "2023-03-31 12:00:00",
                    "2023-08-01 00:00:00",
                    "2023-08-02 00:00:00",
                    "2023-08-03 00:00:00",
                ],
                utc=True,
            ),
        }
    )
    got = timeline_frame(links, until=pd.Timestamp("2024-01-05", tz="UTC"))
    assert list(got.quarter) == ["2022Q4", "2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1"]
    assert list(got.developers) == [1, 3, 3, 3, 3, 3]
    assert list(got.edges) == [0, 1, 1, 4, 4, 4]
    assert list(got.isolates) == [1, 1, 1, 0, 0, 0]
    assert got.reciprocity.isna().tolist() == [True, False, False, False, False, False]
    assert list(got.reciprocity.iloc[1:]) == [0.0, 0.0, 1.0, 1.0, 1.0]
    # a <-> b, a <-> c: degrees a 4, b 2, c 2; cores: all 2
    assert list(got.max_k) == [0, 1, 1, 2, 2, 2] and got.max_core_nodes.iloc[-1] == 3
    assert got.degree_gini.iloc[-1] == pytest.approx(2 * (1 * 2 + 2 * 2 + 3 * 4) / (3 * 8) - 4 / 3)
    assert timeline_frame(links.iloc[:0]).empty


# ---- two crawls: the synthetic Hub and its refresh ------------------------------------------


@pytest.fixture(scope="module")
@slow_fixture
def refreshed(tmp_path_factory):
    """A tiny synthetic Hub and the same Hub 35 days later, crawled in turn through the emulator
    into one warehouse, with a dbt build after each."""
    from extract.pipeline import crawl
    from hubwh.build import run_dbt
    from hubwh.emulator import Emulator
    from hubwh.synth import generate, refresh

    root = tmp_path_factory.mktemp("time_refresh")
    first = generate(root / "hub1", models=60, datasets=25, spaces=20, seed=3)
    second = refresh(first, root / "hub2", days=35)
    db = root / "warehouse.duckdb"
    for snap in (first, second):
        with Emulator(snap) as emu:
            crawl(
                endpoint=emu.url,
                db_path=db,
                budget=None,
                progress=False,
                discussions_ttl_days=0,
                pipelines_dir=root / "pipelines",
            )
        run_dbt(REFRESH_BUILD, db, quiet=True)
    return first, second, db


def _snapshot_counts(path: Path) -> pd.DataFrame:
    """Per listed repo: likes, 30-day and all-time downloads, commits, committers, community,
    discussions, straight from the snapshot files (outcome repos have no activity)."""
    snap = Snapshot(path)
    truth = snap.ground_truth()
    rules = default_rules()
    bots = {b.lower() for b in truth["bots"]} | rules["bots"]
    canon = rules["merges"]

    def dev(name):
        if not name or name == "system" or name.lower() in bots or _is_bot_by_rule(name):
            return None
        return canon.get(name, name)

    forced = {(t, r) for t, r, _ in snap.iter_outcomes()}
    commits = {(t, r): c for t, r, c in snap.iter_commits()}
    discussions = {(t, r): d for t, r, d in snap.iter_discussions()}
    usage: dict[str, set] = {}
    for space in snap.iter_repos("space"):
        for model_id in space.get("models") or ():
            usage.setdefault(model_id, set()).add(space["id"])
    rows = []
    for repo_type in ("model", "dataset", "space"):
        for rec in snap.iter_repos(repo_type):
            key = (repo_type, rec["id"])
            cs, ds = commits.get(key, []), discussions.get(key, [])
            committers = {dev(a["user"]) for c in cs for a in c["authors"]} - {None}
            starters = {dev(d.get("author", {}).get("name")) for d in ds} - {None}
            ok = key not in forced
            rows.append(
                {
                    "repo_type": repo_type,
                    "repo_id": rec["id"],
                    "likes": rec.get("likes"),
                    "downloads": rec.get("downloads") if repo_type != "space" else None,
                    "downloads_all_time": rec.get("downloadsAllTime") if repo_type != "space" else None,
                    "commits": len(cs) if ok else None,
                    "committers": len(committers) if ok else None,
                    "community": len(committers | starters) if ok else None,
                    "discussions": len(ds) if ok else None,
                    "usage": len(usage.get(rec["id"], ())) if repo_type == "model" else None,
                }
            )
    return pd.DataFrame(rows).set_index(["repo_type", "repo_id"])


def test_activity_changes_equal_the_snapshots_differences(refreshed):
    first, second, db = refreshed
    a, b = _snapshot_counts(first), _snapshot_counts(second)
    both = a.merge(b, left_index=True, right_index=True, suffixes=("_a", "_b"))
    names = ["likes", "downloads", "downloads_all_time", "commits", "committers", "community", "discussions"]
    diff = pd.DataFrame({f"d_{n}": both[f"{n}_b"] - both[f"{n}_a"] for n in [*names, "usage"]}, index=both.index)
    changed = diff.fillna(0).ne(0).any(axis=1)  # a version is recorded when a checked column changed
    want = diff[changed].drop(columns="d_usage")
    with duckdb.connect(str(db), read_only=True) as con:
        got = con.execute("select * from marts.activity_changes").df().set_index(["repo_type", "repo_id"])
        versions = con.execute("select count(distinct dbt_valid_from) from history.repo_activity_history").fetchone()
    assert versions == (2,)
    assert len(want) > 10 and set(got.index) == set(want.index)
    got = got.loc[want.index]
    for n in names:
        assert got[f"d_{n}"].astype("Float64").equals(want[f"d_{n}"].astype("Float64")), n
    decrease = want.lt(0).any(axis=1)
    assert decrease.any() and (got["has_decrease"] == decrease).all()
    truth = Snapshot(second).ground_truth()["refresh"]
    dropped = {tuple(x) for x in truth["all_time_decreased"]}
    assert dropped and all(got.loc[k, "d_downloads_all_time"] < 0 and got.loc[k, "has_decrease"] for k in dropped)
    # new repos were recorded once (no change row); deleted ones add none
    assert not ({tuple(x) for x in truth["new"]} | {tuple(x) for x in truth["deleted"]}) & set(got.index)


def test_gainers_are_the_largest_gains(refreshed):
    first, second, db = refreshed
    a, b = _snapshot_counts(first), _snapshot_counts(second)
    both = a.merge(b, left_index=True, right_index=True, suffixes=("_a", "_b"))
    with duckdb.connect(str(db), read_only=True) as con:
        got = con.execute("select * from marts.activity_gainers order by measure, repo_type, rank").df()
    assert set(got.measure) >= {"likes"}
    for (measure, repo_type), rows in got.groupby(["measure", "repo_type"]):
        gain = (both[f"{measure}_b"] - both[f"{measure}_a"]).xs(repo_type, level="repo_type")
        gain = gain[gain > 0].sort_values(ascending=False)
        assert list(rows.gain) == list(gain.iloc[: len(rows)]), (measure, repo_type)
        assert len(rows) == min(10, len(gain))


@pytest.mark.browser
def test_over_time_page_shows_the_gainers_after_two_refreshes(refreshed, tmp_path):
    """The Over time page of the twice-crawled warehouse in Chromium: the gainers table and the
    changes table are there, their numbers are the marts', no console message."""
    from test_report_browser import chromium_binary, open_page, parse_dom

    from hubwh.report import write_html

    if chromium_binary() is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    _, _, db = refreshed
    out = write_html(db, tmp_path / "report").parent
    dom, console = open_page(out / "over-time.html")
    page = parse_dom(dom)
    assert console == [] and page.js_errors is None
    with duckdb.connect(str(db), read_only=True) as con:
        top = con.execute("select measure, repo_type, gain from marts.activity_gainers where rank = 1").fetchall()
        changes = dict(con.execute("select repo_type, count(*) from marts.activity_changes group by all").fetchall())
    assert top and changes
    for measure, repo_type, gain in top:
        assert page.kpis[f"time.gainer.{measure}.{repo_type}"] == f"{gain:,}"
    for repo_type, n in changes.items():
        assert page.kpis[f"time.changes.{repo_type}"] == f"{n:,}"
