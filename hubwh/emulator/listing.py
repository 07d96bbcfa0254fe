"""The list endpoints (`/api/models|datasets|spaces`) and the field sets shared
with the info endpoints: query parsing, filters, sort, keyset cursors, projection
(docs/hub-api.md §1, §2)."""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from hubwh.emulator.store import SORT_ALIASES, SORTS, RepoTable, Store

MAX_PAGE = 1000
DEFAULT_PAGE = 1000

# Allowed `expand` values: the union across client versions (2.4.0 plus
# `xetEnabled` from 0.36); anything else is a 400, as on the Hub.
EXPAND = {
    "model": frozenset(
        {
            "author",
            "baseModels",
            "cardData",
            "childrenModelCount",
            "config",
            "createdAt",
            "disabled",
            "downloads",
            "downloadsAllTime",
            "evalResults",
            "gated",
            "gguf",
            "inference",
            "inferenceProviderMapping",
            "lastModified",
            "library_name",
            "likes",
            "mask_token",
            "model-index",
            "pipeline_tag",
            "private",
            "resourceGroup",
            "safetensors",
            "sha",
            "siblings",
            "spaces",
            "tags",
            "transformersInfo",
            "trendingScore",
            "usedStorage",
            "widgetData",
            "xetEnabled",
        }
    ),
    "dataset": frozenset(
        {
            "author",
            "cardData",
            "citation",
            "createdAt",
            "description",
            "disabled",
            "downloads",
            "downloadsAllTime",
            "gated",
            "lastModified",
            "likes",
            "mainSize",
            "paperswithcode_id",
            "private",
            "resourceGroup",
            "sha",
            "siblings",
            "tags",
            "trendingScore",
            "usedStorage",
            "xetEnabled",
        }
    ),
    "space": frozenset(
        {
            "author",
            "cardData",
            "createdAt",
            "datasets",
            "disabled",
            "lastModified",
            "likes",
            "models",
            "private",
            "region",
            "resourceGroup",
            "runtime",
            "sdk",
            "sha",
            "siblings",
            "subdomain",
            "tags",
            "trendingScore",
            "usedStorage",
            "xetEnabled",
        }
    ),
}

# Fields of a default list item (spec §1.3). A record's key that is neither here
# nor a known non-default field is an unknown key and is served as it is.
DEFAULT_FIELDS = {
    "model": (
        "_id",
        "id",
        "likes",
        "trendingScore",
        "private",
        "downloads",
        "tags",
        "pipeline_tag",
        "library_name",
        "createdAt",
        "modelId",
    ),
    "dataset": (
        "_id",
        "id",
        "author",
        "sha",
        "lastModified",
        "private",
        "gated",
        "disabled",
        "downloads",
        "likes",
        "trendingScore",
        "tags",
        "description",
        "paperswithcode_id",
        "citation",
        "key",
        "createdAt",
    ),
    "space": ("_id", "id", "likes", "trendingScore", "private", "sdk", "tags", "createdAt"),
}
# Known fields that only the info endpoint (or expand / full) returns.
_INFO_ONLY = {
    "model": {"securityRepoStatus"},
    "dataset": set(),
    "space": {"gated", "host", "subdomain", "runtime"},
}
NON_DEFAULT = {t: (EXPAND[t] | _INFO_ONLY[t]) - set(DEFAULT_FIELDS[t]) for t in EXPAND}

# What `full=true` adds to the default set.
FULL_EXTRA = {
    "model": frozenset({"author", "gated", "lastModified", "sha", "siblings"}),
    "dataset": frozenset({"cardData", "siblings"}),
    "space": frozenset({"author", "gated", "lastModified", "sha", "siblings"}),
}
IDENTITY = {"model": ("_id", "id", "modelId"), "dataset": ("_id", "id"), "space": ("_id", "id")}

TRUE_VALUES = {"true", "1", "yes"}


class BadRequest(Exception):
    """A 400 answer with this message."""


def parse_bool(value: str | None) -> bool:
    return value is not None and value.strip().lower() in TRUE_VALUES


def expand_values(params: list[tuple[str, str]]) -> list[str]:
    """`expand` and `expand[]`, repeated or comma-separated, in order, deduplicated."""
    values: list[str] = []
    for key, value in params:
        if key in ("expand", "expand[]"):
            values += [v for v in value.split(",") if v]
    return list(dict.fromkeys(values))


