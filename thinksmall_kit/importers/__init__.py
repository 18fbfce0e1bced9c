"""Bring your own data: read the exports platforms give you into a :class:`Network`.

``read_export(path)`` looks at a zip, a tar.gz, a folder or a single file,
recognises which platform it came from and reads it; each platform also has its
own function. Everything is read locally and as data: no file in an export is
ever run, nothing is unpacked to disk, and an archive that would unpack to more
than ``max_bytes`` stops with a :class:`DataError`.

What no export can know about you gets a documented default you can change:
``minutes_per_week`` (the time you spend on a platform) is 0 and
``audience_fit`` (how much of your tribe is there) is empty, meaning "not
assessed yet". Pass them to ``read_export`` or edit ``net.platforms``.

Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
"""

from __future__ import annotations

import importlib.resources
import re
from pathlib import Path
from typing import Any

import pandas as pd

from thinksmall_kit.importers import _common as c
from thinksmall_kit.importers.bluesky import read_bluesky
from thinksmall_kit.importers.csv_template import read_csv_template, write_template
from thinksmall_kit.importers.linkedin import read_linkedin
from thinksmall_kit.importers.mastodon import read_mastodon
from thinksmall_kit.importers.meta import read_facebook, read_instagram
from thinksmall_kit.importers.x import read_x
from thinksmall_kit.network import SCHEMA, DataError, Network

__all__ = [
    "FORMATS",
    "combine",
    "detect_format",
    "read_bluesky",
    "read_csv_template",
    "read_export",
    "read_facebook",
    "read_instagram",
    "read_linkedin",
    "read_mastodon",
    "read_x",
    "same_person_candidates",
    "sample_path",
    "write_template",
]

#: The formats :func:`read_export` recognises, and the function that reads each.
FORMATS = {
    "x": read_x,
    "linkedin": read_linkedin,
    "mastodon": read_mastodon,
    "bluesky": read_bluesky,
    "instagram": read_instagram,
    "facebook": read_facebook,
    "csv": read_csv_template,
}

_ALL_WANTED = "|".join(f"(?:{w})" for w in (
    r"\.js$", r"\.csv(\.gz)?$", r"\.json$", r"\.car$"))

_SAMPLES = {
    "x": "x-archive.zip",
    "linkedin": "linkedin-export.zip",
    "mastodon": "mastodon-archive.tar.gz",
    "bluesky": "bluesky-repo.car",
    "bluesky-json": "bluesky-listRecords.json",
    "instagram": "instagram-export.zip",
    "facebook": "facebook-export.zip",
    "csv": "csv-template",
}


def sample_path(name: str) -> Path:
    """The path of a sample export: invented people, shaped exactly like the real files.

    Parameters
    ----------
    name : str
        One of ``x``, ``linkedin``, ``mastodon``, ``bluesky``,
        ``bluesky-json``, ``instagram``, ``facebook``, ``csv``.

    Examples
    --------
    >>> from thinksmall_kit.importers import sample_path
    >>> sample_path("x").name
    'x-archive.zip'

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """
    if name not in _SAMPLES:
        raise DataError(f"sample_path: no sample called {name!r}; the samples are "
                        + ", ".join(_SAMPLES))
    packaged = importlib.resources.files("thinksmall_kit") / "_samples"
    if packaged.is_dir():
        root = Path(str(packaged))
    else:
        root = Path(__file__).resolve().parent.parent.parent / "data" / "samples"
    path = root / _SAMPLES[name]
    if not path.exists():
        raise DataError(f"the sample exports are missing (looked for {path}); "
                        "make them with: python data/make_samples.py")
    return path


def _head(src: c.Source, name: str, n: int = 4096) -> str:
    with src.open(name) as f:
        return f.read(n).decode("utf-8-sig", "replace")


