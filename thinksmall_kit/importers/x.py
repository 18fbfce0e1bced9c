"""Read an X (Twitter) archive: your posts, replies, shares, mentions and direct messages.

The archive's ``data/*.js`` files are JavaScript assignments
(``window.YTD.tweets.part0 = [ ... ]``). They are never run: the prefix is
matched as text and the list after it is read as JSON, one entry at a time.
"""

from __future__ import annotations

import html
import re
from typing import Any

import numpy as np
import pandas as pd

from thinksmall_kit.importers import _common as c
from thinksmall_kit.network import Network

__all__ = ["read_x"]

PLATFORM = "x"
#: Which members of the archive are read (everything else, media included, is ignored).
WANTED = (r"(^|/)(account|tweets?(-part\d+)?|direct-messages(-group)?(-part\d+)?"
          r"|follower(-part\d+)?|following(-part\d+)?)\.js$")
_TWEETS = r"(^|/)tweets?(-part\d+)?\.js$"
_CREATED = "%a %b %d %H:%M:%S %z %Y"
_STATUS = re.compile(r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(\w+)/status(?:es)?/\d+",
                     re.IGNORECASE)
_RT = re.compile(r"^RT @(\w+):")


def read_x(path: Any, *, minutes_per_week: Any = None, audience_fit: Any = None,
           max_bytes: int = c.MAX_BYTES, progress: bool = True) -> Network:
    """Read an X (Twitter) archive: the .zip, its unpacked folder, or one ``tweets.js``.

    Parameters
    ----------
    path : str or Path
        The archive ``twitter-2025-...zip`` as downloaded, the folder it
        unpacks to, or a single ``tweets.js`` file.
    minutes_per_week, audience_fit : float or dict, optional
        What no export knows: your weekly minutes on X and how much of your
        tribe is there (0..1). Left out: 0 minutes and "not assessed".
    max_bytes : int
        The most text the import unpacks (a guard against damaged or hostile
        archives); media are never read.
    progress : bool
        Print a progress line when the import takes more than a second.

    Returns
    -------
    Network
        One platform row ``x`` (``followers`` counts ``follower.js``); a contact
        per person you replied to, mentioned, shared, quoted or wrote to;
        interactions: ``post`` (a tweet to nobody in particular, or a thread
        continuation), ``reply``, ``mention`` (one row per person mentioned),
        ``share`` (a retweet or a quote tweet, to its author) and ``dm`` (in or out).
        Contact ids are ``x:<screen name>`` (lower case), or ``x:id:<number>``
        for a DM partner whose name the archive does not give.

        Not read: ``like.js`` lists each liked post's id and text but not whose
        post it was, so a like cannot be tied to a person; ``following.js``
        holds bare account ids, and following someone is not an exchange.

    Raises
    ------
    DataError
        The file is damaged, cut short, not from X, or has an unexpected field;
        the message names the member, the line or entry and what was expected.

    Examples
    --------
    >>> from thinksmall_kit.importers import read_x, sample_path
    >>> net = read_x(sample_path("x"))
    >>> sorted(net.interactions["kind"].unique())
    ['dm', 'mention', 'post', 'reply', 'share']

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """
    return c.run(path, _read, WANTED, max_bytes, progress, minutes_per_week, audience_fit)


def _read(src: c.Source) -> Network:
    tweet_files = src.find(_TWEETS)
    dm_files = src.find(r"(^|/)direct-messages(-group)?(-part\d+)?\.js$")
    if not tweet_files and not dm_files:
        raise c.located(src.label, None, "holds no tweets.js or direct-messages.js",
                        "an X archive: a zip with data/tweets.js, data/account.js, ...",
                        fix="pass the .zip X sent you (Settings > Your account > "
                            "Download an archive of your data), or its data/tweets.js")
    me = _account(src)
    names: dict[str, tuple[str, str]] = {}  # user id -> (screen name, display name)
    tweets = [_tweets(src, f, me, names) for f in tweet_files]
    dms = [_dms(src, f, me, names) for f in dm_files]
    followers = sum(_count(src, f) for f in src.find(r"(^|/)follower(-part\d+)?\.js$"))
    parts = [t for t in tweets + dms if len(t)]
    inter = pd.concat(parts, ignore_index=True) if parts else c.empty_interactions()
    contacts = _contacts(inter, names)
    return c.build(PLATFORM, me.get("username", ""), followers, contacts, inter, src.label)


