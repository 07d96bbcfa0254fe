"""A client-side rate limiter shared by every worker thread of a crawl.

The Hub counts API calls in fixed windows (`RateLimit-Policy: "fixed window";"api";q=1000;w=300`)
whose boundaries we cannot see (the `t` of `RateLimit` is in whole seconds). So:

- a log of send times lets a call go only when fewer than `calls` calls were sent in the last
  `seconds` (plus a small margin): then *any* interval of that length, and so every server
  window wherever it starts, holds at most `calls`: the budget is never exceeded;
- once the budget binds (a call had to wait), calls are also paced `seconds / calls` apart
  (a virtual schedule: a slot missed because no worker was ready may be used a little late).
  Bursts one window apart would drift against the server's windows and now and then leave one
  empty; paced calls put about `calls` into every window, so the budget is spent.
  Before it binds (a small crawl), calls go out as fast as the workers send them.

Constraints: the user's budget (`--budget CALLS/SECONDS`) and, once a response announces one,
the server's policy; a call must satisfy both, which lowers the budget to the server's when the
server's is smaller. A response saying `r=0` (nothing left in the window) or a 429 pauses every
worker until the announced reset.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping

from hubwh.errors import HubwhError


def parse_budget(text: str | None) -> tuple[int, float] | None:
    """'1000/300' -> (1000, 300.0); 'none' -> None. Raises HubwhError on anything else."""
    if text is None or text.strip().lower() in ("none", "off", "unlimited"):
        return None
    try:
        calls, seconds = text.split("/")
        budget = (int(calls), float(seconds))
    except ValueError:
        raise HubwhError(f"--budget must be CALLS/SECONDS (e.g. 1000/300) or 'none', not {text!r}") from None
    if budget[0] < 1 or budget[1] <= 0:
        raise HubwhError(f"--budget needs at least 1 call per positive number of seconds, not {text!r}")
    return budget


# Sends remembered when no budget is known yet (the server may announce one later).
_UNLIMITED_LOG = (100_000, 600.0)


def _margin(seconds: float) -> float:
    # Safety against clock skew and jitter between our send and the server's count:
    # 1 % of the window, at least 20 ms. It costs at most ~1 % of the budget.
    return max(0.01 * seconds, 0.05)


class RateLimiter:
    """Blocks `acquire()` until a call fits every budget; thread-safe."""

    def __init__(self, budget: tuple[int, float] | None, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._cond = threading.Condition()
        self._limits: dict[str, tuple[int, float]] = {}
        if budget is not None:
            self._limits["client"] = (int(budget[0]), float(budget[1]))
        self._sends: deque[float] = deque()
        self._paused_until = 0.0
        self._paced = False  # set once the budget binds
        self._next_slot = 0.0  # the paced schedule's next slot
        self.pauses = 0

    # -- what is enforced -------------------------------------------------------------
    @property
    def limits(self) -> dict[str, tuple[int, float]]:
        with self._cond:
            return dict(self._limits)

    def effective_budget(self) -> tuple[int, float] | None:
        """The tightest (calls, seconds) pair enforced, by calls per second."""
        limits = self.limits
        if not limits:
            return None
        return min(limits.values(), key=lambda cs: cs[0] / cs[1])

    # -- the gate ---------------------------------------------------------------------
    def acquire(self) -> None:
        with self._cond:
            while True:
                now = self._clock()
                wait = self._wait_time(now)
                if wait <= 0:
                    self._sends.append(now)
                    self._trim(now)
                    if self._paced:
                        spacing, calls = self._spacing()
                        # Slots missed while no worker was ready (or the GIL was busy loading)
                        # may be made up for, up to a quarter window; the cap still holds.
                        catch_up = max(4, calls // 4) * spacing
                        self._next_slot = max(self._next_slot, now - catch_up) + spacing
                    return
                if not self._paced and self._limits:
                    self._paced, self._next_slot = True, now
                self._cond.wait(timeout=wait)

    def _wait_time(self, now: float) -> float:
        wait = self._paused_until - now
        n = len(self._sends)
        for calls, seconds in self._limits.values():
            if n >= calls:
                # The call `calls` places back must leave the window before we may send.
                wait = max(wait, self._sends[n - calls] + seconds + _margin(seconds) - now)
        if self._paced:
            wait = max(wait, self._next_slot - now)
        return wait

    def _spacing(self) -> tuple[float, int]:
        """(seconds between paced calls, calls per window) of the tightest budget."""
        if not self._limits:
            return 0.0, 1
        return max(((s + _margin(s)) / c, c) for c, s in self._limits.values())

    def _trim(self, now: float) -> None:
        # Every send is logged, also before any budget is known: a policy announced by the
        # first response must count the calls already made.
        limits = list(self._limits.values()) or [_UNLIMITED_LOG]
        keep = max(c for c, _ in limits)
        horizon = max(s + _margin(s) for _, s in limits) + 1.0
        while len(self._sends) > keep or (self._sends and self._sends[0] < now - horizon):
            self._sends.popleft()

    # -- what the server says -----------------------------------------------------------
    def observe(self, headers: Mapping[str, str]) -> None:
        """Read `RateLimit` / `RateLimit-Policy` from a response."""
        from huggingface_hub.utils import parse_ratelimit_headers

        info = parse_ratelimit_headers(headers)
        if info is None:
            return
        with self._cond:
            if info.limit and info.window_seconds:
                policy = (int(info.limit), float(info.window_seconds))
                if self._limits.get("server") != policy:
                    self._limits["server"] = policy
            if info.remaining == 0 and not self._explains_exhaustion(info):
                # Someone else (another client, a previous run) spent this window.
                self._pause_locked(float(info.reset_in_seconds))

    def _explains_exhaustion(self, info) -> bool:
        # r=0 right after our own sends filled the window is expected: the send log already
        # holds the next call back until a window's worth of time has passed since the oldest.
        # Pausing on the announced reset (whole seconds, maybe rounded up) would only waste budget.
        if not (info.limit and info.window_seconds):
            return False
        now = self._clock()
        # (+1 s: the server's clock runs a latency behind ours, and `t` is whole seconds)
        since = now - info.window_seconds - _margin(info.window_seconds) - 1.0
        recent = sum(1 for t in self._sends if t >= since)
        return recent >= info.limit

    def pause(self, seconds: float) -> None:
        """Hold every worker for `seconds` (after a 429)."""
        with self._cond:
            self._pause_locked(seconds)

    def _pause_locked(self, seconds: float) -> None:
        # The announced reset is whole seconds: add a little so we do not arrive early.
        until = self._clock() + max(0.0, seconds) + 0.05
        if until > self._paused_until:
            self._paused_until = until
            self.pauses += 1
        self._cond.notify_all()
