"""Contract tests of the Hub emulator: the real `huggingface_hub` client against
the emulator serving a small hand-made snapshot (hubwh.emulator.sample), and what
the client returns must equal what the snapshot holds.

Expectations are computed here from the snapshot's records with the spec's rules
(docs/hub-api.md §1-§5), written out independently of the emulator's code: the
field sets are spelled out below rather than imported.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from datetime import datetime

import httpx2
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import BadRequestError, GatedRepoError, HfHubHTTPError, RepositoryNotFoundError

from hubwh.emulator import Emulator, sample
from hubwh.snapshot import Snapshot

PAGE = 4  # list page size in these tests: 15 listed models -> 4 pages

MODEL_DEFAULT = {
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
}
DATASET_DEFAULT = {
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
}
SPACE_DEFAULT = {"_id", "id", "likes", "trendingScore", "private", "sdk", "tags", "createdAt"}
DEFAULTS = {"model": MODEL_DEFAULT, "dataset": DATASET_DEFAULT, "space": SPACE_DEFAULT}

# Wire key -> attribute of the client's ModelInfo / DatasetInfo / SpaceInfo.
ATTRS = {
    "_id": "_id",
    "id": "id",
    "modelId": "modelId",
    "author": "author",
    "sha": "sha",
    "lastModified": "last_modified",
    "createdAt": "created_at",
    "private": "private",
    "gated": "gated",
    "disabled": "disabled",
    "downloads": "downloads",
    "downloadsAllTime": "downloads_all_time",
    "likes": "likes",
    "trendingScore": "trending_score",
    "tags": "tags",
    "pipeline_tag": "pipeline_tag",
    "library_name": "library_name",
    "siblings": "siblings",
    "spaces": "spaces",
    "models": "models",
    "datasets": "datasets",
    "sdk": "sdk",
    "description": "description",
    "citation": "citation",
    "paperswithcode_id": "paperswithcode_id",
    "cardData": "card_data",
    "usedStorage": "used_storage",
    "safetensors": "safetensors",
    "config": "config",
    "key": "key",
    "subdomain": "subdomain",
    "transformersInfo": "transformers_info",
}


# -- the snapshot and the emulator ------------------------------------------------
@pytest.fixture(scope="module")
def snapshot_dir(tmp_path_factory):
    return sample.write_sample_hub(tmp_path_factory.mktemp("emulator") / "hub")


@pytest.fixture(scope="module")
def snap(snapshot_dir):
    s = Snapshot(snapshot_dir)
    return {
        "model": list(s.iter_repos("model")),
        "dataset": list(s.iter_repos("dataset")),
        "space": list(s.iter_repos("space")),
        "commits": {(t, i): c for t, i, c in s.iter_commits()},
        "discussions": {(t, i): d for t, i, d in s.iter_discussions()},
    }


@pytest.fixture(scope="module")
def emu(snapshot_dir):
    with Emulator(snapshot_dir, page_size=PAGE) as e:
        yield e


@pytest.fixture()
def api(emu):
    emu.reset_counts()
    return HfApi(endpoint=emu.url, token=False)


# -- expectations, from the records -----------------------------------------------
def listed(records: list[dict]) -> list[dict]:
    """What an anonymous list shows: every record but private ones."""
    return [r for r in records if r.get("private") is not True]


def sort_desc(records: list[dict], key: str) -> list[dict]:
    """Descending by key, missing values last, ties in snapshot line order."""
    present = [r for r in records if r.get(key) is not None]
    missing = [r for r in records if r.get(key) is None]
    return sorted(present, key=lambda r: r[key], reverse=True) + missing  # sorted() is stable


def spaces_using(snap, model_id: str) -> list[str]:
    return [s["id"] for s in snap["space"] if model_id in (s.get("models") or [])]


def expected_item(record: dict, fields: set[str], snap=None) -> dict:
    item = {k: v for k, v in record.items() if k in fields}
    if "siblings" in item:
        item["siblings"] = [{"rfilename": s["rfilename"]} for s in item["siblings"]]
    if "spaces" in fields and snap is not None and "spaces" not in record:
        item["spaces"] = spaces_using(snap, record["id"])
    return item


def _date(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def wire(info) -> dict:
    """The client's object back in wire form, for every tracked field it holds."""
    out = {}
    for key, attr in ATTRS.items():
        value = getattr(info, attr, None)
        if value is None:
            continue
        if key in ("createdAt", "lastModified"):
            value = _date(value)
        elif key == "siblings":
            value = [{"rfilename": s.rfilename} for s in value]
        elif key == "cardData":
            value = value.to_dict()
        elif key == "safetensors":
            value = {"parameters": value.parameters, "total": value.total}
        elif key == "transformersInfo":
            value = {k: v for k, v in vars(value).items() if v is not None}
        out[key] = value
    return out


