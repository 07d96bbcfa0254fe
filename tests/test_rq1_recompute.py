"""RQ1 marts recomputed independently from the `raw` rows (pandas / numpy / scipy, no SQL
beyond reading raw tables) and compared with what dbt built: exact for counts, 1e-9 for
statistics. The session `warehouse` (synthetic Hub -> emulator -> crawl -> dbt build) holds
bots, co-authored and author-less commits, deleted discussion authors, failed fetches
(private / gated / deleted repos) and repos without discussions; the fixture checks they are
there, so the comparison covers them.

Identity merges: the seed identity_merges is curated data about real people and stays empty
for synthetic users. `test_merged_identities_*` copies the warehouse, writes the synthetic
Hub's planted aliases (its ground truth) into the copy's seed table, rebuilds only the models
between int_identity_map and repo_activity, and compares with the same merges applied here."""

from __future__ import annotations

import csv
import gzip
import json
import math
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats as sps

from hubwh.project import rq1_activities

ROOT = Path(__file__).resolve().parent.parent
# the activities each repo type has: dbt var rq1_activities (what the marts are built from)
ACTIVITIES = {
    repo_type: [name for name, types in rq1_activities().items() if repo_type in types]
    for repo_type in ("model", "dataset", "space")
}


def project_vars() -> dict:
    return yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]


