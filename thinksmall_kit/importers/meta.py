"""Read Instagram and Facebook "Download your information" exports (the JSON format).

Meta writes text in these files as UTF-8 bytes each escaped as if it were a
Latin-1 character, so a name like José arrives as "JosÃ©" and an emoji as four
odd characters. Every name and text read here is repaired.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from thinksmall_kit.importers import _common as c
from thinksmall_kit.network import Network

__all__ = ["read_facebook", "read_instagram"]

WANTED = r"\.json$"
_MESSAGES = r"(^|/)messages/[^/]+/[^/]+/message_\d+\.json$|(^|/)message_\d+\.json$"
_EXPECT_LIST = ("a list of entries with 'title' and 'string_list_data' "
                "[{'href', 'value', 'timestamp'}]")


def read_instagram(path: Any, *, me: str | None = None, minutes_per_week: Any = None,
                   audience_fit: Any = None, max_bytes: int = c.MAX_BYTES,
                   progress: bool = True) -> Network:
    """Read an Instagram export (JSON format): the .zip, its folder, or one of its files.

    Parameters
    ----------
    path : str or Path
        The zip from Accounts Centre > Your information and permissions >
        Download your information (choose the JSON format), its folder, or a
        single ``followers_1.json``, ``following.json`` or ``message_1.json``.
    me : str, optional
        Your name as it appears in your messages. Read from the export's
        personal information when present, otherwise the person who takes part
        in the most conversations.
    minutes_per_week, audience_fit, max_bytes, progress
        As for :func:`read_export`.

    Returns
    -------
    Network
        Platform ``instagram`` (``followers`` = entries in followers_N.json).
        Contacts ``instagram:<username>`` for followers (``first_seen`` = when
        they followed), accounts you follow, accounts whose posts you liked or
        commented on; message partners appear by their display name
        (``instagram:<name>``, lower case), which you can merge with
        :func:`combine`. Interactions: ``post``, ``like``, ``comment`` (out)
        and ``dm`` (in and out).

    Examples
    --------
    >>> from thinksmall_kit.importers import read_instagram, sample_path
    >>> net = read_instagram(sample_path("instagram"))
    >>> int(net.platforms.loc[0, "followers"]) > 0
    True

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """
    return c.run(path, lambda s: _instagram(s, me), WANTED, max_bytes, progress,
                 minutes_per_week, audience_fit)


def read_facebook(path: Any, *, me: str | None = None, minutes_per_week: Any = None,
                  audience_fit: Any = None, max_bytes: int = c.MAX_BYTES,
                  progress: bool = True) -> Network:
    """Read a Facebook export (JSON format): friends, your posts and Messenger conversations.

    Parameters
    ----------
    path : str or Path
        The zip from Download your information (JSON format), its folder, or a
        single ``your_friends.json`` or Messenger ``message_1.json``.
    me : str, optional
        Your name as it appears in Messenger; found from the export when left out.
    minutes_per_week, audience_fit, max_bytes, progress
        As for :func:`read_export`.

    Returns
    -------
    Network
        Platform ``facebook`` (``followers`` = number of friends). Contacts
        ``facebook:<name>`` (lower case; Facebook's export has no ids), friends
        with ``first_seen`` = when you became friends. Interactions: ``post``
        (out) and ``dm`` (in and out). "JosÃ©" in the file reads José here.

    Examples
    --------
    >>> from thinksmall_kit.importers import read_facebook, sample_path
    >>> net = read_facebook(sample_path("facebook"))
    >>> "José Álvarez" in set(net.contacts["display_name"])
    True

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """
    return c.run(path, lambda s: _facebook(s, me), WANTED, max_bytes, progress,
                 minutes_per_week, audience_fit)


# --------------------------------------------------------------------------- helpers


def _fix(s: pd.Series) -> pd.Series:
    return s.map(c.repair_text, na_action="ignore")


def _entries(src: c.Source, name: str, keys: tuple[str, ...], expected: str
             ) -> tuple[str, str, list[Any]]:
    """The list of entries of a Meta file, whether bare or under one of ``keys``."""
    label = src.where(name)
    doc = src.read_json(name)
    if isinstance(doc, dict):
        key = next((k for k in keys if k in doc), None)
        if key is None:
            raise c.located(label, "the top level", f"has keys {sorted(doc)[:5]}",
                            f"a list, or an object with one of {list(keys)}")
        return label, key, c.seq(doc[key], label, key, expected)
    return label, "", c.seq(doc, label, "the top level", expected)


def _string_list(src: c.Source, name: str, keys: tuple[str, ...], platform: str
                 ) -> pd.DataFrame:
    """Followers / following / likes: username in ``value`` (older) or ``title`` (newer)."""
    label, key, items = _entries(src, name, keys, _EXPECT_LIST)
    users, times, paths = [], [], []
    for i, e in enumerate(items):
        path = c.json_path(key, i) if key else f"[{i}]"
        e = c.obj(e, label, path, "an entry {'title', 'string_list_data': [...]}")
        sld = e.get("string_list_data") or [{}]
        first = c.obj(c.seq(sld, label, path + ".string_list_data", _EXPECT_LIST)[0]
                      if sld else {}, label, path + ".string_list_data[0]",
                      "{'href', 'value', 'timestamp'}")
        user = first.get("value") if isinstance(first.get("value"), str) and \
            first.get("value").strip() else e.get("title")
        if not isinstance(user, str) or not user.strip():
            href = first.get("href")
            user = href.rstrip("/").rsplit("/", 1)[-1] if isinstance(href, str) else None
        users.append(user)
        times.append(first.get("timestamp"))
        paths.append(path)
    c.require_type(users, str, label, lambda i: paths[i] + ".string_list_data[0].value",
                   "a username in 'value' or in 'title'")
    when = c.parse_times(pd.Series(times, dtype=object), label,
                         lambda i: paths[i] + ".string_list_data[0].timestamp",
                         "a Unix time in seconds, e.g. 1706400000", unit="s")
    user = _fix(pd.Series(users, dtype=object)).str.strip().str.lstrip("@").str.lower()
    return pd.DataFrame({"contact_id": f"{platform}:" + user, "display_name": "@" + user,
                         "first_seen": when})


def _messages(src: c.Source, files: list[str], platform: str, me: str | None
              ) -> tuple[pd.DataFrame, str | None]:
    frames = []
    for name in files:
        label = src.where(name)
        doc = c.obj(src.read_json(name), label, "the top level",
                    "a conversation {'participants': [...], 'messages': [...]}")
        people = c.seq(doc.get("participants", []), label, "participants",
                       "a list of {'name': ...}")
        msgs = c.seq(doc.get("messages"), label, "messages",
                     "a list of {'sender_name', 'timestamp_ms', 'content'}")
        names = [p["name"] for p in people
                 if isinstance(p, dict) and isinstance(p.get("name"), str)]
        senders = [m.get("sender_name") if isinstance(m, dict) else None for m in msgs]
        c.require_type(senders, str, label, lambda i: f"messages[{i}].sender_name",
                       "the sender's name")
        when = c.parse_times(pd.Series([m.get("timestamp_ms") for m in msgs], dtype=object),
                             label, lambda i: f"messages[{i}].timestamp_ms",
                             "a Unix time in milliseconds, e.g. 1706400000000", unit="ms")
        content = [m.get("content") for m in msgs]
        c.require_type(content, str, label, lambda i: f"messages[{i}].content",
                       "the message text, or nothing", allow_none=True)
        thread = doc.get("thread_path") or (name.rsplit("/", 2)[-2] if "/" in name else name)
        frames.append(pd.DataFrame({
            "timestamp": when, "sender": _fix(pd.Series(senders, dtype=object)),
            "text": _fix(pd.Series(content, dtype=object)),
            "thread_id": f"{platform}:{thread}",
            "people": [tuple(_fix(pd.Series(names, dtype=object)).dropna())] * len(msgs)}))
    if not frames:
        return c.empty_interactions(), me
    df = pd.concat(frames, ignore_index=True)
    if me is None:  # you: whoever takes part in the most conversations
        counts = df[["thread_id", "people"]].drop_duplicates("thread_id")["people"].explode()
        me = counts.value_counts().idxmax() if counts.notna().any() else None
    me_fixed = c.repair_text(me)
    out = df["sender"] == me_fixed
    others = df["people"].map(lambda ps: [p for p in ps if p != me_fixed])
    one = others.map(lambda ps: ps[0] if len(ps) == 1 else None)
    who = one.where(out, df["sender"])
    return pd.DataFrame({
        "timestamp": df["timestamp"],
        "contact_id": (f"{platform}:" + who.str.lower()).where(who.notna()),
        "display_name": who, "direction": np.where(out, "out", "in"), "kind": "dm",
        "thread_id": df["thread_id"], "text": df["text"]}), me_fixed


def _split(inter: list[pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    parts = [f for f in inter if len(f)]
    if not parts:
        return c.empty_interactions(), pd.DataFrame(columns=["contact_id", "display_name"])
    df = pd.concat(parts, ignore_index=True)
    names = df[["contact_id", "display_name"]].dropna(subset=["contact_id"]) \
        if "display_name" in df else pd.DataFrame(columns=["contact_id", "display_name"])
    return df.drop(columns=["display_name"], errors="ignore"), names


def _need(src: c.Source, found: list[str], what: str, where: str) -> None:
    if not found:
        raise c.located(src.label, None, f"holds none of the {what} files",
                        f"a {what} 'Download your information' export in JSON format",
                        fix=f"request it under {where}, choosing JSON (not HTML)")


# --------------------------------------------------------------------------- Instagram


def _instagram(src: c.Source, me: str | None) -> Network:
    followers = src.find(r"(^|/)followers_\d+\.json$")
    following = src.find(r"(^|/)following\.json$")
    messages = src.find(_MESSAGES)
    posts = src.find(r"(^|/)posts_\d+\.json$")
    likes = src.find(r"(^|/)liked_posts\.json$")
    comments = src.find(r"(^|/)post_comments_\d+\.json$")
    _need(src, followers + following + messages + posts + likes + comments, "Instagram",
          "Accounts Centre > Your information and permissions > Download your information")
    handle = _instagram_handle(src)
    fol = [_string_list(src, f, ("relationships_followers",), "instagram") for f in followers]
    ing = [_string_list(src, f, ("relationships_following",), "instagram") for f in following]
    liked = [_string_list(src, f, ("likes_media_likes",), "instagram") for f in likes]
    msgs, _ = _messages(src, messages, "instagram", me)
    inter = [msgs]
    inter += [pd.DataFrame({"timestamp": lk["first_seen"], "contact_id": lk["contact_id"],
                            "display_name": lk["display_name"], "direction": "out",
                            "kind": "like"}) for lk in liked]
    inter += [_ig_posts(src, f) for f in posts]
    inter += [_ig_comments(src, f) for f in comments]
    interactions, names = _split(inter)
    contacts = pd.concat([*fol, *ing, names],
                         ignore_index=True)
    n_followers = sum(len(f) for f in fol)
    return c.build("instagram", handle, n_followers, contacts, interactions, src.label)


def _instagram_handle(src: c.Source) -> str:
    for name in src.find(r"(^|/)personal_information\.json$"):
        doc = src.read_json(name)
        try:
            user = doc["profile_user"][0]["string_map_data"]["Username"]["value"]
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(user, str):
            return "@" + c.repair_text(user)
    return ""


def _ig_posts(src: c.Source, name: str) -> pd.DataFrame:
    label, _key, items = _entries(src, name, ("ig_posts",), "a list of posts {'media': [...]}")
    times, texts = [], []
    for i, p in enumerate(items):
        p = c.obj(p, label, f"[{i}]", "a post {'media': [...], 'creation_timestamp'}")
        media = p.get("media") if isinstance(p.get("media"), list) else []
        first = media[0] if media and isinstance(media[0], dict) else {}
        times.append(p.get("creation_timestamp", first.get("creation_timestamp")))
        texts.append(p.get("title") or first.get("title") or None)
    when = c.parse_times(pd.Series(times, dtype=object), label,
                         lambda i: f"[{i}].creation_timestamp", "a Unix time in seconds",
                         unit="s")
    return pd.DataFrame({"timestamp": when, "contact_id": pd.NA, "direction": "out",
                         "kind": "post", "text": _fix(pd.Series(texts, dtype=object))})


def _ig_comments(src: c.Source, name: str) -> pd.DataFrame:
    label, _key, items = _entries(src, name, ("comments_media_comments",),
                                 "a list of {'string_map_data': {'Comment', 'Media Owner', "
                                 "'Time'}}")
    rows = []
    for i, e in enumerate(items):
        e = c.obj(e, label, f"[{i}]", "{'string_map_data': {...}}")
        smd = c.obj(e.get("string_map_data"), label, f"[{i}].string_map_data",
                    "{'Comment': {'value'}, 'Media Owner': {'value'}, 'Time': {'timestamp'}}")

        def value(k: str, field: str = "value", smd: dict[str, Any] = smd) -> Any:
            v = smd.get(k)
            return v.get(field) if isinstance(v, dict) else None

        rows.append((value("Time", "timestamp"), value("Media Owner"), value("Comment")))
    df = pd.DataFrame(rows, columns=["t", "owner", "text"], dtype=object)
    when = c.parse_times(df["t"], label, lambda i: f"[{i}].string_map_data.Time.timestamp",
                         "a Unix time in seconds", unit="s")
    owner = _fix(df["owner"]).str.lower()
    return pd.DataFrame({"timestamp": when, "contact_id": ("instagram:" + owner).where(
        owner.notna()), "display_name": "@" + owner, "direction": "out", "kind": "comment",
        "text": _fix(df["text"])})


# --------------------------------------------------------------------------- Facebook


def _facebook(src: c.Source, me: str | None) -> Network:
    friends = src.find(r"(^|/)(your_)?friends(_\d+)?\.json$")
    messages = src.find(_MESSAGES)
    posts = src.find(r"(^|/)your_posts[\w]*_\d+\.json$")
    _need(src, friends + messages + posts, "Facebook",
          "Settings > Accounts Centre > Your information and permissions > "
          "Download your information")
    name = _facebook_name(src)
    fr = [_friends(src, f) for f in friends]
    msgs, found_me = _messages(src, messages, "facebook", me or name)
    inter = [msgs] + [_fb_posts(src, f) for f in posts]
    interactions, names = _split(inter)
    contacts = pd.concat([*fr, names], ignore_index=True)
    return c.build("facebook", name or found_me or "", sum(len(f) for f in fr), contacts,
                   interactions, src.label)


def _facebook_name(src: c.Source) -> str | None:
    for name in src.find(r"(^|/)profile_information\.json$"):
        doc = src.read_json(name)
        try:
            full = doc["profile_v2"]["name"]["full_name"]
        except (KeyError, TypeError):
            continue
        if isinstance(full, str):
            return c.repair_text(full)
    return None


def _friends(src: c.Source, name: str) -> pd.DataFrame:
    label, key, items = _entries(src, name, ("friends_v2", "friends"),
                                 "a list of {'name', 'timestamp'}")
    names = [e.get("name") if isinstance(e, dict) else e for e in items]
    c.require_type(names, str, label, lambda i: c.json_path(key, i, "name"),
                   "the friend's name")
    when = c.parse_times(pd.Series([e.get("timestamp") for e in items], dtype=object), label,
                         lambda i: c.json_path(key, i, "timestamp"),
                         "a Unix time in seconds, e.g. 1706400000", unit="s")
    shown = _fix(pd.Series(names, dtype=object))
    return pd.DataFrame({"contact_id": "facebook:" + shown.str.lower(), "display_name": shown,
                         "first_seen": when})


def _fb_posts(src: c.Source, name: str) -> pd.DataFrame:
    label, _key, items = _entries(src, name, ("status_updates_v2",), "a list of posts")
    times, texts = [], []
    for i, p in enumerate(items):
        p = c.obj(p, label, f"[{i}]", "a post {'timestamp', 'data': [{'post': ...}]}")
        data = p.get("data") if isinstance(p.get("data"), list) else []
        text = next((d.get("post") for d in data if isinstance(d, dict) and "post" in d), None)
        times.append(p.get("timestamp"))
        texts.append(text)
    when = c.parse_times(pd.Series(times, dtype=object), label, lambda i: f"[{i}].timestamp",
                         "a Unix time in seconds", unit="s")
    return pd.DataFrame({"timestamp": when, "contact_id": pd.NA, "direction": "out",
                         "kind": "post", "text": _fix(pd.Series(texts, dtype=object))})