def tracked(item: dict) -> dict:
    return {k: v for k, v in item.items() if k in ATTRS}


def assert_items(got: list, expected: list[dict]) -> None:
    assert [g.id for g in got] == [e["id"] for e in expected]
    for g, e in zip(got, expected):
        assert wire(g) == tracked(e), g.id


# -- list endpoints ---------------------------------------------------------------
def test_list_models_default_fields_order_and_pages(api, emu, snap):
    got = list(api.list_models())
    expected = [expected_item(r, MODEL_DEFAULT) for r in sort_desc(listed(snap["model"]), "trendingScore")]
    assert len(expected) == 15
    assert_items(got, expected)
    # Default items: no author, lastModified, sha (the Hub's default set)...
    assert all(g.author is None and g.last_modified is None and g.sha is None for g in got)
    # ...and pipeline_tag / library_name only where the record has them.
    bob = next(g for g in got if g.id == sample.DEFAULT_PAGE_MODEL)
    assert bob.pipeline_tag is None and bob.library_name is None
    assert emu.counts()["list:model"] == math.ceil(15 / PAGE) >= 3
    # The private record never appears; listed repos with a forced outcome do.
    ids = {g.id for g in got}
    assert sample.PRIVATE_RECORD_MODEL not in ids
    assert {sample.PRIVATE_MODEL, sample.DELETED_MODEL, sample.GATED_MODEL} <= ids


def test_list_models_full_adds_exactly_its_fields(api, snap):
    got = list(api.list_models(full=True))
    fields = MODEL_DEFAULT | {"author", "gated", "lastModified", "sha", "siblings"}
    expected = [expected_item(r, fields) for r in sort_desc(listed(snap["model"]), "trendingScore")]
    assert_items(got, expected)
    by_id = {g.id: g for g in got}
    # Never invented: a record from a default page, and the legacy id, have no author.
    assert by_id[sample.DEFAULT_PAGE_MODEL].author is None
    assert by_id[sample.DEFAULT_PAGE_MODEL].sha is None
    assert by_id[sample.LEGACY_MODEL].author is None
    # Siblings in lists carry only rfilename.
    assert [s.size for s in by_id[sample.RICH_MODEL].siblings] == [None, None, None]


def test_list_models_expand_returns_only_what_was_asked(api, snap):
    expand = ["author", "downloadsAllTime", "safetensors", "spaces", "lastModified"]
    got = list(api.list_models(expand=expand))
    fields = {"_id", "id", "modelId"} | set(expand)
    expected = [expected_item(r, fields, snap) for r in sort_desc(listed(snap["model"]), "trendingScore")]
    assert_items(got, expected)
    by_id = {g.id: g for g in got}
    assert by_id[sample.LEGACY_MODEL].spaces == ["alice/demo", "bob/app", "carol-org/chat"]
    assert by_id[sample.DEFAULT_PAGE_MODEL].author is None  # asked for, but the record has none
    assert all(g.likes is None and g.downloads is None and g.created_at is None for g in got)


