"""The learner's workspace: one SQLite file that keeps your work between sessions.

A :class:`Workspace` stores your :class:`~thinksmall_kit.Network` and what you
add to it yourself (role tags, notes) in a single SQLite file. There is no
server to run: the file is created on first use, by default at
``~/thinksmall/workspace.sqlite``. Give another path to :func:`open_workspace`,
or set the ``THINKSMALL_WORKSPACE`` environment variable, to keep it elsewhere
(the argument wins, then the variable, then the default).

What the file promises
----------------------
* Every change is one transaction. A kernel that is killed halfway through a
  save loses nothing that was saved before: the file holds the old network or
  the new one, never a mix.
* Two notebooks (two kernels) may write at the same time: the second waits for
  the first (up to 30 seconds) instead of failing or corrupting the file.
* A file that is not a workspace (a text file, another program's database, a
  workspace made by a newer kit) gives a :class:`WorkspaceError` that says what
  was found and what to do, and the file is left exactly as it was: the checks
  happen before anything is written.
* A damaged workspace (a corrupt page, a kit table dropped, a value edited by
  hand into something the kit cannot read) gives a :class:`WorkspaceError`
  naming what is wrong (for a bad value: the table, column and row) and how to
  salvage the data, never a raw sqlite3 or pandas error.

For contributors: adding a table
--------------------------------
The file's layout has a version number, kept in SQLite's ``PRAGMA
user_version``; ``PRAGMA application_id`` holds :data:`APPLICATION_ID` so a
foreign SQLite file is recognised. :data:`MIGRATIONS` lists, in order, the SQL
that brings a file from one version to the next. To give a later module (the
audit inventory, habit plans, check-ins) its own tables, append a
:class:`Migration` with the next version number to that list, in this file.
Never edit or reorder a migration that has been released: learners' files were
built with it. Pending migrations run in one transaction when a workspace is
opened, so an upgrade either happens completely or not at all.

The kit's own modules then read and write their tables through
``Workspace._read()`` and ``Workspace._write()`` (one transaction each, with
the busy timeout and the error messages above) and store times with
``_to_text_times``, so every table follows the same rules. These stay private:
a learner's code goes through the public functions that own each table
(``save_platform``, ``save_plan``, ``check_in`` ...).

Introduced in lesson 00 (lessons/00-welcome.ipynb).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import pandas as pd

from thinksmall_kit.network import (
    _CATEGORIES,
    ROLES,
    SCHEMA,
    TIMESTAMP_DTYPE,
    DataError,
    Network,
)

__all__ = [
    "APPLICATION_ID",
    "DEFAULT_PATH",
    "ENV_VAR",
    "MIGRATIONS",
    "Migration",
    "Workspace",
    "WorkspaceError",
    "open_workspace",
]

#: Where the workspace lives when neither an argument nor ``THINKSMALL_WORKSPACE`` says.
DEFAULT_PATH = "~/thinksmall/workspace.sqlite"
#: The environment variable that moves the workspace (an instructor's JupyterHub may set it).
ENV_VAR = "THINKSMALL_WORKSPACE"
#: Written into every workspace's header (``PRAGMA application_id``): the bytes "TSK1".
APPLICATION_ID = 0x54534B31
#: The file beside the workspace that ``open_workspace(practice=...)`` uses.
PRACTICE_NAME = "practice-workspace.sqlite"
#: How long a write waits for another kernel's write to finish, in seconds.
BUSY_TIMEOUT_S = 30.0

_SQLITE_MAGIC = b"SQLite format 3\x00"


class WorkspaceError(OSError):
    """The workspace file cannot be used, or does not hold what was asked for.

    The message says what was found, what was expected and what to do.

    Notes
    -----
    It is an :class:`OSError` because every case is about a file on disk (not a
    SQLite file, another program's database, a workspace from a newer kit, a
    folder where a file was expected, a place that cannot be written), so code
    that already guards file handling with ``except OSError`` catches it. It is
    deliberately not a :class:`ValueError`: bad *values* (an unknown role, an
    empty note) raise :class:`~thinksmall_kit.DataError`, as everywhere else in
    the kit.
    """


# --------------------------------------------------------------------------- migrations


@dataclasses.dataclass(frozen=True)
class Migration:
    """SQL that brings a workspace from ``version - 1`` to ``version``.

    Parameters
    ----------
    version : int
        The schema version after this migration; 1 for the first.
    description : str
        One line saying what it adds, for people reading the history.
    statements : tuple of str
        SQL statements run in order, in the same transaction as every other
        pending migration. One statement per string (no ``executescript``: it
        would commit halfway).
    """

    version: int
    description: str
    statements: tuple[str, ...]


def _table_sql(table: str) -> str:
    sql_types = {"str": "TEXT", "int64": "INTEGER", "float64": "REAL", "bool": "INTEGER",
                 "category": "TEXT", "datetime64[ns, UTC]": "TEXT"}
    lines = ["position INTEGER PRIMARY KEY"]  # row order of the DataFrame, from 0
    for col in SCHEMA[table].values():
        line = f'"{col.name}" {sql_types[col.dtype]}'
        if not col.nullable:
            line += " NOT NULL"
        if col.dtype == "bool":
            line += f' CHECK ("{col.name}" IN (0, 1))'
        lines.append(line)
    return f"CREATE TABLE {table} (\n    " + ",\n    ".join(lines) + "\n)"


#: Schema history, oldest first. Append only; see the module docstring.
#: Timestamps are ISO-8601 UTC text with nanoseconds, e.g. 2025-03-01T10:00:00.000000000Z.
MIGRATIONS: list[Migration] = [
    Migration(1, "the network: platforms, contacts, interactions", (
        # The three canonical tables, column for column as in network.SCHEMA
        # at the time of writing (a later change to SCHEMA needs a migration).
        _table_sql("platforms"),
        _table_sql("contacts"),
        _table_sql("interactions"),
        # One row when a network has been saved (an empty network is still a network).
        "CREATE TABLE network_info (\n"
        "    id INTEGER PRIMARY KEY CHECK (id = 1),\n"
        "    saved_at TEXT NOT NULL\n"
        ")",
    )),
    Migration(2, "the learner's own additions: role tags and notes", (
        "CREATE TABLE role_tags (\n"
        "    contact_id TEXT PRIMARY KEY,\n"
        "    role TEXT NOT NULL,\n"
        "    tagged_at TEXT NOT NULL\n"
        ")",
        "CREATE TABLE notes (\n"
        "    note_id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "    contact_id TEXT NOT NULL,\n"
        "    text TEXT NOT NULL,\n"
        "    created_at TEXT NOT NULL\n"
        ")",
        "CREATE INDEX notes_by_contact ON notes (contact_id)",
    )),
    Migration(3, "habits: the saved plan of tiny actions and the daily check-ins", (
        # The plan saved last (habits.save_plan): one row per planned action.
        "CREATE TABLE habit_plan_actions (\n"
        "    uid TEXT PRIMARY KEY,\n"
        "    day TEXT NOT NULL,\n"
        "    position INTEGER NOT NULL,\n"
        "    contact_id TEXT NOT NULL,\n"
        "    display_name TEXT NOT NULL,\n"
        "    action TEXT NOT NULL,\n"
        "    minutes REAL NOT NULL,\n"
        "    other_id TEXT,\n"
        "    other_name TEXT,\n"
        "    todo TEXT NOT NULL,\n"
        "    recipe TEXT NOT NULL\n"
        ")",
        "CREATE TABLE habit_plan_info (\n"
        "    id INTEGER PRIMARY KEY CHECK (id = 1),\n"
        "    saved_at TEXT NOT NULL,\n"
        "    params TEXT NOT NULL\n"
        ")",
        # One row per check-in; day is the learner's calendar day (YYYY-MM-DD).
        "CREATE TABLE habit_checkins (\n"
        "    checkin_id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "    day TEXT NOT NULL CHECK (length(day) = 10),\n"
        "    status TEXT NOT NULL CHECK (status IN ('done', 'not_done', 'skipped')),\n"
        "    contact_id TEXT,\n"
        "    action TEXT,\n"
        "    note TEXT,\n"
        "    plan_uid TEXT,\n"
        "    interaction_at TEXT,\n"
        "    created_at TEXT NOT NULL\n"
        ")",
        "CREATE INDEX habit_checkins_by_day ON habit_checkins (day)",
    )),
]


def _latest(migrations: Sequence[Migration]) -> int:
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"workspace MIGRATIONS must be numbered 1, 2, 3 ... in order; "
                           f"found {versions}")
    return versions[-1] if versions else 0


# --------------------------------------------------------------------------- conversions


def _to_text_times(s: pd.Series) -> list[str | None]:
    """Timestamps (tz-aware UTC, ns) as fixed-width ISO-8601 text; NaT as None."""
    values = s.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]").to_numpy()
    text = np.datetime_as_string(values, unit="ns").tolist()
    return [None if t == "NaT" else t + "Z" for t in text]


def _from_text_times(values: Sequence[Any]) -> pd.Series:
    # The stored text is always _to_text_times' fixed-width UTC ISO 8601;
    # pandas' ISO parser reads it about 15 times faster than strptime would.
    parsed = pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601", utc=True)
    return parsed.astype(TIMESTAMP_DTYPE)


def _now_text() -> str:
    return str(np.datetime_as_string(np.datetime64(time.time_ns(), "ns"), unit="ns")) + "Z"


def _none_for_na(s: pd.Series) -> list[Any]:
    return s.astype(object).where(s.notna(), None).tolist()


def _column_to_sql(dtype: str, s: pd.Series) -> list[Any]:
    if dtype == "datetime64[ns, UTC]":
        return _to_text_times(s)
    if dtype == "int64":
        return s.tolist()
    if dtype == "bool":
        return s.astype("int64").tolist()
    return _none_for_na(s)  # text, categories and floats (NaN is stored as NULL)


#: An example of each stored type, for the "fix" line of a message about a bad value.
_EXAMPLES = {"str": "'some text'", "int64": "0", "float64": "0.5", "bool": "0",
             "datetime64[ns, UTC]": "'2025-03-01T10:00:00.000000000Z'"}
_EXPECTED = {"str": "text", "int64": "a whole number", "float64": "a number (or NULL if allowed)",
             "bool": "0 or 1",
             "datetime64[ns, UTC]": "an ISO 8601 UTC time such as 2025-03-01T10:00:00.000000000Z"}


def _first_unfit(table: str, name: str, dtype: str, raw: pd.Series) -> int | None:
    """The index of the first stored value that does not convert to ``dtype``, if any."""
    if dtype == "category":
        allowed = set(_CATEGORIES[(table, name)])
        bad = [v not in allowed for v in raw]
    elif dtype in ("int64", "float64"):
        num = pd.to_numeric(raw, errors="coerce")  # text becomes NaN; NULL stays NaN
        bad = (num.isna() & (raw.notna() | (dtype == "int64"))).tolist()
    elif dtype == "bool":
        bad = [v not in (0, 1) for v in raw]
    elif dtype == "datetime64[ns, UTC]":
        parsed = pd.to_datetime(raw, format="ISO8601", utc=True, errors="coerce")
        bad = (parsed.isna() & raw.notna()).tolist()
    else:
        bad = [False] * len(raw)
    if any(bad):
        return bad.index(True)
    for i, value in enumerate(raw):  # what the quick checks missed, one value at a time
        try:
            _column_from_sql(table, name, dtype, [value])
        except (ValueError, TypeError, OverflowError):
            return i
    return None


def _sql_text(value: Any) -> str:
    """``value`` as a SQL string literal, for the example in a message."""
    return "'" + str(value).replace("'", "''") + "'"


def _checked_column(table: str, name: str, dtype: str, values: Sequence[Any], *,
                    path: Path, locate: Any, shown_table: str | None = None) -> pd.Series:
    """``_column_from_sql``, refusing a stored value that does not fit its column.

    A hand-edited file can hold text where a time belongs, or a role the kit
    does not know (which would silently become NaN): raise a WorkspaceError
    naming the table, the column and the row. ``locate(i)`` gives, for row
    ``i``, the words naming it, the SQL condition selecting it and another
    way to fix it (or ""). ``shown_table`` names the table in the message
    when it is not ``table`` (role tags are checked as ``contacts.role``).
    """
    raw = pd.Series(values, dtype=object)
    problem: Exception | None = None
    fits = (dtype != "category"
            or bool((raw.isin(list(_CATEGORIES[(table, name)])) | raw.isna()).all()))
    if fits:
        try:
            return _column_from_sql(table, name, dtype, values)
        except (ValueError, TypeError, OverflowError) as exc:
            problem = exc
    where = f"{shown_table or table}.{name}"
    i = _first_unfit(table, name, dtype, raw)
    if i is None:  # pragma: no cover - every failing conversion has a first bad value
        raise WorkspaceError(
            f"{path}: the column {where} holds values the kit cannot read ({problem}).\n"
            f"  expected: {_EXPECTED.get(dtype, 'values of the kit')} in every row\n"
            f"  fix: correct them with SQLite, or move the file aside and "
            f"{_CHOOSE_ANOTHER}") from problem
    value = raw.iloc[i]
    words, condition, fix = locate(i)
    example = _EXAMPLES.get(dtype, "...")
    expected = _EXPECTED.get(dtype, "")
    if dtype == "category":
        allowed = list(_CATEGORIES[(table, name)])
        expected = f"one of {', '.join(allowed)}"
        close = difflib.get_close_matches(str(value).strip().lower(), allowed, n=1)
        example = repr(close[0] if close else allowed[0])
        if close:
            expected += f" (did you mean {close[0]!r}?)"
    raise WorkspaceError(
        f"{path} holds a value the kit cannot read: {where} is {value!r} in {words}.\n"
        f"  expected: {expected}\n"
        f"  fix: the file was left as it was; correct the value with SQLite, e.g. "
        f"UPDATE {shown_table or table} SET \"{name}\" = {example} WHERE {condition}"
        + (f"; or {fix}" if fix else "")) from problem


def _column_from_sql(table: str, name: str, dtype: str, values: Sequence[Any]) -> pd.Series:
    raw = pd.Series(values, dtype=object)
    if dtype == "str":
        return raw.astype("str")
    if dtype == "int64":
        return raw.astype("int64")
    if dtype == "float64":
        return raw.astype("float64")
    if dtype == "bool":
        return raw.astype("int64").astype(bool)
    if dtype == "category":
        return pd.Series(pd.Categorical(raw.astype("str"),
                                        categories=list(_CATEGORIES[(table, name)])))
    return _from_text_times(values)


# --------------------------------------------------------------------------- paths


def _resolve_path(path: str | os.PathLike[str] | None) -> Path:
    """The argument, else ``THINKSMALL_WORKSPACE``, else the default; ``~`` expanded.

    Raises TypeError for a path that is not text or path-like, and
    WorkspaceError for an empty one (None is how to ask for the variable or
    the default).
    """
    if path is None:
        path = os.environ.get(ENV_VAR) or DEFAULT_PATH
    elif not isinstance(path, (str, os.PathLike)) or isinstance(os.fspath(path), bytes):
        raise TypeError(
            f"path: expected the workspace file as text or a pathlib.Path, e.g. "
            f"'~/thinksmall/workspace.sqlite', or None; got {type(path).__name__} {path!r}")
    if not os.fspath(path).strip():
        raise WorkspaceError(
            f"path: {path!r} is empty, so it names no file.\n"
            f"  expected: the path of a workspace file, e.g. '~/thinksmall/workspace.sqlite'\n"
            f"  fix: give a path, or leave it out (None) to use the {ENV_VAR} environment "
            f"variable, else {DEFAULT_PATH}")
    return Path(os.path.abspath(os.path.expanduser(os.fspath(path))))


_CHOOSE_ANOTHER = (f"choose another file with open_workspace('~/thinksmall/other.sqlite') "
                   f"or the {ENV_VAR} environment variable")


def _move_aside(path: Path) -> str:
    """The advice for a damaged file: move it aside, and how to salvage its data."""
    return (f"move it aside (keep it: if it is damaged, SQLite's .recover command can often "
            f"salvage its data, e.g. sqlite3 {path.name} .recover | sqlite3 recovered.sqlite) "
            f"or {_CHOOSE_ANOTHER}")


def _is_damage(exc: BaseException) -> bool:
    """Whether a SQLite error means the file is damaged (corrupt, or a kit table gone)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_FORMAT")):
        return True
    if isinstance(exc, sqlite3.OperationalError):
        # Every table and column the kit names exists in a workspace it opened:
        # one missing was dropped or altered by hand (or by another program).
        return str(exc).startswith(("no such table", "no such column"))
    return type(exc) is sqlite3.DatabaseError  # what sqlite3 raises for SQLITE_CORRUPT


