"""Shards of a crawl (`hubwh crawl --shard I/N`): which repos a run owns.

A repo `(repo_type, repo_id)` falls in shard

    I = (first 8 bytes of sha1("<repo_type>/<repo_id>" as UTF-8), read as a big-endian
         unsigned 64-bit integer)  mod  N  +  1

(docs/methods.md §13, Decision (shard of a repo)). sha1 because both Python (`hashlib`) and
DuckDB (`sha1()`) compute it the same on every platform and independently of any hash seed, so
the sweep (in Python, item by item) and the crawl's SQL (marking unlisted repos, the plan) agree;
tests/test_shard.py checks the two against each other and against digests worked out by hand. The
same repo is in the same shard for a given N on every run and machine, whatever order the Hub
lists it in. Shard I/N is the whole of shards I, I+N, I+2N, ... of kN, and 1/1 is the whole Hub
(an unsharded run).

A space's (space, model) pairs belong to the space's shard; commits, discussions and fetch_log
rows to their repo's.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from hubwh.errors import HubwhError

# The DuckDB side of the one definition above: a temporary macro every connection of the crawl
# gets (extract/warehouse.py), so SQL writes `hubwh_shard(repo_type, repo_id, n) = i`.
SQL_MACRO = (
    "CREATE OR REPLACE TEMP MACRO hubwh_shard(repo_type, repo_id, n) AS "
    "CAST(CAST('0x' || left(sha1(repo_type || '/' || repo_id), 16) AS UBIGINT) % CAST(n AS UBIGINT) AS BIGINT) + 1"
)

_SPEC = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


def repo_hash(repo_type: str, repo_id: str) -> int:
    """The repo's 64-bit shard hash (see the module docstring)."""
    digest = hashlib.sha1(f"{repo_type}/{repo_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def shard_of(repo_type: str, repo_id: str, count: int) -> int:
    """The shard (1..count) the repo falls in when the Hub is split into `count` shards."""
    return repo_hash(repo_type, repo_id) % count + 1


@dataclass(frozen=True)
class Shard:
    """Shard `index` of `count` (1 <= index <= count); Shard(1, 1) is the whole Hub."""

    index: int = 1
    count: int = 1

    def __post_init__(self):
        if not (isinstance(self.index, int) and isinstance(self.count, int) and 1 <= self.index <= self.count):
            raise HubwhError(f"--shard takes I/N with 1 <= I <= N (e.g. 1/4); got {self.index}/{self.count}")

    @classmethod
    def parse(cls, spec: str | Shard | tuple[int, int] | None) -> Shard:
        """'I/N' (or a Shard, or (I, N), or None for the whole Hub) as a Shard; anything else is
        one clear error."""
        if spec is None:
            return cls()
        if isinstance(spec, Shard):
            return spec
        if isinstance(spec, tuple) and len(spec) == 2:
            return cls(*spec)
        m = _SPEC.fullmatch(spec) if isinstance(spec, str) else None
        if m is None:
            raise HubwhError(f"--shard takes I/N with 1 <= I <= N (e.g. 1/4); got {spec!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    @property
    def is_all(self) -> bool:
        return self.count == 1

    def contains(self, repo_type: str, repo_id: str) -> bool:
        return self.is_all or shard_of(repo_type, repo_id, self.count) == self.index

    def sql(self, repo_type_sql: str, repo_id_sql: str) -> str:
        """A SQL condition true for the repos of this shard (needs SQL_MACRO on the connection);
        the arguments are SQL expressions, the numbers are this shard's own integers."""
        if self.is_all:
            return "TRUE"
        return f"hubwh_shard({repo_type_sql}, {repo_id_sql}, {int(self.count)}) = {int(self.index)}"

    @property
    def label(self) -> str:
        return f"{self.index}/{self.count}"

    def __str__(self) -> str:
        return self.label
