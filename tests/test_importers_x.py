"""The X (Twitter) archive importer, on small hand-built archives."""

from __future__ import annotations

import pandas as pd
import pytest
from _exports import write_folder, write_zip, ytd

from thinksmall_kit import DataError, read_export, read_x

ME = {"account": {"username": "Me_Maker", "accountId": "1", "accountDisplayName": "Me"}}
ANA = {"name": "Ana M", "screen_name": "Ana_M", "id_str": "2", "indices": ["0", "6"]}
BOB = {"name": "Bob", "screen_name": "bob", "id_str": "3", "indices": ["7", "11"]}


def tweet(i, text, when="Sat Dec 06 18:20:30 +0000 2025", mentions=(), urls=(), reply=None,
          wrap=True):
    t = {"id_str": str(100 + i), "id": str(100 + i), "created_at": when, "full_text": text,
         "favorite_count": "2", "retweet_count": "0",
         "entities": {"user_mentions": list(mentions), "urls": [
             {"url": "https://t.co/x", "expanded_url": u, "display_url": u} for u in urls],
             "hashtags": []}}
    if reply:
        t.update({"in_reply_to_status_id_str": reply[0], "in_reply_to_screen_name": reply[1],
                  "in_reply_to_user_id_str": reply[2]})
    return {"tweet": t} if wrap else t


TWEETS = [
    tweet(0, "hello world", when="Sat Dec 06 18:20:30 +0530 2025"),
    tweet(1, "@Ana_M thanks!", mentions=[ANA], reply=("900", "Ana_M", "2")),
    tweet(2, "2/ more on that", reply=("100", "Me_Maker", "1")),
    tweet(3, "RT @bob: big news", mentions=[BOB]),
    tweet(4, "look at this https://t.co/x", urls=["https://x.com/carol/status/123"]),
    tweet(5, "with @Ana_M and @bob &amp; friends", mentions=[ANA, BOB]),
    tweet(6, "new shop https://t.co/x", urls=["https://shop.example/now"]),
]


def dm(sender, recipient, text, when):
    return {"messageCreate": {"senderId": sender, "recipientId": recipient, "text": text,
                              "createdAt": when, "id": "5", "reactions": [], "urls": []}}


DMS = [{"dmConversation": {"conversationId": "1-2", "messages": [
    dm("2", "1", "hi there", "2025-03-02T10:00:00.000Z"),
    dm("1", "2", "hello Ana", "2025-03-01T10:00:00.000Z")]}},
    {"dmConversation": {"conversationId": "1-7", "messages": [
        dm("7", "1", "who am I", "2025-03-03T10:00:00.000Z")]}}]
GROUP = [{"dmConversation": {"conversationId": "555", "messages": [
    {"joinConversation": {"initiatingUserId": "2", "participantsSnapshot": ["1", "2", "3"]}},
    {"messageCreate": {"senderId": "1", "text": "to all", "createdAt":
                       "2025-03-04T10:00:00.000Z"}},
    {"messageCreate": {"senderId": "3", "text": "hi all", "createdAt":
                       "2025-03-04T11:00:00.000Z"}}]}}]


def archive(tmp_path, **extra):
    files = {"data/account.js": ytd("account", [ME]), "data/tweets.js": ytd("tweets", TWEETS),
             "data/direct-messages.js": ytd("direct_messages", DMS),
             "data/direct-messages-group.js": ytd("direct_messages_group", GROUP),
             "data/follower.js": ytd("follower", [{"follower": {"accountId": str(n),
                                                                "userLink": "u"}}
                                                  for n in range(3)]),
             "data/tweets_media/a.jpg": b"\xff\xd8binary"}
    files.update(extra)
    return write_zip(tmp_path / "twitter-2025.zip", files)


def by_kind(net):
    i = net.interactions
    return {k: sorted(i.loc[i["kind"] == k, "contact_id"].fillna("-")) for k in
            i["kind"].astype(str).unique()}


def test_tweets_become_the_canonical_kinds(tmp_path):
    net = read_x(archive(tmp_path), progress=False)
    kinds = by_kind(net)
    assert kinds["post"] == ["-", "-", "-"]  # plain post, thread continuation, link post
    assert kinds["reply"] == ["x:ana_m"]
    assert kinds["share"] == ["x:bob", "x:carol"]  # retweet and quote tweet
    assert kinds["mention"] == ["x:ana_m", "x:bob"]  # one row per person mentioned
    assert (net.interactions.loc[net.interactions["kind"] != "dm", "direction"] == "out").all()
    assert net.platforms.loc[0, "followers"] == 3
    assert net.platforms.loc[0, "handle"] == "Me_Maker"


