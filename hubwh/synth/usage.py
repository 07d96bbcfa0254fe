"""Space -> model usage (RQ3): heavy-tailed, with a few models in > 1 % of spaces.

Each model draws its usage degree when it is generated (correlated with its
likes through a shared popularity quantile); the pool of (model, slot) pairs is
then shuffled and dealt out to spaces, whose list lengths are heavy-tailed too
(most list none, a few list hundreds). A small share of listed ids are "ghosts":
models that are not in the listing (deleted, renamed or never existed).
"""

from __future__ import annotations

import random
from array import array

from hubwh.synth import vocab
from hubwh.synth.sampling import Table, hex_id

ONE_SHARE = 0.55  # used models used by exactly one space (paper: median 1)
TARGET_MEAN = 6.0  # mean usage of the generic used models; with the well-known models pinned at
# their paper shares, the mean over all used models is about 6.7 (paper §4.3.1)
LIST_ALPHA = 1.4  # tail of the number of models a space lists (a few list hundreds)


class UsagePool:
    def __init__(
        self,
        rng: random.Random,
        *,
        n_models: int,
        n_spaces: int,
        space_model_share: float,
        lists: tuple[float, ...],
        ghost_share: float = 0.02,
    ):
        self.rng = rng
        self.n_spaces = n_spaces
        self.share = space_model_share
        self.ghost_share = ghost_share
        rest = 1.0 - sum(lists)
        self.lists = Table(lists, alpha=LIST_ALPHA, cap=max(10, min(400, n_models // 8)))
        # Expected models listed per space that lists any, by summing the tail numerically.
        mean_list = sum((k + 1) * p for k, p in enumerate(lists))
        xmin = len(lists) + 1
        mean_list += (
            rest
            * sum(min(self.lists.cap, int(xmin * ((1 - (j + 0.5) / 2000) ** (-1 / LIST_ALPHA)))) for j in range(2000))
            / 2000
        )
        self.mean_list = mean_list
        self.spaces_left = n_spaces
        target = n_spaces * space_model_share * mean_list
        famous = sum(max(1, round(m[1] * n_spaces)) for m in vocab.FAMOUS_MODELS[:n_models])
        self.degree_cap = max(3, int(0.006 * n_spaces))
        self.alpha = self._tail_alpha()
        mean_degree = ONE_SHARE + (1 - ONE_SHARE) * self._tail_mean(self.alpha)
        generic = max(1, n_models - len(vocab.FAMOUS_MODELS))
        self.p_used = min(0.5, max(0.0, target - famous) / (generic * mean_degree))
        self.ids: list[str] = []
        self.degrees = array("i")
        self.slots = array("i")
        self.next_slot = 0
        self.ghosts: set[str] = set()

    def _tail_mean(self, alpha: float) -> float:
        # Degrees >= 2: X = floor(2 (1-u)^(-1/alpha)) capped; E[X] = sum of P(X >= k).
        cap = self.degree_cap
        return 2.0 + sum(min(1.0, (k / 2.0) ** -alpha) for k in range(3, cap + 1))

    def _tail_alpha(self) -> float:
        """The tail exponent that gives the paper's mean usage under this scale's cap
        (the lightest tail when even alpha = 0.3 cannot reach it: small snapshots)."""
        want = (TARGET_MEAN - ONE_SHARE) / (1 - ONE_SHARE)
        lo, hi = 0.3, 4.0
        if self._tail_mean(lo) <= want:
            return lo
        for _ in range(40):
            mid = (lo + hi) / 2
            if self._tail_mean(mid) > want:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    def model_degree(self, q: float) -> int:
        """Number of spaces that will use a model whose usage quantile is q."""
        if self.p_used <= 0 or q < 1.0 - self.p_used:
            return 0
        rest = (q - (1.0 - self.p_used)) / self.p_used
        if rest < ONE_SHARE:
            return 1
        rest = (rest - ONE_SHARE) / (1 - ONE_SHARE)
        return min(self.degree_cap, max(2, int(2 * (1.0 - rest) ** (-1.0 / self.alpha))))

    def add_model(self, model_id: str, degree: int) -> None:
        self.ids.append(model_id)
        self.degrees.append(degree)

    def freeze(self) -> None:
        """Deal the slots: every used model appears `degree` times, shuffled."""
        slots = array("i")
        for index, degree in enumerate(self.degrees):
            slots.extend([index] * degree)
        self.rng.shuffle(slots)
        self.slots = slots

    @property
    def dealt(self) -> tuple[int, int]:
        """(slots dealt to spaces, slots in the pool)."""
        return self.next_slot, len(self.slots)

    def space_models(self, rng: random.Random, people) -> list[str]:
        # The share of spaces that list models adapts to the slots left, so the pool
        # is dealt out completely (and every model gets about its degree).
        self.spaces_left -= 1
        left = len(self.slots) - self.next_slot
        share = min(0.95, left / max(1.0, (self.spaces_left + 1) * self.mean_list))
        if rng.random() >= share:
            return []
        n = self.lists.draw(rng)
        slots = self.slots
        out: list[str] = []
        seen: set[int] = set()
        while len(out) < n and self.next_slot < len(slots):
            at = self.next_slot
            index = slots[at]
            tries = 0
            # A model is listed once per space: swap a repeat with a later slot.
            while index in seen and tries < 8 and at + 1 < len(slots):
                later = rng.randrange(at + 1, len(slots))
                slots[at], slots[later] = slots[later], slots[at]
                index = slots[at]
                tries += 1
            self.next_slot += 1
            if index in seen:
                continue  # rare: the slot is lost
            seen.add(index)
            out.append(self.ids[index])
        if rng.random() < self.ghost_share * max(1, n):
            ghost = f"{people.names[rng.randrange(people.n_users)]}/{rng.choice(vocab.BASE_NAMES)}-{hex_id(rng, 6)}"
            self.ghosts.add(ghost)
            out.insert(rng.randrange(len(out) + 1), ghost)
        return out
