"""The four-week review: what changed since you started thinking small, and what did not.

:func:`review` compares two equal stretches of time, the weeks before a
starting day and the weeks after it, on the measures the course has used:
platforms and time, conversation, the tribe's cadence and reciprocity, and
(when you give a plan or your check-ins) how much of the habit happened. Every
verdict is computed from the numbers with one visible tolerance; nothing is
written in advance.

Introduced in lesson 07 (lessons/07-review-and-grow.ipynb).
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from typing import Any

import numpy as np
import pandas as pd

from thinksmall_kit._theme import STATUS_COLOURS, style
from thinksmall_kit.conversation import conversation
from thinksmall_kit.habits import HabitPlan, HabitProgress, _whole
from thinksmall_kit.network import DataError, Network, _as_utc
from thinksmall_kit.tribe import LAYERS
from thinksmall_kit.tribe import tribe as make_tribe

__all__ = ["Review", "plan_followed", "review", "review_what_if"]

# Every verdict a review gives a measure.
_VERDICTS: tuple[str, ...] = ("better", "worse", "no real change", "changed", "not measured",
                             "after only")

_VERDICT_COLOURS = {"better": STATUS_COLOURS["green"], "worse": STATUS_COLOURS["red"],
                    "no real change": "#999999", "changed": "#0072B2",
                    "not measured": "#DDDDDD"}


@dataclasses.dataclass
class Review:
    """Before and after, measure by measure: the result of :func:`review`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per measure, indexed by ``measure``: ``area``, ``before``,
        ``after``, ``change`` (after - before), ``better_when`` ("higher",
        "lower" or "" when neither is better), ``verdict`` (better, worse, no
        real change, changed, not measured, after only) and ``meaning``.
    platforms : pandas.DataFrame
        One row per platform: minutes per week and messages you sent, before and after.
    before, after : tuple of pandas.Timestamp
        The two periods compared (start, end), end excluded.
    tolerance : float
        Changes smaller than this share of the larger value count as no real change.

    Introduced in lesson 07 (lessons/07-review-and-grow.ipynb).
    """

    table: pd.DataFrame
    platforms: pd.DataFrame
    before: tuple[pd.Timestamp, pd.Timestamp]
    after: tuple[pd.Timestamp, pd.Timestamp]
    tolerance: float

    def with_tolerance(self, tolerance: float) -> Review:
        """The same review with the verdicts drawn at another ``tolerance`` (0 to 1)."""
        _check_tolerance(tolerance, "with_tolerance")
        table = self.table.copy()
        table["verdict"] = _verdicts(table, tolerance)
        return dataclasses.replace(self, table=table, tolerance=float(tolerance))

    def verdicts(self, verdict: str) -> list[str]:
        """The measures with one verdict, e.g. ``review.verdicts("worse")``.

        ``verdict`` is one of better, worse, no real change, changed, not
        measured, after only, in any case; another name raises DataError.
        """
        if not isinstance(verdict, str):
            raise TypeError(f"verdicts: verdict must be text, one of {', '.join(_VERDICTS)}; "
                            f"got {type(verdict).__name__} {verdict!r}")
        wanted = " ".join(verdict.lower().split())
        if wanted not in _VERDICTS:
            close = difflib.get_close_matches(wanted, _VERDICTS, n=1)
            raise DataError(f"verdicts: {verdict!r} is not a verdict\n"
                            f"  expected: one of {', '.join(_VERDICTS)}\n"
                            f"  fix: e.g. review.verdicts({(close or ['worse'])[0]!r})")
        return self.table.index[self.table["verdict"] == wanted].tolist()

    def summary(self) -> str:
        """The review in plain words: what got better, what did not change, what got worse."""
        t = self.table

        def line(name: str) -> str:
            row = t.loc[name]
            return f"{name} ({_fmt(row['before'])} → {_fmt(row['after'])})"

        weeks = (self.after[1] - self.after[0]) // pd.Timedelta(weeks=1)
        parts = [f"{weeks} week{'s' if weeks != 1 else ''} compared: {self.before[0]:%d %b} to "
                 f"{self.before[1] - pd.Timedelta(days=1):%d %b %Y} against "
                 f"{self.after[0]:%d %b} to {self.after[1] - pd.Timedelta(days=1):%d %b %Y}."]
        for verdict, heading in (("better", "Better"), ("worse", "Worse"),
                                 ("no real change", "No real change"),
                                 ("changed", "Changed (neither better nor worse)")):
            names = self.verdicts(verdict)
            if names:
                parts.append(f"{heading}: " + "; ".join(line(n) for n in names) + ".")
        only = self.verdicts("after only")
        if only:
            parts.append("Measured only after (nothing to compare with): " + "; ".join(
                f"{n} {_fmt(t.loc[n, 'after'])}" for n in only) + ".")
        missing = self.verdicts("not measured")
        if missing:
            parts.append("Not measured: " + ", ".join(missing) + ".")
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        counts = self.table["verdict"].value_counts()
        return (f"Review: {counts.get('better', 0)} better, {counts.get('worse', 0)} worse, "
                f"{counts.get('no real change', 0)} without real change")

    def _repr_html_(self) -> str:
        shown = self.table[["area", "before", "after", "change", "better_when", "verdict"]]
        return f"<p>{self!r}</p>" + shown.round(3)._repr_html_()

    def figure(self, kind: str = "change") -> Any:
        """Draw the review.

        Parameters
        ----------
        kind : {"change", "platforms"}
            ``"change"``: each measure's change in percent of its value before,
            coloured by verdict, labelled "before → after". ``"platforms"``:
            minutes per week on each platform, before and after.

        Returns
        -------
        plotly.graph_objects.Figure

        Introduced in lesson 07 (lessons/07-review-and-grow.ipynb).
        """
        import plotly.graph_objects as go

        if kind == "change":
            t = self.table[~self.table["verdict"].isin(["not measured", "after only"])]
            base = t["before"].abs().where(t["before"] != 0, np.nan)
            pct = (100 * t["change"] / base).clip(-200, 200)
            pct = pct.fillna(pd.Series(np.sign(t["change"]) * 200.0, index=t.index))
            # "before → after" goes with each measure's name, on the left: labels at the
            # bars' ends ran into the names on narrow screens.
            names = np.asarray([f"{name}  <b>{_fmt(b)} → {_fmt(a)}</b>" for name, b, a in
                                zip(t.index, t["before"], t["after"], strict=True)])
            fig = go.Figure()
            for verdict, colour in _VERDICT_COLOURS.items():
                pick = (t["verdict"] == verdict).to_numpy()
                if pick.any():
                    fig.add_bar(x=pct[pick], y=names[pick], orientation="h", name=verdict,
                                marker_color=colour, customdata=t.index[pick],
                                hovertemplate="%{customdata}: %{x:+.0f}%<extra>"
                                              "%{fullData.name}</extra>")
            fig.update_yaxes(categoryorder="array", categoryarray=list(names)[::-1],
                             automargin=True)
            fig.add_vline(x=0, line_color="#555555")
            fig.update_xaxes(range=[-110, 210], tickvals=[-100, -50, 0, 50, 100, 150, 200])
            fig.update_layout(barmode="overlay", legend={"title": {"text": "verdict"}})
            weeks = (self.after[1] - self.after[0]) // pd.Timedelta(weeks=1)
            return style(fig, f"What changed in {weeks} week{'s' if weeks != 1 else ''} "
                              "(change in % of before)",
                         x="change, % of the value before (capped at ±200)", y="",
                         height=max(420, 34 * len(t) + 160))
        if kind == "platforms":
            p = self.platforms.reset_index()
            p = p[(p["minutes_before"] > 0) | (p["minutes_after"] > 0)]
            p = p.sort_values("minutes_before", ascending=False)
            fig = go.Figure()
            fig.add_bar(x=p["platform"], y=p["minutes_before"], name="before",
                        marker_color="#999999")
            fig.add_bar(x=p["platform"], y=p["minutes_after"], name="after",
                        marker_color=STATUS_COLOURS["green"])
            fig.update_layout(barmode="group")
            return style(fig, "Minutes a week on each platform, before and after",
                         x="platform", y="minutes per week")
        raise ValueError(f"figure: kind {kind!r} is not known; expected 'change' or "
                         "'platforms'")


def _fmt(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    x = float(x)
    if x == int(x):
        return f"{int(x):,}"
    return f"{x:,.1f}" if abs(x) >= 10 else f"{x:.2f}"


def plan_followed(plan: HabitPlan, net: Network, *, slack_days: int = 2) -> pd.DataFrame:
    """Which planned actions happened: an outgoing interaction with the person soon after.

    An action counts as followed when ``net`` holds a message from you to that
    person (any kind, any platform) from the planned day up to ``slack_days``
    later. This is what the data can show without check-ins; it cannot tell a
    thank-you from any other message.

    Parameters
    ----------
    plan : HabitPlan
    net : Network
        The network covering the plan's weeks (e.g. ``load_persona(..., later=True)``).
    slack_days : int, default 2
        How many days late still counts: a whole number from 0 (the planned
        day only) to 365.

    Returns
    -------
    pandas.DataFrame
        The plan's table with a ``followed`` column (bool) and ``reached_at``
        (the first such message, or NaT).

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> plan = tsk.plan_habits(tsk.tribe(tsk.load_persona("organiser")))
    >>> done = tsk.plan_followed(plan, tsk.load_persona("organiser", later=True))
    >>> bool(0 <= done["followed"].mean() <= 1)
    True

    Introduced in lesson 07 (lessons/07-review-and-grow.ipynb).
    """
    if not isinstance(plan, HabitPlan):
        raise TypeError(f"plan_followed: expected a HabitPlan, got {type(plan).__name__}")
    if not isinstance(net, Network):
        raise TypeError(f"plan_followed: expected a Network, got {type(net).__name__}")
    slack_days = _whole("plan_followed(slack_days)", slack_days, 0, 365)
    t = plan.table.copy()
    i = net.interactions
    out = i[(i["direction"].astype(str) == "out") & i["contact_id"].notna()]
    out = pd.DataFrame({"contact_id": out["contact_id"].astype(str),
                        "reached_at": out["timestamp"].dt.tz_convert(None)})
    t["_row"] = np.arange(len(t))
    pairs = t[["_row", "contact_id", "date"]].merge(out, on="contact_id", how="inner")
    ok = ((pairs["reached_at"] >= pairs["date"])
          & (pairs["reached_at"] < pairs["date"] + pd.Timedelta(days=slack_days + 1)))
    first = pairs[ok].groupby("_row")["reached_at"].min()
    # reindex, not map: mapping through an empty Series (nothing followed) fails in pandas.
    t["reached_at"] = first.reindex(t["_row"].to_numpy()).to_numpy()
    t["followed"] = t["reached_at"].notna()
    return t.drop(columns="_row")


def _window(net: Network, start: pd.Timestamp, end: pd.Timestamp) -> dict[str, float]:
    part = net.between(start, end)
    i = part.interactions
    m: dict[str, float] = {}
    out = i["direction"].astype(str) == "out"
    weeks = (end - start) / pd.Timedelta(days=7)
    m["messages you sent per week"] = float(out.sum()) / weeks
    m["platforms you were active on"] = float(i.loc[out & (i["platform"] != "offline"),
                                                    "platform"].nunique())
    m["people you interacted with"] = float(i["contact_id"].dropna().nunique())
    if len(i):
        talk = conversation(part).table.loc["all"]
        for key, name in (("broadcast_share", "broadcast share"),
                          ("reply_ratio", "reply ratio"),
                          ("two_way_rate", "two-way rate"),
                          ("give_share", "give share")):
            m[name] = float(talk[key])
    else:
        m.update({"broadcast share": math.nan, "reply ratio": math.nan,
                  "two-way rate": math.nan, "give share": math.nan})
    who = i[i["contact_id"].notna()]
    n_in = who[who["direction"].astype(str) == "in"].groupby("contact_id").size()
    n_out = who[who["direction"].astype(str) == "out"].groupby("contact_id").size()
    both = pd.concat([n_in.rename("in"), n_out.rename("out")], axis=1).fillna(0)
    high = both.max(axis=1).sum()
    m["reciprocity (weighted)"] = float(both.min(axis=1).sum() / high) if high else math.nan
    return m


def review(before: Network, after: Network | None = None, *, split: Any = None,
           weeks: int = 4, plan: HabitPlan | None = None,
           progress: HabitProgress | None = None, tolerance: float = 0.10,
           inner_layer: int = 50) -> Review:
    """Compare the weeks before a starting day with the weeks after it.

    The two periods have the same length (``weeks``), so counts compare fairly:
    ``[split - weeks, split)`` against ``[split, split + weeks)``.

    Measures, and which way is better:

    - **platforms and time**: platforms with minutes in the ``platforms`` table
      (lower), minutes a week in all (lower), platforms you sent messages on
      (neither: fewer is the point, but not a goal in itself);
    - **conversation** (lesson 04): broadcast share (lower), reply ratio and
      two-way rate (higher), give share (higher), messages sent per week
      (neither);
    - **tribe** (lesson 03): ties in layers up to ``inner_layer`` that are overdue
      (yellow or red) at the end of each period (lower), mean strength of your 15
      strongest (higher), people you interacted with (higher),
      weighted reciprocity ``sum(min(in, out)) / sum(max(in, out))`` over them (higher);
    - **habit** (lesson 06): with ``plan``, the share of planned actions
      followed (:func:`plan_followed`); with ``progress``, the share of habit days
      done. There is no "before" for these: they are reported, not judged.

    A change counts as real when it is larger than ``tolerance`` times the larger
    of the two values; otherwise the verdict is "no real change".

    Both periods must be covered by data: ``before``'s interactions must reach
    to within a week of both ends of the weeks before the split, and
    ``after``'s of the weeks after it (a quiet week at either end is normal; a
    longer gap means the data stops short, and its missing messages would read
    as a change). Otherwise :class:`DataError` says which dates each network
    covers and suggests a smaller ``weeks`` or another ``split``.

    Parameters
    ----------
    before : Network
        The network as it was (its ``platforms`` table gives the minutes before).
    after : Network, optional
        The network after (its ``platforms`` gives the minutes after; its
        interactions must cover the weeks after ``split``). Default: ``before``,
        and then the weekly minutes are "not measured" (one network holds only
        one ``platforms`` table).
    split : date, optional
        The day the change started. Default: the day after ``before``'s last
        interaction when ``after`` is given, else ``weeks`` before the end of the data.
    weeks : int, default 4
        The length of each period, 1 to 52.
    plan : HabitPlan, optional
        The result of :func:`plan_habits`.
    progress : HabitProgress, optional
        The result of :func:`habit_progress`.
    tolerance : float, default 0.10
    inner_layer : int, default 50
        A Dunbar layer (5, 15, 50, 150, 500 or 1500): the overdue ties counted are
        in it or inside it.

    Returns
    -------
    Review
        ``.table``, ``.platforms``, ``.summary()``, ``.figure(kind)``.

    Raises
    ------
    DataError
        A period is not covered by its network's interactions, or a setting is
        out of range.
    TypeError
        An argument of the wrong type (a number as ``split``, a table as ``progress``).

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> r = tsk.review(tsk.load_persona("ceramics"), tsk.load_persona("ceramics", later=True))
    >>> r.after[0]
    Timestamp('2025-12-01 00:00:00+0000', tz='UTC')
    >>> r.table.loc["minutes a week on social media", ["before", "after"]].tolist()
    [1510.0, 365.0]

    Introduced in lesson 07 (lessons/07-review-and-grow.ipynb).
    """
    if not isinstance(before, Network):
        raise TypeError(f"review: expected a Network, got {type(before).__name__}.\n"
                        "  fix: tsk.review(tsk.load_persona('ceramics'), "
                        "tsk.load_persona('ceramics', later=True))")
    if after is None:
        after = before
    if not isinstance(after, Network):
        raise TypeError(f"review: after must be a Network, got {type(after).__name__}")
    weeks = _whole("review(weeks)", weeks, 1, 52)
    _check_tolerance(tolerance, "review")
    if isinstance(inner_layer, bool) or not isinstance(inner_layer, int | np.integer):
        raise TypeError(f"review: inner_layer must be a Dunbar layer, one of "
                        f"{', '.join(map(str, LAYERS))}; got {type(inner_layer).__name__} "
                        f"{inner_layer!r}")
    if inner_layer not in LAYERS:
        raise DataError(f"review: inner_layer={inner_layer!r} is not a Dunbar layer\n"
                        f"  expected one of {', '.join(map(str, LAYERS))} (the ties counted "
                        "are those in that layer and the ones inside it)")
    inner_layer = int(inner_layer)
    if plan is not None and not isinstance(plan, HabitPlan):
        raise TypeError(f"review: plan must be the result of tsk.plan_habits(...), got "
                        f"{type(plan).__name__}")
    if progress is not None and not isinstance(progress, HabitProgress):
        raise TypeError(f"review: progress must be the result of tsk.habit_progress(...), got "
                        f"{type(progress).__name__}\n  fix: progress=tsk.habit_progress(ws) "
                        "(or habit_progress of your table of check-ins)")
    span = before.period
    moving_split = split is None and after is before  # then it is weeks before the end
    if split is None:
        if span is None:
            raise DataError("review: the network has no interactions, so there is nothing to "
                            "compare\n  fix: pass split='YYYY-MM-DD' and a network with data")
        if after is before:
            end = after.period[1].normalize() + pd.Timedelta(days=1)
            split = end - pd.Timedelta(weeks=weeks)
        else:
            split = span[1].normalize() + pd.Timedelta(days=1)
    split = _as_utc(split, "review(split=...)").normalize()
    length = pd.Timedelta(weeks=weeks)
    b0, a1 = split - length, split + length
    last_after = after.period[1] if after.period is not None else None
    if last_after is None or last_after < split:
        raise DataError(f"review: the 'after' network has no interactions from "
                        f"{split:%Y-%m-%d} on\n  expected: data for the weeks after the split "
                        "(e.g. load_persona(name, later=True))")
    _check_covered(before, after, split, weeks, moving_split)

    rows: list[tuple[str, str, float, float, str, str]] = []

    def add(area: str, name: str, b: float, a: float, better: str, meaning: str) -> None:
        rows.append((name, area, b, a, better, meaning))

    pb, pa = before.platforms, after.platforms
    # One network has one platforms table: with no second network there is no "after" for
    # the weekly minutes, so they are not measured rather than shown as unchanged.
    one = after is before
    add("platforms and time", "platforms with time in your week",
        float((pb["minutes_per_week"] > 0).sum()),
        math.nan if one else float((pa["minutes_per_week"] > 0).sum()),
        "lower", "platforms with minutes_per_week > 0")
    add("platforms and time", "minutes a week on social media",
        float(pb["minutes_per_week"].sum()),
        math.nan if one else float(pa["minutes_per_week"].sum()), "lower",
        "sum of minutes_per_week")
    mb, ma = _window(before, b0, split), _window(after, split, a1)
    add("platforms and time", "platforms you were active on",
        mb["platforms you were active on"], ma["platforms you were active on"], "",
        "online platforms where you sent at least one message")
    for name, better, meaning in (
            ("messages you sent per week", "", "all your messages, posts included"),
            ("broadcast share", "lower", "share of your messages sent to no one in particular"),
            ("reply ratio", "higher", "share of people's messages to you that you answered"),
            ("two-way rate", "higher", "people who answered you / people you wrote to"),
            ("give share", "higher", "gives / (gives + asks)")):
        add("conversation", name, mb[name], ma[name], better, meaning)
    tb = make_tribe(before, as_of=split - pd.Timedelta(microseconds=1))
    ta = make_tribe(after, as_of=a1 - pd.Timedelta(microseconds=1))

    def overdue(tr: Any) -> float:
        t = tr.table
        inner = (t["layer"].astype("Int64") <= inner_layer).fillna(False).astype(bool)
        return float((inner & t["status"].isin(["yellow", "red"])).sum())

    add("tribe", f"inner ties overdue (layers up to {inner_layer})", overdue(tb), overdue(ta),
        "lower", "yellow or red at the end of the period")
    add("tribe", "mean strength of your 15 strongest",
        float(tb.table["strength"].head(15).mean()), float(ta.table["strength"].head(15).mean()),
        "higher", "tie strength (lesson 03), 0..1")
    add("tribe", "people you interacted with", mb["people you interacted with"],
        ma["people you interacted with"], "higher", "contacts with any interaction, likes included")
    add("tribe", "reciprocity (weighted)", mb["reciprocity (weighted)"],
        ma["reciprocity (weighted)"], "higher", "sum(min(in, out)) / sum(max(in, out))")
    if plan is not None:
        followed = plan_followed(plan, after)
        add("habit", "planned actions followed", math.nan, float(followed["followed"].mean()),
            "", "share of the plan's actions with a message to that person within 2 days")
    if progress is not None:
        days = progress.table["status"]
        counted = days[days != "skipped"]
        add("habit", "habit days done", math.nan,
            float((counted == "done").mean()) if len(counted) else math.nan, "",
            "days done / (days done + days missed)")

    table = pd.DataFrame(rows, columns=["measure", "area", "before", "after", "better_when",
                                        "meaning"]).set_index("measure")
    table["change"] = table["after"] - table["before"]
    table["verdict"] = _verdicts(table, tolerance)
    table = table[["area", "before", "after", "change", "better_when", "verdict", "meaning"]]

    def minutes(p: pd.DataFrame) -> pd.Series:
        return p.set_index("platform")["minutes_per_week"]

    def sent(net: Network, s: pd.Timestamp, e: pd.Timestamp) -> pd.Series:
        i = net.between(s, e).interactions
        return i[i["direction"].astype(str) == "out"].groupby("platform").size()

    plat = pd.concat([minutes(pb).rename("minutes_before"), minutes(pa).rename("minutes_after"),
                      sent(before, b0, split).rename("sent_before"),
                      sent(after, split, a1).rename("sent_after")], axis=1)
    plat = plat.fillna(0).rename_axis("platform")
    plat[["sent_before", "sent_after"]] = plat[["sent_before", "sent_after"]].astype("int64")
    return Review(table=table, platforms=plat, before=(b0, split), after=(split, a1),
                  tolerance=float(tolerance))


#: How far inside a period its network's interactions may start or end: a quiet week
#: at either end is normal, a longer gap means the data does not reach that far.
_COVER_SLACK = pd.Timedelta(days=7)


def _days(net: Network) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The days a network's interactions span: (first day, the day after the last)."""
    span = net.period
    if span is None:
        return None
    return span[0].normalize(), span[1].normalize() + pd.Timedelta(days=1)


