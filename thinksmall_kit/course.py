"""The graded exercises as an nbgrader course: student versions, self-checks, class grading.

Three jobs, each behind a ``thinksmall course`` command:

``build``
    :func:`build` generates the student version of every assignment in
    ``exercises/source/`` with nbgrader and writes it to ``exercises/release/``
    (nbgrader's own release layout), so a learner who runs ``make lab`` finds
    them ready. Generation happens in a throw-away copy of the course: the
    repository's gradebook is never touched.
``validate NOTEBOOK``
    :func:`validate` runs nbgrader's validation on a learner's notebook (every
    cell, as "Restart and run all" would) and says which questions pass.
``grade SUBMISSIONS --jobs N --out DIR``
    :func:`grade` autogrades a whole class with nbgrader in N worker processes,
    in a private working copy of the course, and writes ``grades.csv`` (nbgrader's
    export columns), ``report.csv`` (one row per submission with what happened
    and how long nbgrader took) and one feedback HTML per submission into DIR.

A broken or hostile submission gets a defined grade and never costs anyone
else theirs: notebooks that cannot be read, are missing, or belong to another
assignment score 0 without being run; a renamed notebook is graded under its
proper name; a cell that runs too long is stopped by nbgrader
(``Execute.timeout``), and a worker that still does not answer is killed after
a hard limit and replaced.

nbgrader is imported inside the functions that use it, never on import.
"""

from __future__ import annotations

import contextlib
import json
import math
import numbers
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

#: Submissions larger than this are not read at all (a notebook is a few MB at most).
MAX_NOTEBOOK_BYTES = 200 * 1024 * 1024
#: A zip that unpacks to more than this is refused (a zip bomb).
MAX_ZIP_BYTES = 500 * 1024 * 1024
#: Seconds a worker may take per code cell before it is killed, on top of nbgrader's timeout.
HARD_LIMIT_SLACK = 60.0

REPORT_COLUMNS = ["student", "assignment", "status", "score", "max_score", "seconds", "note"]


class CourseError(ValueError):
    """A course command cannot run: says what was found, what was expected, what to do."""


# --------------------------------------------------------------------------- course


def _seconds(value: float | None, flag: str, least: float) -> float | None:
    """``value`` checked as a finite number of seconds of at least ``least`` (None stays None)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{flag}: expected a number of seconds, got {type(value).__name__}")
    if not math.isfinite(value) or value < least:
        raise CourseError(f"{flag} must be a number of seconds, at least {least:g} "
                          f"(got {value}); e.g. {flag} 30")
    return float(value)


def _check_out_folder(out: Path) -> None:
    """Refuse an ``--out`` that is a file, or below one, before anything is created."""
    for folder in (out, *out.parents):
        if folder.exists():
            if not folder.is_dir():
                what = "is" if folder == out else f"is inside {folder}, which is"
                raise CourseError(f"--out {out} {what} a file, not a folder: expected a "
                                  "folder for grades.csv, report.csv and feedback/ (it is "
                                  "made if missing); choose another --out")
            return


def _make_out_folder(out: Path) -> None:
    """Create ``--out`` and make sure files can be written in it."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise CourseError(f"cannot write the results in --out {out} "
                          f"({exc.strerror or exc}): expected a folder you may write to; "
                          "choose another --out") from exc


def find_course(course: str | os.PathLike | None = None) -> Path:
    """The nbgrader course folder: ``course`` if given, else this checkout's ``exercises/``.

    Parameters
    ----------
    course : path, optional
        A folder holding ``nbgrader_config.py`` and ``source/``.

    Returns
    -------
    pathlib.Path
        The course folder, resolved.

    Examples
    --------
    >>> from thinksmall_kit.course import find_course
    >>> find_course().name
    'exercises'

    Used by the ``thinksmall course`` commands (exercises/README.md).
    """
    candidates = ([Path(course)] if course is not None else
                  [Path(__file__).resolve().parent.parent / "exercises", Path.cwd() / "exercises"])
    for folder in candidates:
        if (folder / "nbgrader_config.py").is_file():
            return folder.resolve()
    tried = ", ".join(str(c) for c in candidates)
    raise CourseError(f"no nbgrader course found (looked for nbgrader_config.py in {tried}). "
                      "Pass the course folder with --course PATH.")


def list_assignments(course: str | os.PathLike | None = None) -> list[str]:
    """The assignments of the course: folders of ``source/`` holding at least one notebook.

    Examples
    --------
    >>> from thinksmall_kit.course import list_assignments
    >>> isinstance(list_assignments(), list)
    True

    Used by the ``thinksmall course`` commands (exercises/README.md).
    """
    source = find_course(course) / "source"
    if not source.is_dir():
        return []
    return sorted(p.name for p in source.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.ipynb")))


def _notebook_names(course: Path, assignment: str) -> list[str]:
    return sorted(p.stem for p in (course / "source" / assignment).glob("*.ipynb"))


def _grade_ids(nb: dict) -> set[str]:
    ids = set()
    for cell in nb.get("cells", []) if isinstance(nb, dict) else []:
        meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}
        if isinstance(meta, dict) and meta.get("grade_id"):
            ids.add(str(meta["grade_id"]))
    return ids