def test_list_models_card_data(api, snap):
    got = list(api.list_models(cardData=True))
    expected = [
        expected_item(r, MODEL_DEFAULT | {"cardData"}) for r in sort_desc(listed(snap["model"]), "trendingScore")
    ]
    assert_items(got, expected)
    assert "ünïcödé" in {g.id: g for g in got}[sample.RICH_MODEL].card_data.to_dict()["title"]


@pytest.mark.parametrize(
    "client_sort, key",
    [
        ("likes", "likes"),
        ("downloads", "downloads"),
        ("created_at", "createdAt"),
        ("last_modified", "lastModified"),
        ("trending_score", "trendingScore"),
    ],
)
def test_list_models_sort_is_descending(api, snap, client_sort, key):
    got = list(
        api.list_models(sort=client_sort, expand=["likes", "downloads", "createdAt", "lastModified", "trendingScore"])
    )
    expected = sort_desc(listed(snap["model"]), key)
    assert [g.id for g in got] == [r["id"] for r in expected]


def test_list_models_filter_author_search(api, snap):
    models = listed(snap["model"])
    order = sort_desc(models, "trendingScore")
    # Several filters are ANDed tag matches.
    got = [m.id for m in api.list_models(filter=["transformers", "bert"])]
    assert got == [r["id"] for r in order if {"transformers", "bert"} <= set(r["tags"])]
    assert len(got) >= 3
    # author = the namespace.
    assert [m.id for m in api.list_models(author="org1")] == [r["id"] for r in order if r["id"].startswith("org1/")]
    # search: a case-insensitive substring of the id.
    assert [m.id for m in api.list_models(search="MODEL-1")] == [r["id"] for r in order if "model-1" in r["id"].lower()]
    assert [m.id for m in api.list_models(search="UEBER")] == ["jorg/uebersetzer"]
    # pipeline_tag and gated.
    assert [m.id for m in api.list_models(pipeline_tag="text-generation")] == [
        r["id"] for r in order if r.get("pipeline_tag") == "text-generation"
    ]
    assert [m.id for m in api.list_models(gated=True)] == [sample.GATED_MODEL]
    # Everything together, and a filter that matches nothing.
    assert [m.id for m in api.list_models(filter="transformers", author="alice", search="tiny")] == [sample.RICH_MODEL]
    assert list(api.list_models(filter="no-such-tag")) == []


def test_list_models_limit_is_the_page_size(api, emu, snap):
    got = list(api.list_models(limit=3))
    assert [m.id for m in got] == [r["id"] for r in sort_desc(listed(snap["model"]), "trendingScore")[:3]]
    assert emu.counts()["list:model"] == 1


def test_list_datasets(api, emu, snap):
    order = sort_desc(listed(snap["dataset"]), "trendingScore")
    got = list(api.list_datasets())
    assert_items(got, [expected_item(r, DATASET_DEFAULT) for r in order])
    assert emu.counts()["list:dataset"] == math.ceil(len(order) / PAGE)
    # Default dataset items do carry author, sha, lastModified; not cardData/siblings.
    corpus = next(g for g in got if g.id == "alice/corpus")
    assert corpus.author == "alice" and corpus.card_data is None and corpus.siblings is None
    assert next(g for g in got if g.id == "squad").author is None  # legacy id, no author
    # full adds cardData and siblings.
    assert_items(
        list(api.list_datasets(full=True)),
        [expected_item(r, DATASET_DEFAULT | {"cardData", "siblings"}) for r in order],
    )
    # expand.
    assert_items(
        list(api.list_datasets(expand=["downloadsAllTime", "likes"])),
        [expected_item(r, {"_id", "id", "downloadsAllTime", "likes"}) for r in order],
    )
    # search is sent as a list (dataset_name + search): both must match.
    assert [d.id for d in api.list_datasets(search="o", dataset_name="corp")] == ["alice/corpus"]
    assert [d.id for d in api.list_datasets(search="UNI-")] == ["bob/uni-notes"]
    # Helper arguments become filters; sort.
    assert [d.id for d in api.list_datasets(language="en")] == [r["id"] for r in order if "language:en" in r["tags"]]
    assert [d.id for d in api.list_datasets(benchmark=True)] == ["carol-org/eval"]
    assert [d.id for d in api.list_datasets(sort="likes")] == [r["id"] for r in sort_desc(order, "likes")]
    assert [d.id for d in api.list_datasets(author="carol-org")] == ["carol-org/eval"]


