"""hubwh.identity: normalisation, the two candidate sources (checked against brute
force), orientation, auto-acceptance, and real git names."""

from __future__ import annotations

import itertools
import random
import string

import pandas as pd
import pytest
from conftest import shared_path

from hubwh import identity
from hubwh.errors import HubwhError
from hubwh.identity import (
    auto_merges,
    co_contributor_pairs,
    config_flag,
    identity_candidates,
    mark_accepted,
    merge_candidates,
    normalise,
    real_name_pairs,
    similarity,
)


def contribs(*rows):
    return pd.DataFrame(rows, columns=["repo", "name"])


def test_normalise_and_similarity():
    assert normalise("Jessica Smith") == "jessicasmith"
    assert normalise("jessica_smith-42!") == "jessicasmith42"
    assert normalise("Hervé BREDIN") == "hervébredin"  # letters of any script stay
    assert normalise("...") == ""
    assert similarity("Jessica Smith", "jessica-smith") == 100.0
    assert similarity("Jessica Smith", "jessicasmit") == pytest.approx(100 * 2 * 11 / 23)  # one deletion
    assert similarity("abc", "xyz") == 0.0 and similarity("!!", "abc") == 0.0


def test_co_contributors_only_within_a_repo():
    frame = contribs(
        ("r1", "Jessica Smith"),
        ("r1", "jessicasmith"),
        ("r1", "bob"),
        ("r2", "jessica_smith"),  # similar to r1's names but never in the same repo
        ("r3", "alice"),
        ("r3", "alice1"),
        ("r3", "alice1"),
    )
    pairs = co_contributor_pairs(frame, 90)
    assert list(pairs.itertuples(index=False, name=None)) == [
        ("Jessica Smith", "jessicasmith", 100.0),
        ("alice", "alice1", pytest.approx(100 * 10 / 11)),
    ]


def test_integer_repo_codes_give_the_same_candidates_as_repo_ids():
    # the model passes each repo as an integer code (DuckDB's dense_rank); the candidates must
    # be those of the repo ids themselves
    rng = random.Random(3)
    pool = ["Jessica Smith", "jessicasmith", "jessica_smith", "bob", "bobb", "Bob B", "alice", "alice1", "carol"]
    rows = [(f"model:o/r{rng.randrange(12)}", rng.choice(pool)) for _ in range(80)]
    frame = contribs(*rows)
    coded = frame.assign(repo=frame["repo"].map({r: i + 1 for i, r in enumerate(sorted(set(frame["repo"])))}))
    assert coded["repo"].dtype.kind == "i"
    expected = merge_candidates(frame, 85, accounts=["bob"])
    assert len(expected) > 2
    pd.testing.assert_frame_equal(merge_candidates(coded, 85, accounts=["bob"]), expected)


def test_large_repos_take_the_cdist_path(monkeypatch):
    rng = random.Random(5)
    names = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, 9))) for _ in range(60)]
    names += [n + "x" for n in names[:10]] + [n.upper() + "_" for n in names[10:15]]
    frame = contribs(*[("big", n) for n in names])
    small_path = co_contributor_pairs(frame, 85)
    monkeypatch.setattr(identity, "_LARGE_REPO", 5)
    big_path = co_contributor_pairs(frame, 85)
    brute = sorted((a, b) for a, b in itertools.combinations(sorted(set(names)), 2) if similarity(a, b) >= 85)
    assert sorted(zip(small_path["name_x"], small_path["name_y"])) == brute
    assert sorted(zip(big_path["name_x"], big_path["name_y"])) == brute
    assert len(brute) >= 15


def test_real_names_match_brute_force_with_small_chunks(monkeypatch):
    rng = random.Random(11)
    first = ["john", "maria", "wei", "amir", "olga", "kenji", "fatima", "lucas"]
    last = ["bauer", "garcia", "zhang", "rahimi", "petrova", "sato", "okafor", "silva"]
    real = [f"{f.title()} {s.title()}" for f, s in itertools.product(first, last)]
    users = [f + s for f, s in itertools.product(first, last)][::3]
    users += [f[0] + s for f in first for s in last][::2]
    users += ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 14))) for _ in range(300)]
    users += [u + "1" for u in users[:20]] + ["john-bauer", "John_Bauer"]
    names = real + users
    monkeypatch.setattr(identity, "_CELLS_PER_CHUNK", 50)  # force many chunks
    found = real_name_pairs(names, 90)
    brute = sorted((r, u, similarity(r, u)) for r in real for u in set(users) if similarity(r, u) >= 90)
    assert list(found.itertuples(index=False, name=None)) == [(r, u, pytest.approx(s)) for r, u, s in brute]
    assert ("John Bauer", "John_Bauer", 100.0) in list(found.itertuples(index=False, name=None))


def test_orientation_reason_and_bots():
    frame = contribs(
        ("r1", "Jessica Smith"),
        ("r1", "jessicasmith"),  # found by both sources -> co-contributors
        ("r2", "Tom Aarsen"),
        ("r3", "tomaarsen"),  # real name only
        ("r4", "maryjones"),
        ("r4", "maryjones1"),
        ("r5", "maryjones"),  # maryjones is in more repos -> canonical
        ("r6", "dependabot[bot]"),
        ("r6", "dependabot"),  # bots are never candidates
        ("r7", "system"),
        ("r7", "systems"),
    )
    out = merge_candidates(frame, 90, exclude=["dependabot[bot]"])
    rows = {(a, b): (s, reason) for a, b, s, reason in out.itertuples(index=False)}
    assert rows[("Jessica Smith", "jessicasmith")] == (100.0, "co-contributors")
    assert rows[("Tom Aarsen", "tomaarsen")] == (100.0, "real name")
    assert ("maryjones1", "maryjones") in rows
    # a name the Hub reports as an account wins over repo counts
    flipped = merge_candidates(frame, 90, exclude=["dependabot[bot]"], accounts=["maryjones1"])
    assert ("maryjones", "maryjones1") in set(zip(flipped["name_a"], flipped["name_b"]))
    assert not any("dependabot" in a or "dependabot" in b or "system" in (a, b) for a, b in rows)
    assert len(rows) == 3


