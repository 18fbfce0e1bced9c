"""The plain CSV template: for any platform without an importer, and for offline contact.

Three files with the columns of :data:`thinksmall_kit.SCHEMA`. Only
``interactions.csv`` is needed: platforms and contacts it names are added
with their defaults when the other two files are missing or leave them out.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd

from thinksmall_kit.importers import _common as c
from thinksmall_kit.network import OFFLINE, SCHEMA, DataError, Network

__all__ = ["read_csv_template", "write_template"]

WANTED = r"(^|/)(platforms|contacts|interactions)\.csv(\.gz)?$"
_EXAMPLES = {
    "platforms": {"platform": "instagram", "handle": "@my_studio", "followers": "1200",
                  "minutes_per_week": "90", "audience_fit": "0.6",
                  "purpose": "show new pieces to customers"},
    "contacts": {"contact_id": "ana", "display_name": "Ana Silva", "role": "customer",
                 "first_seen": "2024-05-02T00:00:00+00:00"},
    "interactions": {"timestamp": "2025-03-01T10:00:00+00:00", "platform": "instagram",
                     "contact_id": "ana", "direction": "in", "kind": "comment",
                     "thread_id": "post-17", "text": "Love the blue glaze!",
                     "has_link": "False", "is_promotional": "False"},
}


def write_template(folder: str | Path) -> Path:
    """Write the blank template: three CSV files with headers only, and a README.

    The README is made from :data:`thinksmall_kit.SCHEMA`, so it always
    matches what :class:`Network` accepts.

    >>> import tempfile
    >>> from thinksmall_kit.importers import write_template
    >>> folder = write_template(tempfile.mkdtemp())
    >>> sorted(p.name for p in folder.iterdir())
    ['README.md', 'contacts.csv', 'interactions.csv', 'platforms.csv']

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for table, columns in SCHEMA.items():
        (folder / f"{table}.csv").write_text(",".join(columns) + "\n", encoding="utf-8")
    (folder / "README.md").write_text(template_readme(), encoding="utf-8")
    return folder


def template_readme() -> str:
    """The README of the blank template, one section per file, one line per column."""
    lines = [
        "# Your own data in three CSV files",
        "",
        "Use this template for a platform the kit has no importer for, or for contact",
        "outside any platform (e-mail, calls, meetings: platform `offline`). Fill it in with",
        "a spreadsheet and save as *CSV UTF-8*, then load it in a notebook:",
        "",
        "```python",
        "net = tsk.read_export('path/to/this/folder')",
        "```",
        "",
        "Only `interactions.csv` is needed. Platforms and contacts it names that are not in",
        "the other two files are added with the defaults below. Times need a time zone:",
        "write `2025-03-01T10:00:00+00:00` (UTC) or with your offset, e.g. `+01:00`. A date",
        "alone, `2025-03-01`, is fine too: it is read as midday UTC on that day. When someone",
        "answered you on the same day, give their row a later time than yours (a minute is",
        "enough): the kit follows a conversation in time order.",
        "",
    ]
    for table, columns in SCHEMA.items():
        lines += [f"## {table}.csv", "", "| column | needed | meaning | if left empty |",
                  "|---|---|---|---|"]
        for col in columns.values():
            default = "" if col.required else _shown(col.default)
            lines.append(f"| `{col.name}` | {'yes' if col.required else 'no'} | "
                         f"{col.meaning} | {default} |")
        example = ",".join(_EXAMPLES[table].get(n, "") for n in columns)
        lines += ["", "An example row:", "", "```", ",".join(columns), example, "```", ""]
    lines += [f"The platform name `{OFFLINE}` is reserved for e-mail, calls and meetings; "
              "it needs no row in platforms.csv.", ""]
    return "\n".join(lines)


def _shown(value: Any) -> str:
    if value is None:
        return "(see meaning)"
    if value is pd.NaT or value is pd.NA or (isinstance(value, float) and value != value):
        return "empty"
    return f"`{value}`" if value != "" else "empty text"


def read_csv_template(path: Any, *, minutes_per_week: Any = None, audience_fit: Any = None,
                      max_bytes: int = c.MAX_BYTES, progress: bool = True) -> Network:
    """Read your own data from the CSV template (a folder, a zip, or one interactions.csv).

    Parameters
    ----------
    path : str or Path
        A folder holding ``interactions.csv`` and optionally ``platforms.csv``
        and ``contacts.csv`` (see ``data/template/README.md``), a zip of them,
        or a single ``interactions.csv``.
    minutes_per_week, audience_fit, max_bytes, progress
        As for :func:`read_export`.

    Returns
    -------
    Network
        The three tables as filled in; platforms and contacts named in
        interactions but missing from their files are added with defaults.

    Raises
    ------
    DataError
        Names the file, the column and the first offending rows (with their
        line numbers in the file) and says what was expected.

    Examples
    --------
    >>> from thinksmall_kit.importers import read_csv_template, sample_path
    >>> read_csv_template(sample_path("csv")).platforms["platform"].tolist()
    ['newsletter']

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """
    return c.run(path, _read, WANTED, max_bytes, progress, minutes_per_week, audience_fit)