def test_list_spaces(api, emu, snap):
    spaces = listed(snap["space"])
    order = sort_desc(spaces, "trendingScore")
    got = list(api.list_spaces())
    assert_items(got, [expected_item(r, SPACE_DEFAULT) for r in order])
    assert all(g.models is None and g.datasets is None and g.author is None for g in got)
    assert emu.counts()["list:space"] == math.ceil(len(order) / PAGE)
    # linked: only spaces that use a model or dataset, with both fields.
    linked = [r for r in order if r.get("models") or r.get("datasets")]
    assert_items(
        list(api.list_spaces(linked=True)), [expected_item(r, SPACE_DEFAULT | {"models", "datasets"}) for r in linked]
    )
    # models= / datasets= filters, with the matching field in the items.
    users = list(api.list_spaces(models=sample.LEGACY_MODEL))
    assert [s.id for s in users] == [r["id"] for r in order if sample.LEGACY_MODEL in r.get("models", [])]
    assert all(sample.LEGACY_MODEL in s.models for s in users)
    assert [s.id for s in api.list_spaces(datasets="alice/corpus")] == ["eve/viewer"]
    # expand, sort, author, filter, search.
    assert_items(
        list(api.list_spaces(expand=["models", "author", "sdk"])),
        [expected_item(r, {"_id", "id", "models", "author", "sdk"}) for r in order],
    )
    assert [s.id for s in api.list_spaces(sort="likes")] == [r["id"] for r in sort_desc(spaces, "likes")]
    assert [s.id for s in api.list_spaces(author="bob")] == ["bob/app"]
    assert [s.id for s in api.list_spaces(filter="docker")] == ["org1/space-7"]
    assert [s.id for s in api.list_spaces(search="DEMO")] == ["alice/demo"]


def test_unknown_expand_is_a_400(api, emu):
    with pytest.raises(BadRequestError):
        list(api.list_models(expand=["likes", "bogus"]))
    with pytest.raises(HfHubHTTPError) as err:
        api.model_info(sample.RICH_MODEL, expand=["bogus"])
    assert err.value.response.status_code == 400
    assert err.value.response.headers["X-Error-Code"]
    with pytest.raises(BadRequestError):
        list(api.list_spaces(expand=["downloads"]))  # spaces have no downloads
    # The union across client versions is accepted: xetEnabled (0.36), evalResults (2.4).
    assert list(api.list_models(expand=["xetEnabled", "evalResults"], limit=1))


# -- per-repo endpoints -----------------------------------------------------------
def test_model_info_is_the_whole_record_plus_spaces(api, snap):
    records = {r["id"]: r for r in snap["model"]}
    for repo_id in (sample.RICH_MODEL, sample.LEGACY_MODEL, sample.DEFAULT_PAGE_MODEL, "jorg/uebersetzer"):
        info = api.model_info(repo_id)
        expected = expected_item(records[repo_id], set(records[repo_id]) | {"spaces"}, snap)
        assert wire(info) == tracked(expected)
    assert api.model_info(sample.LEGACY_MODEL).spaces == ["alice/demo", "bob/app", "carol-org/chat"]
    assert api.model_info(sample.RICH_MODEL).spaces == ["alice/demo", "org0/space-6"]
    assert api.model_info(sample.DEFAULT_PAGE_MODEL).author is None
    # A revision path (percent-encoded slash) answers the same record.
    assert api.model_info(sample.RICH_MODEL, revision="refs/pr/1").sha == records[sample.RICH_MODEL]["sha"]
    # expand on info: only those fields.
    info = api.model_info(sample.RICH_MODEL, expand=["likes", "spaces"])
    assert wire(info) == {
        "_id": records[sample.RICH_MODEL]["_id"],
        "id": sample.RICH_MODEL,
        "modelId": sample.RICH_MODEL,
        "likes": 7,
        "spaces": ["alice/demo", "org0/space-6"],
    }