def test_auto_merges_respect_the_seed_and_never_chain():
    candidates = pd.DataFrame(
        [
            ("x", "y", 98.0),
            ("y", "z", 99.0),
            ("p", "q", 97.0),
            ("p", "r", 99.5),
            ("s", "t", 92.0),
            ("u", "v", 99.0),
            ("w", "u", 99.0),
        ],
        columns=["name_a", "name_b", "score"],
    ).assign(reason="co-contributors")
    seed = pd.DataFrame([("u", "v2")], columns=["alias", "canonical"])
    auto = auto_merges(candidates, 97, seed)
    # x -> y dropped (y is itself an alias), p -> r (best score), s -> t below the
    # threshold, u mapped by the seed, w -> u dropped (u is an alias)
    assert list(auto.itertuples(index=False, name=None)) == [("p", "r"), ("y", "z")]
    marked = mark_accepted(candidates, seed.assign(alias="v", canonical="u"), auto).set_index(["name_a", "name_b"])
    assert marked["accepted"].to_dict() == {
        ("x", "y"): False,
        ("y", "z"): True,
        ("p", "q"): False,
        ("p", "r"): True,
        ("s", "t"): False,
        ("u", "v"): True,
        ("w", "u"): False,
    }
    assert marked.loc[("u", "v"), "auto_accepted"] == False  # noqa: E712  (seed, reversed)


def test_identity_candidates_as_the_mart_builds_them():
    """What the dbt model returns: candidates without bots, accepted by the seed, and by
    auto-acceptance only when it is switched on (and never over the seed)."""
    names = contribs(
        ("model:r1", "Niels Rogge"),
        ("model:r1", "NielsRogge"),
        ("model:r1", "bot-x"),
        ("model:r1", "bot_x"),
        ("dataset:r2", "Ann Lee"),
        ("dataset:r2", "annlee"),
    )
    seed = pd.DataFrame({"alias": ["Ann Lee"], "canonical": ["annlee"]})
    off = identity_candidates(names, ["bot-x"], seed, ["NielsRogge"], threshold=90, auto_threshold=97)
    # no space wins the canonical id; both pairs score 100 (equal normal forms); bot-x is no candidate
    assert list(zip(off.name_a, off.name_b, off.score)) == [
        ("Ann Lee", "annlee", 100.0),
        ("Niels Rogge", "NielsRogge", 100.0),
    ]
    assert list(off.accepted) == [True, False] and not off.auto_accepted.any()
    on = identity_candidates(names, ["bot-x"], seed, ["NielsRogge"], threshold=90, auto_accept=True, auto_threshold=97)
    assert list(on.accepted) == [True, True] and list(on.auto_accepted) == [False, True]
    strict = identity_candidates(names, ["bot-x"], seed, [], threshold=90, auto_accept=True, auto_threshold=100.0)
    assert list(strict.auto_accepted) == [False, True]  # 100 >= 100
    assert config_flag(True) and config_flag("true") and config_flag(" On ") and config_flag(1)
    assert not config_flag(False) and not config_flag("False") and not config_flag(None) and not config_flag(0)


def test_bad_threshold_and_input():
    with pytest.raises(HubwhError, match="threshold"):
        merge_candidates(contribs(("r", "a")), 0)
    with pytest.raises(HubwhError, match="repo"):
        merge_candidates(pd.DataFrame({"name": ["a"]}))


def test_real_git_names_give_sensible_candidates():
    path = shared_path("real-data", "commits-git-2024", "model_weight_commits.csv")
    rows = pd.read_csv(path, usecols=["repo_url", "author"])
    frame = contribs(*rows.itertuples(index=False, name=None))
    out = merge_candidates(frame, 90)
    pairs = set(zip(out["name_a"], out["name_b"]))
    # git names beside the Hub usernames of the same people
    for pair in [
        ("Patrick von Platen", "patrickvonplaten"),
        ("Joao Gante", "joaogante"),
        ("Nate Raw", "nateraw"),
        ("Amy Roberts", "amyeroberts"),
        ("Dat Quoc Nguyen", "datquocnguyen"),
    ]:
        assert pair in pairs
    # 432 names: a handful of candidates, not a blow-up; each scores >= 90
    assert 5 <= len(out) <= 40
    assert (out["score"] >= 90).all()
    # no pairs of plainly different people
    assert not pairs & {("Nils Reimers", "nreimers"), ("John Bauer", "Joao Gante")}


def test_bulk_scorer_equals_token_set_ratio_on_normalised_names():
    from rapidfuzz import fuzz

    rng = random.Random(2)
    alphabet = string.ascii_lowercase[:6] + "é1"
    names = ["".join(rng.choices(alphabet, k=rng.randint(1, 12))) for _ in range(400)]
    for a, b in zip(names, names[1:] + names[:1]):
        assert fuzz.ratio(a, b) == pytest.approx(fuzz.token_set_ratio(a, b), abs=1e-9)
    assert identity._BULK_SCORER("abc", "abc") == fuzz.token_set_ratio("abc", "abc") == 100
