"""Per-repo activity: commit lists and discussion lists, API-shaped."""

from __future__ import annotations

import math
import random

from hubwh.synth import vocab
from hubwh.synth.identities import People
from hubwh.synth.sampling import Weighted, hex_id, hub_date

_TITLES = Weighted(vocab.COMMIT_TITLES)
DELETED = -1  # a commit whose author account was deleted: empty `authors`


def _title(rng: random.Random, kind: str) -> str:
    title = _TITLES.pick(rng)
    if "{" in title:
        title = title.format(n=rng.randrange(1, 60) * (500 if "step" in title else 1), f=rng.choice(vocab.FILES))
    if kind == "dataset" and title.startswith("Training"):
        title = "Upload dataset"
    return title


# Commit times (docs/snapshot-format.md, synthetic Hub): most commits come in a burst in the
# first days after creation, the rest is maintenance spread over the repo's whole life.
BURST_SHARE = 0.7
BURST_MEAN_DAYS = 1.5
MAINTENANCE_SKEW = 1.5  # > 1: maintenance thins out as a repo ages
DAY = 86_400


def commit_dates(rng: random.Random, n: int, t0: int, t_end: int) -> list[int]:
    """n increasing dates from t0 (the initial commit) up to about t_end: one uniform draw
    per commit, read as a mixture of an exponential burst after creation (BURST_SHARE of the
    commits, mean BURST_MEAN_DAYS) and a maintenance tail over the repo's life."""
    span = max(t_end - t0, 3600)
    offsets = []
    for _ in range(n - 1):
        u = rng.random()
        if u < BURST_SHARE:
            offset = -BURST_MEAN_DAYS * DAY * math.log(1.0 - u / BURST_SHARE)
        else:
            offset = span * ((u - BURST_SHARE) / (1.0 - BURST_SHARE)) ** MAINTENANCE_SKEW
        offsets.append(min(span, 1 + int(offset)))
    out = [t0]
    for d in sorted(offsets):
        out.append(max(t0 + d, out[-1] + 1))
    return out


def make_commits(
    rng: random.Random,
    people: People,
    *,
    kind: str,
    committers: list[int],
    followers: list[int] = (),
    n_total: int,
    t0: int,
    t_end: int,
    bot: str | None = None,
    deleted_share: float = 0.01,
) -> list[dict]:
    """Commit items newest first; the last is the system initial commit.

    `committers` are user indexes (the first is the main author); each appears
    as first author at least once when there are enough commits. `followers`
    only co-author (second author of one commit each). Planted alias
    spellings are used through `People.spelling` and recorded when they count.
    """
    dates = commit_dates(rng, n_total, t0, t_end)
    k = n_total - 1
    repo_use: dict[int, str] = {}
    spellings_seen: dict[int, set[str]] = {}
    # A person's author object, made once per repo (its avatar is two mix64 hashes).
    author_of: dict[int, dict] = {}
    items: list[dict] = [
        {
            "id": hex_id(rng, 40),
            "title": "initial commit",
            "message": "",
            "authors": [{"user": "system"}],
            "date": hub_date(dates[0]),
        }
    ]
    bot_slot = rng.randrange(k) if (bot and k) else -1
    n_c = len(committers)
    # Each follower co-authors one commit (as second author, never first).
    follow_at = {rng.randrange(k): f for f in followers} if (k and n_c) else {}
    for j in range(k):
        if j == bot_slot:
            items.append(
                {
                    "id": hex_id(rng, 40),
                    "title": f"{vocab.SFCONVERT_PR_TITLE} (#{rng.randrange(1, 4)})"
                    if bot == "SFconvertbot"
                    else "Sync with upstream",
                    "message": "",
                    "authors": [{"user": bot}],
                    "date": hub_date(dates[j + 1]),
                }
            )
            continue
        if not n_c or rng.random() < deleted_share:
            authors_idx = []
        elif j < n_c:
            authors_idx = [committers[j]]
        elif rng.random() < 0.6:
            authors_idx = [committers[0]]
        else:
            authors_idx = [committers[rng.randrange(n_c)]]
        if authors_idx and j in follow_at and follow_at[j] not in authors_idx:
            authors_idx.append(follow_at[j])
        elif authors_idx and n_c > 1 and rng.random() < 0.04:
            other = committers[rng.randrange(n_c)]
            if other != authors_idx[0]:
                authors_idx.append(other)
        authors = []
        for index in authors_idx:
            name = people.spelling(index, repo_use)
            spellings_seen.setdefault(index, set()).add(name)
            author = author_of.get(index)
            if author is None:
                author = author_of[index] = people.commit_author(index)
            if name != author["user"]:
                author = {"user": name}  # an alias spelling has no avatar of its own
            authors.append(author)
        message = ""
        if len(authors) > 1:
            message = (
                "".join(
                    f"\n\nCo-authored-by: {a['user']} <{a['user']}@users.noreply.huggingface.co>" for a in authors[1:]
                )
                + "\n"
            )
        items.append(
            {
                "id": hex_id(rng, 40),
                "title": _title(rng, kind),
                "message": message,
                "authors": authors,
                "date": hub_date(dates[j + 1]),
            }
        )
    for index, seen in spellings_seen.items():
        canonical = people.names[index]
        if canonical in seen:
            people.committed[index] = 1
        for name in seen:
            if name != canonical:
                people.record_alias_use(index, name, with_canonical=canonical in seen)
    items.reverse()
    return items


def make_discussions(
    rng: random.Random,
    *,
    repo_type: str,
    repo_id: str,
    n: int,
    t0: int,
    t_end: int,
    authors: list[dict | None],
    pr_titles: dict[int, str] | None = None,
) -> list[dict]:
    """Discussion items newest first (`num` descending). `authors[i]` is the
    author object of discussion i+1, or None for a deleted user (no key)."""
    span = max(t_end - t0, 3600)
    dates = sorted(t0 + int(span * rng.random() ** 0.7) for _ in range(n))
    repo = {"name": repo_id, "type": repo_type}
    items = []
    for i in range(n):
        num = i + 1
        title = (pr_titles or {}).get(i)
        is_pr = title is not None or rng.random() < 0.3
        if title is None:
            title = rng.choice(vocab.DISCUSSION_TITLES)
        item: dict = {"num": num}
        if authors[i] is not None:
            item["author"] = authors[i]
        reactions = []
        if rng.random() < 0.15:
            reactions = [
                {
                    "reaction": rng.choice(("thumbsup", "heart", "rocket", "eyes", "hugging_face")),
                    "count": rng.randrange(1, 6),
                }
            ]
        status = rng.choice(("open", "closed", "merged")) if is_pr else rng.choice(("open", "open", "closed"))
        if is_pr and rng.random() < 0.03:
            status = "draft"
        item.update(
            {
                "repo": repo,
                "title": title,
                "createdAt": hub_date(dates[i]),
                "topReactions": reactions,
                "status": status,
                "isPullRequest": is_pr,
                "numComments": rng.randrange(0, 6),
                "numReactionUsers": sum(r["count"] for r in reactions),
                "pinned": rng.random() < 0.005,
            }
        )
        items.append(item)
    items.reverse()
    return items
