"""Converse, don't post: do your messages start conversations, and do you give before you ask?

:func:`conversation` measures, per platform and overall, how much of what you send
is broadcast to no one in particular, how often you answer people and they answer
you, how fast, how deep your exchanges go, how often your *first* message to
someone is a pitch, and how much you give (share, recommend, answer) against how
much you ask (promote yourself). :func:`make_it_a_conversation` checks one post
for what makes it one-way. :func:`give_first_plan` picks the people in your
tribe whose recent work you could put forward this week.

Promotion is judged by a heuristic, :class:`~thinksmall_kit.PromotionRules`:
links, sales words and calls to action. Read its reasons and change its word
lists; it is a rule of thumb, not a fact about a message.

Introduced in lesson 04 (``lessons/04-converse-dont-post.ipynb``); the give/ask
balance and the plan in lesson 05 (``lessons/05-give-first.ipynb``).
"""

from __future__ import annotations

import dataclasses
import html
import re
import textwrap
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from thinksmall_kit._promotion import LINK_PATTERN, PromotionRules
from thinksmall_kit._theme import ROLE_COLOURS, STATUS_COLOURS, style
from thinksmall_kit.network import OFFLINE, DataError, Network, _as_utc
from thinksmall_kit.tribe import LAYERS
from thinksmall_kit.tribe import tribe as make_tribe

__all__ = [
    "GIVE_KINDS",
    "MESSAGE_KINDS",
    "Conversation",
    "GiveFirstPlan",
    "PostCheck",
    "PromotionAgreement",
    "conversation",
    "give_first_plan",
    "give_first_what_if",
    "make_it_a_conversation",
    "one_way_flags",
    "post_checker",
    "promotion_agreement",
]

#: Kinds of interaction that carry words. A like is one click, not a message
#: (Burke & Kraut 2016 found composed messages, not one-click feedback, matter).
MESSAGE_KINDS: tuple[str, ...] = ("post", "reply", "comment", "mention", "dm", "share",
                                  "recommend", "email", "call", "meeting")
#: Kinds of outgoing message that put someone else forward (``recommend`` covers
#: introducing one person to another). Any message that answers someone counts too.
GIVE_KINDS: tuple[str, ...] = ("share", "recommend", "mention", "comment", "reply")

_HOUR = pd.Timedelta(hours=1)


def _check_net(net: Any, where: str) -> Network:
    if not isinstance(net, Network):
        hint = (" (a DataFrame: wrap your tables in tsk.Network(...) first)"
                if isinstance(net, pd.DataFrame) else "")
        raise TypeError(f"{where} takes a Network such as tsk.load_persona('ceramics'), got "
                        f"{type(net).__name__}{hint}")
    return net


def _check_rules(rules: Any, where: str) -> PromotionRules:
    if rules is None:
        return PromotionRules()
    if not isinstance(rules, PromotionRules):
        raise TypeError(f"{where}(rules=...) takes a tsk.PromotionRules(...), got "
                        f"{type(rules).__name__}")
    return rules


# --------------------------------------------------------------------------- messages


def _next_time(ts: pd.Series, wanted: pd.Series, key: pd.Series) -> pd.Series:
    """For each row, the time of the first *later* row in the same ``key`` where ``wanted``.

    Rows must be in time order. Vectorised: keep the times of wanted rows, look one
    row ahead within the key, then fill backwards within the key.
    """
    marked = ts.where(wanted)
    ahead = marked.groupby(key, sort=False).shift(-1)
    return ahead.groupby(key, sort=False).bfill()


def _codes(values: pd.Series) -> pd.Series:
    """An integer per distinct value; each missing value gets a code of its own."""
    # As plain Python objects: factorizing them is about 3x faster than pandas' str.
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    missing = codes < 0
    codes[missing] = len(uniques) + np.arange(missing.sum())
    return pd.Series(codes, index=values.index)


