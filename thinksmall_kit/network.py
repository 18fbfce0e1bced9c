"""The canonical network: three tables every importer makes and every analysis reads.

A :class:`Network` holds three pandas DataFrames with fixed columns and dtypes:

``platforms``
    One row per account the learner holds (Instagram, a newsletter, ...).
``contacts``
    One row per person or organisation the learner deals with.
``interactions``
    One row per event: a post, a reply, a like, a DM, an e-mail, a call ...

The tables are checked once, when the ``Network`` is made. A problem raises
:class:`DataError`, which names the table, the column, the first offending rows
and what was expected. Nothing after that checks again.

Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DIRECTIONS",
    "KINDS",
    "OFFLINE",
    "ROLES",
    "SCHEMA",
    "Column",
    "DataError",
    "Network",
]

#: The roles a contact can have: the people the course calls your tribe, plus a few.
ROLES: tuple[str, ...] = (
    "customer",
    "fan",
    "supporter",
    "buyer",
    "partner",
    "associate",
    "vendor",
    "friend",
    "peer",
    "unknown",
)
#: What happened in one interaction.
KINDS: tuple[str, ...] = (
    "post",
    "reply",
    "comment",
    "mention",
    "dm",
    "like",
    "share",
    "recommend",
    "email",
    "call",
    "meeting",
)
#: ``out``: the learner acted; ``in``: someone acted toward the learner.
DIRECTIONS: tuple[str, ...] = ("in", "out")
#: The platform name for contact outside any platform (e-mail, calls, meetings in person).
OFFLINE = "offline"

TIMESTAMP_DTYPE = pd.DatetimeTZDtype(unit="ns", tz="UTC")
_MAX_SHOWN = 5


class DataError(ValueError):
    """A table does not fit the kit's data model.

    The message names the table, the column, up to five offending rows and what
    was expected, and says how to fix it.
    """


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of a canonical table: its dtype, meaning and default."""

    name: str
    dtype: str
    meaning: str
    required: bool = False
    default: Any = None
    nullable: bool = False


def _cols(*columns: Column) -> dict[str, Column]:
    return {c.name: c for c in columns}


#: The documented columns of each table, in order.
SCHEMA: dict[str, dict[str, Column]] = {
    "platforms": _cols(
        Column("platform", "str", "lower-case name of the platform, unique (e.g. instagram)",
               required=True),
        Column("handle", "str", "your name or handle there", default=""),
        Column("followers", "int64", "followers or connections: the vanity number, >= 0",
               default=0),
        Column("minutes_per_week", "float64", "time you spend there each week, >= 0",
               default=0.0),
        Column("audience_fit", "float64",
               "0..1: how much of your tribe lives there (empty = not assessed yet)",
               default=np.nan, nullable=True),
        Column("purpose", "str", "why you are there, in your words", default=""),
    ),
    "contacts": _cols(
        Column("contact_id", "str", "unique id of a person or organisation", required=True),
        Column("display_name", "str", "the name you know them by (defaults to contact_id)"),
        Column("role", "category", "one of " + ", ".join(ROLES), default="unknown"),
        Column("first_seen", "datetime64[ns, UTC]", "when you first met them (may be empty)",
               default=pd.NaT, nullable=True),
    ),
    "interactions": _cols(
        Column("timestamp", "datetime64[ns, UTC]", "when it happened, time-zone aware",
               required=True),
        Column("platform", "str", f"a platform of the platforms table, or '{OFFLINE}'",
               required=True),
        Column("contact_id", "str",
               "the other person (a contact_id); empty for a broadcast with no counterpart",
               default=pd.NA, nullable=True),
        Column("direction", "category", "'out' = you acted, 'in' = they acted toward you",
               required=True),
        Column("kind", "category", "one of " + ", ".join(KINDS), required=True),
        Column("thread_id", "str", "conversation or thread it belongs to (may be empty)",
               default=pd.NA, nullable=True),
        Column("text", "str", "what was said (may be empty, e.g. dropped for privacy)",
               default=pd.NA, nullable=True),
        Column("has_link", "bool", "the message carries a link", default=False),
        Column("is_promotional", "bool", "the message promotes you or your offer",
               default=False),
    ),
}

