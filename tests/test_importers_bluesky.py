"""The Bluesky importer: repository CAR files and listRecords JSON."""

from __future__ import annotations

import json

import pytest
from _exports import make_samples_module

from thinksmall_kit import DataError, read_bluesky

ME, ANA, BOB = "did:plc:me", "did:plc:ana", "did:plc:bob"
WHEN = "2025-03-01T10:00:00.000Z"


def post(text, **extra):
    return {"$type": "app.bsky.feed.post", "text": text, "createdAt": WHEN, **extra}


def ref(did, rkey="3kabc"):
    return {"uri": f"at://{did}/app.bsky.feed.post/{rkey}", "cid": "bafyx"}


MENTION = "hi @ana.bsky.social!"
RECORDS = [
    ("app.bsky.feed.post", "1", post("just a post")),
    ("app.bsky.feed.post", "2", post("a reply", reply={"root": ref(ANA), "parent": ref(ANA)})),
    ("app.bsky.feed.post", "3", post("thread", reply={"root": ref(ME, "1"),
                                                      "parent": ref(ME, "1")})),
    ("app.bsky.feed.post", "4", post(MENTION, facets=[{
        "index": {"byteStart": 3, "byteEnd": 19},
        "features": [{"$type": "app.bsky.richtext.facet#mention", "did": ANA}]}])),
    ("app.bsky.feed.post", "5", post("quoting", embed={"$type": "app.bsky.embed.record",
                                                       "record": ref(BOB)})),
    ("app.bsky.feed.repost", "6", {"$type": "app.bsky.feed.repost", "createdAt": WHEN,
                                   "subject": ref(BOB)}),
    ("app.bsky.feed.like", "7", {"$type": "app.bsky.feed.like", "createdAt": WHEN,
                                 "subject": ref(ANA)}),
    ("app.bsky.graph.follow", "8", {"$type": "app.bsky.graph.follow", "createdAt": WHEN,
                                    "subject": "did:plc:cy"}),
]


def list_records(path):
    path.write_text(json.dumps({"records": [
        {"uri": f"at://{ME}/{c}/{k}", "cid": "bafy", "value": v} for c, k, v in RECORDS]}))
    return path


def car(path, records=RECORDS):
    ms = make_samples_module()
    ms.BSKY_ME = ME
    path.write_bytes(ms.make_bluesky_car(records))
    return path


@pytest.mark.parametrize("make", [list_records, car])
def test_records_become_kinds(tmp_path, make):
    net = read_bluesky(make(tmp_path / ("x.json" if make is list_records else "x.car")),
                       progress=False)
    i = net.interactions
    got = sorted(zip(i["kind"].astype(str), i["contact_id"].fillna("-"), strict=True))
    assert got == [("like", "bluesky:did:plc:ana"), ("mention", "bluesky:did:plc:ana"),
                   ("post", "-"), ("post", "-"), ("reply", "bluesky:did:plc:ana"),
                   ("share", "bluesky:did:plc:bob"), ("share", "bluesky:did:plc:bob")]
    names = net.contacts.set_index("contact_id")["display_name"]
    assert names["bluesky:did:plc:ana"] == "@ana.bsky.social"  # from the mention's text
    assert "bluesky:did:plc:cy" in names.index  # someone you follow


def test_damaged_car_files(tmp_path):
    good = car(tmp_path / "good.car").read_bytes()
    cut = tmp_path / "cut.car"
    cut.write_bytes(good[: len(good) - 40])
    with pytest.raises(DataError, match=r"cut\.car.*CAR"):
        read_bluesky(cut, progress=False)
    junk = tmp_path / "junk.car"
    junk.write_bytes(b"\x0bnot a car file at all")
    with pytest.raises(DataError, match=r"junk\.car"):
        read_bluesky(junk, progress=False)


def test_list_records_with_a_bad_uri(tmp_path):
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"records": [{"uri": "https://x", "value": {}}]}))
    with pytest.raises(DataError, match=r"records\[0\]\.uri"):
        read_bluesky(path, progress=False)