def test_dataset_and_space_info(api, snap):
    for record in listed(snap["dataset"]):
        assert wire(api.dataset_info(record["id"])) == tracked(expected_item(record, set(record)))
    for record in listed(snap["space"]):
        info = api.space_info(record["id"])
        assert wire(info) == tracked(expected_item(record, set(record)))
        assert info.runtime.stage == "RUNNING"
    demo = api.space_info("alice/demo")
    assert demo.models == [sample.RICH_MODEL, sample.LEGACY_MODEL] and demo.datasets == ["squad"]
    assert api.repo_info("squad", repo_type="dataset").paperswithcode_id == "squad"


def test_list_repo_commits_over_pages(api, emu, snap):
    commits = api.list_repo_commits(sample.RICH_MODEL)
    expected = snap["commits"][("model", sample.RICH_MODEL)]
    assert len(commits) == len(expected) == sample.N_RICH_COMMITS
    assert emu.counts()["commits"] == math.ceil(sample.N_RICH_COMMITS / 50) == 3
    for got, want in zip(commits, expected):
        assert got.commit_id == want["id"]
        assert got.authors == [a["user"] for a in want["authors"]]
        assert (got.title, got.message) == (want["title"], want["message"])
        assert _date(got.created_at) == want["date"]
    assert commits[-1].title == "initial commit" and commits[-1].authors == ["system"]
    assert any(len(c.authors) == 2 for c in commits) and any(c.authors == [] for c in commits)
    assert commits[0].commit_id == api.model_info(sample.RICH_MODEL).sha
    # A legacy id, a dataset, a space; a repo without commits gives none.
    assert [c.authors for c in api.list_repo_commits(sample.LEGACY_MODEL)] == [["alice", "Zoë"], ["system"]]
    assert len(api.list_repo_commits("squad", repo_type="dataset")) == 2
    assert len(api.list_repo_commits("alice/demo", repo_type="space")) == 2
    assert api.list_repo_commits("alice/quantized") == []
    formatted = api.list_repo_commits(sample.LEGACY_MODEL, formatted=True)
    assert formatted[0].formatted_title == "Update README.md"


def test_get_repo_discussions_over_pages(api, emu, snap):
    expected = snap["discussions"][("model", sample.RICH_MODEL)]
    got = list(api.get_repo_discussions(sample.RICH_MODEL))
    assert emu.counts()["discussions"] == math.ceil(sample.N_RICH_DISCUSSIONS / 50) == 3
    assert [d.num for d in got] == [d["num"] for d in expected]
    for g, e in zip(got, expected):
        assert g.author == e["author"]["name"] if "author" in e else g.author == "deleted"
        assert (g.title, g.status, g.is_pull_request) == (e["title"], e["status"], e["isPullRequest"])
        assert g.repo_id == sample.RICH_MODEL and g.repo_type == "model"
        assert _date(g.created_at) == e["createdAt"]
    assert sum(d.author == "deleted" for d in got) == sum("author" not in e for e in expected) > 0
    # Filters: the count after filters drives the client's paging.
    prs = list(
        api.get_repo_discussions(
            sample.RICH_MODEL, discussion_type="pull_request", discussion_status="open", author="bob"
        )
    )
    assert [d.num for d in prs] == [
        e["num"]
        for e in expected
        if e["isPullRequest"] and e["status"] in ("open", "draft") and e.get("author", {}).get("name") == "bob"
    ]
    closed = list(api.get_repo_discussions(sample.RICH_MODEL, discussion_status="closed"))
    assert [d.num for d in closed] == [e["num"] for e in expected if e["status"] in ("closed", "merged")]
    assert len(closed) > 50  # two pages of a filtered list
    plain = list(api.get_repo_discussions(sample.RICH_MODEL, discussion_type="discussion"))
    assert [d.num for d in plain] == [e["num"] for e in expected if not e["isPullRequest"]]
    assert [d.num for d in api.get_repo_discussions("squad", repo_type="dataset")] == [120, 119, 118]
    assert list(api.get_repo_discussions("alice/quantized")) == []


