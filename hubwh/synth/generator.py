"""The synthetic Hub: writes a snapshot repo by repo, deterministic for a seed.

Order: models, then datasets, then spaces (which list the models they use). Only
compact state is kept between repos: the people (identities.People), the ids of
models that spaces will use, the ids of datasets, and a few popular base models.
Calibration targets and their sources are in docs/snapshot-format.md (synthetic Hub).
"""

from __future__ import annotations

import hashlib
import math
import random
from array import array
from dataclasses import asdict, dataclass
from pathlib import Path

from hubwh.snapshot.format import SnapshotWriter
from hubwh.synth import vocab
from hubwh.synth.activity import make_commits, make_discussions
from hubwh.synth.identities import People
from hubwh.synth.lineage import Deferred, Lineage
from hubwh.synth.repos import (
    DATASET_LICENSES,
    MODEL_LICENSES,
    PIPELINES,
    SDKS,
    SPACE_LICENSES,
    dataset_name,
    dataset_tags,
    model_card,
    model_library,
    model_name,
    model_tags,
    safetensors_info,
    space_name,
)
from hubwh.synth.sampling import Table, correlated, hub_date, object_id, parse_date, tail_from_quantile
from hubwh.synth.sizes import ModelSizes
from hubwh.synth.usage import UsagePool

DAY = 86_400
# The Hub stored no creation date before this; older repos all show it (docs/hub-api.md §8.3).
HUB_DATES_START = parse_date("2022-03-02T23:29:04Z")
HUB_START = parse_date("2019-01-01T00:00:00Z")
PAPER_MODELS = 348_181
FAMOUS_ORG_SHARE = 0.35  # org-owned models whose owner is a well-known org

# Commits per repo, including the system initial commit (Tables 2-4: quartiles
# 2/3/5 for models, 2/4/7 for datasets; heavy tails).
MODEL_COMMITS = (0.03, 0.27, 0.24, 0.13, 0.10, 0.06, 0.04, 0.03, 0.02, 0.015)
DATASET_COMMITS = (0.05, 0.25, 0.12, 0.12, 0.08, 0.07, 0.07, 0.04, 0.03, 0.03)
SPACE_COMMITS = (0.1, 0.22, 0.2, 0.13, 0.1, 0.06, 0.04, 0.03, 0.02, 0.02)
EXTRA_COMMITTERS = (0.80, 0.12, 0.05, 0.02)  # 1, 2, 3, 4 extra committers, then a tail
# Legacy ids that are not already among the famous models.
LEGACY = tuple(m for m in vocab.LEGACY_MODELS if m not in {f[0] for f in vocab.FAMOUS_MODELS})
SPACE_MODEL_LISTS = (0.62, 0.17, 0.08, 0.04, 0.02)  # models listed by a space that lists any
# A user's repos come in sessions (docs/methods.md §10): a repeat owner's next repo is, this often,
# created within about SESSION_DAYS of their previous one, else at an independent time (a
# developer who stopped and comes back).
SESSION_SHARE = 0.6
SESSION_DAYS = 10


@dataclass
class Params:
    models: int
    datasets: int
    spaces: int
    seed: int
    as_of: str = "2023-10-20T00:00:00Z"  # the snapshot's clock (the paper's data: Oct 2023)
    outcome_share: float = 0.01  # repos listed but private/gated/deleted when fetched
    social_share: float = 0.035  # users who collaborate (the non-isolate pool)
    alias_share: float = 0.02  # users whose commits may carry alias spellings
    org_share: float = 0.28  # model repos owned by organisations
    space_model_share: float = 0.38  # spaces that list at least one model
    ghost_model_share: float = 0.02  # space->model ids that are not listed models
    lineage: bool = True  # plant model lineage (hubwh/synth/lineage.py; its own random stream)


