"""How much does ``import thinksmall_kit`` cost on top of ``import pandas``?

Target (issue 11): at most 50 ms more, fresh processes, median of several runs.
Prints figures; never fails on time (the machines are shared and noisy).

    .venv/bin/python bench/bench_import.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def median_seconds(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    median_seconds("import thinksmall_kit", 2)  # warm the file cache
    base = median_seconds("pass", runs)
    pandas = median_seconds("import pandas", runs)
    kit = median_seconds("import thinksmall_kit", runs)
    print(f"{'process start (python -c pass)':<34} {base * 1000:7.1f} ms")
    print(f"{'import pandas':<34} {pandas * 1000:7.1f} ms")
    print(f"{'import thinksmall_kit':<34} {kit * 1000:7.1f} ms")
    print(f"{'kit on top of pandas':<34} {(kit - pandas) * 1000:7.1f} ms   (target <= 50 ms)")
    print(f"{'ratio kit / pandas':<34} {kit / pandas:7.2f}")


if __name__ == "__main__":
    main()