def _damaged(path: Path, exc: BaseException) -> WorkspaceError:
    return WorkspaceError(
        f"{path} looks damaged: SQLite reports \"{exc}\".\n"
        f"  expected: a Think Small workspace in good order, with every table of the kit\n"
        f"  fix: nothing was changed; close it (ws.close()) and {_move_aside(path)}")


def _kit_tables(version: int) -> set[str]:
    """The tables a workspace of schema ``version`` holds, read from MIGRATIONS."""
    tables: set[str] = set()
    for migration in MIGRATIONS:
        if migration.version > version:
            break
        for statement in migration.statements:
            made = re.match(r'\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)',
                            statement, re.IGNORECASE)
            dropped = re.match(r'\s*DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?"?(\w+)',
                               statement, re.IGNORECASE)
            if made:
                tables.add(made.group(1))
            elif dropped:
                tables.discard(dropped.group(1))
    return tables


def _probe(path: Path) -> tuple[str, int]:
    """Look at ``path`` without writing to it: ('new' or 'ours', schema version).

    Raises WorkspaceError for anything that is not a workspace this kit can use.
    Plain files are recognised by their first bytes before SQLite ever opens
    them; SQLite files are then read through a read-only connection, which
    also sees changes still in the write-ahead log.
    """
    if path.is_dir():
        raise WorkspaceError(
            f"{path} is a folder, not a file.\n"
            f"  expected: the path of a workspace file such as {path / 'workspace.sqlite'}\n"
            f"  fix: {_CHOOSE_ANOTHER}")
    if not path.exists():
        return "new", 0
    try:
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as exc:
        raise WorkspaceError(
            f"{path} cannot be read ({exc.strerror or exc}).\n"
            f"  expected: a workspace file you may read and write\n"
            f"  fix: check its permissions, or {_CHOOSE_ANOTHER}") from exc
    if not header:
        return "new", 0  # an empty file (e.g. made with `touch`): nothing to lose
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise WorkspaceError(
            f"{path} is not a SQLite database (it starts with {header[:16]!r}).\n"
            f"  expected: a Think Small workspace (a SQLite file), or no file at all\n"
            f"  fix: the file was left untouched; {_CHOOSE_ANOTHER}, "
            f"or move this file aside if it is a damaged workspace")
    latest = _latest(MIGRATIONS)
    # Read-only. Without a write-ahead log beside it, the file itself holds every
    # committed change, and ``immutable=1`` reads it without even creating
    # SQLite's -wal/-shm side files; with a log, a plain read-only connection
    # is needed to see the changes still in it.
    has_log = path.with_name(path.name + "-wal").exists()
    uri = f"{path.as_uri()}?mode=ro" + ("" if has_log else "&immutable=1")
    try:
        con = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = sorted(r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"))
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise WorkspaceError(
            f"{path} looks like a SQLite file but cannot be read ({exc}).\n"
            f"  expected: a Think Small workspace in good order\n"
            f"  fix: the file was left untouched; {_move_aside(path)}") from exc
    if app_id == APPLICATION_ID:
        if version > latest:
            raise WorkspaceError(
                f"{path} is a workspace from a newer Think Small Kit "
                f"(schema version {version}; this kit knows up to {latest}).\n"
                f"  expected: schema version {latest} or older\n"
                f"  fix: upgrade the kit (pip install --upgrade thinksmall-kit, or `make lab` "
                f"in an updated copy of the course); the file was left untouched")
        missing = sorted(_kit_tables(version) - set(tables))
        if missing:
            raise WorkspaceError(
                f"{path} looks damaged: the workspace has lost the kit's table"
                f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}.\n"
                f"  expected: a Think Small workspace with every table of the kit\n"
                f"  fix: the file was left untouched; {_move_aside(path)}")
        return "ours", version
    if app_id == 0 and version == 0 and not tables:
        return "new", 0  # a SQLite file with nothing in it
    shown = ", ".join(tables[:5]) + (" ..." if len(tables) > 5 else "")
    what = f"tables {shown}" if tables else f"application id {app_id}"
    raise WorkspaceError(
        f"{path} is a SQLite database of another program ({what}).\n"
        f"  expected: a Think Small workspace (application id {APPLICATION_ID})\n"
        f"  fix: the file was left untouched; {_CHOOSE_ANOTHER}")


