"""Make the sample platform exports in data/samples/ and the blank template in data/template/.

Every person, handle, id and message here is invented. The files are shaped
like the real exports (file names, folders, field names, numbers stored as
text, date formats, Meta's broken text encoding), so the importers are tested
on what a learner will really download. One invented learner, Juniper Hale, a
textile artist, appears on every platform; a few of her contacts appear on
several, so the samples also show how exports combine.

The output is byte-for-byte the same on every run: seeded randomness, fixed
zip timestamps and member order, tar headers with fixed mtime/uid/gid and a
gzip header with mtime 0.

    .venv/bin/python data/make_samples.py
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import random
import sys
import tarfile
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
OUT = ROOT / "samples"
START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
ZIP_TIME = (2025, 7, 1, 0, 0, 0)

# Invented people: (x handle, display name, x id, linkedin slug, mastodon address).
PEOPLE = [
    ("rosa_weaves", "Rosa Okafor", "1402938471", "rosa-okafor", "rosa@fibre.example"),
    ("tomasz_dyes", "Tomasz Wren", "2219384756", "tomasz-wren-4a1", "tomasz@mastodon.example"),
    ("mei_loom", "Mei Lindqvist", "3310298475", "mei-lindqvist", "mei@craft.example"),
    ("gallery_north", "Gallery North", "4401928374", "gallery-north", None),
    ("yarnshop_ada", "Ada's Yarn Shop", "5512039485", None, "adayarn@mastodon.example"),
    ("kofi_makes", "Kofi Mensah", "6623140596", "kofi-mensah-22", None),
    ("lena_prints", "Lena Brandt", "7734251607", "lena-brandt", "lena@fibre.example"),
]
ME_X = ("juniper_hale", "Juniper Hale", "1188299300")

POST_TEXTS = [
    "New indigo scarf off the loom this morning.",
    "Studio day: warping the big loom for a commission.",
    "Trying a new natural dye from onion skins. Results tomorrow!",
    "Open studio this Saturday, 10-4. Tea and wool talk.",
    "Small batch of hand-woven table runners now in the shop: https://t.co/abc123",
    "What do you wish you knew when you started weaving?",
    "Finished the wall hanging for the library. So proud of it.",
]
REPLY_TEXTS = ["Thank you, that means a lot!", "Yes! Let's talk at the fair.",
               "I use a 12-dent reed for that.", "Lovely colours, what mordant did you use?",
               "Count me in for the swap."]
DM_TEXTS = ["Hi! Would you have time for a coffee next week?",
            "Thanks for the intro to the gallery.", "Sending the invoice today.",
            "Could you share the supplier you mentioned?", "Happy to help with the workshop.",
            "See you Saturday!"]


def _ts(rng: random.Random, day_span: int = 170) -> datetime:
    return START + timedelta(days=rng.randrange(day_span), minutes=rng.randrange(600))


# --------------------------------------------------------------------------- writers


def write_zip(path: Path, files: dict[str, bytes]) -> None:
    """A zip whose bytes depend only on ``files``: fixed times, sorted order, fixed modes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, files[name], compresslevel=6)
    path.write_bytes(buf.getvalue())