def _messages(net: Network, rules: PromotionRules) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per message (not likes), annotated with everything the measures need.

    Also returns, on the same index, what the summaries reuse: ``key`` (the
    conversation as an integer code), ``give`` and ``ask`` (the two categories as
    booleans), so that they are not computed again from strings.
    """
    events = net.interactions
    m = events[events["kind"].isin(MESSAGE_KINDS)].sort_values("timestamp", kind="stable")
    m = m.reset_index(drop=True)
    out = m["direction"] == "out"  # a categorical: compared on its codes, no strings made
    has_contact = m["contact_id"].notna()
    thread = m["thread_id"]
    # A conversation: you and one person, in one thread (which may cross platforms), or
    # on one platform when there is no thread id. A broadcast has no person.
    where = thread.where(thread.notna(), "platform:" + m["platform"])
    conv = ("c:" + m["contact_id"] + "|" + where).where(has_contact)
    m["conversation"] = conv
    m["broadcast"] = out & ~has_contact
    # Group on integer codes, not strings (much faster on a million rows); a message
    # without a conversation (or thread) gets a key of its own.
    key = _codes(conv)
    # The platform a conversation belongs to: where it started.
    m["home"] = m["platform"].where(conv.isna(),
                                    m["platform"].groupby(key, sort=False).transform("first"))

    ts = m["timestamp"]
    next_out = _next_time(ts, out, key)
    next_in = _next_time(ts, ~out, key)
    # An incoming message waits for your next message; yours waits for their next one.
    wait = (next_out - ts).where(~out, next_in - ts)
    # A broadcast is answered by the first message from anyone in its thread.
    thread_key = _codes(thread)
    in_thread = _next_time(ts, ~out & has_contact, thread_key) - ts
    wait = wait.mask(m["broadcast"], in_thread)
    m["response_time"] = wait
    m["answered"] = wait.notna()

    # Turns: a new turn starts when the direction changes within a conversation.
    sent = out.astype("int8")  # 1 = out, 0 = in
    previous = sent.groupby(key, sort=False).shift(1)
    m["turn_start"] = previous.isna() | (previous != sent)
    m["is_answer"] = out & has_contact & previous.eq(0)

    # Only your own messages are checked for a pitch: the measures count yours only
    # (asks, gives, promotion_first), and checking theirs too would double the work.
    verdict = rules.check(m["text"][out], m["has_link"][out])
    m["promotional"] = verdict["promotional"].reindex(m.index, fill_value=False)
    # Your first message to each person (NaN ids are excluded by `has_contact`).
    m["first_message"] = out & has_contact & ~m["contact_id"].where(out).duplicated()
    gives = out & ~m["promotional"] & (m["kind"].isin(GIVE_KINDS) | m["is_answer"])
    asks = out & m["promotional"]
    m["category"] = np.select([~out, asks, gives], ["received", "ask", "give"], default="other")
    return m, pd.DataFrame({"key": key, "give": gives, "ask": asks})


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num / den.where(den > 0)).astype("float64")


def _summary(m: pd.DataFrame, group: pd.Series, flags: pd.DataFrame) -> pd.DataFrame:
    """The measures for the messages ``m``, grouped by ``group`` (a platform per row).

    ``flags`` is the second table :func:`_messages` returns.
    """
    # Group on integer codes (in the sorted order of the names), not on strings.
    codes, names = pd.factorize(group.to_numpy(dtype=object), sort=True)
    group = pd.Series(codes, index=m.index)
    out = m["direction"] == "out"
    from_them = ~out & m["contact_id"].notna()
    to_them = out & m["contact_id"].notna()
    g = pd.DataFrame({
        "group": group,
        "out": out, "in": ~out, "broadcast": m["broadcast"],
        "broadcast_answered": m["broadcast"] & m["answered"],
        "from_them": from_them, "you_answered": from_them & m["answered"],
        "first": m["first_message"], "promo_first": m["first_message"] & m["promotional"],
        "give": flags["give"], "ask": flags["ask"],
    }).groupby("group", sort=True).sum()
    hours = m["response_time"] / _HOUR
    your = hours.where(from_them).groupby(group).median()
    their = hours.where(out).groupby(group).median()
    conv = m["conversation"]
    turns = m["turn_start"].where(conv.notna()).groupby([group, flags["key"]]).sum()
    depth = turns[turns > 0].groupby(level=0).mean()
    contacted = m.loc[to_them].groupby(group[to_them])["contact_id"].nunique()
    answered_rows = to_them & m["answered"]
    answered = m.loc[answered_rows].groupby(group[answered_rows])["contact_id"].nunique()
    table = pd.DataFrame(index=g.index)
    table["messages_out"] = g["out"]
    table["messages_in"] = g["in"]
    table["broadcast_share"] = _ratio(g["broadcast"], g["out"])
    table["broadcasts_answered"] = _ratio(g["broadcast_answered"], g["broadcast"])
    table["reply_ratio"] = _ratio(g["you_answered"], g["from_them"])
    table["partners_contacted"] = contacted.reindex(g.index, fill_value=0).astype("int64")
    table["partners_answered"] = answered.reindex(g.index, fill_value=0).astype("int64")
    table["two_way_rate"] = _ratio(table["partners_answered"], table["partners_contacted"])
    table["your_response_hours"] = your.reindex(g.index).astype("float64")
    table["their_response_hours"] = their.reindex(g.index).astype("float64")
    table["thread_depth"] = depth.reindex(g.index).astype("float64")
    table["first_messages"] = g["first"]
    table["promotion_first"] = g["promo_first"]
    table["gives"] = g["give"]
    table["asks"] = g["ask"]
    table["give_share"] = _ratio(g["give"], g["give"] + g["ask"])
    table.index = pd.Index(names[table.index.to_numpy()], dtype=m["home"].dtype)
    return table


COLUMNS = {
    "messages_out": "messages you sent (likes not counted)",
    "messages_in": "messages people sent you",
    "broadcast_share": "share of your messages sent to no one in particular (posts)",
    "broadcasts_answered": "share of your broadcasts that anyone answered in words",
    "reply_ratio": "share of people's messages to you that you answered",
    "partners_contacted": "people you sent a message to",
    "partners_answered": "of those, people who answered you",
    "two_way_rate": "partners_answered / partners_contacted",
    "your_response_hours": "median hours from someone's message to your answer",
    "their_response_hours": "median hours from your message to the first answer",
    "thread_depth": "mean turns per conversation with one person (1 = one side only)",
    "first_messages": "people you wrote to (your first message to each)",
    "promotion_first": "of those first messages, how many were a pitch (heuristic)",
    "gives": "messages that share, recommend, mention or answer someone, not a pitch",
    "asks": "messages that promote you (heuristic)",
    "give_share": "gives / (gives + asks): 1 = all giving, 0 = all asking",
}
_COUNTS = ["messages_out", "messages_in", "partners_contacted", "partners_answered",
           "first_messages", "promotion_first", "gives", "asks"]


@dataclasses.dataclass
class Conversation:
    """How conversational a network is: the result of :func:`conversation`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per platform (where each conversation started) and a last row
        ``"all"``; the columns are described in :data:`COLUMNS`.
    messages : pandas.DataFrame
        One row per message (likes left out) with the interaction's columns plus
        ``conversation``, ``home``, ``broadcast``, ``response_time``, ``answered``,
        ``turn_start``, ``is_answer``, ``promotional`` (your messages only; False
        for people's), ``first_message`` and
        ``category`` (give, ask, other, received).
    contacts : pandas.DataFrame
        One row per contact who exchanged messages with you: ``display_name``,
        ``role``, ``given`` (messages you sent them), ``received`` (messages they
        sent you), ``gives`` and ``asks`` (your messages to them of each category).
    rules : PromotionRules
        The heuristic used to spot pitches.

    Introduced in lesson 04 (``lessons/04-converse-dont-post.ipynb``).
    """

    table: pd.DataFrame
    messages: pd.DataFrame
    contacts: pd.DataFrame
    rules: PromotionRules

    def figure(self, kind: str = "over_time", *, platforms: int = 6, freq: str = "MS") -> Any:
        """Draw the result.

        Parameters
        ----------
        kind : {"over_time", "reciprocity"}
            ``"over_time"``: your messages each month, broadcasts against messages to
            a person, one panel per platform (the ``platforms`` busiest).
            ``"reciprocity"``: one dot per contact, messages you sent them against
            messages they sent you; dots near the diagonal are two-way ties.
        platforms : int, default 6
            How many platforms to show in ``"over_time"``.
        freq : str, default "MS"
            The period of ``"over_time"`` (a pandas frequency: "MS" month, "W" week).
        """
        if kind == "over_time":
            return self._over_time(platforms, freq)
        if kind == "reciprocity":
            return self._reciprocity()
        raise ValueError(f"figure(kind={kind!r}): choose 'over_time' or 'reciprocity'")

    def _over_time(self, platforms: int, freq: str) -> Any:
        import plotly.express as px

        m = self.messages
        sent = m[m["direction"].astype("str") == "out"]
        if sent.empty:
            raise DataError("figure: there are no messages you sent to draw; "
                            "expected a network with outgoing posts, replies or messages")
        busiest = sent["platform"].value_counts().index[:platforms]
        sent = sent[sent["platform"].isin(busiest)]
        what = np.where(sent["broadcast"], "broadcast (to no one)", "to a person")
        period = sent["timestamp"].dt.tz_localize(None).dt.to_period(
            "M" if freq == "MS" else freq).dt.start_time
        counts = (pd.DataFrame({"platform": sent["platform"], "what": what, "period": period})
                  .groupby(["platform", "period", "what"]).size().rename("messages"))
        # A month with nothing sent is a zero, not a gap the line jumps over.
        months = pd.Series(period.unique()).sort_values()
        grid = pd.MultiIndex.from_product(
            [list(busiest), months, ["broadcast (to no one)", "to a person"]],
            names=["platform", "period", "what"])
        counts = counts.reindex(grid, fill_value=0).reset_index()
        fig = px.line(counts, x="period", y="messages", color="what", facet_col="platform",
                      facet_col_wrap=3, category_orders={"platform": list(busiest)},
                      color_discrete_map={"broadcast (to no one)": STATUS_COLOURS["cut"],
                                          "to a person": STATUS_COLOURS["keep"]},
                      markers=True)
        fig.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
        fig.update_yaxes(matches=None, showticklabels=True, title_text="", rangemode="tozero")
        fig.update_xaxes(title_text="")
        fig.update_layout(legend_title_text="your messages")
        rows = -(-len(busiest) // 3)
        style(fig, "Broadcast or conversation? Your messages per month, busiest platforms",
              height=260 * rows + 120)
        fig.add_annotation(text="messages you sent", textangle=-90, x=-0.07, y=0.5,
                           xref="paper", yref="paper", showarrow=False)
        return fig

    def _reciprocity(self) -> Any:
        import plotly.express as px

        c = self.contacts.reset_index()
        if c.empty:
            raise DataError("figure: no contact exchanged messages with you, so there is "
                            "nothing to draw; expected messages with a contact_id")
        # Log scales spread the many small counts, but log(0) does not exist: plot
        # count + 1 and label the ticks with the real counts, so 0 sits on the axis line.
        c["x"], c["y"] = c["given"] + 1, c["received"] + 1
        top = float(max(c["x"].max(), c["y"].max()))
        # Many people share the same small counts (hundreds at 0 given, 1 received):
        # nudge each point a little (the same way every time) so a crowd looks like one,
        # not like a single dot. Hover shows the real counts.
        rng = np.random.default_rng(7)
        c["x"] = c["x"] * np.exp(rng.uniform(-0.18, 0.18, len(c)))
        c["y"] = c["y"] * np.exp(rng.uniform(-0.18, 0.18, len(c)))
        ticks = [t for t in (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
                 if t + 1 <= top * 1.5]
        fig = px.scatter(c, x="x", y="y", color="role", color_discrete_map=ROLE_COLOURS,
                         hover_name="display_name", hover_data={"x": False, "y": False,
                                                                "given": True, "received": True},
                         opacity=0.55, log_x=True, log_y=True,
                         category_orders={"role": [r for r in ROLE_COLOURS
                                                   if r in set(c["role"].astype("str"))]})
        fig.add_scatter(x=[1, top], y=[1, top], mode="lines", name="as much back as given",
                        line={"color": "#555555", "dash": "dash"}, hoverinfo="skip")
        for axis in (fig.update_xaxes, fig.update_yaxes):
            axis(tickvals=[t + 1 for t in ticks], ticktext=[str(t) for t in ticks])
        style(fig, "Given and received: messages per person (each dot a person, nudged "
                   "apart)",
              x="messages you sent them (log scale)", y="messages they sent you (log scale)",
              height=560)
        return fig

    def _repr_html_(self) -> str:
        return self.table._repr_html_()

    def __repr__(self) -> str:
        return f"Conversation (per platform and overall):\n{self.table!r}"


def conversation(net: Network, *, rules: PromotionRules | None = None) -> Conversation:
    """Measure how conversational a network is, per platform and overall.

    Only messages count (every kind but ``like``: see :data:`MESSAGE_KINDS`). A
    *conversation* is you and one person in one thread (a thread may cross
    platforms), or on one platform when a message has no ``thread_id``; it belongs
    to the platform where it started. A *broadcast* is a message you sent with no
    contact (a post).

    The measures (columns of ``.table``; see :data:`COLUMNS`):

    - ``broadcast_share`` = broadcasts / messages you sent;
    - ``reply_ratio`` = messages people sent you that you answered / messages they
      sent you;
    - ``two_way_rate`` = people who answered you / people you sent a message to;
    - response time = the time from a message to the next message in the opposite
      direction in the same conversation (for a broadcast: the first message from
      anyone in its thread). ``your_response_hours`` and ``their_response_hours``
      are medians; unanswered messages have no response time and are left out;
    - ``thread_depth`` = mean number of turns (runs of messages from one side) per
      conversation: 1 = only one side spoke, 2 = one answer, 3 or more = back and forth;
    - ``promotion_first`` = people whose *first* message from you was a pitch;
    - ``give_share`` = gives / (gives + asks). An *ask* is a message you sent that
      :class:`PromotionRules` calls promotional; a *give* is any other message
      you sent that shares, recommends, mentions or comments (:data:`GIVE_KINDS`),
      or that answers someone.

    Parameters
    ----------
    net : Network
        Any network (a sample persona, your workspace's, ``net.between(...)``).
    rules : PromotionRules, optional
        The heuristic that spots pitches; the default is ``PromotionRules()``.

    Returns
    -------
    Conversation
        ``.table``, ``.messages``, ``.contacts`` and ``.figure(kind=...)``.

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> talk = tsk.conversation(tsk.load_persona("ceramics"))
    >>> talk.table.loc["all", ["broadcast_share", "reply_ratio", "two_way_rate"]].round(2)
    broadcast_share    0.58
    reply_ratio        0.22
    two_way_rate       0.64
    Name: all, dtype: float64

    Introduced in lesson 04 (``lessons/04-converse-dont-post.ipynb``).
    """
    net = _check_net(net, "conversation")
    rules = _check_rules(rules, "conversation")
    m, flags = _messages(net, rules)
    per_platform = _summary(m, m["home"], flags)
    overall = _summary(m, pd.Series("all", index=m.index), flags)
    if overall.empty:  # no messages at all: an "all" row of zeros and empty rates
        overall = overall.reindex(["all"])
        overall[_COUNTS] = 0
    table = pd.concat([per_platform, overall]).astype({c: "int64" for c in _COUNTS})
    table.index.name = "platform"

    out = m["direction"] == "out"
    who = m["contact_id"]
    per = pd.DataFrame({
        "contact_id": who,
        "given": out, "received": ~out,
        "gives": flags["give"], "asks": flags["ask"],
    })[who.notna()].groupby("contact_id").sum()
    people = net.contacts.set_index("contact_id")[["display_name", "role"]]
    contacts = people.join(per, how="inner")
    contacts = contacts[["display_name", "role", "given", "received", "gives", "asks"]]
    return Conversation(table=table, messages=m, contacts=contacts, rules=rules)


# --------------------------------------------------------------------------- promotion check


@dataclasses.dataclass
class PromotionAgreement:
    """How often the promotion heuristic agrees with a network's ``is_promotional`` column.

    Attributes
    ----------
    table : pandas.DataFrame
        A 2 x 2 count: rows = the heuristic's verdict, columns = ``is_promotional``.
    agreement : float
        Share of messages where both say the same (0..1).
    disagreements : pandas.DataFrame
        The messages where they differ, one row per distinct text, most frequent
        first, with the heuristic's reasons.

    Introduced in lesson 04 (``lessons/04-converse-dont-post.ipynb``).
    """

    table: pd.DataFrame
    agreement: float
    disagreements: pd.DataFrame

    def __repr__(self) -> str:
        return (f"PromotionAgreement: {self.agreement:.1%} of messages agree\n{self.table!r}")


def promotion_agreement(net: Network, *, rules: PromotionRules | None = None
                        ) -> PromotionAgreement:
    """Compare the promotion heuristic with the ``is_promotional`` column of ``net``.

    The sample personas label every message (the generator knows which it wrote as
    pitches), so they can test the heuristic; your own export's column may be all
    False. Only messages with text count.

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> check = tsk.promotion_agreement(tsk.load_persona("ceramics"))
    >>> round(check.agreement, 3)
    0.989
    >>> check.disagreements.loc[0, ["text", "sales_word", "times"]].to_dict()
    {'text': 'So good to see your new collection', 'sales_word': 'new collection', 'times': 17}

    Introduced in lesson 04 (``lessons/04-converse-dont-post.ipynb``).
    """
    net = _check_net(net, "promotion_agreement")
    rules = _check_rules(rules, "promotion_agreement")
    events = net.interactions
    m = events[events["kind"].isin(MESSAGE_KINDS) & events["text"].notna()]
    verdict = rules.check(m["text"], m["has_link"])
    heuristic = verdict["promotional"]
    labelled = m["is_promotional"]
    table = pd.crosstab(heuristic.rename("heuristic"), labelled.rename("is_promotional"))
    table = table.reindex(index=[False, True], columns=[False, True], fill_value=0)
    agreement = float((heuristic == labelled).mean()) if len(m) else float("nan")
    differ = heuristic != labelled
    reasons = verdict.loc[differ, ["link", "sales_word", "call_to_action"]]
    rows = pd.concat([m.loc[differ, ["text", "kind", "direction", "is_promotional"]],
                      heuristic[differ].rename("heuristic"), reasons], axis=1)
    counts = rows.groupby("text", sort=False).size().rename("times")
    disagreements = (rows.drop_duplicates("text").set_index("text").join(counts)
                     .sort_values("times", ascending=False, kind="stable").reset_index())
    return PromotionAgreement(table=table, agreement=agreement, disagreements=disagreements)


# --------------------------------------------------------------------------- one post

CHECKS = {
    "asks_a_question": ("No question", "Ask something people can answer from experience."),
    "mentions_someone": ("No one mentioned",
                         "Name or @mention a person: thank them, credit them, ask them."),
    "link_not_first": ("Link first", "Lead with people and words; put any link last, or in "
                       "a reply."),
    "few_hashtags": ("Hashtag stuffing", "Keep to a few hashtags that a person would search."),
    "about_others": ("All about the sender", "Speak to your readers (you, your, @name) at "
                     "least as often as about yourself (I, my, we, our)."),
    "not_a_pitch": ("Reads as a pitch", "Give something first: a tip, a story, a thank-you; "
                    "sell another day."),
}
_SELF = r"(?i)\b(?:i|i'm|i've|i'll|me|my|mine|we|we're|we've|us|our|ours)\b"
_OTHERS = r"(?i)\b(?:you|you're|you've|your|yours)\b"
_MENTION = r"(?<![\w@])@\w[\w.]*\w|(?<![\w@])@\w"
_HASHTAG = r"(?<!\w)#\w+"


def one_way_flags(texts: Any, *, max_hashtags: int = 3, words_before_link: int = 5,
                  rules: PromotionRules | None = None) -> pd.DataFrame:
    """Check many posts at once: one row per post, one True/False column per check.

    The checks are those of :func:`make_it_a_conversation` (True = the post passes),
    plus ``passed``: how many of the six checks it passes. Missing text fails
    every check (there is nothing to converse with).

    ``texts`` is a list or column of post texts (one text counts as a list of
    one); anything else, such as None or a number, raises TypeError.

    Examples
    --------
    >>> from thinksmall_kit import one_way_flags
    >>> one_way_flags(["New mugs in the shop https://x.example",
    ...                "@ana, what glaze would you try next?"])["passed"].tolist()
    [2, 6]

    Introduced in lesson 04 (``lessons/04-converse-dont-post.ipynb``).
    """
    rules = _check_rules(rules, "one_way_flags")
    if isinstance(texts, str):
        texts = [texts]
    if not isinstance(texts, Iterable) or isinstance(texts, bytes | dict | pd.DataFrame):
        hint = (" (a DataFrame: pass its column of texts, e.g. df['text'])"
                if isinstance(texts, pd.DataFrame) else "")
        raise TypeError(f"one_way_flags(texts=...) takes a list or column of post texts, e.g. "
                        f"['New mugs today. Which glaze?'], got {type(texts).__name__}{hint}")
    s = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    s = s.astype("str").where(s.notna()).fillna("")
    has = s.str.strip() != ""
    # The words before the first link (<NA> when there is no link).
    before = s.str.extract(r"^(.*?)" + LINK_PATTERN, flags=re.DOTALL, expand=False)
    has_link = before.notna()
    words_first = before.fillna("").str.count(r"\S+")
    self_words = s.str.count(_SELF)
    other_words = s.str.count(_OTHERS) + s.str.count(_MENTION)
    # Silence about others is not about others: it needs one "you" or @mention at least.
    flags = pd.DataFrame({
        "asks_a_question": s.str.contains("?", regex=False),
        "mentions_someone": s.str.contains(_MENTION, regex=True),
        "link_not_first": ~has_link | (words_first >= words_before_link),
        "few_hashtags": s.str.count(_HASHTAG) <= max_hashtags,
        "about_others": (other_words > 0) & (other_words >= self_words),
        "not_a_pitch": ~rules.check(s)["promotional"],
    }, index=s.index)
    flags = flags & has.to_numpy()[:, None]
    flags["passed"] = flags.sum(axis=1).astype("int64")
    return flags


@dataclasses.dataclass
class PostCheck:
    """A post checked for what makes it one-way: the result of :func:`make_it_a_conversation`.

    Attributes
    ----------
    text : str
        The post.
    table : pandas.DataFrame
        One row per check: ``ok`` (True = fine), ``problem`` and ``tip``.

    Introduced in lesson 04 (``lessons/04-converse-dont-post.ipynb``).
    """

    text: str
    table: pd.DataFrame

    @property
    def passed(self) -> int:
        """How many checks the post passes (of six)."""
        return int(self.table["ok"].sum())

    @property
    def problems(self) -> list[str]:
        """What makes the post one-way, in words."""
        return self.table.loc[~self.table["ok"], "problem"].tolist()

    def __repr__(self) -> str:
        lines = [f"{self.passed}/{len(self.table)} checks passed for: {self.text!r}"]
        for row in self.table.itertuples():  # six rows: a checklist, not data
            mark = "[x]" if row.ok else "[ ]"
            lines.append(f"  {mark} {row.Index}" + ("" if row.ok else
                                                   f": {row.problem}. {row.tip}"))
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        lines = [f"**{self.passed}/{len(self.table)} checks passed** for: *{self.text}*", ""]
        for row in self.table.itertuples():
            # Dingbats, not emoji: they show on machines without an emoji font too.
            lines.append(f"- {'✔' if row.ok else '✘'} `{row.Index}`"
                         + ("" if row.ok else f": {row.problem}. {row.tip}"))
        return "\n".join(lines)


def make_it_a_conversation(text: str, *, max_hashtags: int = 3, words_before_link: int = 5,
                           rules: PromotionRules | None = None) -> PostCheck:
    """Check a post for what makes it one-way, with a tip for each problem.

    Six plain checks, run on your computer (no AI service, nothing sent anywhere):

    ``asks_a_question``   the post contains a question mark;
    ``mentions_someone``  it @mentions somebody;
    ``link_not_first``    no link, or at least ``words_before_link`` words before it;
    ``few_hashtags``      at most ``max_hashtags`` hashtags;
    ``about_others``      "you, your" or an @mention, at least as often as "I, my, we, our";
    ``not_a_pitch``       :class:`PromotionRules` does not call it promotional.

    These are heuristics: a post can pass them all and still be a broadcast. Use
    them as a checklist while you rewrite, not as a score to win.

    Parameters
    ----------
    text : str
        The post.
    max_hashtags : int, default 3
    words_before_link : int, default 5
    rules : PromotionRules, optional

    Returns
    -------
    PostCheck
        ``.table`` (one row per check), ``.passed``, ``.problems``.

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> check = tsk.make_it_a_conversation(
    ...     "https://shop.example New mugs! My best glaze yet #pottery #ceramics #mug #handmade")
    >>> check.passed
    0
    >>> tsk.make_it_a_conversation(
    ...     "@mina your speckled glaze inspired these mugs. What would you make?").passed
    6

    Introduced in lesson 04 (``lessons/04-converse-dont-post.ipynb``).
    """
    if not isinstance(text, str):
        raise TypeError(f"make_it_a_conversation takes the text of one post, got "
                        f"{type(text).__name__}; for a column of posts use "
                        "tsk.one_way_flags(texts)")
    if not text.strip():
        raise ValueError("make_it_a_conversation: the post is empty; expected the text of "
                         "a post, e.g. 'New mugs today. Which glaze would you pick?'")
    flags = one_way_flags([text], max_hashtags=max_hashtags,
                          words_before_link=words_before_link, rules=rules).iloc[0]
    table = pd.DataFrame(CHECKS, index=["problem", "tip"]).T
    table.insert(0, "ok", flags[list(CHECKS)].astype(bool))
    table.index.name = "check"
    return PostCheck(text=text, table=table)


# --------------------------------------------------------------------------- give first


@dataclasses.dataclass
class GiveFirstPlan:
    """Whose work to put forward this week: the result of :func:`give_first_plan`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per person, in the order to do it: ``display_name``, ``role``,
        ``layer``, ``last_heard`` (their latest message to you), ``days_since``,
        ``where`` (the platform of that message), ``their_latest`` (its text, if
        kept), ``last_gave`` (when you last gave to them) and ``suggestion``.
    as_of : pandas.Timestamp
        The day the plan was made for.

    Introduced in lesson 05 (``lessons/05-give-first.ipynb``).
    """

    table: pd.DataFrame
    as_of: pd.Timestamp
    #: Why the plan is empty and what to change ("" when it is not).
    reason: str = ""

    def figure(self, kind: str = "recency") -> Any:
        """Bar chart: days since each person in the plan last wrote to you, by role.

        An empty plan draws an empty chart that says why, so a notebook run on
        a new network goes on to the next cell.
        """
        import plotly.express as px
        import plotly.graph_objects as go

        if kind != "recency":
            raise ValueError(f"figure(kind={kind!r}): the plan draws only kind='recency'")
        title = f"Give first: who to give to this week ({self.as_of:%d %b %Y})"
        if self.table.empty:
            fig = go.Figure()
            fig.add_annotation(text="<br>".join(textwrap.wrap(self.reason or "No one to plan "
                                                              "for.", 70)),
                               showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                               font={"size": 15})
            fig.update_xaxes(visible=False)
            fig.update_yaxes(visible=False)
            return style(fig, title, height=300)
        t = self.table.reset_index()
        t["label"] = "layer " + t["layer"].astype("str") + " · " + t["where"]
        fig = px.bar(t, x="days_since", y="display_name", color="role", orientation="h",
                     text="label", color_discrete_map=ROLE_COLOURS,
                     category_orders={"display_name": t["display_name"].tolist()},
                     hover_data=["where", "their_latest"])
        fig.update_traces(textposition="outside", cliponaxis=False)
        return style(fig, title, x="days since they last wrote to you", y="")

    def _repr_html_(self) -> str:
        if self.table.empty:
            return f"<p>An empty plan. {html.escape(self.reason)}</p>"
        return self.table._repr_html_()

    def __repr__(self) -> str:
        if self.table.empty:
            return f"GiveFirstPlan for the week of {self.as_of:%Y-%m-%d}: empty. {self.reason}"
        return f"GiveFirstPlan for the week of {self.as_of:%Y-%m-%d}:\n{self.table!r}"


def give_first_plan(net: Network, *, tribe: Any = None, n: int = 5, max_layer: int = 50,
                    skip_days: int = 14, skip_roles: tuple[str, ...] = ("unknown",),
                    as_of: Any = None, rules: PromotionRules | None = None) -> GiveFirstPlan:
    """Pick who in your tribe to put forward this week: their recent work, not yours.

    Chosen by layer and recency. The candidates are the people in the inner
    layers (``layer <= max_layer``) who have written to you at least once and whom
    you have not given to (shared, recommended, mentioned, commented, answered)
    in the last ``skip_days``. They are sorted innermost layer first, then by
    how recently they wrote to you (fresh work first), and the first ``n`` make
    the plan. Their latest message shows what they are working on; when it is
    a question to you, the suggestion is to answer it first (an answer is a
    gift too). An empty plan says why in ``.reason`` (no one tagged yet, no one
    in the layers, everyone given to recently) and what to change.

    Parameters
    ----------
    net : Network
    tribe : Tribe, optional
        The result of ``tsk.tribe(net, ...)``; its ``table["layer"]`` is used. Pass
        your own to use your weights and cadences; the default is
        ``tsk.tribe(net, as_of=as_of)``.
    n : int, default 5
        People in the plan (one a weekday).
    max_layer : int, default 50
        The outermost Dunbar layer to draw from (5, 15, 50, 150, 500 or 1500).
    skip_days : int, default 14
        Leave out people you gave to this recently.
    skip_roles : tuple of str, default ("unknown",)
        Leave out people with these roles (by default: people you have not placed
        yet; tag them in lesson 03 and they join the plan).
    as_of : date, optional
        The day to plan from; default the last interaction in ``net``.
    rules : PromotionRules, optional
        Decides which of your messages were pitches (those are not gives).

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> plan = tsk.give_first_plan(tsk.load_persona("ceramics"), n=3)
    >>> len(plan.table), int(plan.table["layer"].max()) <= 50
    (3, True)

    Introduced in lesson 05 (``lessons/05-give-first.ipynb``).
    """
    net = _check_net(net, "give_first_plan")
    if not isinstance(n, int | np.integer) or isinstance(n, bool) or n < 1:
        raise ValueError(f"give_first_plan(n=...) must be a whole number >= 1, got {n!r}")
    if max_layer not in LAYERS:
        raise ValueError(f"give_first_plan(max_layer=...) must be one of {LAYERS}, "
                         f"got {max_layer!r}")
    if tribe is not None:
        table = getattr(tribe, "table", None)
        if not isinstance(table, pd.DataFrame) or "layer" not in table.columns:
            raise TypeError("give_first_plan(tribe=...) takes the result of tsk.tribe(net), "
                            f"whose .table has a 'layer' column; got {type(tribe).__name__}")
    if as_of is None:
        span = net.period
        if span is None:
            raise DataError("give_first_plan: the network has no interactions, so there is "
                            "no one to plan for; expected a network with messages")
        as_of = span[1]
    ts_as_of = _as_utc(as_of, "give_first_plan(as_of)")
    if tribe is None:
        tribe = make_tribe(net, as_of=ts_as_of)
    layer = tribe.table["layer"].astype("Int64")
    m = conversation(net, rules=rules).messages
    m = m[m["timestamp"] <= ts_as_of]
    theirs = m[(m["direction"].astype("str") == "in") & m["contact_id"].notna()]
    latest = theirs.drop_duplicates("contact_id", keep="last").set_index("contact_id")
    gave = (m[m["category"].eq("give")].groupby("contact_id")["timestamp"].max()
            .rename("last_gave"))
    people = net.contacts.set_index("contact_id")[["display_name", "role"]]
    t = people.join(layer.rename("layer"), how="left")
    t = t.join(latest[["timestamp", "platform", "text"]].rename(
        columns={"timestamp": "last_heard", "platform": "where", "text": "their_latest"}),
        how="inner")
    t = t.join(gave, how="left")
    t["days_since"] = ((ts_as_of - t["last_heard"]) / pd.Timedelta(days=1)).astype(
        "float64").round(1)
    recent_give = t["last_gave"].notna() & (t["last_gave"] > ts_as_of
                                            - pd.Timedelta(days=skip_days))
    keep = (t["layer"].notna() & (t["layer"] <= max_layer) & ~recent_give
            & ~t["role"].astype("str").isin(list(skip_roles)))
    keep = keep.fillna(False).astype(bool)
    reason = "" if keep.any() else _why_empty(t, skip_roles, max_layer, recent_give,
                                               ts_as_of, net)
    t = t[keep]
    t = t.sort_values(["layer", "last_heard"], ascending=[True, False], kind="stable").head(n)
    # Someone whose latest message is a question is best given an answer.
    asked = t["their_latest"].astype("str").str.strip().str.endswith("?").fillna(False)
    online = "share or comment on their latest work on " + t["where"] + ", and say why it is good"
    t["suggestion"] = online.where(t["where"] != OFFLINE, "recommend them to someone who "
                                   "needs what they do, or introduce them")
    t.loc[asked.to_numpy(bool), "suggestion"] = (
        "answer their question on " + t["where"] + " first: a helpful answer is a gift too")
    t = t[["display_name", "role", "layer", "last_heard", "days_since", "where",
           "their_latest", "last_gave", "suggestion"]]
    t.index.name = "contact_id"
    return GiveFirstPlan(table=t, as_of=ts_as_of, reason=reason)


def _why_empty(t: pd.DataFrame, skip_roles: tuple[str, ...], max_layer: int,
               recent_give: pd.Series, as_of: pd.Timestamp, net: Network) -> str:
    """Why no one made the plan, and what to change: the first filter that left no one."""
    if t.empty:
        span = net.period
        if span is not None and span[0] > as_of:
            return (f"Your data starts on {span[0]:%Y-%m-%d}, after as_of={as_of:%Y-%m-%d}: "
                    "no one had written to you by then; choose a later as_of.")
        return ("No one in your network has written to you yet, so there is no one's work "
                "to put forward; import an export with your messages (lesson 00).")
    inner = (t["layer"].notna() & (t["layer"] <= max_layer)).fillna(False).astype(bool)
    if not inner.any():
        return (f"No one who wrote to you is in your layers up to {max_layer}; try "
                "max_layer=150.")
    if not (inner & ~recent_give.fillna(False).astype(bool)).any():
        return ("You gave to everyone in your inner layers recently; pass a smaller "
                "skip_days, or max_layer=150 to reach further.")
    return (f"Everyone left in your inner layers has a role in skip_roles "
            f"({', '.join(skip_roles)}): tag your people with tsk.tag_roles (lesson 03), "
            "or pass skip_roles=() to plan with untagged people too.")



def post_checker(text: str = "", *, max_hashtags: int = 3, words_before_link: int = 5,
                 rules: PromotionRules | None = None) -> Any:
    """A widget: type a post in a box and watch the six checks of
    :func:`make_it_a_conversation` update as you write.

    Parameters
    ----------
    text : str, default ""
        What the box starts with.
    max_hashtags, words_before_link, rules
        As for :func:`make_it_a_conversation`.

    Returns
    -------
    PostChecker
        Shows itself in a notebook. ``.text`` is the text box, ``.result`` the
        current :class:`PostCheck` (None while the box is empty), ``.output``
        the checklist shown.

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> w = tsk.post_checker()
    >>> w.result is None
    True
    >>> w.text.value = "@mina what glaze would you try on these mugs?"
    >>> w.result.passed
    6

    Introduced in lesson 04 (``lessons/04-converse-dont-post.ipynb``).
    """
    from thinksmall_kit._explore_widgets import PostChecker

    if not isinstance(text, str):
        raise TypeError(f"post_checker(text=...) takes the text of a post, got "
                        f"{type(text).__name__}")
    rules = _check_rules(rules, "post_checker")

    def check(value: str) -> PostCheck:
        return make_it_a_conversation(value, max_hashtags=max_hashtags,
                                      words_before_link=words_before_link, rules=rules)

    return PostChecker(text, check)


def give_first_what_if(net: Network, *, tribe: Any = None, n: int = 5, max_layer: int = 50,
                       skip_days: int = 14, as_of: Any = None,
                       rules: PromotionRules | None = None) -> Any:
    """A widget: sliders for how many people (``n``) and how far out (``max_layer``)
    the give-first plan reaches; the plan updates as you move them.

    Parameters
    ----------
    net, tribe, n, max_layer, skip_days, as_of, rules
        As for :func:`give_first_plan`; ``n`` and ``max_layer`` are where the
        sliders start. The tribe is computed once (default ``tsk.tribe(net)``).

    Returns
    -------
    GiveFirstWhatIf
        Shows itself in a notebook. ``.n_slider`` and ``.layer_slider`` are the
        controls, ``.result`` the current :class:`GiveFirstPlan`, ``.output``
        the table shown.

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> w = tsk.give_first_what_if(tsk.load_persona("ceramics"), n=3)
    >>> len(w.result.table)
    3
    >>> w.layer_slider.value = 150
    >>> w.n_slider.value = 8
    >>> len(w.result.table), int(w.result.table["layer"].max()) <= 150
    (8, True)

    Introduced in lesson 05 (``lessons/05-give-first.ipynb``).
    """
    from thinksmall_kit._explore_widgets import GiveFirstWhatIf

    first = give_first_plan(net, tribe=tribe, n=n, max_layer=max_layer, skip_days=skip_days,
                            as_of=as_of, rules=rules)  # checks every argument
    if tribe is None:
        tribe = make_tribe(net, as_of=first.as_of)

    def make_plan(n: int, max_layer: int) -> GiveFirstPlan:
        return give_first_plan(net, tribe=tribe, n=n, max_layer=max_layer,
                               skip_days=skip_days, as_of=first.as_of, rules=rules)

    return GiveFirstWhatIf(make_plan, n, max_layer, LAYERS)
