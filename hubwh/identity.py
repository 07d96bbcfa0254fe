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
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from hubwh.arrays import unique_sorted
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


@dataclass(frozen=True)
class _Contributions:
    """Distinct (repo, name) rows as integer codes, sorted by repo then name. Names are coded in
    their sorted order, so comparing two codes compares the names; bots, `system` and names
    that normalise to nothing are gone. Integer codes, not strings, because Hub-scale inputs
    hold tens of millions of rows (strings in pandas made this node take minutes)."""

    names: list[str]  # by code
    norms: list[str]  # normalise() of each name, computed once per distinct name
    repo: np.ndarray  # int64 per row
    name: np.ndarray  # int64 per row

    def frame(self, pairs: list[tuple[int, int, float]], columns: list[str]) -> pd.DataFrame:
        """(code, code, score) triples as a frame of names, in name order."""
        rows = [(self.names[x], self.names[y], s) for x, y, s in sorted(pairs)]
        return pd.DataFrame(rows, columns=columns)


def _contributions(contributions: pd.DataFrame, exclude: Iterable[str]) -> _Contributions:
    missing = {"repo", "name"} - set(contributions.columns)
    if missing:
        raise HubwhError(f"contributions lack column(s) {', '.join(sorted(missing))}")
    frame = contributions.loc[contributions["name"].notna(), ["repo", "name"]]
    repo = frame["repo"]  # any id of a repo: integer codes (the model's) are taken as they are
    repo_codes, _ = pd.factorize(repo if pd.api.types.is_integer_dtype(repo) else repo.astype(str))
    raw_codes, raw_names = pd.factorize(frame["name"].astype(str))
    raw_names = [str(n) for n in raw_names]
    drop = {str(n).lower() for n in exclude} | NOT_DEVELOPERS  # bots match case-insensitively
    norms = {n: normalise(n) for n in raw_names}
    names = sorted(n for n in raw_names if norms[n] != "" and n.lower() not in drop)
    code_of = {n: i for i, n in enumerate(names)}
    recode = np.array([code_of.get(n, -1) for n in raw_names], dtype=np.int64)
    name_codes = recode[raw_codes] if len(raw_codes) else np.zeros(0, dtype=np.int64)
    keep = name_codes >= 0
    width = max(len(names), 1)
    keys = unique_sorted(repo_codes[keep].astype(np.int64) * width + name_codes[keep])
    return _Contributions(names, [norms[n] for n in names], keys // width, keys % width)


def _co_contributor_pairs(c: _Contributions, threshold: float) -> list[tuple[int, int, float]]:
    """(a) as (code, code, score) with the first code smaller (see co_contributor_pairs)."""
    norms = c.norms
    hits: dict[tuple[int, int], float] = {}
    # rows are sorted by repo, so a repo's names are one run of rows (and in name order); only
    # repos with two or more names can hold a pair (most repos have one)
    starts = np.flatnonzero(np.r_[True, c.repo[1:] != c.repo[:-1]]) if len(c.repo) else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, len(c.repo)])
    for start, size in zip(starts[sizes > _LARGE_REPO].tolist(), sizes[sizes > _LARGE_REPO].tolist()):
        codes = c.name[start : start + size].tolist()
        group = [norms[i] for i in codes]
        matrix = process.cdist(
            group,
            group,
            scorer=_BULK_SCORER,
            processor=None,
            score_cutoff=threshold - _CUTOFF_SLACK,
            dtype=np.float32,
            workers=1,
        )
        for i, j in zip(*np.nonzero(np.triu(matrix, k=1))):
            score = _exact(group[i], group[j])
            if score >= threshold:
                hits[(codes[i], codes[j])] = score
    # the other repos' pairs in one self-join (a few names each, so few pairs), scored in one call
    row_size = np.repeat(sizes, sizes)
    pairable = pd.DataFrame({"repo": c.repo, "name": c.name}).loc[(row_size >= 2) & (row_size <= _LARGE_REPO)]
    pairs = pairable.merge(pairable, on="repo", suffixes=("_x", "_y"))
    x, y = pairs["name_x"].to_numpy(), pairs["name_y"].to_numpy()
    width = max(len(c.names), 1)
    keys = unique_sorted(x[x < y] * width + y[x < y])
    xs, ys = (keys // width).tolist(), (keys % width).tolist()
    norms_x, norms_y = [norms[i] for i in xs], [norms[i] for i in ys]
    scores = process.cpdist(norms_x, norms_y, scorer=_BULK_SCORER, processor=None, workers=1)
    for i in np.flatnonzero(scores >= threshold - _CUTOFF_SLACK).tolist():
        if (exact := _exact(norms_x[i], norms_y[i])) >= threshold:
            hits.setdefault((xs[i], ys[i]), exact)
    return [(x, y, s) for (x, y), s in hits.items()]


def co_contributor_pairs(
    contributions: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD, exclude: Iterable[str] = ()
) -> pd.DataFrame:
    """(a) Unordered pairs (name_x < name_y) of names that share a repo, with score >= threshold.

    contributions: columns repo, name (one row per name seen in a repo; duplicates ok)."""
    threshold = _check_threshold(threshold)
    c = _contributions(contributions, exclude)
    return c.frame(_co_contributor_pairs(c, threshold), ["name_x", "name_y", "score"])


def _real_name_pairs(names: list[str], norms: list[str], threshold: float) -> list[tuple[int, int, float]]:
    """(b) as (real-name index, username index, score) into `names` (distinct, sorted, none
    normalising to nothing; `norms` their normal forms), see real_name_pairs."""
    frame = pd.DataFrame({"code": np.arange(len(names)), "norm": norms, "len": [len(n) for n in norms]})
    space = np.array([_has_space(n) for n in names], dtype=bool)
    # usernames sorted by (length, normal form) for blocking; each distinct normal form is one
    # column of the matrix, standing for the usernames from first[j] to first[j + 1]
    users = frame.loc[~space].sort_values(["len", "norm", "code"], ignore_index=True)
    queries = frame.loc[space].sort_values(["len", "norm", "code"], ignore_index=True)
    if queries.empty or users.empty:
        return []
    user_norms = users["norm"].to_numpy()
    first = np.flatnonzero(np.r_[True, user_norms[1:] != user_norms[:-1]])
    bounds = np.r_[first, len(users)]
    col_norms = user_norms[first].tolist()
    lengths = users["len"].to_numpy()[first]
    user_codes = users["code"].tolist()
    q_codes, q_norms, q_lens = queries["code"].tolist(), queries["norm"].tolist(), queries["len"].to_numpy()
    factor = threshold / (200.0 - threshold)  # ratio >= t  =>  short/long length >= factor
    lo_of = np.searchsorted(lengths, q_lens * factor - 1e-9, side="left")
    hi_of = np.searchsorted(lengths, q_lens / factor + 1e-9, side="right")

    found: list[tuple[int, int, float]] = []
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
                for user in user_codes[bounds[lo + j] : bounds[lo + j + 1]]:
                    found.append((q_codes[start + i], user, score))
        start = stop
    return found


def real_name_pairs(names: Iterable[str], threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """(b) Pairs (real_name, username) — a name containing a space vs a name without
    one — with score >= threshold, found without scoring all pairs."""
    threshold = _check_threshold(threshold)
    norms = {n: normalise(n) for n in {str(n) for n in names if n is not None}}
    distinct = sorted(n for n, norm in norms.items() if norm != "")
    found = _real_name_pairs(distinct, [norms[n] for n in distinct], threshold)
    rows = sorted((distinct[q], distinct[u], s) for q, u, s in found)
    return pd.DataFrame(rows, columns=["real_name", "username", "score"])


def merge_candidates(
    contributions: pd.DataFrame,
    threshold: float = DEFAULT_THRESHOLD,
    exclude: Iterable[str] = (),
    accounts: Iterable[str] = (),
) -> pd.DataFrame:
    """All candidate pairs, oriented alias (name_a) -> canonical (name_b), with score
    and reason; `exclude` holds bot accounts (never candidates); `accounts` names
    known to be Hub accounts (preferred as canonical ids)."""
    threshold = _check_threshold(threshold)
    c = _contributions(contributions, exclude)
    n_repos = np.bincount(c.name, minlength=len(c.names)).tolist()
    known = {str(a) for a in accounts if a is not None}

    def rank(code: int) -> tuple:
        # the better canonical sorts first: no space, a known account, more repos, then by name
        name = c.names[code]
        return (_has_space(name), name not in known, -n_repos[code], code)

    def orient(x: int, y: int) -> tuple[int, int]:
        return (y, x) if rank(x) < rank(y) else (x, y)

    rows: dict[tuple[int, int], tuple[int, int, float, str]] = {}
    for x, y, s in _co_contributor_pairs(c, threshold):
        a, b = orient(x, y)
        rows[(min(x, y), max(x, y))] = (a, b, s, REASON_CO_CONTRIBUTORS)
    for real, user, s in _real_name_pairs(c.names, c.norms, threshold):
        rows.setdefault((min(real, user), max(real, user)), (real, user, s, REASON_REAL_NAME))
    out = pd.DataFrame(
        sorted((c.names[a], c.names[b], s, reason) for a, b, s, reason in rows.values()), columns=CANDIDATE_COLUMNS
    )
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
