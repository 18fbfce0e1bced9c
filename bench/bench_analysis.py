"""Audit, tribe and conversation on a million interactions: time, memory, scaling.

Targets (issue 11), on this 2-core machine: 1,000,000 interactions and 50,000
contacts analysed (``audit``, ``tribe`` and ``conversation``, one after the other)
in at most 5 s with at most 2 GB peak memory; ten times the data costs at most
twelve times the time (from 100,000 interactions and 5,000 contacts to
1,000,000 and 50,000: both tables grow tenfold).
Prints figures; never fails on time (the machines are shared and noisy).

    .venv/bin/python bench/bench_analysis.py [--runs 3] [--events 1000000]

Each size runs in a fresh process (``--child``): it builds the network from
bench/_synthetic.py (not timed), resets the peak resident size (writing 5 to
/proc/self/clear_refs; Linux), runs the three analyses ``--runs`` times and
reports the median time of each (wall clock, and the CPU time of the process,
which a busy machine inflates less) and the process's peak resident size
(VmHWM from /proc/self/status) while they ran, the network included. A fresh
process is needed: ``ru_maxrss`` of a forked child inherits the parent's peak.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

from _common import table  # bench/ is on sys.path when a benchmark runs as a script

STEPS = ("audit", "tribe", "conversation")


def _status(key: str) -> int:
    """A field of /proc/self/status in kB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key):
                return int(line.split()[1])
    raise KeyError(key)


def child(contacts: int, events: int, runs: int) -> None:
    from _synthetic import synthetic

    import thinksmall_kit as tsk

    net = synthetic(contacts, events)
    for step in STEPS:  # load each module before measuring
        getattr(tsk, step)
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    held = _status("VmRSS:")
    times: dict[str, list[float]] = {s: [] for s in (*STEPS, "total")}
    cpu: dict[str, list[float]] = {s: [] for s in (*STEPS, "total")}
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        for step in STEPS:
            t, c = time.perf_counter(), time.process_time()
            result = getattr(tsk, step)(net)
            if step == "tribe":
                result.concentration  # worked out on first use: count it here  # noqa: B018
            times[step].append(time.perf_counter() - t)
            cpu[step].append(time.process_time() - c)
        times["total"].append(time.perf_counter() - start)
        cpu["total"].append(time.process_time() - start_cpu)
    print(json.dumps({"seconds": {k: statistics.median(v) for k, v in times.items()},
                      "cpu": {k: statistics.median(v) for k, v in cpu.items()},
                      "held_mb": held / 1024, "peak_mb": _status("VmHWM:") / 1024}))


def measure(contacts: int, events: int, runs: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(contacts), str(events),
                          "--runs", str(runs)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per size (median)")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=2, type=int, metavar=("CONTACTS", "EVENTS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.runs)
        return
    big = (args.events // 20, args.events)
    small = (big[0] // 10, big[1] // 10)
    results = {}
    for contacts, events in (small, big):
        results[events] = r = measure(contacts, events, args.runs)
        s = r["seconds"]
        parts = ", ".join(f"{k} {s[k]:.2f} s" for k in STEPS)
        print(f"{events:>9,} interactions, {contacts:,} contacts: {s['total']:.2f} s "
              f"({parts}); peak {r['peak_mb']:,.0f} MB")
    b, sm = results[big[1]], results[small[1]]
    ratio = b["seconds"]["total"] / sm["seconds"]["total"]
    cpu_ratio = b["cpu"]["total"] / sm["cpu"]["total"]
    print(f"10x data costs {ratio:.1f}x time ({cpu_ratio:.1f}x CPU time)")
    rows = [(f"{k} time, {big[1]:,} interactions", f"{b['seconds'][k]:.2f} s "
             f"(cpu {b['cpu'][k]:.2f} s)", "", None) for k in STEPS]
    rows += [
        (f"all three, {big[1]:,} interactions", f"{b['seconds']['total']:.2f} s", "<= 5 s",
         b["seconds"]["total"] <= 5),
        ("  the same in CPU time", f"{b['cpu']['total']:.2f} s", "<= 5 s",
         b["cpu"]["total"] <= 5),
        ("peak memory (process, network held)", f"{b['peak_mb'] / 1024:.2f} GB", "<= 2 GB",
         b["peak_mb"] <= 2048),
        ("  of which the network and imports", f"{b['held_mb'] / 1024:.2f} GB", "", None),
        (f"all three, {small[1]:,} interactions", f"{sm['seconds']['total']:.2f} s", "", None),
        ("10x data costs", f"{ratio:.1f}x time", "<= 12x", ratio <= 12),
        ("  in CPU time", f"{cpu_ratio:.1f}x", "<= 12x", cpu_ratio <= 12),
    ]
    table(f"analysis, median of {args.runs} runs per size", rows)


if __name__ == "__main__":
    main()