def seed_rows(name: str) -> list[dict]:
    with open(ROOT / "seeds" / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def default_rules() -> dict:
    return {
        "bots": {r["username"].lower() for r in seed_rows("bots")},
        "merges": {r["alias"]: r["canonical"] for r in seed_rows("identity_merges")},
        "license_classes": {r["license"]: r["license_class"] for r in seed_rows("license_classes")},
        "license_aliases": {r["alias"]: r["license"] for r in seed_rows("license_aliases")},
        "license_min_repos": int(project_vars()["license_min_repos"]),
    }


def _is_bot_by_rule(name: str) -> bool:
    low = name.lower()
    return low.endswith("[bot]") or low.endswith("-bot")


def _latest(frame: pd.DataFrame, log: pd.DataFrame, resource: str) -> pd.DataFrame:
    """Rows of each repo's latest successful fetch: fetched_at = fetch_log.last_ok_at (every
    fetch returns the whole list with one fetched_at), else the repo's newest rows."""
    if frame.empty:
        return frame
    ok_at = log[log["resource"] == resource][["repo_type", "repo_id", "last_ok_at"]]
    frame = frame.merge(ok_at, on=["repo_type", "repo_id"], how="left")
    newest = frame.groupby(["repo_type", "repo_id"])["fetched_at"].transform("max")
    return frame[frame["fetched_at"] == frame["last_ok_at"].fillna(newest)]


def _license(tags, card, aliases: dict[str, str]) -> str | None:
    for tag in json.loads(tags) if isinstance(tags, str) else []:
        if tag.startswith("license:"):
            value = tag[len("license:") :].split("\n")[0].strip()
            if value:
                return value
            break
    if not isinstance(card, str):
        return None
    value = json.loads(card)
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    value = value.strip().lower()  # card fallbacks are lower-cased like the Hub's ids
    return aliases.get(value, value) or None


def repo_activity(con: duckdb.DuckDBPyConnection, rules: dict | None = None) -> pd.DataFrame:
    """repo_activity recomputed from raw rows: one row per listed repo."""
    rules = rules or default_rules()
    merges, seed_bots = rules["merges"], rules["bots"]

    repos = []
    for repo_type, table, has_dl in [
        ("model", "models", True),
        ("dataset", "datasets", True),
        ("space", "spaces", False),
    ]:
        dl = "downloads" if has_dl else "cast(null as bigint) as downloads"
        frame = con.execute(
            f"select repo_id, likes, {dl}, cast(tags as varchar) as tags, "
            f"cast(card_license as varchar) as card_license, is_listed "
            f"from raw.{table}"
        ).df()
        frame = frame[frame["is_listed"].fillna(True).astype(bool)]
        frame.insert(0, "repo_type", repo_type)
        repos.append(frame)
    repos = pd.concat(repos, ignore_index=True)

    log = con.execute("select repo_type, repo_id, resource, status, last_ok_at from raw.fetch_log").df()
    commits = _latest(
        con.execute(
            "select repo_type, repo_id, commit_id, cast(authors as varchar) as authors, fetched_at from raw.commits"
        ).df(),
        log,
        "commits",
    )
    discussions = _latest(
        con.execute("select repo_type, repo_id, num, author, fetched_at from raw.discussions").df(), log, "discussions"
    )
    status = {(r.repo_type, r.repo_id, r.resource): r.status for r in log.itertuples()}

    # bots: the seed plus every seen name matching the rules; matched on raw or canonical name
    commit_authors = [(r.repo_type, r.repo_id, a) for r in commits.itertuples() for a in json.loads(r.authors)]
    disc_authors = [(r.repo_type, r.repo_id, r.author) for r in discussions.itertuples() if r.author != "deleted"]
    seen = {a for _, _, a in commit_authors} | {a for _, _, a in disc_authors}
    bots = seed_bots | {a.lower() for a in seen if _is_bot_by_rule(a)}

    def developer(name: str) -> str | None:
        canonical = merges.get(name, name)
        if name == "system" or name.lower() in bots or canonical.lower() in bots:
            return None
        return canonical

    n_commits = commits.groupby(["repo_type", "repo_id"]).size().to_dict()
    n_disc = discussions.groupby(["repo_type", "repo_id"]).size().to_dict()
    committers: dict[tuple, set] = {}
    starters: dict[tuple, set] = {}
    for rt, rid, a in commit_authors:
        d = developer(a)
        if d is not None:
            committers.setdefault((rt, rid), set()).add(d)
    for rt, rid, a in disc_authors:
        d = developer(a)
        if d is not None:
            starters.setdefault((rt, rid), set()).add(d)

    spaces = con.execute("select repo_id, last_listed_at, is_listed from raw.spaces").df()
    pairs = con.execute("select space_id, model_id, listed_at from raw.space_models").df()
    usage: dict[str, int] = {}
    spaces_crawled = len(spaces) > 0
    if spaces_crawled and not pairs.empty:
        joined = pairs.merge(spaces, left_on="space_id", right_on="repo_id")
        joined = joined[
            (joined["listed_at"] >= joined["last_listed_at"]) & joined["is_listed"].fillna(True).astype(bool)
        ]
        usage = joined.groupby("model_id")["space_id"].nunique().to_dict()

    rows = []
    for r in repos.itertuples():
        key = (r.repo_type, r.repo_id)
        c_ok = status.get((*key, "commits")) == "ok"
        d_ok = status.get((*key, "discussions")) == "ok"
        lic = _license(r.tags, r.card_license, rules["license_aliases"])
        rows.append(
            {
                "repo_type": r.repo_type,
                "repo_id": r.repo_id,
                "license": lic,
                "license_class": "none" if lic is None else rules["license_classes"].get(lic.lower(), "unclassified"),
                "n_likes": r.likes,
                "n_downloads": None if r.repo_type == "space" or pd.isna(r.downloads) else int(r.downloads),
                "n_discussions": n_disc.get(key, 0) if d_ok else None,
                "n_disc_starters": len(starters.get(key, ())) if d_ok else None,
                "n_commits": n_commits.get(key, 0) if c_ok else None,
                "n_committers": len(committers.get(key, ())) if c_ok else None,
                "n_community": len(committers.get(key, set()) | starters.get(key, set())) if c_ok and d_ok else None,
                "n_usage_spaces": usage.get(r.repo_id, 0) if r.repo_type == "model" and spaces_crawled else None,
                "fetch_status_commits": status.get((*key, "commits"), "not_fetched"),
                "fetch_status_discussions": status.get((*key, "discussions"), "not_fetched"),
            }
        )
    out = pd.DataFrame(rows)
    per_license = out.groupby(["repo_type", "license"], dropna=False)["repo_id"].transform("size")
    out["in_license_comparison"] = out["license"].isna() | (per_license >= rules["license_min_repos"])
    return out


def known(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype="float64")


def activity_values(activity: pd.DataFrame):
    """(repo_type, activity name, known values as float array) for every applicable pair."""
    for repo_type in sorted(activity["repo_type"].unique()):
        frame = activity[activity["repo_type"] == repo_type]
        for name in ACTIVITIES[repo_type]:
            yield repo_type, name, known(frame[name])


# --- independent statistics (numpy / pandas / scipy) -----------------------------------------


def pareto_needed(x: np.ndarray, threshold: float) -> int | None:
    total = float(x.sum())
    if x.size == 0 or total <= 0:
        return None
    cum = np.cumsum(np.sort(x)[::-1])
    return int(np.searchsorted(cum >= threshold * total, True)) + 1


def gini_by_pairs(x: np.ndarray) -> float | None:
    """Gini as the mean absolute difference over all pairs / (2 × mean), via the sorted identity
    Σ_i Σ_j |x_i − x_j| = 2 Σ_i (2i − n − 1) x_(i)."""
    if x.size == 0 or x.sum() <= 0:
        return None
    s = np.sort(x)
    n = s.size
    pair_sum = 2.0 * np.sum((2 * np.arange(1, n + 1) - n - 1) * s)
    return float(pair_sum / (2.0 * n * n * s.mean()))


def lorenz(x: np.ndarray, n_points: int) -> list[tuple[int, float, float]]:
    if x.size == 0 or x.sum() <= 0:
        return []
    s = np.sort(x)
    n, total = s.size, float(s.sum())
    pts = [(0, 0.0, 0.0)]
    for i in range(1, n + 1):
        if (i * n_points) // n > ((i - 1) * n_points) // n:
            pts.append((i, i / n, float(s[:i].sum()) / total))
    return pts


def close(a, b, tol=1e-9) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)) or a is pd.NA:
        return b is None or b is pd.NA or (isinstance(b, float) and math.isnan(b))
    if b is None or b is pd.NA or (isinstance(b, float) and math.isnan(b)):
        return False
    return math.isclose(float(a), float(b), rel_tol=tol, abs_tol=tol)