def write_tar_gz(path: Path, files: dict[str, bytes]) -> None:
    """A tar.gz with fixed mtime, uid/gid and owner names, and a gzip header with mtime 0."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size = len(files[name])
            info.mtime = 1751328000  # 2025-07-01
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tf.addfile(info, io.BytesIO(files[name]))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    path.write_bytes(out.getvalue())


def ytd(name: str, rows: list[dict], part: int = 0) -> bytes:
    """An X archive .js file: the JavaScript assignment X writes, with its spacing."""
    body = json.dumps(rows, indent=2, ensure_ascii=False, separators=(",", " : "))
    return f"window.YTD.{name}.part{part} = {body}".encode()


def meta_json(doc: object) -> bytes:
    """JSON as Meta writes it: UTF-8 text mis-encoded as Latin-1, then \\u-escaped."""
    def broken(v: object) -> object:
        if isinstance(v, str):
            return v.encode("utf-8").decode("latin-1")
        if isinstance(v, list):
            return [broken(x) for x in v]
        if isinstance(v, dict):
            return {k: broken(x) for k, x in v.items()}
        return v
    return json.dumps(broken(doc), indent=2, ensure_ascii=True).encode("ascii")


def csv_bytes(header: list[str], rows: list[list[str]], preamble: str = "",
              bom: bool = False) -> bytes:
    buf = io.StringIO()
    buf.write(preamble)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


# --------------------------------------------------------------------------- X


def _x_time(t: datetime) -> str:
    return t.strftime("%a %b %d %H:%M:%S +0000 %Y")


def _tweet(i: int, t: datetime, text: str, mentions: list[tuple] = (), urls: list[str] = (),
           reply: tuple | None = None) -> dict:
    tid = str(1876000000000000000 + i * 7919)
    ment = [{"name": p[1], "screen_name": p[0], "indices": ["0", str(len(p[0]) + 1)],
             "id_str": p[2], "id": p[2]} for p in mentions]
    url_ents = [{"url": f"https://t.co/x{i}{k}", "expanded_url": u,
                 "display_url": u.split("//", 1)[1][:24], "indices": ["0", "23"]}
                for k, u in enumerate(urls)]
    tw = {
        "edit_info": {"initial": {"editTweetIds": [tid],
                                  "editableUntil": "2025-01-01T00:00:00.000Z",
                                  "editsRemaining": "5", "isEditEligible": True}},
        "retweeted": False,
        "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
        "entities": {"hashtags": [], "symbols": [], "user_mentions": ment, "urls": url_ents},
        "display_text_range": ["0", str(len(text))],
        "favorite_count": str(i % 9),
        "id_str": tid,
        "truncated": False,
        "retweet_count": str(i % 3),
        "id": tid,
        "created_at": _x_time(t),
        "favorited": False,
        "full_text": text,
        "lang": "en",
    }
    if reply is not None:
        tw.update({"in_reply_to_status_id_str": reply[0], "in_reply_to_status_id": reply[0],
                   "in_reply_to_user_id": reply[1], "in_reply_to_user_id_str": reply[1],
                   "in_reply_to_screen_name": reply[2]})
    return {"tweet": tw}


def make_x(rng: random.Random) -> dict[str, bytes]:
    me_id = ME_X[2]
    tweets = []
    for i in range(48):
        t = _ts(rng)
        p = rng.choice(PEOPLE)
        roll = i % 8
        if roll in (0, 1, 2):
            text = rng.choice(POST_TEXTS)
            urls = ["https://juniperhale.example/shop"] if "t.co" in text else []
            tweets.append(_tweet(i, t, text, urls=urls))
        elif roll in (3, 4):
            text = f"@{p[0]} {rng.choice(REPLY_TEXTS)}"
            tweets.append(_tweet(i, t, text, mentions=[p],
                                 reply=(str(1875000000000000000 + i), p[2], p[0])))
        elif roll == 5:
            text = f"RT @{p[0]}: {rng.choice(POST_TEXTS)}"
            tweets.append(_tweet(i, t, text, mentions=[p]))
        elif roll == 6:
            q = rng.choice(PEOPLE)
            text = f"Weaving with @{p[0]} and @{q[0]} at the fair today &amp; loving it"
            tweets.append(_tweet(i, t, text, mentions=[p, q] if p != q else [p]))
        else:
            url = f"https://twitter.com/{p[0]}/status/{1874000000000000000 + i}"
            tweets.append(_tweet(i, t, f"This is worth reading {url[:23]}", urls=[url]))
    # A thread continuation: a reply to herself counts as a post.
    tweets.append(_tweet(99, START + timedelta(days=3), "2/ and the weft is hand-spun.",
                         reply=(tweets[0]["tweet"]["id_str"], me_id, ME_X[0])))
    tweets.sort(key=lambda r: r["tweet"]["id_str"], reverse=True)

    dms = []
    for k, p in enumerate(PEOPLE[:5]):
        conv = "-".join(sorted([me_id, p[2]]))
        msgs = []
        for j in range(4 + k % 3):
            t = _ts(rng)
            mine = j % 2 == 0
            msgs.append({"messageCreate": {
                "recipientId": p[2] if mine else me_id, "reactions": [], "urls": [],
                "text": rng.choice(DM_TEXTS), "mediaUrls": [],
                "senderId": me_id if mine else p[2],
                "id": str(1880000000000000000 + k * 100 + j),
                "createdAt": t.strftime("%Y-%m-%dT%H:%M:%S.000Z")}})
        msgs.sort(key=lambda m: m["messageCreate"]["createdAt"], reverse=True)
        dms.append({"dmConversation": {"conversationId": conv, "messages": msgs}})
    group = {"dmConversation": {"conversationId": "1600000000000000001", "messages": [
        {"messageCreate": {"reactions": [], "urls": [], "text": "Fair stall rota attached",
                           "mediaUrls": [], "senderId": PEOPLE[0][2],
                           "id": "1881000000000000001",
                           "createdAt": "2025-04-02T09:15:00.000Z"}},
        {"messageCreate": {"reactions": [], "urls": [], "text": "I can take Sunday",
                           "mediaUrls": [], "senderId": me_id, "id": "1881000000000000002",
                           "createdAt": "2025-04-02T09:40:00.000Z"}},
        {"joinConversation": {"initiatingUserId": PEOPLE[0][2],
                              "participantsSnapshot": [me_id, PEOPLE[0][2], PEOPLE[2][2]],
                              "createdAt": "2025-04-02T09:00:00.000Z"}}]}}
    followers = [{"follower": {"accountId": str(900000 + n),
                               "userLink": f"https://twitter.com/intent/user?user_id={900000 + n}"}}
                 for n in range(37)]
    following = [{"following": {"accountId": p[2],
                                "userLink": f"https://twitter.com/intent/user?user_id={p[2]}"}}
                 for p in PEOPLE]
    account = [{"account": {"email": "juniper@studio.example", "createdVia": "web",
                            "username": ME_X[0], "accountId": me_id,
                            "createdAt": "2014-03-09T11:22:33.000Z",
                            "accountDisplayName": ME_X[1]}}]
    half = len(tweets) // 2
    return {
        "Your archive.html": b"<!DOCTYPE html><html><body>Your archive</body></html>\n",
        "data/account.js": ytd("account", account),
        "data/tweets.js": ytd("tweets", tweets[:half]),
        "data/tweets-part1.js": ytd("tweets", tweets[half:], part=1),
        "data/direct-messages.js": ytd("direct_messages", dms),
        "data/direct-messages-group.js": ytd("direct_messages_group", [group]),
        "data/follower.js": ytd("follower", followers),
        "data/following.js": ytd("following", following),
        "data/like.js": ytd("like", [{"like": {"tweetId": "1870000000000000001",
                                                "fullText": "A lovely loom",
                                                "expandedUrl": "https://twitter.com/i/web/status/1870000000000000001"}}]),
        "data/tweets_media/1876000000000000000-photo.jpg": b"\xff\xd8\xff\xe0not-a-real-jpeg",
    }


# --------------------------------------------------------------------------- LinkedIn

LINKEDIN_NOTES = (
    "Notes:\n"
    "\"When exporting your connection data, you may notice that some of the email addresses "
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    "https://www.linkedin.com/help/linkedin/answer/261\"\n"
    "\n")


def make_linkedin(rng: random.Random) -> dict[str, bytes]:
    rows = []
    for k, p in enumerate(PEOPLE):
        if p[3] is None:
            continue
        first, _, last = p[1].partition(" ")
        company = ["Okafor Textiles, Ltd", "Wren Dye Works", "Freelance", "Gallery North",
                   "Mensah & Co", "Brandt Print Studio"][k % 6]
        when = START - timedelta(days=200 + 37 * k)
        rows.append([first, last, f"https://www.linkedin.com/in/{p[3]}",
                     "" if k % 2 else f"{p[3]}@mail.example", company,
                     ["Weaver", "Owner", "Curator", "Designer"][k % 4],
                     when.strftime("%d %b %Y")])
    for n in range(12):
        first = ["Sam", "Priya", "Jon", "Ines", "Olu", "Hana"][n % 6]
        last = ["Field", "Rao", "Berg", "Costa", "Adeyemi", "Sato"][n // 2 % 6]
        when = START - timedelta(days=30 * n + 5)
        rows.append([first, last, f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{n}",
                     "", "", "", when.strftime("%d %b %Y")])
    connections = csv_bytes(["First Name", "Last Name", "URL", "Email Address", "Company",
                             "Position", "Connected On"], rows, preamble=LINKEDIN_NOTES)
    me_url = "https://www.linkedin.com/in/juniper-hale"
    msgs = []
    for k, p in enumerate([q for q in PEOPLE if q[3]][:4]):
        conv = f"2-{hashlib.sha1(p[3].encode()).hexdigest()[:22]}=="
        for j in range(3):
            t = _ts(rng)
            mine = j % 2 == 1
            msgs.append([conv, "", "Juniper Hale" if mine else p[1],
                         me_url if mine else f"https://www.linkedin.com/in/{p[3]}",
                         p[1] if mine else "Juniper Hale",
                         f"https://www.linkedin.com/in/{p[3]}" if mine else me_url,
                         t.strftime("%Y-%m-%d %H:%M:%S UTC"), "",
                         rng.choice(DM_TEXTS) + (" Also, see you at the Guild, Thursday?"
                                                 if k == 0 else ""), "INBOX", "No", "No"])
    msgs.sort(key=lambda r: r[6], reverse=True)
    messages = csv_bytes(["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL",
                          "TO", "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER",
                          "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"], msgs, bom=True)
    inv = [["Kofi Mensah", "Juniper Hale", "1/20/25, 3:05 PM",
            "Loved your talk at the fibre fair, let's connect!", "INCOMING",
            "https://www.linkedin.com/in/kofi-mensah-22", "https://www.linkedin.com/in/juniper-hale"],
           ["Juniper Hale", "Lena Brandt", "2/11/25, 9:41 AM", "", "OUTGOING",
            "https://www.linkedin.com/in/juniper-hale", "https://www.linkedin.com/in/lena-brandt"],
           ["Juniper Hale", "Mei Lindqvist", "3/2/25, 11:17 AM",
            "Hi Mei, we met at the dye workshop. Would love to stay in touch.", "OUTGOING",
            "https://www.linkedin.com/in/juniper-hale", "https://www.linkedin.com/in/mei-lindqvist"]]
    invitations = csv_bytes(["From", "To", "Sent At", "Message", "Direction",
                             "inviterProfileUrl", "inviteeProfileUrl"], inv)
    profile = csv_bytes(["First Name", "Last Name", "Maiden Name", "Address", "Birth Date",
                         "Headline", "Summary", "Industry", "Zip Code", "Geo Location"],
                        [["Juniper", "Hale", "", "", "", "Textile artist", "", "Arts", "",
                          "Leeds"]])
    return {"Connections.csv": connections, "messages.csv": messages,
            "Invitations.csv": invitations, "Profile.csv": profile}


# --------------------------------------------------------------------------- Mastodon

M_HOST = "mastodon.example"
M_ME = f"https://{M_HOST}/users/juniper"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def _mastodon_id(t: datetime, seq: int) -> str:
    return str((int(t.timestamp() * 1000) << 16) | seq)


def _mention_html(addr: str) -> tuple[str, dict]:
    user, host = addr.split("@")
    href = f"https://{host}/users/{user}"
    html = (f'<span class="h-card" translate="no"><a href="https://{host}/@{user}" '
            f'class="u-url mention">@<span>{user}</span></a></span>')
    return html, {"type": "Mention", "href": href, "name": f"@{addr}" if host != M_HOST
                  else f"@{user}"}


def make_mastodon(rng: random.Random) -> dict[str, bytes]:
    people = [p for p in PEOPLE if p[4]]
    items = []
    for i in range(30):
        t = _ts(rng)
        sid = _mastodon_id(t, i)
        url = f"{M_ME}/statuses/{sid}"
        to, cc = [PUBLIC], [f"{M_ME}/followers"]
        tags, reply, roll = [], None, i % 6
        p = rng.choice(people)
        if roll == 5:
            target = rng.choice(people)
            user, host = target[4].split("@")
            obj = f"https://{host}/users/{user}/statuses/{_mastodon_id(t - timedelta(hours=3), 1)}"
            items.append({"id": f"{url}/activity", "type": "Announce", "actor": M_ME,
                          "published": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "to": to,
                          "cc": [obj.split("/statuses")[0], f"{M_ME}/followers"], "object": obj})
            continue
        if roll in (0, 1):
            content = f"<p>{rng.choice(POST_TEXTS)}</p>"
            if "t.co" in content:
                content = ('<p>Table runners in the shop: <a href="https://juniperhale.example/'
                           'shop" target="_blank" rel="nofollow noopener noreferrer" '
                           'translate="no"><span class="invisible">https://</span>'
                           '<span class="">juniperhale.example/shop</span><span class="invisible">'
                           '</span></a></p>')
        elif roll in (2, 3):
            html, tag = _mention_html(p[4])
            user, host = p[4].split("@")
            earlier = _mastodon_id(t - timedelta(hours=1), 2)
            reply = f"https://{host}/users/{user}/statuses/{earlier}"
            content = f"<p>{html} {rng.choice(REPLY_TEXTS)}</p>"
            tags = [tag]
            cc.append(tag["href"])
        elif roll == 4 and i % 12 == 4:
            html, tag = _mention_html(p[4])
            content = f"<p>{html} {rng.choice(DM_TEXTS)}</p>"
            tags, to, cc = [tag], [tag["href"]], []
        else:
            html, tag = _mention_html(p[4])
            content = f"<p>Thanks {html} for the yarn tips &amp; the tea!</p><p>#weaving</p>"
            tags = [tag, {"type": "Hashtag", "href": f"https://{M_HOST}/tags/weaving",
                          "name": "#weaving"}]
            cc.append(tag["href"])
        items.append({
            "id": f"{url}/activity", "type": "Create", "actor": M_ME,
            "published": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "to": to, "cc": cc,
            "object": {"id": url, "type": "Note", "summary": None, "inReplyTo": reply,
                       "published": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "url": f"https://{M_HOST}/@juniper/{sid}", "attributedTo": M_ME,
                       "to": to, "cc": cc, "sensitive": False, "atomUri": url,
                       "inReplyToAtomUri": reply,
                       "conversation": f"tag:{M_HOST},{t:%Y-%m-%d}:objectId={1000 + i}:"
                                       "objectType=Conversation",
                       "content": content, "contentMap": {"en": content}, "attachment": [],
                       "tag": tags,
                       "replies": {"id": f"{url}/replies", "type": "Collection",
                                   "first": {"type": "CollectionPage", "next":
                                             f"{url}/replies?only_other_accounts=true&page=true",
                                             "partOf": f"{url}/replies", "items": []}}}})
    items.sort(key=lambda a: a["published"])
    ctx = ["https://www.w3.org/ns/activitystreams"]
    outbox = {"@context": ctx, "id": "outbox.json", "type": "OrderedCollection",
              "totalItems": len(items), "orderedItems": items}
    actor = {"@context": ctx, "id": M_ME, "type": "Person", "following": f"{M_ME}/following",
             "followers": f"{M_ME}/followers", "inbox": f"{M_ME}/inbox", "outbox": "outbox.json",
             "preferredUsername": "juniper", "name": "Juniper Hale",
             "summary": "<p>Textile artist. Hand-woven, naturally dyed.</p>",
             "url": f"https://{M_HOST}/@juniper", "manuallyApprovesFollowers": False,
             "published": "2022-11-05T00:00:00Z", "likes": "likes.json",
             "bookmarks": "bookmarks.json"}
    likes = []
    for k in range(10):
        user, host = people[k % len(people)][4].split("@")
        likes.append(f"https://{host}/users/{user}/statuses/"
                     f"{_mastodon_id(_ts(rng), 10 + k)}")
    likes.append("https://pixels.example/p/someone/12345")  # another server type: no time
    likes_doc = {"@context": ctx, "id": "likes.json", "type": "OrderedCollection",
                 "orderedItems": likes}
    bookmarks = {"@context": ctx, "id": "bookmarks.json", "type": "OrderedCollection",
                 "orderedItems": []}
    following = csv_bytes(["Account address", "Show boosts", "Notify on new posts", "Languages"],
                          [[p[4], "true", "false", ""] for p in people]
                          + [["weavers_guild@guild.example", "true", "false", ""]])

    def dump(d: object) -> bytes:
        return json.dumps(d, ensure_ascii=False).encode()

    return {"outbox.json": dump(outbox), "actor.json": dump(actor), "likes.json": dump(likes_doc),
            "bookmarks.json": dump(bookmarks), "following_accounts.csv": following,
            "avatar.png": b"\x89PNG\r\n\x1a\nnot-a-real-png",
            "media_attachments/files/110/000/001/original/a1.jpg": b"\xff\xd8\xffnot-real"}


# --------------------------------------------------------------------------- Bluesky

BSKY_ME = "did:plc:juniperhalestudio0001"
BSKY_PEOPLE = [(f"did:plc:{p[0].replace('_', '')[:12]:0<12}ab{k}", f"{p[0].replace('_', '-')}"
                ".bsky.social") for k, p in enumerate(PEOPLE)]


def _cbor(obj: object) -> tuple[bytes, bytes]:
    import libipld

    data = libipld.encode_dag_cbor(obj)
    return bytes([1, 0x71, 0x12, 0x20]) + hashlib.sha256(data).digest(), data


def _varint(n: int) -> bytes:
    out = b""
    while True:
        b, n = n & 0x7F, n >> 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def _tid(t: datetime, k: int) -> str:
    """An atproto record key (TID): base32-sortable microseconds and a clock id."""
    alphabet = "234567abcdefghijklmnopqrstuvwxyz"
    n = (int(t.timestamp() * 1_000_000) << 10) | (k & 1023)
    s = ""
    for _ in range(13):
        s = alphabet[n & 31] + s
        n >>= 5
    return s


def bluesky_records(rng: random.Random) -> list[tuple[str, str, dict]]:
    """(collection, rkey, record) for Juniper's repository."""
    recs: list[tuple[str, str, dict]] = [
        ("app.bsky.actor.profile", "self", {"$type": "app.bsky.actor.profile",
                                            "displayName": "Juniper Hale",
                                            "description": "Textile artist"})]

    def when(t: datetime) -> str:
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"

    for k, (did, _) in enumerate(BSKY_PEOPLE):
        t = START - timedelta(days=40 - k)
        recs.append(("app.bsky.graph.follow", _tid(t, k),
                     {"$type": "app.bsky.graph.follow", "subject": did, "createdAt": when(t)}))
    first_post = None
    for i in range(24):
        t = _ts(rng)
        did, handle = rng.choice(BSKY_PEOPLE)
        rkey = _tid(t, i)
        roll = i % 6
        post: dict = {"$type": "app.bsky.feed.post", "createdAt": when(t), "langs": ["en"]}
        if roll in (0, 1):
            post["text"] = rng.choice(POST_TEXTS).replace("https://t.co/abc123", "").strip()
            first_post = first_post or f"at://{BSKY_ME}/app.bsky.feed.post/{rkey}"
        elif roll == 2:
            parent = f"at://{did}/app.bsky.feed.post/{_tid(t - timedelta(hours=2), 900 + i)}"
            post["text"] = rng.choice(REPLY_TEXTS)
            post["reply"] = {"root": {"uri": parent, "cid": "bafyreib2rxk3rh6kzwq"},
                             "parent": {"uri": parent, "cid": "bafyreib2rxk3rh6kzwq"}}
        elif roll == 3:
            text = f"Weaving notes with @{handle} today ✨"
            start = text.encode().index(b"@")
            post["text"] = text
            post["facets"] = [{"index": {"byteStart": start, "byteEnd": start + 1 + len(handle)},
                               "features": [{"$type": "app.bsky.richtext.facet#mention",
                                             "did": did}]}]
        elif roll == 4:
            post["text"] = "This thread on natural dyes is great"
            post["embed"] = {"$type": "app.bsky.embed.record", "record": {
                "uri": f"at://{did}/app.bsky.feed.post/{_tid(t - timedelta(days=1), 800 + i)}",
                "cid": "bafyreib2rxk3rh6kzwq"}}
        else:
            recs.append(("app.bsky.feed.repost", rkey, {
                "$type": "app.bsky.feed.repost", "createdAt": when(t),
                "subject": {"uri": f"at://{did}/app.bsky.feed.post/{_tid(t, 700 + i)}",
                            "cid": "bafyreib2rxk3rh6kzwq"}}))
            continue
        recs.append(("app.bsky.feed.post", rkey, post))
    if first_post:
        t = START + timedelta(days=2)
        recs.append(("app.bsky.feed.post", _tid(t, 999), {
            "$type": "app.bsky.feed.post", "createdAt": when(t), "text": "Part two: the fringe.",
            "reply": {"root": {"uri": first_post, "cid": "bafyreib2rxk3rh6kzwq"},
                      "parent": {"uri": first_post, "cid": "bafyreib2rxk3rh6kzwq"}}}))
    for k in range(8):
        t = _ts(rng)
        did, _ = BSKY_PEOPLE[k % len(BSKY_PEOPLE)]
        recs.append(("app.bsky.feed.like", _tid(t, 500 + k), {
            "$type": "app.bsky.feed.like", "createdAt": when(t),
            "subject": {"uri": f"at://{did}/app.bsky.feed.post/{_tid(t, 600 + k)}",
                        "cid": "bafyreib2rxk3rh6kzwq"}}))
    return recs


