"""The Hub client of a crawl: `huggingface_hub` with one retry layer and one rate limiter.

Every HTTP request `huggingface_hub` makes goes through its shared `httpx2.Client`
(`huggingface_hub.utils.get_session`). While a crawl runs, that client is built by our factory
with `RetryingTransport`, so *every* call (list pages, commits, discussions, and the `*_info` and
`get_repo_discussions` calls the library never retries itself) is:

- held by the shared `RateLimiter` before it is sent (retries included: the server counts them);
- retried on 408/429/5xx, dropped connections, and truncated or unparsable JSON bodies, with
  exponential backoff that honours `Retry-After` and `RateLimit` (a 429 pauses every worker);
- counted (requests, 429s, retries; per thread, so each repo fetch knows what it cost).

Only the final answer reaches `huggingface_hub`, which maps errors to its exceptions
(`RepositoryNotFoundError`, `GatedRepoError`, ...) as usual. The token is resolved here
(argument, else `HF_TOKEN` or the stored token, `False` for anonymous) and only ever placed in
request headers.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx2
from huggingface_hub import constants
from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status, set_client_factory
from huggingface_hub.utils._http import default_client_factory, hf_request_event_hook

from extract.ratelimit import RateLimiter
from hubwh.errors import HubwhError

log = logging.getLogger("extract.client")

RETRY_STATUSES = (408, 429, 500, 502, 503, 504)
CONNECT_RETRIES = 4
DEFAULT_ENDPOINT = "https://huggingface.co"


class HubUnreachable(Exception):
    """No connection to the endpoint after retries (not an httpx error, so that
    `huggingface_hub`'s own backoff does not retry it once more)."""


@dataclass
class RequestStats:
    """Counters of a crawl's HTTP traffic; thread-safe."""

    requests: int = 0
    http_429: int = 0
    http_5xx: int = 0
    retries: int = 0
    transport_errors: int = 0
    bad_bodies: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, n in counts.items():
                setattr(self, name, getattr(self, name) + n)
        if "requests" in counts:
            self._local.requests = getattr(self._local, "requests", 0) + counts["requests"]

    def thread_requests(self) -> int:
        """Requests sent so far by the calling thread (a worker measures a fetch by difference)."""
        return getattr(self._local, "requests", 0)

    def as_dict(self) -> dict[str, int]:
        with self._lock:
            return {
                k: getattr(self, k)
                for k in ("requests", "http_429", "http_5xx", "retries", "transport_errors", "bad_bodies")
            }


def one_line(exc: BaseException, limit: int = 300) -> str:
    """A short message of a failed call, for fetch_log and errors: the HTTP status and the
    server's own message when there is one (huggingface_hub's long hints left out)."""
    response = getattr(exc, "response", None)
    server_message = getattr(exc, "server_message", None)
    if response is not None and server_message:
        text = f"{response.status_code} {server_message}"
    else:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return " ".join(text.split())[:limit]


def _retry_after(headers) -> float | None:
    from huggingface_hub.utils import parse_ratelimit_headers

    info = parse_ratelimit_headers(headers)
    if info is not None and info.remaining == 0:
        return float(info.reset_in_seconds)
    value = headers.get("retry-after")
    if value is not None:
        try:
            return max(0.0, float(value))
        except ValueError:
            return None
    return None


class RetryingTransport(httpx2.BaseTransport):
    """An httpx2 transport that rate-limits, retries and counts every request."""

    def __init__(
        self,
        limiter: RateLimiter,
        stats: RequestStats,
        *,
        max_retries: int = 8,
        max_429_retries: int = 30,
        backoff_base: float = 0.25,
        backoff_max: float = 30.0,
        max_connections: int = 64,
    ):
        self.limiter = limiter
        self.stats = stats
        self.max_retries = max_retries
        self.max_429_retries = max_429_retries
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        limits = httpx2.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
        self._inner = httpx2.HTTPTransport(limits=limits, retries=0)

    def _backoff(self, attempt: int) -> float:
        wait = min(self.backoff_max, self.backoff_base * (2**attempt))
        return wait * (0.5 + random.random() / 2)  # jitter: workers do not retry in lockstep

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        failures = 0  # 5xx, dropped or truncated
        throttled = 0  # 429
        while True:
            self.limiter.acquire()
            self.stats.add(requests=1)
            try:
                response = self._inner.handle_request(request)
                response.read()  # the whole body now, so a truncated one is retried here
            except httpx2.TransportError as exc:
                self.stats.add(transport_errors=1)
                failures += 1
                refused = isinstance(exc, (httpx2.ConnectError, httpx2.ConnectTimeout))
                # Nobody answering at all is not worth a long wait: a few quick tries, then stop.
                if failures > (min(self.max_retries, CONNECT_RETRIES) if refused else self.max_retries):
                    if refused:
                        raise HubUnreachable(
                            f"cannot connect to {request.url.scheme}://{request.url.netloc.decode()}: {exc}"
                        ) from None
                    raise
                self.stats.add(retries=1)
                log.debug("retrying %s %s after %s", request.method, request.url.path, type(exc).__name__)
                time.sleep(self._backoff(failures - 1))
                continue

            self.limiter.observe(response.headers)
            status = response.status_code
            if status in RETRY_STATUSES:
                if status == 429:
                    self.stats.add(http_429=1)
                    throttled += 1
                    exhausted = throttled > self.max_429_retries
                else:
                    self.stats.add(http_5xx=1)
                    failures += 1
                    exhausted = failures > self.max_retries
                if exhausted:
                    return response  # huggingface_hub raises HfHubHTTPError from it
                wait = _retry_after(response.headers)
                if status == 429:
                    wait = wait if wait is not None else self._backoff(throttled - 1)
                    self.limiter.pause(wait)  # everyone waits: the window is spent
                else:
                    wait = wait if wait is not None else self._backoff(failures - 1)
                    time.sleep(wait)
                self.stats.add(retries=1)
                response.close()
                continue

            if status == 200 and "json" in response.headers.get("content-type", "json"):
                try:
                    # Parsed once here and kept for the reader (see `json_body`).
                    response.extensions["hubwh_json"] = json.loads(response.content)
                except ValueError:
                    self.stats.add(bad_bodies=1)
                    failures += 1
                    if failures > self.max_retries:
                        return response
                    self.stats.add(retries=1)
                    time.sleep(self._backoff(failures - 1))
                    continue
            return response

    def close(self) -> None:
        self._inner.close()


def json_body(response: httpx2.Response) -> Any:
    body = response.extensions.get("hubwh_json")
    return body if body is not None else response.json()


def resolve_endpoint(endpoint: str | None) -> str:
    """The endpoint URL: the argument, else HF_ENDPOINT, else the Hub; user:password stripped."""
    import os

    url = (endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HubwhError(f"the endpoint must be an http(s) URL, not {url!r}")
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def resolve_token(token: str | bool | None) -> str | bool:
    """None -> HF_TOKEN or the stored token (or anonymous); False -> anonymous."""
    if token is None:
        from huggingface_hub import get_token

        return get_token() or False
    return token


class HubClient:
    """The crawl's access to the Hub. A context manager: it installs the retrying, rate-limited
    transport in `huggingface_hub` for its lifetime (one crawl per process at a time)."""

    def __init__(
        self,
        endpoint: str | None = None,
        token: str | bool | None = None,
        *,
        budget: tuple[int, float] | None = (1000, 300),
        max_retries: int = 8,
        backoff_base: float = 0.25,
        timeout: float = 60.0,
        max_connections: int = 64,
    ):
        self.endpoint = resolve_endpoint(endpoint)
        self._token = resolve_token(token)
        self.limiter = RateLimiter(budget)
        self.stats = RequestStats()
        self._transport_args = dict(max_retries=max_retries, backoff_base=backoff_base, max_connections=max_connections)
        self._timeout = httpx2.Timeout(timeout, connect=min(timeout, 10.0))
        self._headers = build_hf_headers(token=self._token, library_name="hubwh")
        self._transport: RetryingTransport | None = None

    @property
    def authenticated(self) -> bool:
        return bool(self._token)

    def __repr__(self) -> str:  # never show the token
        return f"HubClient(endpoint={self.endpoint!r}, authenticated={self.authenticated})"

    def __enter__(self) -> HubClient:
        def factory() -> httpx2.Client:
            self._transport = RetryingTransport(self.limiter, self.stats, **self._transport_args)
            return httpx2.Client(
                transport=self._transport,
                event_hooks={"request": [hf_request_event_hook]},
                follow_redirects=True,
                timeout=self._timeout,
            )

        set_client_factory(factory)
        return self

    def __exit__(self, *exc) -> None:
        set_client_factory(default_client_factory)  # closes our session too

    # -- raw pages --------------------------------------------------------------------
    def get(self, url: str, params: Any = None) -> httpx2.Response:
        """One GET (retried and rate-limited by the transport); raises the library's errors."""
        response = get_session().get(url, params=params, headers=self._headers)
        hf_raise_for_status(response)
        return response

    def list_pages(self, repo_type: str, params: list[tuple[str, Any]]) -> Iterator[list[dict]]:
        """Pages of GET /api/{type}s, following the `Link` header as `huggingface_hub` does."""
        url: str | None = f"{self.endpoint}/api/{repo_type}s"
        first = True
        while url:
            response = self.get(url, params=params if first else None)
            first = False
            body = json_body(response)
            if not isinstance(body, list):
                raise HubwhError(f"{url}: expected a JSON array of {repo_type}s, got {type(body).__name__}")
            yield body
            url = response.links.get("next", {}).get("url")

    def commit_pages(self, repo_type: str, repo_id: str) -> Iterator[list[dict]]:
        """Pages of the default branch's commits, newest first (1000 per page where the server
        allows it; the Python client's own `list_repo_commits` pages 50 at a time)."""
        url: str | None = f"{self.endpoint}/api/{repo_type}s/{repo_id}/commits/{constants.DEFAULT_REVISION}"
        params: Any = {"limit": 1000}
        while url:
            response = self.get(url, params=params)
            params = None
            body = json_body(response)
            if not isinstance(body, list):
                raise ValueError(f"commits of {repo_type} {repo_id}: expected a JSON array")
            yield body
            url = response.links.get("next", {}).get("url")

    def discussion_pages(self, repo_type: str, repo_id: str) -> Iterator[list[dict]]:
        """Pages of a repo's discussions and PRs, paginated with p=N and count/start exactly as
        `HfApi.get_repo_discussions` does (which never retries: here the transport does)."""
        url = f"{self.endpoint}/api/{repo_type}s/{repo_id}/discussions"
        page = 0
        while True:
            body = json_body(self.get(url, params={"p": page}))
            try:
                items, total, start = body["discussions"], int(body["count"]), int(body["start"])
            except (KeyError, TypeError, ValueError):
                msg = f"discussions of {repo_type} {repo_id}: page {page} lacks discussions/count/start"
                raise ValueError(msg) from None
            yield items
            if not items or start + len(items) >= total:
                return
            page += 1
