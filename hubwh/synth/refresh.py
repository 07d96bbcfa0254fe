"""A later snapshot of a synthetic Hub: the same Hub some weeks on (docs/snapshot-format.md,
"A refresh of a synthetic Hub"), so a warehouse can crawl twice and record the changes
(docs/methods.md §10, `activity_changes`).

From the earlier snapshot, on a random stream of its own, over `days` days:
- every repo gains likes in proportion to its likes (a few 0-like repos get their first, a
  few lose one), 30-day downloads are drawn again around the old value, all-time downloads
  grow by the new 30-day downloads, except a few that go *down* (the Hub recounts at times);
- recent repos often get new commits (by their own developers, now and then with a new
  co-author), older ones rarely (maintenance); some repos get new discussions;
- new repos appear at the Hub's growth rate (doubling every GROWTH_DOUBLING_DAYS), cloned
  from existing ones of the same type: half by the owner of the template (a developer who
  comes back), half by a new user;
- a few repos are deleted (gone from the listing, with their commits and discussions).
What changed is added to the ground truth (`refresh`).
"""

from __future__ import annotations

import copy
import random
from pathlib import Path

from hubwh.errors import HubwhError
from hubwh.snapshot.format import REPO_TYPES, Snapshot, SnapshotWriter
from hubwh.synth import vocab
from hubwh.synth.activity import _title, commit_dates
from hubwh.synth.sampling import hex_id, hub_date, object_id, parse_date

DAY = 86_400
DEFAULT_DAYS = 35
GROWTH_DOUBLING_DAYS = 210  # the synthetic Hub's model growth (generator._created)
DELETED_SHARE = 0.01
ALL_TIME_DROP_SHARE = 0.01
RECENT_DAYS = 60
RECENT_COMMIT_SHARE = 0.3  # repos younger than RECENT_DAYS with new commits
OLD_COMMIT_SHARE = 0.04
NEW_COAUTHOR_SHARE = 0.08
SPECIAL_IDS = {m[0] for m in vocab.FAMOUS_MODELS} | set(vocab.LEGACY_MODELS) | set(vocab.LEGACY_DATASETS)


def _at_least_one(n: int, share: float) -> int:
    return 0 if n < 10 else max(1, round(n * share))


def _developers(commits: list[dict]) -> list[dict]:
    """Author objects of a repo's commits, newest first, without `system` and bots."""
    seen: dict[str, dict] = {}
    for c in commits:
        for a in c.get("authors") or ():
            user = a.get("user", "")
            if user and user != "system" and user not in vocab.COMMIT_BOTS and not user.endswith(("[bot]", "-bot")):
                seen.setdefault(user, a)
    return list(seen.values())


