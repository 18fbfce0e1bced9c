"""Shared helpers for the benchmarks: the machine's load and the table of figures.

Every benchmark ends with a table: measure, figure, target, met (yes/no).
The figures are never pass/fail: the machines are shared and noisy, so the
load average (from ``os.getloadavg``) is printed next to each table.
"""

from __future__ import annotations

import os
from collections.abc import Sequence


def load() -> str:
    """The 1-minute load average and the number of cores, e.g. ``load 1.20 on 2 cores``."""
    return f"load {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"


def table(title: str, rows: Sequence[tuple[str, str, str, bool | None]]) -> None:
    """Print ``rows`` of (measure, figure, target, met) under ``title``.

    ``met`` is None for a figure without a target (shown as "-").
    """
    heads = ("measure", "figure", "target", "met")
    cells = [(m, f, t, "-" if ok is None else ("yes" if ok else "no")) for m, f, t, ok in rows]
    widths = [max(len(str(r[i])) for r in [heads, *cells]) for i in range(4)]
    print(f"\n{title}  ({load()})")
    line = "  ".join("-" * w for w in widths)
    print("  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)))
    print(line)
    for r in cells:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
