"""Read a Mastodon archive: posts, replies, boosts, mentions, direct messages and likes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import numpy as np
import pandas as pd

from thinksmall_kit.importers import _common as c
from thinksmall_kit.network import Network

__all__ = ["html_to_text", "read_mastodon"]

PLATFORM = "mastodon"
WANTED = r"(^|/)(outbox|actor|likes)\.json$|(^|/)following_accounts\.csv$"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
_STATUS_URL = re.compile(r"^https?://([^/]+)/(?:users/([^/]+)/statuses|@([^/]+))/\w+")
_ACTOR_URL = re.compile(r"^https?://([^/]+)/(?:users/|@)([^/?#]+)/?$")
_OUTBOX = "Mastodon's outbox.json: an OrderedCollection whose orderedItems are Create and Announce"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")
        cls = dict(attrs).get("class") or ""
        if tag == "span" and "invisible" in cls.split():
            self._hidden += 1  # Mastodon hides the "https://" and the tail of long links
        elif tag == "span" and self._hidden:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_to_text(content: str | None) -> str:
    """Plain text of a Mastodon post's HTML ``content`` (links keep their visible text).

    >>> html_to_text('<p>Hi <span class="h-card"><a href="https://x.y/@ana">@<span>ana</span>'
    ...              '</a></span> &amp; all!</p><p>Bye</p>')
    'Hi @ana & all!\\n\\nBye'
    """
    if not content:
        return ""
    p = _Text()
    p.feed(content)
    p.close()
    return "".join(p.parts).strip()


def read_mastodon(path: Any, *, minutes_per_week: Any = None, audience_fit: Any = None,
                  max_bytes: int = c.MAX_BYTES, progress: bool = True) -> Network:
    """Read a Mastodon archive: the .tar.gz as downloaded, its folder, or ``outbox.json``.

    Parameters
    ----------
    path : str or Path
        ``archive-2025....tar.gz`` (Preferences > Import and export > Request
        your archive), the folder it unpacks to, or its ``outbox.json``.
    minutes_per_week, audience_fit, max_bytes, progress
        As for :func:`read_export`.

    Returns
    -------
    Network
        Platform ``mastodon`` (handle ``@you@server``; ``followers`` is 0: the
        archive holds who you follow, not who follows you). Interactions, all
        ``out``: ``post``; ``reply`` to the author of the post you answered;
        ``mention`` per person tagged; ``dm`` per person in a direct message;
        ``share`` for a boost; ``like`` per entry of likes.json, timed at the
        liked post (its id carries the time; the archive does not say when you
        liked it; likes whose time cannot be read are left out). Contacts are
        ``mastodon:user@server``, including everyone in following_accounts.csv.

    Examples
    --------
    >>> from thinksmall_kit.importers import read_mastodon, sample_path
    >>> net = read_mastodon(sample_path("mastodon"))
    >>> net.platforms.loc[0, "handle"]
    '@juniper@mastodon.example'

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """
    return c.run(path, _read, WANTED, max_bytes, progress, minutes_per_week, audience_fit)


def _account(url: Any) -> str | None:
    """``user@host`` for an actor or status URL, or None."""
    if not isinstance(url, str):
        return None
    m = _STATUS_URL.match(url) or _ACTOR_URL.match(url)
    if not m:
        return None
    host = m.group(1)
    user = next(g for g in m.groups()[1:] if g)
    return f"{user}@{host}".lower()


def _read(src: c.Source) -> Network:
    outbox = src.find(r"(^|/)outbox\.json$")
    following = src.find(r"(^|/)following_accounts\.csv$")
    if not outbox and not following:
        raise c.located(src.label, None, "holds no outbox.json", "a Mastodon archive "
                        "(a .tar.gz holding outbox.json, actor.json, likes.json, ...)",
                        fix="request your archive under Preferences > Import and export")
    handle, me = "", None
    actor = src.find(r"(^|/)actor\.json$")
    if actor:
        a = c.obj(src.read_json(actor[0]), src.where(actor[0]), "the top level",
                  "an ActivityPub Person with id and preferredUsername")
        me = a.get("id") if isinstance(a.get("id"), str) else None
        acct = _account(me)
        handle = f"@{acct}" if acct else str(a.get("preferredUsername") or "")
    frames = [_outbox(src, f, me) for f in outbox]
    frames += [_likes(src, f) for f in src.find(r"(^|/)likes\.json$")]
    frames = [f for f in frames if len(f)]
    inter = pd.concat(frames, ignore_index=True) if frames else c.empty_interactions()
    contacts = [_following(src, f) for f in following]
    return c.build(PLATFORM, handle, 0, pd.concat(contacts) if contacts else None, inter,
                   src.label)


def _outbox(src: c.Source, name: str, me: str | None) -> pd.DataFrame:
    label = src.where(name)
    doc = c.obj(src.read_json(name), label, "the top level", _OUTBOX)
    items = c.seq(doc.get("orderedItems"), label, "orderedItems", _OUTBOX)
    me = me or (doc.get("id", "").rsplit("/outbox", 1)[0] if isinstance(doc.get("id"), str)
                else None)
    followers = f"{me}/followers" if me else None
    rows: list[tuple[Any, ...]] = []
    for i, act in enumerate(items):
        path = f"orderedItems[{i}]"
        act = c.obj(act, label, path, "an activity {'type': 'Create' or 'Announce', ...}")
        kind = act.get("type")
        when = act.get("published")
        if kind == "Announce":
            target = act.get("object")
            if isinstance(target, dict):
                target = target.get("id")
            rows.append((path, when, _account(target), "share", target, None, False))
            continue
        if kind != "Create":
            continue
        o = c.obj(act.get("object"), label, path + ".object",
                  "the post: {'type': 'Note', 'content': ..., 'published': ...}")
        content = o.get("content")
        if content is not None and not isinstance(content, str):
            raise c.located(label, path + ".object.content", f"holds {type(content).__name__}",
                            "the post's HTML text")
        text = html_to_text(content)
        when = o.get("published", when)
        tags = o.get("tag") or []
        if not isinstance(tags, list):
            raise c.located(label, path + ".object.tag", "is not a list", "a list of tags")
        mentioned = []
        for t in tags:
            if isinstance(t, dict) and t.get("type") == "Mention":
                who = _account(t.get("href"))
                if who is None and isinstance(t.get("name"), str):
                    who = t["name"].lstrip("@").lower() or None
                if who and t.get("href") != me:
                    mentioned.append(who)
        audience = _list(act.get("to")) + _list(act.get("cc")) + _list(o.get("to")) + \
            _list(o.get("cc"))
        direct = PUBLIC not in audience and (followers not in audience)
        thread = o.get("conversation") or o.get("id")
        link = _has_plain_link(content or "")
        reply_to = o.get("inReplyTo")
        if direct and mentioned:
            rows += [(path, when, m, "dm", thread, text, link) for m in dict.fromkeys(mentioned)]
        elif isinstance(reply_to, str) and not (me and reply_to.startswith(me + "/")):
            who = _account(reply_to) or (mentioned[0] if mentioned else None)
            rows.append((path, when, who, "reply", thread, text, link))
        elif mentioned:
            rows += [(path, when, m, "mention", thread, text, link)
                     for m in dict.fromkeys(mentioned)]
        else:
            rows.append((path, when, None, "post", thread, text, link))
    if not rows:
        return c.empty_interactions()
    df = pd.DataFrame(rows, columns=["path", "published", "contact_id", "kind", "thread_id",
                                     "text", "has_link"])
    when = c.parse_times(df["published"], label, lambda i: df["path"].iloc[i] + ".published",
                         "a time like '2025-01-31T10:00:00Z'")
    return pd.DataFrame({
        "timestamp": when, "contact_id": ("mastodon:" + df["contact_id"]).where(
            df["contact_id"].notna()),
        "direction": "out", "kind": df["kind"], "thread_id": df["thread_id"].astype(object),
        "text": df["text"], "has_link": df["has_link"].astype(bool)})


def _has_plain_link(content: str) -> bool:
    """A link that is not a mention or a hashtag (those carry class mention/hashtag)."""
    anchors = re.findall(r"<a\b[^>]*>", content)
    return any("mention" not in a and "hashtag" not in a for a in anchors)


def _list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v] if isinstance(v, str) else []


def _likes(src: c.Source, name: str) -> pd.DataFrame:
    label = src.where(name)
    doc = c.obj(src.read_json(name), label, "the top level",
                "an OrderedCollection whose orderedItems are the URLs of posts you liked")
    items = pd.Series(c.seq(doc.get("orderedItems"), label, "orderedItems",
                            "a list of post URLs"), dtype=object)
    c.require_type(items, str, label, lambda i: f"orderedItems[{i}]", "a post URL")
    if items.empty:
        return c.empty_interactions()
    ident = items.str.extract(r"/(\d{15,19})/?$", expand=False)
    ms = pd.to_numeric(ident, errors="coerce") // 65536  # Mastodon ids: milliseconds << 16
    when = pd.to_datetime(ms, unit="ms", utc=True, errors="coerce")
    sane = when.notna() & (when > pd.Timestamp("2016-03-01", tz="UTC")) & \
        (when < pd.Timestamp("2100-01-01", tz="UTC"))
    who = items.map(_account)
    return pd.DataFrame({"timestamp": when, "contact_id": ("mastodon:" + who).where(
        who.notna()), "direction": "out", "kind": "like", "thread_id": items,
        "text": pd.NA})[sane & who.notna()].reset_index(drop=True)


def _following(src: c.Source, name: str) -> pd.DataFrame:
    label = src.where(name)
    _header, rows, _ = c.read_csv_rows(
        src.read_text(name), label, lambda r: bool(r) and r[0].lower() == "account address",
        "Mastodon's following_accounts.csv with the header 'Account address,Show boosts,...'")
    addr = pd.Series([r[0].strip().lstrip("@").lower() for r in rows if r], dtype=object)
    bad = ~addr.str.contains("@", regex=False)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise c.located(label, f"row {i + 1} after the header", f"has {addr.iloc[i]!r}",
                        "an account address like user@server")
    return pd.DataFrame({"contact_id": "mastodon:" + addr, "display_name": "@" + addr})