# --------------------------------------------------------------------------- the Workspace


class Workspace:
    """Your network, role tags and notes, kept in one SQLite file between sessions.

    Parameters
    ----------
    path : str or path-like, optional
        The workspace file. Without it, the ``THINKSMALL_WORKSPACE``
        environment variable, else ``~/thinksmall/workspace.sqlite``. Folders
        and the file are created on first use.

    Raises
    ------
    WorkspaceError
        The path is empty or a folder, cannot be written, or holds a file that
        is not a workspace this kit can use (or a workspace that lost one of
        its tables). Such a file is never modified. A file found damaged
        later, when read or written, raises it too, saying so.
    TypeError
        ``path`` is not text, a path-like object or None.

    See Also
    --------
    open_workspace : the same, and says where the file is.

    Notes
    -----
    Storage choices, for the curious:

    * Write-ahead logging (``journal_mode=WAL``): readers never block the
      writer, and a killed process leaves the last committed state intact.
    * ``synchronous=FULL``: each commit is flushed to disk, so even a power
      cut or a laptop battery dying keeps every saved change (``NORMAL`` is
      safe against a killed kernel but may lose the last commits in a power
      cut). The writes here are few and human-paced; one flush per save costs
      a few milliseconds.
    * Writes start with ``BEGIN IMMEDIATE``: a second kernel waits for the
      write lock up to 30 seconds (``busy_timeout``) rather than failing
      halfway.
    * Timestamps are ISO-8601 UTC text with nine decimals
      (``2025-03-01T10:00:00.000000000Z``): exact to the nanosecond, readable
      in any SQLite browser, sorted correctly as text, and understood by
      SQLite's own date functions.

    Introduced in lesson 00 (lessons/00-welcome.ipynb).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._path = _resolve_path(path)
        self._con: sqlite3.Connection | None = None
        # The last network load_network built, and the state of the file it came from.
        self._loaded: tuple[tuple[int, int], Network] | None = None
        _state, version = _probe(self._path)  # raises before anything is written
        self._status = ""
        self._con = self._connect(self._path)
        try:
            self._configure()
            latest = _latest(MIGRATIONS)
            if version < latest:
                before = self._migrate(latest)
                if before == 0:
                    self._status = "new"
                elif before < latest:
                    self._status = f"upgraded from schema {before} to {latest}"
        except BaseException:
            self.close()
            raise

    # Opening ----------------------------------------------------------------
    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: no implicit transactions; every write below
            # is an explicit BEGIN IMMEDIATE ... COMMIT.
            return sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise WorkspaceError(
                f"cannot create the workspace at {path} ({exc}).\n"
                f"  expected: a folder you may write to\n"
                f"  fix: {_CHOOSE_ANOTHER}") from exc

    def _configure(self) -> None:
        con = self._connection()
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        try:
            con.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            while True:
                # Switching to WAL needs the file to itself for a moment, and
                # SQLite reports "locked" at once rather than waiting (two
                # kernels creating the same new file): so wait here ourselves.
                try:
                    if con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                        con.execute("PRAGMA journal_mode = WAL")
                    break
                except sqlite3.OperationalError as exc:
                    busy = getattr(exc, "sqlite_errorname", "").startswith(
                        ("SQLITE_BUSY", "SQLITE_LOCKED"))
                    if not busy or time.monotonic() > deadline:
                        raise
                    time.sleep(0.02)
            con.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as exc:
            raise WorkspaceError(
                f"cannot write the workspace at {self._path} ({exc}).\n"
                f"  expected: a file and folder you may write to\n"
                f"  fix: check their permissions, or {_CHOOSE_ANOTHER}") from exc

    def _migrate(self, latest: int) -> int:
        """Apply pending migrations in one transaction; return the version found."""
        try:
            with self._write() as con:
                # Read again under the write lock: another kernel may have just
                # created or upgraded the same file.
                before = con.execute("PRAGMA user_version").fetchone()[0]
                for migration in MIGRATIONS:
                    if migration.version > before:
                        for statement in migration.statements:
                            con.execute(statement)
                con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                con.execute(f"PRAGMA user_version = {latest}")
        except sqlite3.Error as exc:
            raise WorkspaceError(
                f"cannot bring the workspace at {self._path} up to schema {latest} ({exc}).\n"
                f"  expected: a workspace this kit can upgrade; nothing was changed\n"
                f"  fix: check the file's permissions, or move it aside and "
                f"{_CHOOSE_ANOTHER}") from exc
        return before

    # Plumbing ---------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        if self._con is None:
            raise WorkspaceError(
                f"the workspace at {self._path} is closed.\n"
                f"  fix: open it again with ws = open_workspace({str(self._path)!r})")
        return self._con

    @staticmethod
    def _end(con: sqlite3.Connection) -> None:
        """Roll back after an error, without letting a failed rollback hide that error."""
        if con.in_transaction:  # SQLite may already have rolled back (disk full ...)
            with suppress(sqlite3.Error):  # the first error is the one to report
                con.execute("ROLLBACK")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or none of it.

        A damaged file (corrupt pages, a kit table dropped by hand) raises a
        WorkspaceError saying so, after the rollback.
        """
        con = self._connection()
        try:
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            if _is_damage(exc):
                raise _damaged(self._path, exc) from exc
            raise WorkspaceError(
                f"cannot write to the workspace at {self._path} ({exc}).\n"
                f"  expected: the write lock, within {BUSY_TIMEOUT_S:.0f} seconds\n"
                f"  fix: another notebook may be busy writing to it (wait and run the cell "
                f"again), or check the file's permissions") from exc
        with self._ending(con):
            yield con

    @contextmanager
    def _ending(self, con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        """The body of a transaction begun by _read or _write: commit it, or roll back
        (a failed rollback never hides the first error) and report a damaged file."""
        try:
            yield con
            con.execute("COMMIT")
        except BaseException as exc:
            self._end(con)
            if _is_damage(exc):
                raise _damaged(self._path, exc) from exc
            raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every SELECT inside sees the same snapshot.

        It ends with a rollback when the body raises (a failed rollback never
        hides the first error); a damaged file raises a WorkspaceError saying so.
        Inside another ``_read`` or ``_write`` it is simply part of that transaction.
        """
        con = self._connection()
        if con.in_transaction:
            yield con  # the enclosing transaction ends it, and reports any damage
            return
        con.execute("BEGIN")
        with self._ending(con):
            yield con

    def _check_contact(self, con: sqlite3.Connection, contact_id: str) -> None:
        if not isinstance(contact_id, str) or not contact_id.strip():
            raise DataError(f"contact_id: expected the text id of a contact, e.g. 'ana'; "
                            f"got {contact_id!r}")
        if con.execute("SELECT 1 FROM network_info").fetchone() is None:
            return  # no network yet: nothing to check against
        if con.execute("SELECT 1 FROM contacts WHERE contact_id = ?",
                       (contact_id,)).fetchone() is not None:
            return
        ids = [r[0] for r in con.execute("SELECT contact_id FROM contacts")]
        close = difflib.get_close_matches(contact_id, ids, n=3)
        hint = (f"did you mean {', '.join(repr(c) for c in close)}?" if close
                else "see net.contacts['contact_id'] for the ids")
        raise DataError(f"contact_id: {contact_id!r} is not a contact of the saved network\n"
                        f"  expected: one of its {len(ids):,} contact ids\n"
                        f"  fix: {hint}")

    # The public face --------------------------------------------------------
    @property
    def path(self) -> Path:
        """Where the workspace file is."""
        return self._path

    @property
    def schema_version(self) -> int:
        """The file's schema version (``PRAGMA user_version``)."""
        with self._read() as con:
            return int(con.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        """Close the file. Safe to call twice; everything saved is already on disk."""
        if self._con is not None:
            self._con.close()
            self._con = None
        self._loaded = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        state = " (closed)" if self._con is None else ""
        return f"<Workspace {self._path}{state}>"

    def describe(self) -> str:
        """One line saying what the workspace holds.

        For example ``'network: 812 contacts, 41,230 interactions; 12 role tags; 3 notes'``.
        """
        with self._read() as con:
            def count(table: str) -> int:
                return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

            saved = con.execute("SELECT 1 FROM network_info").fetchone() is not None
            contacts, interactions = count("contacts"), count("interactions")
            tags, notes = count("role_tags"), count("notes")

        def n(k: int, word: str) -> str:
            return f"{k:,} {word}{'' if k == 1 else 's'}"

        net = (f"network: {n(contacts, 'contact')}, {n(interactions, 'interaction')}"
               if saved else "no network saved yet")
        return f"{net}; {n(tags, 'role tag')}; {n(notes, 'note')}"

    def _announce(self) -> None:
        detail = self.describe()
        if self._status == "new":
            detail = "new"
        elif self._status:
            detail = f"{self._status}; {detail}"
        print(f"Workspace: {self._path} ({detail})")

    # The network ------------------------------------------------------------
    def save_network(self, net: Network) -> None:
        """Replace the stored network with ``net``, in one transaction.

        Your role tags and notes are kept: they live in their own tables.

        Parameters
        ----------
        net : Network
            For example ``load_persona('ceramics')`` or an imported export.
        """
        if not isinstance(net, Network):
            raise TypeError(
                f"save_network: expected a Network, got {type(net).__name__}.\n"
                f"  fix: build one with Network(platforms=..., contacts=..., "
                f"interactions=...) or load_persona('ceramics')")
        # Convert before taking the write lock, so other kernels wait less.
        rows = {}
        for table, df in net.tables().items():
            columns = [_column_to_sql(col.dtype, df[name])
                       for name, col in SCHEMA[table].items()]
            rows[table] = list(zip(range(len(df)), *columns, strict=True))
        with self._write() as con:
            con.execute("DELETE FROM network_info")
            for table, table_rows in rows.items():
                names = ", ".join(["position"] + [f'"{c}"' for c in SCHEMA[table]])
                marks = ", ".join("?" * (len(SCHEMA[table]) + 1))
                con.execute(f"DELETE FROM {table}")
                con.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", table_rows)
            con.execute("INSERT INTO network_info (id, saved_at) VALUES (1, ?)", (_now_text(),))
            # What load_network would now read is ``net`` (the round trip is exact), so
            # remember it under the file's state after this write. Read inside the write
            # lock: no one else can commit in between, and our own commit moves neither.
            key = (int(con.execute("PRAGMA data_version").fetchone()[0]), con.total_changes)
        self._loaded = (key, Network._trusted(net.platforms, net.contacts, net.interactions))

    def has_network(self) -> bool:
        """Whether a network has been saved here."""
        with self._read() as con:
            return con.execute("SELECT 1 FROM network_info").fetchone() is not None

    def load_network(self, apply_tags: bool = True) -> Network:
        """The saved network, exactly as it was saved (same values, same dtypes).

        Parameters
        ----------
        apply_tags : bool, default True
            Replace ``contacts.role`` with your role tags (:meth:`tag_role`)
            where you have tagged someone. False gives the network as saved.

        Raises
        ------
        WorkspaceError
            No network has been saved in this workspace yet, or the file
            holds a value that does not fit its column (edited by hand, e.g. a
            timestamp ``'yesterday'`` or a role ``'Customer'``): the message
            names the table, the column and the row.
        TypeError
            ``apply_tags`` is not True or False.
        """
        if not isinstance(apply_tags, (bool, np.bool_)):
            raise TypeError(f"load_network: apply_tags must be True or False, got "
                            f"{type(apply_tags).__name__} {apply_tags!r}")
        with self._read() as con:
            # Unchanged file, unchanged answer: PRAGMA data_version moves when another
            # connection commits, total_changes when this one writes; so a second load
            # (a lesson loads the same workspace for the review, the take-home page and
            # the class summary) costs nothing. The network is kept as saved; tags are
            # applied to a copy on each call. Each caller gets its own copy-on-write
            # tables, so edits to one loaded network never reach another.
            key = (int(con.execute("PRAGMA data_version").fetchone()[0]), con.total_changes)
            if self._loaded is not None and self._loaded[0] == key:
                net = self._loaded[1]
            else:
                net = self._read_network(con)
                self._loaded = (key, net)
            contacts = net.contacts
            if apply_tags:
                tag_rows = con.execute(
                    "SELECT contact_id, role FROM role_tags ORDER BY contact_id").fetchall()
                self._checked_tags([r[0] for r in tag_rows], [r[1] for r in tag_rows])
                if tag_rows:
                    tagged = contacts["contact_id"].map(dict(tag_rows))
                    where = tagged.notna().to_numpy(bool)
                    if where.any():
                        contacts = contacts.copy()
                        contacts.loc[where, "role"] = tagged[where].astype("str").to_numpy()
        return Network._trusted(net.platforms, contacts, net.interactions)

    def _read_network(self, con: sqlite3.Connection) -> Network:
        """The network as saved (no tags), read inside the caller's transaction."""
        if con.execute("SELECT 1 FROM network_info").fetchone() is None:
            raise WorkspaceError(
                f"the workspace at {self._path} holds no network yet.\n"
                f"  expected: a network saved with save_network\n"
                f"  fix: save one first, e.g. ws.save_network(load_persona('ceramics'))")

        def locate(table: str, i: int) -> tuple[str, str, str]:
            position = con.execute(f"SELECT position FROM {table} ORDER BY position "
                                   f"LIMIT 1 OFFSET ?", (i,)).fetchone()[0]
            return (f"the row with position {position}", f"position = {position}",
                    "save a good network over it with ws.save_network(net)")

        tables: dict[str, pd.DataFrame] = {}
        for table, columns in SCHEMA.items():
            names = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f"SELECT {names} FROM {table} ORDER BY position").fetchall()
            # One 2-D object array, sliced by column: about 4x faster than zip(*rows)
            # for a large table, which makes 9 more tuples as long as the table.
            grid = (np.array(rows, dtype=object) if rows
                    else np.empty((0, len(columns)), dtype=object))
            tables[table] = pd.DataFrame({
                name: _checked_column(table, name, col.dtype, grid[:, j], path=self._path,
                                      locate=lambda i, t=table: locate(t, i))
                for j, (name, col) in enumerate(columns.items())})
        return Network._trusted(tables["platforms"], tables["contacts"], tables["interactions"])

    # Role tags --------------------------------------------------------------
    def tag_role(self, contact_id: str, role: str) -> None:
        """Say what someone is to you: a customer, a fan, a partner ...

        The tag overrides the role the data gave them, in :meth:`load_network`.
        Tagging the same person again replaces the tag.

        Parameters
        ----------
        contact_id : str
            A ``contact_id`` of the saved network.
        role : str
            One of :data:`~thinksmall_kit.ROLES`.

        Raises
        ------
        DataError
            The role is not one of ROLES, or (when a network is saved) the
            contact is not in it.
        """
        wanted = role.strip().lower() if isinstance(role, str) else role
        if wanted not in ROLES:
            raise DataError(f"role: {role!r} is not a role the kit knows\n"
                            f"  expected: one of {', '.join(ROLES)}\n"
                            f"  fix: e.g. ws.tag_role({contact_id!r}, 'customer')")
        with self._write() as con:
            self._check_contact(con, contact_id)
            con.execute(
                "INSERT INTO role_tags (contact_id, role, tagged_at) VALUES (?, ?, ?) "
                "ON CONFLICT (contact_id) DO UPDATE "
                "SET role = excluded.role, tagged_at = excluded.tagged_at",
                (contact_id, wanted, _now_text()))

    def _checked_tags(self, ids: list[Any], roles: list[Any]) -> pd.Series:
        """The stored tags' roles as a categorical; a role not in ROLES raises WorkspaceError."""
        def locate(i: int) -> tuple[str, str, str]:
            close = difflib.get_close_matches(str(roles[i]).strip().lower(), ROLES, n=1)
            return (f"the tag of contact_id {ids[i]!r}", f"contact_id = {_sql_text(ids[i])}",
                    f"tag them again, e.g. ws.tag_role({ids[i]!r}, "
                    f"{(close or ['customer'])[0]!r}), or remove the tag with "
                    f"ws.untag({ids[i]!r})")

        return _checked_column("contacts", "role", "category", roles, path=self._path,
                               locate=locate, shown_table="role_tags")

    def untag(self, contact_id: str) -> bool:
        """Remove your role tag for ``contact_id``; True if there was one."""
        if not isinstance(contact_id, str):
            raise TypeError(f"untag: contact_id must be text (a contact_id such as 'ana'), "
                            f"got {type(contact_id).__name__} {contact_id!r}")
        with self._write() as con:
            cur = con.execute("DELETE FROM role_tags WHERE contact_id = ?", (contact_id,))
            return cur.rowcount > 0

    def role_tags(self) -> pd.DataFrame:
        """Your role tags: one row per tagged contact (``contact_id``, ``role``, ``tagged_at``).

        A tag edited by hand into a role the kit does not know raises WorkspaceError.
        """
        with self._read() as con:
            rows = con.execute(
                "SELECT contact_id, role, tagged_at FROM role_tags ORDER BY contact_id"
            ).fetchall()
        ids, roles, when = (list(v) for v in zip(*rows, strict=True)) if rows else ([], [], [])
        return pd.DataFrame({
            "contact_id": pd.Series(ids, dtype=object).astype("str"),
            "role": self._checked_tags(ids, roles),
            "tagged_at": _checked_column(
                "role_tags", "tagged_at", "datetime64[ns, UTC]", when, path=self._path,
                locate=lambda i: (f"the tag of contact_id {ids[i]!r}",
                                  f"contact_id = {_sql_text(ids[i])}",
                                  f"tag them again with ws.tag_role({ids[i]!r}, "
                                  f"{str(roles[i])!r})")),
        })

    # Notes ------------------------------------------------------------------
    def add_note(self, contact_id: str, text: str) -> int:
        """Write down something about someone; returns the new note's ``note_id``.

        Parameters
        ----------
        contact_id : str
            Who it is about (a ``contact_id`` of the saved network).
        text : str
            The note. Notes stay on your machine.
        """
        if not isinstance(text, str) or not text.strip():
            raise DataError(f"text: expected the note as non-empty text; got {text!r}")
        with self._write() as con:
            self._check_contact(con, contact_id)
            cur = con.execute(
                "INSERT INTO notes (contact_id, text, created_at) VALUES (?, ?, ?)",
                (contact_id, text, _now_text()))
            return int(cur.lastrowid or 0)

    def notes(self, contact_id: str | None = None) -> pd.DataFrame:
        """Your notes, oldest first (``note_id``, ``contact_id``, ``text``, ``created_at``).

        Parameters
        ----------
        contact_id : str, optional
            Only the notes about this person.
        """
        if contact_id is not None and not isinstance(contact_id, str):
            raise TypeError(f"notes: contact_id must be text (a contact_id such as 'ana') or "
                            f"None for every note, got {type(contact_id).__name__} "
                            f"{contact_id!r}")
        sql = "SELECT note_id, contact_id, text, created_at FROM notes"
        params: tuple[Any, ...] = ()
        if contact_id is not None:
            sql += " WHERE contact_id = ?"
            params = (contact_id,)
        with self._read() as con:
            rows = con.execute(sql + " ORDER BY note_id", params).fetchall()
        cols = [list(v) for v in zip(*rows, strict=True)] if rows else [[], [], [], []]
        return pd.DataFrame({
            "note_id": pd.Series(cols[0], dtype="int64"),
            "contact_id": pd.Series(cols[1], dtype=object).astype("str"),
            "text": pd.Series(cols[2], dtype=object).astype("str"),
            "created_at": _checked_column(
                "notes", "created_at", "datetime64[ns, UTC]", cols[3], path=self._path,
                locate=lambda i: (f"the note with note_id {cols[0][i]}",
                                  f"note_id = {cols[0][i]}", "")),
        })


def open_workspace(path: str | os.PathLike[str] | None = None, *,
                   practice: Network | None = None) -> Workspace:
    """Open (or create) your workspace and say where it is.

    Parameters
    ----------
    path : str or path-like, optional
        The workspace file. Without it, the ``THINKSMALL_WORKSPACE``
        environment variable, else ``~/thinksmall/workspace.sqlite``.
        Folders and the file are created on first use.
    practice : Network, optional
        A network to practise on while your workspace holds none of your own.
        Then a separate ``practice-workspace.sqlite`` beside yours is opened
        instead, holding ``practice`` (it replaces whatever network the practice
        workspace held), so your own workspace stays yours: lessons use this for
        their "your own network" cells.

    Returns
    -------
    Workspace
        Use it in a ``with`` block, or call ``ws.close()`` when done.

    Raises
    ------
    WorkspaceError
        The path is empty or a folder, cannot be written, or holds something
        that is not a workspace this kit can use, or a workspace that looks
        damaged (that file is left untouched; the message says how SQLite's
        ``.recover`` can salvage a damaged one).
    TypeError
        ``path`` is not text, a path-like object or None.

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> from pathlib import Path
    >>> from thinksmall_kit import Network, open_workspace
    >>> folder = tempfile.mkdtemp()
    >>> ws = open_workspace(Path(folder) / "workspace.sqlite")  # doctest: +ELLIPSIS
    Workspace: ...workspace.sqlite (new)
    >>> net = Network(contacts=pd.DataFrame({"contact_id": ["ana", "ben"]}))
    >>> ws.save_network(net)
    >>> ws.tag_role("ana", "customer")
    >>> ws.add_note("ana", "Bought the blue bowl; asked about a workshop.")
    1
    >>> ws.load_network().contacts["role"].tolist()
    ['customer', 'unknown']
    >>> ws.close()
    >>> with open_workspace(Path(folder) / "workspace.sqlite") as ws:  # doctest: +ELLIPSIS
    ...     ws.load_network() == net
    Workspace: ...workspace.sqlite (network: 2 contacts, 0 interactions; 1 role tag; 1 note)
    False

    ``False`` because the saved tag makes ana a customer;
    ``ws.load_network(apply_tags=False) == net`` is True.

    Introduced in lesson 00 (lessons/00-welcome.ipynb).
    """
    ws = Workspace(path)
    try:
        if practice is not None and not ws.has_network():
            spare = ws.path.with_name(PRACTICE_NAME)
            ws.close()
            ws = Workspace(spare)
            # Each lesson practises on its own sample (lesson 07 on the "four weeks
            # later" slice): whatever network an earlier lesson (or a tick in the
            # tracker) left here is replaced by this one. Tags, notes, plans and
            # check-ins stay, as with any save.
            if not ws.has_network() or ws.load_network(apply_tags=False) != practice:
                ws.save_network(practice)
            print("Your workspace holds no network of your own yet, so this is a practice "
                  "workspace with the sample network.")
        ws._announce()
    except BaseException:
        ws.close()  # a damaged file found on the first read: do not keep it open
        raise
    return ws