def test_missing_private_deleted_repos_are_repo_not_found(api):
    for repo_id in ("nobody/nothing", sample.PRIVATE_MODEL, sample.DELETED_MODEL, sample.PRIVATE_RECORD_MODEL):
        with pytest.raises(RepositoryNotFoundError) as err:
            api.model_info(repo_id)
        assert not isinstance(err.value, GatedRepoError)
        assert err.value.response.headers["X-Error-Code"] == "RepoNotFound"
        with pytest.raises(RepositoryNotFoundError):
            api.list_repo_commits(repo_id)
        with pytest.raises(RepositoryNotFoundError):
            list(api.get_repo_discussions(repo_id))
    with pytest.raises(RepositoryNotFoundError):
        api.dataset_info("nobody/nothing")
    with pytest.raises(RepositoryNotFoundError):
        api.space_info("gpt2")  # a model id is not a space


def test_gated_repo_info_answers_commits_and_discussions_do_not(api):
    assert api.model_info(sample.GATED_MODEL).gated == "manual"
    with pytest.raises(GatedRepoError):
        api.list_repo_commits(sample.GATED_MODEL)
    with pytest.raises(GatedRepoError):
        list(api.get_repo_discussions(sample.GATED_MODEL))


# -- the wire, seen directly ------------------------------------------------------
def test_link_pagination_on_the_wire(emu, snap):
    order = [r["id"] for r in sort_desc(listed(snap["model"]), "likes")]
    url = f"{emu.url}/api/models?sort=likes&limit=4&full=True&direction=-1&unknown=kept"
    seen, pages = [], 0
    with httpx2.Client() as client:
        while url:
            r = client.get(url)
            assert r.status_code == 200
            body = r.json()
            assert isinstance(body, list)
            seen += [m["id"] for m in body]
            pages += 1
            url = r.links.get("next", {}).get("url")
            if url:  # absolute, own origin, every original parameter kept
                assert url.startswith(emu.url + "/api/models?")
                for part in ("sort=likes", "limit=4", "full=True", "direction=-1", "unknown=kept", "cursor="):
                    assert part in url
            assert "author" in body[0] or body[0]["id"] in (sample.LEGACY_MODEL, sample.DEFAULT_PAGE_MODEL)
    assert seen == order and pages == 4
    # expand[] works like expand; limit is capped at 1000 rather than refused.
    r = httpx2.get(f"{emu.url}/api/models?expand[]=likes&expand[]=author&limit=5000")
    assert set(r.json()[0]) <= {"_id", "id", "modelId", "likes", "author"}
    assert len(r.json()) == len(order) and "Link" not in r.headers
    # filter=a,b is filter=a&filter=b; config=true adds config; booleans in any case.
    both = httpx2.get(f"{emu.url}/api/models?filter=transformers,bert&limit=100").json()
    assert [m["id"] for m in both] == [
        m.id for m in HfApi(endpoint=emu.url, token=False).list_models(filter=["transformers", "bert"])
    ]
    with_config = httpx2.get(f"{emu.url}/api/models?config=TRUE&search=tiny-bert").json()
    assert with_config[0]["config"]["model_type"] == "bert" and "author" not in with_config[0]
    assert "config" not in httpx2.get(f"{emu.url}/api/models?config=false&search=tiny-bert").json()[0]
    # A bad cursor or limit is a 400 with the error headers.
    for bad in ("cursor=garbage", "limit=0", "limit=x", "sort=nonsense"):
        r = httpx2.get(f"{emu.url}/api/models?{bad}")
        assert r.status_code == 400 and r.headers["X-Error-Code"] and "error" in r.json()


