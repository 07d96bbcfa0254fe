"""Developers and organisations of the synthetic Hub.

Per-entity state is compact (a few lists and byte flags indexed by user number),
so millions of repos fit in memory. People are created as repos need them:
a new owner, an org team member, a discussion author.

Identity oddities planted here (the ground truth of RQ2's merging):
- a person whose username comes from their real name ("jessicasmith") may also
  commit as the git-style real name ("Jessica Smith": docs/methods.md §3 rule (b)) or
  as a case/punctuation variant ("Jessica-Smith", "jessica_smith": rule (a),
  always next to the canonical spelling in one repo);
- bots: the conversion bot SFconvertbot, librarian-bot, *[bot] and *-bot accounts.
"""

from __future__ import annotations

import random
import re
import unicodedata
from array import array

from rapidfuzz import fuzz

from hubwh.synth import vocab
from hubwh.synth.sampling import Weighted, mix64

_NORMALISE = re.compile(r"[\W_]+", re.UNICODE)


def normalise(name: str) -> str:
    """Lower-case, without punctuation and spaces (docs/methods.md §3)."""
    return _NORMALISE.sub("", name.lower())


_FOLD = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "ı": "i", "þ": "th", "Þ": "Th", "đ": "d", "Đ": "D"}
)


def ascii_fold(text: str) -> str:
    """'Sławomir' -> 'Slawomir': what a Hub username (ASCII only) makes of a real name."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in text if c.isascii() and not unicodedata.combining(c))


def findable(alias: str, canonical: str) -> bool:
    """Would docs/methods.md §3's similarity rule propose this pair (token-set ratio >= 90
    on normalised names)?"""
    return fuzz.token_set_ratio(normalise(alias), normalise(canonical)) >= 90


class People:
    """All user accounts (developers) and organisations."""

    def __init__(
        self,
        rng: random.Random,
        seed: int,
        *,
        social_share: float,
        alias_share: float,
        famous_org_repos: float = 10_000.0,
    ):
        self.rng = rng
        self.salt = seed * 0x10001
        self.social_share = social_share
        self.alias_share = alias_share
        self.names: list[str] = []
        self.fullnames: list[str] = []
        self.social = bytearray()
        self.taken: set[str] = set()  # normalised names of users and orgs
        self.social_users = array("i")  # indexes of social users (collaborators)
        # person -> (rule-b git name or None, [rule-a variants]); planted, maybe unused
        self.alias_spellings: dict[int, tuple[str | None, list[str]]] = {}
        self.used_aliases: dict[str, str] = {}  # alias -> canonical, seen in commits, findable
        self.hard_aliases: dict[str, str] = {}  # seen in commits, not findable by the rules
        self.committed = bytearray()  # 1 when the username itself authored a commit
        # Staff are not in the collaborator pool: they join repos only through `staff_pick`.
        self.staff = [self._reserve(name, social=False) for name in vocab.STAFF]
        self.staff_pick = Weighted((i, 1.0 / (r + 1) ** 1.1) for r, i in enumerate(self.staff))
        self.orgs: dict[str, list[int]] = {}  # org name -> team (user indexes)
        self.partners: dict[int, int] = {}  # social user -> usual collaborator
        for org in vocab.FAMOUS_ORGS:
            self.taken.add(normalise(org))
        self.synthetic_orgs: list[str] = []
        self.org_owner_history = array("i")  # synthetic org index per org-owned repo
        self.famous_org_pick = Weighted(vocab.FAMOUS_ORGS)
        # Expected repos per unit of famous-org weight: team sizes grow with an org's repos.
        self.repos_per_weight = famous_org_repos / sum(vocab.FAMOUS_ORGS.values())
        self._first = vocab.FIRST_NAMES
        self._last = vocab.LAST_NAMES
        self._words = vocab.WORDS

    # ---- accounts -------------------------------------------------------------------

    def _reserve(self, name: str, *, social: bool, fullname: str | None = None) -> int:
        self.taken.add(normalise(name))
        self.names.append(name)
        self.fullnames.append(fullname if fullname is not None else name)
        self.social.append(1 if social else 0)
        self.committed.append(0)
        index = len(self.names) - 1
        if social:
            self.social_users.append(index)
        return index

    def _fresh(self, candidate: str) -> str:
        rng = self.rng
        name = candidate
        while normalise(name) in self.taken or not name[0].isalnum() or not name[-1].isalnum():
            name = f"{candidate}{rng.randrange(2, 10_000)}"
        return name

    def new_user(self, *, social: bool | None = None) -> int:
        rng = self.rng
        if social is None:
            social = rng.random() < self.social_share
        first, last = rng.choice(self._first), rng.choice(self._last)
        real = f"{first.capitalize()} {last.capitalize()}"
        if rng.random() < self.alias_share * 0.15:
            # A real name outside ASCII: the username is its folding, the git name keeps the letters.
            ufirst, ulast = rng.choice(vocab.LATIN_UNICODE_NAMES)
            canonical = ascii_fold(f"{ufirst}{ulast}").replace(" ", "").lower()
            if normalise(canonical) not in self.taken:
                index = self._reserve(canonical, social=social, fullname=f"{ufirst} {ulast}")
                self.alias_spellings[index] = (f"{ufirst} {ulast}", [])
                return index
        if rng.random() < self.alias_share:
            canonical = f"{first}{last}"
            if normalise(canonical) not in self.taken:
                index = self._reserve(canonical, social=social, fullname=real)
                variants = [
                    f"{first.capitalize()}-{last.capitalize()}",
                    f"{first}_{last}",
                    f"{first.capitalize()}{last.capitalize()}",
                    f"{first}.{last}",
                ]
                rng.shuffle(variants)
                git_name = real if rng.random() < 0.6 else None
                self.alias_spellings[index] = (git_name, variants[: rng.choice((0, 1, 1, 2))])
                return index
        u = rng.random()
        if u < 0.30:
            name = f"{first}{last}" if rng.random() < 0.5 else f"{first}-{last}"
        elif u < 0.45:
            name = f"{first[0]}{last}"
        elif u < 0.60:
            name = f"{first}{rng.randrange(1, 1000)}"
        elif u < 0.72:
            name = f"{rng.choice(self._words)}{rng.choice(self._words)}"
        elif u < 0.80:
            name = f"{first.capitalize()}{last.capitalize()}"
        elif u < 0.87:
            name = f"{rng.choice(self._words)}-{rng.choice(self._words)}-{rng.randrange(1, 100)}"
        elif u < 0.92:
            name = f"{first}_{last}{rng.randrange(0, 100)}"
        elif u < 0.96:
            name = f"{rng.randrange(0, 1000)}{first}"
        else:
            name = f"{last}{first[:2]}"
        if rng.random() < 0.15:
            name = name.capitalize()
        fullname = real if rng.random() < 0.7 else name
        if rng.random() < 0.02:
            fullname = rng.choice(vocab.UNICODE_NAMES)
        return self._reserve(self._fresh(name), social=social, fullname=fullname)

    def any_social(self) -> int:
        """A collaborator: a social user, preferring early (longer active) ones."""
        pool = self.social_users
        if len(pool) < 20 or self.rng.random() < 0.1:
            return self.new_user(social=True)
        # A bias to the front: a core of prolific collaborators.
        return pool[int(len(pool) * self.rng.random() ** 1.5)]

    def partner(self, index: int) -> int:
        """The usual collaborator of a user (chosen once): most collaborations
        on the Hub are the same pair of people, repo after repo."""
        other = self.partners.get(index)
        if other is None:
            other = self.new_user(social=True) if self.rng.random() < 0.3 else self.any_social()
            if other == index:
                other = self.new_user(social=True)
            self.partners[index] = other
        return other

    # ---- organisations ----------------------------------------------------------------

    def new_org(self) -> str:
        rng = self.rng
        u = rng.random()
        w1, w2 = rng.choice(self._words), rng.choice(self._words)
        if u < 0.35:
            name = f"{w1}-{rng.choice(vocab.ORG_SUFFIXES)}"
        elif u < 0.6:
            name = f"{w1.capitalize()}{w2.capitalize()}"
        elif u < 0.8:
            name = f"{rng.choice(self._last)}-{rng.choice(vocab.ORG_SUFFIXES)}"
        else:
            name = f"{w1}{w2}-{rng.choice(vocab.ORG_SUFFIXES)}"
        name = self._fresh(name)
        self.taken.add(normalise(name))
        self.synthetic_orgs.append(name)
        return name

    def team(self, org: str) -> list[int]:
        """The org's members who commit (social users); famous orgs have bigger teams."""
        members = self.orgs.get(org)
        if members is None:
            weight = vocab.FAMOUS_ORGS.get(org)
            if weight:
                size = max(2, min(40, int((weight * self.repos_per_weight) ** 0.5)))
            else:
                size = self.rng.choice((1, 1, 1, 2, 2, 3, 4))
            members = [self.any_social() for _ in range(size)]
            self.orgs[org] = members
        return members

    def pick_org(self, famous_share: float) -> str:
        rng = self.rng
        if rng.random() < famous_share:
            return self.famous_org_pick.pick(rng)
        history = self.org_owner_history
        if not history or rng.random() < 0.3:
            self.new_org()
            index = len(self.synthetic_orgs) - 1
        else:
            index = history[rng.randrange(len(history))]  # preferential: orgs with many repos
        history.append(index)
        return self.synthetic_orgs[index]

    # ---- how a person appears in API bodies ----------------------------------------------

    def user_oid(self, index: int) -> str:
        h = mix64(index ^ self.salt)
        return format(0x5E000000 + (h >> 40) % 0x8000000, "08x") + format(mix64(h), "016x")

    def avatar(self, index: int) -> str | None:
        h = mix64(index + self.salt + 17)
        if h % 10 < 6:
            return None
        return (
            f"https://cdn-avatars.huggingface.co/v1/production/uploads/{self.user_oid(index)}/{format(h, '016x')}.jpeg"
        )

    def commit_author(self, index: int) -> dict:
        avatar = self.avatar(index)
        if avatar is None:
            return {"user": self.names[index]}
        return {"user": self.names[index], "avatar": avatar}

    def discussion_author(self, index: int) -> dict:
        h = mix64(index + self.salt + 5)
        avatar = self.avatar(index) or f"/avatars/{format(h, '016x')}{format(mix64(h), '016x')}.svg"
        return {
            "_id": self.user_oid(index),
            "avatarUrl": avatar,
            "fullname": self.fullnames[index],
            "name": self.names[index],
            "isHf": index < len(vocab.STAFF),
            "isHfAdmin": False,
            "isMod": False,
            "type": "user",
            "isPro": h % 17 == 0,
        }

    def bot_author(self, name: str) -> dict:
        """A bot's discussion author object (bots are ordinary user accounts on the Hub)."""
        h = sum(ord(c) * 131**i for i, c in enumerate(name)) & 0xFFFFFFFFFFFF
        return {
            "_id": format(0x62000000 + h % 0x1000000, "08x") + format(mix64(h), "016x"),
            "avatarUrl": f"/avatars/{format(mix64(h + 1), '016x')}.svg",
            "fullname": name,
            "name": name,
            "isHf": False,
            "isHfAdmin": False,
            "isMod": False,
            "type": "user",
        }

    def spelling(self, index: int, repo_use: dict) -> str:
        """The name a person's commit carries in one repo: usually the username,
        sometimes a planted alias (recorded in `used_aliases`). `repo_use`
        holds the repo's choice per person, so one repo mixes both spellings."""
        planted = self.alias_spellings.get(index)
        if planted is None:
            return self.names[index]
        choice = repo_use.get(index)
        if choice is None:
            git_name, variants = planted
            options = ([git_name] if git_name else []) + variants
            choice = self.rng.choice(options) if options and self.rng.random() < 0.6 else ""
            repo_use[index] = choice
        if choice and self.rng.random() < 0.6:
            return choice
        return self.names[index]

    def record_alias_use(self, index: int, alias: str, with_canonical: bool) -> None:
        git_name, _ = self.alias_spellings[index]
        canonical = self.names[index]
        # Rule (b) finds a name with a space anywhere; rule (a) only beside the canonical;
        # both only when the names are similar enough.
        if (alias == git_name or with_canonical) and findable(alias, canonical):
            self.used_aliases[alias] = canonical
        else:
            self.hard_aliases[alias] = canonical

    def findable_aliases(self) -> dict[str, str]:
        """Aliases the rules can find in the data: similar enough, and (rule b compares
        names with spaces to usernames *seen*) whose username also commits somewhere."""
        canonical_seen = {self.names[i] for i, seen in enumerate(self.committed) if seen}
        return {a: c for a, c in self.used_aliases.items() if c in canonical_seen}

    @property
    def n_users(self) -> int:
        return len(self.names)