def make_bluesky_car(recs: list[tuple[str, str, dict]]) -> bytes:
    """A repository CAR: header, signed commit, a two-level search tree, the records."""
    import libipld

    blocks: list[tuple[bytes, bytes]] = []
    entries = []
    for collection, rkey, record in sorted(recs, key=lambda r: f"{r[0]}/{r[1]}"):
        cid, data = _cbor(record)
        blocks.append((cid, data))
        entries.append((f"{collection}/{rkey}".encode(), cid))

    def node(items: list[tuple[bytes, bytes]], left: bytes | None) -> dict:
        out, prev = [], b""
        for key, cid in items:
            p = 0
            while p < min(len(prev), len(key)) and prev[p] == key[p]:
                p += 1
            out.append({"p": p, "k": key[p:], "v": cid, "t": None})
            prev = key
        return {"l": left, "e": out}

    half = len(entries) // 2
    left_cid, left_data = _cbor(node(entries[:half], None))
    root_cid, root_data = _cbor(node(entries[half:], left_cid))
    commit = {"did": BSKY_ME, "version": 3, "data": root_cid, "rev": "3lgxyz2abc22k",
              "prev": None, "sig": hashlib.sha512(root_data).digest()}
    commit_cid, commit_data = _cbor(commit)
    header = libipld.encode_dag_cbor({"version": 1, "roots": [commit_cid]})
    out = _varint(len(header)) + header
    for cid, data in [(commit_cid, commit_data), (root_cid, root_data),
                      (left_cid, left_data), *blocks]:
        out += _varint(len(cid) + len(data)) + cid + data
    return out