def test_commits_and_discussions_on_the_wire(emu):
    base = f"{emu.url}/api/models/{sample.RICH_MODEL}"
    r = httpx2.get(f"{base}/commits/main?limit=100")
    assert r.headers["X-Total-Count"] == str(sample.N_RICH_COMMITS)
    assert len(r.json()) == 100 and r.links["next"]["url"] == f"{base}/commits/main?limit=100&p=1"
    r = httpx2.get(f"{base}/commits/main?p=2")
    assert len(r.json()) == 30 and "Link" not in r.headers
    assert httpx2.get(f"{base}/commits/main?p=9").json() == []
    assert httpx2.get(f"{base}/commits/refs%2Fpr%2F3").headers["X-Total-Count"] == str(sample.N_RICH_COMMITS)
    body = httpx2.get(f"{base}/discussions?p=9").json()
    assert body["discussions"] == [] and body["start"] >= body["count"] == sample.N_RICH_DISCUSSIONS
    body = httpx2.get(f"{base}/discussions?p=1&status=closed").json()
    assert body["start"] == 50 and body["numClosedDiscussions"] == body["count"]
    # No author key at all for deleted users (never null).
    raw = httpx2.get(f"{base}/discussions").text
    assert '"author":null' not in raw.replace(" ", "")
    # Legacy id paths: info, commits, discussions.
    assert httpx2.get(f"{emu.url}/api/models/gpt2").json()["id"] == "gpt2"
    assert httpx2.get(f"{emu.url}/api/models/gpt2/discussions").json()["count"] == 2
    # Every error carries X-Error-Code, X-Error-Message and a JSON error body.
    for path in (
        "/api/models/nobody/nothing",
        f"/api/models/{sample.GATED_MODEL}/commits/main",
        f"/api/models/{sample.RICH_MODEL}/discussions?p=-1",
        "/api/nothing-here",
        f"/api/models/{sample.RICH_MODEL}/commits/main?expand[]=bogus",
    ):
        r = httpx2.get(emu.url + path)
        assert r.status_code >= 400
        assert r.headers["X-Error-Code"] and r.headers["X-Error-Message"] and r.json()["error"]


def test_no_rate_limit_headers_unless_asked(emu):
    r = httpx2.get(f"{emu.url}/api/models?limit=1")
    assert "RateLimit" not in r.headers and "RateLimit-Policy" not in r.headers


def test_stop_closes_the_port_and_open_connections(snapshot_dir):
    emu = Emulator(snapshot_dir)
    url = emu.start()
    assert emu.start() == url  # idempotent
    client = httpx2.Client()
    assert client.get(f"{url}/api/models/gpt2").status_code == 200  # a kept-alive connection
    emu.stop()
    with pytest.raises(httpx2.TransportError):
        client.get(f"{url}/api/models/gpt2")
    with pytest.raises(httpx2.ConnectError):
        httpx2.get(f"{url}/api/models/gpt2")
    client.close()


# -- simulated Hub changes ----------------------------------------------------------
def test_mutate_repo_changes_lists_info_and_commits(snapshot_dir):
    with Emulator(snapshot_dir) as emu:
        api = HfApi(endpoint=emu.url, token=False)
        assert [m.id for m in api.list_models(sort="likes", limit=1)] == [sample.LEGACY_MODEL]
        assert [m.id for m in api.list_models(filter="bert", author="org1")] == ["org1/model-13"]
        emu.mutate_repo("model", "org1/model-13", fields={"likes": 1000, "tags": ["new-tag"]})
        assert [m.id for m in api.list_models(sort="likes", limit=1)] == ["org1/model-13"]
        assert [m.id for m in api.list_models(filter="new-tag")] == ["org1/model-13"]
        assert [m.id for m in api.list_models(filter="bert", author="org1")] == []
        commit = {
            "id": "f" * 40,
            "title": "New weights",
            "message": "",
            "authors": [{"user": "zed"}],
            "date": "2024-05-05T05:05:05.000Z",
        }
        emu.mutate_repo("model", sample.RICH_MODEL, new_commit=commit)
        info = api.model_info(sample.RICH_MODEL)
        assert info.sha == "f" * 40 and _date(info.last_modified) == commit["date"]
        commits = api.list_repo_commits(sample.RICH_MODEL)
        assert len(commits) == sample.N_RICH_COMMITS + 1 and commits[0].authors == ["zed"]