def detect_format(path: Any, *, max_bytes: int = c.MAX_BYTES) -> str:
    """Which platform an export comes from: a key of :data:`FORMATS`.

    >>> from thinksmall_kit.importers import detect_format, sample_path
    >>> detect_format(sample_path("mastodon"))
    'mastodon'

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """
    src = c.open_source(path, max_bytes=max_bytes, wanted=_ALL_WANTED, progress=False)
    try:
        return _detect(src)
    finally:
        src.close()


def _detect(src: c.Source) -> str:
    names = src.names()
    lower = [n.lower() for n in names]

    def has(pattern: str) -> bool:
        rx = re.compile(pattern)
        return any(rx.search(n) for n in lower)

    if has(r"(^|/)(tweets?(-part\d+)?|direct-messages(-group)?(-part\d+)?|account)\.js$"):
        return "x"
    if has(r"(^|/)(connections|invitations)\.csv$"):
        return "linkedin"
    if has(r"(^|/)outbox\.json$") or has(r"(^|/)following_accounts\.csv$"):
        return "mastodon"
    if has(r"\.car$"):
        return "bluesky"
    if has(r"(^|/)(followers_\d+|following|liked_posts|posts_\d+|post_comments_\d+"
           r"|personal_information)\.json$") or has(r"your_instagram_activity/"):
        return "instagram"
    if has(r"(^|/)((your_)?friends(_\d+)?|profile_information|your_posts\w*_\d+)\.json$"):
        return "facebook"
    if has(r"(^|/)interactions\.csv(\.gz)?$"):
        return "csv"
    # Files with other names: look inside.
    for name, low in zip(names, lower, strict=True):
        if low.endswith(".js") and _head(src, name, 200).lstrip().startswith("window.YTD."):
            return "x"
        if low.endswith(".csv"):
            head = _head(src, name).upper()
            if "CONVERSATION ID" in head or "FIRST NAME,LAST NAME" in head \
                    or head.startswith("NOTES:"):
                return "linkedin"
            if "ACCOUNT ADDRESS" in head:
                return "mastodon"
            if "TIMESTAMP" in head and "PLATFORM" in head:
                return "csv"
        if low.endswith(".json"):
            head = _head(src, name)
            for marker, fmt in (('"orderedItems"', "mastodon"), ('"records"', "bluesky"),
                                ('"at://', "bluesky"), ('"friends_v2"', "facebook"),
                                ('"relationships_', "instagram"),
                                ('"string_list_data"', "instagram"),
                                ('"participants"', "facebook"), ('"sender_name"', "facebook")):
                if marker in head:
                    return fmt
    shown = ", ".join(names[:8]) + (" ..." if len(names) > 8 else "") if names else "no files"
    raise c.located(src.label, None,
                    f"is not an export the kit recognises (it holds {shown})",
                    "an export from X, LinkedIn, Mastodon, Bluesky, Instagram or Facebook, "
                    "or the CSV template",
                    fix="pass the file exactly as downloaded, or call the platform's own "
                        "function (tsk.read_x, tsk.read_linkedin, ...); for anything else "
                        "fill in the template in data/template/")


