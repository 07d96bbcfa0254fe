"""The HTTP side: routing, the per-repo endpoints, errors, rate limit, faults,
latency and counters, on a threading HTTP/1.1 server bound to 127.0.0.1; and
`Emulator`, which runs it in a background thread."""

from __future__ import annotations

import html
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from hubwh.emulator import listing
from hubwh.emulator.control import DEFAULT_FAULTS, Counters, FaultInjector, FixedWindow
from hubwh.emulator.listing import BadRequest
from hubwh.emulator.store import Store, dumps

TYPES = {"models": "model", "datasets": "dataset", "spaces": "space"}
COMMITS_PAGE = 50
COMMITS_MAX_PAGE = 1000
DISCUSSIONS_PAGE = 50
_ACTIONS = ("revision", "commits", "discussions")
_JSON = "application/json; charset=utf-8"


class Answer:
    """A response to send: status, extra headers, body bytes."""

    __slots__ = ("status", "headers", "body")

    def __init__(self, status: int, body: bytes, headers: list[tuple[str, str]] | None = None):
        self.status, self.body, self.headers = status, body, headers or []


def error(status: int, code: str, message: str, headers=None) -> Answer:
    # Headers must be latin-1: keep X-Error-Message ASCII, the body has it all.
    ascii_message = message.encode("ascii", "backslashreplace").decode("ascii")
    return Answer(
        status,
        dumps({"error": message}),
        [("X-Error-Code", code), ("X-Error-Message", ascii_message)] + list(headers or []),
    )


def repo_not_found() -> Answer:
    return error(404, "RepoNotFound", "Repository not found")


def gated(repo_type: str, repo_id: str) -> Answer:
    return error(
        403,
        "GatedRepo",
        f"Access to {repo_type} {repo_id} is restricted and you are not in the authorized "
        f"list. Visit https://huggingface.co/{'' if repo_type == 'model' else repo_type + 's/'}"
        f"{repo_id} to ask for access.",
    )