def _account(src: c.Source) -> dict[str, str]:
    files = src.find(r"(^|/)account\.js$")
    if not files:
        return {}
    label = src.where(files[0])
    with src.open(files[0]) as f:
        rows = [v for _, v in c.iter_js_array(f, label)]
    if not rows:
        return {}
    acc = c.obj(rows[0], label, "[0]", "an entry {'account': {...}}")
    acc = c.obj(acc.get("account", acc), label, "[0].account",
                "{'username': ..., 'accountId': ...}")
    out = {k: acc.get(k) for k in ("username", "accountId", "accountDisplayName")}
    c.require_type([out["username"], out["accountId"]], str, label,
                   lambda i: "[0].account." + ("username", "accountId")[i],
                   "text (X stores even numbers as text)", allow_none=True)
    return {k: v for k, v in out.items() if isinstance(v, str)}


def _tweets(src: c.Source, name: str, me: dict[str, str],
            names: dict[str, tuple[str, str]]) -> pd.DataFrame:
    label = src.where(name)
    my_name = me.get("username", "").lower()
    ids, times, texts, reply_to, reply_id, quoted, mentioned, links = ([] for _ in range(8))
    with src.open(name) as f:
        for i, entry in c.iter_js_array(f, label):
            if not isinstance(entry, dict):
                raise c.located(label, f"entry [{i}]", f"holds {type(entry).__name__}",
                                "an object {'tweet': {...}}")
            t = entry.get("tweet", entry)
            if not isinstance(t, dict):
                raise c.located(label, f"[{i}].tweet", f"holds {type(t).__name__}",
                                "an object with id_str, created_at, full_text")
            ent = t.get("entities") or {}
            if not isinstance(ent, dict):
                raise c.located(label, f"[{i}].tweet.entities", "is not an object",
                                "{'user_mentions': [...], 'urls': [...]}")
            ms = ent.get("user_mentions") or []
            us = ent.get("urls") or []
            if not isinstance(ms, list) or not isinstance(us, list):
                raise c.located(label, f"[{i}].tweet.entities", "has a field that is not a list",
                                "user_mentions and urls as lists")
            who = []
            for m in ms:
                if isinstance(m, dict) and isinstance(m.get("screen_name"), str):
                    who.append(m["screen_name"])
                    if isinstance(m.get("id_str"), str):
                        names[m["id_str"]] = (m["screen_name"], str(m.get("name") or ""))
            urls = [u.get("expanded_url") or u.get("url") for u in us if isinstance(u, dict)]
            urls = [u for u in urls if isinstance(u, str)]
            q = next((m.group(1) for u in urls if (m := _STATUS.match(u))), None)
            ids.append(t.get("id_str", t.get("id")))
            times.append(t.get("created_at"))
            texts.append(t.get("full_text", t.get("text")))
            reply_to.append(t.get("in_reply_to_screen_name"))
            reply_id.append(t.get("in_reply_to_status_id_str"))
            rid = t.get("in_reply_to_user_id_str")
            if isinstance(rid, str) and isinstance(t.get("in_reply_to_screen_name"), str):
                names.setdefault(rid, (t["in_reply_to_screen_name"], ""))
            quoted.append(q)
            mentioned.append(who)
            links.append(any(not _STATUS.match(u) for u in urls))
    n = len(ids)
    if n == 0:
        return c.empty_interactions()

    def at(field: str) -> Any:
        return lambda i: f"entry [{i}].tweet.{field}"

    c.require_type(ids, str, label, at("id_str"),
                   "the tweet id as text, e.g. \"1866..\" (X stores numbers as text)")
    c.require_type(texts, str, label, at("full_text"), "the tweet's text")
    c.require_type(reply_to, str, label, at("in_reply_to_screen_name"),
                   "a screen name or nothing", allow_none=True)
    when = c.parse_times(pd.Series(times, dtype=object), label, at("created_at"),
                         "a date like 'Sat Dec 06 18:20:30 +0000 2025'", fmt=_CREATED)
    text = pd.Series(texts, dtype=object)
    text = text.where(~text.str.contains("&", regex=False), text.map(html.unescape))
    rt = text.str.extract(_RT, expand=False)
    reply = pd.Series(reply_to, dtype=object)
    self_reply = reply.str.lower() == my_name
    quote = pd.Series(quoted, dtype=object)
    mentions = pd.Series(mentioned, dtype=object)

    kind = np.select(
        [rt.notna().to_numpy(), (reply.notna() & ~self_reply.fillna(False)).to_numpy(),
         (quote.notna() & (quote.str.lower() != my_name)).to_numpy()],
        ["share", "reply", "share"], default="")
    who = pd.Series(np.select(
        [rt.notna().to_numpy(), (kind == "reply"), (kind == "share")],
        [rt.to_numpy(), reply.to_numpy(), quote.to_numpy()], default=None), dtype=object)
    thread = pd.Series(reply_id, dtype=object).where(kind == "reply", pd.Series(ids))
    base = pd.DataFrame({"timestamp": when, "contact_id": who, "direction": "out",
                         "kind": kind, "thread_id": "x:" + thread.astype(str), "text": text,
                         "has_link": links})
    # Tweets that are not a reply or share: one "mention" row per person named, else a "post".
    rest = base[kind == ""]
    tagged = mentions[kind == ""].map(
        lambda ms: list(dict.fromkeys(m for m in ms if m.lower() != my_name)))
    exploded = rest.assign(contact_id=tagged).explode("contact_id")
    exploded["kind"] = np.where(exploded["contact_id"].notna(), "mention", "post")
    out = pd.concat([base[kind != ""], exploded], ignore_index=True)
    out["contact_id"] = ("x:" + out["contact_id"].str.lower()).where(out["contact_id"].notna())
    return out


