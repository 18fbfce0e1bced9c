"""Where the kit may write a file it makes: one rule for every page, summary and calendar.

Each function that writes a file for the learner (the take-home page, the class
summary, the habit calendar, the class dashboard) asks :func:`output_file`
first. It refuses a name of the wrong kind (``my-plan.html`` for a calendar), a
folder, and, above all, an existing file the kit did not write itself: a
mistyped ``out=`` must never replace the learner's workspace, a notebook or
last week's page of another kind. A file the kit wrote earlier (recognised by
its own mark, see ``recognise``) is replaced, so running a lesson again updates
its files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from thinksmall_kit.network import DataError

#: How much of an existing file is read to recognise the kit's own mark.
HEAD_BYTES = 16_384


def head(path: Path) -> bytes:
    """The first bytes of ``path`` (empty when it cannot be read)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(HEAD_BYTES)
    except OSError:
        return b""


def output_file(out: object, who: str, suffixes: tuple[str, ...], what: str,
                recognise: Callable[[bytes], bool]) -> Path:
    """The path ``out`` names, once it is safe for ``who`` to write ``what`` there.

    Parameters
    ----------
    out : str or path-like
        What the learner gave; ``~`` is expanded.
    who : str
        The function's name, for messages.
    suffixes : tuple of str
        Accepted endings, lower case, the first one shown in messages.
    what : str
        What is written, for messages ("a take-home page").
    recognise : callable
        Given the first bytes of an existing file, whether the kit wrote it.

    Raises
    ------
    TypeError
        ``out`` is not text or a path.
    DataError
        Wrong ending, a folder, or an existing file the kit did not write.
    """
    if isinstance(out, bytes) or not isinstance(out, str | os.PathLike):
        raise TypeError(f"{who}: out must be a file name such as 'my-file{suffixes[0]}', "
                        f"got {type(out).__name__}")
    text = os.fspath(out)
    if not str(text).strip():
        raise DataError(f"{who}: out is empty; give a file name such as 'my-file{suffixes[0]}'")
    path = Path(os.path.expanduser(text))
    if path.suffix.lower() not in suffixes:
        raise DataError(f"{who}: out={text!r} should end in {suffixes[0]} ({what}); "
                        f"for example 'my-file{suffixes[0]}'")
    if path.is_dir():
        raise DataError(f"{who}: {path} is a folder; give a file name ending in {suffixes[0]}")
    if path.exists() and not recognise(head(path)):
        raise DataError(
            f"{who}: {path} already exists and is not {what} the kit made, so it is left as "
            f"it is\n  expected: a new file name, or one the kit wrote before\n"
            f"  fix: choose another name, or move that file away first")
    return path


#: The mark every HTML page the kit writes carries in its <head>.
GENERATOR = '<meta name="generator" content="Think Small Kit">'


def kit_page(start: bytes) -> bool:
    """A take-home page or class dashboard the kit wrote (pages from before the mark
    are recognised by the kit's style sheet)."""
    return GENERATOR.encode() in start or b"p.lead { color: #555; margin-top: 0; }" in start


def kit_calendar(start: bytes) -> bool:
    """A habit calendar the kit wrote (its PRODID)."""
    return start.startswith(b"BEGIN:VCALENDAR") and b"PRODID:-//Think Small Kit//" in start


def kit_summary(start: bytes) -> bool:
    """A class summary the kit wrote (its format name)."""
    return start.lstrip().startswith(b"{") and b'"thinksmall-class-summary"' in start