class HubApp:
    """Answers requests from a Store (no sockets here)."""

    def __init__(self, store: Store, base_url: str = "", page_size: int = listing.DEFAULT_PAGE):
        self.store = store
        self.base_url = base_url
        self.page_size = page_size  # list page size when the request has no `limit`

    def route(self, path: str) -> tuple[str, tuple]:
        """(counter kind, route) for a request path; route[0] names the handler."""
        parts = [p for p in path.split("/")]
        if len(parts) < 3 or parts[1] != "api" or parts[2] not in TYPES:
            return "other", ("unknown",)
        repo_type = TYPES[parts[2]]
        segs = [unquote(p) for p in parts[3:]]
        while segs and segs[-1] == "":
            segs.pop()
        if not segs:
            return f"list:{repo_type}", ("list", repo_type)
        repo_id, rest = self._split_repo(repo_type, segs)
        if not rest or rest[0] == "revision":
            return f"info:{repo_type}", ("info", repo_type, repo_id)
        if rest[0] == "commits":
            return "commits", ("commits", repo_type, repo_id, "/".join(rest[1:]) or "main")
        if rest == ["discussions"]:
            return "discussions", ("discussions", repo_type, repo_id)
        return "other", ("unknown",)

    def _split_repo(self, repo_type: str, segs: list[str]) -> tuple[str, list[str]]:
        """Repo ids have one slash (`org/name`) or none (legacy `gpt2`)."""
        index = self.store.tables[repo_type].index
        if len(segs) >= 2 and f"{segs[0]}/{segs[1]}" in index:
            return f"{segs[0]}/{segs[1]}", segs[2:]
        if segs[0] in index:
            return segs[0], segs[1:]
        if len(segs) >= 2 and segs[1] not in _ACTIONS:
            return f"{segs[0]}/{segs[1]}", segs[2:]
        return segs[0], segs[1:]

    def answer(self, route: tuple, path: str, params: list[tuple[str, str]]) -> Answer:
        try:
            name = route[0]
            if name == "list":
                return self.list_repos(route[1], path, params)
            if name == "unknown":
                return error(404, "NotFound", f"Sorry, we can't find the page {path}")
            repo_type, repo_id = route[1], route[2]
            record = self._visible_record(repo_type, repo_id)
            if record is None:
                return repo_not_found()
            if name == "info":
                return Answer(200, dumps(listing.info_body(self.store, repo_type, record, params)))
            if self.store.outcomes.get((repo_type, repo_id)) == "gated":
                return gated(repo_type, repo_id)
            if name == "commits":
                return self.commits(repo_type, repo_id, path, params)
            return self.discussions(repo_type, repo_id, params)
        except BadRequest as exc:
            return error(400, "BadRequest", str(exc))

    def _visible_record(self, repo_type: str, repo_id: str) -> dict | None:
        """The record, or None when the repo is missing, private or deleted."""
        table = self.store.tables[repo_type]
        i = table.index.get(repo_id)
        if i is None or table.private[i]:
            return None
        if self.store.outcomes.get((repo_type, repo_id)) in ("private", "deleted"):
            return None
        return table.record(i)

    def list_repos(self, repo_type: str, path: str, params) -> Answer:
        query = listing.ListQuery.parse(repo_type, params, default_limit=self.page_size)
        items, cursor = listing.list_page(self.store, query)
        headers = []
        if cursor is not None:
            url = listing.next_link(self.base_url, path, params, cursor)
            headers.append(("Link", f'<{url}>; rel="next"'))
        return Answer(200, dumps(items), headers)

    def commits(self, repo_type: str, repo_id: str, path: str, params) -> Answer:
        page = _int_param(params, "p", 0, minimum=0)
        limit = min(_int_param(params, "limit", COMMITS_PAGE, minimum=1), COMMITS_MAX_PAGE)
        expand = listing.expand_values(params)
        bad = [v for v in expand if v != "formatted"]
        if bad:
            raise BadRequest(f"Invalid expand value(s) {bad} for commits; allowed: 'formatted'")
        commits = self.store.commit_list(repo_type, repo_id)
        start = page * limit
        items = commits[start : start + limit]
        if expand:
            items = [
                dict(
                    c,
                    formatted={"title": html.escape(c.get("title", "")), "message": html.escape(c.get("message", ""))},
                )
                for c in items
            ]
        headers = [("X-Total-Count", str(len(commits)))]
        if start + limit < len(commits):
            kept = [(k, v) for k, v in params if k != "p"] + [("p", str(page + 1))]
            headers.append(("Link", f'<{self.base_url}{path}?{urlencode(kept)}>; rel="next"'))
        return Answer(200, dumps(items), headers)

    def discussions(self, repo_type: str, repo_id: str, params) -> Answer:
        page = _int_param(params, "p", 0, minimum=0)
        kind = listing.last_param(params, "type") or "all"
        status = listing.last_param(params, "status") or "all"
        author = listing.last_param(params, "author")
        search = (listing.last_param(params, "search") or "").lower()
        if kind not in ("all", "discussion", "pull_request"):
            raise BadRequest(f"Invalid type {kind!r}; allowed: all, discussion, pull_request")
        if status not in ("all", "open", "closed"):
            raise BadRequest(f"Invalid status {status!r}; allowed: all, open, closed")
        items = []
        for d in self.store.discussion_list(repo_type, repo_id):
            if kind != "all" and bool(d.get("isPullRequest")) != (kind == "pull_request"):
                continue
            # A draft PR counts as open, a merged one as closed.
            if status != "all" and _open_or_closed(d) != status:
                continue
            if author and (d.get("author") or {}).get("name") != author:
                continue
            if search and search not in str(d.get("title", "")).lower():
                continue
            items.append(d)
        start = page * DISCUSSIONS_PAGE
        body = {
            "discussions": items[start : start + DISCUSSIONS_PAGE],
            "count": len(items),
            "start": start,
            "numClosedDiscussions": sum(_open_or_closed(d) == "closed" for d in items),
        }
        return Answer(200, dumps(body))


def _open_or_closed(discussion: dict) -> str:
    return "closed" if discussion.get("status") in ("closed", "merged") else "open"