_CATEGORIES = {
    ("contacts", "role"): ROLES,
    ("interactions", "direction"): DIRECTIONS,
    ("interactions", "kind"): KINDS,
}

_HINTS = {
    "str": "text",
    "int64": "whole numbers",
    "float64": "numbers",
    "bool": "True or False",
    "category": "one of the listed values",
    "datetime64[ns, UTC]": "time-zone aware timestamps",
}


# --------------------------------------------------------------------------- errors


def _fail(table: str, column: str | None, problem: str, expected: str,
          rows: pd.Series | None = None, fix: str = "") -> DataError:
    where = f"{table}.{column}" if column else table
    lines = [f"{where}: {problem}", f"  expected: {expected}"]
    if rows is not None and len(rows):
        shown = rows.iloc[:_MAX_SHOWN]
        more = len(rows) - len(shown)
        lines.append(f"  {len(rows)} offending row(s); the first {len(shown)}:")
        for index, value in shown.items():
            lines.append(f"    row {index!r}: {value!r}")
        if more:
            lines.append(f"    ... and {more} more")
    if fix:
        lines.append(f"  fix: {fix}")
    return DataError("\n".join(lines))


# --------------------------------------------------------------------------- coercion


def _bad(series: pd.Series, mask: Any) -> pd.Series:
    mask = pd.Series(np.asarray(mask, dtype=bool), index=series.index)
    return series[mask].astype(object)


def _to_str(table: str, col: Column, s: pd.Series) -> pd.Series:
    dtype = s.dtype
    is_object = pd.api.types.is_object_dtype(dtype)
    if (pd.api.types.is_string_dtype(dtype) and not is_object) or isinstance(
            dtype, pd.CategoricalDtype) or pd.api.types.is_integer_dtype(dtype):
        # Whole-number ids (an exported user id) are fine as text; 1.0 is not.
        return s.astype("str")
    if pd.api.types.is_float_dtype(dtype):
        # Whole numbers with gaps arrive as floats ([1, None, 2] is float64).
        whole = s.notna() & (s == np.floor(s))
        if (whole | s.isna()).all():
            return s.astype("Int64").astype("str").where(s.notna())
    if is_object:
        def is_text(v: object) -> bool:
            return v is None or v is pd.NA or isinstance(v, str) or (
                isinstance(v, int) and not isinstance(v, bool)) or (
                isinstance(v, float) and np.isnan(v))

        bad = ~s.map(is_text).astype(bool)
    else:
        bad = s.notna()
    if bad.any():
        raise _fail(table, col.name, "holds values that are not text", "text (str)",
                    _bad(s, bad), fix=f"convert the column with df[{col.name!r}].astype(str)")
    return s.astype("str")


def _not_finite(table: str, col: Column, s: pd.Series, num: pd.Series) -> None:
    """Refuse inf and -inf (typed, or read from text such as 'inf'): no count or time is endless."""
    endless = pd.Series(np.isinf(num.to_numpy(dtype="float64", na_value=np.nan)),
                        index=s.index)
    if endless.any():
        raise _fail(table, col.name, "holds infinite values", "finite numbers such as 1200",
                    _bad(s, endless),
                    fix="replace them with the real number (inf often comes from dividing "
                        "by zero)")


def _to_int(table: str, col: Column, s: pd.Series) -> pd.Series:
    num = pd.to_numeric(s, errors="coerce")
    _not_finite(table, col, s, num)
    bad = num.isna() | (num != np.floor(num.fillna(0)))
    if bad.any():
        raise _fail(table, col.name, "holds values that are not whole numbers",
                    "whole numbers such as 1200", _bad(s, bad),
                    fix="write counts as plain numbers, e.g. 1200 rather than '1.2k'")
    if pd.api.types.is_unsigned_integer_dtype(num.dtype):
        huge = num > np.iinfo(np.int64).max
    elif pd.api.types.is_float_dtype(num.dtype):
        huge = (num >= 2.0**63) | (num < -(2.0**63))
    else:  # int64: in range by construction
        huge = pd.Series(False, index=s.index)
    if huge.any():
        raise _fail(table, col.name, "holds numbers too large to store",
                    "whole numbers between -9,223,372,036,854,775,808 and "
                    "9,223,372,036,854,775,807", _bad(s, huge),
                    fix="check those cells for a typo (an extra digit, or 1e20 for 1200)")
    return num.astype("int64")


