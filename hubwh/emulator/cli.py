"""`hubwh emulate --snapshot DIR [--port P] [--rate-limit CALLS/SECONDS]
[--latency-ms MS] [--fault-rate F] [--faults KINDS] [--seed S] [--page-size N]`: serve a snapshot
until SIGINT or SIGTERM (either stops it cleanly, status 0). The first line of output is
the URL served."""

from __future__ import annotations

import argparse
import signal
import sys

from hubwh.emulator.control import DEFAULT_FAULTS, FAULT_KINDS, parse_rate_limit
from hubwh.errors import HubwhError

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="hubwh emulate", description="Serve a Hub snapshot through the Hub's HTTP API on 127.0.0.1."
    )
    p.add_argument("--snapshot", required=True, help="snapshot folder (docs/snapshot-format.md)")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0, the default, picks a free one)")
    p.add_argument(
        "--rate-limit", metavar="CALLS/SECONDS", help="fixed-window rate limit, e.g. 1000/300 (off unless given)"
    )
    p.add_argument("--latency-ms", type=float, default=0.0, help="delay added to every response")
    p.add_argument(
        "--fault-rate", type=float, default=0.0, help="share of requests answered with an injected fault (0..1)"
    )
    p.add_argument(
        "--faults", default=",".join(DEFAULT_FAULTS), help=f"comma-separated fault kinds among {', '.join(FAULT_KINDS)}"
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the fault pattern")
    p.add_argument(
        "--page-size", type=int, default=1000, help="list page size when a request has no `limit` (at most 1000)"
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from hubwh.emulator import Emulator

    try:
        rate_limit = parse_rate_limit(args.rate_limit) if args.rate_limit else None
        faults = tuple(k for k in args.faults.split(",") if k)
        emulator = Emulator(
            args.snapshot,
            port=args.port,
            rate_limit=rate_limit,
            latency_ms=args.latency_ms,
            fault_rate=args.fault_rate,
            faults=faults,
            seed=args.seed,
            page_size=args.page_size,
        )
    except ValueError as exc:
        raise HubwhError(str(exc)) from None
    # SIGINT and SIGTERM are blocked in every thread and taken by the main thread with sigwait,
    # so no signal handler ever runs: a handler runs between any two bytecodes of the main
    # thread, and one that sets a threading.Event there can wait for ever on the Event's lock
    # when the main thread already holds it (inside Event.wait). A signal that comes while
    # the server starts or stops waits, pending, instead. Blocked before the server's threads
    # start, as they inherit the mask.
    previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        try:
            url = emulator.start()
        except OSError as exc:
            raise HubwhError(f"cannot listen on 127.0.0.1:{args.port} ({exc})") from None
        try:
            print(url, flush=True)
            signal.sigwait(STOP_SIGNALS)
        finally:
            emulator.stop()
            counts = {k: v for k, v in emulator.counts().items() if v}
            print(f"served: {counts}", file=sys.stderr, flush=True)
    finally:
        # A second signal sent while stopping is taken here, not by its default action
        # (death by SIGTERM, KeyboardInterrupt) once unblocked.
        while STOP_SIGNALS & signal.sigpending():
            signal.sigwait(STOP_SIGNALS)
        signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)
    return 0