def _int_param(params, name: str, default: int, *, minimum: int) -> int:
    value = listing.last_param(params, name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(f"Invalid {name} {value!r}: not an integer") from None
    if number < minimum:
        raise BadRequest(f"Invalid {name} {value!r}: must be at least {minimum}")
    return number


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address, handler, emulator: Emulator):
        self.emulator = emulator
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        with self.sockets_lock:
            self.open_sockets.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self.sockets_lock:
            self.open_sockets.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address):
        # A client that hangs up mid-request (a killed crawl, a dropped-connection fault) is
        # ordinary here: no traceback on stderr.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def close_all(self) -> None:
        """Cut keep-alive connections so no handler outlives stop()."""
        with self.sockets_lock:
            sockets = list(self.open_sockets)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the client pools connections
    server_version = "hubwh-emulator"
    sys_version = ""
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # noqa: A002 - quiet: counters say enough
        pass

    def do_GET(self):
        self.server.emulator._serve(self)

    def do_HEAD(self):
        self.server.emulator._serve(self, head=True)

    def send_answer(
        self, answer: Answer, *, head: bool = False, body: bytes | None = None, content_length: int | None = None
    ) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", _JSON)
        for name, value in answer.headers:
            self.send_header(name, value)
        sent = answer.body if body is None else body
        self.send_header("Content-Length", str(len(sent) if content_length is None else content_length))
        self.end_headers()
        if not head:
            self.wfile.write(sent)


