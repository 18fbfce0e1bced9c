"""The Instagram and Facebook importers: value/title usernames, Messenger, broken text."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from _exports import write_folder, write_zip

from thinksmall_kit import DataError, read_export, read_facebook, read_instagram
from thinksmall_kit.importers._common import repair_text


def meta(doc):
    """Encode like Meta: UTF-8 bytes each written as a Latin-1 escape."""
    def broken(v):
        if isinstance(v, str):
            return v.encode("utf-8").decode("latin-1")
        if isinstance(v, list):
            return [broken(x) for x in v]
        if isinstance(v, dict):
            return {k: broken(x) for k, x in v.items()}
        return v
    return json.dumps(broken(doc))


def test_repair_text():
    assert repair_text("JosÃ©") == "José"
    assert repair_text("ð\x9f\x98\x80") == "😀"
    assert repair_text("José") == "José"
    assert repair_text("Ã plain") == "Ã plain"  # not a broken sequence: left alone
    assert repair_text(None) is None


def conversation(me, other, texts, t0=1740000000000):
    return {"participants": [{"name": other}, {"name": me}],
            "messages": [{"sender_name": s, "timestamp_ms": t0 + k * 60000, "content": c}
                         for k, (s, c) in enumerate(texts)],
            "title": other, "thread_path": f"inbox/{other.split()[0].lower()}_1"}


def test_instagram_usernames_in_value_or_title(tmp_path):
    followers = [{"title": "", "string_list_data": [
        {"href": "https://www.instagram.com/ana.s", "value": "ana.s", "timestamp": 1700000000}]},
        {"title": "bo_b", "string_list_data": [
            {"href": "https://www.instagram.com/_u/bo_b", "timestamp": 1700000100}]}]
    following = {"relationships_following": [{"title": "cy", "string_list_data": [
        {"href": "https://www.instagram.com/_u/cy", "timestamp": 1700000200}]}]}
    path = write_zip(tmp_path / "ig.zip", {
        "connections/followers_and_following/followers_1.json": meta(followers),
        "connections/followers_and_following/following.json": meta(following)})
    net = read_export(path, progress=False)
    c = net.contacts.set_index("contact_id")
    assert sorted(c.index) == ["instagram:ana.s", "instagram:bo_b", "instagram:cy"]
    assert c.loc["instagram:bo_b", "first_seen"] == pd.Timestamp(1700000100, unit="s", tz="UTC")
    assert net.platforms.loc[0, "followers"] == 2


def test_facebook_friends_and_messenger_with_broken_text(tmp_path):
    friends = {"friends_v2": [{"name": "José Álvarez", "timestamp": 1600000000}]}
    conv = conversation("Me Person", "José Álvarez",
                        [("José Álvarez", "Olá! 😀"), ("Me Person", "Oi José")])
    group = conversation("Me Person", "Zoë B", [("Me Person", "hi both"), ("Zoë B", "hey")])
    group["participants"].append({"name": "Björn"})
    other = conversation("Me Person", "Björn", [("Björn", "tack")])
    path = write_folder(tmp_path / "fb", {
        "connections/friends/your_friends.json": meta(friends),
        "your_facebook_activity/messages/inbox/jose_1/message_1.json": meta(conv),
        "your_facebook_activity/messages/inbox/group_2/message_1.json": meta(group),
        "your_facebook_activity/messages/inbox/bjorn_3/message_1.json": meta(other)})
    net = read_facebook(path, progress=False)
    i = net.interactions.set_index("text")
    assert (i.loc["Olá! 😀", "direction"], i.loc["Olá! 😀", "contact_id"]) == (
        "in", "facebook:josé álvarez")
    assert (i.loc["Oi José", "direction"], i.loc["Oi José", "contact_id"]) == (
        "out", "facebook:josé álvarez")
    assert pd.isna(i.loc["hi both", "contact_id"])  # a group message out
    assert i.loc["hey", "contact_id"] == "facebook:zoë b"
    names = set(net.contacts["display_name"])
    assert "José Álvarez" in names and "JosÃ© Ã\x81lvarez" not in names
    assert net.platforms.loc[0, "followers"] == 1


def test_messages_with_a_bad_timestamp(tmp_path):
    conv = conversation("Me", "Ana", [("Ana", "hi")])
    conv["messages"][0]["timestamp_ms"] = "soon"
    path = tmp_path / "message_1.json"
    path.write_text(meta(conv))
    with pytest.raises(DataError, match=r"message_1\.json, messages\[0\]\.timestamp_ms"):
        read_instagram(path, progress=False)
