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

A command checks the paths and numbers it was given before it starts: a
mistake prints what was wrong and what to do (no traceback, exit status 1 or
2) and creates nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

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


# --------------------------------------------------------------------------- checks first
# The commands below check what they were given before doing anything, so a
# mistake (a typo in a path, a file where a folder belongs) prints what was
# wrong and what to do, and creates nothing.


def _folder_problem(folder: Path) -> str | None:
    """Why files cannot be written in ``folder`` (which may still be missing), or None."""
    existing = next((f for f in (folder, *folder.parents) if f.exists()), None)
    if existing is None:  # pragma: no cover - the root always exists
        return f"{folder} cannot be found"
    if not existing.is_dir():
        return f"{existing} is a file, not a folder"
    try:  # ask the file system itself: permissions, read-only mounts, /proc ...
        made = tempfile.mkdtemp(prefix=".thinksmall-check-", dir=existing)
    except OSError as exc:
        return f"the folder {existing} cannot be written ({exc.strerror or exc})"
    os.rmdir(made)
    return None


def _check_out_file(flag: str, out: str, example: str) -> None:
    """``--out FILE``: its folder must be one that can be written (it is made if missing)."""
    if not out.strip():
        return  # the command's own check says what to give
    path = Path(out).expanduser()
    if path.is_dir():
        return  # the command's own check says it should be a file ending in .html
    problem = _folder_problem(path.parent)
    if problem:
        raise _Refused(f"cannot write {flag} {out}: {problem}.\n"
                       f"  expected: {flag} in a folder you may write to, e.g. {flag} {example}\n"
                       f"  fix: choose another place for {flag}; nothing was written")


def _check_out_folder(flag: str, out: str, example: str) -> None:
    """``--out FOLDER``: a folder, or a place where one can be made."""
    path = Path(out).expanduser()
    if path.exists() and not path.is_dir():
        raise _Refused(f"{flag} {out} is a file, not a folder.\n"
                       f"  expected: a folder (made if missing), e.g. {flag} {example}\n"
                       f"  fix: choose another {flag}; nothing was written")
    problem = _folder_problem(path)
    if problem:
        raise _Refused(f"cannot write in {flag} {out}: {problem}.\n"
                       f"  expected: a folder you may write to, e.g. {flag} {example}\n"
                       f"  fix: choose another {flag}; nothing was written")


class _Refused(Exception):
    """What a command's early check found wrong; printed as ``thinksmall COMMAND: ...``."""


def _check_report(args: argparse.Namespace) -> None:
    if args.workspace is not None and args.persona is None:
        # The report only reads a workspace: a typo must not make a new, empty one.
        path = Path(args.workspace).expanduser()
        where = ("by default ~/thinksmall/workspace.sqlite; tsk.open_workspace() in a lesson "
                 "prints where yours is")
        if not path.exists():
            raise _Refused(f"there is no workspace at {args.workspace} (--workspace).\n"
                           f"  expected: the workspace file your lessons saved to ({where})\n"
                           f"  fix: check the path, or use --persona NAME for a sample; "
                           f"nothing was created")
        if path.is_file() and path.stat().st_size == 0:
            raise _Refused(f"{args.workspace} (--workspace) is an empty file, not a workspace.\n"
                           f"  expected: the workspace file your lessons saved to ({where})\n"
                           f"  fix: check the path; the file was left as it was")
    minutes = args.minutes_per_day
    if minutes is not None and not math.isfinite(minutes):
        raise _Refused(f"--minutes-per-day must be a number of minutes (got {minutes}).\n"
                       f"  expected: a small budget such as --minutes-per-day 5\n"
                       f"  fix: give a plain number of minutes")
    _check_out_file("--out", args.out, "my-plan.html")


def _check_class_report(args: argparse.Namespace) -> None:
    _check_out_file("--out", args.out, "class.html")


def _check_slides(args: argparse.Namespace) -> None:
    for lesson in args.lessons:
        path = Path(lesson).expanduser()
        if not path.is_file():
            continue  # the command's own check names a missing lesson
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            nb, why = None, f"it cannot be read as JSON: {str(exc)[:80]}"
        else:
            why = "it is JSON but has no cells"
        if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
            raise _Refused(f"{lesson} is not a notebook ({why}).\n"
                           f"  expected: a lesson notebook, e.g. lessons/00-welcome.ipynb\n"
                           f"  fix: check the path; nothing was written")
    _check_out_folder("--out", args.out, "build/slides")


#: Early checks of the commands defined elsewhere (report.py): {command: check}.
_CHECKS: dict[str, Callable[[argparse.Namespace], None]] = {
    "report": _check_report,
    "class-report": _check_class_report,
    "slides": _check_slides,
}


def _checked(check: Callable[[argparse.Namespace], None], run: Any) -> Any:
    def wrapper(args: argparse.Namespace, extra: list[str]) -> int:
        try:
            check(args)
        except _Refused as refused:
            raise SystemExit(f"thinksmall {args.command}: {refused}") from None
        except OSError as exc:  # a path that cannot even be looked at (permissions ...)
            raise SystemExit(f"thinksmall {args.command}: cannot look at {exc.filename} "
                             f"({exc.strerror or exc}); check the path and its permissions, "
                             f"or choose another") from None
        return run(args, extra)
    return wrapper


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
    for name, check in _CHECKS.items():
        command = sub.choices.get(name)
        if command is not None:
            command.set_defaults(run=_checked(check, command.get_default("run")))
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
