"""How long does each lesson take to run headless, beyond starting a kernel?

Targets (issue 11), on this 2-core machine: each lesson runs in at most 2 s
beyond an empty notebook's kernel start; the whole course (every lesson and
every exercise source, with its solutions) in at most 60 s, one after another.
Prints figures; never fails on time (the machines are shared and noisy).

    .venv/bin/python bench/bench_notebooks.py [--runs 1] [--baseline-runs 3] [-k 03]

Each notebook runs with nbclient exactly as tests/test_notebooks.py runs it
(kernel python3, working directory the notebook's folder), with
THINKSMALL_WORKSPACE pointing at a throwaway file. The baseline is the median
wall time of a notebook with one empty cell (kernel start and shutdown). A
lesson's figure is its median wall time minus that baseline; its slowest
cell (from nbclient's timing metadata) shows where to look first.

plotly's own display code imports nbformat, which imports jsonschema, which
(when rfc3987-syntax is installed, as Jupyter's dependencies make it) compiles
Lark grammars at import (upstream: python-jsonschema/jsonschema#1428). The
kit's figures send plotly's message without it (thinksmall_kit/_figure.py);
the table shows the cost every lesson's first chart no longer pays, measured
alone in a fresh process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
from _common import table  # bench/ is on sys.path when a benchmark runs as a script
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises" / "source").glob("*/*.ipynb"))


def run(path: Path | None) -> tuple[float, str]:
    """Wall seconds to execute ``path`` (None = an empty notebook) and its slowest cell."""
    if path is None:
        nb, folder = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")]), ROOT
    else:
        nb, folder = nbformat.read(path, as_version=4), path.parent
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            resources={"metadata": {"path": str(folder)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    slowest, where = 0.0, ""
    for i, cell in enumerate(nb.cells):
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            t = (datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
                 - datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
                 ).total_seconds()
            if t > slowest:
                first = cell.source.strip().splitlines()[0][:40] if cell.source.strip() else ""
                slowest, where = t, f"cell {i} ({t:.1f} s): {first}"
    return seconds, where


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per notebook (median)")
    parser.add_argument("--baseline-runs", type=int, default=3)
    parser.add_argument("-k", default="", help="only notebooks whose name contains this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-notebooks-") as tmp:
        os.environ["THINKSMALL_WORKSPACE"] = str(Path(tmp) / "workspace.sqlite")
        base = statistics.median(run(None)[0] for _ in range(args.baseline_runs))
        rows, total, slow = [], 0.0, []
        for path in LESSONS + EXERCISES:
            if args.k not in path.name:
                continue
            results = [run(path) for _ in range(args.runs)]
            seconds = statistics.median(r[0] for r in results)
            total += seconds
            beyond = seconds - base
            name = str(path.relative_to(ROOT))
            print(f"{name:<62} {seconds:5.1f} s  (+{beyond:.1f} s)  slowest {results[0][1]}")
            if path in LESSONS:
                rows.append((f"{path.stem} beyond kernel start", f"{beyond:.1f} s", "<= 2 s",
                             beyond <= 2))
            else:
                slow.append((f"exercise {path.stem}", f"{seconds:.1f} s", "", None))
    third = subprocess.run([sys.executable, "-c", "import time; t = time.perf_counter(); "
                            "import nbformat; print(time.perf_counter() - t)"],
                           capture_output=True, text=True, check=True).stdout
    rows = [("empty notebook (kernel start)", f"{base:.1f} s", "", None),
            ("  saved: plotly's renderer imports (nbformat)", f"{float(third):.1f} s", "",
             None), *rows, *slow,
            ("whole course, one after another", f"{total:.1f} s", "<= 60 s", total <= 60)]
    table(f"notebooks, median of {args.runs} run(s) each", rows)


if __name__ == "__main__":
    main()
