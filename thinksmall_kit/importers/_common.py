"""Shared helpers for the importers: safe archive reading, located errors, text repair.

Nothing here is public. Every importer reads through a :class:`Source`, which
hides whether the export is a zip file, a tar.gz, a folder or a single file;
reads members in memory (nothing is ever extracted to disk, so a member named
``../../etc/passwd`` cannot land anywhere); and caps how many bytes may be
decompressed, so a zip bomb stops with a clear :class:`DataError`.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import sys
import tarfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

import numpy as np
import pandas as pd

from thinksmall_kit.network import SCHEMA, DataError, Network

#: The most an import decompresses and reads, in bytes, unless told otherwise.
#: Media files in an export are never read, so 2 GiB is far more than the text of any account.
MAX_BYTES = 2 * 1024**3

_CHUNK = 1 << 20
_TAR_SUFFIXES = (".tar.gz", ".tgz", ".tar")


# --------------------------------------------------------------------------- errors


def located(label: str, where: str | None, problem: str, expected: str,
            fix: str = "") -> DataError:
    """A DataError that names the file, the place in it and what was expected."""
    head = f"{label}, {where}" if where else label
    lines = [f"{head}: {problem}", f"  expected: {expected}"]
    if fix:
        lines.append(f"  fix: {fix}")
    return DataError("\n".join(lines))


def json_path(base: str, *parts: object) -> str:
    """``[3].tweet.created_at`` style path, for error messages."""
    out = base
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


# --------------------------------------------------------------------------- sources


def _safe_name(name: str) -> str | None:
    """The member name as a clean relative POSIX path, or None when it tries to escape."""
    name = name.replace("\\", "/")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", name):
        return None
    clean = "/".join(p for p in path.parts if p not in ("", "."))
    return clean or None


class _Counted(io.RawIOBase):
    """A binary stream that stops once more than ``limit`` bytes have come through it."""

    def __init__(self, raw: IO[bytes], budget: Budget, label: str) -> None:
        self._raw = raw
        self._budget = budget
        self._label = label

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self._raw.read(len(b))
        self._budget.spend(len(data), self._label)
        n = len(data)
        b[:n] = data
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


class Budget:
    """How many bytes an import may still decompress (the zip-bomb guard)."""

    def __init__(self, max_bytes: int, progress: Progress | None = None) -> None:
        self.max_bytes = max_bytes
        self.used = 0
        self.progress = progress

    def check(self, size: int, label: str) -> None:
        if self.used + size > self.max_bytes:
            raise located(label, None,
                          f"would unpack to {size:,} bytes, over the limit of "
                          f"{self.max_bytes:,} bytes for one import",
                          "an export whose text files fit in the limit",
                          fix="if this really is your export, pass a larger max_bytes=...; "
                              "a file that unpacks to far more than its size is a 'zip bomb'")

    def spend(self, n: int, label: str) -> None:
        self.used += n
        if self.used > self.max_bytes:
            self.check(0, label)
        if self.progress is not None:
            self.progress.advance(n)


class Source:
    """An export seen as a set of named text members, whatever its container."""

    def __init__(self, label: str, budget: Budget) -> None:
        self.label = label
        self.budget = budget

    def names(self) -> list[str]:
        raise NotImplementedError

    def size(self, name: str) -> int:
        raise NotImplementedError

    def _open_raw(self, name: str) -> IO[bytes]:
        raise NotImplementedError

    def where(self, name: str) -> str:
        """How a member is named in messages: ``export.zip › data/tweets.js``."""
        return f"{self.label} › {name}" if name and name != self.label else self.label

    def open(self, name: str) -> IO[bytes]:
        """A buffered binary stream of one member, counted against the byte budget."""
        self.budget.check(self.size(name), self.where(name))
        raw = _Counted(self._open_raw(name), self.budget, self.where(name))
        return io.BufferedReader(raw, buffer_size=_CHUNK)

    def read_bytes(self, name: str) -> bytes:
        with self.open(name) as f:
            return f.read()

    def read_text(self, name: str) -> str:
        return decode(self.read_bytes(name), self.where(name))

    def read_json(self, name: str) -> Any:
        return loads(self.read_text(name), self.where(name))

    def find(self, pattern: str) -> list[str]:
        """Members whose path matches a regular expression (searched, case-insensitive)."""
        rx = re.compile(pattern, re.IGNORECASE)
        return sorted((n for n in self.names() if rx.search(n)), key=_natural)

    def close(self) -> None:
        pass


def _natural(name: str) -> list[Any]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


class FolderSource(Source):
    def __init__(self, root: Path, budget: Budget) -> None:
        super().__init__(str(root), budget)
        self.root = root.resolve()
        self._names: list[str] | None = None

    def names(self) -> list[str]:
        if self._names is None:
            out = []
            for p in self.root.rglob("*"):
                if p.is_file() and not p.is_symlink():
                    out.append(p.relative_to(self.root).as_posix())
            self._names = sorted(out)
        return self._names

    def size(self, name: str) -> int:
        return (self.root / name).stat().st_size

    def _open_raw(self, name: str) -> IO[bytes]:
        return open(self.root / name, "rb")


class FileSource(Source):
    """One file on its own: its only member is its file name."""

    def __init__(self, path: Path, budget: Budget) -> None:
        super().__init__(str(path), budget)
        self.path = path

    def names(self) -> list[str]:
        return [self.path.name]

    def where(self, name: str) -> str:
        return self.label

    def size(self, name: str) -> int:
        return self.path.stat().st_size

    def _open_raw(self, name: str) -> IO[bytes]:
        return open(self.path, "rb")


class ZipSource(Source):
    def __init__(self, path: Path, budget: Budget) -> None:
        super().__init__(str(path), budget)
        try:
            self.zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise located(str(path), None, f"is not a readable zip file ({exc})",
                          "the .zip file the platform sent you, fully downloaded",
                          fix="download the export again; a half-downloaded file "
                              "cannot be read") from None
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in self.zf.infolist():
            if info.is_dir():
                continue
            name = _safe_name(info.filename)
            if name is not None:  # names that try to leave the archive are ignored
                self._infos.setdefault(name, info)

    def names(self) -> list[str]:
        return sorted(self._infos)

    def size(self, name: str) -> int:
        return self._infos[name].file_size

    def _open_raw(self, name: str) -> IO[bytes]:
        try:
            return self.zf.open(self._infos[name])
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError,
                EOFError, ValueError) as exc:
            raise located(self.where(name), None, f"cannot be unpacked ({exc})",
                          "a plain (not encrypted) zip member",
                          fix="download the export again") from None

    def open(self, name: str) -> IO[bytes]:
        return _GuardedReader(super().open(name), self.where(name))  # type: ignore[return-value]

    def close(self) -> None:
        self.zf.close()


class _GuardedReader:
    """Turns the errors a damaged compressed stream raises into a DataError."""

    def __init__(self, inner: IO[bytes], label: str) -> None:
        self._inner = inner
        self._label = label

    def read(self, n: int | None = -1) -> bytes:
        try:
            return self._inner.read(n)
        except DataError:
            raise
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as exc:
            raise located(self._label, None, f"is damaged and cannot be unpacked ({exc})",
                          "an intact file", fix="download the export again") from None

    def close(self) -> None:
        self._inner.close()

    def __enter__(self) -> _GuardedReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class TarSource(Source):
    """A tar or tar.gz archive, read in ONE streaming pass.

    Only members whose names match ``wanted`` are kept (in memory, under the byte
    budget); media and everything else stream past without being stored. Random
    access into a gzip stream would mean unpacking it again for each member.
    """

    def __init__(self, path: Path, budget: Budget, wanted: str) -> None:
        super().__init__(str(path), budget)
        rx = re.compile(wanted, re.IGNORECASE)
        self._data: dict[str, bytes] = {}
        self._all: list[str] = []
        scanned = 0  # media stream past unread, but still count: a gzip bomb stops too
        try:
            with tarfile.open(path, mode="r|*") as tf:
                for member in tf:
                    name = _safe_name(member.name)
                    if name is None or not member.isfile():
                        continue  # links and escaping names are never followed
                    self._all.append(name)
                    scanned += member.size
                    if scanned > 8 * budget.max_bytes:
                        budget.check(scanned, str(path))
                    if not rx.search(name):
                        continue
                    budget.check(member.size, self.where(name))
                    f = tf.extractfile(member)
                    if f is None:
                        continue
                    data = f.read()
                    budget.spend(len(data), self.where(name))
                    self._data[name] = data
        except (tarfile.TarError, EOFError, OSError, ValueError,
                zlib.error) as exc:
            raise located(str(path), None, f"is not a readable tar archive ({exc})",
                          "the .tar.gz archive the platform sent you, fully downloaded",
                          fix="download the archive again") from None

    def names(self) -> list[str]:
        return sorted(self._data)

    def all_names(self) -> list[str]:
        return self._all

    def size(self, name: str) -> int:
        return len(self._data[name])

    def open(self, name: str) -> IO[bytes]:
        return io.BytesIO(self._data[name])


def _check_max_bytes(max_bytes: Any) -> None:
    """Refuse a ``max_bytes`` that is not a whole number of bytes above 0."""
    if isinstance(max_bytes, bool | np.bool_) or not isinstance(max_bytes, int | np.integer):
        raise TypeError(f"max_bytes: expected a whole number of bytes such as 3 * 1024**3 "
                        f"(3 GiB), got {type(max_bytes).__name__} {max_bytes!r}")
    if max_bytes <= 0:
        raise DataError(f"max_bytes: got {max_bytes}; the most an import may unpack must be "
                        f"above 0 bytes\n"
                        f"  expected: a whole number of bytes, e.g. the default {MAX_BYTES} "
                        f"(2 GiB)\n"
                        f"  fix: leave max_bytes out, or pass a larger number such as "
                        f"3 * 1024**3")


def open_source(path: str | Path, max_bytes: int = MAX_BYTES, wanted: str = r".",
                progress: bool = True) -> Source:
    """A :class:`Source` for a path: a folder, a zip, a tar(.gz) or any single file.

    Every reader opens its export here, so ``max_bytes`` is checked here: a
    whole number of bytes above 0 (TypeError or DataError otherwise).
    """
    _check_max_bytes(max_bytes)
    if isinstance(path, Source):
        return path
    if not isinstance(path, str | Path):
        raise TypeError(f"expected the path of your export as text or a Path, got "
                        f"{type(path).__name__}; e.g. read_export('twitter-2025.zip')")
    p = Path(path).expanduser()
    if not p.exists():
        raise DataError(f"{p}: no such file or folder\n"
                        f"  expected: the path of your downloaded export\n"
                        f"  fix: check the spelling; the current folder is {Path.cwd()}")
    bar = Progress(f"reading {p.name}", total=_size_of(p)) if progress else None
    budget = Budget(max_bytes, bar)
    if p.is_dir():
        return FolderSource(p, budget)
    lower = p.name.lower()
    if lower.endswith(".zip") or (zipfile.is_zipfile(p) and not lower.endswith(".car")):
        return ZipSource(p, budget)
    if lower.endswith(_TAR_SUFFIXES):
        return TarSource(p, budget, wanted)
    return FileSource(p, budget)


def _size_of(p: Path) -> int:
    try:
        return p.stat().st_size if p.is_file() else 0
    except OSError:
        return 0


# --------------------------------------------------------------------------- text


def decode(data: bytes, label: str) -> str:
    """Bytes as UTF-8 text (a BOM is dropped); a clear DataError when they are not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise located(label, f"line {line} (byte {exc.start})",
                      "is not UTF-8 text", "a UTF-8 text file, as the platform exports it",
                      fix="use the file exactly as downloaded; if you opened and saved it in "
                          "a spreadsheet, save it again as 'CSV UTF-8'") from None