def _to_float(table: str, col: Column, s: pd.Series) -> pd.Series:
    num = pd.to_numeric(s, errors="coerce")
    bad = num.isna() & s.notna()
    if not col.nullable:
        bad = bad | s.isna()
    if bad.any():
        raise _fail(table, col.name, "holds values that are not numbers", "numbers",
                    _bad(s, bad))
    _not_finite(table, col, s, num)
    return num.astype("float64")


def _to_bool(table: str, col: Column, s: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(s.dtype) and not s.isna().any():
        return s.astype(bool)
    words = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
    mapped = s.map(lambda v: words.get(str(v).strip().lower()) if not isinstance(v, bool) else v,
                   na_action="ignore")
    bad = mapped.isna()
    if bad.any():
        raise _fail(table, col.name, "holds values that are not True or False",
                    "True/False (or 1/0, yes/no)", _bad(s, bad))
    return mapped.astype(bool)


def _one_timestamp(value: Any) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
        ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
        return ts.as_unit("ns")
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return pd.NaT


def _iso_timestamps(s: pd.Series, *, utc: bool) -> pd.Series | None:
    """``s`` read as ISO 8601 timestamps, or None unless every value is one.

    With ``utc=False`` the result is also None unless every value carries the
    same offset (then pandas returns zone-aware timestamps), so a None always
    means "look closer", never "wrong".
    """
    try:
        out = pd.to_datetime(s, utc=utc, errors="coerce", format="ISO8601")
    except (pd.errors.OutOfBoundsDatetime, OverflowError, ValueError, TypeError):
        return None
    if not isinstance(out.dtype, pd.DatetimeTZDtype) or (out.isna() & s.notna()).any():
        return None
    return out


def _naive_values(s: pd.Series) -> pd.Series:
    """Which values of an object or text column carry no time zone."""
    present = s.notna()
    if not present.any():
        return present
    if _iso_timestamps(s, utc=False) is not None:
        return present & False  # every value is ISO 8601 with the same offset
    try:
        local = pd.to_datetime(s, utc=False, errors="coerce", format="mixed")
    except (ValueError, TypeError):
        local = None  # naive and aware values mixed: look at each (rare, at the border only)
    if local is not None:
        if isinstance(local.dtype, pd.DatetimeTZDtype):
            return present & False
        if local.dtype != object:  # all parsed without a zone
            return present & local.notna()
    return s.map(lambda v: pd.Timestamp(v).tzinfo is None, na_action="ignore").fillna(
        False).astype(bool)


#: A date written day/month/year or month/day/year (03/04/2025, 3.4.25, 03-04-2025):
#: which is the day cannot be told from the text.
_SLASH_DATE = r"^\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}(?!\d)"
#: Text that is a plain number, such as Unix time 1700000000.
_NUMBER_TEXT = r"^\s*[+-]?\d+(\.\d*)?\s*$"


def _numbers_are_not_dates(table: str, col: Column, s: pd.Series,
                           numbers: pd.Series) -> DataError:
    return _fail(table, col.name, "holds numbers, not dates",
                 "dates and times such as 2025-03-01T14:30:00+00:00", _bad(s, numbers),
                 fix=("if they are seconds since 1970 (Unix time), convert them first: "
                      f"df[{col.name!r}] = pd.to_datetime(df[{col.name!r}], unit='s', "
                      "utc=True) (unit='ms' for milliseconds)"))


def _check_no_numbers(table: str, col: Column, s: pd.Series) -> None:
    """Refuse numbers among the values: a parser would read them as nanoseconds since 1970."""
    if pd.api.types.is_numeric_dtype(s.dtype):  # bool included
        numbers = s.notna()
    elif pd.api.types.is_object_dtype(s.dtype) and pd.api.types.infer_dtype(
            s, skipna=True) not in ("string", "empty", "datetime", "datetime64", "date"):
        numbers = s.map(lambda v: isinstance(v, int | float | np.number | np.bool_),
                        na_action="ignore").fillna(False).astype(bool)
    else:
        return
    if numbers.any():
        raise _numbers_are_not_dates(table, col, s, numbers)


def _check_no_slash_dates(table: str, col: Column, s: pd.Series) -> None:
    """Refuse d/m/y and m/d/y text, which the "mixed" parser reads one way or the other."""
    text = s.map(lambda v: v if isinstance(v, str) else None, na_action="ignore")
    slash = text.str.match(_SLASH_DATE).fillna(False).astype(bool)
    if slash.any():
        raise _fail(table, col.name, "has dates written day/month/year or month/day/year, "
                    "which read either way (03/04/2025: 3 April or 4 March?)",
                    "ISO dates, year first, such as 2025-04-03T10:00:00+00:00", _bad(s, slash),
                    fix="write the dates year-month-day (2025-04-03T10:00:00+00:00), or read "
                        f"them yourself, e.g. pd.to_datetime(df[{col.name!r}], "
                        "format='%d/%m/%Y %H:%M %z', utc=True), before making the Network")


def _to_timestamp(table: str, col: Column, s: pd.Series) -> pd.Series:
    _check_no_numbers(table, col, s)
    if pd.api.types.is_numeric_dtype(s.dtype):
        s = s.astype(object)  # an empty column read as numbers (all missing)
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        out = s
    elif pd.api.types.is_datetime64_dtype(s.dtype):
        raise _fail(table, col.name, "has timestamps without a time zone",
                    "time-zone aware timestamps (UTC is stored)",
                    s.dropna().iloc[:_MAX_SHOWN],
                    fix=(f"say which zone they are in, e.g. "
                         f"df[{col.name!r}] = df[{col.name!r}].dt.tz_localize('Europe/London')"))
    else:
        # Parse twice: with utc=True every value with an offset or zone is read
        # correctly (mixed zones too); without it, pandas tells naive input apart.
        # ISO 8601 text (what the kit and most exports write) goes through pandas'
        # ISO parser, about ten times faster than format="mixed"; anything else
        # (or anything it cannot read) through "mixed", value by value.
        out = _iso_timestamps(s, utc=True)
        if out is None:
            _check_no_slash_dates(table, col, s)
            try:
                out = pd.to_datetime(s, utc=True, errors="coerce", format="mixed")
            except (pd.errors.OutOfBoundsDatetime, OverflowError, ValueError, TypeError):
                # e.g. year 202 for 2025: outside what a timestamp can hold; find the rows
                out = s.map(_one_timestamp, na_action="ignore").astype(TIMESTAMP_DTYPE)
        unparsed = out.isna() & s.notna()
        if unparsed.any():
            # text such as "1700000000" (a CSV of Unix times) is a number, not a date
            numbers = unparsed & s.astype(str).str.match(_NUMBER_TEXT).fillna(False).astype(
                bool)
            if numbers.any():
                raise _numbers_are_not_dates(table, col, s, numbers)
            raise _fail(table, col.name, "holds values that are not dates or times",
                        "ISO dates such as 2025-03-01T14:30:00+00:00", _bad(s, unparsed))
        naive = _naive_values(s)
        if naive.any():
            raise _fail(table, col.name, "has timestamps without a time zone",
                        "time-zone aware timestamps, e.g. 2025-03-01T14:30:00+00:00",
                        _bad(s, naive),
                        fix="add the offset (+00:00 for UTC) or localise the column with "
                            ".dt.tz_localize(...) before making the Network")
    out = out.dt.tz_convert("UTC")
    lo = pd.Timestamp.min.tz_localize("UTC")
    hi = pd.Timestamp.max.tz_localize("UTC")
    outside = out.notna() & ((out < lo) | (out > hi))
    if outside.any():
        raise _fail(table, col.name, "holds values that are not dates or times the kit can use",
                    "dates between the years 1678 and 2261 (a typo such as 202 for 2025?)",
                    _bad(s, outside))
    out = out.astype(TIMESTAMP_DTYPE)
    if not col.nullable and out.isna().any():
        raise _fail(table, col.name, "has empty timestamps", "a time for every row",
                    _bad(s, out.isna()))
    return out


def _to_category(table: str, col: Column, s: pd.Series) -> pd.Series:
    allowed = _CATEGORIES[(table, col.name)]
    as_text = s.astype("str").str.strip().str.lower().where(s.notna())
    bad = ~as_text.isin(allowed)
    if bad.any():
        raise _fail(table, col.name, "has values outside the allowed set",
                    "one of " + ", ".join(repr(a) for a in allowed), _bad(s, bad))
    return pd.Series(pd.Categorical(as_text, categories=list(allowed)), index=s.index)


_COERCE: dict[str, Callable[[str, Column, pd.Series], pd.Series]] = {
    "str": _to_str,
    "int64": _to_int,
    "float64": _to_float,
    "bool": _to_bool,
    "datetime64[ns, UTC]": _to_timestamp,
    "category": _to_category,
}


def _empty(table: str) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series([], dtype=object) for name in SCHEMA[table]})