def read_export(path: Any, *, platform: str | None = None, minutes_per_week: Any = None,
                audience_fit: Any = None, max_bytes: int = c.MAX_BYTES,
                progress: bool = True) -> Network:
    """Read a platform's data export into a Network, whatever the platform.

    Parameters
    ----------
    path : str or Path
        The export as downloaded: a ``.zip`` (X, LinkedIn, Instagram,
        Facebook), a ``.tar.gz`` (Mastodon), a ``.car`` (Bluesky), the folder
        any of them unpacks to, one file from one (``tweets.js``,
        ``Connections.csv``, ``outbox.json``, ``message_1.json`` ...), or a
        folder filled in from the CSV template.
    platform : str, optional
        Skip the recognition and read it as this format (a key of
        :data:`FORMATS`).
    minutes_per_week : float or dict, optional
        The time you spend there each week. No export knows it, so it defaults
        to 0; give one number, or ``{"x": 60, "linkedin": 30}``.
    audience_fit : float or dict, optional
        0..1, how much of your tribe lives there; defaults to empty ("not
        assessed yet"), as only you can judge it.
    max_bytes : int
        The most text one import may unpack, as a whole number of bytes above 0
        (default 2 GiB; media are never read). A file that would unpack to more
        is refused with a DataError, which stops "zip bombs".
    progress : bool
        Print a one-line progress report when the import takes more than a second.

    Returns
    -------
    Network
        A validated network with one platform row. Contact ids start with the
        platform (``x:ana_makes``, ``linkedin:ana-silva``) so exports combine
        without clashes; see :func:`combine`.

    Raises
    ------
    DataError
        The export is not recognised, damaged, cut short, too big, or has a
        field of an unexpected type or an unreadable date. The message names
        the file, where in it (member, line or JSON path) and what was expected.

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> net = tsk.read_export(tsk.sample_path("x"), minutes_per_week=45)
    >>> net.platforms[["platform", "minutes_per_week"]]
      platform  minutes_per_week
    0        x              45.0

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """
    if platform is not None and platform not in FORMATS:
        raise DataError(f"read_export: no format called {platform!r}; known formats: "
                        + ", ".join(FORMATS))
    if isinstance(path, Network):
        raise TypeError("read_export: got a Network, which is already read; "
                        "pass the path of an export file or folder")
    src = c.open_source(path, max_bytes=max_bytes, wanted=_ALL_WANTED, progress=progress)
    try:
        fmt = platform or _detect(src)
        reader = FORMATS[fmt]
        net = reader(src, minutes_per_week=minutes_per_week, audience_fit=audience_fit)
    finally:
        src.close()
        if src.budget.progress is not None:
            src.budget.progress.finish()
    return net


# --------------------------------------------------------------------------- combining


def same_person_candidates(*nets: Network) -> pd.DataFrame:
    """Contacts on different platforms whose names look alike: a starting point, not a verdict.

    Names are compared after lower-casing and dropping everything but letters
    and digits ("@ana.silva" and "Ana Silva" match). Read the list, keep the
    rows that really are one person, and pass them to :func:`combine`.

    Returns
    -------
    pandas.DataFrame
        Columns ``contact_id``, ``same_as`` (the contact it would merge into:
        the first one found), ``display_name``, ``same_as_name``.

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> x = tsk.read_export(tsk.sample_path("x"))
    >>> masto = tsk.read_export(tsk.sample_path("mastodon"))
    >>> pairs = tsk.same_person_candidates(x, masto)
    >>> list(pairs.columns)
    ['contact_id', 'same_as', 'display_name', 'same_as_name']

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """
    _check_nets(nets, "same_person_candidates")
    people = pd.concat([n.contacts[["contact_id", "display_name"]] for n in nets],
                       ignore_index=True).drop_duplicates("contact_id")
    handle = people["display_name"].str.split("@").str[0].where(
        ~people["display_name"].str.startswith("@"),
        people["display_name"].str.lstrip("@").str.split("@").str[0])
    people["key"] = handle.str.lower().str.replace(r"[^0-9a-z\u00c0-\u024f]+", "",
                                                   regex=True)
    people["platform"] = people["contact_id"].str.split(":").str[0]
    people = people[people["key"].str.len() >= 3]
    first = people.drop_duplicates("key")[["key", "contact_id", "display_name", "platform"]]
    pairs = people.merge(first, on="key", suffixes=("", "_first"))
    pairs = pairs[(pairs["contact_id"] != pairs["contact_id_first"])
                  & (pairs["platform"] != pairs["platform_first"])]
    return pd.DataFrame({"contact_id": pairs["contact_id"].to_numpy(),
                         "same_as": pairs["contact_id_first"].to_numpy(),
                         "display_name": pairs["display_name"].to_numpy(),
                         "same_as_name": pairs["display_name_first"].to_numpy()})


