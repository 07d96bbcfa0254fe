"""A small hand-made Hub snapshot with every oddity the emulator must serve
exactly: a legacy id without namespace, a record from a default list page (no
author/sha/lastModified), missing pipeline_tag, ties in the default sort,
unicode, multi-author and author-less commits, deleted discussion authors,
private/gated/deleted outcomes and a private record. Small enough to reason
about by hand, big enough for 3+ pages of commits and discussions.

Tests (this project's and the extractor's) build it with `write_sample_hub(dir)`.
"""

from __future__ import annotations

from pathlib import Path

from hubwh.snapshot import SnapshotWriter

CREATED_AT = "2023-10-01T00:00:00Z"
RICH_MODEL = "alice/tiny-bert"  # 130 commits, 120 discussions
LEGACY_MODEL = "gpt2"
DEFAULT_PAGE_MODEL = "bob/no-pipeline"
GATED_MODEL = "carol-org/llama-ft"
PRIVATE_MODEL = "carol-org/private-now"
DELETED_MODEL = "dave/deleted-now"
PRIVATE_RECORD_MODEL = "eve/secret"
N_RICH_COMMITS = 130
N_RICH_DISCUSSIONS = 120
USERS = ("alice", "bob", "jorg", "SFconvertbot", "Zoë")


def _hex(n: int, width: int) -> str:
    return format(n, "x").rjust(width, "0")


def _date(day: int, second: int = 0) -> str:
    """Hub-format dates, increasing with `day` (from 2022-01-01)."""
    import datetime as dt

    value = dt.datetime(2022, 1, 1) + dt.timedelta(days=day, seconds=second)
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _model(n: int, repo_id: str, **fields) -> dict:
    record = {"_id": _hex(0x6500 + n, 24), "id": repo_id}
    if "/" in repo_id:
        record["author"] = repo_id.split("/")[0]
    record.update(
        {
            "sha": _hex(0xABC000 + n, 40),
            "lastModified": _date(300 + n),
            "private": False,
            "disabled": False,
            "gated": False,
            "likes": 0,
            "downloads": 0,
            "trendingScore": 0,
            "tags": ["region:us"],
            "createdAt": _date(n),
            "modelId": repo_id,
        }
    )
    record.update(fields)
    return record


def models() -> list[dict]:
    out = [
        _model(
            1,
            RICH_MODEL,
            pipeline_tag="fill-mask",
            library_name="transformers",
            likes=7,
            downloads=120,
            downloadsAllTime=5000,
            trendingScore=3,
            usedStorage=4096,
            tags=[
                "transformers",
                "safetensors",
                "bert",
                "fill-mask",
                "en",
                "dataset:squad",
                "license:apache-2.0",
                "region:us",
            ],
            cardData={"license": "apache-2.0", "language": "en", "title": "Tiny BERT — ünïcödé ✓"},
            siblings=[
                {"rfilename": ".gitattributes", "size": 1519},
                {"rfilename": "config.json", "size": 570},
                {
                    "rfilename": "model.safetensors",
                    "size": 4000,
                    "lfs": {"size": 4000, "sha256": "0" * 64, "pointerSize": 130},
                },
            ],
            safetensors={"parameters": {"F32": 1000}, "total": 1000},
            transformersInfo={
                "auto_model": "AutoModelForMaskedLM",
                "pipeline_tag": "fill-mask",
                "processor": "AutoTokenizer",
            },
            config={"architectures": ["BertForMaskedLM"], "model_type": "bert"},
        ),
        # Legacy canonical id: no namespace, no author.
        {
            "_id": _hex(0x6502, 24),
            "id": LEGACY_MODEL,
            "sha": _hex(0xABC002, 40),
            "lastModified": _date(302),
            "private": False,
            "disabled": False,
            "gated": False,
            "pipeline_tag": "text-generation",
            "library_name": "transformers",
            "likes": 50,
            "downloads": 100000,
            "downloadsAllTime": 9000000,
            "trendingScore": 3,
            "tags": ["transformers", "gpt2", "text-generation", "en", "license:mit", "region:us"],
            "createdAt": "2022-03-02T23:29:04.000Z",
            "modelId": LEGACY_MODEL,
        },
        # As a default list page gives it: no author, lastModified, sha; no pipeline_tag.
        {
            "_id": _hex(0x6503, 24),
            "id": DEFAULT_PAGE_MODEL,
            "likes": 1,
            "trendingScore": 5,
            "private": False,
            "downloads": 3,
            "tags": ["region:us"],
            "createdAt": _date(3),
            "modelId": DEFAULT_PAGE_MODEL,
        },
        _model(
            4,
            GATED_MODEL,
            gated="manual",
            pipeline_tag="text-generation",
            library_name="peft",
            likes=12,
            downloads=400,
            trendingScore=1,
            tags=["peft", "llama", "text-generation", "base_model:gpt2", "license:llama2", "region:us"],
        ),
        _model(5, PRIVATE_MODEL, likes=2, trendingScore=0, tags=["transformers", "region:us"]),
        _model(6, DELETED_MODEL, likes=3, trendingScore=0, tags=["transformers", "region:us"]),
        _model(
            7,
            "alice/quantized",
            pipeline_tag="text-generation",
            library_name="gguf",
            likes=0,
            downloads=9,
            trendingScore=2,
            tags=["gguf", "text-generation", "base_model:quantized:alice/tiny-bert", "region:us"],
        ),
        _model(8, PRIVATE_RECORD_MODEL, private=True, likes=99, trendingScore=99, tags=["transformers", "region:us"]),
        _model(
            9,
            "jorg/uebersetzer",
            pipeline_tag="translation",
            library_name="transformers",
            likes=4,
            downloads=50,
            trendingScore=0,
            tags=["transformers", "translation", "de", "en", "license:cc-by-nc-4.0", "region:us"],
            cardData={"language": ["de", "en"], "widget": [{"text": "Grüß Gott, schöne Welt"}]},
        ),
    ]
    for n in range(10, 16):  # a few plain models, so lists run over several pages
        out.append(
            _model(
                n,
                f"org{n % 3}/model-{n}",
                library_name="transformers",
                likes=n % 4,
                downloads=n * 10,
                trendingScore=n % 2,
                tags=["transformers", "region:us"] + (["bert"] if n % 2 else []),
            )
        )
    # One without trendingScore at all: sorts after every scored repo.
    out.append(_model(16, "org1/unscored", likes=6))
    del out[-1]["trendingScore"]
    return out