def make_bluesky_json(recs: list[tuple[str, str, dict]]) -> bytes:
    posts = [r for r in recs if r[0] == "app.bsky.feed.post"]
    records = [{"uri": f"at://{BSKY_ME}/{c}/{k}", "cid": "bafyrei" + hashlib.sha256(
        f"{c}/{k}".encode()).hexdigest()[:52], "value": v} for c, k, v in
        sorted(posts, key=lambda r: r[1], reverse=True)]
    return json.dumps({"records": records, "cursor": records[-1]["uri"].rsplit("/", 1)[1]},
                      indent=2, ensure_ascii=False).encode()


# --------------------------------------------------------------------------- Instagram, Facebook


def _conversation(rng: random.Random, me: str, other: str, n: int, title: str,
                  thread: str) -> dict:
    msgs = []
    for j in range(n):
        t = _ts(rng)
        msgs.append({"sender_name": me if j % 2 else other,
                     "timestamp_ms": int(t.timestamp() * 1000),
                     "content": rng.choice([*DM_TEXTS, "Gràcies! Ça marche 😀"]),
                     "is_geoblocked_for_viewer": False})
    msgs.sort(key=lambda m: m["timestamp_ms"], reverse=True)
    return {"participants": [{"name": other}, {"name": me}], "messages": msgs,
            "title": title, "is_still_participant": True, "thread_path": thread,
            "magic_words": []}


