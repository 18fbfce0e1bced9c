"""How large is each figure the kit draws, as plotly JSON (what a notebook stores and sends)?

Target (issue 11): the tribe network figure for 5,000 contacts is at most
1.5 MB of figure JSON. The other figures are measured on the two sample
personas for context (no target; a figure much above 1 MB would make a lesson
slow to open and save). Prints figures; never fails.

    .venv/bin/python bench/bench_figures.py [--contacts 5000]

The 5,000-contact network is invented by bench/_synthetic.py (8 interactions
per contact on average, a long tail of very active people), as in
tests/test_tribe.py. Each size is ``len(fig.to_json())`` in MB (10^6 bytes).
"""

from __future__ import annotations

import argparse
import time

import pandas as pd
from _common import table  # bench/ is on sys.path when a benchmark runs as a script
from _synthetic import synthetic

import thinksmall_kit as tsk


def mb(fig) -> float:
    return len(fig.to_json()) / 1e6


def persona_figures(name: str) -> list[tuple[str, float]]:
    net = tsk.load_persona(name)
    later = tsk.load_persona(name, later=True)
    days = pd.date_range("2025-12-01", periods=28, freq="D")
    log = pd.DataFrame({"day": days.strftime("%Y-%m-%d"),
                        "status": ["done", "done", "not_done", "done", "skipped", "done",
                                   "done"] * 4})
    results = {
        "engagement": (tsk.engagement(net), ("scatter", "latent")),
        "audit": (tsk.audit(net), ("effort", "budget")),
        "tribe": (tsk.tribe(net), ("rings", "roles", "network")),
        "conversation": (tsk.conversation(net), ("over_time", "reciprocity")),
        "give_first_plan": (tsk.give_first_plan(net), ("recency",)),
        "plan_habits": (tsk.plan_habits(net), ("days", "people")),
        "habit_progress": (tsk.habit_progress(log), ("calendar", "score")),
        "review": (tsk.review(net, later), ("change", "platforms")),
    }
    return [(f"{name}: {what}.figure({kind!r})", mb(result.figure(kind)))
            for what, (result, kinds) in results.items() for kind in kinds]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=5_000)
    args = parser.parse_args()
    net = synthetic(args.contacts, args.contacts * 8)
    start = time.perf_counter()
    tr = tsk.tribe(net)
    fig = tr.figure("network")
    seconds = time.perf_counter() - start
    size = mb(fig)
    points = sum(len(t.x) for t in fig.data if t.mode == "markers")
    rows = [(f"tribe network figure, {args.contacts:,} contacts", f"{size:.2f} MB", "<= 1.5 MB",
             size <= 1.5),
            ("  people drawn / tribe and figure time", f"{points:,} / {seconds:.1f} s", "",
             None),
            (f"tribe rings figure, {args.contacts:,} contacts", f"{mb(tr.figure('rings')):.2f} MB",
             "", None)]
    for name in tsk.list_personas():
        rows += [(label, f"{size:.3f} MB", "", None) for label, size in persona_figures(name)]
    table("figure sizes (plotly JSON)", rows)


if __name__ == "__main__":
    main()