def nullable(value):
    return None if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else value


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def con(warehouse):
    c = duckdb.connect(str(warehouse), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def expected(con) -> pd.DataFrame:
    return repo_activity(con)


@pytest.fixture(scope="module")
def built(con):
    def table(name: str) -> pd.DataFrame:
        return con.execute(f"select * from marts.{name}").df()

    return table


def test_synthetic_hub_covers_the_edge_cases(con, expected):
    """The comparison below is only as good as the data: the hard cases must be there."""
    commits = con.execute("select cast(authors as varchar) as a from raw.commits").df()["a"]
    authors = [a for lst in commits for a in json.loads(lst)]
    assert "system" in authors
    assert any(a.lower().endswith(("[bot]", "-bot")) or a in ("SFconvertbot",) for a in authors)
    assert any(len(json.loads(lst)) > 1 for lst in commits), "no co-authored commit"
    assert con.execute("select count(*) from raw.discussions where author = 'deleted'").fetchone()[0] > 0
    assert (expected["fetch_status_commits"] != "ok").any()
    assert expected["n_commits"].isna().any() and expected["n_community"].isna().any()
    assert (expected["n_discussions"] == 0).any() and (expected["n_committers"] == 0).any()
    assert expected["license"].isna().any() and (expected["license_class"] == "restrictive").any()
    # one crawl: the latest-fetch rule must keep every loaded row of the repos fetched ok
    loaded = con.execute(
        "select count(*) from raw.commits c join raw.fetch_log f using (repo_type, repo_id) "
        "where f.resource = 'commits' and f.status = 'ok'"
    ).fetchone()[0]
    assert loaded > 0 and expected["n_commits"].sum() == loaded


# --- repo_activity ------------------------------------------------------------------------

COMPARED = [
    "license",
    "license_class",
    "n_likes",
    "n_downloads",
    "n_discussions",
    "n_disc_starters",
    "n_commits",
    "n_committers",
    "n_community",
    "n_usage_spaces",
    "fetch_status_commits",
    "fetch_status_discussions",
    "in_license_comparison",
]


def assert_same_activity(got: pd.DataFrame, want: pd.DataFrame):
    key = ["repo_type", "repo_id"]
    assert len(got) == len(want)
    merged = want.merge(got, on=key, how="outer", suffixes=("_want", "_got"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"][key].head()
    for column in COMPARED:
        w = [nullable(v) for v in merged[f"{column}_want"]]
        g = [nullable(v) for v in merged[f"{column}_got"]]
        bad = merged[[a != b for a, b in zip(w, g)]]
        assert bad.empty, f"{column} differs:\n{bad[key + [f'{column}_want', f'{column}_got']].head(10)}"


def test_repo_activity_equals_recomputation(built, expected):
    assert_same_activity(built("repo_activity"), expected)


# --- distributions --------------------------------------------------------------------------


def test_activity_summary_equals_pandas(built, expected):
    got = built("activity_summary").set_index(["repo_type", "activity"])
    seen = set()
    for repo_type, name, x in activity_values(expected):
        seen.add((repo_type, name))
        row = got.loc[(repo_type, name)]
        assert row["count"] == x.size
        assert row["n_missing"] == (expected["repo_type"] == repo_type).sum() - x.size
        if x.size == 0:
            assert pd.isna(row["mean"]) and pd.isna(row["zero_share"])
            continue
        d = pd.Series(x).describe()
        for ours, theirs in [
            ("mean", "mean"),
            ("std", "std"),
            ("min", "min"),
            ("p25", "25%"),
            ("p50", "50%"),
            ("p75", "75%"),
            ("max", "max"),
        ]:
            assert close(row[ours], d[theirs]), (repo_type, name, ours, row[ours], d[theirs])
        assert close(row["zero_share"], float((x == 0).mean()))
    assert seen == set(got.index)


def test_activity_pareto_and_gini_equal_numpy(built, expected):
    got = built("activity_pareto")
    thresholds = [float(t) for t in project_vars()["pareto_thresholds"]]
    assert sorted(set(got["threshold"].round(12))) == sorted(thresholds)
    got = got.set_index(["repo_type", "activity"])
    for repo_type, name, x in activity_values(expected):
        rows = got.loc[[(repo_type, name)]]
        assert close(rows["gini"].iloc[0], gini_by_pairs(x)), (repo_type, name)
        for t in thresholds:
            row = rows[np.isclose(rows["threshold"], t)].iloc[0]
            k = pareto_needed(x, t)
            assert nullable(row["n_repos_needed"]) == k, (repo_type, name, t)
            assert close(row["repo_share"], None if k is None else k / x.size)
            assert row["n_repos"] == x.size


def test_activity_lorenz_equals_numpy(built, expected):
    got = built("activity_lorenz")
    n_points = int(project_vars().get("lorenz_points", 200))
    for repo_type, name, x in activity_values(expected):
        curve = got[(got["repo_type"] == repo_type) & (got["activity"] == name)].sort_values("point")
        want = lorenz(x, n_points)
        assert len(curve) == len(want), (repo_type, name)
        for (n, rs, as_), row in zip(want, curve.itertuples()):
            assert row.n_repos == n and close(row.repo_share, rs) and close(row.activity_share, as_)
        assert len(curve) <= n_points + 1


# --- licenses and top repos -------------------------------------------------------------------


def test_license_shares_equal_pandas(built, expected):
    got = built("license_shares")
    assert len(got) == expected.groupby(["repo_type", "license"], dropna=False).ngroups
    min_repos = int(project_vars()["license_min_repos"])
    for (repo_type, license_), group in expected.groupby(["repo_type", "license"], dropna=False):
        of_type = expected[expected["repo_type"] == repo_type]
        licensed = of_type["license"].notna().sum()
        sel = got[
            (got["repo_type"] == repo_type)
            & (got["license"].isna() if pd.isna(license_) else got["license"] == license_)
        ]
        assert len(sel) == 1
        row = sel.iloc[0]
        assert row["n_repos"] == len(group)
        assert row["license_class"] == group["license_class"].iloc[0]
        assert close(row["share_of_repos"], len(group) / len(of_type))
        if pd.isna(license_):
            assert pd.isna(row["share_of_licensed"]) and row["in_license_comparison"]
        else:
            assert close(row["share_of_licensed"], len(group) / licensed)
            assert bool(row["in_license_comparison"]) == (len(group) >= min_repos)


def test_top_repos_equal_pandas(built, expected):
    got = built("top_repos")
    n = 10
    for repo_type in expected["repo_type"].unique():
        for ranking, column in [("committers", "n_committers"), ("community", "n_community")]:
            frame = expected[(expected["repo_type"] == repo_type) & expected[column].notna()]
            want = frame.sort_values([column, "repo_id"], ascending=[False, True]).head(n)
            sel = got[(got["repo_type"] == repo_type) & (got["ranking"] == ranking)].sort_values("rank")
            assert list(sel["repo_id"]) == list(want["repo_id"])
            assert list(sel["value"]) == [int(v) for v in want[column]]


# --- correlations and Mann-Whitney U ------------------------------------------------------------


def _scopes(expected):
    for repo_type in expected["repo_type"].unique():
        frame = expected[expected["repo_type"] == repo_type]
        yield repo_type, ACTIVITIES[repo_type], frame
        if repo_type == "model":
            compared = frame[frame["in_license_comparison"]]
            for cls in ("permissive", "restrictive", "none"):
                yield f"model:{cls}", ACTIVITIES["model"], compared[compared["license_class"] == cls]


def test_activity_correlations_equal_scipy(con, expected):
    got = con.execute("select * from marts.activity_correlations").df()
    got = got.set_index(["scope", "method", "var_x", "var_y"])
    n_checked = 0
    for scope, columns, frame in _scopes(expected):
        for method, fn in [("pearson", sps.pearsonr), ("spearman", sps.spearmanr)]:
            for a in columns:
                for b in columns:
                    row = got.loc[(scope, method, a, b)]
                    both = frame[[a, b]].apply(pd.to_numeric).dropna().astype(float)
                    assert row["n"] == len(both)
                    x, y = both[a].to_numpy(), both[b].to_numpy()
                    if len(both) < 3 or x.min() == x.max() or y.min() == y.max():
                        assert pd.isna(row["r"]), (scope, method, a, b)
                        continue
                    ref = fn(x, y)
                    r = 1.0 if a == b else ref.statistic
                    assert close(row["r"], r), (scope, method, a, b, row["r"], r)
                    p = 0.0 if a == b else ref.pvalue
                    assert math.isclose(row["p_value"], p, rel_tol=1e-9, abs_tol=1e-12), (scope, a, b)
                    n_checked += 1
        if ":" in scope:
            continue
        for b in columns:
            row = got.loc[(scope, "point_biserial", "has_license", b)]
            v = pd.to_numeric(frame[b]).astype(float)
            ok = v.notna()
            flag, vals = frame["license"].notna()[ok].to_numpy(), v[ok].to_numpy()
            if ok.sum() < 3 or flag.all() or not flag.any() or vals.min() == vals.max():
                assert pd.isna(row["r"])
                continue
            ref = sps.pointbiserialr(flag, vals)
            assert close(row["r"], ref.statistic) and close(row["p_value"], ref.pvalue)
    assert n_checked > 100


def test_license_mwu_equals_scipy(con, expected):
    got = con.execute("select * from marts.license_mwu").df().set_index(["activity", "group_a", "group_b"])
    models = expected[(expected["repo_type"] == "model") & expected["in_license_comparison"]]
    activities = [
        "n_likes",
        "n_disc_starters",
        "n_discussions",
        "n_committers",
        "n_commits",
        "n_downloads",
        "n_community",
        "n_usage_spaces",
    ]
    assert len(got) == 24
    tested = 0
    for column in activities:
        for a, b in [("permissive", "restrictive"), ("permissive", "none"), ("restrictive", "none")]:
            row = got.loc[(column, a, b)]
            x = known(models.loc[models["license_class"] == a, column])
            y = known(models.loc[models["license_class"] == b, column])
            assert (row["n_a"], row["n_b"]) == (x.size, y.size)
            if x.size == 0 or y.size == 0:
                assert pd.isna(row["u_statistic"])
                continue
            ref = sps.mannwhitneyu(x, y, alternative="two-sided")
            assert close(row["u_statistic"], ref.statistic)
            assert close(row["p_value"], ref.pvalue)
            assert close(row["median_a"], np.median(x)) and close(row["median_b"], np.median(y))
            assert close(row["rank_biserial"], 2 * ref.statistic / (x.size * y.size) - 1)
            tested += 1
    assert tested == 24, "the synthetic Hub should give every class enough models"


# --- paper_comparison ------------------------------------------------------------------------


def expected_rq1_figures(expected: pd.DataFrame) -> dict[tuple[str, str], float | None]:
    out: dict[tuple[str, str], float | None] = {}
    for repo_type, name, x in activity_values(expected):
        if x.size:
            d = pd.Series(x).describe()
            for stat, key in [
                ("mean", "mean"),
                ("std", "std"),
                ("min", "min"),
                ("p25", "25%"),
                ("p50", "50%"),
                ("p75", "75%"),
                ("max", "max"),
            ]:
                out[(f"{stat}.{name}", repo_type)] = float(d[key])
            out[(f"zero_share.{name}", repo_type)] = float((x == 0).mean())
        for t in project_vars()["pareto_thresholds"]:
            k = pareto_needed(x, float(t))
            out[(f"pareto_{round(float(t) * 100)}.{name}", repo_type)] = None if k is None else k / x.size
    for repo_type, frame in expected.groupby("repo_type"):
        out[("n_repos", repo_type)] = len(frame)
        lic = frame["license"]
        out[("no_license_share", repo_type)] = float(lic.isna().mean())
        shares = lic.dropna().value_counts() / lic.notna().sum()
        for license_, share in shares.items():
            out[(f"license_share_of_licensed.{license_}", repo_type)] = float(share)
        family = [s for lic, s in shares.items() if lic.lower().startswith("cc-") and lic.lower().endswith("4.0")]
        out[("license_share_of_licensed.cc-by-4.0-family", repo_type)] = float(sum(family)) if family else None
        committers = frame["n_committers"].dropna()
        out[("single_contributor_share", repo_type)] = float((committers == 1).mean()) if len(committers) else None
        for r in frame.itertuples():
            out[(f"top_committers.{r.repo_id}", repo_type)] = nullable(r.n_committers)
    models = expected[expected["repo_type"] == "model"]
    out[("models_over_1m_downloads", "model")] = int((models["n_downloads"] > 1_000_000).sum())
    out[("zero_share.n_downloads_exact", "model")] = out.get(("zero_share.n_downloads", "model"))
    out[("license_comparison_repos", "model")] = int(models["in_license_comparison"].sum())
    return out


def test_paper_comparison_rq1_figures(con, expected):
    got = con.execute("select * from marts.paper_comparison").df()
    with open(ROOT / "seeds" / "published_figures.csv", newline="") as fh:
        published = list(csv.DictReader(fh))
    assert len(got) == len(published)
    want = expected_rq1_figures(expected)
    pearson = con.execute(
        "select scope, var_x, var_y, r from marts.activity_correlations where method = 'pearson'"
    ).df()
    for row in pearson.itertuples():
        want[(f"pearson.{row.var_x}~{row.var_y}", row.scope)] = nullable(row.r)  # checked above
    checked = 0
    for row in got.itertuples():
        key = (row.measure, row.repo_type)
        if key not in want:
            continue
        assert close(row.warehouse_value, want[key]), (key, row.warehouse_value, want[key])
        if row.warehouse_value is not None and not pd.isna(row.warehouse_value):
            assert close(row.difference, row.warehouse_value - row.paper_value)
        checked += 1
    assert checked >= 90


# --- merged identities (one extra partial dbt run on a copy) -----------------------------------


@pytest.fixture(scope="module")
def merged_warehouse(warehouse, synth_snapshot, tmp_path_factory):
    """A copy of the warehouse whose identity_merges seed holds the synthetic Hub's planted
    aliases, with the models from int_identity_map to repo_activity rebuilt."""
    from hubwh.build import run_dbt

    truth = json.loads(gzip.open(synth_snapshot / "ground_truth.json.gz").read())
    aliases = {alias: canonical for alias, canonical in truth["aliases"]}
    assert aliases, "the synthetic Hub planted no alias"
    db = tmp_path_factory.mktemp("merged") / "warehouse.duckdb"
    shutil.copy(warehouse, db)
    with duckdb.connect(str(db)) as c:
        c.execute("delete from seeds.identity_merges")
        c.executemany("insert into seeds.identity_merges (alias, canonical) values (?, ?)", sorted(aliases.items()))
    run_dbt(["run", "--select", "int_identity_map+,+repo_activity"], db, quiet=True)
    return db, aliases


def test_merged_identities_are_counted_once(merged_warehouse, expected):
    db, aliases = merged_warehouse
    rules = default_rules()
    rules["merges"] = aliases
    with duckdb.connect(str(db), read_only=True) as c:
        want = repo_activity(c, rules)
        got = c.execute("select * from marts.repo_activity").df()
        resolved = c.execute(
            "select count(*) from intermediate.int_commit_authors_resolved where raw_author <> developer"
        ).fetchone()[0]
    assert resolved > 0
    assert_same_activity(got, want)
    # merging must have changed something, or this test proves nothing
    joined = want.merge(expected, on=["repo_type", "repo_id"], suffixes=("", "_unmerged"))
    changed = (joined["n_committers"].fillna(-1) != joined["n_committers_unmerged"].fillna(-1)) | (
        joined["n_community"].fillna(-1) != joined["n_community_unmerged"].fillna(-1)
    )
    assert changed.any()


# --- the reference itself, on hand-made raw rows with hand-worked answers ------------------------


def _handmade_raw(path: Path) -> duckdb.DuckDBPyConnection:
    """A few repos covering the edge cases, in the raw-schema contract's shapes."""
    con = duckdb.connect(str(path))
    con.execute("create schema raw")
    t0, t1 = "2024-01-01 00:00:00+00", "2024-02-01 00:00:00+00"
    con.execute(
        "create table raw.models (repo_id varchar, likes bigint, downloads bigint, tags json, "
        "card_license json, is_listed boolean)"
    )
    con.execute("create table raw.datasets as select * from raw.models")
    con.execute(
        "create table raw.spaces (repo_id varchar, likes bigint, tags json, card_license json, "
        "is_listed boolean, last_listed_at timestamptz)"
    )
    con.execute("create table raw.space_models (space_id varchar, model_id varchar, listed_at timestamptz)")
    con.execute(
        "create table raw.commits (repo_type varchar, repo_id varchar, commit_id varchar, "
        "authors json, fetched_at timestamptz)"
    )
    con.execute(
        "create table raw.discussions (repo_type varchar, repo_id varchar, num bigint, "
        "author varchar, fetched_at timestamptz)"
    )
    con.execute(
        "create table raw.fetch_log (repo_type varchar, repo_id varchar, resource varchar, status varchar, "
        "last_ok_at timestamptz)"
    )
    models = [
        ("org/alpha", 10, 100, ["license:mit", "pytorch"], None, True),
        ("org/beta", 0, 0, ["pytorch"], "apache-2.0", True),
        ("gpt2", 5, 1000, ["license:mit", "license:apache-2.0"], None, True),
        ("alice/gamma", 1, 0, [], ["openrail", "mit"], True),
        ("bob/failed", 3, 7, ["license:other"], None, True),
        ("bob/gated", 2, 3, ["license:llama2"], None, True),
        ("bob/never", 0, 0, ["license: weird-license\nsize_categories: x"], None, True),
        ("old/unlisted", 0, 0, [], None, False),
        ("carol/nocommits", 0, 1, ["license:cc-by-4.0"], None, True),
    ]
    con.executemany(
        "insert into raw.models values (?, ?, ?, ?, ?, ?)",
        [(r, lic, d, json.dumps(t), None if c is None else json.dumps(c), s) for r, lic, d, t, c, s in models],
    )
    con.executemany(
        "insert into raw.datasets values (?, ?, ?, ?, ?, true)",
        [("org/alpha", 2, 50, '["license:cc-by-4.0"]', None), ("dan/ds", 0, 0, "[]", None)],
    )
    con.executemany(
        "insert into raw.spaces values (?, ?, ?, ?, true, ?)",
        [("org/space1", 7, "[]", '"mit"', t1), ("eve/space2", 0, "[]", None, t1)],
    )
    con.executemany(
        "insert into raw.space_models values (?, ?, ?)",
        [
            ("org/space1", "org/alpha", t1),
            ("org/space1", "gpt2", t1),
            ("eve/space2", "gpt2", t1),
            ("eve/space2", "missing/model", t1),
            ("org/space1", "org/beta", t0),
        ],
    )  # last: stale
    commits = {
        ("model", "org/alpha"): [["alice"], ["Alice Smith", "bob"], ["SFconvertbot"], [], ["system"]],
        ("model", "org/beta"): [["dependabot[bot]"], ["system"]],
        ("model", "gpt2"): [["carol"], ["carol"], ["system"]],
        ("model", "alice/gamma"): [["alice"]],
        ("dataset", "org/alpha"): [["dan"], ["system"]],
        ("space", "org/space1"): [["eve"], ["frank-bot"], ["system"]],
    }
    for (rt, rid), lists in commits.items():
        con.executemany(
            "insert into raw.commits values (?, ?, ?, ?, ?)",
            [(rt, rid, f"c{i}", json.dumps(a), t1) for i, a in enumerate(lists)],
        )
    con.execute("insert into raw.commits values ('model', 'org/alpha', 'gone', '[\"stale\"]', ?)", [t0])
    discussions = {
        ("model", "org/alpha"): ["alice", "deleted", "librarian-bot", "zed", "Alice Smith"],
        ("model", "gpt2"): ["zed"],
        ("space", "org/space1"): ["eve", "gina", "deleted"],
        ("dataset", "org/alpha"): ["dan"],
    }
    for (rt, rid), authors in discussions.items():
        con.executemany(
            "insert into raw.discussions values (?, ?, ?, ?, ?)",
            [(rt, rid, i + 1, a, t1) for i, a in enumerate(authors)],
        )
    status = {
        ("model", "org/alpha"): "ok",
        ("model", "org/beta"): "ok",
        ("model", "gpt2"): "ok",
        ("model", "alice/gamma"): "ok",
        ("model", "bob/failed"): "error",
        ("model", "bob/gated"): "gated",
        ("model", "carol/nocommits"): "ok",
        ("model", "old/unlisted"): "not_found",
        ("dataset", "org/alpha"): "ok",
        ("dataset", "dan/ds"): "ok",
        ("space", "org/space1"): "ok",
        ("space", "eve/space2"): "not_found",
    }
    for (rt, rid), st in status.items():
        d_st = "error" if rid == "alice/gamma" else st
        con.execute(
            "insert into raw.fetch_log values (?, ?, 'commits', ?, ?)", [rt, rid, st, t1 if st == "ok" else None]
        )
        con.execute(
            "insert into raw.fetch_log values (?, ?, 'discussions', ?, ?)",
            [rt, rid, d_st, t1 if d_st == "ok" else None],
        )
    return con


# (license, class, likes, downloads, discussions, starters, commits, committers, community, usage)
HAND_WORKED = {
    # bot, `system` and an author-less commit count as commits, not committers; a commit with two
    # authors credits both; the stale row of an older fetch is gone; deleted and bot discussion
    # authors are not starters; community = {alice, Alice Smith, bob, zed}
    ("model", "org/alpha"): ("mit", "permissive", 10, 100, 5, 3, 5, 3, 4, 1),
    ("model", "org/beta"): ("apache-2.0", "permissive", 0, 0, 0, 0, 2, 0, 0, 0),  # stale pair dropped
    ("model", "gpt2"): ("mit", "permissive", 5, 1000, 1, 1, 3, 1, 2, 2),  # first license tag
    ("model", "alice/gamma"): ("openrail", "restrictive", 1, 0, None, None, 1, 1, None, 0),
    ("model", "bob/failed"): ("other", "unclassified", 3, 7, None, None, None, None, None, 0),
    ("model", "bob/gated"): ("llama2", "restrictive", 2, 3, None, None, None, None, None, 0),
    ("model", "bob/never"): ("weird-license", "unclassified", 0, 0, None, None, None, None, None, 0),
    ("model", "carol/nocommits"): ("cc-by-4.0", "permissive", 0, 1, 0, 0, 0, 0, 0, 0),
    ("dataset", "org/alpha"): ("cc-by-4.0", "permissive", 2, 50, 1, 1, 2, 1, 1, None),
    ("dataset", "dan/ds"): (None, "none", 0, 0, 0, 0, 0, 0, 0, None),
    ("space", "org/space1"): ("mit", "permissive", 7, None, 3, 2, 3, 1, 2, None),
    ("space", "eve/space2"): (None, "none", 0, None, None, None, None, None, None, None),
}
HAND_COLUMNS = [
    "license",
    "license_class",
    "n_likes",
    "n_downloads",
    "n_discussions",
    "n_disc_starters",
    "n_commits",
    "n_committers",
    "n_community",
    "n_usage_spaces",
]


def test_reference_on_hand_worked_repos(tmp_path):
    with _handmade_raw(tmp_path / "hand.duckdb") as c:
        got = repo_activity(c)
        merged = repo_activity(c, {**default_rules(), "merges": {"Alice Smith": "alice"}})
    assert set(zip(got["repo_type"], got["repo_id"])) == set(HAND_WORKED)  # unlisted repo left out
    for row in got.itertuples():
        want = HAND_WORKED[(row.repo_type, row.repo_id)]
        assert tuple(nullable(getattr(row, c)) for c in HAND_COLUMNS) == want, row.repo_id
    assert got.set_index("repo_id").loc["bob/never", "fetch_status_commits"] == "not_fetched"
    alpha = merged[(merged["repo_type"] == "model") & (merged["repo_id"] == "org/alpha")].iloc[0]
    assert (alpha["n_committers"], alpha["n_disc_starters"], alpha["n_community"]) == (2, 2, 3)