def _coerce_table(table: str, df: pd.DataFrame | None) -> pd.DataFrame:
    if df is None:
        df = _empty(table)
    if not isinstance(df, pd.DataFrame):
        raise DataError(
            f"{table}: expected a pandas DataFrame, got {type(df).__name__}.\n"
            f"  fix: build it with pd.DataFrame(...) or read it with pd.read_csv(...)")
    columns = SCHEMA[table]
    names = [str(c) for c in df.columns]
    if len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise _fail(table, None, f"has duplicate column names {dupes}",
                    "each column once")
    unknown = [n for n in names if n not in columns]
    if unknown:
        raise _fail(table, None, f"has unexpected column(s) {unknown}",
                    "only these columns: " + ", ".join(columns),
                    fix=f"drop them with df.drop(columns={unknown}) or rename them")
    missing = [c.name for c in columns.values() if c.required and c.name not in names]
    if missing:
        raise _fail(table, None, f"is missing required column(s) {missing}",
                    "columns " + ", ".join(c.name for c in columns.values() if c.required)
                    + " at least")
    df = df.reset_index(drop=True) if not df.index.is_unique else df
    out: dict[str, pd.Series] = {}
    for col in columns.values():
        if col.name in names:
            s = df[col.name]
        else:
            s = pd.Series([col.default] * len(df), index=df.index, dtype=object)
        if col.name == "display_name":
            s = s.where(s.notna(), out["contact_id"])
        elif not col.nullable and col.default is not None:
            s = s.where(s.notna(), col.default)
        s = _COERCE[col.dtype](table, col, s)
        if col.dtype == "str" and not col.nullable and s.isna().any():
            raise _fail(table, col.name, "has empty values", "text in every row",
                        _bad(s, s.isna()))
        if col.dtype == "str" and col.nullable:
            s = s.where(s != "")
        out[col.name] = s
    return pd.DataFrame(out, index=df.index)


