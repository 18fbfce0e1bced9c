"""How much does ``import thinksmall_kit`` cost on top of ``import pandas``?

Target (issue 11): at most 50 ms more, fresh processes, median of several runs.
Prints figures; never fails on time (the machines are shared and noisy).

    .venv/bin/python bench/bench_import.py [--runs 15]

Two ways of measuring, both in fresh processes:

whole process
    wall-clock time of ``python -c "import pandas, thinksmall_kit"`` minus that
    of ``python -c "import pandas"`` (what the issue asks; noisy on a busy machine);
in process
    ``import pandas`` first, then time ``import thinksmall_kit`` alone inside
    the same process (the same cost with far less noise).

Names load lazily (see thinksmall_kit/__init__.py), so the cost of a module
moves to its first use: the table also shows ``tsk.load_persona("ceramics")``
and ``tsk.tribe`` on first use, for context.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from _common import table  # bench/ is on sys.path when a benchmark runs as a script

IN_PROCESS = """
import time, pandas
start = time.perf_counter()
import thinksmall_kit as tsk
imported = time.perf_counter()
net = tsk.load_persona("ceramics")
loaded = time.perf_counter()
tsk.tribe(net)
done = time.perf_counter()
print(imported - start, loaded - imported, done - loaded)
"""


def median_seconds(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(runs: int) -> list[float]:
    rows = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", IN_PROCESS], check=True,
                             capture_output=True, text=True).stdout
        rows.append([float(x) for x in out.split()])
    return [statistics.median(col) for col in zip(*rows, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    median_seconds("import pandas, thinksmall_kit", 2)  # warm the file cache
    base = median_seconds("pass", runs)
    pandas = median_seconds("import pandas", runs)
    kit = median_seconds("import pandas, thinksmall_kit", runs)
    alone, persona, tribe = in_process(runs)
    ms = 1000
    table(f"import cost, median of {runs} fresh processes", [
        ("process start (python -c pass)", f"{base * ms:.1f} ms", "", None),
        ("import pandas", f"{pandas * ms:.1f} ms", "", None),
        ("import pandas, thinksmall_kit", f"{kit * ms:.1f} ms", "", None),
        ("kit on top of pandas, whole process", f"{(kit - pandas) * ms:.1f} ms", "<= 50 ms",
         kit - pandas <= 0.050),
        ("kit on top of pandas, in process", f"{alone * ms:.1f} ms", "<= 50 ms",
         alone <= 0.050),
        ("first tsk.load_persona('ceramics')", f"{persona * ms:.1f} ms", "", None),
        ("first tsk.tribe(net)", f"{tribe * ms:.1f} ms", "", None),
    ])


if __name__ == "__main__":
    main()