def _table(src: c.Source, table: str) -> tuple[pd.DataFrame | None, str]:
    found = src.find(rf"(^|/){table}\.csv(\.gz)?$")
    if not found:
        return None, ""
    name = found[0]
    label = src.where(name)
    data = src.read_bytes(name)
    if name.lower().endswith(".gz"):
        import gzip

        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise c.located(label, None, f"is not a readable .gz file ({exc})",
                            "a gzip-compressed CSV file") from None
    text = c.decode(data, label)
    if not text.strip():
        raise c.located(label, None, "is empty", f"a header line: {','.join(SCHEMA[table])}")
    strings = {n: "str" for n in SCHEMA[table]}
    try:
        df = pd.read_csv(io.StringIO(text), dtype=strings, keep_default_na=False,
                         na_values={n: [""] for n in SCHEMA[table]}, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise c.located(label, None, f"is not valid CSV ({str(exc).strip()})",
                        f"comma-separated columns {','.join(SCHEMA[table])}",
                        fix="save it from your spreadsheet as 'CSV UTF-8'") from None
    df.columns = [str(col).strip() for col in df.columns]
    return df, label


def _read(src: c.Source) -> Network:
    interactions, ilabel = _table(src, "interactions")
    if interactions is None:
        raise c.located(src.label, None, "holds no interactions.csv",
                        "the CSV template: interactions.csv, and optionally platforms.csv "
                        "and contacts.csv", fix="start from data/template/ (see its README)")
    platforms, plabel = _table(src, "platforms")
    contacts, clabel = _table(src, "contacts")
    tables = {"interactions": (interactions, ilabel), "platforms": (platforms, plabel),
              "contacts": (contacts, clabel)}
    for table, (df, label) in tables.items():
        if df is None:
            continue
        unknown = [col for col in df.columns if col not in SCHEMA[table]]
        missing = [n for n, col in SCHEMA[table].items() if col.required and n not in df]
        if unknown or missing:
            problem = (f"has column(s) the template does not know: {unknown}" if unknown
                       else f"lacks the column(s) {missing}")
            raise c.located(label, "line 1 (the header)", problem,
                            "the columns " + ",".join(SCHEMA[table]),
                            fix="compare the header with data/template/README.md")
    if "platform" in interactions:
        used = interactions["platform"].dropna().str.strip()
        used = used[used != OFFLINE]
        have = platforms["platform"] if platforms is not None and "platform" in platforms \
            else pd.Series([], dtype=object)
        extra = pd.DataFrame({"platform": pd.unique(used[~used.isin(have)])})
        platforms = pd.concat([df for df in (platforms, extra) if df is not None],
                              ignore_index=True)
    if "contact_id" in interactions:
        used = interactions["contact_id"].dropna()
        have = contacts["contact_id"] if contacts is not None and "contact_id" in contacts \
            else pd.Series([], dtype=object)
        extra = pd.DataFrame({"contact_id": pd.unique(used[~used.isin(have)])})
        contacts = pd.concat([df for df in (contacts, extra) if df is not None],
                             ignore_index=True)
    # A date alone is what people type by hand: read it as midday UTC on that day (the
    # same calendar day almost everywhere). Times without a zone are still refused.
    for df, column in ((interactions, "timestamp"), (contacts, "first_seen")):
        if df is not None and column in df:
            day_only = df[column].str.strip().str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False)
            df.loc[day_only.astype(bool), column] = (
                df.loc[day_only.astype(bool), column].str.strip() + "T12:00:00+00:00")
    try:
        return Network(platforms, contacts, interactions)
    except DataError as exc:
        text = str(exc)
        table = text.split(".", 1)[0].split(":", 1)[0]
        label = tables.get(table, (None, src.label))[1] or src.label
        raise DataError(f"{label}: {text}\n  (row N above is line N + 2 of the file: "
                        "line 1 is the header)") from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a year 202 date
        raise c.located(src.label, None, f"holds a value that cannot be read ({exc})",
                        "dates such as 2025-03-01T10:00:00+00:00, numbers as plain numbers",
                        fix="compare the files with data/template/README.md") from None
