"""Community health and model size marts (docs/methods.md §11, §12) recomputed independently on
the session warehouse: pandas, numpy and scipy over the raw commits, discussions and list rows,
with the seeds' bots and merges applied (tests/test_rq1_recompute.py's rules), lineage
descendants from tests/lineage_reference.py (networkx over raw rows). Nothing here assumes
particular dates. The hand-worked cases (one developer, 50/50, a 10-developer onion, journeys,
ties) are the dbt unit tests in models/*/_*__health_unit_tests.yml; the tests of the data
tests corrupt a copy of the warehouse."""

from __future__ import annotations

import json
import math
import shutil
from collections import defaultdict

import duckdb
import numpy as np
import pandas as pd
import pytest
from lineage_reference import Reference, _seed, organisation_of
from scipy import stats
from test_lineage_warehouse import raw_rows
from test_rq1_recompute import _is_bot_by_rule, _latest, default_rules
from test_rq1_recompute import repo_activity as recomputed_activity

from hubwh.build import run_dbt
from hubwh.errors import HubwhError

SIZE_CLASSES = [("<100M", 0, 1e8), ("100M-1B", 1e8, 1e9), ("1B-10B", 1e9, 1e10), ("10B-100B", 1e10, 1e11)]
SIZE_CLASSES += [(">=100B", 1e11, math.inf)]
SIZE_ACTIVITIES = ["n_committers", "n_community", "n_discussions", "n_disc_starters", "n_likes", "n_downloads"]
SIZE_ACTIVITIES += ["n_usage_spaces"]


def same(a, b, tol=1e-9) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        none_a = a is None or (isinstance(a, float) and math.isnan(a))
        none_b = b is None or (isinstance(b, float) and math.isnan(b))
        return none_a and none_b
    return abs(float(a) - float(b)) <= tol * max(1.0, abs(float(b)))


class Raw:
    """Per repo and developer: credited commit ids and dates, discussions opened, from raw rows."""

    def __init__(self, con):
        rules = default_rules()
        merges, seed_bots = rules["merges"], rules["bots"]
        self.repos = []
        for repo_type, table in (("model", "models"), ("dataset", "datasets"), ("space", "spaces")):
            for repo_id, listed in con.execute(f"select repo_id, is_listed from raw.{table}").fetchall():
                if listed is not False:
                    self.repos.append((repo_type, repo_id))
        listed = set(self.repos)
        log = con.execute("select repo_type, repo_id, resource, status, last_ok_at from raw.fetch_log").df()
        self.ok = {
            (r.repo_type, r.repo_id, r.resource)
            for r in log.itertuples()
            if r.status == "ok" and (r.repo_type, r.repo_id) in listed
        }
        commits = _latest(
            con.execute(
                "select repo_type, repo_id, commit_id, committed_at, cast(authors as varchar) as authors, fetched_at "
                "from raw.commits"
            ).df(),
            log,
            "commits",
        )
        discussions = _latest(
            con.execute(
                "select repo_type, repo_id, num, author, is_pull_request, created_at, fetched_at from raw.discussions"
            ).df(),
            log,
            "discussions",
        )
        commits["authors"] = commits["authors"].map(json.loads)
        seen = {a for authors in commits["authors"] for a in authors} | set(discussions["author"].dropna())
        bots = seed_bots | {a.lower() for a in seen if _is_bot_by_rule(a)}

        def developer(name):
            if name is None or (isinstance(name, float) and math.isnan(name)):
                return None
            canonical = merges.get(name, name)
            if name == "system" or name.lower() in bots or canonical.lower() in bots:
                return None
            return canonical

        self.commits = defaultdict(lambda: defaultdict(dict))  # repo -> developer -> {commit_id: date}
        for r in commits.itertuples():
            key = (r.repo_type, r.repo_id)
            if (*key, "commits") not in self.ok:
                continue
            for dev in {developer(a) for a in r.authors} - {None}:
                self.commits[key][dev][r.commit_id] = pd.Timestamp(r.committed_at)
        self.opened = defaultdict(lambda: defaultdict(list))  # repo -> developer -> [(created_at, num, is_pr)]
        for r in discussions.itertuples():
            key = (r.repo_type, r.repo_id)
            dev = None if r.author == "deleted" else developer(r.author)
            if (*key, "discussions") in self.ok and dev is not None:
                self.opened[key][dev].append((pd.Timestamp(r.created_at), int(r.num), bool(r.is_pull_request)))