def test_created_at_with_an_offset_is_converted_to_utc(tmp_path):
    net = read_x(archive(tmp_path), progress=False)
    text = net.interactions.set_index("text")
    assert text.loc["hello world", "timestamp"] == pd.Timestamp("2025-12-06 12:50:30", tz="UTC")


def test_text_links_and_threads(tmp_path):
    i = read_x(archive(tmp_path), progress=False).interactions.set_index("text")
    assert "with @Ana_M and @bob & friends" in i.index  # HTML entities undone
    assert bool(i.loc["new shop https://t.co/x", "has_link"]) is True
    assert bool(i.loc["look at this https://t.co/x", "has_link"]) is False  # a quote is no link
    assert i.loc["@Ana_M thanks!", "thread_id"] == "x:900"


def test_direct_messages_have_direction_and_names(tmp_path):
    net = read_x(archive(tmp_path), progress=False)
    d = net.interactions[net.interactions["kind"] == "dm"].set_index("text")
    assert (d.loc["hello Ana", "direction"], d.loc["hello Ana", "contact_id"]) == ("out", "x:ana_m")
    assert (d.loc["hi there", "direction"], d.loc["hi there", "contact_id"]) == ("in", "x:ana_m")
    assert d.loc["who am I", "contact_id"] == "x:id:7"
    assert pd.isna(d.loc["to all", "contact_id"])  # a group message out has no one person
    assert d.loc["hi all", "contact_id"] == "x:bob"
    names = net.contacts.set_index("contact_id")["display_name"]
    assert names["x:ana_m"] == "Ana M" and names["x:id:7"] == "X user 7"


def test_older_tweet_js_flat_rows_and_multi_part(tmp_path):
    files = {"data/tweet.js": ytd("tweet", [tweet(0, "old one", wrap=False)]),
             "data/tweets-part1.js": ytd("tweets", [tweet(1, "part one")], part=1)}
    net = read_x(write_folder(tmp_path / "arch", files), progress=False)
    assert sorted(net.interactions["text"]) == ["old one", "part one"]


def test_a_single_tweets_js_file(tmp_path):
    path = tmp_path / "tweets.js"
    path.write_text(ytd("tweets", TWEETS[:1]))
    assert len(read_export(path, progress=False)) == 1


def test_the_js_is_never_run(tmp_path):
    path = tmp_path / "tweets.js"
    path.write_text("window.YTD.tweets.part0 = (function(){ return [] })()")
    with pytest.raises(DataError, match=r"tweets\.js.*no JSON list"):
        read_x(path, progress=False)


def test_a_truncated_file_names_member_and_line(tmp_path):
    text = ytd("tweets", TWEETS)
    path = archive(tmp_path, **{"data/tweets.js": text[: len(text) // 2]})
    with pytest.raises(DataError, match=r"twitter-2025\.zip › data/tweets\.js, line \d+") as e:
        read_x(path, progress=False)
    assert "cut short" in str(e.value)


def test_an_unreadable_date_names_the_entry(tmp_path):
    bad = [tweet(0, "a"), tweet(1, "b", when="yesterday at noon")]
    with pytest.raises(DataError, match=r"entry \[1\]\.tweet\.created_at.*'yesterday at noon'"):
        read_x(archive(tmp_path, **{"data/tweets.js": ytd("tweets", bad)}), progress=False)


def test_a_field_of_the_wrong_type(tmp_path):
    bad = [tweet(0, "a")]
    bad[0]["tweet"]["full_text"] = 12
    with pytest.raises(DataError, match=r"entry \[0\]\.tweet\.full_text"):
        read_x(archive(tmp_path, **{"data/tweets.js": ytd("tweets", bad)}), progress=False)


def test_not_an_x_file(tmp_path):
    path = tmp_path / "tweets.js"
    path.write_text("var x = 1;")
    with pytest.raises(DataError, match="does not start like an X archive file"):
        read_x(path, progress=False)
    other = write_zip(tmp_path / "other.zip", {"Connections.csv": "First Name\n"})
    with pytest.raises(DataError, match=r"holds no tweets\.js"):
        read_x(other, progress=False)
