"""The synthetic Hub: a calibrated, deterministic, streaming snapshot generator.

    >>> from hubwh.synth import generate
    >>> generate("/tmp/hub", models=3000, datasets=600, spaces=1200, seed=7)

    >>> from hubwh.synth import refresh
    >>> refresh("/tmp/hub", "/tmp/hub-later", days=35)   # the same Hub 35 days later

`options` are the other fields of `hubwh.synth.generator.Params` (e.g.
`as_of="2023-10-20T00:00:00Z"`, `outcome_share=0.01`).
"""

from __future__ import annotations

from pathlib import Path

from hubwh.errors import HubwhError


def generate(out_dir: str | Path, *, models: int, datasets: int, spaces: int, seed: int, **options) -> Path:
    """Write a synthetic Hub snapshot to out_dir and return its path."""
    from hubwh.synth.generator import Params, SyntheticHub

    for name, value in (("models", models), ("datasets", datasets), ("spaces", spaces)):
        if not isinstance(value, int) or value < 0:
            raise HubwhError(f"--{name} must be a non-negative integer, not {value!r}")
    as_of = options.get("as_of")
    if as_of is not None:
        from hubwh.synth.sampling import parse_date

        try:
            if parse_date(as_of) < parse_date("2020-01-01T00:00:00Z"):
                raise ValueError
        except ValueError:
            raise HubwhError(f"--as-of must be a date like 2023-10-20T00:00:00Z, after 2020: {as_of!r}") from None
    try:
        params = Params(models=models, datasets=datasets, spaces=spaces, seed=int(seed), **options)
    except TypeError as exc:
        raise HubwhError(f"unknown synthetic Hub option: {exc}") from None
    return SyntheticHub(out_dir, params).run()


def refresh(base: str | Path, out_dir: str | Path, *, days: int = 35) -> Path:
    """Write the synthetic Hub at `base` as it stands `days` days later (hubwh/synth/refresh.py)."""
    from hubwh.synth.refresh import refresh as _refresh

    return _refresh(base, out_dir, days=days)


__all__ = ["generate", "refresh"]