# --------------------------------------------------------------------------- rules


def _check_unique(table: str, df: pd.DataFrame, column: str) -> None:
    dup = df[column].duplicated(keep=False)
    if dup.any():
        raise _fail(table, column, "has repeated values; each must appear once",
                    f"a unique {column} per row", df.loc[dup, column])


def _check_rules(platforms: pd.DataFrame, contacts: pd.DataFrame,
                 interactions: pd.DataFrame) -> None:
    name = platforms["platform"]
    blank = name.str.strip() == ""
    if blank.any():
        raise _fail("platforms", "platform", "has empty names", "a name in every row",
                    name[blank])
    odd = (name != name.str.strip().str.lower()) | name.str.contains(r"\s", regex=True)
    if odd.any():
        raise _fail("platforms", "platform", "has names that are not lower case without spaces",
                    "lower-case names such as 'instagram' or 'linkedin'", name[odd],
                    fix="use df['platform'].str.strip().str.lower(), and '_' for spaces")
    if (name == OFFLINE).any():
        raise _fail("platforms", "platform", f"uses the reserved name {OFFLINE!r}",
                    f"'{OFFLINE}' only in interactions, for e-mail, calls and meetings",
                    name[name == OFFLINE])
    _check_unique("platforms", platforms, "platform")
    for column in ("followers", "minutes_per_week"):
        neg = platforms[column] < 0
        if neg.any():
            raise _fail("platforms", column, "has negative numbers", "numbers >= 0",
                        platforms.loc[neg, column])
    fit = platforms["audience_fit"]
    outside = fit.notna() & ((fit < 0) | (fit > 1))
    if outside.any():
        raise _fail("platforms", "audience_fit", "has values outside 0..1",
                    "a share between 0 and 1 (0.3 = about a third of your tribe is there)",
                    fit[outside])

    ids = contacts["contact_id"]
    blank = ids.str.strip() == ""
    if blank.any():
        raise _fail("contacts", "contact_id", "has empty ids", "an id in every row", ids[blank])
    _check_unique("contacts", contacts, "contact_id")

    known = set(name) | {OFFLINE}
    unknown = ~interactions["platform"].isin(known)
    if unknown.any():
        raise _fail("interactions", "platform", "names platforms the platforms table lacks",
                    "one of " + ", ".join(sorted(known)),
                    interactions.loc[unknown, "platform"],
                    fix="add a row for it to the platforms table, or use "
                        f"'{OFFLINE}' for e-mail, calls and meetings")
    cid = interactions["contact_id"]
    unknown = cid.notna() & ~cid.isin(ids)
    if unknown.any():
        raise _fail("interactions", "contact_id", "names people the contacts table lacks",
                    "a contact_id of the contacts table, or empty for a broadcast",
                    cid[unknown], fix="add them to the contacts table first")
    offline_kinds = interactions["kind"].isin(["email", "call", "meeting"])
    wrong = (interactions["platform"] == OFFLINE) & ~offline_kinds
    if wrong.any():
        raise _fail("interactions", "kind", f"has online kinds on platform {OFFLINE!r}",
                    f"only email, call or meeting when platform is {OFFLINE!r}",
                    interactions.loc[wrong, "kind"])


