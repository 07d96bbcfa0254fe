"""The report: a static HTML report of every figure and table of the paper
(`write_html`) and the headline findings in the terminal (`print_headlines`)."""

from __future__ import annotations

from pathlib import Path


def write_html(db_path: str | Path, out_dir: str | Path) -> Path:
    """Write the HTML report of the warehouse at db_path into out_dir; returns index.html."""
    from hubwh.report.html import write_html as _write

    return _write(db_path, out_dir)


def print_headlines(db_path: str | Path, console=None) -> None:
    """Print the headline findings of RQ1-RQ3 as rich tables."""
    from hubwh.report.headlines import print_headlines as _print

    _print(db_path, console=console)


__all__ = ["write_html", "print_headlines"]
