"""Audit your networks: which platforms repay your time, and which to cut.

Two questions, two functions:

:func:`engagement`
    Vanity against engagement, per platform: followers next to the
    conversation, amplification and applause each post brings back, the
    people you actually talk with, and the *latent ties* (followers you never
    interacted with). Lesson 01.
:func:`audit`
    Effort against return, per platform, with a transparent score, a keep or
    cut verdict down to ``keep`` platforms (five by default), a plain-language
    reason for each, and a weekly time budget with a burnout warning. Lesson 02.

For a learner without a data export, :func:`save_platform` and the form from
:func:`inventory_form` write platforms by hand into the workspace's saved
network; :func:`audit_what_if` is a widget with sliders for ``keep`` and the
budget.

Every measure is taken over the whole period of the network you pass in; to
audit the last three months only, pass ``net.between("2025-09-01", "2025-12-01")``.

Introduced in lesson 01 (``lessons/01-numbers-vs-relationships.ipynb``).
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from thinksmall_kit.network import OFFLINE, DataError, Network

__all__ = [
    "DEFAULT_BUDGET_MINUTES",
    "TRIBE_ROLES",
    "Audit",
    "AuditWeights",
    "Engagement",
    "audit",
    "audit_what_if",
    "engagement",
    "engagement_explorer",
    "inventory_form",
    "save_platform",
]

#: The roles the essay counts as someone's tribe. A contact with one of these
#: roles who interacted with you on a platform counts as "tribe present" there.
TRIBE_ROLES: tuple[str, ...] = (
    "customer", "fan", "supporter", "buyer", "partner", "associate", "vendor",
)

#: The default weekly time budget for social media, in minutes: 210 = 30 minutes a day.
#: Hunt et al. (2018, Journal of Social and Clinical Psychology) limited students to
#: about 10 minutes per platform per day, about 30 minutes in all, for three weeks, and
#: loneliness and depression fell. A default to question, not a rule: set your own.
DEFAULT_BUDGET_MINUTES = 210.0

#: Minutes in a week: nobody can spend more than this on one platform.
_WEEK_MINUTES = 7 * 24 * 60
#: What counts as conversation received: comments and replies.
_CONVERSATION_KINDS = ("comment", "reply")


# --------------------------------------------------------------------------- small helpers


def _check_net(net: Any, who: str) -> Network:
    if not isinstance(net, Network):
        hint = ("a DataFrame is one table; pass the whole network"
                if isinstance(net, pd.DataFrame | pd.Series) else
                "load one with tsk.load_persona('ceramics') or ws.load_network()")
        raise TypeError(f"{who}: expected a Network, got {type(net).__name__} ({hint})")
    return net


def _hours(minutes: float) -> str:
    """'45 min a week', '1.5 h a week', '5 h a week'."""
    if not np.isfinite(minutes) or minutes <= 0:
        return "0 min a week"
    if minutes < 60:
        return f"{minutes:.0f} min a week"
    text = f"{minutes / 60:.1f}".removesuffix(".0")
    return f"{text} h a week"


def _rate(x: float) -> str:
    """Two decimals below 1 (0.03), one above (3.1): enough to compare, easy to read."""
    return f"{x:.2f}" if x < 1 else f"{x:.1f}"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


# --------------------------------------------------------------------------- the measures


def _measures(net: Network) -> pd.DataFrame:
    """Per-platform counts and rates over the whole period of ``net`` (vectorised)."""
    p = net.platforms.set_index("platform")
    names = p.index
    ev = net.interactions
    ev = ev[ev["platform"] != OFFLINE]
    incoming = (ev["direction"] == "in").to_numpy()
    outgoing = ~incoming
    kind = ev["kind"]

    def count(mask: Any) -> pd.Series:
        return ev.loc[mask, "platform"].value_counts().reindex(names, fill_value=0)

    posts = count(outgoing & (kind == "post").to_numpy())
    conversations = count(incoming & kind.isin(_CONVERSATION_KINDS).to_numpy())
    shares = count(incoming & (kind == "share").to_numpy())
    likes = count(incoming & (kind == "like").to_numpy())
    sent = count(outgoing)
    promotional = count(outgoing & ev["is_promotional"].to_numpy())

    with_people = ev.loc[ev["contact_id"].notna(), ["platform", "contact_id", "direction"]]
    per_person = with_people.groupby(["platform", "contact_id"], observed=True)[
        "direction"].nunique()
    people = per_person.groupby(level="platform").size().reindex(names, fill_value=0)
    two_way = (per_person == 2).groupby(level="platform").sum().reindex(names, fill_value=0)

    roles = net.contacts.set_index("contact_id")["role"].astype("str")
    from_tribe = ev["contact_id"].map(roles).isin(TRIBE_ROLES).to_numpy()
    is_tribe = from_tribe[ev["contact_id"].notna().to_numpy()]
    tribe = (with_people.loc[is_tribe].groupby("platform")["contact_id"].nunique()
             .reindex(names, fill_value=0))
    tribe_conversations = count(incoming & kind.isin(_CONVERSATION_KINDS).to_numpy()
                                & from_tribe)

    last = ev.groupby("platform")["timestamp"].max().reindex(names)

    # A platform with no posts counts as one post, so a rate is never 0/0: it is
    # then simply the number received (0 when nothing came in).
    per_post = posts.clip(lower=1).astype("float64")
    followers = p["followers"].astype("int64")
    table = pd.DataFrame({
        "followers": followers,
        "posts": posts.astype("int64"),
        "conversations": conversations.astype("int64"),
        "conversation_rate": conversations / per_post,
        "tribe_conversation_rate": tribe_conversations / per_post,
        "amplification_rate": shares / per_post,
        "applause_rate": likes / per_post,
        "people": people.astype("int64"),
        "two_way_partners": two_way.astype("int64"),
        "latent_ties": (followers - people).clip(lower=0).astype("int64"),
        "tribe_present": tribe.astype("int64"),
        "sent": sent.astype("int64"),
        "promotional_share": (promotional / sent.clip(lower=1)).astype("float64"),
        "last_activity": last,
    }, index=names)
    table.index.name = "platform"
    return table


def _label_positions(x: Any, y: Any, text: Any, log_x: bool = False,
                     size: tuple[float, float] = (900.0, 330.0),
                     y_range: tuple[float, float] | None = None,
                     x_range: tuple[float, float] | None = None) -> list[str]:
    """Where to put each point's label so that labels overlap as little as possible.

    A greedy choice among eight places (above, below, right, left, then the
    corners) for a handful of points, in approximate pixels of a plot area of
    ``size``. Give the axis ranges the chart really uses (``x_range`` in log10
    units when ``log_x``), so the estimate matches what is drawn.
    """
    xs = np.log10(np.clip(np.asarray(x, dtype=float), 1, None)) if log_x \
        else np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    labels = [str(t) for t in text]
    if not len(xs):
        return []

    def scale(v: np.ndarray, pixels: float, lo: float, hi: float) -> np.ndarray:
        return (np.nan_to_num(v) - lo) / ((hi - lo) or 1.0) * pixels

    lo_y, hi_y = y_range if y_range is not None else (np.nanmin(ys), np.nanmax(ys))
    lo_x, hi_x = x_range if x_range is not None else (np.nanmin(xs), np.nanmax(xs))
    px = scale(xs, size[0], float(lo_x), float(hi_x))
    py = scale(ys, size[1], float(lo_y), float(hi_y))
    char, height, gap = 8.0, 17.0, 9.0  # 14 px text
    options = {
        "top center": lambda x0, y0, w: (x0 - w / 2, y0 + gap, x0 + w / 2, y0 + gap + height),
        "bottom center": lambda x0, y0, w: (x0 - w / 2, y0 - gap - height, x0 + w / 2,
                                            y0 - gap),
        "middle right": lambda x0, y0, w: (x0 + gap, y0 - height / 2, x0 + gap + w,
                                           y0 + height / 2),
        "middle left": lambda x0, y0, w: (x0 - gap - w, y0 - height / 2, x0 - gap,
                                          y0 + height / 2),
        "top right": lambda x0, y0, w: (x0 + gap / 2, y0 + gap / 2, x0 + gap / 2 + w,
                                        y0 + gap / 2 + height),
        "top left": lambda x0, y0, w: (x0 - gap / 2 - w, y0 + gap / 2, x0 - gap / 2,
                                       y0 + gap / 2 + height),
        "bottom right": lambda x0, y0, w: (x0 + gap / 2, y0 - gap / 2 - height,
                                           x0 + gap / 2 + w, y0 - gap / 2),
        "bottom left": lambda x0, y0, w: (x0 - gap / 2 - w, y0 - gap / 2 - height,
                                          x0 - gap / 2, y0 - gap / 2),
    }
    points = [(x0 - 6, y0 - 6, x0 + 6, y0 + 6) for x0, y0 in zip(px, py, strict=True)]
    placed: list[tuple[float, float, float, float]] = []

    def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
        w = min(a[2], b[2]) - max(a[0], b[0])
        h = min(a[3], b[3]) - max(a[1], b[1])
        return max(w, 0) * max(h, 0)

    chosen = [""] * len(labels)
    for i in np.argsort(-py, kind="stable"):  # top points first
        w = char * len(labels[i])
        best, best_cost = "top center", math.inf
        for name, box_of in options.items():
            box = box_of(px[i], py[i], w)
            cost = sum(overlap(box, other) for other in placed)
            cost += sum(overlap(box, pt) for j, pt in enumerate(points) if j != i)
            if box[0] < -20 or box[2] > size[0] + 20 or box[1] < -4:  # off the plot
                cost += 1e6
            if cost < best_cost - 1e-9:
                best, best_cost = name, cost
        chosen[i] = best
        placed.append(options[best](px[i], py[i], w))
    return chosen


# --------------------------------------------------------------------------- engagement


@dataclasses.dataclass(frozen=True)
class Engagement:
    """Vanity against engagement, one row per platform.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by ``platform``; the columns are described in :func:`engagement`.
    period : tuple of pandas.Timestamp, or None
        First and last interaction the measures cover (None for no interactions).
    """

    table: pd.DataFrame
    period: tuple[pd.Timestamp, pd.Timestamp] | None

    def figure(self, kind: str = "scatter") -> Any:
        """Draw the table.

        Parameters
        ----------
        kind : {"scatter", "latent"}
            ``"scatter"``: followers (log scale) against comments and replies
            received per post, one labelled point per platform. ``"latent"``:
            each platform's followers split into the people you interacted with
            there and the latent ties.

        Returns
        -------
        plotly.graph_objects.Figure
        """
        import plotly.graph_objects as go

        from thinksmall_kit._theme import PALETTE, style

        t = self.table
        if kind == "scatter":
            x = t["followers"].clip(lower=1)  # a log axis cannot show 0
            rate = t["conversation_rate"].fillna(0.0)
            # Fixed ranges, so the label placement knows the scale that is drawn.
            x_range = (math.log10(x.min()) - 0.2, math.log10(x.max()) + 0.2)
            top = max(float(rate.max()), 0.1)
            y_range = (-0.06 * top, top * 1.12)
            fig = go.Figure(go.Scatter(
                x=x, y=t["conversation_rate"], mode="markers+text", text=t.index,
                textposition=_label_positions(x, rate, t.index, log_x=True, size=(880.0, 330.0),
                                              x_range=x_range, y_range=y_range),
                marker={"size": 12, "color": PALETTE[0]},
                customdata=np.stack([t["followers"], t["posts"], t["conversations"]], axis=1),
                hovertemplate=("<b>%{text}</b><br>%{customdata[0]:,} followers<br>"
                               "%{customdata[1]:,} posts, %{customdata[2]:,} comments and "
                               "replies<br>%{y:.2f} per post<extra></extra>"),
            ))
            fig.update_xaxes(type="log", dtick=1, tickformat=",", range=list(x_range))
            fig.update_yaxes(range=list(y_range))
            return style(fig, "Followers against conversation, per platform",
                         "followers (log scale)", "comments and replies received per post")
        if kind == "latent":
            order = t.sort_values("followers").index
            t = t.loc[order]
            fig = go.Figure([
                go.Bar(y=t.index, x=t["people"], orientation="h",
                       name="people you interacted with", marker_color=PALETTE[2]),
                go.Bar(y=t.index, x=t["latent_ties"], orientation="h",
                       name="latent ties (never interacted with)", marker_color=PALETTE[7]),
            ])
            fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.15,
                                                       "traceorder": "normal"})
            return style(fig, "Followers you talk with, and latent ties",
                         "people (interacted with + latent ties ≈ followers)",
                         None, height=max(360, 28 * len(t) + 160))
        raise ValueError(f"figure(kind={kind!r}): choose 'scatter' or 'latent'")


def engagement(net: Network) -> Engagement:
    """Vanity against engagement for every platform in ``net``.

    Follower counts say how many could see you; these measures say how many
    answer. They follow Avinash Kaushik's social metrics (conversation,
    amplification and applause rates: what each post brings back).

    Parameters
    ----------
    net : Network
        Measured over its whole period; pass ``net.between(start, end)`` for
        part of it. The ``offline`` channel (e-mail, calls, meetings) is not a
        platform and is left out.

    Returns
    -------
    Engagement
        ``.table`` has one row per platform (index ``platform``) with:

        ``followers``
            the vanity number, from the platforms table;
        ``posts``
            your own posts (kind ``post``, direction ``out``);
        ``conversations``
            comments and replies you received;
        ``tribe_conversation_rate``
            the same as ``conversation_rate``, counting only comments and
            replies from people with a tribe role (:data:`TRIBE_ROLES`);
        ``conversation_rate``, ``amplification_rate``, ``applause_rate``
            comments and replies, shares, and likes received per post. A platform
            with no posts counts as one post, so the rate is then the number
            received (never a division by zero);
        ``people``
            distinct people you interacted with there, either way;
        ``two_way_partners``
            people with interactions in both directions there;
        ``latent_ties``
            followers minus ``people``, never below 0. An estimate: exports
            rarely list every follower, and someone you talked with need not
            follow you;
        ``tribe_present``
            people with a tribe role (:data:`TRIBE_ROLES`) who interacted with
            you there;
        ``sent``, ``promotional_share``
            what you sent there, and the share of it marked promotional (0 when
            you sent nothing);
        ``last_activity``
            the last interaction there (empty when there was none).

    Raises
    ------
    TypeError
        ``net`` is not a Network.

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> e = tsk.engagement(tsk.load_persona("ceramics"))
    >>> row = e.table.loc["tiktok"]
    >>> int(row["followers"]), round(float(row["conversation_rate"]), 3)
    (9000, 0.027)
    >>> int(row["latent_ties"]) > 8000
    True

    Introduced in lesson 01 (``lessons/01-numbers-vs-relationships.ipynb``).
    """
    net = _check_net(net, "engagement")
    return Engagement(table=_measures(net), period=net.period)


# --------------------------------------------------------------------------- the score


@dataclasses.dataclass(frozen=True)
class AuditWeights:
    """The weights of the audit score, all in one place.

    Each part of the score is first scaled to run from 0 to 1, so the weights
    compare directly: a weight of 2 counts twice as much as a weight of 1.

    ``return`` = weighted average of the five *gains*:

    ``conversation`` (default 1)
        comments and replies received *from tribe members* per post, divided by
        the best platform's. A busy thread among fellow professionals is an
        echo chamber, not your customers talking. While no contact has a tribe
        role yet (an export before you tag roles in lesson 03), every comment
        and reply counts;
    ``two_way`` (default 1)
        two-way partners, divided by the most on any platform;
    ``tribe`` (default 3)
        tribe members present, divided by the most on any platform;
    ``fit`` (default 2)
        your own ``audience_fit`` (0 to 1). Not assessed counts as 0: the
        score credits only what you claim or what the data show.
        Tribe and fit together carry most of the weight (5 of 7.5): the point
        of the audit is to keep the few places where your customers, fans and
        partners actually are;
    ``recency`` (default 0.5)
        exp(-days since the last activity / ``recency_days``); 0 with no activity.

    ``score`` = ``return`` minus the *costs*:

    ``promotion`` (default 0.25)
        times the share of what you send that is promotion;
    ``effort`` (default 0.25)
        times your minutes a week there, divided by the most on any platform.

    ``recency_days`` (default 30) is the time scale of recency, not a weight:
    a platform quiet for 30 days gets exp(-1) = 0.37 of the recency part.

    These are teaching choices, not measured truths: change them and watch the
    verdicts move (``tsk.audit(net, weights={"tribe": 4})``).
    """

    conversation: float = 1.0
    two_way: float = 1.0
    tribe: float = 3.0
    fit: float = 2.0
    recency: float = 0.5
    promotion: float = 0.25
    effort: float = 0.25
    recency_days: float = 30.0

    GAINS = ("conversation", "two_way", "tribe", "fit", "recency")
    COSTS = ("promotion", "effort")

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real) \
                    or not math.isfinite(value) or value < 0:
                raise DataError(f"weights: {field.name}={value!r} is not usable\n"
                                f"  expected: a number >= 0 (the default is "
                                f"{field.default})")
        if self.recency_days <= 0:
            raise DataError(f"weights: recency_days={self.recency_days!r} must be above 0 "
                            "(the default is 30 days)")

    @classmethod
    def from_any(cls, weights: AuditWeights | Mapping[str, float] | None) -> AuditWeights:
        """Accept None (defaults), an AuditWeights, or a dict of the weights to change."""
        if weights is None:
            return cls()
        if isinstance(weights, cls):
            return weights
        if isinstance(weights, Mapping):
            known = [f.name for f in dataclasses.fields(cls)]
            unknown = [k for k in weights if k not in known]
            if unknown:
                raise DataError(f"weights: no weight named {unknown}\n"
                                f"  expected: some of {', '.join(known)}")
            return cls(**dict(weights))
        raise TypeError(f"weights: expected a dict such as {{'tribe': 3}} or AuditWeights, "
                        f"got {type(weights).__name__}")


def _share_of_best(s: pd.Series) -> pd.Series:
    best = s.max() if len(s) else 0
    if not best or not np.isfinite(best) or best <= 0:
        return pd.Series(0.0, index=s.index)
    return (s / best).astype("float64")


def _parts(m: pd.DataFrame, minutes: pd.Series, fit: pd.Series, days: pd.Series,
           w: AuditWeights, tribe_known: bool) -> pd.DataFrame:
    """Every part of the score on a 0..1 scale (before weighting)."""
    talk = m["tribe_conversation_rate"] if tribe_known else m["conversation_rate"]
    return pd.DataFrame({
        "conversation": _share_of_best(talk),
        "two_way": _share_of_best(m["two_way_partners"]),
        "tribe": _share_of_best(m["tribe_present"]),
        "fit": fit.fillna(0.0).astype("float64"),
        "recency": np.exp(-days.astype("float64") / w.recency_days).fillna(0.0),
        "promotion": m["promotional_share"].astype("float64"),
        "effort": _share_of_best(minutes),
    }, index=m.index)


# --------------------------------------------------------------------------- the result


@dataclasses.dataclass(frozen=True)
class Audit:
    """The audit of a network: effort against return, keep or cut, per platform.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per platform (index ``platform``), best score first; columns
        are described in :func:`audit`.
    parts : pandas.DataFrame
        The score taken apart: each part on its 0..1 scale, before weighting.
        ``(parts[gains] * weights).sum(axis=1) / sum(gain weights)`` is the
        return; the score subtracts ``parts[costs] * weights``.
    keep_n : int
        How many platforms you asked to keep.
    budget_minutes : float
        Your weekly time budget.
    weights : AuditWeights
        The weights used.
    period : tuple of pandas.Timestamp, or None
        First and last interaction the measures cover.
    as_of : pandas.Timestamp or None
        The day "days since last activity" counts up to.
    tribe_known : bool
        Whether any contact has a tribe role. When none has, conversation
        counts every comment and reply, and ``tribe_present`` is 0 everywhere.
    """

    table: pd.DataFrame
    parts: pd.DataFrame
    keep_n: int
    budget_minutes: float
    weights: AuditWeights
    period: tuple[pd.Timestamp, pd.Timestamp] | None
    as_of: pd.Timestamp | None
    tribe_known: bool = True

    # Verdicts and time ------------------------------------------------------
    @property
    def keep(self) -> list[str]:
        """The platforms to keep, best first."""
        return self.table.index[self.table["verdict"] == "keep"].tolist()

    @property
    def cut(self) -> list[str]:
        """The platforms to cut, best first."""
        return self.table.index[self.table["verdict"] == "cut"].tolist()

    @property
    def total_minutes(self) -> float:
        """Minutes a week on all platforms now."""
        return float(self.table["minutes_per_week"].sum())

    @property
    def kept_minutes(self) -> float:
        """Minutes a week on the platforms you keep."""
        t = self.table
        return float(t.loc[t["verdict"] == "keep", "minutes_per_week"].sum())

    @property
    def freed_minutes(self) -> float:
        """Minutes a week that cutting gives back."""
        return self.total_minutes - self.kept_minutes

    @property
    def over_budget(self) -> bool:
        """True when all platforms together take more than the budget: the burnout warning."""
        return self.total_minutes > self.budget_minutes

    @property
    def warning(self) -> str | None:
        """The burnout warning in words, or None within budget."""
        if not self.over_budget:
            return None
        over = self.total_minutes - self.budget_minutes
        return (f"Burnout warning: your platforms take {_hours(self.total_minutes)}, "
                f"{_hours(over).removesuffix(' a week')} over your budget of "
                f"{_hours(self.budget_minutes)}.")

    def summary(self) -> str:
        """A few lines in plain words: the keepers, the time, the warning."""
        lines = []
        if self.period is not None:
            lines.append(f"Measured over {self.period[0]:%Y-%m-%d} to {self.period[1]:%Y-%m-%d}.")
        keep = self.keep
        lines.append(f"Keep {len(keep)} of {len(self.table)}: "
                     + (", ".join(keep) if keep else "none") + ".")
        lines.append(f"Time now: {_hours(self.total_minutes)}; after cutting: "
                     f"{_hours(self.kept_minutes)}; freed: {_hours(self.freed_minutes)}.")
        if self.warning:
            lines.append(self.warning)
            if self.kept_minutes > self.budget_minutes:
                lines.append("Even the platforms you keep take more than the budget: "
                             "spend less time on each, not only on fewer.")
            else:
                lines.append("Cutting brings you within budget.")
        else:
            lines.append(f"Within your budget of {_hours(self.budget_minutes)}.")
        if not self.tribe_known and self.table["people"].sum() > 0:
            lines.append("No contact has a tribe role yet, so every comment counts as "
                         "conversation; tag roles (lesson 03) for a sharper audit.")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"Audit of {_plural(len(self.table), 'platform')}\n{self.summary()}"

    def _repr_html_(self) -> str:
        import html

        shown = self.table[["minutes_per_week", "followers", "tribe_present", "score",
                            "verdict", "reason"]]
        text = "<br>".join(html.escape(line) for line in self.summary().splitlines())
        return f"<p>{text}</p>" + shown.to_html(float_format=lambda x: f"{x:.2f}")

    # Figures ----------------------------------------------------------------
    def figure(self, kind: str = "effort") -> Any:
        """Draw the audit.

        Parameters
        ----------
        kind : {"effort", "budget"}
            ``"effort"``: minutes a week against return, one labelled point per
            platform, keepers green and cut platforms orange. ``"budget"``: the
            minutes a week now and after cutting, against your budget.

        Returns
        -------
        plotly.graph_objects.Figure
        """
        import plotly.graph_objects as go

        from thinksmall_kit._theme import STATUS_COLOURS, style

        t = self.table
        if kind == "effort":
            fig = go.Figure()
            top = max(float(t["return_score"].max()) * 1.15, 0.1)
            # Minutes spread from a few to hundreds, and the small platforms crowd
            # together on a linear axis: a log axis (ticks in plain minutes) gives each
            # its own room and its label a place.
            minutes = t["minutes_per_week"].clip(lower=1)
            x_range = (math.log10(minutes.min() / 1.4), math.log10(minutes.max() * 1.25))
            where = pd.Series(_label_positions(minutes, t["return_score"], t.index,
                                               log_x=True, size=(880.0, 410.0),
                                               y_range=(-0.02 * top, top), x_range=x_range),
                              index=t.index)
            for verdict, symbol in (("keep", "circle"), ("cut", "x")):
                part = t[t["verdict"] == verdict]
                fig.add_trace(go.Scatter(
                    x=minutes[part.index], y=part["return_score"], mode="markers+text",
                    text=part.index, textposition=where[part.index].tolist(), name=verdict,
                    marker={"size": 13, "color": STATUS_COLOURS[verdict], "symbol": symbol},
                    customdata=part[["reason"]].to_numpy(),
                    hovertemplate="<b>%{text}</b><br>%{customdata[0]}<extra></extra>",
                ))
            fig.update_yaxes(range=[-0.02 * top, top])
            ticks = [v for v in (1, 2, 4, 8, 15, 30, 60, 120, 240, 480, 960, 1920, 3840)
                     if minutes.min() / 1.5 <= v <= minutes.max() * 1.5]
            fig.update_xaxes(type="log", tickvals=ticks, ticktext=[f"{v:,}" for v in ticks],
                             range=list(x_range))
            fig.update_layout(legend={"title": {"text": "verdict"}})
            return style(fig, f"Effort against return: keep {len(self.keep)}, "
                              f"cut {len(self.cut)}",
                         "effort (minutes a week; each mark doubles)",
                         "return (0 = none, 1 = best on every part)", height=540)
        if kind == "budget":
            fig = go.Figure([
                go.Bar(x=["now", "after cutting"], y=[self.kept_minutes, self.kept_minutes],
                       name="platforms you keep", marker_color=STATUS_COLOURS["keep"]),
                go.Bar(x=["now", "after cutting"], y=[self.freed_minutes, 0],
                       name="platforms you cut", marker_color=STATUS_COLOURS["cut"]),
            ])
            fig.add_hline(y=self.budget_minutes, line_dash="dash", line_color="#222222",
                          annotation_text=f"budget: {_hours(self.budget_minutes)}",
                          annotation_position="top right", annotation_bgcolor="white")
            fig.update_layout(barmode="stack")
            return style(fig, "Your week on social media, against your budget", None,
                         "minutes a week")
        raise ValueError(f"figure(kind={kind!r}): choose 'effort' or 'budget'")


# --------------------------------------------------------------------------- reasons


def _reasons(t: pd.DataFrame, keep_n: int) -> list[str]:
    """One plain-language reason per row of the (sorted) audit table."""
    n = len(t)
    reasons = []
    for rank, (_name, r) in enumerate(t.iterrows(), start=1):  # a handful of platforms
        time = _hours(float(r["minutes_per_week"]))
        replies = ("no posts" if r["posts"] == 0
                   else f"{_rate(r['conversation_rate'])} comments and replies per post")
        people = (f"{_plural(int(r['tribe_present']), 'tribe member')}, "
                  f"{_plural(int(r['two_way_partners']), 'two-way partner')}")
        extras = []
        if r["promotional_share"] >= 0.25:
            extras.append(f"{r['promotional_share']:.0%} of what you send is promotion")
        if not pd.isna(r["days_since_last"]) and r["days_since_last"] > 60:
            extras.append(f"quiet for {int(r['days_since_last'])} days")
        tail = "; ".join([*extras, time])
        idle = r["sent"] == 0 and r["people"] == 0 and r["conversations"] == 0
        if idle:  # a hand inventory, or an account left alone: only your own estimate
            fit = r["audience_fit"]
            facts = ("no activity recorded, audience fit not given" if pd.isna(fit)
                     else f"no activity recorded, audience fit {fit:.2g} (your estimate)")
        else:
            facts = f"{people}, {replies}"
        if r["verdict"] == "keep":
            text = f"{facts}; {tail}"
        elif idle and r["return_score"] <= 0:
            text = f"no activity in this period and no audience fit given; {tail}"
        elif r["return_score"] <= 0:
            text = f"nothing comes back here: {people}; {tail}"
        elif not idle and r["followers"] >= 500 and r["latent_ties"] >= 0.9 * r["followers"]:
            # the vanity case: a big audience you hardly ever hear from
            text = f"{r['followers']:,} followers but {replies}; {people}; {tail}"
        else:
            text = f"ranked {rank} of {n}, after the {keep_n} you keep: {facts}; {tail}"
        reasons.append(text)
    return reasons


# --------------------------------------------------------------------------- audit


def _check_number(name: str, value: Any, low: float, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < low or (high is not None and value > high):
        upper = f" and at most {high:g}" if high is not None else ""
        raise DataError(f"{name}: got {value!r}\n  expected: a number of at least {low:g}"
                        f"{upper}")
    return value


def audit(net: Network, keep: int = 5, budget_minutes: float = DEFAULT_BUDGET_MINUTES, *,
          weights: AuditWeights | Mapping[str, float] | None = None,
          as_of: Any = None) -> Audit:
    """Audit every platform: effort against return, and which ``keep`` to keep.

    Parameters
    ----------
    net : Network
        Measured over its whole period; pass ``net.between(start, end)`` to
        audit part of it (the last three months, say). Effort is the
        ``minutes_per_week`` you reported in the platforms table; the
        ``offline`` channel is not a platform and is not audited.
    keep : int, default 5
        How many platforms to keep at most (cut twenty down to five).
    budget_minutes : float, default 210
        Your weekly time budget for all platforms together, in minutes. The
        default, 30 minutes a day, follows Hunt et al. (2018): limiting social
        media to about 30 minutes a day for three weeks reduced loneliness and
        depression. Above it, :attr:`Audit.warning` is a burnout warning.
    weights : dict or AuditWeights, optional
        The weights of the score (see :class:`AuditWeights` for the formula
        and the defaults). A dict changes only the weights it names:
        ``weights={"tribe": 4, "effort": 1}``.
    as_of : date, optional
        The day "days since last activity" counts up to; by default the last
        interaction in ``net``.

    Returns
    -------
    Audit
        ``.table`` has one row per platform (index ``platform``), best score
        first: every column of :func:`engagement`, plus

        ``minutes_per_week``, ``audience_fit``
            from the platforms table (effort, and your own guess of fit);
        ``days_since_last``
            whole days from the last interaction there to ``as_of`` (empty,
            ``<NA>``, when nothing happened there in the period);
        ``return_score``
            0 to 1: the weighted average of the gains (conversation, two-way
            partners, tribe members present, audience fit, recency);
        ``score``
            ``return_score`` minus the costs (promotion, effort);
        ``verdict``
            ``"keep"`` for the ``keep`` best scores among the platforms whose
            return is above 0, ``"cut"`` for the rest: a platform where nothing
            comes back is cut even when there is room. Ties go to the platform
            that takes fewer minutes;
        ``reason``
            why, in plain words.

        ``.keep``, ``.cut``, ``.total_minutes``, ``.kept_minutes``,
        ``.freed_minutes``, ``.over_budget``, ``.warning``, ``.summary()`` and
        ``.figure()`` (effort against return) complete it.

    Raises
    ------
    TypeError
        ``net`` is not a Network, or ``keep``/``budget_minutes`` is not a number.
    DataError
        The network has no platforms, ``keep`` is below 1, the budget is
        negative, or a weight is unknown or negative.

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> result = tsk.audit(tsk.load_persona("ceramics"))
    >>> result.keep
    ['instagram', 'newsletter', 'etsy', 'facebook', 'nextdoor']
    >>> result.total_minutes, result.budget_minutes, result.over_budget
    (1510.0, 210.0, True)
    >>> result.table.loc["tiktok", "reason"]
    '9,000 followers but 0.03 comments and replies per post; 94 tribe members, 21 two-way partners;
    45% of what you send is promotion; 5 h a week'

    Introduced in lesson 02 (``lessons/02-audit-your-networks.ipynb``).
    """
    net = _check_net(net, "audit")
    if isinstance(keep, bool) or not isinstance(keep, numbers.Integral):
        raise TypeError(f"audit(keep=...): expected a whole number such as 5, got {keep!r}")
    if keep < 1:
        raise DataError(f"audit(keep={keep}): keep at least 1 platform")
    keep = int(keep)
    budget = _check_number("audit(budget_minutes=...)", budget_minutes, 0)
    w = AuditWeights.from_any(weights)
    if net.platforms.empty:
        raise DataError("audit: this network has no platforms to audit\n"
                        "  expected: a platforms table with one row per account\n"
                        "  fix: add them by hand with tsk.inventory_form(ws) or "
                        "tsk.save_platform(ws, 'instagram', minutes_per_week=60, ...)")

    m = _measures(net)
    p = net.platforms.set_index("platform")
    minutes = p["minutes_per_week"].astype("float64")
    fit = p["audience_fit"].astype("float64")
    if as_of is None:
        end = net.period[1] if net.period is not None else None
    else:
        from thinksmall_kit.network import _as_utc
        end = _as_utc(as_of, "audit(as_of=...)")
    if end is None:
        days = pd.Series(pd.NA, index=m.index, dtype="Int64")
    else:
        days = ((end - m["last_activity"]).dt.total_seconds() / 86400).clip(lower=0)
        days = np.floor(days).astype("Int64")

    tribe_known = bool(net.contacts["role"].isin(TRIBE_ROLES).any())
    parts = _parts(m, minutes, fit, days, w, tribe_known)
    gain_total = sum(getattr(w, g) for g in AuditWeights.GAINS)
    gains = sum(parts[g] * getattr(w, g) for g in AuditWeights.GAINS)
    costs = sum(parts[c] * getattr(w, c) for c in AuditWeights.COSTS)
    return_score = gains / gain_total if gain_total > 0 else gains * 0.0

    table = m.drop(columns=["last_activity"]).assign(
        minutes_per_week=minutes,
        audience_fit=fit,
        last_activity=m["last_activity"],
        days_since_last=days,
        return_score=return_score.astype("float64"),
        score=(return_score - costs).astype("float64"),
    )
    first = ["minutes_per_week", "followers"]
    table = table[first + [c for c in table.columns if c not in first]]
    # Best score first; ties to fewer minutes, then by name, so the order never wobbles.
    table = (table.reset_index()
             .sort_values(["score", "minutes_per_week", "platform"],
                          ascending=[False, True, True], kind="stable")
             .set_index("platform"))
    result = Audit(table=table, parts=parts.loc[table.index], keep_n=keep,
                   budget_minutes=budget, weights=w, period=net.period, as_of=end,
                   tribe_known=tribe_known)
    return _decide(result, keep, budget)


def _decide(result: Audit, keep: int, budget: float) -> Audit:
    """Verdicts and reasons for ``keep`` platforms on an audit's (sorted) table.

    The scores do not depend on ``keep`` or the budget, so the what-if widget
    calls only this, never the measures again.
    """
    table = result.table.drop(columns=["verdict", "reason"], errors="ignore")
    # Rank among the platforms that return anything: a dead one never takes a place.
    returns = (table["return_score"] > 0).to_numpy()
    table["verdict"] = np.where(returns & (np.cumsum(returns) <= keep), "keep", "cut")
    table["reason"] = _reasons(table, keep)
    return dataclasses.replace(result, table=table, keep_n=keep, budget_minutes=budget)


# --------------------------------------------------------------------------- by hand


def _clean_platform_row(platform: Any, handle: Any, minutes_per_week: Any, followers: Any,
                        audience_fit: Any, purpose: Any) -> dict[str, Any]:
    """Check one hand-entered platform; DataError with a plain message when it does not fit."""
    if not isinstance(platform, str) or not platform.strip():
        raise DataError("platform: give the platform's name, e.g. 'instagram'")
    name = platform.strip().lower()
    if any(ch.isspace() for ch in name):
        raise DataError(f"platform: {platform!r} has spaces\n"
                        f"  expected: one word, e.g. 'linkedin' or 'local-market'\n"
                        f"  fix: try {'-'.join(name.split())!r}")
    if name == OFFLINE:
        raise DataError(f"platform: {OFFLINE!r} is kept for e-mail, calls and meetings, "
                        "which are not accounts to audit; name the platform instead")
    for label, value in (("handle", handle), ("purpose", purpose)):
        if not isinstance(value, str):
            raise DataError(f"{label}: expected text, got {value!r}")
    if isinstance(minutes_per_week, str) or isinstance(followers, str):
        raise DataError("minutes_per_week and followers: expected numbers, not text "
                        "(write 1200, not '1.2k')")
    minutes = _check_number("minutes_per_week", minutes_per_week, 0, _WEEK_MINUTES)
    count = _check_number("followers", followers, 0)
    if count != int(count):
        raise DataError(f"followers: expected a whole number, got {followers!r}")
    if audience_fit is None or (isinstance(audience_fit, float) and math.isnan(audience_fit)):
        fit = math.nan
    else:
        fit = _check_number("audience_fit", audience_fit, 0, 1)
    return {"platform": name, "handle": handle.strip(), "followers": int(count),
            "minutes_per_week": minutes, "audience_fit": fit, "purpose": purpose.strip()}


def save_platform(ws: Any, platform: str, *, handle: str = "", minutes_per_week: float = 0.0,
                  followers: int = 0, audience_fit: float | None = None,
                  purpose: str = "") -> str:
    """Add a platform to your workspace's saved network by hand, or update it.

    For when you have no data export: list each account you hold with the
    time it takes you, and :func:`audit` can weigh it. The row goes into the
    platforms table of the network saved in ``ws`` (a network with only
    platforms is made if none is saved yet). Contacts, interactions, role
    tags and notes already saved are left as they were; the change is one
    transaction, so a crash halfway loses nothing.

    Parameters
    ----------
    ws : Workspace
        From :func:`~thinksmall_kit.open_workspace`.
    platform : str
        One word, lower case (``"Instagram "`` becomes ``"instagram"``). A
        platform already saved is updated.
    handle, purpose : str
        Your name there; why you are there.
    minutes_per_week : float
        Your honest estimate of the time it takes, 0 to 10,080.
    followers : int
        Followers or connections, 0 or more.
    audience_fit : float, optional
        0 to 1: how much of your customers, fans and partners are there.
        Leave it out when you cannot say yet.

    Returns
    -------
    str
        ``"added"`` or ``"updated"``.

    Raises
    ------
    DataError
        A value does not fit; the message says which and what was expected.
        Nothing is written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import thinksmall_kit as tsk
    >>> ws = tsk.open_workspace(pathlib.Path(tempfile.mkdtemp()) / "w.sqlite")
    ... # doctest: +ELLIPSIS
    Workspace: ...
    >>> tsk.save_platform(ws, "Instagram", minutes_per_week=120, followers=800,
    ...                   audience_fit=0.6)
    'added'
    >>> tsk.save_platform(ws, "instagram", minutes_per_week=60, followers=800)
    'updated'
    >>> ws.load_network().platforms[["platform", "minutes_per_week"]].to_dict("records")
    [{'platform': 'instagram', 'minutes_per_week': 60.0}]
    >>> ws.close()

    Introduced in lesson 02 (``lessons/02-audit-your-networks.ipynb``).
    """
    from thinksmall_kit.workspace import SCHEMA, Workspace, _column_to_sql, _now_text

    if not isinstance(ws, Workspace):
        raise TypeError(f"save_platform: expected a Workspace (ws = tsk.open_workspace()), "
                        f"got {type(ws).__name__}")
    row = _clean_platform_row(platform, handle, minutes_per_week, followers, audience_fit,
                              purpose)
    # The Network's own check, so a hand-made row obeys the same rules as an import.
    checked = Network(platforms=pd.DataFrame([row])).platforms
    columns = list(SCHEMA["platforms"])
    values = [_column_to_sql(SCHEMA["platforms"][c].dtype, checked[c])[0] for c in columns]
    quoted = ", ".join(f'"{c}"' for c in columns)
    with ws._write() as con:
        found = con.execute("SELECT position FROM platforms WHERE platform = ?",
                            (row["platform"],)).fetchone()
        if found is not None:
            sets = ", ".join(f'"{c}" = ?' for c in columns)
            con.execute(f"UPDATE platforms SET {sets} WHERE position = ?",
                        (*values, found[0]))
        else:
            position = con.execute(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM platforms").fetchone()[0]
            marks = ", ".join("?" * (len(columns) + 1))
            con.execute(f"INSERT INTO platforms (position, {quoted}) VALUES ({marks})",
                        (position, *values))
        if con.execute("SELECT 1 FROM network_info").fetchone() is None:
            con.execute("INSERT INTO network_info (id, saved_at) VALUES (1, ?)",
                        (_now_text(),))
        else:
            con.execute("UPDATE network_info SET saved_at = ? WHERE id = 1", (_now_text(),))
    return "updated" if found is not None else "added"


def _saved_platforms(ws: Any) -> pd.DataFrame:
    """The platforms table saved in ``ws`` (empty when nothing is saved), cheaply."""
    from thinksmall_kit.workspace import SCHEMA

    columns = list(SCHEMA["platforms"])
    quoted = ", ".join(f'"{c}"' for c in columns)
    with ws._read() as con:
        rows = con.execute(f"SELECT {quoted} FROM platforms ORDER BY position").fetchall()
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- widgets


def inventory_form(ws: Any = None) -> Any:
    """A form to list your platforms by hand, saved into your workspace.

    Fields: platform, handle, minutes a week, followers, audience fit (0 to 1)
    and purpose. **Save** calls :func:`save_platform`; a value that does not
    fit is shown in red inside the form (nothing is saved), never as a
    traceback. Below the form, the platforms saved so far.

    Parameters
    ----------
    ws : Workspace, optional
        Where to save; by default :func:`~thinksmall_kit.open_workspace`.

    Returns
    -------
    InventoryForm
        Shows itself in a notebook. Its controls are attributes (``.platform``,
        ``.minutes``, ``.followers``, ``.fit``, ``.handle``, ``.purpose``,
        ``.save_button``, ``.message``, ``.saved``) and ``.save()`` does what
        the button does, so it can be driven from code.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import thinksmall_kit as tsk
    >>> ws = tsk.open_workspace(pathlib.Path(tempfile.mkdtemp()) / "w.sqlite")
    ... # doctest: +ELLIPSIS
    Workspace: ...
    >>> form = tsk.inventory_form(ws)
    >>> form.platform.value, form.minutes.value = "x", -5
    >>> form.save()
    False
    >>> "minutes_per_week" in form.message.value
    True
    >>> ws.close()

    Introduced in lesson 02 (``lessons/02-audit-your-networks.ipynb``).
    """
    from thinksmall_kit._audit_widgets import InventoryForm
    from thinksmall_kit.workspace import Workspace, open_workspace

    if ws is None:
        ws = open_workspace()
    if not isinstance(ws, Workspace):
        raise TypeError(f"inventory_form: expected a Workspace (ws = tsk.open_workspace()), "
                        f"got {type(ws).__name__}")
    return InventoryForm(ws)


def audit_what_if(net: Network, keep: int = 5, budget_minutes: float = DEFAULT_BUDGET_MINUTES,
                  *, weights: AuditWeights | Mapping[str, float] | None = None) -> Any:
    """A widget: move the sliders for ``keep`` and the budget, watch the verdicts change.

    Parameters
    ----------
    net, keep, budget_minutes, weights
        As for :func:`audit`; ``keep`` and ``budget_minutes`` are where the
        sliders start.

    Returns
    -------
    WhatIf
        Shows itself in a notebook. ``.keep_slider`` and ``.budget_slider`` are
        the controls, ``.result`` the current :class:`Audit`, ``.output`` the
        HTML shown (summary and verdicts).

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> w = tsk.audit_what_if(tsk.load_persona("organiser"))
    >>> w.keep_slider.value = 2
    >>> w.result.keep
    ['linkedin', 'facebook']

    Introduced in lesson 02 (``lessons/02-audit-your-networks.ipynb``).
    """
    from thinksmall_kit._audit_widgets import WhatIf

    first = audit(net, keep, budget_minutes, weights=weights)  # checks the arguments
    return WhatIf(net, first)


def engagement_explorer(net: Network, platform: str | None = None) -> Any:
    """A widget: pick a platform, see its followers against what comes back.

    For the chosen platform: posts and the comments, shares and likes they
    brought back per post, then followers next to the people you interacted
    with, your two-way partners and the tribe members who talked with you
    there (bars to the scale of the follower count), and the latent ties.

    Parameters
    ----------
    net : Network
    platform : str, optional
        The platform shown first; default the one with the most followers.

    Returns
    -------
    EngagementExplorer
        Shows itself in a notebook. ``.platform`` is the dropdown, ``.row`` the
        chosen platform's row of :func:`engagement`, ``.output`` the HTML shown.

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> w = tsk.engagement_explorer(tsk.load_persona("ceramics"))
    >>> w.platform.value
    'tiktok'
    >>> w.platform.value = "instagram"
    >>> "instagram" in w.output.value
    True

    Introduced in lesson 01 (``lessons/01-numbers-vs-relationships.ipynb``).
    """
    from thinksmall_kit._explore_widgets import EngagementExplorer

    result = engagement(net)
    if result.table.empty:
        raise DataError("engagement_explorer: the network has no platforms; expected at least "
                        "one (list yours with tsk.inventory_form() in lesson 02)")
    if platform is not None and platform not in result.table.index:
        raise DataError(f"engagement_explorer: no platform {platform!r} in this network; "
                        f"expected one of {sorted(result.table.index)}")
    return EngagementExplorer(result, platform)