# --------------------------------------------------------------------------- the Network


def _iso_utc(ts: pd.Series) -> pd.Series:
    """ISO-8601 text for UTC timestamps, with the fraction of a second only when there is one."""
    text = ts.dt.strftime("%Y-%m-%dT%H:%M:%S")
    fraction = ts.dt.microsecond * 1000 + ts.dt.nanosecond
    if (fraction.fillna(0) != 0).any():
        digits = fraction.astype("Int64").astype("str").str.zfill(9)
        text = text + "." + digits
    return text + "+00:00"


def _refuse_unclear_date(when: Any, name: str, example: str) -> None:
    """Refuse what pandas would read wrongly without a word: a number (20251201 becomes
    nanoseconds after 1970) or a day and month in either order (03/04/2025)."""
    if isinstance(when, str) and re.match(_SLASH_DATE, when):
        raise DataError(f"{name}: {when!r} could be read day first or month first\n"
                        f"  expected: an ISO date, year first, such as {example!r}")
    if isinstance(when, bool | np.bool_):
        raise TypeError(f"{name}: {when!r} is not a date; write it as text such as "
                        f"{example!r}")
    if isinstance(when, int | float | np.number) and not (
            isinstance(when, float | np.floating) and np.isnan(when)):  # NaN: "empty" below
        shown = when.item() if isinstance(when, np.number) else when
        raise TypeError(f"{name}: {shown!r} is a number, not a date; write it as text such "
                        f"as {example!r}")


def _as_utc(when: Any, name: str, example: str = "2025-03-01") -> pd.Timestamp:
    """``when`` as a UTC Timestamp: dates without a zone are read as UTC; numbers are refused."""
    _refuse_unclear_date(when, name, example)
    try:
        ts = pd.Timestamp(when)
    except (ValueError, TypeError) as exc:
        raise DataError(f"{name}: {when!r} is not a date or time "
                        f"(expected e.g. '{example}' or a pandas Timestamp)") from exc
    if ts is pd.NaT:
        raise DataError(f"{name}: got an empty date; expected e.g. '{example}'")
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


