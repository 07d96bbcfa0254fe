"""`hubwh`: the one entry point. Each sub-command lives in its own module with a
`main(argv) -> int`; modules are imported only when their command runs, so
`hubwh emulate` does not pay for importing dbt."""

from __future__ import annotations

import importlib
import os
import sys

from hubwh.errors import HubwhError

COMMANDS = {
    "synth": ("hubwh.synth.cli", "write a synthetic Hub snapshot"),
    "snapshot": ("hubwh.snapshot.cli", "build, inspect, load or dump Hub snapshots (from-pages, info, load, dump)"),
    "emulate": ("hubwh.emulator.cli", "serve a snapshot through the Hub's HTTP API on 127.0.0.1"),
    "crawl": ("extract.cli", "crawl the Hub (or an emulator) into the DuckDB file's raw schema"),
    "build": ("hubwh.build", "run dbt build on the warehouse (extra args go to dbt)"),
    "report": ("hubwh.report.cli", "print the headline findings, or write the HTML report (--html DIR)"),
    "export": ("hubwh.export", "write the public marts as Parquet files"),
    "demo": ("hubwh.demo", "the offline demo: synthetic Hub -> emulator -> crawl -> dbt build -> report"),
}


def _usage() -> str:
    lines = ["usage: hubwh COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<10} {help_}" for name, (_, help_) in COMMANDS.items()]
    lines += ["", "`hubwh COMMAND --help` for a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # No telemetry from dbt or dlt, whoever calls us.
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    if not argv or argv[0] in ("-h", "--help"):
        print(_usage())
        return 0
    if argv[0] == "--version":
        from hubwh import __version__

        print(__version__)
        return 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"hubwh: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[name][0])
    try:
        return int(module.main(rest) or 0)
    except HubwhError as exc:
        print(f"hubwh {name}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"hubwh {name}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