def datasets() -> list[dict]:
    def ds(n, repo_id, **fields):
        record = {"_id": _hex(0x6600 + n, 24), "id": repo_id}
        if "/" in repo_id:
            record["author"] = repo_id.split("/")[0]
        record.update(
            {
                "sha": _hex(0xDEF000 + n, 40),
                "lastModified": _date(400 + n),
                "private": False,
                "gated": False,
                "disabled": False,
                "downloads": n * 7,
                "likes": n,
                "trendingScore": n % 3,
                "tags": ["region:us"],
                "description": f"Dataset {n} — déjà vu.",
                "createdAt": _date(50 + n),
                "key": "",
            }
        )
        record.update(fields)
        return record

    return [
        {
            "_id": _hex(0x6601, 24),
            "id": "squad",
            "sha": _hex(0xDEF001, 40),
            "lastModified": _date(401),
            "private": False,
            "gated": False,
            "disabled": False,
            "downloads": 250000,
            "likes": 320,
            "trendingScore": 3,
            "tags": ["task_categories:question-answering", "language:en", "region:us"],
            "description": "\n\t\n\t\t\n\t\tSQuAD … See the full description on the dataset page.",
            "paperswithcode_id": "squad",
            "citation": "@inproceedings{rajpurkar2016}",
            "createdAt": "2022-03-02T23:29:22.000Z",
            "key": "",
        },
        ds(
            2,
            "alice/corpus",
            tags=["language:en", "size_categories:1K<n<10K", "region:us"],
            cardData={"license": "mit"},
            siblings=[{"rfilename": "data.parquet"}],
            downloadsAllTime=77,
        ),
        ds(3, "bob/uni-notes", tags=["language:de", "region:us"]),
        ds(4, "carol-org/eval", gated="auto", tags=["benchmark:official", "region:us"]),
        ds(5, "org0/data-5"),
        ds(6, "org1/data-6"),
    ]


def spaces() -> list[dict]:
    def sp(n, repo_id, **fields):
        record = {
            "_id": _hex(0x6700 + n, 24),
            "id": repo_id,
            "author": repo_id.split("/")[0],
            "sha": _hex(0x5A0000 + n, 40),
            "lastModified": _date(500 + n),
            "private": False,
            "likes": n,
            "trendingScore": n % 2,
            "sdk": "gradio",
            "tags": ["gradio", "region:us"],
            "createdAt": _date(100 + n),
            "subdomain": repo_id.replace("/", "-").lower(),
            "runtime": {"stage": "RUNNING", "hardware": {"current": "cpu-basic", "requested": "cpu-basic"}},
        }
        record.update(fields)
        return record

    return [
        sp(1, "alice/demo", models=[RICH_MODEL, LEGACY_MODEL], datasets=["squad"]),
        sp(2, "bob/app", models=[LEGACY_MODEL], datasets=[]),
        sp(3, "carol-org/chat", models=[GATED_MODEL, LEGACY_MODEL]),
        sp(4, "dave/static", sdk="static", tags=["static", "region:us"]),
        sp(5, "eve/viewer", models=[], datasets=["alice/corpus"]),
        sp(6, "org0/space-6", models=[RICH_MODEL]),
        sp(7, "org1/space-7", sdk="docker", tags=["docker", "region:us"]),
    ]


