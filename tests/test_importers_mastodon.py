"""The Mastodon importer: outbox activities, HTML, likes, following, tar.gz and folder."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from _exports import write_folder, write_tar_gz

from thinksmall_kit import DataError, read_mastodon
from thinksmall_kit.importers.mastodon import PUBLIC, html_to_text

ME = "https://home.example/users/me"


def note(i, content, to=(PUBLIC,), cc=(), tags=(), reply=None, when="2025-03-01T10:00:00Z"):
    url = f"{ME}/statuses/{i}"
    return {"id": f"{url}/activity", "type": "Create", "actor": ME, "published": when,
            "to": list(to), "cc": list(cc), "object": {
                "id": url, "type": "Note", "inReplyTo": reply, "published": when,
                "content": content, "tag": list(tags), "to": list(to), "cc": list(cc),
                "conversation": f"tag:home.example,2025:objectId={i}"}}


ANA = {"type": "Mention", "href": "https://far.example/users/ana", "name": "@ana@far.example"}
ITEMS = [
    note(1, "<p>Hello <b>all</b></p><p>second</p>"),
    note(2, "<p>@ana yes!</p>", tags=[ANA], reply="https://far.example/users/ana/statuses/77"),
    note(3, "<p>and more</p>", reply=f"{ME}/statuses/1"),
    note(4, "<p>@ana secret</p>", to=[ANA["href"]], tags=[ANA]),
    note(5, "<p>thanks @ana</p>", cc=[f"{ME}/followers"], tags=[ANA]),
    {"id": f"{ME}/statuses/6/activity", "type": "Announce", "actor": ME,
     "published": "2025-03-02T10:00:00Z", "to": [PUBLIC],
     "object": "https://far.example/users/bob/statuses/88"},
]
LIKE_MS = 1740000000000


def files():
    return {
        "outbox.json": json.dumps({"id": "outbox.json", "type": "OrderedCollection",
                                   "orderedItems": ITEMS}),
        "actor.json": json.dumps({"id": ME, "type": "Person", "preferredUsername": "me"}),
        "likes.json": json.dumps({"type": "OrderedCollection", "orderedItems": [
            f"https://far.example/users/ana/statuses/{LIKE_MS << 16 | 5}",
            "https://elsewhere.example/notes/abc"]}),
        "following_accounts.csv": "Account address,Show boosts,Notify on new posts,Languages\n"
                                  "ana@far.example,true,false,\ncy@near.example,true,false,\n",
        "media_attachments/files/1.jpg": b"\xff\xd8",
    }


def test_html_to_text():
    assert html_to_text("<p>a &amp; b<br>c</p><p>d</p>") == "a & b\nc\n\nd"
    assert html_to_text('<a href="https://x.y/z"><span class="invisible">https://</span>'
                        '<span>x.y/z</span></a>') == "x.y/z"
    assert html_to_text(None) == ""


def test_activities_become_kinds(tmp_path):
    net = read_mastodon(write_tar_gz(tmp_path / "archive.tar.gz", files()), progress=False)
    i = net.interactions.set_index("text")
    assert i.loc["Hello all\n\nsecond", "kind"] == "post"
    assert (i.loc["@ana yes!", "kind"], i.loc["@ana yes!", "contact_id"]) == (
        "reply", "mastodon:ana@far.example")
    assert i.loc["and more", "kind"] == "post"  # replying to yourself continues a thread
    assert (i.loc["@ana secret", "kind"], i.loc["@ana secret", "contact_id"]) == (
        "dm", "mastodon:ana@far.example")
    assert i.loc["thanks @ana", "kind"] == "mention"
    share = net.interactions[net.interactions["kind"] == "share"]
    assert share["contact_id"].tolist() == ["mastodon:bob@far.example"]
    like = net.interactions[net.interactions["kind"] == "like"]
    assert like["timestamp"].tolist() == [pd.Timestamp(LIKE_MS, unit="ms", tz="UTC")]
    assert (net.interactions["direction"] == "out").all()
    assert net.platforms.loc[0, "handle"] == "@me@home.example"
    assert "mastodon:cy@near.example" in set(net.contacts["contact_id"])


def test_folder_reads_the_same_as_the_archive(tmp_path):
    a = read_mastodon(write_tar_gz(tmp_path / "a.tar.gz", files()), progress=False)
    b = read_mastodon(write_folder(tmp_path / "a", files()), progress=False)
    assert a == b


def test_bad_outbox_gives_located_errors(tmp_path):
    f = files()
    f["outbox.json"] = f["outbox.json"][:200]
    with pytest.raises(DataError, match=r"a\.tar\.gz › outbox\.json, line 1, column \d+"):
        read_mastodon(write_tar_gz(tmp_path / "a.tar.gz", f), progress=False)
    f["outbox.json"] = json.dumps({"type": "OrderedCollection"})
    with pytest.raises(DataError, match="orderedItems"):
        read_mastodon(write_folder(tmp_path / "b", f), progress=False)
    items = [note(1, "x", when="not a time")]
    f["outbox.json"] = json.dumps({"orderedItems": items})
    with pytest.raises(DataError, match=r"orderedItems\[0\]\.published"):
        read_mastodon(write_folder(tmp_path / "c", f), progress=False)