def prefix_size(counts: list[int], share: float) -> int:
    """The smallest number of the largest counts whose sum reaches share of the total."""
    total, cum = sum(counts), 0
    for i, c in enumerate(sorted(counts, reverse=True), start=1):
        cum += c
        if cum >= share * total - 1e-12:
            return i
    raise AssertionError("unreachable")


def expected_health(raw: Raw) -> dict:
    out = {}
    for key in raw.repos:
        c_ok, d_ok = (*key, "commits") in raw.ok, (*key, "discussions") in raw.ok
        devs = raw.commits.get(key, {})
        counts = [len(v) for v in devs.values()]
        row = dict.fromkeys(
            [
                "n_committers",
                "n_credited_commits",
                "absence_factor",
                "n_core",
                "n_regular",
                "n_casual",
                "n_discussion_only",
                "n_discussion_to_commit",
                "n_pr_to_commit",
                "median_days_discussion_to_commit",
                "median_days_pr_to_commit",
            ]
        )
        if c_ok:
            row["n_committers"], row["n_credited_commits"] = len(counts), sum(counts)
            if counts:
                core = prefix_size(counts, 0.8)
                row["absence_factor"] = prefix_size(counts, 0.5)
                row["n_core"] = core
                row["n_regular"] = prefix_size(counts, 0.95) - core
                row["n_casual"] = len(counts) - prefix_size(counts, 0.95)
            else:
                row.update(n_core=0, n_regular=0, n_casual=0)
        if c_ok and d_ok:
            opened = raw.opened.get(key, {})
            row["n_discussion_only"] = sum(1 for d in opened if d not in devs)
            days, pr_days = [], []
            for dev, items in opened.items():
                if dev not in devs:
                    continue
                first_disc = min(items)  # earliest created_at, then the lower number
                first_commit = min(devs[dev].values())
                if first_disc[0] < first_commit:
                    d = (first_commit - first_disc[0]).total_seconds() / 86400
                    days.append(d)
                    if first_disc[2]:
                        pr_days.append(d)
            row["n_discussion_to_commit"], row["n_pr_to_commit"] = len(days), len(pr_days)
            row["median_days_discussion_to_commit"] = float(np.median(days)) if days else None
            row["median_days_pr_to_commit"] = float(np.median(pr_days)) if pr_days else None
        out[key] = row
    return out


