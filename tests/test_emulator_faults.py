"""The emulator's rate limit, injected faults, latency and counters, seen by the
real `huggingface_hub` client and on the wire. The client's own backoff waits
at least 1 s per retry, so the few client-retry tests here are kept short
(fault_max_run=1, fault_retry_after=0, 1-second windows)."""

from __future__ import annotations

import math
import threading
import time

import httpx2
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError
from huggingface_hub.utils import parse_ratelimit_headers

from hubwh.emulator import Emulator, sample


@pytest.fixture(scope="module")
def snapshot_dir(tmp_path_factory):
    return sample.write_sample_hub(tmp_path_factory.mktemp("emulator-faults") / "hub")


def listed_ids_by_trending() -> list[str]:
    models = [m for m in sample.records()["model"] if m.get("private") is not True]
    scored = sorted((m for m in models if "trendingScore" in m), key=lambda m: m["trendingScore"], reverse=True)
    return [m["id"] for m in scored] + [m["id"] for m in models if "trendingScore" not in m]


def served_per_window(emu: Emulator) -> dict[int, int]:
    """Requests let through by the limiter (anything but a 429) per fixed window."""
    info = emu.rate_limit_info()
    windows: dict[int, int] = {}
    for t, _kind, status in emu.request_log():
        if status != 429:
            index = math.floor((t - info["started_at"]) / info["window"])
            windows[index] = windows.get(index, 0) + 1
    return windows


# -- rate limit ---------------------------------------------------------------------
@pytest.mark.slow  # waits out rate-limit windows / retry backoffs (seconds)
def test_client_list_waits_out_the_rate_limit_then_succeeds(snapshot_dir):
    with Emulator(snapshot_dir, page_size=4, rate_limit=(3, 1)) as emu:
        api = HfApi(endpoint=emu.url, token=False)
        start = time.monotonic()
        got = [m.id for m in api.list_models()]
        elapsed = time.monotonic() - start
        assert got == listed_ids_by_trending()  # every page, none lost or repeated
        counts = emu.counts()
        assert counts["list:model"] - counts["429"] == 4 and counts["429"] >= 1
        assert elapsed >= 1.0  # it waited (RateLimit t + 1 s)
        assert max(served_per_window(emu).values()) <= 3


def test_rate_limit_windows_and_headers_under_concurrent_load(snapshot_dir):
    with Emulator(snapshot_dir, rate_limit=(5, 1)) as emu:
        responses = []
        lock = threading.Lock()

        def hammer():
            with httpx2.Client() as client:
                for _ in range(10):
                    r = client.get(f"{emu.url}/api/models?limit=1")
                    with lock:
                        responses.append(r)

        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(responses) == 40
        ok = [r for r in responses if r.status_code == 200]
        limited = [r for r in responses if r.status_code == 429]
        assert len(ok) + len(limited) == 40 and limited
        assert max(served_per_window(emu).values()) <= 5
        for r in responses:  # both headers on every /api response, parseable by the client
            info = parse_ratelimit_headers(r.headers)
            assert info is not None and info.limit == 5 and info.window_seconds == 1
            assert r.headers["RateLimit-Policy"] == '"fixed window";"api";q=5;w=1'
        for r in limited:
            assert r.headers["X-Error-Code"] and r.json()["error"]
            assert int(r.headers["Retry-After"]) <= 1 and parse_ratelimit_headers(r.headers).remaining == 0
        assert emu.counts()["429"] == len(limited)
        # Switched off at run time: no more headers, no more 429s.
        emu.set_rate_limit(None)
        r = httpx2.get(f"{emu.url}/api/models?limit=1")
        assert r.status_code == 200 and "RateLimit" not in r.headers


def test_rate_limit_remaining_counts_down_and_resets(snapshot_dir):
    with Emulator(snapshot_dir) as emu:
        emu.set_rate_limit((3, 1))
        with httpx2.Client() as client:
            remaining = [
                parse_ratelimit_headers(client.get(f"{emu.url}/api/models/gpt2").headers).remaining for _ in range(4)
            ]
            assert remaining == [2, 1, 0, 0]
            r = client.get(f"{emu.url}/api/models/gpt2")
            assert r.status_code == 429 and 0 <= parse_ratelimit_headers(r.headers).reset_in_seconds <= 1
            time.sleep(float(r.headers["Retry-After"]) + 0.05)
            assert client.get(f"{emu.url}/api/models/gpt2").status_code == 200


# -- injected faults ----------------------------------------------------------------
@pytest.mark.slow  # waits out rate-limit windows / retry backoffs (seconds)
def test_429_burst_then_client_list_succeeds(snapshot_dir):
    with Emulator(snapshot_dir, fault_rate=1.0, faults=("429",), fault_retry_after=0) as emu:
        api = HfApi(endpoint=emu.url, token=False)
        start = time.monotonic()
        assert [m.id for m in api.list_models(limit=2)] == listed_ids_by_trending()[:2]
        counts = emu.counts()
        assert 2 <= counts["429"] <= 3 and counts["faults"] == counts["429"]  # a burst in a row
        assert time.monotonic() - start >= counts["429"] * 1.0  # t=0 -> 1 s each
        r = httpx2.get(f"{emu.url}/api/models/gpt2")
        assert r.status_code == 429 and r.headers["Retry-After"] == "0"
        assert parse_ratelimit_headers(r.headers).remaining == 0
        # no quota is configured, so none is announced (a client would throttle itself to it)
        assert "RateLimit-Policy" not in r.headers