class Emulator:
    """The Hub emulator serving one snapshot on 127.0.0.1, in a background thread.

    >>> with Emulator(snapshot_dir, rate_limit=(1000, 300)) as emu:
    ...     HfApi(endpoint=emu.url, token=False).list_models(limit=10)
    """

    def __init__(
        self,
        snapshot_dir: str | Path,
        *,
        port: int = 0,
        rate_limit=None,
        latency_ms: float = 0,
        fault_rate: float = 0.0,
        faults=DEFAULT_FAULTS,
        seed: int = 0,
        fault_retry_after: int = 1,
        fault_max_run: int = 3,
        page_size: int = listing.DEFAULT_PAGE,
        log_size: int = 1_000_000,
    ):
        if not int(page_size) >= 1:
            raise ValueError(f"page_size must be at least 1, got {page_size}")
        self.store = Store(snapshot_dir)
        self.app = HubApp(self.store, page_size=min(int(page_size), listing.MAX_PAGE))
        self.port = int(port)
        self.latency_ms = float(latency_ms)
        self.seed = seed
        self._fault_retry_after = fault_retry_after
        self._fault_max_run = fault_max_run
        self._limiter: FixedWindow | None = None
        self.set_rate_limit(rate_limit)
        self._faults = FaultInjector(fault_rate, faults, seed, retry_after=fault_retry_after, max_run=fault_max_run)
        self._counters = Counters(log_size)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.url: str | None = None

    # -- life cycle -----------------------------------------------------------
    def start(self) -> str:
        if self._server is not None:
            return self.url
        self._server = _Server(("127.0.0.1", self.port), _Handler, self)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.app.base_url = self.url
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name=f"hub-emulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self.url

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_all()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- control --------------------------------------------------------------
    def counts(self) -> dict:
        return self._counters.counts()

    def request_log(self) -> list:
        return self._counters.log()

    def repo_request_log(self) -> list:
        """(kind, repo_type, repo_id) of every request for one repo's info, commits or
        discussions, in arrival order (cleared by reset_counts)."""
        return self._counters.repo_log()

    def reset_counts(self) -> None:
        self._counters.reset()

    def set_rate_limit(self, rate_limit) -> None:
        """(calls, window_seconds), or None to switch it off; starts a fresh window."""
        self._limiter = None if rate_limit is None else FixedWindow(*rate_limit)

    def rate_limit_info(self) -> dict | None:
        """The current limit: quota, window seconds and the monotonic time its
        first window started (windows are back to back from there), or None."""
        limiter = self._limiter
        if limiter is None:
            return None
        return {"quota": limiter.quota, "window": limiter.window, "started_at": limiter.started_at}

    def set_faults(self, fault_rate: float | None = None, faults=None, *, seed: int | None = None) -> None:
        current = self._faults
        self._faults = FaultInjector(
            current.rate if fault_rate is None else fault_rate,
            current.kinds if faults is None else faults,
            current.seed if seed is None else seed,
            retry_after=self._fault_retry_after,
            max_run=self._fault_max_run,
        )

    def set_latency(self, latency_ms: float) -> None:
        self.latency_ms = float(latency_ms)

    def mutate_repo(
        self, repo_type: str, repo_id: str, *, fields: dict | None = None, new_commit: dict | None = None
    ) -> dict:
        """Simulate a change on the Hub: update list fields and/or prepend a
        commit (which also sets the record's sha and lastModified)."""
        return self.store.mutate_repo(repo_type, repo_id, fields=fields, new_commit=new_commit)

    # -- serving --------------------------------------------------------------
    def _serve(self, handler: _Handler, head: bool = False) -> None:
        target = handler.path
        split = urlsplit(target)
        path = split.path
        params = parse_qsl(split.query, keep_blank_values=True)
        kind, route = self.app.route(path)
        if route[0] in ("info", "commits", "discussions"):
            self._counters.record_repo(kind, route[1], route[2])
        if self.latency_ms > 0:
            time.sleep(self.latency_ms / 1000.0)
        is_api = path.startswith("/api/")
        limiter = self._limiter if is_api else None
        rate_headers: list[tuple[str, str]] = []
        if limiter is not None:
            admitted, remaining, reset = limiter.take()
            rate_headers = [
                ("RateLimit", f'"api";r={remaining};t={reset}'),
                ("RateLimit-Policy", limiter.policy_header()),
            ]
            if not admitted:
                answer = error(
                    429,
                    "RateLimited",
                    f"You have exceeded our rate limit of {limiter.quota} requests per "
                    f"{limiter.policy_header().rsplit('w=', 1)[1]} seconds. Retry after "
                    f"{reset} seconds.",
                    rate_headers + [("Retry-After", str(reset))],
                )
                self._counters.record(kind, 429)
                handler.send_answer(answer, head=head)
                return
        fault = self._faults.decide(target) if is_api else None
        if fault in ("5xx", "429", "drop"):
            self._inject(handler, kind, fault, target, rate_headers, head)
            return
        try:
            answer = self.app.answer(route, path, params)
        except Exception as exc:  # a bug must not hang the client: say so
            answer = error(500, "InternalError", f"emulator error: {type(exc).__name__}: {exc}")
        answer.headers.extend(rate_headers)
        if fault == "truncate":
            # Content-Length promises the whole body; half is sent, then the connection closes.
            handler.close_connection = True
            self._counters.record(kind, answer.status, fault=True)
            handler.send_answer(
                answer, head=head, body=answer.body[: len(answer.body) // 2], content_length=len(answer.body)
            )
            return
        if fault == "cutjson":
            # A well-framed response whose JSON is cut short: only the parser notices.
            self._counters.record(kind, answer.status, fault=True)
            handler.send_answer(answer, head=head, body=answer.body[: max(1, len(answer.body) // 2)])
            return
        # Counted before sending, so a client that has its answer sees it counted.
        self._counters.record(kind, answer.status)
        handler.send_answer(answer, head=head)

    def _inject(self, handler: _Handler, kind: str, fault: str, target: str, rate_headers, head) -> None:
        if fault == "drop":
            handler.close_connection = True  # no response at all
            self._counters.record(kind, 0, fault=True)
            return
        if fault == "429":
            t = self._faults.retry_after
            # Announce a policy only when a rate limit is really configured: a made-up quota
            # would make a compliant client throttle itself to it.
            policy = [h for h in rate_headers if h[0] == "RateLimit-Policy"]
            answer = error(
                429,
                "RateLimited",
                f"Too many requests: retry after {t} seconds.",
                [("RateLimit", f'"api";r=0;t={t}'), ("Retry-After", str(t))] + policy,
            )
        else:
            status = self._faults.status_5xx(target)
            answer = error(
                status,
                {500: "InternalError", 502: "BadGateway", 503: "ServiceUnavailable"}[status],
                {500: "Internal Error", 502: "Bad Gateway", 503: "Service Unavailable"}[status],
                rate_headers,
            )
        self._counters.record(kind, answer.status, fault=True)
        handler.send_answer(answer, head=head)