def make_instagram(rng: random.Random) -> dict[str, bytes]:
    def ts() -> int:
        return int(_ts(rng, 400).timestamp()) - 200 * 86400

    names = [p[0].replace("_", ".") for p in PEOPLE] + [f"textile.fan{n}" for n in range(15)]
    followers = [{"title": "", "media_list_data": [], "string_list_data": [
        {"href": f"https://www.instagram.com/{u}", "value": u, "timestamp": ts()}]}
        for u in names[2:]]
    following = {"relationships_following": [{"title": u, "string_list_data": [
        {"href": f"https://www.instagram.com/_u/{u}", "timestamp": ts()}]} for u in names[:6]]}
    convs = {}
    for k, (who, shown) in enumerate([("rosaokafor_1784", "Rosa Okafor"),
                                      ("jose.alvarez_1902", "José Álvarez")]):
        convs[f"your_instagram_activity/messages/inbox/{who}/message_1.json"] = meta_json(
            _conversation(rng, "Juniper Hale", shown, 5 + k, shown,
                          f"inbox/{who}"))
    posts = []
    for i in range(8):
        t = ts()
        caption = rng.choice(POST_TEXTS).replace(" https://t.co/abc123", "") + " 🧶"
        posts.append({"media": [{"uri": f"media/posts/202501/{1000 + i}.jpg",
                                 "creation_timestamp": t, "media_metadata": {},
                                 "title": caption, "cross_post_source": {"source_app": "FB"}}]})
        if i % 3 == 0:  # a carousel: the caption sits on the post
            posts[-1] = {"media": posts[-1]["media"] * 2, "title": caption,
                         "creation_timestamp": t}
    likes = {"likes_media_likes": [{"title": names[k % 7], "string_list_data": [
        {"href": f"https://www.instagram.com/p/C{k}xYz/", "value": "\U0001f44d",
         "timestamp": ts()}]} for k in range(9)]}
    comments = [{"media_list_data": [{"uri": ""}], "string_map_data": {
        "Comment": {"value": rng.choice(REPLY_TEXTS)},
        "Media Owner": {"value": names[k % 7]}, "Time": {"timestamp": ts()}}}
        for k in range(6)]
    personal = {"profile_user": [{"media_map_data": {}, "string_map_data": {
        "Email": {"href": "", "value": "juniper@studio.example", "timestamp": 0},
        "Username": {"href": "", "value": "juniper.hale.studio", "timestamp": 0},
        "Name": {"href": "", "value": "Juniper Hale", "timestamp": 0}}}]}
    return {
        "connections/followers_and_following/followers_1.json": meta_json(followers),
        "connections/followers_and_following/following.json": meta_json(following),
        "your_instagram_activity/content/posts_1.json": meta_json(posts),
        "your_instagram_activity/likes/liked_posts.json": meta_json(likes),
        "your_instagram_activity/comments/post_comments_1.json": meta_json(comments),
        "personal_information/personal_information/personal_information.json":
            meta_json(personal),
        "media/posts/202501/1000.jpg": b"\xff\xd8\xffnot-real",
        **convs,
    }