def test_injected_429_announces_the_configured_policy(snapshot_dir):
    with Emulator(snapshot_dir, rate_limit=(1000, 300), fault_rate=1.0, faults=("429",)) as emu:
        r = httpx2.get(f"{emu.url}/api/models/gpt2")
        assert r.status_code == 429
        assert parse_ratelimit_headers(r.headers).limit == 1000


@pytest.mark.parametrize(
    "kind, error",
    [
        ("truncate", httpx2.RemoteProtocolError),
        ("drop", httpx2.RemoteProtocolError),
        ("cutjson", ValueError),
        ("5xx", HfHubHTTPError),
    ],
)
def test_faults_are_errors_to_the_client_and_transient(snapshot_dir, kind, error):
    """model_info does not retry: the client sees each fault; the 4th try works."""
    with Emulator(snapshot_dir, fault_rate=1.0, faults=(kind,)) as emu:
        api = HfApi(endpoint=emu.url, token=False)
        for _ in range(3):
            with pytest.raises(error) as err:
                api.model_info(sample.RICH_MODEL)
            if kind == "5xx":
                assert err.value.response.status_code in (500, 502, 503)
        assert api.model_info(sample.RICH_MODEL).likes == 7
        assert emu.counts()["faults"] == 3 and emu.counts()["info:model"] == 4


@pytest.mark.slow  # waits out rate-limit windows / retry backoffs (seconds)
def test_client_paging_retries_through_transport_faults(snapshot_dir):
    # A dropped connection on each of the 3 commit pages: the client retries each once.
    with Emulator(snapshot_dir, fault_rate=1.0, faults=("drop",), fault_max_run=1) as emu:
        api = HfApi(endpoint=emu.url, token=False)
        commits = api.list_repo_commits(sample.RICH_MODEL)
        assert len(commits) == sample.N_RICH_COMMITS
        assert emu.counts()["commits"] == 6 and emu.counts()["faults"] == 3
    # A truncated list page: retried too.
    with Emulator(snapshot_dir, fault_rate=1.0, faults=("truncate",), fault_max_run=1) as emu:
        api = HfApi(endpoint=emu.url, token=False)
        assert [m.id for m in api.list_models(limit=3)] == listed_ids_by_trending()[:3]
        assert emu.counts()["list:model"] == 2 and emu.counts()["faults"] == 1


def first_attempt_pattern(emu: Emulator, urls: list[str]) -> list[tuple[int, ...]]:
    """Per URL, the statuses until a 200 (0: no usable response)."""
    out = []
    with httpx2.Client() as client:
        for url in urls:
            statuses = []
            for _ in range(5):
                try:
                    r = client.get(emu.url + url)
                    r.json()
                    statuses.append(r.status_code)
                except (httpx2.TransportError, ValueError):
                    statuses.append(0)
                if statuses[-1] == 200:
                    break
            out.append(tuple(statuses))
    return out


def test_faults_are_deterministic_per_seed_and_rate(snapshot_dir):
    urls = [f"/api/models/gpt2?probe={i}" for i in range(120)]
    patterns = []
    for seed in (7, 7, 8):
        with Emulator(snapshot_dir, fault_rate=0.3, seed=seed, fault_retry_after=0) as emu:
            patterns.append(first_attempt_pattern(emu, urls))
    assert patterns[0] == patterns[1] != patterns[2]
    for pattern in patterns:
        assert all(p[-1] == 200 and len(p) <= 4 for p in pattern)  # transient
        faulted = sum(len(p) > 1 for p in pattern) / len(pattern)
        assert 0.15 <= faulted <= 0.45  # ~30 %
        kinds = {p[0] for p in pattern if len(p) > 1}
        assert {0, 429} <= kinds and kinds & {500, 502, 503}
    with Emulator(snapshot_dir, fault_rate=0.3, seed=7) as emu:
        emu.set_faults(fault_rate=0.0)
        assert all(p == (200,) for p in first_attempt_pattern(emu, urls[:20]))


# -- latency and counters -----------------------------------------------------------
def test_latency_is_added_to_every_response(snapshot_dir):
    with Emulator(snapshot_dir, latency_ms=150) as emu, httpx2.Client() as client:
        client.get(f"{emu.url}/api/models/gpt2")
        start = time.monotonic()
        client.get(f"{emu.url}/api/models/gpt2")
        assert time.monotonic() - start >= 0.15


def test_counts_per_endpoint_are_exact_under_threads(snapshot_dir):
    with Emulator(snapshot_dir) as emu:

        def work(n):
            api = HfApi(endpoint=emu.url, token=False)
            for _ in range(n):
                api.list_repo_commits(sample.LEGACY_MODEL)
                list(api.get_repo_discussions(sample.LEGACY_MODEL))
                api.dataset_info("squad")

        threads = [threading.Thread(target=work, args=(25,)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        counts = emu.counts()
        assert counts["commits"] == counts["discussions"] == counts["info:dataset"] == 200
        assert counts["total"] == 600 and counts["info:model"] == 0 and counts["faults"] == 0
        assert len(emu.request_log()) == 600
        assert all(status == 200 for _t, _k, status in emu.request_log())
        emu.reset_counts()
        assert emu.counts()["total"] == 0 and emu.request_log() == []