def _assignment_ids(course: Path) -> dict[str, set[str]]:
    """Grade ids of each assignment's source notebooks (to recognise a notebook's assignment)."""
    out = {}
    for name in list_assignments(course):
        ids: set[str] = set()
        for path in (course / "source" / name).glob("*.ipynb"):
            ids |= _grade_ids(json.loads(path.read_text(encoding="utf-8")))
        out[name] = ids
    return out


def _load_config(course: Path):
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()


def _working_copy(course: Path, dest: Path, *, db_url: str | None = None,
                  timeout: float | None = None) -> Path:
    """A private copy of the course (config and sources) that nbgrader may write into."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(course / "source", dest / "source",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    config = (course / "nbgrader_config.py").read_text(encoding="utf-8")
    config += f"\n# Added by thinksmall course (private working copy).\n" \
              f"c.CourseDirectory.root = {str(dest)!r}\n"
    if db_url:
        config += f"c.CourseDirectory.db_url = {db_url!r}\n"
    if timeout is not None:
        config += f"c.Execute.timeout = {int(timeout)}\n"
    # Grading runs unattended: no exchange, and nbgrader stays quiet unless asked.
    config += "c.Exchange.root = ''\n"
    (dest / "nbgrader_config.py").write_text(config, encoding="utf-8")
    return dest


def _tools_on_path() -> None:
    """nbgrader runs ``alembic`` from PATH: make the one beside this Python findable."""
    bindir = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if bindir not in path.split(os.pathsep):
        os.environ["PATH"] = bindir + (os.pathsep + path if path else "")


def _api(work: Path):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    _tools_on_path()
    config = _load_config(work)
    with contextlib.redirect_stdout(sys.stderr):
        return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def _check(result: dict, what: str) -> None:
    if not result.get("success"):
        detail = (result.get("error") or result.get("log") or "").strip().splitlines()
        raise CourseError(f"nbgrader could not {what}: {detail[-1] if detail else 'no detail'}")


# --------------------------------------------------------------------------- build


@dataclass
class BuildResult:
    """What :func:`build` generated: one row per student notebook.

    Attributes
    ----------
    table : pandas.DataFrame
        Columns ``assignment``, ``notebook`` (path of the student version) and
        ``changed`` (whether it differs from what was there before).
    """

    table: pd.DataFrame

    @property
    def changed(self) -> list[str]:
        """Assignments whose student version was missing or different."""
        return sorted(set(self.table.loc[self.table["changed"], "assignment"]))


def _same_tree(a: Path, b: Path) -> bool:
    if not (a.is_dir() and b.is_dir()):
        return False
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return files_a == files_b and all((a / f).read_bytes() == (b / f).read_bytes()
                                      for f in files_a)


def build(course: str | os.PathLike | None = None, *, release: str | os.PathLike | None = None,
          check: bool = False) -> BuildResult:
    """Generate the student version of every assignment with nbgrader.

    Each assignment's ``source/<assignment>/`` is run through nbgrader's
    ``generate_assignment`` (solutions replaced by the code stub, hidden tests
    removed, outputs cleared) in a temporary copy of the course, and the result
    goes to ``release/<assignment>/``. Assignments no longer in ``source/`` are
    removed from ``release/``.

    Parameters
    ----------
    course : path, optional
        The course folder (default: this checkout's ``exercises/``).
    release : path, optional
        Where to write the student versions (default: ``<course>/release``).
    check : bool, default False
        Only compare: write nothing, report in ``changed`` what is stale.

    Returns
    -------
    BuildResult

    Examples
    --------
    >>> from thinksmall_kit.course import build
    >>> build(check=True).changed  # the committed student versions are current
    []

    Used by ``thinksmall course build`` (exercises/README.md).
    """
    course = find_course(course)
    release = Path(release) if release is not None else course / "release"
    names = list_assignments(course)
    rows = []
    with tempfile.TemporaryDirectory(prefix="thinksmall-build-") as tmp:
        work = _working_copy(course, Path(tmp) / "course")
        api = _api(work)
        for name in names:
            _check(api.generate_assignment(name, force=True, create=True),
                   f"generate the student version of {name}")
            fresh = work / "release" / name
            stale = not _same_tree(fresh, release / name)
            if stale and not check:
                if (release / name).exists():
                    shutil.rmtree(release / name)
                shutil.copytree(fresh, release / name)
            for nb in sorted(fresh.glob("*.ipynb")):
                rows.append({"assignment": name, "notebook": str(release / name / nb.name),
                             "changed": stale})
    if release.is_dir():
        for old in sorted(p for p in release.iterdir() if p.is_dir() and p.name not in names):
            rows.append({"assignment": old.name, "notebook": str(old), "changed": True})
            if not check:
                shutil.rmtree(old)
    table = pd.DataFrame(rows, columns=["assignment", "notebook", "changed"])
    return BuildResult(table=table.astype({"changed": bool}))


# --------------------------------------------------------------------------- validate


@dataclass
class ValidationReport:
    """What :func:`validate` found: one row per graded cell of the notebook.

    Attributes
    ----------
    notebook : str
        The notebook checked.
    table : pandas.DataFrame
        Columns ``question`` (the grade id), ``points``, ``status`` (``pass``,
        ``fail``, ``changed`` or ``manual``) and ``message`` (the first line of
        the failure).
    """

    notebook: str
    table: pd.DataFrame

    @property
    def ok(self) -> bool:
        """True when every autograded check passes and no test cell was edited."""
        return bool((self.table["status"].isin(["pass", "manual"])).all())

    def summary(self) -> str:
        """A short text a learner can read: one line per question, then a verdict."""
        marks = {"pass": "pass", "fail": "FAIL", "changed": "EDITED", "manual": "----"}
        lines = [f"Checked {self.notebook} (every cell ran, as Restart & Run All would):"]
        for row in self.table.itertuples():
            points = f"{row.points:g} point{'s' if row.points != 1 else ''}"
            text = f"  {marks[row.status]:6} {row.question} ({points})"
            if row.status == "manual":
                text += ": your instructor reads this answer"
            elif row.message:
                text += f": {row.message}"
            lines.append(text)
        auto = self.table[self.table["status"] != "manual"]
        passed = int((auto["status"] == "pass").sum())
        lines.append(f"{passed} of {len(auto)} checks pass.")
        if (auto["status"] == "changed").any():
            lines.append("A test cell was edited: grading puts the original back, so undo the "
                         "edit (or start again from a fresh copy) and check again.")
        elif not self.ok:
            lines.append("Read the message under each FAIL, fix the answer above it, "
                         "and check again.")
        else:
            lines.append("All checks pass. Hidden tests run when it is graded.")
        return "\n".join(lines)


_HINTS = {
    "NameError": "(did the answer cell above run without an error?)",
    "CellTimeoutError": "(a cell ran longer than {seconds} s: an endless loop?)",
    "NotImplementedError": "(replace `raise NotImplementedError()` with your answer)",
}
_ERROR_LINE = re.compile(r"^\s*([A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit|Warning))\b(.*)$")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _first_failure_line(raw: str) -> str:
    lines = [_ANSI.sub("", line).rstrip() for line in raw.splitlines()]
    found = [m for m in (_ERROR_LINE.match(line) for line in lines) if m]
    if found:
        m = found[-1]
        rest = m.group(3).lstrip(": ").strip()
        return f"{m.group(1)}: {rest}" if rest else m.group(1)
    text = [line.strip() for line in lines if line.strip()]
    return text[0] if text else "failed"


def _read_notebook_json(path: Path) -> dict:
    if not path.exists():
        raise CourseError(f"no such file: {path}")
    if path.is_dir():
        raise CourseError(f"{path} is a folder; give the path of one notebook (.ipynb)")
    if path.suffix != ".ipynb":
        raise CourseError(f"{path.name} is not a Jupyter notebook (expected a .ipynb file)")
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise CourseError(f"{path.name} is larger than {MAX_NOTEBOOK_BYTES // 2**20} MB; "
                          "clear its outputs (Edit > Clear Outputs of All Cells) and save")
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CourseError(f"{path.name} cannot be read as a notebook ({exc}); "
                          "download a fresh copy of the exercise") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise CourseError(f"{path.name} is JSON but not a notebook (no cells)")
    return nb


def validate(notebook: str | os.PathLike, *, course: str | os.PathLike | None = None,
             timeout: float | None = None) -> ValidationReport:
    """Run nbgrader's validation on a notebook and say which questions pass.

    Every cell runs (with the course's ``Execute.timeout``), then each
    autograded test cell is marked as passed or failed, with the first line of
    its failure message (usually the teaching message of the assert).

    Parameters
    ----------
    notebook : path
        The learner's notebook (``.ipynb``).
    course : path, optional
        The course whose ``nbgrader_config.py`` applies (default: this checkout's;
        without one, nbgrader's defaults). A course given that has no
        ``nbgrader_config.py`` raises CourseError.
    timeout : float, optional
        Seconds a cell may run (default: the course's ``Execute.timeout``);
        a finite number, at least 1.

    Returns
    -------
    ValidationReport
        ``.ok``, ``.table`` and ``.summary()``.

    Examples
    --------
    >>> from thinksmall_kit.course import validate
    >>> report = validate("exercises/release/01-numbers-vs-relationships/"
    ...                   "01-numbers-vs-relationships.ipynb")  # doctest: +SKIP
    >>> print(report.summary())  # doctest: +SKIP

    Used by ``thinksmall course validate`` (exercises/README.md).
    """
    from nbgrader.validator import Validator
    from traitlets.config import Config

    timeout = _seconds(timeout, "--timeout", 1)
    path = Path(notebook).resolve()
    nb = _read_notebook_json(path)
    try:
        config = _load_config(find_course(course))
    except CourseError:
        if course is not None:
            raise  # a course asked for by name must exist
        config = Config()  # an installed kit without the course: nbgrader's defaults
    if timeout is not None:
        config.Execute.timeout = int(timeout)
    from nbformat import from_dict
    from nbgrader.utils import compute_checksum

    graded = []
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade"):
            edited = False
            if cell.get("cell_type") == "code" and meta.get("checksum"):
                whole = dict(cell, source="".join(cell.get("source", "")))
                edited = compute_checksum(from_dict(whole)) != meta["checksum"]
            graded.append((str(meta.get("grade_id", "?")), float(meta.get("points", 0) or 0),
                           cell.get("cell_type"), "".join(cell.get("source", "")).strip(),
                           edited))
    if not graded:
        raise CourseError(f"{path.name} has no graded cells: is it an exercise notebook "
                          "(from exercises/release/)?")
    # Checksums are compared here, so the other questions are still checked
    # when a learner edited one test cell.
    config.Validator.ignore_checksums = True
    validator = Validator(config=config)
    with contextlib.redirect_stdout(sys.stderr):
        results = validator.validate(str(path))
    failed = {r["source"]: _first_failure_line(r.get("raw_error", ""))
              for r in results.get("failed", [])}
    seconds = int(config.get("Execute", {}).get("timeout", 30))
    rows = []
    for grade_id, points, kind, source, edited in graded:
        if kind != "code":
            status, message = "manual", ""
        elif edited:
            status, message = "changed", "this test cell was edited"
        elif source in failed:
            status, message = "fail", failed[source]
            for start, hint in _HINTS.items():
                if message.startswith(start):
                    message += " " + hint.format(seconds=seconds)
        else:
            status, message = "pass", ""
        rows.append({"question": grade_id, "points": points, "status": status,
                     "message": message})
    return ValidationReport(notebook=str(notebook), table=pd.DataFrame(
        rows, columns=["question", "points", "status", "message"]))


# --------------------------------------------------------------------------- grade


@dataclass
class Submission:
    """One student's submission of one assignment, before and after grading."""

    student: str
    assignment: str
    # expected notebook name -> the file found, then its contents once read
    notebooks: dict[str, object] = field(default_factory=dict)
    status: str = "graded"
    note: str = ""
    score: float = 0.0
    max_score: float = 0.0
    seconds: float = float("nan")


@dataclass
class GradeReport:
    """What :func:`grade` did.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per submission: ``student``, ``assignment``, ``status``
        (``graded``, ``missing``, ``unreadable``, ``wrong assignment``, ``error``,
        ``stopped``), ``score``, ``max_score``, ``seconds`` (what nbgrader's
        autograde took) and ``note``.
    questions : pandas.DataFrame
        One row per graded cell: ``student``, ``assignment``, ``question``,
        ``score``, ``max_score``, ``auto`` (False for manually graded answers).
    out : pathlib.Path
        The folder holding ``grades.csv``, ``report.csv`` and ``feedback/``.
    seconds : float
        Wall-clock time of the whole run.
    """

    table: pd.DataFrame
    questions: pd.DataFrame
    out: Path
    seconds: float

    def summary(self) -> str:
        """Per assignment: submissions, mean and range of scores, seconds; then problems."""
        t = self.table
        lines = ["assignment                        graded  mean   min   max  / max   "
                 "sec(median, max)"]
        for name, g in t.groupby("assignment", sort=True):
            ok = g[g["status"] == "graded"]
            secs = g["seconds"].dropna()
            lines.append(
                f"{name[:32]:32} {len(ok):4}/{len(g):<4} {g['score'].mean():5.1f} "
                f"{g['score'].min():5.1f} {g['score'].max():5.1f} / {g['max_score'].max():<5g} "
                f"{secs.median() if len(secs) else float('nan'):5.1f}, "
                f"{secs.max() if len(secs) else float('nan'):5.1f}")
        problems = t[(t["status"] != "graded") | (t["note"] != "")]
        if len(problems):
            lines.append("")
            lines.append("Needs a look:")
            lines.extend(f"  {r.student}/{r.assignment}: {r.status}, {r.score:g}/{r.max_score:g}"
                         f"{' (' + r.note + ')' if r.note else ''}"
                         for r in problems.itertuples())
        lines.append("")
        lines.append(f"{len(t)} submissions in {self.seconds:.1f} s; grades.csv, report.csv and "
                     f"feedback/ are in {self.out}")
        return "\n".join(lines)


def _safe_extract(zpath: Path, dest: Path) -> str:
    """Unpack a student's zip into ``dest``; returns a note ('' when all went well)."""
    try:
        with zipfile.ZipFile(zpath) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
                return f"{zpath.name} unpacks to more than {MAX_ZIP_BYTES // 2**20} MB"
            skipped = 0
            for m in members:
                parts = Path(m.filename.replace("\\", "/")).parts
                if (m.filename.startswith(("/", "\\")) or ".." in parts or not parts
                        or "__MACOSX" in parts):
                    skipped += 1
                    continue
                target = dest.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(m) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
            return f"skipped {skipped} unsafe paths in the zip" if skipped else ""
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        return f"{zpath.name} is not a readable zip ({exc})"


def _student_folders(submissions: Path, staging: Path) -> tuple[dict[str, Path], dict[str, str]]:
    if not submissions.exists():
        raise CourseError(f"no such folder: {submissions}")
    if not submissions.is_dir():
        raise CourseError(f"{submissions} is not a folder: expected <student>/<assignment>/"
                          "<notebook>.ipynb folders or one <student>.zip per student")
    folders: dict[str, Path] = {}
    notes: dict[str, str] = {}
    for entry in sorted(submissions.iterdir()):
        if entry.name.startswith(".") or entry.name == "__MACOSX":
            continue
        if entry.is_dir():
            folders[entry.name] = entry
        elif entry.suffix.lower() == ".zip":
            student = entry.stem
            dest = staging / student
            dest.mkdir(parents=True, exist_ok=True)
            note = _safe_extract(entry, dest)
            if note:
                notes[student] = note
            # A zip holding one folder named after the student: look inside it.
            inner = [p for p in dest.iterdir() if not p.name.startswith(".")
                     and p.name != "__MACOSX"]
            if len(inner) == 1 and inner[0].is_dir() and inner[0].name == student:
                dest = inner[0]
            folders[student] = dest
    if not folders:
        raise CourseError(f"no submissions in {submissions}: expected <student>/<assignment>/"
                          "<notebook>.ipynb folders or one <student>.zip per student")
    return folders, notes


def _read_submitted(path: Path) -> tuple[dict | None, str]:
    """A submitted notebook as JSON with outputs removed, or None and why not."""
    try:
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            return None, f"{path.name} is larger than {MAX_NOTEBOOK_BYTES // 2**20} MB"
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, f"{path.name} is not valid notebook JSON ({str(exc)[:80]})"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, f"{path.name} is JSON but not a notebook"
    try:
        import nbformat

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            node = nbformat.from_dict(nb)
            if node.get("nbformat", 0) < 4:
                node = nbformat.convert(node, 4)
            nbformat.validate(node)
    except Exception as exc:
        return None, f"{path.name} is not a valid notebook ({str(exc).splitlines()[0][:80]})"
    # nbgrader clears outputs before running anyway; dropping them here keeps an
    # enormous saved output from costing memory and disk in the grading copy.
    for cell in node.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return node, ""


def _plan(folders: dict[str, Path], notes: dict[str, str], course: Path,
          only: list[str] | None) -> tuple[list[Submission], list[str]]:
    """Match what each student handed in to the course's assignments and notebooks."""
    known = _assignment_ids(course)
    for name in only or []:
        if name not in known:
            raise CourseError(f"unknown assignment {name!r}; the course has: "
                              f"{', '.join(sorted(known)) or 'none'}")
    expected = {a: _notebook_names(course, a) for a in known}
    by_notebook_name = {nb: a for a, names in expected.items() for nb in names}
    subs: list[Submission] = []
    warnings_out: list[str] = []
    founds: dict[str, dict[str, list[Path]]] = {}
    for student, root in sorted(folders.items()):
        found: dict[str, list[Path]] = {}
        for path in sorted(root.rglob("*.ipynb")):
            rel = path.relative_to(root).parts
            if ".ipynb_checkpoints" in rel or "__MACOSX" in rel:
                continue
            home = next((p for p in reversed(rel[:-1]) if p in known), None)
            if home is None and len(rel) > 1:
                warnings_out.append(f"{student}: ignored {'/'.join(rel)} (folder "
                                    f"{rel[0]!r} is not an assignment of the course)")
                continue
            if home is None:  # a loose notebook: its name says which assignment
                home = by_notebook_name.get(path.stem)
                if home is None:
                    warnings_out.append(f"{student}: ignored {path.name} (not a notebook of "
                                        "any assignment)")
                    continue
            found.setdefault(home, []).append(path)
        founds[student] = found
    # Grade the assignments asked for, else every assignment someone handed in.
    wanted = sorted(set(only) if only else {a for f in founds.values() for a in f})
    if not wanted:
        raise CourseError("no notebook of any assignment found in the submissions; expected "
                          "<student>/<assignment>/<notebook>.ipynb with <assignment> one of: "
                          f"{', '.join(sorted(known))}"
                          + "".join(f"\n  {w}" for w in warnings_out[:10]))
    for student, found in sorted(founds.items()):
        for assignment in wanted:
            sub = Submission(student, assignment, note=notes.get(student, ""))
            subs.append(sub)
            files = found.get(assignment, [])
            if not files:
                sub.status = "missing"
                sub.note = sub.note or "no notebook handed in"
                continue
            for name in expected[assignment]:
                exact = [f for f in files if f.stem == name]
                if exact:
                    sub.notebooks[name] = exact[0]
                elif len(files) == 1 and len(expected[assignment]) == 1:
                    sub.notebooks[name] = files[0]
                    sub.note = f"renamed {files[0].name} -> {name}.ipynb"
            if not sub.notebooks:
                sub.status = "missing"
                sub.note = f"expected {', '.join(n + '.ipynb' for n in expected[assignment])}"
    # Check each notebook can be read and belongs to this assignment.
    for sub in subs:
        for name, path in list(sub.notebooks.items()):
            nb, why = _read_submitted(path)
            if nb is None:
                sub.status, sub.note = "unreadable", why
                sub.notebooks.clear()
                break
            ids = _grade_ids(nb)
            overlap = {a: len(ids & g) for a, g in known.items()}
            best = max(overlap, key=lambda a: (overlap[a], a == sub.assignment))
            if best != sub.assignment and overlap[best] > overlap[sub.assignment]:
                sub.status = "wrong assignment"
                sub.note = f"{path.name} is the notebook of {best}"
                sub.notebooks.clear()
                break
            sub.notebooks[name] = nb  # type: ignore[assignment]
    return subs, warnings_out


class _Worker:
    """One grading process: reads jobs on stdin, answers one JSON line per job."""

    def __init__(self, work: Path, logdir: Path, index: int):
        self.work, self.logdir, self.index = work, logdir, index
        self.proc: subprocess.Popen | None = None
        self.restarts = 0

    def start(self) -> None:
        log = open(self.logdir / f"worker-{self.index}-{self.restarts}.log", "w")  # noqa: SIM115
        code = "from thinksmall_kit.course import _worker_main; _worker_main()"
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, "-c", code, str(self.work)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                     text=True, env=env, cwd=self.work, start_new_session=True)
        log.close()

    def run(self, job: dict, limit: float) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        assert self.proc is not None and self.proc.stdin and self.proc.stdout
        try:
            self.proc.stdin.write(json.dumps(job) + "\n")
            self.proc.stdin.flush()
        except OSError:
            self.kill()
            return {"ok": False, "status": "error", "note": "grading process died"}
        ready, _, _ = select.select([self.proc.stdout], [], [], limit)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            died = ready  # readable but empty: the process ended
            self.kill()
            if died:
                return {"ok": False, "status": "error", "note": "grading process died"}
            return {"ok": False, "status": "stopped",
                    "note": f"grading stopped after {limit:.0f} s", "seconds": limit}
        return json.loads(line)

    def kill(self) -> None:
        """End the process and everything it started (its kernels too)."""
        if self.proc is None:
            return
        import psutil

        with contextlib.suppress(psutil.Error):
            parent = psutil.Process(self.proc.pid)
            family = [*parent.children(recursive=True), parent]
            for p in family:
                with contextlib.suppress(psutil.Error):
                    p.kill()
            psutil.wait_procs(family, timeout=10)
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                stream.close()  # type: ignore[union-attr]
        self.proc = None
        self.restarts += 1

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()  # type: ignore[union-attr]
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def _last_line(text: str | None) -> str:
    """The most telling error in nbgrader's log (not its closing 'see above')."""
    lines = [_ANSI.sub("", line).strip() for line in (text or "").splitlines() if line.strip()]
    useful = [line for line in lines if _ERROR_LINE.match(line) and "NbGraderException" not in line]
    if useful:
        return _first_failure_line(useful[-1])[:200]
    return lines[-1][:200] if lines else "no detail"


def _worker_main() -> None:
    """Entry point of a grading worker process (``_Worker`` starts it)."""
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # whatever nbgrader prints goes to the worker's log, not the protocol
    work = Path(sys.argv[1])
    os.chdir(work)
    api = _api(work)
    for line in sys.stdin:
        job = json.loads(line)
        start = time.perf_counter()
        result = api.autograde(job["assignment"], job["student"], force=True, create=True)
        seconds = time.perf_counter() - start
        answer = {"ok": bool(result.get("success")), "seconds": round(seconds, 3),
                  "status": "graded", "note": ""}
        if not answer["ok"]:
            answer["status"] = "error"
            answer["note"] = "nbgrader autograde failed: " + _last_line(
                (result.get("log") or "") + "\n" + (result.get("error") or ""))
        else:
            start = time.perf_counter()
            feedback = api.generate_feedback(job["assignment"], job["student"], force=True)
            answer["feedback_seconds"] = round(time.perf_counter() - start, 3)
            if not feedback.get("success"):
                answer["note"] = "no feedback: " + _last_line(
                    feedback.get("error") or feedback.get("log"))
        protocol.write(json.dumps(answer) + "\n")


def _default_progress(done: int, total: int, sub: Submission) -> None:
    width = 20
    filled = int(width * done / total) if total else width
    print(f"[{'#' * filled}{'.' * (width - filled)}] graded {done}/{total}  "
          f"{sub.student}/{sub.assignment}: {sub.status}", flush=True)


def grade(submissions: str | os.PathLike, out: str | os.PathLike, *, jobs: int = 1,
          course: str | os.PathLike | None = None, assignments: Iterable[str] | None = None,
          db_url: str | None = None, timeout: float | None = None,
          hard_limit: float | None = None,
          progress: Callable[[int, int, Submission], None] | None = _default_progress,
          ) -> GradeReport:
    """Autograde a class with nbgrader in ``jobs`` parallel worker processes.

    The gradebook is set up first, serially (assignments generated, students
    created: parallel writers on a fresh SQLite gradebook fail), in a private
    working copy of the course; then every submission is autograded and gets
    its feedback HTML. Finally ``grades.csv`` is written with nbgrader's own
    CSV export (columns ``assignment, duedate, timestamp, student_id,
    last_name, first_name, email, raw_score, late_submission_penalty, score,
    max_score``).

    Parameters
    ----------
    submissions : path
        ``<student>/<assignment>/<notebook>.ipynb`` folders (nbgrader's
        ``submitted/`` layout), or one ``<student>.zip`` per student holding
        ``<assignment>/<notebook>.ipynb`` (or just the notebooks).
    out : path
        Folder for ``grades.csv``, ``report.csv`` and ``feedback/<student>/<assignment>/``.
    jobs : int, default 1
        Worker processes grading at once (one kernel each).
    course : path, optional
        The course (default: this checkout's ``exercises/``); never written to.
    assignments : list of str, optional
        Grade only these assignments (default: every assignment of the course).
    db_url : str, optional
        nbgrader gradebook URL, e.g. ``postgresql://grader@dbhost/thinksmall``
        when several graders work at once (default: SQLite in the working copy).
    timeout : float, optional
        Seconds a cell may run (default: the course's ``Execute.timeout``).
    hard_limit : float, optional
        Seconds after which a submission's worker is killed, whatever it is
        doing (default: timeout x (code cells + 1) + 60).
    progress : callable, optional
        Called as ``progress(done, total, submission)``; default prints a bar.

    Returns
    -------
    GradeReport

    Raises
    ------
    CourseError
        A missing or empty submissions folder, an ``out`` that is a file or
        cannot be written, an unknown assignment, ``jobs`` below 1, or a
        ``timeout``/``hard_limit`` that is not a finite number of seconds (at
        least 1). All of these are checked before ``out`` is created.
    TypeError
        ``jobs`` is not a whole number, or ``timeout``/``hard_limit`` not a number.

    Examples
    --------
    >>> from thinksmall_kit.course import grade
    >>> report = grade("submitted/", "grading-out/", jobs=2)  # doctest: +SKIP
    >>> print(report.summary())  # doctest: +SKIP

    Used by ``thinksmall course grade`` (exercises/README.md).
    """
    started = time.perf_counter()
    # Every input is checked before anything is created: a mistake leaves no --out behind.
    if isinstance(jobs, bool) or not isinstance(jobs, numbers.Integral):
        raise TypeError(f"--jobs: expected a whole number of workers, got {type(jobs).__name__}")
    if jobs < 1:
        raise CourseError(f"--jobs must be at least 1 (got {jobs})")
    timeout = _seconds(timeout, "--timeout", 1)
    hard_limit = _seconds(hard_limit, "--hard-limit", 1)
    out = Path(out)
    _check_out_folder(out)
    if not Path(submissions).is_dir():
        _student_folders(Path(submissions), out)  # raises the right error
    course = find_course(course)
    if not list_assignments(course):
        raise CourseError(f"the course {course} has no assignments in source/")
    with tempfile.TemporaryDirectory(prefix="thinksmall-grade-") as tmp:
        tmp = Path(tmp)
        folders, notes = _student_folders(Path(submissions), tmp / "unzipped")
        subs, ignored = _plan(folders, notes, course,
                              list(assignments) if assignments else None)
        _make_out_folder(out)  # the submissions are fine: now make the folder
        for text in ignored:
            print("note:", text, flush=True)
        config = _load_config(course)
        cell_timeout = float(timeout if timeout is not None else
                             config.get("Execute", {}).get("timeout", 30))
        work = _working_copy(course, tmp / "course", db_url=db_url, timeout=timeout)
        names = sorted({s.assignment for s in subs})
        students = sorted({s.student for s in subs})
        _setup_gradebook(work, names, students)
        limits = {}
        for name in names:
            cells = sum(c.get("cell_type") == "code"
                        for nb in (work / "source" / name).glob("*.ipynb")
                        for c in json.loads(nb.read_text(encoding="utf-8"))["cells"])
            limits[name] = hard_limit or cell_timeout * (cells + 1) + HARD_LIMIT_SLACK
        todo = []
        for sub in subs:
            if sub.status != "graded":
                continue
            dest = work / "submitted" / sub.student / sub.assignment
            dest.mkdir(parents=True, exist_ok=True)
            import nbformat

            for name, nb in sub.notebooks.items():
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    nbformat.write(nb, str(dest / f"{name}.ipynb"))
            todo.append(sub)
        _run_jobs(work, todo, jobs, limits, tmp / "logs", subs, progress)
        report = _collect_results(work, subs, out, started)
    return report


def _setup_gradebook(work: Path, names: list[str], students: list[str]) -> None:
    from nbgrader.api import Gradebook

    api = _api(work)
    for name in names:
        _check(api.generate_assignment(name, force=True, create=True),
               f"set up assignment {name} in the gradebook")
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        for student in students:
            gb.update_or_create_student(student)


def _run_jobs(work: Path, todo: list[Submission], jobs: int, limits: dict[str, float],
              logdir: Path, subs: list[Submission], progress) -> None:
    import queue

    logdir.mkdir(parents=True, exist_ok=True)
    pending: queue.Queue[Submission] = queue.Queue()
    for sub in todo:
        pending.put(sub)
    total = len(subs)
    notes = {id(sub): sub.note for sub in todo}  # what screening said, before any grading
    done = [0]
    lock = threading.Lock()

    def report(sub: Submission) -> None:
        with lock:
            done[0] += 1
            if progress:
                progress(done[0], total, sub)

    def grade_one(worker: _Worker, sub: Submission) -> None:
        answer = worker.run({"student": sub.student, "assignment": sub.assignment},
                            limits[sub.assignment])
        sub.status = answer.get("status", "error")
        sub.seconds = float(answer.get("seconds", float("nan")))
        sub.note = "; ".join(n for n in (sub.note, answer.get("note", "")) if n)

    def loop(index: int) -> None:
        worker = _Worker(work, logdir, index)
        try:
            while True:
                try:
                    sub = pending.get_nowait()
                except queue.Empty:
                    return
                grade_one(worker, sub)
                report(sub)
        finally:
            worker.close()

    for sub in subs:  # what was settled without running counts as done first
        if sub.status != "graded":
            report(sub)
    threads = [threading.Thread(target=loop, args=(i,), daemon=True)
               for i in range(min(jobs, max(len(todo), 1)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Parallel writers can collide in the gradebook (a deadlock on PostgreSQL, a lock
    # on SQLite), failing a good submission. Grade each failed one once more, alone,
    # so a collision never costs anyone their grade; a truly broken notebook fails again.
    again = [sub for sub in todo if sub.status == "error"] if len(threads) > 1 else []
    if again:
        worker = _Worker(work, logdir, len(threads))
        try:
            for sub in again:
                sub.note = notes[id(sub)]
                grade_one(worker, sub)
                sub.note = "; ".join(n for n in (sub.note, "graded a second time, alone") if n)
        finally:
            worker.close()


def _collect_results(work: Path, subs: list[Submission], out: Path, started: float) -> GradeReport:
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.plugins import CsvExportPlugin

    api = _api(work)
    rows, questions = [], []
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        for sub in subs:
            assignment = gb.find_assignment(sub.assignment)
            sub.max_score = float(assignment.max_score)
            try:
                found = gb.find_submission(sub.assignment, sub.student)
            except MissingEntry:
                found = None
            if found is not None and sub.status in ("graded", "error", "stopped"):
                sub.score = float(found.score or 0.0)
                for nb in found.notebooks:
                    for g in nb.grades:
                        questions.append({
                            "student": sub.student, "assignment": sub.assignment,
                            "question": g.name, "score": float(g.score or 0.0),
                            "max_score": float(g.max_score), "auto": g.cell.cell_type == "code",
                        })
            rows.append({c: getattr(sub, c) for c in REPORT_COLUMNS})
        plugin = CsvExportPlugin(to=str(out / "grades.csv"))
        plugin.export(gb)
    for sub in subs:
        src = work / "feedback" / sub.student / sub.assignment
        if src.is_dir():
            dest = out / "feedback" / sub.student / sub.assignment
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(src, dest)
    table = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    table.to_csv(out / "report.csv", index=False)
    qtable = pd.DataFrame(questions, columns=["student", "assignment", "question", "score",
                                             "max_score", "auto"])
    return GradeReport(table=table, questions=qtable, out=out,
                       seconds=time.perf_counter() - started)


# --------------------------------------------------------------------------- command line


def add_course_commands(sub) -> None:
    """Add ``course build|validate|grade`` to the ``thinksmall`` sub-command parser."""
    course = sub.add_parser("course", help="the nbgrader exercises: build, validate, grade")
    course.set_defaults(run=run_course, passthrough=False, course_command=None)
    csub = course.add_subparsers(dest="course_command", metavar="ACTION")
    b = csub.add_parser("build", help="generate the student versions into exercises/release/")
    b.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 when the student versions are stale")
    v = csub.add_parser("validate", help="check a notebook's answers, as grading would")
    v.add_argument("notebook", help="the notebook (.ipynb) to check")
    v.add_argument("--timeout", type=float, help="seconds a cell may run")
    g = csub.add_parser("grade", help="autograde a class: grades.csv, feedback, summary")
    g.add_argument("submissions", help="folder of <student>/<assignment>/<notebook>.ipynb "
                                       "or of one <student>.zip per student")
    g.add_argument("--jobs", "-j", type=int, default=1, help="parallel workers (default 1)")
    g.add_argument("--out", required=True, help="folder for grades.csv, report.csv, feedback/")
    g.add_argument("--assignment", action="append", dest="assignments",
                   help="grade only this assignment (repeatable)")
    g.add_argument("--db-url", help="nbgrader gradebook URL, e.g. postgresql://user@host/db "
                                    "(default: SQLite in a private working copy)")
    g.add_argument("--timeout", type=float, help="seconds a cell may run "
                                                 "(default: the course's Execute.timeout)")
    g.add_argument("--hard-limit", type=float,
                   help="seconds after which one submission's grading is killed")
    for p in (b, v, g):
        p.add_argument("--course", help="the nbgrader course folder (default: exercises/)")
    course.set_defaults(course_parser=course)


@contextlib.contextmanager
def _quiet_stderr():
    """Hide what child processes write to stderr; show it again if something goes wrong."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        except BaseException:
            sys.stderr.flush()
            os.dup2(saved, 2)
            sink.seek(0)
            sys.stderr.write(sink.read().decode("utf-8", "replace")[-5000:])
            raise
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def run_course(args, extra=()) -> int:
    """Run one ``thinksmall course`` action; returns the exit status."""
    try:
        if args.course_command == "build":
            result = build(args.course, check=args.check)
            if args.check:
                if result.changed:
                    print("stale student versions: " + ", ".join(result.changed) +
                          "\nrun `thinksmall course build` and commit exercises/release/")
                    return 1
                print(f"student versions are current ({result.table['assignment'].nunique()} "
                      "assignments)")
                return 0
            for row in result.table.itertuples():
                print(f"{'updated' if row.changed else 'current'}  {row.notebook}")
            if result.table.empty:
                print("no assignments in source/ yet")
            return 0
        if args.course_command == "validate":
            with _quiet_stderr():  # the kernel's start-up chatter is not for learners
                report = validate(args.notebook, course=args.course, timeout=args.timeout)
            print(report.summary())
            return 0 if report.ok else 1
        if args.course_command == "grade":
            report = grade(args.submissions, args.out, jobs=args.jobs, course=args.course,
                           assignments=args.assignments, db_url=args.db_url,
                           timeout=args.timeout, hard_limit=args.hard_limit)
            print()
            print(report.summary())
            return 0
        args.course_parser.print_help()
        return 2
    except (CourseError, OSError) as exc:  # OSError: a file that cannot be read or written
        print(f"thinksmall course: {exc}", file=sys.stderr)
        return 2
