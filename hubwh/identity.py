"""Identity-merge candidates (docs/methods.md §3, paper §3.4).

Several spellings of one person appear as commit or discussion authors (a git name
such as "Niels Rogge" beside the Hub username "nielsr", or "NielsRogge"). The
machine only *proposes* pairs; a person accepts them in the `identity_merges`
seed (or, opt-in, every pair at or above a threshold is accepted automatically).

Similarity: both names are normalised (lower-cased; every character that is not a
letter or digit removed, so punctuation, spaces and underscores go) and scored with
rapidfuzz's token-set ratio. After normalisation a name is a single token, so the
token-set ratio equals the plain Indel ratio (`fuzz.ratio`: 100 for equal normal
forms): the bulk scoring below calls `fuzz.ratio`, which gives the same numbers about
30 times faster (tests/test_identity.py checks the equality).

Candidates come from two sources, never from all pairs of names:
(a) "co-contributors": pairs of names that contributed (commit author or discussion
    starter) to the same repo; per-repo pairs are few, and a repo with many names is
    scored with `rapidfuzz.process.cdist` in one call;
(b) "real name": every name containing a space (a likely git name) against every
    name without one, blocked by length (a ratio >= t needs lengths within a factor
    t / (200 - t) of each other) and scored with `cdist(score_cutoff=...)` in chunks,
    so memory stays bounded at Hub scale.

Orientation: name_a is the proposed alias and name_b the proposed canonical id:
the name without a space is preferred as canonical (git names have spaces, Hub
usernames cannot); then a name known to be a Hub account (`accounts`: e.g. repo
namespaces and discussion authors, which the Hub itself reports); then the name
seen in more repos; then the alphabetically smaller one. A pair found by both
sources is reported once, with reason "co-contributors".
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from hubwh.errors import HubwhError

DEFAULT_THRESHOLD = 90.0
# token_set_ratio on single tokens (normalised names) == ratio up to rounding; ratio is
# much faster. Bulk scoring uses ratio with a cutoff a hair below the threshold, then
# every hit is re-scored with token_set_ratio itself and filtered at the threshold.
_BULK_SCORER = fuzz.ratio
_CUTOFF_SLACK = 1e-6
REASON_CO_CONTRIBUTORS = "co-contributors"
REASON_REAL_NAME = "real name"
NOT_DEVELOPERS = frozenset({"system"})  # the Hub's initial-commit author

# A repo with more names than this is scored with one cdist call instead of pairs.
_LARGE_REPO = 64
# Cells per cdist call in the real-name search (a float32 matrix: 4 bytes a cell, ~20 MB).
_CELLS_PER_CHUNK = 5_000_000

CANDIDATE_COLUMNS = ["name_a", "name_b", "score", "reason"]


def normalise(name: str) -> str:
    """Lower-case and keep letters and digits only (any script)."""
    return "".join(ch for ch in str(name).lower() if ch.isalnum())


def similarity(a: str, b: str) -> float:
    """The candidate score of two raw names (0-100)."""
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return 0.0
    return float(fuzz.token_set_ratio(na, nb, processor=None))


def _exact(norm_a: str, norm_b: str) -> float:
    """The defined score (token-set ratio) of two normalised names."""
    return float(fuzz.token_set_ratio(norm_a, norm_b, processor=None))


def _has_space(name: str) -> bool:
    return any(ch.isspace() for ch in name)


def _check_threshold(threshold: float) -> float:
    threshold = float(threshold)
    if not 0 < threshold <= 100:
        raise HubwhError(f"identity similarity threshold must be in (0, 100], got {threshold}")
    return threshold


def _normalised(names: pd.Series) -> np.ndarray:
    """normalise() of every name, computed once per distinct name (names repeat across repos)."""
    codes, uniques = pd.factorize(names)
    return np.array([normalise(u) for u in uniques.tolist()], dtype=object)[codes]


def _contributions(contributions: pd.DataFrame, exclude: Iterable[str]) -> pd.DataFrame:
    missing = {"repo", "name"} - set(contributions.columns)
    if missing:
        raise HubwhError(f"contributions lack column(s) {', '.join(sorted(missing))}")
    frame = contributions.loc[contributions["name"].notna(), ["repo", "name"]].astype(str).drop_duplicates()
    drop = {str(n).lower() for n in exclude} | NOT_DEVELOPERS  # bots match case-insensitively
    frame = frame.loc[~frame["name"].str.lower().isin(drop)]
    frame = frame.assign(norm=_normalised(frame["name"]))
    return frame.loc[frame["norm"] != ""]


def co_contributor_pairs(
    contributions: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD, exclude: Iterable[str] = ()
) -> pd.DataFrame:
    """(a) Unordered pairs (name_x < name_y) of names that share a repo, with score >= threshold.

    contributions: columns repo, name (one row per name seen in a repo; duplicates ok)."""
    threshold = _check_threshold(threshold)
    frame = _contributions(contributions, exclude)
    hits: dict[tuple[str, str], float] = {}
    # only repos with two or more names can hold a pair (most repos have one); the rows are
    # distinct (repo, name), so a repo's row count is its number of names
    size = frame.groupby("repo")["name"].transform("size")
    for _, names in frame.loc[size > _LARGE_REPO].groupby("repo", sort=False)["name"]:
        names = sorted(names.tolist())
        norms = [normalise(n) for n in names]
        matrix = process.cdist(
            norms,
            norms,
            scorer=_BULK_SCORER,
            processor=None,
            score_cutoff=threshold - _CUTOFF_SLACK,
            dtype=np.float32,
            workers=1,
        )
        for i, j in zip(*np.nonzero(np.triu(matrix, k=1))):
            score = _exact(norms[i], norms[j])
            if score >= threshold:
                hits[(names[i], names[j])] = score
    # the other repos' pairs in one self-join (a few names each, so few pairs), scored in one call
    pairable = frame.loc[(size >= 2) & (size <= _LARGE_REPO), ["repo", "name", "norm"]]
    pairs = pairable.merge(pairable, on="repo", suffixes=("_x", "_y"))
    pairs = pairs.loc[pairs["name_x"] < pairs["name_y"]].drop_duplicates(["name_x", "name_y"])
    norms_x, norms_y = pairs["norm_x"].tolist(), pairs["norm_y"].tolist()
    scores = process.cpdist(norms_x, norms_y, scorer=_BULK_SCORER, processor=None, workers=1)
    names_x, names_y = pairs["name_x"].tolist(), pairs["name_y"].tolist()
    for i in np.flatnonzero(scores >= threshold - _CUTOFF_SLACK):
        if (exact := _exact(norms_x[i], norms_y[i])) >= threshold:
            hits.setdefault((names_x[i], names_y[i]), exact)
    return pd.DataFrame([(a, b, s) for (a, b), s in sorted(hits.items())], columns=["name_x", "name_y", "score"])


def real_name_pairs(names: Iterable[str], threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """(b) Pairs (real_name, username) — a name containing a space vs a name without
    one — with score >= threshold, found without scoring all pairs."""
    threshold = _check_threshold(threshold)
    names = pd.Series(sorted({str(n) for n in names if n is not None}), dtype=object)
    frame = pd.DataFrame({"name": names, "norm": _normalised(names)})
    frame = frame.loc[frame["norm"] != ""]
    frame["len"] = frame["norm"].str.len()
    space = frame["name"].map(_has_space).astype(bool)
    # usernames sorted by (length, normal form) for blocking; each distinct normal form is one
    # column of the matrix, standing for the usernames from first[j] to first[j + 1]
    users = frame.loc[~space].sort_values(["len", "norm", "name"], ignore_index=True)
    queries = frame.loc[space].sort_values(["len", "norm", "name"], ignore_index=True)
    if queries.empty or users.empty:
        return pd.DataFrame(columns=["real_name", "username", "score"])
    user_norms = users["norm"].to_numpy()
    first = np.flatnonzero(np.r_[True, user_norms[1:] != user_norms[:-1]])
    bounds = np.r_[first, len(users)]
    col_norms = user_norms[first].tolist()
    lengths = users["len"].to_numpy()[first]
    user_names = users["name"].tolist()
    q_names, q_norms, q_lens = queries["name"].tolist(), queries["norm"].tolist(), queries["len"].to_numpy()
    factor = threshold / (200.0 - threshold)  # ratio >= t  =>  short/long length >= factor
    lo_of = np.searchsorted(lengths, q_lens * factor - 1e-9, side="left")
    hi_of = np.searchsorted(lengths, q_lens / factor + 1e-9, side="right")

    found: list[tuple[str, str, float]] = []
    start = 0
    while start < len(queries):
        lo = int(lo_of[start])
        # grow the chunk while the matrix stays within budget (queries are sorted by length)
        stop = start + 1
        while stop < len(queries) and (stop + 1 - start) * max(int(hi_of[stop]) - lo, 1) <= _CELLS_PER_CHUNK:
            stop += 1
        hi = int(hi_of[stop - 1])
        if hi > lo:
            matrix = process.cdist(
                q_norms[start:stop],
                col_norms[lo:hi],
                scorer=_BULK_SCORER,
                processor=None,
                score_cutoff=threshold - _CUTOFF_SLACK,
                dtype=np.float32,
                workers=1,
            )
            for i, j in zip(*np.nonzero(matrix)):
                score = _exact(q_norms[start + i], col_norms[lo + j])
                if score < threshold:
                    continue
                for username in user_names[bounds[lo + j] : bounds[lo + j + 1]]:
                    found.append((q_names[start + i], username, score))
        start = stop
    return pd.DataFrame(sorted(found), columns=["real_name", "username", "score"])


def merge_candidates(
    contributions: pd.DataFrame,
    threshold: float = DEFAULT_THRESHOLD,
    exclude: Iterable[str] = (),
    accounts: Iterable[str] = (),
) -> pd.DataFrame:
    """All candidate pairs, oriented alias (name_a) -> canonical (name_b), with score
    and reason; `exclude` holds bot accounts (never candidates); `accounts` names
    known to be Hub accounts (preferred as canonical ids)."""
    frame = _contributions(contributions, exclude)
    n_repos = frame.groupby("name")["repo"].nunique().to_dict()
    known = {str(a) for a in accounts if a is not None}

    def orient(x: str, y: str) -> tuple[str, str]:
        # the better canonical sorts first: no space, a known account, more repos, then by name
        kx = (_has_space(x), x not in known, -n_repos.get(x, 0), x)
        ky = (_has_space(y), y not in known, -n_repos.get(y, 0), y)
        return (y, x) if kx < ky else (x, y)

    rows: dict[frozenset, tuple[str, str, float, str]] = {}
    for x, y, s in co_contributor_pairs(frame, threshold).itertuples(index=False):
        a, b = orient(x, y)
        rows[frozenset((a, b))] = (a, b, s, REASON_CO_CONTRIBUTORS)
    for real, user, s in real_name_pairs(frame["name"].unique(), threshold).itertuples(index=False):
        rows.setdefault(frozenset((real, user)), (real, user, s, REASON_REAL_NAME))
    out = pd.DataFrame(sorted(rows.values()), columns=CANDIDATE_COLUMNS)
    out["score"] = out["score"].astype(float).round(4)
    for col in ("name_a", "name_b", "reason"):
        out[col] = out[col].astype("string")
    return out


def auto_merges(candidates: pd.DataFrame, threshold: float, seed: pd.DataFrame | None = None) -> pd.DataFrame:
    """The (alias, developer) pairs accepted automatically at score >= threshold
    (the opt-in setting). The seed wins: a name the seed maps, or that the seed uses
    as a canonical id, is never re-mapped; each alias goes to its best-scoring
    candidate (then the alphabetically first); a pair whose canonical is itself an
    alias is dropped, so merges never chain."""
    threshold = _check_threshold(threshold)
    seed_alias = set(seed["alias"]) if seed is not None and len(seed) else set()
    seed_canon = set(seed["canonical"]) if seed is not None and len(seed) else set()
    pool = candidates.loc[candidates["score"] >= threshold, ["name_a", "name_b", "score"]]
    pool = pool.loc[~pool["name_a"].isin(seed_alias | seed_canon)]
    pool = pool.sort_values(["name_a", "score", "name_b"], ascending=[True, False, True])
    pool = pool.drop_duplicates("name_a")
    aliases = seed_alias | set(pool["name_a"])
    pool = pool.loc[~pool["name_b"].isin(aliases)]
    return pool.rename(columns={"name_a": "alias", "name_b": "developer"})[["alias", "developer"]].reset_index(
        drop=True
    )


def mark_accepted(
    candidates: pd.DataFrame, seed: pd.DataFrame | None = None, auto: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Add `accepted` (the pair, in either direction, is in the seed of merges, or in
    `auto`) and `auto_accepted` (it is in `auto`)."""

    def pairs(frame, a, b):
        if frame is None or not len(frame):
            return set()
        return {frozenset((x, y)) for x, y in zip(frame[a].astype(str), frame[b].astype(str))}

    seeded, automatic = pairs(seed, "alias", "canonical"), pairs(auto, "alias", "developer")
    keys = [frozenset((a, b)) for a, b in zip(candidates["name_a"], candidates["name_b"])]
    out = candidates.copy()
    out["auto_accepted"] = pd.Series([k in automatic for k in keys], index=out.index, dtype=bool)
    out["accepted"] = pd.Series([k in seeded or k in automatic for k in keys], index=out.index, dtype=bool)
    return out


def config_flag(value) -> bool:
    """A switch as dbt hands it to a Python model (a var rendered into the YAML config:
    True, 'true', 'False', 1, ...) as a bool."""
    return str(value).strip().lower() in ("true", "1", "yes", "on")


def identity_candidates(
    contributions: pd.DataFrame,
    bots: Iterable[str],
    seed: pd.DataFrame,
    accounts: Iterable[str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    auto_accept: bool = False,
    auto_threshold: float | None = None,
) -> pd.DataFrame:
    """The rows of the mart identity_merge_candidates: the candidates (merge_candidates)
    marked accepted where the seed lists the pair or, when `auto_accept` is on, where
    auto_merges accepts it at `auto_threshold`."""
    candidates = merge_candidates(contributions, threshold, exclude=bots, accounts=accounts)
    auto = auto_merges(candidates, auto_threshold, seed) if auto_accept else None
    return mark_accepted(candidates, seed, auto)
