"""The Hub emulator: serves a Hub snapshot on 127.0.0.1 through the Hub's own HTTP
API (docs/hub-api.md), with a rate limit, latency and injected faults on demand.

Modules: `store` (the snapshot in memory, indexed), `listing` (list endpoints and
field sets), `control` (rate limit, faults, counters), `server` (HTTP and
`Emulator`), `cli` (`hubwh emulate`).
"""

from hubwh.emulator.server import Emulator

__all__ = ["Emulator"]
