"""What the emulator does besides answering: the fixed-window rate limit, injected
faults and the request counters (docs/hub-api.md §6). All thread-safe."""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import Counter, deque

FAULT_KINDS = ("5xx", "429", "truncate", "drop", "cutjson")
DEFAULT_FAULTS = ("5xx", "429", "truncate", "drop")
# Endpoint kinds the counters always report (0 when unused); "other" is any
# path that is not one of the Hub endpoints.
KINDS = tuple(f"{what}:{t}" for what in ("list", "info") for t in ("model", "dataset", "space")) + (
    "commits",
    "discussions",
    "other",
)


class FixedWindow:
    """`calls` admitted per `seconds`-long window; windows start at creation."""

    def __init__(self, calls: int, seconds: float, clock=time.monotonic):
        if int(calls) < 1 or not seconds > 0:
            raise ValueError(f"rate limit needs calls >= 1 and seconds > 0, got {calls}/{seconds}")
        self.quota = int(calls)
        self.window = float(seconds)
        self._clock = clock
        self._start = clock()
        self._current = 0
        self._used = 0
        self._lock = threading.Lock()

    def take(self) -> tuple[bool, int, int]:
        """Admit one call or not: (admitted, remaining, whole seconds to the reset)."""
        with self._lock:
            now = self._clock()
            index = int((now - self._start) // self.window)
            if index != self._current:
                self._current, self._used = index, 0
            reset = self._start + (index + 1) * self.window - now
            admitted = self._used < self.quota
            if admitted:
                self._used += 1
            return admitted, self.quota - self._used, max(0, math.ceil(reset))

    @property
    def started_at(self) -> float:
        return self._start

    def policy_header(self) -> str:
        return f'"fixed window";"api";q={self.quota};w={math.ceil(self.window)}'


def parse_rate_limit(text: str) -> tuple[int, float]:
    """`CALLS/SECONDS` (e.g. `1000/300`) as on the command line."""
    try:
        calls, seconds = text.split("/")
        calls_i, seconds_f = int(calls), float(seconds)
    except ValueError:
        raise ValueError(f"--rate-limit wants CALLS/SECONDS (e.g. 1000/300), got {text!r}") from None
    if calls_i < 1 or seconds_f <= 0:
        raise ValueError(f"--rate-limit wants CALLS >= 1 and SECONDS > 0, got {text!r}")
    return calls_i, seconds_f


def _unit(*parts) -> float:
    """A uniform number in [0, 1) from the parts (stable across runs and threads)."""
    digest = hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2.0**64


class FaultInjector:
    """Decides, per request, whether to inject a fault and which.

    Deterministic from the seed and independent of thread interleaving: the
    decision for the n-th consecutive attempt at one URL is a hash of (seed, URL,
    n). Faults are transient: one URL faults at most `max_run` (default 3)
    times in a row (a 429 fault is a burst of 2-3 in a row, within max_run),
    then its next attempt succeeds, so a client retrying max_run times always
    gets through. A URL's run of faults is all of one kind.
    """

    def __init__(self, rate: float = 0.0, kinds=DEFAULT_FAULTS, seed: int = 0, retry_after: int = 1, max_run: int = 3):
        if max_run < 1:
            raise ValueError(f"max_run must be at least 1, got {max_run}")
        if not 0.0 <= float(rate) <= 1.0:
            raise ValueError(f"fault rate must be within [0, 1], got {rate}")
        kinds = tuple(kinds)
        unknown = [k for k in kinds if k not in FAULT_KINDS]
        if unknown:
            raise ValueError(f"unknown fault kind(s) {unknown}; known: {FAULT_KINDS}")
        self.rate = float(rate)
        self.kinds = kinds
        self.seed = seed
        self.retry_after = int(retry_after)
        self.max_run = max_run
        self._runs: dict[str, int] = {}  # URL -> faults in a row so far (only while faulting)
        self._lock = threading.Lock()

    def decide(self, target: str) -> str | None:
        if self.rate <= 0 or not self.kinds:
            return None
        with self._lock:
            n = self._runs.get(target, 0)
            kind = self.kinds[int(_unit(self.seed, target, "kind") * len(self.kinds))]
            if kind == "429" and n > 0:
                fault = n < min(self.max_run, 2 + int(_unit(self.seed, target, "burst") * 2))
            else:
                fault = n < self.max_run and _unit(self.seed, target, n) < self.rate
            if fault:
                self._runs[target] = n + 1
                return kind
            self._runs.pop(target, None)
            return None

    def status_5xx(self, target: str) -> int:
        n = self._runs.get(target, 1)
        return (500, 502, 503)[int(_unit(self.seed, target, "code", n) * 3)]


class Counters:
    """Requests per endpoint kind, plus `total`, `429` and `faults`, a log of
    (monotonic time, kind, status) per request (status 0: connection dropped), and a log of
    (kind, repo_type, repo_id) per request of one repo's resource (which repos a client touched)."""

    def __init__(self, log_size: int = 1_000_000):
        self._lock = threading.Lock()
        self._counts: Counter = Counter()
        self._log: deque = deque(maxlen=log_size)
        self._repos: deque = deque(maxlen=log_size)

    def record_repo(self, kind: str, repo_type: str, repo_id: str) -> None:
        with self._lock:
            self._repos.append((kind, repo_type, repo_id))

    def repo_log(self) -> list:
        with self._lock:
            return list(self._repos)

    def record(self, kind: str, status: int, *, fault: bool = False) -> None:
        now = time.monotonic()
        with self._lock:
            self._counts[kind] += 1
            self._counts["total"] += 1
            if status == 429:
                self._counts["429"] += 1
            if fault:
                self._counts["faults"] += 1
            self._log.append((now, kind, status))

    def counts(self) -> dict:
        with self._lock:
            out = dict.fromkeys(KINDS + ("total", "429", "faults"), 0)
            out.update(self._counts)
            return out

    def log(self) -> list:
        with self._lock:
            return list(self._log)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
            self._log.clear()
            self._repos.clear()