def loads(text: str, label: str) -> Any:
    """json.loads with the error turned into a DataError naming the line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _json_error(label, exc.lineno, exc.colno, exc.msg, text) from None
    except RecursionError:
        raise located(label, None, "is nested too deeply to be an export",
                      "a JSON file as the platform exports it") from None


def _json_error(label: str, line: int, col: int, msg: str, text: str) -> DataError:
    ended = msg.startswith("Expecting") and len(text.rstrip()) <= len(text) and \
        line >= text.count("\n") + (0 if text.endswith("\n") else 1)
    problem = f"is not valid JSON ({msg})"
    if ended:
        problem += "; the file seems cut short"
    return located(label, f"line {line}, column {col}", problem,
                   "a complete JSON file as the platform exports it",
                   fix="download the export again; a file that was cut short or edited by "
                       "hand cannot be read")


_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf]")


def repair_text(s: Any) -> Any:
    """Undo the Latin-1 misreading of UTF-8 that Meta exports carry ("JosÃ©" -> "José").

    >>> repair_text("JosÃ©")
    'José'
    >>> repair_text("José")  # already right: left alone
    'José'
    """
    if not isinstance(s, str) or not _MOJIBAKE.search(s):
        return s
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def iter_js_array(stream: IO[bytes], label: str, prefix: str = r"window\.YTD\.[\w.]+\s*=\s*",
                  ) -> Iterator[tuple[int, Any]]:
    """Yield ``(index, element)`` of the JSON array in an X archive ``.js`` file, streaming.

    The file is never executed: the ``window.YTD.<name>.partN =`` prefix is
    matched as text and the rest is read as JSON, one element at a time, with
    the C JSON scanner (``raw_decode``), so memory holds one chunk and one
    element, not the whole file.
    """
    reader = codecs.getincrementaldecoder("utf-8-sig")()
    decoder = json.JSONDecoder()
    buf = ""
    pos = 0
    lines_before = 1  # line number of buf[0]
    eof = False

    def more() -> bool:
        nonlocal buf, pos, lines_before, eof
        if eof:
            return False
        data = stream.read(_CHUNK)
        try:
            text = reader.decode(data, final=not data)
        except UnicodeDecodeError:
            raise located(label, f"line {lines_before + buf.count(chr(10), 0, pos)}",
                          "is not UTF-8 text", "the .js file as X exports it (UTF-8)",
                          fix="use the file exactly as downloaded") from None
        lines_before += buf.count("\n", 0, pos)
        buf = buf[pos:] + text
        pos = 0
        if not data:
            eof = True
        return bool(data) or bool(text)

    def skip_ws() -> None:
        nonlocal pos
        while True:
            m = _WS.match(buf, pos)
            pos = m.end()
            if pos < len(buf) or not more():
                return

    def where() -> str:
        return f"line {lines_before + buf.count(chr(10), 0, pos)}"

    more()
    while len(buf) < 200 and more():
        pass
    m = re.compile(prefix).match(buf.lstrip())
    if m is None:
        start = buf.lstrip()[:40]
        if start.startswith("["):
            m = re.match(r"", "")  # a bare JSON array is fine too
            pos = len(buf) - len(buf.lstrip())
        else:
            raise located(label, "line 1", f"does not start like an X archive file "
                          f"(it starts {start!r})",
                          "a first line like 'window.YTD.tweets.part0 = ['",
                          fix="pick the data/tweets.js (or other .js) file from your X archive")
    else:
        pos = len(buf) - len(buf.lstrip()) + m.end()
    skip_ws()
    if buf[pos:pos + 1] != "[":
        raise located(label, where(), "has no JSON list after the 'window.YTD... =' prefix",
                      "'[' starting the list of entries")
    pos += 1
    index = 0
    skip_ws()
    if buf[pos:pos + 1] == "]":
        return
    while True:
        skip_ws()
        while True:
            try:
                value, end = decoder.raw_decode(buf, pos)
                break
            except json.JSONDecodeError as exc:
                if more():
                    continue
                line = lines_before + buf.count("\n", 0, exc.pos)
                col = exc.pos - buf.rfind("\n", 0, exc.pos)
                problem = f"is not valid JSON at entry [{index}] ({exc.msg})"
                if exc.pos >= len(buf.rstrip()):
                    problem += "; the file seems cut short"
                raise located(label, f"line {line}, column {col}", problem,
                              "a complete .js file as X exports it",
                              fix="download the archive again") from None
            except RecursionError:
                raise located(label, where(), "is nested too deeply",
                              "an X archive file") from None
        yield index, value
        index += 1
        pos = end
        skip_ws()
        c = buf[pos:pos + 1]
        if c == ",":
            pos += 1
            continue
        if c == "]":
            pos += 1
            skip_ws()
            rest = buf[pos:].strip().rstrip(";").strip()
            if rest:
                raise located(label, where(), "has text after the end of the list",
                              "nothing after the closing ']'")
            return
        problem = "ends before the list is closed; the file seems cut short" if c == "" \
            else f"has {c!r} where ',' or ']' should follow entry [{index - 1}]"
        raise located(label, where(), problem, "a complete .js file as X exports it",
                      fix="download the archive again")


_WS = re.compile(r"\s*")


def read_csv_rows(text: str, label: str, header_test: Callable[[list[str]], bool],
                  expected: str) -> tuple[list[str], list[list[str]], int]:
    """Find the header row (skipping any preamble) and return header, rows and header line.

    The csv module handles quoted commas and quoted line breaks; the header is
    the first row ``header_test`` accepts, so a preamble of any length is skipped.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    header_line = 0
    try:
        for row in reader:
            if header_test([c.strip() for c in row]):
                header = [c.strip() for c in row]
                header_line = reader.line_num
                break
            if reader.line_num > 50:
                break
        if header is None:
            raise located(label, None, "has no header row", expected,
                          fix="use the file exactly as the platform exported it")
        rows = [r for r in reader if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise located(label, f"line {reader.line_num}", f"is not valid CSV ({exc})",
                      expected) from None
    return header, rows, header_line


def frame(header: list[str], rows: list[list[str]]) -> pd.DataFrame:
    """Rows of text as a DataFrame of str; short rows are padded, long rows cut."""
    n = len(header)
    fixed = [(r + [""] * n)[:n] for r in rows]
    return pd.DataFrame(fixed, columns=header, dtype=object)


# --------------------------------------------------------------------------- parsing


def parse_times(values: pd.Series, label: str, where: Callable[[int], str], expected: str,
                fmt: str | None = None, unit: str | None = None) -> pd.Series:
    """Timestamps in UTC; the first value that does not parse gives a located DataError."""
    if unit is not None:
        num = pd.to_numeric(values, errors="coerce")
        bad = num.isna() | (num <= 0)
        out = pd.to_datetime(num.where(~bad), unit=unit, utc=True)
    else:
        text = values.where(values.map(lambda v: isinstance(v, str), na_action="ignore")
                            .fillna(False).astype(bool))
        kwargs: dict[str, Any] = {"format": fmt} if fmt else {"format": "mixed"}
        try:
            out = pd.to_datetime(text, utc=True, errors="coerce", **kwargs)
        except (ValueError, TypeError, OverflowError):
            out = pd.Series([_one_time(v, fmt) for v in text], index=values.index,
                            dtype="datetime64[ns, UTC]")
        bad = out.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise located(label, where(i), f"has a date that cannot be read: {values.iloc[i]!r}",
                      expected, fix="use the file exactly as the platform exported it")
    return out.astype("datetime64[ns, UTC]")


def _one_time(v: Any, fmt: str | None) -> Any:
    try:
        return pd.to_datetime(v, utc=True, format=fmt or "mixed")
    except (ValueError, TypeError, OverflowError):
        return pd.NaT


def require_type(values: Iterable[Any], kind: type | tuple[type, ...], label: str,
                 where: Callable[[int], str], expected: str, allow_none: bool = False) -> None:
    """Check every value has a type; name the first one that does not."""
    for i, v in enumerate(values):
        if (v is None and allow_none) or (isinstance(v, kind) and not isinstance(v, bool)):
            continue
        found = "nothing" if v is None else f"{type(v).__name__} {v!r:.60}"
        raise located(label, where(i), f"has {found}", expected,
                      fix="use the file exactly as the platform exported it")


def obj(value: Any, label: str, where: str, expected: str) -> Any:
    if not isinstance(value, dict):
        found = "nothing" if value is None else type(value).__name__
        raise located(label, where, f"holds {found} where an object {{...}} belongs", expected)
    return value


def seq(value: Any, label: str, where: str, expected: str) -> list[Any]:
    if not isinstance(value, list):
        found = "nothing" if value is None else type(value).__name__
        raise located(label, where, f"holds {found} where a list [...] belongs", expected)
    return value


_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def has_link(text: pd.Series) -> pd.Series:
    return text.fillna("").str.contains(_URL, regex=True)


# --------------------------------------------------------------------------- assembly


def build(platform: str, handle: str, followers: int, contacts: pd.DataFrame | None,
          interactions: pd.DataFrame | None, label: str,
          minutes_per_week: float = 0.0, audience_fit: float = float("nan"),
          purpose: str = "") -> Network:
    """Assemble one platform's tables into a validated Network.

    Contacts named in interactions but missing from ``contacts`` are added;
    repeated contacts keep their earliest ``first_seen``.
    """
    cols_c = list(SCHEMA["contacts"])
    cols_i = list(SCHEMA["interactions"])
    contacts = contacts if contacts is not None else pd.DataFrame(columns=cols_c)
    interactions = interactions if interactions is not None else pd.DataFrame(columns=cols_i)
    interactions = interactions.copy()
    interactions["platform"] = platform
    if "text" in interactions and "has_link" not in interactions:
        interactions["has_link"] = has_link(interactions["text"])
    named = interactions.get("contact_id", pd.Series([], dtype=object)).dropna()
    extra = pd.DataFrame({"contact_id": pd.unique(named)})
    if len(contacts):
        extra = extra[~extra["contact_id"].isin(contacts["contact_id"])]
    contacts = pd.concat([c for c in (contacts, extra) if len(c)] or [contacts],
                         ignore_index=True)
    if "first_seen" in contacts:
        contacts = contacts.sort_values("first_seen", kind="stable", na_position="last")
    contacts = contacts.drop_duplicates("contact_id", keep="first")
    if "display_name" in contacts:
        contacts["display_name"] = contacts["display_name"].where(
            contacts["display_name"].fillna("").astype(str).str.strip() != "",
            contacts["contact_id"])
    # Text columns as pandas text: an object column with nothing in it makes pandas warn.
    for col in ("contact_id", "thread_id", "text"):
        if col in interactions:
            interactions[col] = interactions[col].astype("str")
    if contacts.empty:
        contacts = pd.DataFrame({col: pd.Series([], dtype=object) for col in contacts.columns})
    platforms = pd.DataFrame({
        "platform": [platform], "handle": [handle or ""], "followers": [int(followers)],
        "minutes_per_week": [float(minutes_per_week)], "audience_fit": [audience_fit],
        "purpose": [purpose]})
    try:
        return Network(platforms, contacts.reset_index(drop=True),
                       interactions.reset_index(drop=True))
    except DataError as exc:  # should not happen: the importer made the tables
        raise DataError(f"{label}: the imported tables do not fit the kit's model:\n{exc}"
                        ) from None


def empty_interactions() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in SCHEMA["interactions"]
                         if c != "platform"})


