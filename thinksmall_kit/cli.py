"""The ``thinksmall`` command (also ``python -m thinksmall_kit``).

``thinksmall lab``
    Start JupyterLab on the course, opening the welcome lesson. Extra flags go
    to JupyterLab unchanged, e.g. ``thinksmall lab --no-browser --port 8899``.
``thinksmall doctor``
    Print the versions the kit runs on and whether JupyterLab's widget, plotly
    and nbgrader extensions are installed and enabled. Exits 1, with the fix,
    when something is broken.
``thinksmall course build|validate|grade``
    The nbgrader exercises: generate the student versions, check a notebook
    as grading would, autograde a class (see ``thinksmall_kit.course``).
``thinksmall slides [--out DIR] [LESSON ...]``
    Offline reveal.js slides of the lessons, executed on a copy (``make slides``).
``thinksmall report --persona NAME | --workspace PATH --out FILE.html``
    The take-home plan: one offline HTML page, with the habit calendar (.ics) beside it.
``thinksmall class-report SUMMARIES_DIR --out FILE.html``
    The instructor's dashboard from learners' pseudonymised class summaries.
``thinksmall --version``
    Print the kit's version.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from thinksmall_kit import __version__

WELCOME = "lessons/00-welcome.ipynb"

# JupyterLab would otherwise ask the internet for news and new releases, and
# pop up a question about it: the kit promises that nothing leaves the
# learner's machine. The overrides file turns both settings off by default.
LAB_SETTINGS = Path(__file__).resolve().parent / "_lab"
QUIET_LAB = [
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    f"--LabApp.app_settings_dir={LAB_SETTINGS}",
]


def course_root(explicit: str | None = None) -> Path:
    """The folder holding ``lessons/``: ``--root``, else this checkout, else the current folder."""
    candidates = [Path(explicit)] if explicit else [
        Path(__file__).resolve().parent.parent, Path.cwd()]
    for folder in candidates:
        if (folder / "lessons").is_dir():
            return folder.resolve()
    tried = ", ".join(str(c) for c in candidates)
    raise SystemExit(
        f"thinksmall: no lessons/ folder found (looked in {tried}).\n"
        "Run the command from the kit's folder (where README.md and lessons/ are), "
        "or pass --root PATH.")


def lab_command(root: Path, extra: Sequence[str]) -> list[str]:
    """The JupyterLab command line that ``thinksmall lab`` runs."""
    default_url = f"/lab/tree/{WELCOME}" if (root / WELCOME).is_file() else "/lab"
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}",
               f"--LabApp.default_url={default_url}", *QUIET_LAB]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        # Containers and CI machines often run as root; Jupyter refuses without this.
        command.append("--allow-root")
    return [*command, *extra]


def nbgrader_dir(root: Path) -> Path:
    """Where JupyterLab runs so that nbgrader finds the course's ``nbgrader_config.py``.

    nbgrader's Validate button (and its other server extensions) read the
    config from the server's current folder, not from its ``root_dir``.
    """
    exercises = root / "exercises"
    return exercises if (exercises / "nbgrader_config.py").is_file() else root


def _lab(args: argparse.Namespace, extra: list[str]) -> int:
    root = course_root(args.root)
    command = lab_command(root, extra)
    print("Starting JupyterLab on", root, "(stop it with Ctrl+C)", flush=True)
    os.chdir(nbgrader_dir(root))
    os.execv(command[0], command)
    return 0  # pragma: no cover - execv does not return


def _doctor(args: argparse.Namespace, extra: list[str]) -> int:
    from thinksmall_kit._doctor import run_doctor

    return run_doctor()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="thinksmall",
        description="Think Small Kit: lessons in fewer networks, real ties and small habits.")
    parser.add_argument("--version", action="version", version=f"thinksmall-kit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    lab = sub.add_parser("lab", help="start JupyterLab on the lessons (extra flags go to it)")
    lab.add_argument("--root", help="the course folder (default: this checkout)")
    lab.set_defaults(run=_lab, passthrough=True)
    doctor = sub.add_parser("doctor", help="check versions and JupyterLab extensions")
    doctor.set_defaults(run=_doctor, passthrough=False)
    from thinksmall_kit.course import add_course_commands

    add_course_commands(sub)  # course build | validate | grade
    from thinksmall_kit.report import add_report_commands

    add_report_commands(sub)  # slides | report | class-report
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if extra and not args.passthrough:
        parser.error(f"unrecognised arguments: {' '.join(extra)}")
    return int(args.run(args, extra) or 0)