def _covers(days: tuple[pd.Timestamp, pd.Timestamp] | None, start: pd.Timestamp,
            end: pd.Timestamp) -> bool:
    """Whether interactions spanning ``days`` cover the period [start, end), give or take
    a quiet week at either end (and at least part of it in any case)."""
    if days is None:
        return False
    first, stop = days
    slack = min(_COVER_SLACK, end - start - pd.Timedelta(days=1))
    return first <= start + slack and stop >= end - slack


def _check_covered(before: Network, after: Network, split: pd.Timestamp, weeks: int,
                   moving_split: bool) -> None:
    """Refuse to compare periods that a network's interactions do not reach.

    ``moving_split``: the split was not given and moves with ``weeks`` (one network).
    """
    length = pd.Timedelta(weeks=weeks)
    b0, a1 = split - length, split + length
    db, da = _days(before), _days(after)
    ok_before, ok_after = _covers(db, b0, split), _covers(da, split, a1)
    if ok_before and ok_after:
        return

    def span(days: tuple[pd.Timestamp, pd.Timestamp] | None) -> str:
        if days is None:
            return "holds no interactions"
        return (f"has interactions from {days[0]:%Y-%m-%d} to "
                f"{days[1] - pd.Timedelta(days=1):%Y-%m-%d}")

    def period(s: pd.Timestamp, e: pd.Timestamp) -> str:
        return f"{s:%Y-%m-%d} to {e - pd.Timedelta(days=1):%Y-%m-%d}"

    one = after is before
    lines = [f"review: the {weeks} week{'s' if weeks != 1 else ''} before and after "
             f"{split:%Y-%m-%d} are not both covered by the data, so the comparison would "
             "count missing data as a change"]
    lines.append(f"  before: {period(b0, split)}, "
                 f"{'covered' if ok_before else 'NOT covered'}: "
                 f"{'the network' if one else 'the before network'} {span(db)}")
    lines.append(f"  after: {period(split, a1)}, "
                 f"{'covered' if ok_after else 'NOT covered'}: "
                 f"{'the network' if one else 'the after network'} {span(da)}")
    lines.append("  expected: each network's interactions reach to within a week of both "
                 "ends of the weeks it is used for")
    fixes = []
    if db is not None and da is not None:
        # The most whole weeks both networks cover fully from this split (or, when the
        # split is weeks before the end of the one network, in all of its data) ...
        if moving_split:
            most = min((da[1] - db[0]) // pd.Timedelta(weeks=2), 52)
        else:
            most = min((split - db[0]) // pd.Timedelta(weeks=1),
                       (da[1] - split) // pd.Timedelta(weeks=1), 52)
            most = most if db[1] >= split and da[0] <= split else 0
        if most >= 1:
            fixes.append(f"a smaller weeks, e.g. weeks={most}")
        # ... and the splits they cover fully with this many weeks.
        lo = max(db[0] + length, da[0])
        hi = min(da[1] - length, db[1])
        if lo <= hi:
            fixes.append(f"a split between {lo:%Y-%m-%d} and {hi:%Y-%m-%d}")
    if not fixes:
        fixes.append("a network with interactions in the weeks compared "
                     "(e.g. load_persona(name, later=True) for the weeks after)")
    lines.append("  fix: " + ", or ".join(fixes))
    raise DataError("\n".join(lines))


def _check_tolerance(tolerance: Any, who: str) -> None:
    if isinstance(tolerance, bool) or not (isinstance(tolerance, int | float)
                                           and 0 <= tolerance < 1):
        raise DataError(f"{who}: tolerance must be a share between 0 and 1, got {tolerance!r}")


def _verdicts(table: pd.DataFrame, tolerance: float) -> np.ndarray:
    """Each measure's verdict: real change (beyond ``tolerance``), in which direction."""
    big = np.maximum(table["before"].abs(), table["after"].abs())
    real = table["change"].abs() > tolerance * big
    up, down = table["change"] > 0, table["change"] < 0
    better = ((table["better_when"] == "higher") & up) | ((table["better_when"] == "lower")
                                                          & down)
    worse = ((table["better_when"] == "higher") & down) | ((table["better_when"] == "lower")
                                                           & up)
    return np.select(
        [table["after"].isna(), table["before"].isna(), ~real, better, worse],
        ["not measured", "after only", "no real change", "better", "worse"], "changed")


def review_what_if(before: Network, after: Network | None = None, *, tolerance: float = 0.10,
                   **kwargs: Any) -> Any:
    """A widget: a slider for the review's ``tolerance``; watch the verdicts change.

    A small tolerance calls every wobble better or worse; a large one calls
    almost everything "no real change". Moving it shows which verdicts are
    solid and which hang on where the line is drawn.

    Parameters
    ----------
    before, after
        As for :func:`review`.
    tolerance : float, default 0.10
        Where the slider starts (0 to 0.5, in steps of 0.05).
    **kwargs
        Passed on to :func:`review` (``split``, ``weeks``, ``plan``, ``progress``,
        ``inner_layer``).

    Returns
    -------
    ReviewWhatIf
        Shows itself in a notebook. ``.tolerance_slider`` is the control,
        ``.result`` the current :class:`Review`, ``.output`` the verdicts shown.

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> w = tsk.review_what_if(tsk.load_persona("ceramics"),
    ...                        tsk.load_persona("ceramics", later=True))
    >>> w.tolerance_slider.value = 0.5
    >>> w.result.tolerance
    0.5

    Introduced in lesson 07 (lessons/07-review-and-grow.ipynb).
    """
    from thinksmall_kit._explore_widgets import ReviewWhatIf

    # The measures do not depend on the tolerance: work them out once, and let the
    # slider redraw only the verdicts.
    first = review(before, after, tolerance=tolerance, **kwargs)
    return ReviewWhatIf(first.with_tolerance, tolerance, _VERDICT_COLOURS)
