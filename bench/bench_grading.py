"""How much faster does ``thinksmall course grade --jobs 2`` grade a class than plain nbgrader?

A generated class (every student hands in every assignment of exercises/source/,
answered with the solutions, with one question in five left blank at random, seeded)
is graded twice in fresh private copies of the course:

sequential
    plain nbgrader, one process: ``nbgrader autograde <assignment>`` then
    ``nbgrader generate_feedback <assignment>`` for each assignment, after the
    gradebook is set up the same way;
parallel
    ``thinksmall_kit.course.grade(..., jobs=N)``.

Both must give identical grades (nbgrader's ``grades.csv``); the ratio of the
wall-clock times is printed (target at least 1.8 with 2 jobs on 2 cores).
Prints figures; never fails on time.

    .venv/bin/python bench/bench_grading.py [--students 20] [--jobs 2]
    .venv/bin/python bench/bench_grading.py --students 100      # the full run

It takes minutes, so ``make bench`` (which runs it without arguments) skips
it unless asked: ``make bench BENCH_GRADING=1`` (or ``BENCH_GRADING=1`` in the
environment) runs it with the defaults; any argument on the command line runs
it too.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from _common import table  # noqa: E402  (bench/ is on sys.path when run as a script)
from fixtures.coursework import answered, cells_by_id  # noqa: E402

from thinksmall_kit import course as C  # noqa: E402


def make_class(course: Path, dest: Path, students: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    release = dest.parent / "release"  # student versions fresh from the current sources
    C.build(course, release=release)
    for name in C.list_assignments(course):
        source = nbformat.read(course / "source" / name / f"{name}.ipynb", as_version=4)
        blank = nbformat.read(release / name / f"{name}.ipynb", as_version=4)
        answers = [gid for gid, c in cells_by_id(source).items()
                   if c.metadata["nbgrader"].get("solution") and c.cell_type == "code"]
        for i in range(students):
            skipped = {gid for gid in answers if rng.random() < 0.2}
            nb = answered(blank, source)
            stubs = cells_by_id(blank)
            for gid in skipped:
                cells_by_id(nb)[gid].source = stubs[gid].source
            path = dest / f"student{i:03d}" / name / f"{name}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, str(path))


def scores(path: Path) -> dict[tuple[str, str], str]:
    with open(path, newline="") as fh:
        return {(r["student_id"], r["assignment"]): r["score"] for r in csv.DictReader(fh)}


def sequential(course: Path, submissions: Path, out: Path) -> float:
    """Plain nbgrader, one process per step; gradebook set up first (timed, as in grade())."""
    start = time.perf_counter()
    work = C._working_copy(course, out / "course")
    names = C.list_assignments(course)
    students = sorted(p.name for p in submissions.iterdir())
    C._setup_gradebook(work, names, students)
    shutil.copytree(submissions, work / "submitted")
    nbgrader = str(Path(sys.executable).parent / "nbgrader")
    for name in names:
        for step in ("autograde", "generate_feedback"):
            subprocess.run([nbgrader, step, name, "--force", "--log-level=ERROR"], cwd=work,
                           check=False, capture_output=True)
    subprocess.run([nbgrader, "export", "--to", str(out / "grades.csv"), "--log-level=ERROR"],
                   cwd=work, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    if len(sys.argv) == 1 and os.environ.get("BENCH_GRADING", "") in ("", "0"):
        print("\ngrading benchmark skipped (it takes minutes): run it with "
              "`make bench BENCH_GRADING=1` or `.venv/bin/python bench/bench_grading.py "
              "--students 20`")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    course = C.find_course()
    names = C.list_assignments(course)
    if not names:
        print("no assignments in exercises/source/ yet: nothing to grade")
        return
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        tmp = Path(tmp)
        make_class(course, tmp / "class", args.students)
        n = args.students * len(names)
        print(f"class: {args.students} students x {len(names)} assignments = {n} submissions")
        seq = sequential(course, tmp / "class", tmp / "seq")
        print(f"sequential nbgrader:        {seq:7.1f} s  ({seq / n:.2f} s per submission, "
              "set-up included)")
        start = time.perf_counter()
        report = C.grade(tmp / "class", tmp / "par", jobs=args.jobs, progress=None)
        par = time.perf_counter() - start
        print(f"thinksmall course --jobs {args.jobs}: {par:7.1f} s  ({par / n:.2f} s per "
              "submission, set-up included)")
        same = scores(tmp / "seq" / "grades.csv") == scores(tmp / "par" / "grades.csv")
        print(f"identical grades: {same}")
        print(f"speed-up: {seq / par:.2f}x (target >= 1.8 with 2 jobs on 2 cores)")
        table(f"grading {n} submissions", [
            ("sequential nbgrader", f"{seq:.1f} s", "", None),
            (f"thinksmall course grade --jobs {args.jobs}", f"{par:.1f} s", "", None),
            ("identical grades", str(same), "True", same),
            ("speed-up", f"{seq / par:.2f}x", ">= 1.8x", seq / par >= 1.8),
        ])
        print(f"nbgrader seconds per submission (parallel run): median "
              f"{report.table['seconds'].median():.2f}, max {report.table['seconds'].max():.2f}")
        if not same:
            sys.exit("grades differ between the sequential and the parallel run")


if __name__ == "__main__":
    main()
