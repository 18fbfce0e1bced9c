"""Read Bluesky data: the repository CAR export, or the JSON pages listRecords returns.

A CAR file ("content-addressed archive") is your whole repository: a signed
commit that points at a tree (a Merkle search tree) of records, all encoded as
DAG-CBOR. It is decoded with ``libipld``, the small Rust-backed decoder the
official atproto Python SDK itself uses; the SDK is not needed (it brings an
HTTP client, crypto and pydantic that reading a file does not use).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from thinksmall_kit.importers import _common as c
from thinksmall_kit.network import Network

__all__ = ["read_bluesky"]

PLATFORM = "bluesky"
WANTED = r"\.(car|json)$"
POST, REPOST, LIKE, FOLLOW, PROFILE = (
    "app.bsky.feed.post", "app.bsky.feed.repost", "app.bsky.feed.like",
    "app.bsky.graph.follow", "app.bsky.actor.profile")
_MENTION = "app.bsky.richtext.facet#mention"
_LINK = "app.bsky.richtext.facet#link"


def read_bluesky(path: Any, *, minutes_per_week: Any = None, audience_fit: Any = None,
                 max_bytes: int = c.MAX_BYTES, progress: bool = True) -> Network:
    """Read a Bluesky repository export (``.car``) or listRecords JSON pages.

    Parameters
    ----------
    path : str or Path
        The ``.car`` file from Settings > Account > Export my data, or a JSON
        file (or a folder of them) holding what
        ``com.atproto.repo.listRecords`` returns: ``{"records": [{"uri",
        "cid", "value"}], "cursor": ...}``.
    minutes_per_week, audience_fit, max_bytes, progress
        As for :func:`read_export`.

    Returns
    -------
    Network
        Platform ``bluesky`` (handle: your profile's display name or your DID;
        ``followers`` 0, as the repository holds only whom you follow). All
        interactions are ``out``: ``post``; ``reply`` to the author of the
        parent post; ``mention`` per person tagged; ``share`` for a repost or a
        quote post; ``like``. Contacts are ``bluesky:<did>``, named by their
        handle where a mention shows it; everyone you follow is a contact with
        ``first_seen`` the day you followed.

    Examples
    --------
    >>> from thinksmall_kit.importers import read_bluesky, sample_path
    >>> net = read_bluesky(sample_path("bluesky"))
    >>> "like" in set(net.interactions["kind"])
    True

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """
    return c.run(path, _read, WANTED, max_bytes, progress, minutes_per_week, audience_fit)


def _read(src: c.Source) -> Network:
    cars = src.find(r"\.car$")
    pages = src.find(r"\.json$")
    records: list[tuple[str, str, dict[str, Any]]] = []  # (label, uri, record)
    for name in cars:
        records += _car_records(src, name)
    if not cars:
        for name in pages:
            records += _list_records(src, name)
    if not records and not cars and not pages:
        raise c.located(src.label, None, "holds no .car file or listRecords JSON",
                        "a Bluesky repository export (.car) or listRecords JSON",
                        fix="export it under Settings > Account > Export my data")
    return _network(records, src.label)


def _did(uri: Any) -> str | None:
    if isinstance(uri, str) and uri.startswith("at://"):
        return uri[5:].split("/", 1)[0] or None
    return None


def _car_records(src: c.Source, name: str) -> list[tuple[str, str, dict[str, Any]]]:
    label = src.where(name)
    try:
        import libipld
    except ImportError:  # pragma: no cover - a dependency of the kit
        raise c.located(label, None, "needs the libipld package to be read",
                        "libipld installed", fix="pip install libipld") from None
    data = src.read_bytes(name)
    try:
        header, blocks = libipld.decode_car(data)
    except (ValueError, TypeError, OverflowError) as exc:
        raise c.located(label, None, f"is not a readable CAR file ({exc})",
                        "a Bluesky repository export (.car), complete",
                        fix="export your repository again; a file cut short cannot "
                            "be read") from None
    roots = header.get("roots") if isinstance(header, dict) else None
    if not roots or roots[0] not in blocks:
        raise c.located(label, "header", "names no root commit that is in the file",
                        "a repository export whose header points at its commit")
    commit = blocks[roots[0]]
    if not isinstance(commit, dict) or not isinstance(commit.get("did"), str) \
            or commit.get("data") not in blocks:
        raise c.located(label, "root commit", "is not a repository commit",
                        "{'did': ..., 'data': <tree root>, 'version': 3, ...}",
                        fix="this CAR file is not a Bluesky repository export")
    did = commit["did"]
    out = []
    stack = [commit["data"]]
    seen = set()
    while stack:
        cid = stack.pop()
        if cid is None or cid in seen:
            continue
        seen.add(cid)
        node = blocks.get(cid)
        if not isinstance(node, dict) or not isinstance(node.get("e"), list):
            shown = libipld.encode_cid(cid) if isinstance(cid, bytes) else repr(cid)
            raise c.located(label, f"tree node {shown}",
                            "is missing or malformed", "a node {'l': ..., 'e': [...]}",
                            fix="export your repository again")
        stack.append(node.get("l"))
        key = b""
        for e in node["e"]:
            if not isinstance(e, dict) or not isinstance(e.get("k"), bytes) \
                    or not isinstance(e.get("p"), int):
                raise c.located(label, "tree entry", "is malformed",
                                "{'p': int, 'k': bytes, 'v': cid, 't': cid or null}")
            key = key[:e["p"]] + e["k"]
            stack.append(e.get("t"))
            record = blocks.get(e.get("v"))
            if isinstance(record, dict):
                path = key.decode("utf-8", "replace")
                out.append((f"{label} › {path}", f"at://{did}/{path}", record))
    return out


def _list_records(src: c.Source, name: str) -> list[tuple[str, str, dict[str, Any]]]:
    label = src.where(name)
    doc = c.obj(src.read_json(name), label, "the top level",
                "what listRecords returns: {'records': [{'uri', 'cid', 'value'}], 'cursor'}")
    recs = c.seq(doc.get("records"), label, "records", "a list of {'uri', 'cid', 'value'}")
    out = []
    for i, r in enumerate(recs):
        r = c.obj(r, label, f"records[{i}]", "{'uri': 'at://...', 'cid': ..., 'value': {...}}")
        if _did(r.get("uri")) is None:
            raise c.located(label, f"records[{i}].uri", f"has {r.get('uri')!r}",
                            "an at:// URI such as at://did:plc:.../app.bsky.feed.post/3k...")
        value = c.obj(r.get("value"), label, f"records[{i}].value", "the record {...}")
        out.append((f"{label}, records[{i}]", r["uri"], value))
    return out


def _network(records: list[tuple[str, str, dict[str, Any]]], label: str) -> Network:
    rows, follows = [], []
    names: dict[str, str] = {}
    handle = ""
    me = _did(records[0][1]) if records else None
    for where, uri, r in records:
        kind = r.get("$type") or (uri.split("/")[3] if uri.count("/") >= 4 else None)
        when = r.get("createdAt")
        if kind == PROFILE:
            handle = str(r.get("displayName") or "")
        elif kind == FOLLOW:
            follows.append((where, r.get("subject"), when))
        elif kind in (LIKE, REPOST):
            subject = r.get("subject")
            target = subject.get("uri") if isinstance(subject, dict) else None
            rows.append((where, when, _did(target), "like" if kind == LIKE else "share",
                         target, None, False))
        elif kind == POST:
            text = r.get("text")
            if not isinstance(text, str):
                raise c.located(where, "text", f"holds {type(text).__name__}",
                                "the post's text")
            mentions, link = _facets(r, text, names)
            reply = r.get("reply") if isinstance(r.get("reply"), dict) else {}
            parent = (reply.get("parent") or {}).get("uri") if isinstance(
                reply.get("parent"), dict) else None
            root = (reply.get("root") or {}).get("uri") if isinstance(
                reply.get("root"), dict) else None
            embed = r.get("embed") if isinstance(r.get("embed"), dict) else {}
            quoted = _quoted(embed)
            link = link or "external" in str(embed.get("$type", ""))
            thread = root or uri
            parent_did = _did(parent)
            if parent_did and parent_did != me:
                rows.append((where, when, parent_did, "reply", thread, text, link))
            elif quoted and _did(quoted) != me:
                rows.append((where, when, _did(quoted), "share", thread, text, link))
            elif mentions:
                rows += [(where, when, m, "mention", thread, text, link)
                         for m in dict.fromkeys(mentions) if m != me]
            else:
                rows.append((where, when, None, "post", thread, text, link))
    df = pd.DataFrame(rows, columns=["where", "when", "contact_id", "kind", "thread_id",
                                     "text", "has_link"])
    inter = c.empty_interactions()
    if len(df):
        ts = c.parse_times(df["when"], label, lambda i: df["where"].iloc[i] + " createdAt",
                           "createdAt like '2025-01-31T10:00:00.000Z'")
        inter = pd.DataFrame({
            "timestamp": ts, "contact_id": ("bluesky:" + df["contact_id"]).where(
                df["contact_id"].notna()), "direction": "out", "kind": df["kind"],
            "thread_id": df["thread_id"], "text": df["text"],
            "has_link": df["has_link"].astype(bool)})
    contacts = None
    if follows:
        f = pd.DataFrame(follows, columns=["where", "subject", "when"])
        c.require_type(f["subject"], str, label, lambda i: f["where"].iloc[i] + " subject",
                       "the DID of the account you follow")
        first = c.parse_times(f["when"], label, lambda i: f["where"].iloc[i] + " createdAt",
                              "createdAt like '2025-01-31T10:00:00.000Z'")
        contacts = pd.DataFrame({"contact_id": "bluesky:" + f["subject"],
                                 "first_seen": first})
    ids = pd.concat([inter["contact_id"].dropna(),
                     contacts["contact_id"] if contacts is not None else pd.Series([])])
    people = pd.DataFrame({"contact_id": pd.unique(ids)}) if len(ids) else None
    if people is not None:
        raw = people["contact_id"].str.removeprefix("bluesky:")
        shown = raw.map(names)
        people["display_name"] = shown.where(shown.notna(), raw)
        if contacts is not None:
            people = people.merge(contacts.drop_duplicates("contact_id"), how="left",
                                  on="contact_id")
    return c.build(PLATFORM, handle or (me or ""), 0, people, inter, label)


def _facets(r: dict[str, Any], text: str, names: dict[str, str]) -> tuple[list[str], bool]:
    mentions, link = [], False
    facets = r.get("facets")
    if not isinstance(facets, list):
        return mentions, link
    raw = text.encode("utf-8")
    for f in facets:
        if not isinstance(f, dict) or not isinstance(f.get("features"), list):
            continue
        for feat in f["features"]:
            if not isinstance(feat, dict):
                continue
            if feat.get("$type") == _MENTION and isinstance(feat.get("did"), str):
                mentions.append(feat["did"])
                idx = f.get("index") if isinstance(f.get("index"), dict) else {}
                a, b = idx.get("byteStart"), idx.get("byteEnd")
                if isinstance(a, int) and isinstance(b, int):
                    shown = raw[a:b].decode("utf-8", "replace").strip()
                    if shown.startswith("@"):
                        names.setdefault(feat["did"], shown)
            elif feat.get("$type") == _LINK:
                link = True
    return mentions, link


def _quoted(embed: dict[str, Any]) -> str | None:
    rec = embed.get("record")
    if isinstance(rec, dict) and isinstance(rec.get("record"), dict):
        rec = rec["record"]  # recordWithMedia wraps the quoted record once more
    uri = rec.get("uri") if isinstance(rec, dict) else None
    return uri if isinstance(uri, str) else None