class SyntheticHub:
    def __init__(self, out_dir: str | Path, params: Params):
        self.out = Path(out_dir)
        self.p = params
        self.rng = random.Random(f"hubwh-synth:{params.seed}")
        self.t_end = parse_date(params.as_of)
        self.scale = max(params.models / PAPER_MODELS, 0.005)
        self.people = People(
            self.rng,
            params.seed,
            social_share=params.social_share,
            alias_share=params.alias_share,
            famous_org_repos=params.models * params.org_share * FAMOUS_ORG_SHARE,
        )
        self.active_users = array("i")  # user owner of each user-owned repo (preferential picks)
        # Time of each user's latest repo (0: none yet), drawn on a stream of its own so the
        # rest of the Hub stays the same for a seed.
        self.time_rng = random.Random(f"hubwh-synth-time:{params.seed}")
        self.owner_time = array("q")
        self.usage = UsagePool(
            self.rng,
            n_models=params.models,
            n_spaces=params.spaces,
            space_model_share=params.space_model_share,
            lists=SPACE_MODEL_LISTS,
            ghost_share=params.ghost_model_share,
        )
        self.dataset_ids: list[str] = []
        self.base_models: list[str] = [m[0] for m in vocab.FAMOUS_MODELS[:12]]
        # Taken repo ids as 64-bit digests (a few hundred MB fewer than the strings at
        # millions of repos; a digest collision only makes the generator pick another name).
        self.ids: set[int] = set()
        self.outcomes = {"private": 0, "gated": 0, "deleted": 0}
        self.lineage = (
            Lineage(params.seed, params.models, n_special=len(vocab.FAMOUS_MODELS) + len(LEGACY))
            if params.lineage
            else None
        )
        self.sizes = ModelSizes(params.seed, org_share=params.org_share)  # its own random stream
        cap = lambda paper_max: max(50, int(paper_max * min(1.0, self.scale)))  # noqa: E731
        self.model_commits = Table(MODEL_COMMITS, alpha=1.3, cap=cap(75_000))
        self.dataset_commits = Table(DATASET_COMMITS, alpha=1.05, cap=cap(60_000))
        self.space_commits = Table(SPACE_COMMITS, alpha=1.5, cap=cap(2_150))
        self.extra_committers = Table(EXTRA_COMMITTERS, alpha=2.0, cap=17)
        self.space_extra = Table(EXTRA_COMMITTERS, alpha=1.2, cap=cap(281))

    # ---- shared pieces -------------------------------------------------------------------

    def _created(self, doubling_days: float) -> int:
        """A creation time: exponential growth of the Hub up to the snapshot date."""
        rng = self.rng
        age = -math.log(1.0 - rng.random()) * doubling_days / math.log(2) * DAY
        t = self.t_end - int(age) - rng.randrange(DAY)
        if t < HUB_START:
            t = HUB_START + rng.randrange(HUB_DATES_START - HUB_START)
        return t

    def _owner_time(self, owner: int, t0: int) -> int:
        """The creation time of a user-owned repo: near the owner's previous repo
        (SESSION_SHARE of the time) or t0, an independent draw."""
        times, rng = self.owner_time, self.time_rng
        if owner >= len(times):
            times.extend([0] * (owner + 1 - len(times)))
        last = times[owner]
        if last and rng.random() < SESSION_SHARE:
            step = int(rng.expovariate(1.0 / (SESSION_DAYS * DAY)))
            t0 = last + step if rng.random() < 0.5 else last - step
            t0 = min(max(t0, HUB_START), self.t_end - 3600)
        times[owner] = t0
        return t0

    @staticmethod
    def _created_at(t: int, seconds: int = 4) -> str:
        return hub_date(t) if t >= HUB_DATES_START else f"2022-03-02T23:29:{seconds:02d}.000Z"

    def _user_owner(self, new_share: float) -> int:
        rng = self.rng
        if not self.active_users or rng.random() < new_share:
            owner = self.people.new_user()
        else:
            owner = self.active_users[rng.randrange(len(self.active_users))]
        self.active_users.append(owner)
        return owner

    def _claim(self, repo_type: str, repo_id: str) -> bool:
        """Take a repo id; False when it is already taken."""
        key = int.from_bytes(hashlib.blake2b(f"{repo_type}:{repo_id}".encode(), digest_size=8).digest(), "big")
        if key in self.ids:
            return False
        self.ids.add(key)
        return True

    def _taken(self, repo_type: str, repo_id: str) -> bool:
        key = int.from_bytes(hashlib.blake2b(f"{repo_type}:{repo_id}".encode(), digest_size=8).digest(), "big")
        return key in self.ids

    def _unique(self, repo_type: str, namespace: str | None, make) -> str:
        """A new repo id in a namespace, from a name maker."""
        for _ in range(50):
            name = make()
            repo_id = f"{namespace}/{name}" if namespace else name
            if self._claim(repo_type, repo_id):
                return repo_id
        repo_id = f"{repo_id}-{len(self.ids)}"
        self._claim(repo_type, repo_id)
        return repo_id

    def _committers(self, *, owner: int | None, org: str | None, multi_share: float, extras: Table) -> list[int]:
        rng, people = self.rng, self.people
        team = people.team(org) if org else None
        if team:
            position = int(len(team) * rng.random() ** 2)
            main = team[position]
        else:
            main = owner
            if people.social[owner]:
                multi_share = min(1.0, multi_share * 40)
        committers = [main]
        followers: list[int] = []
        if rng.random() < multi_share:
            for _ in range(extras.draw(rng)):
                u = rng.random()
                if team and len(team) > 1 and u < 0.7:
                    # Team neighbours: the same few pairs work together, not the whole team.
                    other = team[(position + 1 + int(rng.random() ** 3 * (len(team) - 1))) % len(team)]
                elif u < 0.8 and len(committers) == 1:
                    other = people.partner(main)  # the same duo, repo after repo
                elif u < 0.87:
                    other = people.staff_pick.pick(rng)
                else:
                    other = people.any_social()
                if other in committers or other in followers:
                    continue
                # Some join only as co-authors of others' commits (never first author),
                # which is what makes collaboration edges one-way (paper: reciprocity 0.83).
                (followers if rng.random() < 0.2 else committers).append(other)
        return committers, followers

    def _discussion_authors(self, n: int, owner: int | None, kind: str) -> tuple[list, dict[int, str]]:
        rng, people = self.rng, self.people
        authors: list = []
        pr_titles: dict[int, str] = {}
        for i in range(n):
            u = rng.random()
            if i == 0 and kind == "model" and u < 0.5:
                authors.append(people.bot_author("SFconvertbot"))
                pr_titles[i] = vocab.SFCONVERT_PR_TITLE
                continue
            if i == 0 and kind == "model" and u < 0.6:
                authors.append(people.bot_author("librarian-bot"))
                pr_titles[i] = vocab.LIBRARIAN_PR_TITLE
                continue
            u = rng.random()
            if u < 0.08:
                authors.append(None)  # deleted user: no `author` key
            elif u < 0.09:
                authors.append(people.bot_author(rng.choice(("dependabot[bot]", "leaderboard-bot"))))
            elif u < 0.22 and owner is not None:
                authors.append(people.discussion_author(owner))
            elif u < 0.35:
                authors.append(people.discussion_author(people.any_social()))
            elif u < 0.8 and people.n_users > 50:
                authors.append(people.discussion_author(rng.randrange(people.n_users)))
            else:
                authors.append(people.discussion_author(people.new_user(social=False)))
        return authors, pr_titles

    def _outcome(self, writer: SnapshotWriter, repo_type: str, record: dict) -> None:
        rng = self.rng
        if rng.random() >= self.p.outcome_share:
            return
        outcome = rng.choice(("private", "private", "gated", "deleted", "deleted"))
        if outcome == "gated" and record.get("gated") is False:
            record["gated"] = rng.choice(("auto", "manual"))
        writer.add_outcome(repo_type, record["id"], outcome)
        self.outcomes[outcome] += 1

    # ---- models --------------------------------------------------------------------------

    def _model(self, writer: SnapshotWriter, i: int) -> None:
        rng, people = self.rng, self.people
        special = vocab.FAMOUS_MODELS[i] if i < len(vocab.FAMOUS_MODELS) else None
        legacy_index = i - len(vocab.FAMOUS_MODELS)
        q0 = rng.random()
        owner = org = None
        if special:
            repo_id, share, likes, downloads, pipeline, library, license_id = special
            self._claim("model", repo_id)
            namespace = repo_id.split("/")[0] if "/" in repo_id else None
            org = namespace
            t0 = (
                parse_date("2019-02-18T10:36:15Z")
                if namespace is None
                else min(self.t_end - 30 * DAY, parse_date("2022-06-01T00:00:00Z") + rng.randrange(400) * DAY)
            )
            usage = max(1, round(share * self.p.spaces))
            n_disc = max(1, int(rng.randrange(20, 300) * min(1.0, self.scale * 3)))
        else:
            is_legacy = 0 <= legacy_index < len(LEGACY)
            if is_legacy:
                repo_id = LEGACY[legacy_index]
                self._claim("model", repo_id)
                namespace = None
                t0 = parse_date("2019-06-01T00:00:00Z") + rng.randrange(900) * DAY
                pipeline = (
                    "text-generation"
                    if "gpt" in repo_id or repo_id == "ctrl"
                    else "text2text-generation"
                    if repo_id.startswith("t5")
                    else "fill-mask"
                )
                library = "transformers"
            else:
                pipeline = PIPELINES.pick(rng)
                library = model_library(rng, pipeline)
                t0 = self._created(doubling_days=210)
                if rng.random() < self.p.org_share:
                    org = people.pick_org(famous_share=FAMOUS_ORG_SHARE)
                    namespace = org
                else:
                    owner = self._user_owner(new_share=0.33)
                    namespace = people.names[owner]
                    t0 = self._owner_time(owner, t0)
                repo_id = self._unique("model", namespace, lambda: model_name(rng, pipeline, library))
            license_id = None if rng.random() < 0.65 else MODEL_LICENSES.pick(rng)
            likes = tail_from_quantile(correlated(rng, q0, 0.8), 0.91, alpha=1.13, cap=10_000)
            downloads = tail_from_quantile(correlated(rng, q0, 0.7), 0.71, alpha=0.62, cap=70_000_000)
            usage = self.usage.model_degree(correlated(rng, q0, 0.8))
            n_disc = tail_from_quantile(
                correlated(rng, q0, 0.6), 0.84, alpha=1.9, cap=max(20, int(3000 * min(1, self.scale)))
            )
        author = namespace
        # Who commits: org team members, the owner, staff for legacy repos.
        if special or namespace is None:
            team_size = vocab.FAMOUS_TEAMS.get(repo_id, rng.randrange(2, 6))
            team = people.team(org) if org else list(people.staff)
            committers = [team[0]] if team else [people.staff[0]]
            followers = []
            while len(committers) < team_size:
                u = rng.random()
                cand = (
                    team[rng.randrange(len(team))]
                    if u < 0.5 and team
                    else people.staff_pick.pick(rng)
                    if u < 0.7
                    else people.any_social()
                )
                if cand not in committers:
                    committers.append(cand)
            n_total = max(self.model_commits.draw(rng), 2 * team_size + 2)
        else:
            n_total = self.model_commits.draw(rng)
            committers, followers = self._committers(
                owner=owner, org=org, multi_share=0.012 if owner is not None else 0.2, extras=self.extra_committers
            )
            if n_total > 1 and rng.random() < 0.01:
                committers, followers = [], []  # all commits by since-deleted accounts
            n_total = max(n_total, len(committers) + 1) if n_total > 1 else 1
        bot = None
        if n_total > 2 and rng.random() < 0.025:
            bot = "SFconvertbot"
        elif n_total > 2 and rng.random() < 0.005:
            bot = "model-card-bot"
        commits = make_commits(
            rng,
            people,
            kind="model",
            committers=committers,
            followers=followers,
            n_total=n_total,
            t0=t0,
            t_end=self.t_end,
            bot=bot,
            deleted_share=0.01,
        )
        last = commits[0]
        base = None
        if not special and rng.random() < 0.1 and self.base_models:
            base = self.base_models[int(len(self.base_models) * rng.random() ** 2)]
        safetensors = rng.random() < (0.25 if library in ("transformers", "diffusers") else 0.05)
        tags = model_tags(
            rng, pipeline=pipeline, library=library, license_id=license_id, base_model=base, safetensors=safetensors
        )
        card = model_card(rng, license_id=license_id, base_model=base)
        created = t0
        recent = self.t_end - created < 45 * DAY
        trending = int((likes**0.7) * rng.random()) if likes and (recent or likes > 100) else 0
        gated = False
        if namespace == "meta-llama" or rng.random() < 0.012:
            gated = "manual" if namespace == "meta-llama" or rng.random() < 0.5 else "auto"
        record: dict = {"_id": object_id(rng, max(created, HUB_DATES_START)), "id": repo_id, "modelId": repo_id}
        if author:
            record["author"] = author
        record.update(
            {
                "sha": last["id"],
                "lastModified": last["date"],
                "private": False,
                "disabled": rng.random() < 0.0002,
                "gated": gated,
            }
        )
        if pipeline:
            record["pipeline_tag"] = pipeline
        record["tags"] = tags
        record["downloads"] = downloads
        older = rng.randrange(0, 50) if rng.random() < 0.3 else 0  # downloads before the last 30 days
        record["downloadsAllTime"] = downloads * rng.randrange(1, 40) + older
        if library:
            record["library_name"] = library
        record["likes"] = likes
        record["trendingScore"] = trending
        if card is not None:
            record["cardData"] = card
        record["createdAt"] = self._created_at(created)
        if safetensors:
            total = self.sizes.total(
                pipeline=pipeline, organisation=org is not None, popularity=0.99 if special else q0
            )
            record["safetensors"] = safetensors_info(rng, pipeline, total)
        if self.lineage:
            self.lineage.plant(
                writer,
                record,
                index=i,
                base=base,
                base_models=self.base_models,
                special=special is not None,
                pipeline=pipeline,
                library=library,
            )
        self._write_repo(writer, rng, "model", record, commits, n_disc, owner, created)
        if usage:
            self.usage.add_model(repo_id, usage)
        if likes >= 50 and len(self.base_models) < 400 and "/" in repo_id:
            self.base_models.append(repo_id)

    # ---- datasets ------------------------------------------------------------------------

    def _dataset(self, writer: SnapshotWriter, i: int) -> None:
        rng, people = self.rng, self.people
        q0 = rng.random()
        owner = org = None
        if i < len(vocab.LEGACY_DATASETS):
            repo_id = vocab.LEGACY_DATASETS[i]
            self._claim("dataset", repo_id)
            namespace = None
            t0 = parse_date("2020-06-01T00:00:00Z") + rng.randrange(500) * DAY
        else:
            if rng.random() < 0.25:
                org = people.pick_org(famous_share=0.3)
                namespace = org
            else:
                owner = self._user_owner(new_share=0.35)
                namespace = people.names[owner]
            repo_id = self._unique("dataset", namespace, lambda: dataset_name(rng))
            t0 = self._created(doubling_days=190)
            if owner is not None:
                t0 = self._owner_time(owner, t0)
        license_id = None if rng.random() < 0.72 else DATASET_LICENSES.pick(rng)
        likes = tail_from_quantile(correlated(rng, q0, 0.8), 0.88, alpha=1.15, cap=4_000)
        downloads = tail_from_quantile(correlated(rng, q0, 0.7), 0.70, alpha=0.75, cap=10_000_000)
        n_disc = tail_from_quantile(
            correlated(rng, q0, 0.6), 0.91, alpha=1.6, cap=max(20, int(5000 * min(1, self.scale)))
        )
        if namespace is None:
            committers, followers = list(people.staff[:3]), []
            n_total = max(self.dataset_commits.draw(rng), 8)
        else:
            n_total = self.dataset_commits.draw(rng)
            committers, followers = self._committers(
                owner=owner, org=org, multi_share=0.03 if owner is not None else 0.15, extras=self.extra_committers
            )
            n_total = max(n_total, len(committers) + 1) if n_total > 1 else 1
        bot = None
        if n_total > 2 and rng.random() < 0.03:
            bot = rng.choice(("github-actions[bot]", "hf-sync-bot"))
        commits = make_commits(
            rng,
            people,
            kind="dataset",
            committers=committers,
            followers=followers,
            n_total=n_total,
            t0=t0,
            t_end=self.t_end,
            bot=bot,
            deleted_share=0.01,
        )
        last = commits[0]
        gated = False
        if rng.random() < 0.027:
            gated = rng.choice(("auto", "manual"))
        record: dict = {"_id": object_id(rng, max(t0, HUB_DATES_START)), "id": repo_id}
        if namespace:
            record["author"] = namespace
        record.update(
            {
                "disabled": False,
                "gated": gated,
                "lastModified": last["date"],
                "likes": likes,
                "private": False,
                "sha": last["id"],
            }
        )
        if rng.random() < 0.2:
            key = repo_id.split("/")[-1].replace("-", "_")
            record["citation"] = f"@misc{{{key},\n  title={{{repo_id}}},\n  year={{2023}}\n}}"
        if rng.random() < 0.6:
            record["description"] = (
                f"\n\t\n\t\t\n\t\tDataset Card for {repo_id.split('/')[-1]}\n\t\n\n"
                f"A dataset of {rng.choice(vocab.MODALITIES)} examples… See the full "
                f"description on the dataset page: https://huggingface.co/datasets/{repo_id}."
            )
        record["downloads"] = downloads
        record["downloadsAllTime"] = downloads * rng.randrange(1, 30)
        if rng.random() < 0.05:
            record["paperswithcode_id"] = repo_id.split("/")[-1].lower()
        record["tags"] = dataset_tags(rng, license_id)
        record["trendingScore"] = int((likes**0.7) * rng.random()) if likes > 20 else 0
        if license_id or rng.random() < 0.3:
            card: dict = {}
            if license_id:
                card["license"] = license_id if rng.random() > 0.01 else [license_id]
            elif rng.random() < 0.05:
                card["license"] = rng.choice(vocab.NONSTANDARD_LICENSES)
            record["cardData"] = card
        record["createdAt"] = self._created_at(t0, seconds=22)
        record["key"] = ""
        self._write_repo(writer, rng, "dataset", record, commits, n_disc, owner, t0)
        self.dataset_ids.append(repo_id)

    # ---- spaces --------------------------------------------------------------------------

    def _space(self, writer: SnapshotWriter, i: int) -> None:
        rng, people = self.rng, self.people
        q0 = rng.random()
        owner = org = None
        if rng.random() < 0.15:
            org = people.pick_org(famous_share=0.3)
            namespace = org
        else:
            owner = self._user_owner(new_share=0.4)
            namespace = people.names[owner]
        repo_id = self._unique("space", namespace, lambda: space_name(rng))
        t0 = self._created(doubling_days=200)
        if owner is not None:
            t0 = self._owner_time(owner, t0)
        likes = tail_from_quantile(correlated(rng, q0, 0.8), 0.86, alpha=1.05, cap=10_000)
        n_disc = tail_from_quantile(
            correlated(rng, q0, 0.7), 0.96, alpha=1.3, cap=max(20, int(2000 * min(1, self.scale)))
        )
        n_total = self.space_commits.draw(rng)
        committers, followers = self._committers(
            owner=owner, org=org, multi_share=0.05 if owner is not None else 0.3, extras=self.space_extra
        )
        n_total = max(n_total, len(committers) + 1) if n_total > 1 else 1
        bot = "github-actions[bot]" if n_total > 2 and rng.random() < 0.03 else None
        commits = make_commits(
            rng,
            people,
            kind="space",
            committers=committers,
            followers=followers,
            n_total=n_total,
            t0=t0,
            t_end=self.t_end,
            bot=bot,
            deleted_share=0.005,
        )
        last = commits[0]
        sdk = SDKS.pick(rng)
        models = self.usage.space_models(rng, people)
        datasets = []
        if self.dataset_ids and rng.random() < 0.06:
            n = len(self.dataset_ids)
            datasets = sorted({self.dataset_ids[int(n * rng.random() ** 3)] for _ in range(rng.randrange(1, 4))})
        title = repo_id.split("/")[-1].replace("-", " ").title()
        if rng.random() < 0.03:
            title = f"{rng.choice(vocab.UNICODE_WORDS).capitalize()} {title}"
        card: dict = {
            "title": title,
            "emoji": rng.choice(vocab.SPACE_EMOJIS),
            "colorFrom": rng.choice(("blue", "red", "green", "indigo", "pink", "yellow")),
            "colorTo": rng.choice(("purple", "gray", "blue", "green", "yellow")),
            "sdk": sdk,
        }
        if sdk in ("gradio", "streamlit"):
            card["app_file"] = "app.py"
        card["pinned"] = rng.random() < 0.1
        if rng.random() < 0.4:
            card["license"] = SPACE_LICENSES.pick(rng)
        if models and rng.random() < 0.8:
            card["models"] = models[:20]
        record: dict = {
            "_id": object_id(rng, max(t0, HUB_DATES_START)),
            "id": repo_id,
            "author": namespace,
            "cardData": card,
            "createdAt": self._created_at(t0, seconds=10),
            "disabled": False,
            "gated": False,
            "lastModified": last["date"],
            "likes": likes,
            "private": False,
            "sdk": sdk,
            "sha": last["id"],
            "tags": [sdk, "region:us"],
            "trendingScore": int((likes**0.7) * rng.random()) if likes > 10 else 0,
        }
        if models:
            record["models"] = models
        if datasets:
            record["datasets"] = datasets
        self._write_repo(writer, rng, "space", record, commits, n_disc, owner, t0)

    def _write_repo(self, writer, rng, repo_type: str, record: dict, commits: list, n_disc: int, owner, t0) -> None:
        """Write a repo's record, commits, forced outcome and discussions (same calls, same
        random draws, for every repo type)."""
        repo_id = record["id"]
        self._outcome(writer, repo_type, record)
        writer.add_repo(repo_type, record)
        writer.add_commits(repo_type, repo_id, commits)
        if n_disc:
            authors, prs = self._discussion_authors(n_disc, owner, repo_type)
            writer.add_discussions(
                repo_type,
                repo_id,
                make_discussions(
                    rng,
                    repo_type=repo_type,
                    repo_id=repo_id,
                    n=n_disc,
                    t0=t0,
                    t_end=self.t_end,
                    authors=authors,
                    pr_titles=prs,
                ),
            )

    # ---- the whole snapshot -----------------------------------------------------------------

    def run(self) -> Path:
        p = self.p
        params = {k: v for k, v in asdict(p).items() if k != "seed"}
        with SnapshotWriter(self.out, source="synthetic", seed=p.seed, created_at=p.as_of, params=params) as writer:
            models_writer = Deferred(writer)  # holds a planted cycle's first model until it closes
            for i in range(p.models):
                self._model(models_writer, i)
            if self.lineage:
                self.lineage.finish(models_writer)
            self.usage.freeze()
            for i in range(p.datasets):
                self._dataset(writer, i)
            for i in range(p.spaces):
                self._space(writer, i)
            writer.add_ground_truth(self.ground_truth())
        return self.out

    def ground_truth(self) -> dict:
        people = self.people
        findable = people.findable_aliases()
        truth = {
            "aliases": sorted([alias, canonical] for alias, canonical in findable.items()),
            "hard_aliases": sorted(
                [alias, canonical]
                for alias, canonical in {**people.hard_aliases, **people.used_aliases}.items()
                if alias not in findable
            ),
            "bots": sorted(set(vocab.COMMIT_BOTS) | set(vocab.DISCUSSION_BOTS)),
            "legacy_model_ids": sorted(
                [m[0] for m in vocab.FAMOUS_MODELS[: self.p.models] if "/" not in m[0]]
                + list(LEGACY[: max(0, self.p.models - len(vocab.FAMOUS_MODELS))])
            ),
            "ghost_model_ids": sorted(self.usage.ghosts),
            "outcomes": dict(self.outcomes),
            "n_users": people.n_users,
        }
        if self.lineage:
            truth["lineage"] = self.lineage.ground_truth(lambda model_id: self._taken("model", model_id))
        return truth
