"""Read a LinkedIn data export: connections, messages and invitations."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from thinksmall_kit.importers import _common as c
from thinksmall_kit.network import DataError, Network

__all__ = ["read_linkedin"]

PLATFORM = "linkedin"
WANTED = r"(^|/)(connections|messages|invitations)\.csv$"
_CONN_EXPECTED = ("LinkedIn's Connections.csv: a short 'Notes:' preamble, then the header "
                  "'First Name,Last Name,URL,Email Address,Company,Position,Connected On'")
_MSG_EXPECTED = ("LinkedIn's messages.csv with the header 'CONVERSATION ID,CONVERSATION TITLE,"
                 "FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,...'")
_INV_EXPECTED = "LinkedIn's Invitations.csv with the header 'From,To,Sent At,Message,Direction,...'"
_SLUG = re.compile(r"linkedin\.com/in/([^/?#\s]+)", re.IGNORECASE)


def read_linkedin(path: Any, *, minutes_per_week: Any = None, audience_fit: Any = None,
                  max_bytes: int = c.MAX_BYTES, progress: bool = True) -> Network:
    """Read a LinkedIn export: the .zip, its folder, or ``Connections.csv`` alone.

    Parameters
    ----------
    path : str or Path
        ``Basic_LinkedInDataExport_....zip`` as downloaded (or ``Complete_...``),
        the folder it unpacks to, or one of its CSV files.
    minutes_per_week, audience_fit : float or dict, optional
        Your weekly minutes on LinkedIn and how much of your tribe is there
        (no export knows them). Left out: 0 minutes and "not assessed".
    max_bytes, progress
        As for :func:`read_export`.

    Returns
    -------
    Network
        Platform ``linkedin`` (``followers`` = number of connections); a
        contact per connection (``first_seen`` = the day you connected) and per
        person you exchanged messages with; ``dm`` interactions for messages and
        for invitations that carried a note. Contact ids are
        ``linkedin:<profile slug>`` from the profile URL, or
        ``linkedin:<first last>`` when an older export has no URL column.

    Examples
    --------
    >>> from thinksmall_kit.importers import read_linkedin, sample_path
    >>> net = read_linkedin(sample_path("linkedin"))
    >>> int(net.platforms.loc[0, "followers"]) == int(net.contacts["first_seen"].notna().sum())
    True

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """
    return c.run(path, _read, WANTED, max_bytes, progress, minutes_per_week, audience_fit)


def _slug_or_name(url: pd.Series, name: pd.Series) -> pd.Series:
    slug = url.fillna("").str.extract(_SLUG, expand=False).str.lower()
    by_name = name.fillna("").str.strip().str.lower().str.replace(r"\s+", " ", regex=True)
    cid = slug.where(slug.notna(), by_name.where(by_name != ""))
    return ("linkedin:" + cid).where(cid.notna())


def _read(src: c.Source) -> Network:
    conn = src.find(r"(^|/)connections\.csv$")
    msgs = src.find(r"(^|/)messages\.csv$")
    invs = src.find(r"(^|/)invitations\.csv$")
    if not (conn or msgs or invs):
        raise c.located(src.label, None, "holds no Connections.csv, messages.csv or "
                        "Invitations.csv", "a LinkedIn data export",
                        fix="pass the .zip LinkedIn sent you (Settings > Data privacy > "
                            "Get a copy of your data)")
    contacts = [_connections(src, f) for f in conn]
    me_name = ""
    inter = []
    for f in msgs:
        frame_, me_name = _messages(src, f)
        inter.append(frame_)
    inter += [_invitations(src, f) for f in invs]
    people = inter
    all_contacts = pd.concat(contacts + [p[["contact_id", "display_name"]].dropna(
        subset=["contact_id"]) for p in people if "display_name" in p], ignore_index=True) \
        if contacts or people else None
    frames = [p.drop(columns="display_name") for p in people if len(p)]
    interactions = pd.concat(frames, ignore_index=True) if frames else c.empty_interactions()
    followers = sum(len(x) for x in contacts)
    return c.build(PLATFORM, me_name, followers, all_contacts, interactions, src.label)


def _read_csv(src: c.Source, name: str, must: set[str], expected: str
              ) -> tuple[pd.DataFrame, int]:
    label = src.where(name)
    text = src.read_text(name)
    header, rows, line = c.read_csv_rows(
        text, label, lambda row: must <= {h.strip().upper() for h in row}, expected)
    df = c.frame([h.upper() for h in header], rows)
    return df, line


def _connections(src: c.Source, name: str) -> pd.DataFrame:
    label = src.where(name)
    df, line = _read_csv(src, name, {"FIRST NAME", "LAST NAME", "CONNECTED ON"}, _CONN_EXPECTED)
    first, last = df["FIRST NAME"].str.strip(), df["LAST NAME"].str.strip()
    full = (first + " " + last).str.strip()
    url = df["URL"] if "URL" in df else pd.Series("", index=df.index, dtype=object)
    keep = (full != "") | (url.str.strip() != "")
    df, full, url = df[keep], full[keep], url[keep]

    def where(i: int) -> str:
        return f"line {line + 1 + i}, column 'Connected On'"

    when = _dates(df["CONNECTED ON"].reset_index(drop=True), label, where,
                  "a date like '15 Jan 2024'", "%d %b %Y")
    return pd.DataFrame({"contact_id": _slug_or_name(url, full).to_numpy(),
                         "display_name": full.to_numpy(), "first_seen": when.to_numpy()})


def _dates(values: pd.Series, label: str, where: Any, expected: str, fmt: str) -> pd.Series:
    try:
        return c.parse_times(values, label, where, expected, fmt=fmt)
    except DataError:
        return c.parse_times(values, label, where, expected)


def _messages(src: c.Source, name: str) -> tuple[pd.DataFrame, str]:
    label = src.where(name)
    df, _line = _read_csv(src, name, {"CONVERSATION ID", "FROM", "DATE"}, _MSG_EXPECTED)
    if "FOLDER" in df:
        df = df[~df["FOLDER"].str.upper().str.contains("SPAM", na=False)]
    df = df.reset_index(drop=True)
    for col in ("TO", "SENDER PROFILE URL", "RECIPIENT PROFILE URLS", "CONTENT"):
        if col not in df:
            df[col] = ""
    when = c.parse_times(df["DATE"], label, lambda i: f"row {i + 1} after the header, "
                         "column 'DATE'", "a date like '2025-01-31 14:22:10 UTC'")
    sender = _slug_or_name(df["SENDER PROFILE URL"], df["FROM"])
    first_to = df["RECIPIENT PROFILE URLS"].fillna("").str.split(r"[;,]\s*", regex=True).str[0]
    to_names = df["TO"].fillna("").str.split(r"[;,]\s*", regex=True)
    recipient = _slug_or_name(first_to, to_names.str[0])
    group = to_names.str.len() > 1
    # You are whoever takes part in the most conversations.
    talk = pd.concat([pd.DataFrame({"c": df["CONVERSATION ID"], "u": sender}),
                      pd.DataFrame({"c": df["CONVERSATION ID"], "u": recipient})]).dropna()
    counts = talk.drop_duplicates().groupby("u")["c"].count()
    me = counts.idxmax() if len(counts) else None
    out = sender == me
    me_name = df.loc[out, "FROM"].iloc[0] if out.any() else ""
    other = recipient.where(out & ~group, sender.where(~out))
    other_name = to_names.str[0].where(out, df["FROM"])
    return pd.DataFrame({
        "timestamp": when, "contact_id": other, "display_name": other_name,
        "direction": np.where(out, "out", "in"), "kind": "dm",
        "thread_id": "linkedin:" + df["CONVERSATION ID"], "text": df["CONTENT"]}), me_name


def _invitations(src: c.Source, name: str) -> pd.DataFrame:
    label = src.where(name)
    df, _line = _read_csv(src, name, {"FROM", "TO", "SENT AT", "DIRECTION"}, _INV_EXPECTED)
    if "MESSAGE" not in df:
        df["MESSAGE"] = ""
    df = df[df["MESSAGE"].fillna("").str.strip() != ""].reset_index(drop=True)
    direction = df["DIRECTION"].str.strip().str.upper()
    bad = ~direction.isin(["INCOMING", "OUTGOING"])
    if bad.any():
        raise c.located(label, "column 'Direction'", f"has {direction[bad].iloc[0]!r}",
                        "INCOMING or OUTGOING")
    out = direction == "OUTGOING"
    when = _dates(df["SENT AT"], label, lambda i: f"invitation {i + 1} with a message, "
                  "column 'Sent At'", "a date like '1/15/24, 10:03 AM'", "%m/%d/%y, %I:%M %p")
    url = (df["INVITEEPROFILEURL"].where(out, df["INVITERPROFILEURL"])
           if {"INVITEEPROFILEURL", "INVITERPROFILEURL"} <= set(df)
           else pd.Series("", index=df.index, dtype=object))
    person = df["TO"].where(out, df["FROM"])
    return pd.DataFrame({
        "timestamp": when, "contact_id": _slug_or_name(url, person), "display_name": person,
        "direction": np.where(out, "out", "in"), "kind": "dm", "thread_id": pd.NA,
        "text": df["MESSAGE"]})