def rich_commits() -> list[dict]:
    """Newest first; the last is the system initial commit."""
    out = []
    for k in range(N_RICH_COMMITS - 1, 0, -1):
        if k % 10 == 0:
            authors = []  # by a deleted user
        elif k % 4 == 0:
            authors = [{"user": USERS[k % 5]}, {"user": USERS[(k + 1) % 5]}]
        else:
            authors = [{"user": USERS[k % 5], "avatar": f"https://cdn.example/{k}.png"}]
        out.append(
            {
                "id": _hex(0xC0FFEE000 + k, 40),
                "title": f"Update #{k} — café ✓",
                "message": f"Change {k}\n\nCo-authored-by: someone <x@users.noreply.huggingface.co>\n"
                if k % 4 == 0
                else "",
                "authors": authors,
                "date": _date(1, k * 60),
            }
        )
    out.append(
        {
            "id": _hex(0xC0FFEE000, 40),
            "title": "initial commit",
            "message": "",
            "authors": [{"user": "system"}],
            "date": _date(1),
        }
    )
    return out


def rich_discussions(repo_type: str = "model", repo_id: str = RICH_MODEL) -> list[dict]:
    """Newest first (num descending); every 7th by a deleted user (no author key)."""
    out = []
    for num in range(N_RICH_DISCUSSIONS, 0, -1):
        is_pr = num % 3 == 0
        status = ("open", "closed", "merged", "draft")[num % 4] if is_pr else ("open", "closed")[num % 2]
        item = {"num": num}
        if num % 7:
            name = USERS[num % 5]
            item["author"] = {
                "_id": _hex(0x7700 + num % 5, 24),
                "avatarUrl": "/avatars/x.svg",
                "fullname": name.title() + (" Müller" if name == "jorg" else ""),
                "name": name,
                "isHf": False,
                "isHfAdmin": False,
                "isMod": False,
                "type": "user",
                "isPro": False,
            }
        item.update(
            {
                "repo": {"name": repo_id, "type": repo_type},
                "title": f"Question {num} — ¿qué?",
                "createdAt": _date(2, num * 3600),
                "topReactions": [],
                "status": status,
                "isPullRequest": is_pr,
                "numComments": num % 5,
                "numReactionUsers": 0,
                "pinned": num == N_RICH_DISCUSSIONS,
            }
        )
        out.append(item)
    return out


def commits_by_repo() -> dict[tuple[str, str], list[dict]]:
    """Every commit list of the sample, newest first."""
    out = {("model", RICH_MODEL): rich_commits()}
    for repo_type, repo_id in (
        ("model", LEGACY_MODEL),
        ("model", GATED_MODEL),
        ("dataset", "squad"),
        ("space", "alice/demo"),
        ("model", "jorg/uebersetzer"),
    ):
        out[(repo_type, repo_id)] = [
            {
                "id": _hex(hash_(repo_id) + 2, 40),
                "title": "Update README.md",
                "message": "",
                "authors": [{"user": "alice"}, {"user": "Zoë"}],
                "date": _date(200),
            },
            {
                "id": _hex(hash_(repo_id) + 1, 40),
                "title": "initial commit",
                "message": "",
                "authors": [{"user": "system"}],
                "date": _date(100),
            },
        ]
    return out


def records() -> dict[str, list[dict]]:
    """The repo records per type, with sha/lastModified matching the newest commit."""
    out = {"model": models(), "dataset": datasets(), "space": spaces()}
    commits = commits_by_repo()
    for repo_type, items in out.items():
        for record in items:
            newest = commits.get((repo_type, record["id"]), [None])[0]
            if newest is not None and "sha" in record:
                record["sha"], record["lastModified"] = newest["id"], newest["date"]
    return out


def write_sample_hub(path: str | Path) -> Path:
    """Write the sample snapshot to `path`; returns the path."""
    path = Path(path)
    with SnapshotWriter(
        path, source="synthetic", seed=0, created_at=CREATED_AT, params={"sample": "hubwh.emulator.sample"}
    ) as w:
        for repo_type, items in records().items():
            for record in items:
                w.add_repo(repo_type, record)
        for (repo_type, repo_id), commits in commits_by_repo().items():
            w.add_commits(repo_type, repo_id, commits)
        w.add_discussions("model", RICH_MODEL, rich_discussions())
        w.add_discussions("model", LEGACY_MODEL, rich_discussions("model", LEGACY_MODEL)[:2])
        w.add_discussions("dataset", "squad", rich_discussions("dataset", "squad")[:3])
        w.add_outcome("model", GATED_MODEL, "gated")
        w.add_outcome("model", PRIVATE_MODEL, "private")
        w.add_outcome("model", DELETED_MODEL, "deleted")
    return path


def hash_(text: str) -> int:
    """A small stable number from a string (commit ids of the small repos)."""
    return sum((i + 1) * ord(c) for i, c in enumerate(text)) * 1000
