"""Make the sample personas in data/personas: seeded, byte-for-byte reproducible.

Run it with the kit's Python (it imports thinksmall_kit)::

    .venv/bin/python data/make_personas.py [--out DIR]

Each persona is a folder ``<name>/`` holding the three tables written by
``Network.to_folder`` (platforms.csv, contacts.csv, interactions.csv.gz), a
``persona.json`` and a ``later/`` folder: the "four weeks later" slice, after the
persona cut down to a few platforms (``platforms.csv`` with the new weekly minutes
and ``interactions.csv.gz`` holding only those four weeks).

Everyone in the data is invented: names are random pairs from two lists of first
names and surnames, handles are made from word lists, links point at ``.example``
domains.

How it works (one mechanism for every persona): a :class:`Persona` spec at the top
says which platforms the persona holds and how they behave there (posts per week,
likes and comments a post gets), how many contacts of each role they have and how
often each role talks with them, before and after cutting down (a
:class:`Behaviour` per period). :func:`simulate` turns a spec and a period into
interactions with vectorised numpy: posts and the likes, comments and shares they
get; conversations (DMs, e-mail threads, calls, meetings) whose messages alternate
direction; a cluster of peers who comment in each other's threads (the echo
chamber); mentions, shares and recommendations.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import string
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from thinksmall_kit.network import OFFLINE, ROLES, Network  # noqa: E402

DAY = 86_400
# Share of activity per hour of the day (UTC; both personas live near UTC):
# quiet nights, a morning peak, a lunch bump and a long evening.
HOURS = np.array([1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2.5, 4, 5, 5, 4.5,
                  5, 4.5, 4, 4, 4, 4.5, 5.5, 6.5, 7, 6, 4, 2])
HOURS = HOURS / HOURS.sum()


# =========================================================================== specs


@dataclasses.dataclass(frozen=True)
class Platform:
    """One account: what the persona reports, and how a post there is received."""

    platform: str
    handle: str
    followers: int
    minutes: float  # minutes per week before cutting down
    fit: float  # audience_fit
    purpose: str
    posts: float  # posts per week before cutting down
    likes: float  # mean likes a post gets
    comments: float  # mean comments a post gets (x3 for a question, /2 for a pitch)
    promo: float  # share of posts that are promotional
    later_minutes: float  # minutes per week after cutting down (0 = cut)
    later_posts: float  # posts per week after cutting down


@dataclasses.dataclass(frozen=True)
class Behaviour:
    """How the persona acts in one period (before or after cutting down)."""

    promo_scale: float  # multiplies each platform's share of promotional posts
    reply_back: float  # chance the persona answers a comment on their post
    conv_scale: float  # multiplies every role's conversation rate
    dm_end: float  # chance a conversation stops after each message (geometric)
    out_first: float  # chance the persona starts a conversation
    first_promo: float  # chance the first message to someone new is a pitch with a link
    dm_promo: float  # chance any other message the persona sends is a pitch
    mentions_in: float  # per week: someone mentions the persona
    shares_out: float  # per week: the persona shares someone's work (giving)
    recommends_out: float  # per week: the persona recommends someone
    recommends_in: float  # per week: someone recommends the persona
    peer_threads: float  # per week: a thread of the peer cluster the persona joins
    reconnect: bool  # reach out once to every quiet strong tie and to dormant followers


@dataclasses.dataclass(frozen=True)
class Persona:
    name: str
    title: str
    description: str
    seed: int
    start: str  # first day of the data
    as_of: str  # last day of the data
    later_end: str  # last day of the "four weeks later" slice
    learner: str  # the persona's own handle, used in texts
    platforms: tuple[Platform, ...]
    roles: dict[str, int]  # contacts per role
    conv_rate: dict[str, float]  # conversations per week per unit of engagement, by role
    offline: dict[str, float]  # share of a role's conversations by e-mail, call or meeting
    offline_kinds: tuple[float, float, float]  # shares of email, call, meeting
    homes: dict[str, dict[str, float]]  # where each role lives ("*" = default)
    dm_platforms: tuple[str, ...]  # platforms where people send direct messages
    main_platform: str  # where conversations go when someone's platform was cut
    peer_cluster: int  # peers in the echo chamber
    peer_platforms: tuple[str, ...]  # where the echo chamber talks
    quiet_ties: int  # strong ties who go quiet
    quiet_rate: float  # conversations per week with each of them while they are active
    dormant: int  # followers with no interaction before as_of (reached in the later slice)
    before: Behaviour
    after: Behaviour
    vocab: dict[str, tuple[str, ...]]
    texts: dict[str, tuple[str, ...]]


def P(*row: object) -> Platform:
    """A short constructor for the platform tables below."""
    return Platform(*row)  # type: ignore[arg-type]


CERAMICS = Persona(
    name="ceramics",
    title="Maren, owner of a one-person ceramics studio",
    description=(
        "Maren throws, glazes and sells mugs, bowls and planters from a small studio "
        "and runs beginner wheel workshops. Told that a maker must be everywhere, she "
        "holds sixteen accounts and spends most of her week cross-posting promotional "
        "posts with shop links. TikTok shows thousands of followers who almost never "
        "answer; a circle of fellow potters comments in each other's threads; a handful "
        "of customers and fans really talk back, and some of her closest ties have gone "
        "quiet. Four weeks later she has cut down to five platforms and talks more than "
        "she broadcasts."
    ),
    seed=20251130,
    start="2024-09-01",
    as_of="2025-11-30",
    later_end="2025-12-28",
    learner="fernbrook.clay",
    platforms=(
        #  platform      handle              followers minutes fit  purpose
        #  posts/wk likes comments promo later_minutes later_posts
        P("instagram", "fernbrook.clay", 3200, 240.0, 0.6,
          "show new work and talk to customers", 5, 46, 1.2, 0.55, 120.0, 3),
        P("facebook", "Fernbrook Clay Studio", 1400, 120.0, 0.3,
          "studio page for local customers", 3, 10, 0.35, 0.6, 45.0, 1),
        P("x", "fernbrookclay", 800, 90.0, 0.05, "because everyone was there",
          4, 1.5, 0.03, 0.7, 0.0, 0),
        P("tiktok", "fernbrook.clay", 9000, 300.0, 0.1,
          "reach new people with throwing videos", 4, 45, 0.03, 0.5, 0.0, 0),
        P("pinterest", "fernbrookclay", 2100, 60.0, 0.15, "pins of finished pieces",
          6, 3, 0.01, 0.8, 0.0, 0),
        P("youtube", "Fernbrook Clay", 650, 180.0, 0.1, "long throwing videos",
          0.5, 12, 0.4, 0.4, 0.0, 0),
        P("linkedin", "Maren Fernbrook", 400, 45.0, 0.05, "find wholesale buyers",
          1, 4, 0.1, 0.8, 0.0, 0),
        P("threads", "fernbrook.clay", 500, 60.0, 0.05, "cross-posting from instagram",
          4, 2, 0.05, 0.6, 0.0, 0),
        P("bluesky", "fernbrook.bsky.example", 300, 30.0, 0.1, "trying it out",
          2, 2, 0.1, 0.6, 0.0, 0),
        P("mastodon", "@fernbrook@craft.example", 150, 20.0, 0.1, "craft community",
          1, 1.5, 0.15, 0.5, 0.0, 0),
        P("etsy", "FernbrookClay", 1100, 150.0, 0.5, "the online shop",
          1, 5, 0.5, 1.0, 120.0, 1),
        P("newsletter", "Fernbrook Letters", 900, 60.0, 0.7, "monthly studio letter",
          0.25, 2, 1.5, 0.5, 60.0, 0.5),
        P("blog", "fernbrookclay.example", 200, 60.0, 0.2, "process notes",
          0.5, 1, 0.2, 0.3, 0.0, 0),
        P("reddit", "u/fernbrook_clay", 40, 45.0, 0.05, "r/Pottery threads",
          1, 3, 0.5, 0.3, 0.0, 0),
        P("snapchat", "fernbrookclay", 120, 30.0, 0.02, "behind the scenes",
          2, 1, 0.02, 0.5, 0.0, 0),
        P("nextdoor", "Maren F.", 260, 20.0, 0.25, "neighbours and open studio days",
          0.5, 2, 0.4, 0.6, 20.0, 0.5),
    ),
    roles={"customer": 180, "fan": 250, "buyer": 40, "supporter": 40, "partner": 10,
           "associate": 20, "vendor": 15, "friend": 25, "peer": 80, "unknown": 340},
    conv_rate={"customer": 0.025, "fan": 0.008, "buyer": 0.04, "supporter": 0.02,
               "partner": 0.05, "associate": 0.02, "vendor": 0.04, "friend": 0.06,
               "peer": 0.015, "unknown": 0.002},
    offline={"customer": 0.05, "fan": 0.0, "buyer": 0.5, "supporter": 0.05, "partner": 0.4,
             "associate": 0.2, "vendor": 0.7, "friend": 0.2, "peer": 0.05, "unknown": 0.0},
    offline_kinds=(0.85, 0.1, 0.05),
    homes={
        "*": {"instagram": 5, "facebook": 2, "etsy": 1},
        "customer": {"instagram": 4, "etsy": 4, "facebook": 2, "newsletter": 2,
                     "nextdoor": 1},
        "fan": {"instagram": 4, "tiktok": 3, "pinterest": 2, "youtube": 1, "threads": 1,
                "newsletter": 1},
        "buyer": {"linkedin": 2, "instagram": 2, "etsy": 1},
        "peer": {"instagram": 5, "reddit": 1, "mastodon": 1, "bluesky": 1},
        "unknown": {"tiktok": 6, "instagram": 2, "x": 2, "threads": 1, "pinterest": 2,
                    "snapchat": 1, "youtube": 1, "bluesky": 1},
    },
    dm_platforms=("instagram", "facebook", "x", "tiktok", "linkedin", "threads",
                  "bluesky", "mastodon", "etsy", "reddit", "snapchat", "nextdoor"),
    main_platform="instagram",
    peer_cluster=24,
    peer_platforms=("instagram", "instagram", "instagram", "reddit"),
    quiet_ties=8,
    quiet_rate=0.7,
    dormant=60,
    before=Behaviour(promo_scale=1.0, reply_back=0.25, conv_scale=1.0, dm_end=0.55,
                     out_first=0.55, first_promo=0.8, dm_promo=0.25, mentions_in=3,
                     shares_out=0.5, recommends_out=0.1, recommends_in=0.3,
                     peer_threads=2.5, reconnect=False),
    after=Behaviour(promo_scale=0.35, reply_back=0.9, conv_scale=1.6, dm_end=0.3,
                    out_first=0.6, first_promo=0.05, dm_promo=0.05, mentions_in=3,
                    shares_out=4, recommends_out=1.5, recommends_in=0.6,
                    peer_threads=0.5, reconnect=True),
    vocab={
        "item": ("mug", "bowl", "planter", "vase", "teapot", "plate", "jug", "bud vase"),
        "glaze": ("celadon", "tenmoku", "shino", "speckled oat", "ash", "cobalt",
                  "rust red", "moss green"),
        "link": ("https://shop.fernbrookclay.example/new", "https://shop.fernbrookclay.example/sale",
                 "https://fernbrookclay.example/workshops",
                 "https://shop.fernbrookclay.example/seconds",
                 "https://fernbrookclay.example/letter"),
        "n": ("3", "5", "8", "12"),
        "pct": ("10", "15", "20", "25"),
        "workshop": ("wheel taster", "glaze day", "hand-building", "date-night wheel"),
        "activity": ("trimming feet", "wedging clay", "loading the kiln", "mixing glazes",
                     "pulling handles", "sorting seconds"),
        "city": ("Leeds", "Bristol", "Dublin", "Glasgow", "Cardiff", "Lyon", "Utrecht"),
        "thing": ("new collection", "kiln opening", "studio tour", "market stall",
                  "glaze tests", "first solo show"),
        "service": ("kiln repairs", "clay delivery", "product photos", "a stall at the market"),
        "learner": ("@fernbrook.clay",),
    },
    texts={
        "post_promo": (
            "New {item} batch is live in the shop! {link}",
            "Only {n} {glaze} {item}s left - grab yours: {link}",
            "Weekend sale: {pct}% off every {item} {link}",
            "Booking now: {workshop} workshop, {n} seats left {link}",
            "Gift season is here. Handmade {item}s ship today {link}",
        ),
        "post_plain": (
            "Fresh out of the kiln: {glaze} {item}s.",
            "Studio morning: {activity}.",
            "Which glaze should the next {item}s get, {glaze} or {glaze}?",
            "What do you keep in your favourite {item}?",
            "A quiet day of {activity}.",
            "Tried {glaze} over {glaze} today. Thoughts?",
        ),
        "comment_in": (
            "Love the {glaze}!", "Do you ship to {city}?", "How much is the {item}?",
            "This is gorgeous", "Is the {workshop} workshop ok for beginners?",
            "My {item} from you is still my favourite", "{glaze} please!",
        ),
        "reply_out": (
            "Thank you, {first}!", "Yes, I ship to {city}.", "So glad you like it, {first}",
            "Good question - the {workshop} workshop is made for beginners.",
            "It is in the shop here: {link}",
        ),
        "reply_in": ("Thanks!", "Perfect, ordering now", "Can't wait", "See you there"),
        "dm_promo": (
            "Hi {first}! My new {item}s are in the shop: {link}",
            "Hi {first}, {pct}% off everything this weekend {link}",
            "Hey {first}, would you like a seat at my {workshop} workshop? {link}",
        ),
        "dm_out": (
            "Hi {first}, how did the {thing} go?", "Congrats on the {thing}, {first}!",
            "Thanks so much for the kind words, {first}.",
            "Your {item} is packed and goes out tomorrow.",
            "Would you like a coffee at the studio next week?",
            "How is the {item} holding up?", "Saw your {thing} - wonderful work.",
        ),
        "dm_in": (
            "Hi! Is the {glaze} {item} still available?", "Do you do commissions?",
            "Thank you, the {item} arrived safely", "Can I book two seats for the {workshop}?",
            "Loved the {workshop} workshop!", "Are you at the {city} market this year?",
            "Quick question about {glaze} glazes", "Thanks for thinking of me!",
        ),
        "peer_out": ("Gorgeous {glaze}, what cone?", "Those {item}s!",
                     "So good to see your {thing}", "That {glaze} is dreamy"),
        "peer_in": ("Agreed, stunning", "Same question!", "Love this community",
                    "{glaze} forever", "Cone 6 here too", "Beautiful work all round"),
        "mention_in": ("Picked up this {item} from {learner} today",
                       "Morning coffee in my {learner} {item}",
                       "Great {workshop} workshop with {learner}"),
        "mention_out": ("Thank you {first} for the photos",),
        "share_out": ("Sharing {first}'s {thing} - worth a look",
                      "Go and see {first}'s {thing}"),
        "recommend_out": ("If you need {service}, ask {first}",
                          "{first} is the person for {service}"),
        "recommend_in": ("Recommend {learner}'s {item}s to anyone",
                         "{learner} runs the best {workshop} workshop"),
        "call": ("Call about the {item} order", "Call with {first} about {service}"),
        "meeting": ("Studio visit with {first}", "Coffee with {first}"),
    },
)


ORGANISER = Persona(
    name="organiser",
    title="Jonah, community organiser and freelance consultant",
    description=(
        "Jonah organises a neighbourhood food co-op and earns a living advising small "
        "charities. He holds thirteen accounts but really works on a few: long e-mail "
        "threads, calls and meetings with partners and supporters, DMs that get answered. "
        "X swallows hours a week for little conversation, some accounts lie dormant, and "
        "a few close partners have slipped out of touch. Four weeks later he has dropped "
        "the time sink and reconnected with them."
    ),
    seed=20251201,
    start="2024-11-01",
    as_of="2025-11-30",
    later_end="2025-12-28",
    learner="jonah.organises",
    platforms=(
        P("linkedin", "Jonah Marlowe", 2400, 90.0, 0.5, "clients and funders",
          2, 16, 1.0, 0.3, 60.0, 1.5),
        P("x", "jonahorganises", 5200, 300.0, 0.1, "keep up with the news",
          8, 5, 0.05, 0.3, 0.0, 0),
        P("mastodon", "@jonah@civic.example", 700, 45.0, 0.3, "civic tech crowd",
          3, 4, 0.6, 0.1, 30.0, 2),
        P("bluesky", "jonah.bsky.example", 900, 60.0, 0.2, "in case everyone moves",
          2, 5, 0.3, 0.2, 0.0, 0),
        P("facebook", "Jonah Marlowe", 600, 60.0, 0.4, "co-op group",
          1, 4, 0.8, 0.2, 30.0, 1),
        P("instagram", "jonah.organises", 450, 30.0, 0.1, "photos of events",
          0.5, 6, 0.2, 0.2, 0.0, 0),
        P("newsletter", "Common Table", 1300, 90.0, 0.6, "monthly co-op letter",
          0.25, 0, 2.0, 0.3, 90.0, 0.25),
        P("whatsapp", "Jonah", 180, 60.0, 0.6, "co-op volunteers", 0, 0, 0, 0, 60.0, 0),
        P("youtube", "Common Table", 120, 10.0, 0.02, "meeting recordings",
          0.05, 3, 0.1, 0.0, 0.0, 0),
        P("tiktok", "jonah.organises", 80, 5.0, 0.0, "never really started",
          0, 0, 0, 0, 0.0, 0),
        P("threads", "jonah.organises", 200, 10.0, 0.05, "cross-posting",
          0.2, 2, 0.1, 0.2, 0.0, 0),
        P("meetup", "Common Table Co-op", 340, 30.0, 0.5, "events",
          0.3, 5, 1.0, 0.1, 30.0, 0.3),
        P("blog", "jonahmarlowe.example", 150, 20.0, 0.2, "essays",
          0.25, 2, 0.5, 0.2, 0.0, 0),
    ),
    roles={"supporter": 90, "partner": 40, "associate": 70, "vendor": 15, "friend": 35,
           "peer": 40, "customer": 30, "fan": 20, "buyer": 10, "unknown": 100},
    conv_rate={"customer": 0.1, "fan": 0.03, "buyer": 0.07, "supporter": 0.08,
               "partner": 0.2, "associate": 0.1, "vendor": 0.08, "friend": 0.15,
               "peer": 0.07, "unknown": 0.005},
    offline={"customer": 0.6, "fan": 0.1, "buyer": 0.6, "supporter": 0.4, "partner": 0.65,
             "associate": 0.5, "vendor": 0.7, "friend": 0.5, "peer": 0.3, "unknown": 0.1},
    offline_kinds=(0.6, 0.25, 0.15),
    homes={
        "*": {"linkedin": 3, "whatsapp": 2, "mastodon": 2, "facebook": 2},
        "supporter": {"facebook": 3, "whatsapp": 3, "newsletter": 2, "meetup": 2,
                      "instagram": 1},
        "customer": {"linkedin": 5, "newsletter": 1},
        "peer": {"mastodon": 3, "linkedin": 2, "bluesky": 1, "x": 1},
        "unknown": {"x": 6, "bluesky": 2, "linkedin": 1, "threads": 1, "youtube": 1,
                    "instagram": 1},
        "fan": {"x": 2, "mastodon": 2, "newsletter": 2, "blog": 1},
    },
    dm_platforms=("linkedin", "x", "mastodon", "bluesky", "facebook", "instagram",
                  "whatsapp", "meetup", "threads"),
    main_platform="linkedin",
    peer_cluster=0,
    peer_platforms=("mastodon",),
    quiet_ties=6,
    quiet_rate=0.6,
    dormant=25,
    before=Behaviour(promo_scale=1.0, reply_back=0.7, conv_scale=1.0, dm_end=0.3,
                     out_first=0.5, first_promo=0.15, dm_promo=0.05, mentions_in=2,
                     shares_out=2, recommends_out=0.5, recommends_in=0.3,
                     peer_threads=0, reconnect=False),
    after=Behaviour(promo_scale=0.5, reply_back=0.9, conv_scale=1.3, dm_end=0.25,
                    out_first=0.6, first_promo=0.0, dm_promo=0.02, mentions_in=2,
                    shares_out=3, recommends_out=1, recommends_in=0.5,
                    peer_threads=0, reconnect=True),
    vocab={
        "topic": ("the winter food drive", "the grant report", "volunteer rota",
                  "the board meeting", "the strategy day", "the community fridge",
                  "the budget", "the new member evening"),
        "link": ("https://commontable.example/join", "https://jonahmarlowe.example/services",
                 "https://commontable.example/donate", "https://jonahmarlowe.example/workshop"),
        "n": ("3", "4", "6", "10"),
        "city": ("Leeds", "Bristol", "Dublin", "Glasgow", "Cardiff"),
        "thing": ("funding win", "new project", "report", "talk", "event", "pilot"),
        "service": ("event catering", "grant writing", "printing", "a venue", "bookkeeping"),
        "learner": ("@jonah.organises",),
        "item": ("workshop", "toolkit", "guide"),
    },
    texts={
        "post_promo": (
            "I have {n} consulting slots open next month: {link}",
            "New {item} for small charities: {link}",
            "Support the co-op: {link}",
        ),
        "post_plain": (
            "What made your last volunteer evening work?",
            "Notes from {topic}.",
            "Thank you to everyone who came to {topic}.",
            "How do you keep volunteers coming back?",
            "Small wins this week: {topic}.",
        ),
        "comment_in": ("Great point", "We found the same in {city}", "Can you share the notes?",
                       "Count me in for {topic}", "How did you fund it?"),
        "reply_out": ("Thanks {first}, will send them over", "Good question, {first}",
                      "Yes - let's talk about {topic}", "Here they are: {link}"),
        "reply_in": ("Thanks!", "Brilliant", "Will do"),
        "dm_promo": ("Hi {first}, I now offer {service} support: {link}",
                     "Hi {first}, would your team like my {item}? {link}"),
        "dm_out": ("Hi {first}, how did {topic} go?", "Congrats on the {thing}, {first}!",
                   "Can we find an hour for {topic}?", "Thanks for your help with {topic}",
                   "Are you free for a call this week?", "Sending the notes from {topic}",
                   "Who should I ask about {service}?"),
        "dm_in": ("Can you help with {topic}?", "Thanks for the intro!",
                  "Are you coming to {topic}?", "Quick question about {service}",
                  "Loved your {item}", "Could we move our call?", "Here are my notes"),
        "peer_out": ("Nice work",),
        "peer_in": ("Agreed",),
        "mention_in": ("Great session on {topic} with {learner}",
                       "Thanks {learner} for the {item}"),
        "mention_out": ("Thanks {first} for {topic}",),
        "share_out": ("Sharing {first}'s {thing} - read it",
                      "{first}'s {thing} is worth your time"),
        "recommend_out": ("If you need {service}, ask {first}",
                          "{first} is brilliant at {service}"),
        "recommend_in": ("{learner} helped us with {topic}, recommended",
                         "Hire {learner} for your next strategy day"),
        "call": ("Call about {topic}", "Call with {first}: {topic}"),
        "meeting": ("Meeting with {first} about {topic}", "Coffee with {first}"),
    },
)

PERSONAS: tuple[Persona, ...] = (CERAMICS, ORGANISER)

FIRST_NAMES = (
    "Ada", "Bea", "Cal", "Dara", "Eli", "Fen", "Gus", "Hana", "Ivo", "Jude", "Kit", "Lena",
    "Milo", "Nell", "Otto", "Pia", "Quin", "Rosa", "Sami", "Tess", "Uma", "Vic", "Wren",
    "Xan", "Yara", "Zeb", "Anouk", "Bram", "Cleo", "Dev", "Edie", "Finn", "Greta", "Hugo",
    "Iris", "Jory", "Kaia", "Lars", "Mina", "Noor", "Orla", "Pip", "Rafe", "Sia", "Tobi",
    "Una", "Vera", "Wim", "Yoni", "Zara", "Alba", "Bo", "Cyrus", "Della", "Emre", "Flo",
)
SURNAMES = (
    "Ashdown", "Brackley", "Corriber", "Dunmore", "Elsworth", "Fallowby", "Greyling",
    "Hartwell", "Inchley", "Jessamy", "Kettleby", "Larkspur", "Merrow", "Netherby",
    "Oakhurst", "Pennick", "Quarrendon", "Rookwood", "Saltmarsh", "Thistlewood",
    "Umberley", "Vantreck", "Wexcombe", "Yarrowby", "Zennor", "Alderbrook", "Bellweather",
    "Cobbold", "Drayfield", "Emberton", "Fernsby", "Gildersome", "Holloway", "Ivesley",
    "Juniper", "Kestrel", "Lowther", "Millbeck", "Norcott", "Ormsby", "Pellow",
)
HANDLE_WORDS = (
    ("mossy", "quiet", "little", "sunny", "wild", "sleepy", "brave", "rusty", "misty",
     "lucky", "happy", "salty", "velvet", "amber", "cosy"),
    ("teapot", "fox", "heron", "kettle", "otter", "lantern", "pebble", "sparrow", "clover",
     "meadow", "badger", "thimble", "acorn", "puffin", "willow"),
)


# =========================================================================== helpers


def secs(day: str) -> int:
    """Seconds since the epoch at midnight UTC of an ISO day."""
    return int(pd.Timestamp(day, tz="UTC").timestamp())


def rhythm_times(rng: np.random.RandomState, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Random times in [lo, hi) (seconds), on a random day, at a daytime-heavy hour."""
    lo = np.asarray(lo, dtype=np.int64)
    hi = np.asarray(hi, dtype=np.int64)
    days = np.maximum((hi - lo) // DAY, 1)
    day = (rng.random_sample(lo.shape) * days).astype(np.int64)
    hour = rng.choice(24, size=lo.shape, p=HOURS)
    return lo - lo % DAY + day * DAY + hour * 3600 + rng.randint(0, 3600, size=lo.shape)


def after(rng: np.random.RandomState, t: np.ndarray, mean_hours: float) -> np.ndarray:
    """Times of answers to events at ``t``: an exponential wait with the given mean.

    A quick answer (under two hours) comes that long after; a slower one comes on the
    day the wait ends, at an hour drawn from the daily rhythm (and never before ``t``).
    """
    t = np.asarray(t, dtype=np.int64)
    wait = 60 + rng.exponential(mean_hours * 3600, size=t.shape).astype(np.int64)
    hour = rng.choice(24, size=t.shape, p=HOURS)
    later = t + wait
    snapped = later - later % DAY + hour * 3600 + rng.randint(0, 3600, size=t.shape)
    snapped = np.where(snapped <= t, snapped + DAY, snapped)
    return np.where(wait < 2 * 3600, later, snapped)


FORMATTER = string.Formatter()


def fill(rng: np.random.RandomState, templates: tuple[str, ...], vocab: dict,
         first: np.ndarray) -> np.ndarray:
    """One text per row: a random template with its blanks filled from ``vocab``.

    ``first`` holds the other person's first name for each row (the ``{first}`` blank).
    """
    n = len(first)
    choice = rng.randint(len(templates), size=n)
    out = np.empty(n, dtype=object)
    for t, template in enumerate(templates):  # a handful of templates, vectorised rows
        rows = np.flatnonzero(choice == t)
        text = np.full(rows.size, "", dtype=object)
        for literal, field, _, _ in FORMATTER.parse(template):
            text = text + literal
            if field is None:
                continue
            if field == "first":
                words = first[rows]
            else:
                options = np.asarray(vocab[field], dtype=object)
                words = options[rng.randint(len(options), size=rows.size)]
            text = text + words
        out[rows] = text
    return out


def events(t, platform, contact, direction, kind, thread=None, text=None,
           link=False, promo=False) -> pd.DataFrame:
    """A block of interactions; scalars are repeated to the length of ``t``."""
    n = len(t)

    def col(value, dtype=object):
        if value is None:
            return np.full(n, None, dtype=object)
        if np.ndim(value) == 0:
            return np.full(n, value, dtype=dtype)
        return np.asarray(value, dtype=dtype)

    return pd.DataFrame({
        "t": col(t, np.int64), "platform": col(platform), "contact": col(contact, np.int64),
        "direction": col(direction), "kind": col(kind), "thread_id": col(thread),
        "text": col(text), "has_link": col(link, bool), "is_promotional": col(promo, bool),
    })


def ids(prefix: str, numbers: np.ndarray) -> np.ndarray:
    """Thread ids such as ``instagram:post:00012``."""
    return np.char.add(prefix, np.char.zfill(numbers.astype(str), 5)).astype(object)


def link_flags(text: np.ndarray) -> np.ndarray:
    return pd.Series(text, dtype=object).str.contains("https://", regex=False).to_numpy(bool)


# =========================================================================== contacts


def make_contacts(spec: Persona, rng: np.random.RandomState) -> pd.DataFrame:
    """Invented contacts with a role, a home platform, an engagement and an active window.

    Columns beyond the canonical ones (used only while generating): ``home``,
    ``engagement``, ``start``/``stop`` (seconds; interactions happen only between),
    ``first`` (first name), ``cluster`` (in the peer echo chamber), ``quiet`` (a strong
    tie who goes quiet) and ``dormant`` (follows, but no interaction before as_of).
    """
    roles = np.repeat(np.array(list(spec.roles), dtype=object), list(spec.roles.values()))
    n = len(roles)
    start, as_of = secs(spec.start), secs(spec.as_of) + DAY

    # Names: unique pairs of a first name and a surname; unknowns get a handle.
    pairs = rng.choice(len(FIRST_NAMES) * len(SURNAMES), size=n, replace=False)
    first = np.asarray(FIRST_NAMES, dtype=object)[pairs // len(SURNAMES)]
    last = np.asarray(SURNAMES, dtype=object)[pairs % len(SURNAMES)]
    display = first + " " + last
    cid = np.char.lower((first + "_" + last).astype(str)).astype(object)
    adjectives, nouns = HANDLE_WORDS
    combos = rng.choice(len(adjectives) * len(nouns) * 90, size=n, replace=False)
    handle = (np.asarray(adjectives, dtype=object)[combos % len(adjectives)]
              + np.asarray(nouns, dtype=object)[(combos // len(adjectives)) % len(nouns)]
              + (10 + combos // (len(adjectives) * len(nouns))).astype(str).astype(object))
    unknown = roles == "unknown"
    cid = np.where(unknown, handle, cid)
    display = np.where(unknown, handle, display)
    first = np.where(unknown, handle, first)

    # Where each contact lives: a platform drawn from their role's preferences.
    home = np.empty(n, dtype=object)
    for role in spec.roles:  # ten roles
        prefs = spec.homes.get(role, spec.homes["*"])
        names = np.array(list(prefs), dtype=object)
        weights = np.array(list(prefs.values()), dtype=float)
        rows = np.flatnonzero(roles == role)
        home[rows] = names[rng.choice(len(names), size=rows.size, p=weights / weights.sum())]

    engagement = rng.lognormal(0.0, 0.9, size=n)
    # Active window: some were there before the data starts, the rest arrive over time.
    before = rng.random_sample(n) < 0.45
    arrive = start + (rng.random_sample(n) * (as_of - 21 * DAY - start)).astype(np.int64)
    begin = np.where(before, start, arrive)
    first_seen = np.where(before, start - (rng.random_sample(n) * 1000 * DAY).astype(np.int64),
                          arrive - (rng.random_sample(n) * 3 * DAY).astype(np.int64))
    stop = np.full(n, np.iinfo(np.int64).max // 2, dtype=np.int64)

    # The echo chamber: the first peers, all there from the start, on the peer platforms.
    cluster = np.zeros(n, dtype=bool)
    peers = np.flatnonzero(roles == "peer")[: spec.peer_cluster]
    cluster[peers] = True
    begin[peers] = start
    first_seen[peers] = np.minimum(first_seen[peers], start)
    engagement[peers] = np.maximum(engagement[peers], 1.0)

    # Strong ties who go quiet: high engagement, present from the start, silent for the
    # last two to four months before as_of.
    tribe = np.flatnonzero(np.isin(roles, ["customer", "friend", "partner", "supporter",
                                           "associate", "buyer"]))
    quiet_rows = rng.choice(tribe, size=spec.quiet_ties, replace=False)
    quiet = np.zeros(n, dtype=bool)
    quiet[quiet_rows] = True
    engagement[quiet_rows] = 2.0 + rng.random_sample(spec.quiet_ties)
    begin[quiet_rows] = start
    first_seen[quiet_rows] = start - (rng.random_sample(spec.quiet_ties) * 900 * DAY).astype(
        np.int64)
    early, late = start + int(0.6 * (as_of - start)), as_of - 75 * DAY
    stop[quiet_rows] = early + (rng.random_sample(spec.quiet_ties) * (late - early)).astype(
        np.int64)

    # Dormant followers: met before as_of, no interaction until the later slice.
    candidates = np.flatnonzero(~cluster & ~quiet & np.isin(roles, ["fan", "customer",
                                                                    "supporter", "unknown"]))
    dormant = np.zeros(n, dtype=bool)
    dormant[rng.choice(candidates, size=spec.dormant, replace=False)] = True

    return pd.DataFrame({
        "contact_id": cid, "display_name": display, "role": roles, "first_seen": first_seen,
        "home": home, "engagement": engagement, "start": begin, "stop": stop,
        "first": first, "cluster": cluster, "quiet": quiet, "dormant": dormant,
    })


# =========================================================================== simulation


def simulate(spec: Persona, people: pd.DataFrame, rng: np.random.RandomState,
             lo: int, hi: int, later: bool, serial: int) -> pd.DataFrame:
    """All interactions in [lo, hi) seconds for one period (before or after cutting down).

    ``serial`` offsets the numbers in thread ids so the two periods never share one.
    """
    act = spec.after if later else spec.before
    weeks = (hi - lo) / (7 * DAY)
    n = len(people)
    roles = people["role"].to_numpy()
    first = people["first"].to_numpy()
    kept = {p.platform for p in spec.platforms if p.later_minutes > 0}

    # Where each contact is reached in this period (cut platforms move to the main one).
    home = people["home"].to_numpy().copy()
    if later:
        home[~np.isin(home, list(kept))] = spec.main_platform
    # Dormant followers take part only after cutting down (the persona reaches out).
    eligible = np.ones(n, dtype=bool) if later else ~people["dormant"].to_numpy()
    engagement = people["engagement"].to_numpy() * eligible
    blocks: list[pd.DataFrame] = []

    def pick(weights: np.ndarray, size: int) -> np.ndarray:
        return rng.choice(n, size=size, p=weights / weights.sum())

    def texts(kind: str, who: np.ndarray) -> np.ndarray:
        return fill(rng, spec.texts[kind], spec.vocab, first[who])

    # ---- posts and what they get back ------------------------------------------
    for k, p in enumerate(spec.platforms):  # a dozen platforms
        rate = p.later_posts if later else p.posts
        count = rng.poisson(rate * weeks)
        if count == 0:
            continue
        t = rhythm_times(rng, np.full(count, lo), np.full(count, hi))
        promo = rng.random_sample(count) < min(1.0, p.promo * act.promo_scale)
        text = np.where(promo, fill(rng, spec.texts["post_promo"], spec.vocab,
                                    np.full(count, "", dtype=object)),
                        fill(rng, spec.texts["post_plain"], spec.vocab,
                             np.full(count, "", dtype=object)))
        question = pd.Series(text, dtype=object).str.contains("?", regex=False).to_numpy()
        thread = ids(f"{p.platform}:post:", serial + 10_000 * k + np.arange(count))
        blocks.append(events(t, p.platform, -1, "out", "post", thread, text,
                             link_flags(text), promo))

        present = (home == p.platform) | (rng.random_sample(n) < 0.08)
        weights = engagement * present
        weights = weights * np.where(people["cluster"].to_numpy(), 3.0, 1.0)
        if weights.sum() == 0:
            continue
        # Likes (and a few shares) from whoever is there.
        likes = rng.poisson(p.likes, size=count)
        post = np.repeat(np.arange(count), likes)
        who = pick(weights, post.size)
        kind = np.where(rng.random_sample(post.size) < 0.04, "share", "like")
        blocks.append(events(after(rng, t[post], 8), p.platform, who, "in",
                             kind, thread[post]))
        # Comments: questions draw three times as many, pitches half.
        lam = p.comments * np.where(question, 3.0, 1.0) * np.where(promo, 0.5, 1.0)
        comments = rng.poisson(lam)
        post = np.repeat(np.arange(count), comments)
        who = pick(weights * np.isin(roles, ["unknown"], invert=True), post.size)
        tc = after(rng, t[post], 10)
        blocks.append(events(tc, p.platform, who, "in", "comment", thread[post],
                             texts("comment_in", who)))
        # The persona answers some comments; some of those answer back.
        back = rng.random_sample(post.size) < act.reply_back
        tr = after(rng, tc[back], 6)
        text = texts("reply_out", who[back])
        blocks.append(events(tr, p.platform, who[back], "out", "reply", thread[post][back],
                             text, link_flags(text), link_flags(text)))
        again = rng.random_sample(tr.size) < 0.35
        blocks.append(events(after(rng, tr[again], 8), p.platform,
                             who[back][again], "in", "reply", thread[post][back][again],
                             texts("reply_in", who[back][again])))

    # ---- conversations: DMs, e-mail threads, calls, meetings -------------------
    rate = np.array([spec.conv_rate[r] for r in roles]) * engagement
    rate = np.where(people["quiet"].to_numpy(), spec.quiet_rate, rate) * act.conv_scale
    begin = np.maximum(people["start"].to_numpy(), lo)
    end = np.minimum(people["stop"].to_numpy(), hi)
    span_weeks = np.clip((end - begin) / (7 * DAY), 0, None)
    convs = rng.poisson(rate * span_weeks)
    who = np.repeat(np.arange(n), convs)
    start = rhythm_times(rng, begin[who], np.maximum(end[who], begin[who] + DAY))
    out_first = rng.random_sample(who.size) < act.out_first
    if act.reconnect:  # one message to every quiet strong tie and dormant follower
        extra = np.flatnonzero(people["quiet"].to_numpy() | people["dormant"].to_numpy())
        who = np.concatenate([who, extra])
        start = np.concatenate([start, rhythm_times(rng, np.full(extra.size, lo),
                                                    np.full(extra.size, hi - 5 * DAY))])
        out_first = np.concatenate([out_first, np.ones(extra.size, dtype=bool)])
    m = who.size
    offline_share = np.array([spec.offline[r] for r in roles])[who]
    offline = rng.random_sample(m) < offline_share
    channel = np.where(offline, rng.choice(np.array(["email", "call", "meeting"], dtype=object),
                                           size=m, p=spec.offline_kinds), "dm")
    dm_home = home[who]
    dm_home = np.where(np.isin(dm_home, list(spec.dm_platforms)), dm_home, spec.main_platform)
    platform = np.where(offline, OFFLINE, dm_home)
    length = np.where(np.isin(channel, ["call", "meeting"]), 1, rng.geometric(act.dm_end, m))
    length = np.minimum(length, 12)
    conv = np.repeat(np.arange(m), length)
    offsets = np.cumsum(length) - length
    step = np.arange(conv.size) - offsets[conv]
    gap = 60 + rng.exponential(14 * 3600, size=conv.size).astype(np.int64)
    gap[step == 0] = 0
    total = np.cumsum(gap)
    t = start[conv] + total - total[offsets][conv]
    # Answers that take hours land at an hour of the daily rhythm on the day they arrive;
    # sorting within each conversation keeps its messages in order.
    hour = rng.choice(24, size=conv.size, p=HOURS)
    snapped = t - t % DAY + hour * 3600 + rng.randint(0, 3600, size=conv.size)
    t = np.where((step > 0) & (gap >= 2 * 3600), np.maximum(snapped, start[conv] + 60), t)
    t = t[np.lexsort((t, conv))]
    outward = out_first[conv] ^ (step % 2 == 1)
    # The first conversation with each contact in this period, if the persona opens it.
    order = np.argsort(start, kind="stable")
    first_conv = np.zeros(m, dtype=bool)
    first_conv[order[np.unique(who[order], return_index=True)[1]]] = True
    is_first_message = first_conv[conv] & (step == 0) & outward
    pitch = is_first_message & (rng.random_sample(conv.size) < act.first_promo)
    pitch |= outward & ~is_first_message & (rng.random_sample(conv.size) < act.dm_promo)
    pitch &= channel[conv] != "call"
    pitch &= channel[conv] != "meeting"
    person = who[conv]
    kinds = channel[conv]
    text = np.where(outward, texts("dm_out", person), texts("dm_in", person))
    text = np.where(pitch, texts("dm_promo", person), text)
    text = np.where(kinds == "call", texts("call", person), text)
    text = np.where(kinds == "meeting", texts("meeting", person), text)
    prefix = np.where(kinds == "dm", "dm:", np.where(kinds == "email", "mail:", ""))
    thread = np.where(np.isin(kinds, ["dm", "email"]),
                      prefix + ids("", serial + conv).astype(str), None)
    blocks.append(events(t, platform[conv], person, np.where(outward, "out", "in"), kinds,
                         thread, text, link_flags(text), pitch))

    # ---- the echo chamber: peers commenting in each other's threads ------------
    cluster = np.flatnonzero(people["cluster"].to_numpy())
    count = rng.poisson(act.peer_threads * weeks) if cluster.size else 0
    if count:
        t = rhythm_times(rng, np.full(count, lo), np.full(count, hi))
        where = np.asarray(spec.peer_platforms, dtype=object)[
            rng.randint(len(spec.peer_platforms), size=count)]
        if later:
            where[~np.isin(where, list(kept))] = spec.main_platform
        author = cluster[rng.randint(cluster.size, size=count)]
        thread = ids("peer:", serial + np.arange(count))
        tc = after(rng, t, 3)
        blocks.append(events(tc, where, author, "out", "comment", thread,
                             texts("peer_out", author)))
        answer = rng.random_sample(count) < 0.7
        blocks.append(events(after(rng, tc[answer], 5), where[answer],
                             author[answer], "in", "reply", thread[answer],
                             texts("peer_in", author[answer])))
        joins = rng.random_sample((count, cluster.size)) < 0.35
        post, member = np.nonzero(joins)
        others = cluster[member]
        keep = others != author[post]
        post, others = post[keep], others[keep]
        tj = after(rng, tc[post], 8)
        kind = np.where(rng.random_sample(post.size) < 0.6, "comment", "like")
        text = np.where(kind == "comment", texts("peer_in", others), None)
        blocks.append(events(tj, where[post], others, "in", kind, thread[post], text))
        back = (kind == "comment") & (rng.random_sample(post.size) < 0.3)
        blocks.append(events(after(rng, tj[back], 6), where[post][back],
                             others[back], "out", "reply", thread[post][back],
                             texts("peer_out", others[back])))

    # ---- mentions, shares and recommendations ----------------------------------
    social = np.where(np.isin(home, [p.platform for p in spec.platforms
                                     if p.platform not in ("newsletter", "blog")]),
                      home, spec.main_platform)
    tribe_weights = engagement * ~np.isin(roles, ["unknown"])
    for kind, direction, per_week, template in (
            ("mention", "in", act.mentions_in, "mention_in"),
            ("mention", "out", act.shares_out / 2, "mention_out"),
            ("share", "out", act.shares_out, "share_out"),
            ("recommend", "out", act.recommends_out, "recommend_out"),
            ("recommend", "in", act.recommends_in, "recommend_in")):
        count = rng.poisson(per_week * weeks)
        if count == 0 or tribe_weights.sum() == 0:
            continue
        who = pick(tribe_weights, count)
        t = rhythm_times(rng, np.full(count, lo), np.full(count, hi))
        blocks.append(events(t, social[who], who, direction, kind, None,
                             texts(template, who)))

    out = pd.concat(blocks, ignore_index=True)
    # Nothing outside the period, and nobody before they arrived or after they went quiet.
    person = out["contact"].to_numpy()
    known = person >= 0
    safe = np.where(known, person, 0)
    inside = (out["t"].to_numpy() >= lo) & (out["t"].to_numpy() < hi)
    if later:
        window = np.ones(len(out), dtype=bool)
    else:
        window = ~known | ((out["t"].to_numpy() >= people["start"].to_numpy()[safe])
                           & (out["t"].to_numpy() < people["stop"].to_numpy()[safe]))
    # In the later slice, nothing happens on a platform that was cut.
    if later:
        window &= np.isin(out["platform"].to_numpy(), [*kept, OFFLINE])
    return out[inside & window].reset_index(drop=True)


def to_network(spec: Persona, people: pd.DataFrame, raw: pd.DataFrame,
               later: bool) -> Network:
    """The canonical Network of one period."""
    minutes = "later_minutes" if later else "minutes"
    platforms = pd.DataFrame({
        "platform": [p.platform for p in spec.platforms],
        "handle": [p.handle for p in spec.platforms],
        "followers": [p.followers for p in spec.platforms],
        "minutes_per_week": [float(getattr(p, minutes)) for p in spec.platforms],
        "audience_fit": [p.fit for p in spec.platforms],
        "purpose": [p.purpose for p in spec.platforms],
    })
    contacts = pd.DataFrame({
        "contact_id": people["contact_id"],
        "display_name": people["display_name"],
        "role": people["role"],
        "first_seen": pd.to_datetime(people["first_seen"], unit="s", utc=True),
    })
    cid = people["contact_id"].to_numpy()
    person = raw["contact"].to_numpy()
    # Sort by time, then by every other column, so equal timestamps have a fixed order.
    raw = raw.assign(contact_id=np.where(person >= 0, cid[np.maximum(person, 0)], None))
    raw = raw.sort_values(["t", "platform", "kind", "direction", "contact"], kind="stable")
    interactions = pd.DataFrame({
        "timestamp": pd.to_datetime(raw["t"].to_numpy(), unit="s", utc=True),
        "platform": raw["platform"].to_numpy(),
        "contact_id": raw["contact_id"].to_numpy(),
        "direction": raw["direction"].to_numpy(),
        "kind": raw["kind"].to_numpy(),
        "thread_id": raw["thread_id"].to_numpy(),
        "text": raw["text"].to_numpy(),
        "has_link": raw["has_link"].to_numpy(),
        "is_promotional": raw["is_promotional"].to_numpy(),
    })
    return Network(platforms=platforms, contacts=contacts, interactions=interactions)


def build(spec: Persona) -> tuple[Network, Network]:
    """The persona's network up to as_of, and the four weeks later (platforms, interactions)."""
    # RandomState, not numpy.random.Generator: NEP 19 freezes RandomState's stream across
    # numpy versions, Generator's may change, and the shipped files must stay reproducible.
    rng = np.random.RandomState(spec.seed)
    people = make_contacts(spec, rng)
    lo, as_of = secs(spec.start), secs(spec.as_of) + DAY
    hi = secs(spec.later_end) + DAY
    before = simulate(spec, people, rng, lo, as_of, later=False, serial=0)
    after = simulate(spec, people, rng, as_of, hi, later=True, serial=500_000)
    return (to_network(spec, people, before, later=False),
            to_network(spec, people, after, later=True))


def write(spec: Persona, out: Path) -> Path:
    """Write one persona's folder: tables, persona.json and later/."""
    net, later = build(spec)
    folder = out / spec.name
    net.to_folder(folder)
    later.to_folder(folder / "later")
    (folder / "later" / "contacts.csv").unlink()  # contacts are shared with the folder above
    as_of = pd.Timestamp(spec.as_of)
    meta = {
        "name": spec.name,
        "title": spec.title,
        "description": spec.description,
        "as_of": spec.as_of,
        "later_start": (as_of + pd.Timedelta(days=1)).strftime("%Y-%m-%d"),
        "later_end": spec.later_end,
        "seed": spec.seed,
    }
    (folder / "persona.json").write_text(json.dumps(meta, sort_keys=True, indent=2) + "\n",
                                         encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "personas",
                        help="folder to write the personas into (default: data/personas)")
    args = parser.parse_args(argv)
    used = set().union(*(spec.roles for spec in PERSONAS))
    assert used == set(ROLES), f"the personas should use every role; missing {set(ROLES) - used}"
    for spec in PERSONAS:
        began = time.perf_counter()
        folder = write(spec, args.out)
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        print(f"{spec.name}: {Network.from_folder(folder)!r}, {size / 1e6:.2f} MB, "
              f"{time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