def make_facebook(rng: random.Random) -> dict[str, bytes]:
    def ts() -> int:
        return int(_ts(rng, 400).timestamp()) - 300 * 86400

    friends = {"friends_v2": [{"name": n, "timestamp": ts()} for n in
                              ["José Álvarez", "Rosa Okafor", "Zoë Brennan", "Kofi Mensah",
                               "Mei Lindqvist", "Björn Ek", "Nadia Haddad"]]}
    convs = {}
    for who, shown in [("josealvarez_10158", "José Álvarez"), ("zoebrennan_20211", "Zoë Brennan")]:
        convs[f"your_facebook_activity/messages/inbox/{who}/message_1.json"] = meta_json(
            _conversation(rng, "Juniper Hale", shown, 6, shown, f"inbox/{who}"))
    group = _conversation(rng, "Juniper Hale", "Nadia Haddad", 4, "Makers' market crew",
                          "inbox/makersmarketcrew_30333")
    group["participants"].append({"name": "Björn Ek"})
    group["messages"][0]["sender_name"] = "Björn Ek"
    convs["your_facebook_activity/messages/inbox/makersmarketcrew_30333/message_1.json"] = \
        meta_json(group)
    posts = [{"timestamp": ts(), "data": [{"post": rng.choice(POST_TEXTS)}],
              "title": "Juniper Hale updated her status."} for _ in range(6)]
    profile = {"profile_v2": {"name": {"full_name": "Juniper Hale", "first_name": "Juniper",
                                       "middle_name": "", "last_name": "Hale"}}}
    return {
        "connections/friends/your_friends.json": meta_json(friends),
        "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json":
            meta_json(posts),
        "personal_information/profile_information/profile_information.json": meta_json(profile),
        **convs,
    }


