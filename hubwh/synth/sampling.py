"""Seeded sampling helpers: weighted choice, heavy tails, ids and dates.

Everything takes an explicit `random.Random`, so one seed gives one snapshot.
"""

from __future__ import annotations

import bisect
import calendar
import itertools
import random
import time


class Weighted:
    """Weighted choice by bisection over cumulative weights (fast, seeded)."""

    __slots__ = ("values", "cum", "total")

    def __init__(self, pairs):
        pairs = list(pairs.items()) if isinstance(pairs, dict) else list(pairs)
        self.values = [v for v, _ in pairs]
        self.cum = list(itertools.accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total)]


class Table:
    """An integer distribution: explicit probabilities for 1..len(probs), then a
    Pareto tail (exponent `alpha`) above it, capped at `cap`."""

    def __init__(self, probs: tuple[float, ...], alpha: float, cap: int):
        self.cum = list(itertools.accumulate(probs))
        self.alpha = alpha
        self.cap = max(cap, len(probs) + 1)

    def draw(self, rng: random.Random, u: float | None = None) -> int:
        u = rng.random() if u is None else u
        i = bisect.bisect_right(self.cum, u)
        if i < len(self.cum):
            return i + 1
        return pareto_int(rng, self.alpha, len(self.cum) + 1, self.cap)


def pareto_int(rng: random.Random, alpha: float, xmin: int, cap: int, u: float | None = None) -> int:
    """An integer >= xmin from a Pareto tail with exponent alpha, capped."""
    u = rng.random() if u is None else u
    value = int(xmin * (1.0 - u) ** (-1.0 / alpha))
    return min(value, cap)


def tail_from_quantile(q: float, zero_share: float, alpha: float, cap: int, scale: float = 1.0) -> int:
    """0 below the zero share, else a heavy-tailed positive count from the rest
    of the quantile (so correlated quantiles give correlated counts)."""
    if q < zero_share:
        return 0
    rest = (q - zero_share) / (1.0 - zero_share)
    value = int(scale * (1.0 - rest) ** (-1.0 / alpha))
    return max(1, min(value, cap))


def correlated(rng: random.Random, base: float, strength: float) -> float:
    """A uniform quantile equal to `base` with probability `strength`, else fresh."""
    return base if rng.random() < strength else rng.random()


def hex_id(rng: random.Random, chars: int) -> str:
    """`chars` random hex digits (the digits of `format(bits, "0{chars}x")`; bytes.hex is
    about three times faster, and a synthetic Hub has tens of millions of commit ids)."""
    return rng.getrandbits(chars * 4).to_bytes((chars + 1) // 2, "big").hex()[-chars:]


def object_id(rng: random.Random, epoch: int) -> str:
    """A MongoDB ObjectId: 4 bytes of creation time, then 8 random bytes."""
    return ((epoch & 0xFFFFFFFF) << 64 | rng.getrandbits(64)).to_bytes(12, "big").hex()


def mix64(x: int) -> int:
    """splitmix64 finaliser: a fixed, well-spread hash of an integer."""
    x = (x + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


def parse_date(text: str) -> int:
    """'2023-10-20T00:00:00Z' (or with .000Z) -> epoch seconds (UTC)."""
    text = text.rstrip("Z").split(".")[0]
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%S"))


# hub_date's pieces: the date of each day met so far, and the time of day of each second
# (strftime per date was a tenth of the synthetic Hub's time; this is 2.5 times faster).
_DAY_TEXT: dict[int, str] = {}
_TIME_TEXT = [f"{h:02d}:{m:02d}:{s:02d}.000Z" for h in range(24) for m in range(60) for s in range(60)]


def hub_date(epoch: int) -> str:
    """The Hub's date shape: YYYY-MM-DDTHH:MM:SS.mmmZ (UTC)."""
    day, second = divmod(epoch, 86_400)
    text = _DAY_TEXT.get(day)
    if text is None:
        text = _DAY_TEXT[day] = time.strftime("%Y-%m-%dT", time.gmtime(epoch - second))
    return text + _TIME_TEXT[second]