class Network:
    """Your social network as three tables: ``platforms``, ``contacts``, ``interactions``.

    Parameters
    ----------
    platforms, contacts, interactions : pandas.DataFrame, optional
        Tables with the columns in :data:`SCHEMA`. Only the columns marked
        required must be present; the others get their documented default.
        Values are converted to the documented dtypes where nothing is lost
        (text timestamps with an offset become UTC, ``"yes"`` becomes True).
        A table left out is empty.

    Raises
    ------
    DataError
        A table breaks a rule. The message names the table, the column, up to
        five offending rows and what was expected.

    Examples
    --------
    >>> import pandas as pd
    >>> from thinksmall_kit import Network
    >>> net = Network(
    ...     platforms=pd.DataFrame({"platform": ["instagram"], "followers": [1200]}),
    ...     contacts=pd.DataFrame({"contact_id": ["ana"], "role": ["customer"]}),
    ...     interactions=pd.DataFrame({
    ...         "timestamp": ["2025-03-01T10:00:00+00:00", "2025-03-02T09:30:00+00:00"],
    ...         "platform": ["instagram", "instagram"],
    ...         "contact_id": ["ana", "ana"],
    ...         "direction": ["out", "in"],
    ...         "kind": ["dm", "reply"],
    ...     }),
    ... )
    >>> net
    Network: 1 platform, 1 contact, 2 interactions from 2025-03-01 to 2025-03-02
    >>> net.interactions["timestamp"].dt.tz
    datetime.timezone.utc

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """

    __slots__ = ("_contacts", "_interactions", "_platforms")

    def __init__(self, platforms: pd.DataFrame | None = None,
                 contacts: pd.DataFrame | None = None,
                 interactions: pd.DataFrame | None = None) -> None:
        p = _coerce_table("platforms", platforms)
        c = _coerce_table("contacts", contacts)
        i = _coerce_table("interactions", interactions)
        _check_rules(p, c, i)
        self._platforms = p.reset_index(drop=True)
        self._contacts = c.reset_index(drop=True)
        self._interactions = i.sort_values("timestamp", kind="stable").reset_index(drop=True)

    @classmethod
    def _trusted(cls, platforms: pd.DataFrame, contacts: pd.DataFrame,
                 interactions: pd.DataFrame) -> Network:
        """Wrap tables that came from a valid Network (no second check)."""
        def tidy(df: pd.DataFrame) -> pd.DataFrame:
            # A shallow copy is free under copy-on-write (pandas 3) and keeps a learner's
            # edits to a sub-network from reaching the network it came from.
            index = df.index
            plain = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
            return df.copy(deep=False) if plain else df.reset_index(drop=True)

        net = cls.__new__(cls)
        net._platforms = tidy(platforms)
        net._contacts = tidy(contacts)
        net._interactions = tidy(interactions)
        return net

    # The tables -------------------------------------------------------------
    @property
    def platforms(self) -> pd.DataFrame:
        """One row per account you hold."""
        return self._platforms

    @property
    def contacts(self) -> pd.DataFrame:
        """One row per person or organisation."""
        return self._contacts

    @property
    def interactions(self) -> pd.DataFrame:
        """One row per event, oldest first."""
        return self._interactions

    # Conveniences -----------------------------------------------------------
    @property
    def period(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """First and last interaction time, or None when there are none."""
        ts = self._interactions["timestamp"]
        if ts.empty:
            return None
        return ts.iloc[0], ts.iloc[-1]

    def between(self, start: Any = None, end: Any = None) -> Network:
        """The same network with only the interactions from ``start`` up to, not including, ``end``.

        Dates without a time zone are read as UTC; a number (2025) is refused, not
        read as nanoseconds after 1970. Either bound may be left out.

        >>> from thinksmall_kit import load_persona
        >>> q1 = load_persona("ceramics").between("2025-01-01", "2025-04-01")
        >>> q1.interactions["timestamp"].min() >= pd.Timestamp("2025-01-01", tz="UTC")
        True
        """
        ts = self._interactions["timestamp"]
        keep = pd.Series(True, index=ts.index)
        lo = _as_utc(start, "between(start=...)") if start is not None else None
        hi = _as_utc(end, "between(end=...)") if end is not None else None
        if lo is not None and hi is not None and hi < lo:
            raise DataError(f"between: end {hi.date()} is before start {lo.date()}; "
                            "swap them")
        if lo is not None:
            keep &= ts >= lo
        if hi is not None:
            keep &= ts < hi
        return Network._trusted(self._platforms, self._contacts, self._interactions[keep])

    def on(self, platform: str | Iterable[str]) -> Network:
        """The part of the network on one platform (or several): its row and its interactions.

        ``platform`` is a name such as ``"instagram"`` or a list of names; anything
        else raises TypeError, and a name the network does not have raises DataError.

        >>> from thinksmall_kit import load_persona
        >>> load_persona("ceramics").on("instagram").platforms["platform"].tolist()
        ['instagram']
        """
        if isinstance(platform, str):
            wanted = [platform]
        elif isinstance(platform, Iterable) and not isinstance(platform, bytes | dict
                                                                 | pd.DataFrame):
            wanted = list(platform)
        else:
            raise TypeError(f"on: platform must be a platform name as text such as "
                            f"'instagram', or a list of names, got "
                            f"{type(platform).__name__} {platform!r}")
        not_text = [p for p in wanted if not isinstance(p, str)]
        if not_text:
            raise TypeError(f"on: platform names must be text such as 'instagram', got "
                            f"{type(not_text[0]).__name__} {not_text[0]!r}")
        known = set(self._platforms["platform"]) | {OFFLINE}
        missing = [p for p in wanted if p not in known]
        if missing:
            raise DataError(f"on: no platform named {missing}; this network has "
                            + ", ".join(sorted(known)))
        rows = self._platforms["platform"].isin(wanted)
        events = self._interactions["platform"].isin(wanted)
        return Network._trusted(self._platforms[rows], self._contacts,
                                self._interactions[events])

    def tables(self) -> dict[str, pd.DataFrame]:
        """The three tables by name."""
        return {"platforms": self._platforms, "contacts": self._contacts,
                "interactions": self._interactions}

    def __len__(self) -> int:
        return len(self._interactions)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Network):
            return NotImplemented
        return all(a.equals(b) for a, b in zip(self.tables().values(),
                                               other.tables().values(), strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        def n(count: int, word: str) -> str:
            return f"{count:,} {word}{'' if count == 1 else 's'}"

        text = (f"Network: {n(len(self._platforms), 'platform')}, "
                f"{n(len(self._contacts), 'contact')}, "
                f"{n(len(self._interactions), 'interaction')}")
        span = self.period
        if span is not None:
            text += f" from {span[0]:%Y-%m-%d} to {span[1]:%Y-%m-%d}"
        return text

    # Files --------------------------------------------------------------------
    def to_folder(self, folder: str | Path) -> Path:
        """Write the three tables as CSV files into ``folder`` (interactions gzipped).

        The output is byte-for-byte the same for the same network.
        """
        folder = Path(folder).expanduser()
        folder.mkdir(parents=True, exist_ok=True)
        for name, df in self.tables().items():
            out = df.copy()
            for col, spec in SCHEMA[name].items():
                if spec.dtype.startswith("datetime"):
                    out[col] = _iso_utc(out[col])
            path = folder / (f"{name}.csv.gz" if name == "interactions" else f"{name}.csv")
            compression: Any = ({"method": "gzip", "mtime": 0}
                                if path.suffix == ".gz" else None)
            out.to_csv(path, index=False, lineterminator="\n", compression=compression)
        return folder

    @classmethod
    def from_folder(cls, folder: str | Path) -> Network:
        """Read a network written by :meth:`to_folder` (or laid out the same way by hand).

        The folder holds ``platforms.csv``, ``contacts.csv`` and
        ``interactions.csv`` (or ``interactions.csv.gz``).
        """
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            raise DataError(f"{folder}: not a folder; expected a folder holding "
                            "platforms.csv, contacts.csv and interactions.csv")
        tables = {}
        for name in SCHEMA:
            candidates = [folder / f"{name}.csv", folder / f"{name}.csv.gz"]
            path = next((p for p in candidates if p.is_file()), None)
            if path is None:
                raise DataError(f"{folder}: no {name}.csv; expected the three files "
                                "platforms.csv, contacts.csv and interactions.csv")
            text_cols = {c: "str" for c, spec in SCHEMA[name].items()
                         if spec.dtype == "str"}
            tables[name] = pd.read_csv(path, dtype=text_cols, keep_default_na=False,
                                       na_values={c: [""] for c in SCHEMA[name]})
        return cls(**tables)