@pytest.fixture(scope="module")
def raw(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return Raw(con)


def test_repo_health_matches_the_raw_rows(duck, raw):
    want = expected_health(raw)
    got = duck.execute("select * from marts.repo_health").df()
    assert len(got) == len(want) == len(set(want))
    assert got["absence_factor"].notna().sum() > 500  # the demo Hub has repos of every kind
    assert (got["n_committers"] >= 2).sum() > 100 and got["n_discussion_only"].sum() > 100
    for row in got.to_dict("records"):
        expected = want[(row["repo_type"], row["repo_id"])]
        for column, value in expected.items():
            assert same(row[column], value), (row["repo_type"], row["repo_id"], column, row[column], value)


def test_repo_health_cases_the_demo_hub_holds(duck):
    """The synthetic Hub has the cases the measures distinguish (else the recomputation proves little)."""
    counts = duck.execute(
        "select count(*) filter (where n_committers = 1),"
        " count(*) filter (where n_committers >= 2 and absence_factor = 1),"
        " count(*) filter (where absence_factor >= 2), count(*) filter (where n_regular > 0),"
        " count(*) filter (where n_committers is null), count(*) filter (where n_discussion_to_commit > 0)"
        " from marts.repo_health"
    ).fetchone()
    assert all(c > 0 for c in counts[:5]), counts
    assert counts[5] >= 1, counts


def _organisations(con) -> dict:
    orgs = _seed("organisations")
    by_namespace = {o["name"].lower(): o["organisation"] for o in orgs if o["kind"] == "namespace"}
    by_legacy = {o["name"].lower(): o["organisation"] for o in orgs if o["kind"] == "legacy_id"}
    out = {}
    for repo_type, table in (("model", "models"), ("dataset", "datasets"), ("space", "spaces")):
        for (repo_id,) in con.execute(f"select repo_id from raw.{table} where coalesce(is_listed, true)").fetchall():
            if repo_type == "model":
                out[(repo_type, repo_id)] = organisation_of(repo_id, by_namespace, by_legacy)
            else:  # the seed's legacy ids are model ids
                out[(repo_type, repo_id)] = organisation_of(repo_id, by_namespace, {})
    return out


def test_elephant_factor_matches_the_raw_rows(duck, raw, warehouse):
    activity = recomputed_activity(duck).set_index(["repo_type", "repo_id"])
    descendants = Reference(raw_rows(duck)).nodes
    health = expected_health(raw)
    orgs = _organisations(duck)
    values = {
        "n_credited_commits": {k: v["n_credited_commits"] for k, v in health.items()},
        "n_likes": activity["n_likes"].to_dict(),
        "n_downloads": activity["n_downloads"].to_dict(),
        "n_usage_spaces": activity["n_usage_spaces"].to_dict(),
        "n_descendants": {("model", m): n["n_descendants"] for m, n in descendants.items() if n.get("is_listed", True)},
    }
    types = {"n_downloads": ("model", "dataset"), "n_usage_spaces": ("model",), "n_descendants": ("model",)}
    rows = duck.execute("select * from marts.elephant_factor").df().to_dict("records")
    got = {(r["repo_type"], r["activity"]): r for r in rows}
    n_rows = 0
    for activity_name, by_repo in values.items():
        for repo_type in types.get(activity_name, ("model", "dataset", "space")):
            held: dict[str, int] = defaultdict(int)
            n_repos = 0
            for (t, repo_id), value in by_repo.items():
                if t != repo_type or (t, repo_id) not in orgs or value is None or pd.isna(value):
                    continue
                held[orgs[(t, repo_id)]] += int(value)
                n_repos += 1
            row = got[(repo_type, activity_name)]
            n_rows += 1
            ranked = sorted(held.items(), key=lambda kv: (-kv[1], kv[0]))
            total = sum(held.values())
            assert (row["n_repos"], row["total"]) == (n_repos, total), (repo_type, activity_name)
            assert row["n_organisations"] == sum(1 for v in held.values() if v > 0)
            k = prefix_size([v for _, v in ranked], 0.5)
            assert row["elephant_factor"] == k, (repo_type, activity_name)
            assert list(row["top_organisations"]) == [o for o, _ in ranked[: min(k, 10)]]
            assert same(row["top_share"], sum(v for _, v in ranked[:k]) / total)
    assert n_rows == len(got) == 10


def _size_class(parameters) -> str:
    if parameters is None or pd.isna(parameters):
        return "unknown"
    return next(label for label, low, high in SIZE_CLASSES if low <= parameters < high)


def _sized_activity(duck) -> pd.DataFrame:
    activity = recomputed_activity(duck)
    models = activity[activity["repo_type"] == "model"].copy()
    sizes = dict(duck.execute("select repo_id, safetensors_total from raw.models").fetchall())
    models["parameters"] = models["repo_id"].map(sizes)
    models["size_class"] = models["parameters"].map(_size_class)
    return models


def test_size_columns_and_model_size_activity_match_the_raw_rows(duck):
    models = _sized_activity(duck)
    marts = duck.execute(
        "select repo_id, parameters, size_class from marts.repo_activity where repo_type = 'model'"
    ).df()
    merged = marts.merge(models[["repo_id", "parameters", "size_class"]], on="repo_id", suffixes=("", "_raw"))
    assert len(merged) == len(marts) == len(models)
    assert (merged["size_class"] == merged["size_class_raw"]).all()
    assert (merged["parameters"].fillna(-1) == merged["parameters_raw"].fillna(-1)).all()
    assert set(models["size_class"]) == {c[0] for c in SIZE_CLASSES} | {"unknown"}  # every class planted

    got = duck.execute("select * from marts.model_size_activity").df()
    assert len(got) == 6 * len(SIZE_ACTIVITIES)
    for row in got.to_dict("records"):
        part = models[models["size_class"] == row["size_class"]]
        values = pd.to_numeric(part[row["activity"]], errors="coerce").dropna()
        committers = pd.to_numeric(part["n_committers"], errors="coerce").dropna()
        assert row["n_models"] == len(part) and row["n_values"] == len(values)
        assert same(row["median"], float(values.median()) if len(values) else None)
        assert same(row["mean"], float(values.mean()) if len(values) else None)
        assert same(row["share_multi_committer"], float((committers > 1).mean()) if len(committers) else None)


def test_model_size_tests_match_scipy(duck):
    models = _sized_activity(duck)
    known = models[models["size_class"] != "unknown"]
    got = {r["activity"]: r for r in duck.execute("select * from marts.model_size_tests").df().to_dict("records")}
    assert set(got) == set(SIZE_ACTIVITIES)
    for activity in SIZE_ACTIVITIES:
        part = known[pd.to_numeric(known[activity], errors="coerce").notna()]
        x = part["parameters"].astype(float).to_numpy()
        y = pd.to_numeric(part[activity]).astype(float).to_numpy()
        row = got[activity]
        assert row["n"] == len(part) > 300
        rho = stats.spearmanr(x, y)
        assert same(row["spearman_r"], float(rho.statistic)) and same(row["spearman_p"], float(rho.pvalue))
        groups = [y[(part["size_class"] == label).to_numpy()] for label, _, _ in SIZE_CLASSES]
        groups = [g for g in groups if g.size]
        assert row["n_classes"] == len(groups) == 5
        h = stats.kruskal(*groups)
        assert same(row["kruskal_h"], float(h.statistic)) and same(row["kruskal_p"], float(h.pvalue))
    # bigger models have more of everything in the synthetic Hub (hubwh/synth/sizes.py)
    assert got["n_likes"]["spearman_r"] > 0 and got["n_likes"]["spearman_p"] < 0.05


# -- the data tests fail on broken marts ------------------------------------------------------------

CORRUPTIONS = [
    (
        "update marts.repo_health set n_casual = n_casual + 1 where repo_id = (select min(repo_id) "
        "from marts.repo_health where n_committers >= 1 and repo_type = 'model') and repo_type = 'model'",
        "repo_health_onion_roles_add_up",
    ),
    (
        "update marts.repo_health set absence_factor = n_core + 1 where repo_id = (select min(repo_id) "
        "from marts.repo_health where n_committers >= 2 and repo_type = 'space') and repo_type = 'space'",
        "repo_health_absence_factor_within_core",
    ),
    (
        "update marts.elephant_factor set elephant_factor = n_organisations + 1 "
        "where repo_type = 'dataset' and activity = 'n_likes'",
        "elephant_factor_within_organisations",
    ),
    (
        "update marts.repo_activity set size_class = '1B-10B' where repo_type = 'model' and repo_id = "
        "(select min(repo_id) from marts.repo_activity where repo_type = 'model' and size_class = '<100M')",
        "health_size_classes_cover_every_model",
    ),
    (
        "delete from marts.model_size_activity where size_class = 'unknown' and activity = 'n_likes'",
        "health_size_classes_cover_every_model",
    ),
]


def test_data_tests_fail_on_broken_marts(warehouse, tmp_path):
    """Each corruption on its own copy would cost a dbt run each: one copy holds them all (they touch
    different rows), one `dbt test` over the health marts, and every named test must fail."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, db)
    with duckdb.connect(str(db)) as con:
        for sql, _ in CORRUPTIONS:
            assert con.execute(sql).fetchone()[0] >= 1, sql
    selection = "repo_health elephant_factor model_size_activity"
    with pytest.raises(HubwhError) as failure:
        run_dbt(["test", "--select", *selection.split()], db, quiet=True)
    message = str(failure.value)
    for _, test_name in CORRUPTIONS:
        assert test_name in message, test_name