class Refresh:
    def __init__(self, base: Snapshot, days: int):
        self.base = base
        self.days = days
        seed = base.manifest.get("seed") or 0
        self.rng = random.Random(f"hubwh-synth-refresh:{seed}:{days}")
        self.t_base = parse_date(str(base.manifest["created_at"]))
        self.t_end = self.t_base + days * DAY
        self.commits = {(t, r): c for t, r, c in base.iter_commits()}
        self.discussions = {(t, r): d for t, r, d in base.iter_discussions()}
        self.outcomes = list(base.iter_outcomes())
        forced = {(t, r) for t, r, _ in self.outcomes}
        self.records = {t: list(base.iter_repos(t)) for t in REPO_TYPES}
        self.ids = {(t, rec["id"]) for t in REPO_TYPES for rec in self.records[t]}
        self.names = {rec.get("author") or "" for t in REPO_TYPES for rec in self.records[t]}
        self.authors: list[dict] = []  # commit author objects across the Hub (new co-authors)
        self.disc_authors: list[dict] = []
        for commits in self.commits.values():
            for a in _developers(commits):
                self.names.add(a["user"])
                self.authors.append(a)
        for discussions in self.discussions.values():
            for d in discussions:
                if "author" in d:
                    self.names.add(d["author"].get("name", ""))
                    if d["author"].get("name") not in vocab.DISCUSSION_BOTS:
                        self.disc_authors.append(d["author"])
        self.truth = {"deleted": [], "new": [], "all_time_decreased": [], "with_new_commits": 0, "new_discussions": 0}
        self.forced = forced
        self.protected = forced | {(t, i) for t in REPO_TYPES for i in SPECIAL_IDS}

    # ---- changes to an existing repo ---------------------------------------------------

    def _popularity(self, record: dict, repo_type: str, drop: bool) -> None:
        rng = self.rng
        likes = int(record.get("likes") or 0)
        if likes:
            gain = int(likes * self.days / 365 * rng.lognormvariate(0.0, 0.7) + rng.random())
            likes = max(0, likes + gain - (1 if rng.random() < 0.02 else 0))
        elif rng.random() < 0.03:
            likes = rng.randrange(1, 4)
        record["likes"] = likes
        if "downloads" in record:
            old = int(record["downloads"] or 0)
            new = (
                int(old * rng.lognormvariate(0.0, 0.5)) if old else (rng.randrange(1, 30) if rng.random() < 0.05 else 0)
            )
            record["downloads"] = new
            if "downloadsAllTime" in record:
                total = int(record["downloadsAllTime"] or 0)
                if drop:
                    record["downloadsAllTime"] = int(total * rng.uniform(0.5, 0.95))
                else:
                    record["downloadsAllTime"] = total + int(new * self.days / 30)

    def _new_commits(self, repo_type: str, record: dict, commits: list[dict], *, start: int) -> list[dict]:
        """New commits (newest first) dated after `start`, by the repo's own developers."""
        rng = self.rng
        devs = _developers(commits)
        if not devs:
            return []
        k = 1
        while k < 8 and rng.random() < 0.5:
            k += 1
        start = max(start, self.t_base) + 1
        dates = sorted(rng.randrange(start, self.t_end) for _ in range(k)) if start < self.t_end else []
        out = []
        for date in dates:
            first = devs[0] if rng.random() < 0.7 else devs[rng.randrange(len(devs))]
            authors = [first]
            if rng.random() < NEW_COAUTHOR_SHARE and self.authors:
                other = self.authors[rng.randrange(len(self.authors))]
                if other["user"] != first["user"]:
                    authors.append(other)
            message = "".join(
                f"\n\nCo-authored-by: {a['user']} <{a['user']}@users.noreply.huggingface.co>" for a in authors[1:]
            )
            out.append(
                {
                    "id": hex_id(rng, 40),
                    "title": _title(rng, repo_type),
                    "message": message + ("\n" if message else ""),
                    "authors": authors,
                    "date": hub_date(date),
                }
            )
        out.reverse()
        return out

    def _new_discussions(self, repo_type: str, repo_id: str, discussions: list[dict], start: int) -> list[dict]:
        rng = self.rng
        num = max((d["num"] for d in discussions), default=0) + 1
        author = self.disc_authors[rng.randrange(len(self.disc_authors))] if self.disc_authors else None
        item: dict = {"num": num}
        if author is not None:
            item["author"] = author
        is_pr = rng.random() < 0.3
        item.update(
            {
                "repo": {"name": repo_id, "type": repo_type},
                "title": rng.choice(vocab.DISCUSSION_TITLES),
                "createdAt": hub_date(rng.randrange(max(start, self.t_base) + 1, self.t_end)),
                "topReactions": [],
                "status": "open",
                "isPullRequest": is_pr,
                "numComments": rng.randrange(0, 4),
                "numReactionUsers": 0,
                "pinned": False,
            }
        )
        self.truth["new_discussions"] += 1
        return [item, *discussions]

    def _existing(self, writer: SnapshotWriter, repo_type: str, record: dict, drop: bool) -> None:
        rng = self.rng
        repo_id = record["id"]
        self._popularity(record, repo_type, drop)
        commits = self.commits.get((repo_type, repo_id), [])
        discussions = self.discussions.get((repo_type, repo_id), [])
        created = parse_date(record["createdAt"]) if record.get("createdAt") else self.t_base
        last = parse_date(commits[0]["date"]) if commits else created
        recent = self.t_base - max(created, last) < RECENT_DAYS * DAY
        share = RECENT_COMMIT_SHARE if recent else OLD_COMMIT_SHARE
        new = self._new_commits(repo_type, record, commits, start=last) if rng.random() < share else []
        if new:
            commits = new + commits
            self.truth["with_new_commits"] += 1
            if "sha" in record:
                record["sha"] = commits[0]["id"]
            if "lastModified" in record:
                record["lastModified"] = commits[0]["date"]
        if rng.random() < (0.1 if new else 0.01):
            discussions = self._new_discussions(repo_type, repo_id, discussions, last)
        self._write(writer, repo_type, record, commits, discussions)

    # ---- new repos -----------------------------------------------------------------------

    def _new_name(self) -> str:
        rng = self.rng
        while True:
            name = f"{rng.choice(vocab.FIRST_NAMES)}{rng.choice(vocab.LAST_NAMES)}{rng.randrange(1, 100)}"
            if name not in self.names:
                self.names.add(name)
                return name

    def _new_repo(self, writer: SnapshotWriter, repo_type: str, template: dict) -> None:
        rng = self.rng
        tid = template["id"]
        t_commits = self.commits.get((repo_type, tid), [])
        devs = _developers(t_commits)
        namespace = tid.split("/")[0] if "/" in tid else None
        if namespace and devs and rng.random() < 0.5:
            owner = devs[-1]  # the template's first developer comes back with a new repo
        else:
            namespace = self._new_name()
            owner = {"user": namespace}
        base_name = tid.split("/")[-1]
        for n in range(2, 1000):
            repo_id = f"{namespace}/{base_name[:90]}-v{n}"
            if (repo_type, repo_id) not in self.ids:
                break
        self.ids.add((repo_type, repo_id))
        created = rng.randrange(self.t_base + 1, self.t_end - 3600)
        dates = commit_dates(rng, 1 + rng.randrange(1, 5), created, self.t_end)
        commits = [
            {
                "id": hex_id(rng, 40),
                "title": "initial commit",
                "message": "",
                "authors": [{"user": "system"}],
                "date": hub_date(dates[0]),
            }
        ] + [
            {
                "id": hex_id(rng, 40),
                "title": _title(rng, repo_type),
                "message": "",
                "authors": [owner],
                "date": hub_date(d),
            }
            for d in dates[1:]
        ]
        commits.reverse()
        record = copy.deepcopy(template)
        for key in list(record):
            if key == "_id":
                record[key] = object_id(rng, created)
            elif key in ("id", "modelId"):
                record[key] = repo_id
            elif key == "author":
                record[key] = namespace
            elif key == "sha":
                record[key] = commits[0]["id"]
            elif key == "lastModified":
                record[key] = commits[0]["date"]
            elif key == "createdAt":
                record[key] = hub_date(created)
            elif key in ("likes", "trendingScore"):
                record[key] = 0 if rng.random() < 0.9 else rng.randrange(1, 5)
            elif key in ("downloads", "downloadsAllTime"):
                record[key] = 0
        if "downloads" in record:
            record["downloads"] = 0 if rng.random() < 0.6 else rng.randrange(1, 200)
            if "downloadsAllTime" in record:
                record["downloadsAllTime"] = record["downloads"]
        self.truth["new"].append([repo_type, repo_id])
        self._write(writer, repo_type, record, commits, [])

    # ---- the whole snapshot -----------------------------------------------------------------

    def _write(self, writer, repo_type, record, commits, discussions) -> None:
        writer.add_repo(repo_type, record)
        if commits:
            writer.add_commits(repo_type, record["id"], commits)
        if discussions:
            writer.add_discussions(repo_type, record["id"], discussions)

    def run(self, out: Path) -> Path:
        rng, manifest = self.rng, self.base.manifest
        params = dict(manifest.get("params") or {})
        params["refresh"] = {"base_created_at": manifest["created_at"], "days": self.days}
        created_at = hub_date(self.t_end).replace(".000Z", "Z")
        if Path(out).resolve() == self.base.path.resolve():
            raise HubwhError("a refresh must be written to another folder than its base snapshot")
        with SnapshotWriter(
            out, source="synthetic", seed=manifest.get("seed"), created_at=created_at, params=params
        ) as w:
            for repo_type in REPO_TYPES:
                records = self.records[repo_type]
                open_ = [i for i, r in enumerate(records) if (repo_type, r["id"]) not in self.protected]
                deleted = set(rng.sample(open_, min(len(open_), _at_least_one(len(records), DELETED_SHARE))))
                counted = [
                    i
                    for i, r in enumerate(records)
                    if i not in deleted
                    and (repo_type, r["id"]) not in self.forced
                    and (r.get("downloadsAllTime") or 0) > 0
                ]
                drops = set(rng.sample(counted, min(len(counted), _at_least_one(len(records), ALL_TIME_DROP_SHARE))))
                for i, record in enumerate(records):
                    if i in deleted:
                        self.truth["deleted"].append([repo_type, record["id"]])
                        continue
                    if i in drops:
                        self.truth["all_time_decreased"].append([repo_type, record["id"]])
                    self._existing(w, repo_type, record, i in drops)
                templates = [r for i, r in enumerate(records) if i not in deleted]
                n_new = round(len(records) * (2 ** (self.days / GROWTH_DOUBLING_DAYS) - 1))
                for _ in range(n_new if templates else 0):
                    self._new_repo(w, repo_type, templates[rng.randrange(len(templates))])
            gone = {tuple(d) for d in self.truth["deleted"]}
            for repo_type, repo_id, outcome in self.outcomes:
                if (repo_type, repo_id) not in gone:
                    w.add_outcome(repo_type, repo_id, outcome)
            truth = dict(self.base.ground_truth() or {})
            truth["refresh"] = self.truth | {"base_created_at": manifest["created_at"], "days": self.days}
            w.add_ground_truth(truth)
        return Path(out)


def refresh(base: str | Path, out_dir: str | Path, *, days: int = DEFAULT_DAYS) -> Path:
    """Write the snapshot of the synthetic Hub at `base`, `days` days later, to out_dir."""
    if not isinstance(days, int) or days < 1:
        raise HubwhError(f"--days must be a positive whole number of days, not {days!r}")
    snapshot = Snapshot(base)
    try:
        parse_date(str(snapshot.manifest.get("created_at")))
    except ValueError:
        raise HubwhError(f"{base}: the manifest has no created_at date to refresh from") from None
    return Refresh(snapshot, days).run(Path(out_dir))