# --------------------------------------------------------------------------- progress


class Progress:
    """A one-line text progress report on stdout, shown only when an import takes a while.

    Nothing is printed for the first ``delay`` seconds, so small exports stay
    quiet; after that the line is rewritten in place (``\\r``) at most twice a
    second. Nothing goes to stderr (a notebook would show it in red).
    """

    def __init__(self, what: str, total: int = 0, delay: float = 1.0,
                 out: IO[str] | None = None) -> None:
        self.what = what
        self.total = total
        self.delay = delay
        self.done = 0
        self.start = time.monotonic()
        self._last = 0.0
        self._shown = False
        self._out = out

    def advance(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.start < self.delay or now - self._last < 0.5:
            return
        self._last = now
        self._shown = True
        mb = self.done / 1e6
        if self.total and self.done <= self.total:
            share = self.done / self.total
            bar = "#" * int(share * 20)
            line = f"\r{self.what}: [{bar:<20}] {share:4.0%} {mb:,.0f} MB"
        else:
            line = f"\r{self.what}: {mb:,.0f} MB read"
        out = self._out or sys.stdout
        out.write(line)
        out.flush()

    def finish(self) -> None:
        if self._shown:
            out = self._out or sys.stdout
            out.write(f"\r{self.what}: done, {self.done / 1e6:,.0f} MB in "
                      f"{time.monotonic() - self.start:.1f} s\n")
            out.flush()
            self._shown = False


# --------------------------------------------------------------------------- running


def set_effort(net: Network, minutes_per_week: Any = None, audience_fit: Any = None
               ) -> Network:
    """Fill in what no export knows: your minutes per week and the audience fit.

    Each may be one number for every platform or a dict ``{platform: value}``.
    """
    if minutes_per_week is None and audience_fit is None:
        return net
    p = net.platforms.copy()
    for column, value in (("minutes_per_week", minutes_per_week),
                          ("audience_fit", audience_fit)):
        if value is None:
            continue
        if isinstance(value, dict):
            unknown = sorted(set(value) - set(p["platform"]))
            if unknown:
                raise DataError(f"{column}: no platform named {unknown} in this import; "
                                f"it has {', '.join(p['platform'])}")
            mapped = p["platform"].map(value)
            p[column] = mapped.where(mapped.notna(), p[column])
        elif isinstance(value, int | float) and not isinstance(value, bool):
            p[column] = float(value)
        else:
            raise TypeError(f"{column} must be a number or a dict {{platform: number}}, "
                            f"got {type(value).__name__}")
    return Network(p, net.contacts, net.interactions)


def run(path: Any, reader: Callable[[Source], Network], wanted: str, max_bytes: int,
        progress: bool, minutes_per_week: Any = None, audience_fit: Any = None) -> Network:
    """Open ``path``, read it with ``reader``, close it, finish the progress line."""
    if isinstance(path, Source):
        return set_effort(reader(path), minutes_per_week, audience_fit)
    src = open_source(path, max_bytes=max_bytes, wanted=wanted, progress=progress)
    try:
        net = reader(src)
    finally:
        src.close()
        if src.budget.progress is not None:
            src.budget.progress.finish()
    return set_effort(net, minutes_per_week, audience_fit)