def _dms(src: c.Source, name: str, me: dict[str, str],
         names: dict[str, tuple[str, str]]) -> pd.DataFrame:
    label = src.where(name)
    conv, senders, recipients, times, texts = [], [], [], [], []
    with src.open(name) as f:
        for i, entry in c.iter_js_array(f, label):
            d = c.obj(entry, label, f"entry [{i}]", "an object {'dmConversation': {...}}")
            d = c.obj(d.get("dmConversation"), label, f"entry [{i}].dmConversation",
                      "{'conversationId': ..., 'messages': [...]}")
            msgs = c.seq(d.get("messages"), label, f"entry [{i}].dmConversation.messages",
                         "a list of messages")
            cid = d.get("conversationId")
            for j, m in enumerate(msgs):
                if not isinstance(m, dict) or "messageCreate" not in m:
                    continue  # joinConversation, conversationNameUpdate ...: not messages
                mc = c.obj(m["messageCreate"], label,
                           f"entry [{i}].dmConversation.messages[{j}].messageCreate",
                           "{'senderId', 'recipientId', 'text', 'createdAt'}")
                conv.append(cid)
                senders.append(mc.get("senderId"))
                recipients.append(mc.get("recipientId"))
                times.append(mc.get("createdAt"))
                texts.append(mc.get("text"))
    if not conv:
        return c.empty_interactions()
    where = (lambda i: f"message {i + 1} (messageCreate)")  # noqa: E731
    c.require_type(senders, str, label, where, "senderId as text, e.g. \"1234\"")
    c.require_type(recipients, str, label, where, "recipientId as text, e.g. \"1234\"",
                   allow_none=True)
    c.require_type(texts, str, label, where, "the message text", allow_none=True)
    c.require_type(conv, str, label, where, "conversationId as text")
    when = c.parse_times(pd.Series(times, dtype=object), label, where,
                         "createdAt like '2025-01-31T10:00:00.000Z'")
    my_id = me.get("accountId") or _guess_me(conv, senders, recipients)
    sender = pd.Series(senders, dtype=object)
    recipient = pd.Series(recipients, dtype=object)
    out = sender == my_id
    other = recipient.where(out, sender)  # in a group chat an outgoing message has no one
    return pd.DataFrame({
        "timestamp": when, "contact_id": other.map(lambda u: _user(u, names),
                                                   na_action="ignore"),
        "direction": np.where(out, "out", "in"), "kind": "dm",
        "thread_id": "x:dm:" + pd.Series(conv, dtype=object),
        "text": pd.Series(texts, dtype=object)})


def _guess_me(conv: list[str], senders: list[Any], recipients: list[Any]) -> str | None:
    """Without account.js: the one id that takes part in every conversation."""
    people = pd.DataFrame({"c": conv * 2, "u": senders + recipients}).dropna()
    counts = people.drop_duplicates().groupby("u")["c"].count()
    return None if counts.empty else str(counts.idxmax())


def _user(user_id: str, names: dict[str, tuple[str, str]]) -> str:
    known = names.get(user_id)
    return f"x:{known[0].lower()}" if known else f"x:id:{user_id}"


def _contacts(inter: pd.DataFrame, names: dict[str, tuple[str, str]]) -> pd.DataFrame:
    ids = pd.Series(pd.unique(inter["contact_id"].dropna()), dtype=object)
    display = {f"x:{s.lower()}": (n or f"@{s}") for s, n in names.values()}
    shown = ids.map(display)
    fallback = ids.str.replace(r"^x:id:", "X user ", regex=True).str.replace(
        r"^x:", "@", regex=True)
    return pd.DataFrame({"contact_id": ids, "display_name": shown.where(shown.notna(), fallback)})


def _count(src: c.Source, name: str) -> int:
    label = src.where(name)
    with src.open(name) as f:
        return sum(1 for _ in c.iter_js_array(f, label))

