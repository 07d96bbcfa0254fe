"""What a crawl covers: repo types, author, tag filter, limit, a reproducible random sample,
a shard (extract/shard.py), and which per-repo resources to fetch.

The sample is taken at the list stage, repo by repo, from a hash of (seed, repo id): the same
seed keeps the same repos on every run and machine, whatever order the Hub lists them in, and a
5 % sample costs 5 % of the per-repo calls (the list pages are still all read). The list query a
scope makes is built by the sweep (extract/sweep.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

from extract.shard import Shard
from hubwh.errors import HubwhError

REPO_TYPES = ("model", "dataset", "space")


@dataclass(frozen=True)
class Scope:
    types: tuple[str, ...] = REPO_TYPES
    author: str | None = None
    filter: tuple[str, ...] = ()
    limit: int | None = None
    sample: float | None = None
    seed: int = 0
    commits: bool = True
    discussions: bool = True
    discussions_ttl_days: float = 7.0
    shard: Shard = Shard()  # the whole Hub unless --shard I/N
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        types = tuple(self.types)
        bad = [t for t in types if t not in REPO_TYPES]
        if bad or not types:
            raise HubwhError(
                f"--types takes a comma list of {', '.join(REPO_TYPES)}; got {','.join(types) or 'nothing'}"
            )
        object.__setattr__(self, "types", tuple(t for t in REPO_TYPES if t in types))
        flt = self.filter
        if isinstance(flt, str):
            flt = (flt,)
        object.__setattr__(self, "filter", tuple(flt or ()))
        if self.limit is not None and self.limit < 1:
            raise HubwhError(f"--limit must be a positive number, not {self.limit}")
        if self.sample is not None and not (0 < self.sample <= 1):
            raise HubwhError(f"--sample must be a fraction in (0, 1], not {self.sample}")
        object.__setattr__(self, "shard", Shard.parse(self.shard))
        if self.discussions_ttl_days < 0:
            raise HubwhError("--discussions-ttl-days must not be negative")

    @property
    def is_full(self) -> bool:
        """A sweep that lists every public repo of its type (of its shard, when sharded): only
        then may a repo (of that shard) missing from it be marked unlisted."""
        return self.author is None and not self.filter and self.limit is None and self.sample is None

    def in_sample(self, repo_id: str) -> bool:
        if self.sample is None or self.sample >= 1:
            return True
        digest = hashlib.blake2b(f"{self.seed}\x00{repo_id}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64 < self.sample

    def keeps(self, repo_type: str, repo_id: str) -> bool:
        """Whether a listed repo is this run's: in its shard and in the sample."""
        return self.shard.contains(repo_type, repo_id) and self.in_sample(repo_id)

    def as_json(self) -> dict:
        d = asdict(self)
        d["shard"] = None if self.shard.is_all else self.shard.label
        d["types"] = list(self.types)
        d["filter"] = list(self.filter)
        d.pop("extra")
        return d