def _check_nets(nets: tuple[Any, ...], name: str) -> None:
    if not nets:
        raise DataError(f"{name}: give at least one Network, e.g. {name}(x_net, linkedin_net)")
    for n in nets:
        if not isinstance(n, Network):
            raise TypeError(f"{name}: expected Networks (from read_export), got "
                            f"{type(n).__name__}; read each export with tsk.read_export first")


def combine(*nets: Network, same_person: dict[str, str] | None = None) -> Network:
    """Put several networks (one per export) into one, merging people you say are the same.

    Parameters
    ----------
    *nets : Network
        Networks from :func:`read_export` (or any others), each with its own
        platforms. A platform may appear in only one of them.
    same_person : dict, optional
        ``{contact_id: contact_id_it_is_the_same_as}``. Every interaction of
        the first id is moved to the second, and the first disappears from the
        contacts. The merged contact keeps the second's name; its role is the
        first role that is not ``unknown``; ``first_seen`` is the earliest.
        Nothing is merged that you did not list: see
        :func:`same_person_candidates` for suggestions.

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> x = tsk.read_export(tsk.sample_path("x"))
    >>> li = tsk.read_export(tsk.sample_path("linkedin"))
    >>> both = tsk.combine(x, li, same_person={"x:rosa_weaves": "linkedin:rosa-okafor"})
    >>> sorted(both.platforms["platform"])
    ['linkedin', 'x']
    >>> "x:rosa_weaves" in set(both.contacts["contact_id"])
    False

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """
    _check_nets(nets, "combine")
    same_person = dict(same_person or {})
    if not isinstance(same_person, dict):
        raise TypeError("combine: same_person must be a dict {contact_id: same_as_id}")
    platforms = pd.concat([n.platforms for n in nets], ignore_index=True)
    twice = platforms["platform"][platforms["platform"].duplicated()]
    if len(twice):
        raise DataError(f"combine: the platform(s) {sorted(set(twice))} appear in more than "
                        "one network\n  expected: each platform once\n  fix: read only the "
                        "newest export of each platform")
    contacts = pd.concat([n.contacts for n in nets], ignore_index=True)
    inter = pd.concat([n.interactions for n in nets], ignore_index=True)
    known = set(contacts["contact_id"])
    for alias, target in same_person.items():
        for what, cid in (("the key", alias), ("the value", target)):
            if cid not in known:
                close = sorted(k for k in known
                               if k.split(":")[-1] == str(cid).split(":")[-1])
                raise DataError(f"combine: same_person {what} {cid!r} is no contact of "
                                "these networks\n  expected: contact ids such as "
                                f"{sorted(known)[:3]}" + (f"\n  did you mean one of {close}?"
                                                          if close else ""))
    # Follow chains (a -> b -> c) so each id lands on its final target.
    final = {}
    for alias in same_person:
        seen, target = {alias}, same_person[alias]
        while target in same_person:
            if target in seen:
                raise DataError(f"combine: same_person goes round in a circle at {target!r}")
            seen.add(target)
            target = same_person[target]
        final[alias] = target
    is_alias = contacts["contact_id"].isin(list(final))
    contacts = contacts.assign(
        _order=is_alias.astype(int),
        _known_role=contacts["role"].astype(str) != "unknown",
        contact_id=contacts["contact_id"].replace(final))
    grouped = contacts.sort_values(["_order"], kind="stable").groupby(
        "contact_id", sort=False)
    merged = grouped.agg(display_name=("display_name", "first"),
                         first_seen=("first_seen", "min"))
    roles = contacts[contacts["_known_role"]].drop_duplicates("contact_id").set_index(
        "contact_id")["role"].astype(str)
    merged["role"] = roles.reindex(merged.index).fillna("unknown")
    merged = merged.reset_index()[list(SCHEMA["contacts"])]
    inter["contact_id"] = inter["contact_id"].replace(final)
    return Network(platforms, merged, inter)