def test_a_sweep_skips_or_repeats_when_sort_keys_change_mid_crawl(snapshot_dir):
    """Keyset cursors on a mutable key, as on the Hub: a repo that rises past the
    cursor is missed; one that falls below it is seen twice."""
    with Emulator(snapshot_dir) as emu:
        first = httpx2.get(f"{emu.url}/api/models?sort=likes&limit=5")
        ids = [m["id"] for m in first.json()]
        emu.mutate_repo("model", ids[0], fields={"likes": -1})  # falls: seen again
        emu.mutate_repo("model", "org1/model-13", fields={"likes": 10**6})  # rises: missed
        rest = []
        url = first.links["next"]["url"]
        while url:
            r = httpx2.get(url)
            rest += [m["id"] for m in r.json()]
            url = r.links.get("next", {}).get("url")
        assert ids[0] in rest and "org1/model-13" not in ids + rest


# -- the command ------------------------------------------------------------------
def test_cli_prints_the_url_first_and_serves(snapshot_dir):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hubwh.cli",
            "emulate",
            "--snapshot",
            str(snapshot_dir),
            "--port",
            "0",
            "--rate-limit",
            "100/300",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        r = httpx2.get(f"{url}/api/datasets?limit=2")
        assert r.status_code == 200 and len(r.json()) == 2
        assert r.headers["RateLimit-Policy"] == '"fixed window";"api";q=100;w=300'
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert proc.returncode == 0


def test_cli_rejects_bad_arguments(snapshot_dir, tmp_path):
    from hubwh.cli import main

    assert main(["emulate", "--snapshot", str(tmp_path)]) == 2  # not a snapshot
    assert main(["emulate", "--snapshot", str(snapshot_dir), "--rate-limit", "lots"]) == 2
    assert main(["emulate", "--snapshot", str(snapshot_dir), "--fault-rate", "2"]) == 2
    assert main(["emulate", "--snapshot", str(snapshot_dir), "--faults", "fire"]) == 2
    assert main(["emulate", "--snapshot", str(snapshot_dir), "--page-size", "0"]) == 2


def test_snapshot_line_layouts_other_than_the_writers(tmp_path):
    """Per-repo lines written with spaces (or other key orders) load too."""
    import gzip

    path = sample.write_sample_hub(tmp_path / "hub")
    rows = [json.loads(line) for line in gzip.open(path / "commits.jsonl.gz", "rt", encoding="utf-8")]
    with gzip.open(path / "commits.jsonl.gz", "wt", encoding="utf-8") as fh:
        for row in rows:
            fh.write(
                json.dumps(
                    {"commits": row["commits"], "repo_id": row["repo_id"], "repo_type": row["repo_type"]}, indent=None
                )
                + "\n"
            )
    with Emulator(path) as emu:
        api = HfApi(endpoint=emu.url, token=False)
        assert len(api.list_repo_commits(sample.RICH_MODEL)) == sample.N_RICH_COMMITS


def test_model_spaces_are_capped_at_100_like_the_hub(tmp_path):
    from hubwh.snapshot import SnapshotWriter

    with SnapshotWriter(tmp_path / "hub", source="synthetic", created_at=sample.CREATED_AT) as w:
        w.add_repo("model", {"_id": "6" * 24, "id": "org/popular", "likes": 1, "modelId": "org/popular"})
        for n in range(105):
            w.add_repo("space", {"_id": f"{n:024x}", "id": f"user{n}/app", "likes": n, "models": ["org/popular"]})
    with Emulator(tmp_path / "hub") as emu:
        api = HfApi(endpoint=emu.url, token=False)
        assert api.model_info("org/popular").spaces == [f"user{n}/app" for n in range(100)]
        # The full edge list is there from the spaces' side.
        assert len(list(api.list_spaces(models="org/popular"))) == 105