def check_expand(repo_type: str, values: list[str]) -> None:
    bad = [v for v in values if v not in EXPAND[repo_type]]
    if bad:
        raise BadRequest(
            f"Invalid expand value(s) {', '.join(map(repr, bad))} for {repo_type}s; "
            f"allowed: {', '.join(sorted(EXPAND[repo_type]))}"
        )


def reduce_siblings(value):
    """Siblings as list items and info (without blobs=true) carry only `rfilename`."""
    if not isinstance(value, list):
        return value
    return [{"rfilename": s["rfilename"]} if isinstance(s, dict) and "rfilename" in s else s for s in value]


def project(record: dict, keep, *, store: Store, repo_type: str, blobs: bool = False) -> dict:
    """The record restricted to the fields `keep(name)` accepts, in record order;
    a model's derived `spaces` is appended when wanted and the record lacks it.
    Never adds a field the record does not have (other than derived `spaces`)."""
    out = {}
    for key, value in record.items():
        if keep(key):
            out[key] = value if (key != "siblings" or blobs) else reduce_siblings(value)
    if repo_type == "model" and "spaces" not in record and keep("spaces"):
        spaces = store.spaces_of_model(record["id"])
        if spaces is not None:
            out["spaces"] = spaces
    return out


def info_body(store: Store, repo_type: str, record: dict, params: list[tuple[str, str]]) -> dict:
    """`GET /api/{type}s/{id}`: the whole record, or only the expanded fields."""
    expand = expand_values(params)
    check_expand(repo_type, expand)
    blobs = parse_bool(last_param(params, "blobs"))
    if expand:
        wanted = set(expand) | set(IDENTITY[repo_type])
        return project(record, wanted.__contains__, store=store, repo_type=repo_type, blobs=blobs)
    return project(record, lambda key: True, store=store, repo_type=repo_type, blobs=blobs)


def last_param(params: list[tuple[str, str]], name: str) -> str | None:
    value = None
    for key, v in params:
        if key == name:
            value = v
    return value


def all_params(params: list[tuple[str, str]], name: str) -> list[str]:
    return [v for key, v in params if key == name]


@dataclass
class ListQuery:
    repo_type: str
    sort: str = "trendingScore"
    limit: int = DEFAULT_PAGE
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    pipeline_tag: str | None = None
    gated: bool | None = None
    linked: bool = False
    linked_models: tuple[str, ...] = ()
    linked_datasets: tuple[str, ...] = ()
    expand: list[str] = field(default_factory=list)
    full: bool = False
    card_data: bool = False
    config: bool = False
    cursor: tuple | None = None

    @classmethod
    def parse(cls, repo_type: str, params: list[tuple[str, str]], *, default_limit: int = DEFAULT_PAGE) -> ListQuery:
        q = cls(repo_type, limit=default_limit)
        sort = last_param(params, "sort")
        if sort:
            sort = SORT_ALIASES.get(sort, sort)
            if sort not in SORTS:
                raise BadRequest(f"Invalid sort {sort!r}; allowed: {', '.join(SORTS)}")
            q.sort = sort
        limit = last_param(params, "limit")
        if limit is not None:
            try:
                q.limit = int(limit)
            except ValueError:
                raise BadRequest(f"Invalid limit {limit!r}") from None
            if q.limit < 1:
                raise BadRequest(f"Invalid limit {limit!r}: must be at least 1")
            q.limit = min(q.limit, MAX_PAGE)
        # `filter=a&filter=b` and `filter=a,b` both mean: has tag a AND tag b.
        q.tags = tuple(dict.fromkeys(t for v in all_params(params, "filter") for t in v.split(",") if t))
        q.authors = tuple(dict.fromkeys(all_params(params, "author")))
        q.search = tuple(s.lower() for s in all_params(params, "search") if s)
        q.pipeline_tag = last_param(params, "pipeline_tag") or None
        gated = last_param(params, "gated")
        q.gated = None if gated is None else parse_bool(gated)
        if repo_type == "space":
            q.linked = parse_bool(last_param(params, "linked"))
            q.linked_models = tuple(dict.fromkeys(all_params(params, "models")))
            q.linked_datasets = tuple(dict.fromkeys(all_params(params, "datasets")))
        q.expand = expand_values(params)
        check_expand(repo_type, q.expand)
        q.full = parse_bool(last_param(params, "full"))
        q.card_data = parse_bool(last_param(params, "cardData"))
        q.config = parse_bool(last_param(params, "config"))
        cursor = last_param(params, "cursor")
        if cursor:
            q.cursor = decode_cursor(cursor, q.sort)
        return q

    def signature(self) -> tuple:
        return (
            self.tags,
            self.authors,
            self.search,
            self.pipeline_tag,
            self.gated,
            self.linked,
            self.linked_models,
            self.linked_datasets,
        )

    def keep(self):
        """Which record fields a list item of this query carries."""
        repo_type = self.repo_type
        if self.expand:
            wanted = set(self.expand) | set(IDENTITY[repo_type])
            return wanted.__contains__
        extra = set()
        if self.full:
            extra |= FULL_EXTRA[repo_type]
        if self.card_data:
            extra.add("cardData")
        if self.config and repo_type == "model":
            extra.add("config")
        if self.linked:
            extra |= {"models", "datasets"}
        if self.linked_models:
            extra.add("models")
        if self.linked_datasets:
            extra.add("datasets")
        hidden = NON_DEFAULT[repo_type] - extra
        return lambda key: key not in hidden