# --------------------------------------------------------------------------- CSV template


def make_csv_template(rng: random.Random) -> dict[str, bytes]:
    platforms = csv_bytes(["platform", "handle", "followers", "minutes_per_week",
                           "audience_fit", "purpose"],
                          [["newsletter", "Loom Letters", "312", "60", "0.7",
                            "a monthly letter to customers and fans"]])
    people = [("ana", "Ana Silva", "customer"), ("rosa", "Rosa Okafor", "partner"),
              ("bea", "Bea Moreau", "vendor"), ("guild", "Weavers' Guild", "associate")]
    contacts = csv_bytes(["contact_id", "display_name", "role", "first_seen"],
                         [[c, n, r, "2024-06-01T00:00:00+00:00"] for c, n, r in people])
    rows = []
    for i in range(20):
        t = _ts(rng)
        cid, _, _ = people[i % len(people)]
        if i % 5 == 0:
            rows.append([t.isoformat(), "newsletter", "", "out", "post", f"issue-{i}",
                         "Loom Letters: what's on the loom", "True", "False"])
        elif i % 5 in (1, 2):
            rows.append([t.isoformat(), "newsletter", cid, "in", "reply", f"issue-{i - 1}",
                         "Loved this issue!", "False", "False"])
        else:
            kind = ["email", "call", "meeting"][i % 3]
            rows.append([t.isoformat(), "offline", cid, "out" if i % 2 else "in", kind, "",
                         "", "False", "False"])
    interactions = csv_bytes(["timestamp", "platform", "contact_id", "direction", "kind",
                              "thread_id", "text", "has_link", "is_promotional"], rows)
    return {"platforms.csv": platforms, "contacts.csv": contacts,
            "interactions.csv": interactions}


# --------------------------------------------------------------------------- main


def main(out: Path = OUT) -> None:
    sys.path.insert(0, str(ROOT.parent))
    out.mkdir(parents=True, exist_ok=True)
    write_zip(out / "x-archive.zip", make_x(random.Random(1)))
    write_zip(out / "linkedin-export.zip", make_linkedin(random.Random(2)))
    write_tar_gz(out / "mastodon-archive.tar.gz", make_mastodon(random.Random(3)))
    recs = bluesky_records(random.Random(4))
    (out / "bluesky-repo.car").write_bytes(make_bluesky_car(recs))
    (out / "bluesky-listRecords.json").write_bytes(make_bluesky_json(recs))
    write_zip(out / "instagram-export.zip", make_instagram(random.Random(5)))
    write_zip(out / "facebook-export.zip", make_facebook(random.Random(6)))
    folder = out / "csv-template"
    folder.mkdir(exist_ok=True)
    for name, data in make_csv_template(random.Random(7)).items():
        (folder / name).write_bytes(data)
    from thinksmall_kit.importers.csv_template import write_template

    write_template(ROOT / "template")
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"wrote {out} ({total / 1024:.0f} KiB) and {ROOT / 'template'}")


if __name__ == "__main__":
    main()