def encode_cursor(sort: str, value, index: int) -> str:
    if isinstance(value, float):
        value = None if math.isinf(value) else (int(value) if value.is_integer() else value)
    raw = json.dumps({"s": sort, "v": value, "i": index}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple:
    """The position key (value, -index) after which the next page starts."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        value, index = data["v"], int(data["i"])
        if data["s"] != sort:
            raise ValueError("cursor made for another sort")
    except (ValueError, KeyError, TypeError) as exc:
        raise BadRequest(f"Invalid cursor ({exc})") from None
    if sort == "id" or sort in ("createdAt", "lastModified"):
        value = value if isinstance(value, str) else ""
    else:
        value = -math.inf if value is None else float(value)
    return (value, -index)


def _members(store: Store, table: RepoTable, q: ListQuery):
    """The set of line indexes the filters let through (None: all of them)."""
    sets: list[set[int]] = []
    for tag in q.tags:
        sets.append(set(table.by_tag.get(tag, ())))
    for author in q.authors:
        sets.append(set(table.by_author.get(author, ())))
    if q.linked:
        used = set()
        for by_repo in store.spaces_using.values():
            for indexes in by_repo.values():
                used.update(indexes)
        sets.append(used)
    for model_id in q.linked_models:
        sets.append(set(store.spaces_using["model"].get(model_id, ())))
    for dataset_id in q.linked_datasets:
        sets.append(set(store.spaces_using["dataset"].get(dataset_id, ())))
    sets.sort(key=len)
    members: set[int] | None = None
    for s in sets:
        members = s if members is None else members & s
    scans = []
    if q.search:
        lower = table.ids_lower
        scans.append(lambda i: all(s in lower[i] for s in q.search))
    if q.pipeline_tag is not None:
        scans.append(lambda i: table.pipeline_tag[i] == q.pipeline_tag)
    if q.gated is not None:
        scans.append(lambda i: bool(table.gated[i]) == q.gated)
    if any(table.private):  # private repos never appear in (anonymous) listings
        scans.append(lambda i: not table.private[i])
    if scans:
        candidates = members if members is not None else range(len(table))
        members = {i for i in candidates if all(scan(i) for scan in scans)}
    return members


def list_page(store: Store, q: ListQuery) -> tuple[list[dict], str | None]:
    """One page of a list sweep: the items and the next cursor (None on the last page)."""
    table = store.tables[q.repo_type]
    order = table.filtered_order(q.sort, q.signature(), lambda: _members(store, table, q))
    start = 0
    if q.cursor is not None:
        # First position whose key is below the cursor's (order is descending).
        lo, hi = 0, len(order)
        while lo < hi:
            mid = (lo + hi) // 2
            if table.position_key(q.sort, order[mid]) < q.cursor:
                hi = mid
            else:
                lo = mid + 1
        start = lo
    chosen = order[start : start + q.limit]
    keep = q.keep()
    items = [project(table.record(i), keep, store=store, repo_type=q.repo_type) for i in chosen]
    next_cursor = None
    if start + q.limit < len(order) and chosen:
        last = chosen[-1]
        next_cursor = encode_cursor(q.sort, table.sort_value(q.sort, last), last)
    return items, next_cursor


def next_link(base_url: str, path: str, params: list[tuple[str, str]], cursor: str) -> str:
    """The absolute next-page URL: every original parameter, the cursor replaced."""
    kept = [(k, v) for k, v in params if k != "cursor"] + [("cursor", cursor)]
    return f"{base_url}{path}?{urlencode(kept)}"
