"""Small connection habits: a plan of tiny actions, a calendar, check-ins and habit strength.

The course ends in action. Reach out to one person, then the next, and keep
going: this module turns your tribe into that routine.

* :data:`TINY_ACTIONS` is a library of connection actions that take under two
  minutes each (reply to one person, thank one customer, introduce two people,
  share a partner's work, ask one question, check in with one quiet tie), and
  :func:`recipe` writes one as a tiny-habit recipe, "After I <anchor>, I will
  <tiny action>" (BJ Fogg's *Tiny Habits* form).
* :func:`plan_habits` spreads such actions over the coming weeks, each naming a
  person from your tribe: the people you are losing touch with first, nobody
  again before their keep-in-touch cadence, within a daily time budget, with
  rest days. :meth:`HabitPlan.to_ics` puts the plan in your calendar.
* :func:`check_in` records, in your workspace, whether you did today's actions;
  a done action also records an interaction with that person, so their
  keep-in-touch clock restarts. :func:`habit_progress` gives streaks, weekly
  counts and a forgiving habit-strength score; :func:`habit_tracker` is the
  widget that ties it together.

Introduced in lesson 06 (lessons/06-small-habits.ipynb).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import json
import math
import numbers
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from thinksmall_kit._theme import PALETTE, STATUS_COLOURS, style
from thinksmall_kit.network import OFFLINE, ROLES, DataError, Network, _as_utc
from thinksmall_kit.tribe import LAYERS, Tribe
from thinksmall_kit.tribe import tribe as make_tribe

__all__ = [
    "CHECKIN_STATUSES",
    "TINY_ACTIONS",
    "HabitPlan",
    "HabitProgress",
    "TinyAction",
    "check_in",
    "checkins",
    "habit_progress",
    "habit_score",
    "load_plan",
    "plan_habits",
    "recipe",
    "save_plan",
]

#: What a check-in can say about an action or a day.
CHECKIN_STATUSES: tuple[str, ...] = ("done", "not_done", "skipped")

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclasses.dataclass(frozen=True)
class TinyAction:
    """One tiny connection action: what to do, how long it takes, what it counts as.

    Attributes
    ----------
    key : str
        Short name, e.g. ``"thank"``.
    does : str
        What to do, with ``{name}`` for the person (and ``{other}`` for the
        second person of an introduction).
    minutes : float
        About how long it takes; every action in the library is under two minutes.
    kind : str
        The interaction kind recorded when you log it as done (``dm``, ``reply`` ...).
    roles : tuple of str
        The roles it suits best; empty means anyone.
    why : str
        One line on why it builds a relationship.

    Introduced in lesson 06 (lessons/06-small-habits.ipynb).
    """

    key: str
    does: str
    minutes: float
    kind: str
    roles: tuple[str, ...] = ()
    why: str = ""

    def text(self, name: str, other: str = "someone they should know") -> str:
        """The action for one person, e.g. ``'thank Ana for something specific she did'``."""
        return self.does.format(name=name, other=other)


#: The library of tiny connection actions, each under two minutes. The minutes
#: are honest guesses for a short, personal message, not measurements.
TINY_ACTIONS: dict[str, TinyAction] = {a.key: a for a in (
    TinyAction("reply", "reply to {name}'s latest message or post with one thought of your own",
               1.5, "reply", (), "a reply turns a broadcast into a conversation"),
    TinyAction("thank", "thank {name} for one specific thing they did", 1.0, "dm",
               ("customer", "buyer", "fan", "supporter", "vendor"),
               "specific thanks tells someone they were noticed"),
    TinyAction("introduce", "introduce {name} to {other} in one line saying why they should meet",
               2.0, "dm", ("partner", "associate", "peer", "friend", "vendor"),
               "an introduction gives value to two people at once"),
    TinyAction("share", "share a piece of {name}'s work and say in a line why it is good",
               2.0, "share", ("partner", "associate", "peer", "supporter", "vendor"),
               "putting someone else's work forward is giving before asking"),
    TinyAction("ask", "ask {name} one question about what they are working on", 1.0, "dm",
               ("customer", "buyer", "fan", "peer", "associate", "friend"),
               "a question invites an answer: a two-way tie"),
    TinyAction("check_in", "send {name} a short check-in: how are things going?", 1.0, "dm",
               (), "a quiet tie warms up again with one small message"),
)}


def recipe(anchor: str, action: str | TinyAction, name: str = "one person") -> str:
    """Write a tiny-habit recipe: "After I <anchor>, I will <tiny action>."

    BJ Fogg's *Tiny Habits* attaches a behaviour so small it needs almost no
    motivation to something you already do every day (the anchor). Gollwitzer
    and Sheeran's meta-analysis (2006) found such "if ..., then I will ..."
    plans help people follow through.

    Parameters
    ----------
    anchor : str
        Something you already do every day, e.g. ``"pour my first coffee"``.
        A leading "After I" is accepted and not repeated.
    action : str or TinyAction
        A key of :data:`TINY_ACTIONS`, a :class:`TinyAction`, or your own words.
    name : str, default "one person"
        Who the action is for.

    Returns
    -------
    str

    Examples
    --------
    >>> from thinksmall_kit import recipe
    >>> recipe("pour my first coffee", "thank", "Rosa")
    'After I pour my first coffee, I will thank Rosa for one specific thing they did.'
    >>> recipe("After I close the shop", "ask one customer how the mug is holding up")
    'After I close the shop, I will ask one customer how the mug is holding up.'

    Introduced in lesson 06 (lessons/06-small-habits.ipynb).
    """
    if not isinstance(anchor, str) or not anchor.strip():
        raise DataError("recipe: anchor must be something you already do every day, as "
                        f"text (e.g. 'pour my first coffee'); got {anchor!r}")
    text = anchor.strip().rstrip(",.")
    for lead in ("after i ", "after "):
        if text.lower().startswith(lead):
            text = text[len(lead):]
            break
    if isinstance(action, TinyAction):
        doing = action.text(name)
    elif isinstance(action, str) and action in TINY_ACTIONS:
        doing = TINY_ACTIONS[action].text(name)
    elif isinstance(action, str) and action.strip():
        doing = action.strip()
    else:
        raise DataError(f"recipe: action must be one of {', '.join(TINY_ACTIONS)} or your "
                        f"own words; got {action!r}")
    end = "" if doing.endswith(("?", "!", ".")) else "."
    return f"After I {text}, I will {doing}{end}"


# --------------------------------------------------------------------------- checks


def _day(value: Any, name: str) -> pd.Timestamp:
    """A calendar day as a tz-naive midnight Timestamp.

    A time with a zone (a Timestamp or text such as ``'2025-12-01T23:00-05:00'``)
    counts on its UTC day, as the kit's interactions do. Numbers are refused:
    pandas would read 20251201 as nanoseconds after 1970.
    """
    return _as_utc(value, name, "2025-12-01").tz_localize(None).normalize()


def _whole(name: str, value: Any, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name}: expected a whole number, got {type(value).__name__} "
                        f"{value!r}")
    if value < low or (high is not None and value > high):
        bound = f">= {low}" if high is None else f"between {low} and {high}"
        raise DataError(f"{name}: got {value}; expected a whole number {bound}")
    return int(value)


_DAY_NAMES = {name: i for i, full in enumerate(("monday", "tuesday", "wednesday", "thursday",
                                                "friday", "saturday", "sunday"))
              for name in (full, full[:3], full + "s")} | {"tues": 1, "thur": 3, "thurs": 3}
_REST_FORMS = ("weekday names as text ('sun', 'Saturday', 'sat, sun', 'Saturday and Sunday'), "
               "weekday numbers 0 (Monday) to 6 (Sunday), dates ('2025-12-25'), a list of "
               "these, or None for no rest days")


def _weekday_names(text: str) -> list[int] | None:
    """Weekday numbers of a text of day names ('sat, sun', 'Saturday and Sunday'), else None."""
    words = [w for w in re.split(r"[\s,;/&+]+|\band\b", text.strip().lower().replace(".", " "))
             if w]
    if not words or any(w not in _DAY_NAMES for w in words):
        return None
    return [_DAY_NAMES[w] for w in words]


def _rest(rest_days: Any) -> tuple[set[int], set[pd.Timestamp]]:
    """Weekday numbers (0 = Monday) and single dates from ``rest_days``."""
    if rest_days is None:
        return set(), set()
    if isinstance(rest_days, str | int | np.integer | float | np.floating | dt.date
                  | np.datetime64):
        rest_days = [rest_days]
    elif not isinstance(rest_days, Iterable) or isinstance(rest_days, bytes | Mapping):
        raise TypeError(f"rest_days: got {type(rest_days).__name__} {rest_days!r}; "
                        f"expected {_REST_FORMS}")
    weekdays: set[int] = set()
    dates: set[pd.Timestamp] = set()
    for item in rest_days:
        if isinstance(item, bool | np.bool_ | float | np.floating):
            raise TypeError(f"rest_days: {item!r} is not a day; expected {_REST_FORMS}")
        if isinstance(item, int | np.integer):
            if not 0 <= item <= 6:
                raise DataError(f"rest_days: weekday {item} is not 0 (Monday) .. 6 (Sunday)")
            weekdays.add(int(item))
        elif isinstance(item, str) and (names := _weekday_names(item)) is not None:
            weekdays.update(names)
        elif isinstance(item, str | dt.date | np.datetime64):
            try:
                dates.add(_day(item, "rest_days"))
            except DataError:
                raise DataError(f"rest_days: {item!r} is neither a weekday nor a date; "
                                f"expected {_REST_FORMS}") from None
        else:
            raise TypeError(f"rest_days: {item!r} is not a day; expected {_REST_FORMS}")
    if len(weekdays) == 7:
        raise DataError("rest_days: every day of the week is a rest day, so there is no day "
                        "left for the habit; expected at most six, e.g. ('sat', 'sun')")
    return weekdays, dates


def _is_rest(days: pd.DatetimeIndex, weekdays: set[int], dates: set[pd.Timestamp]) -> np.ndarray:
    return np.asarray(days.day_of_week.isin(sorted(weekdays)) | days.isin(sorted(dates)),
                      dtype=bool)


def _actions(actions: Any) -> dict[str, TinyAction]:
    if actions is None:
        return dict(TINY_ACTIONS)
    if isinstance(actions, str | TinyAction):
        actions = [actions]
    out: dict[str, TinyAction] = {}
    for a in actions:
        if isinstance(a, TinyAction):
            out[a.key] = a
        elif isinstance(a, str) and a in TINY_ACTIONS:
            out[a] = TINY_ACTIONS[a]
        else:
            raise DataError(f"actions: {a!r} is not a tiny action; expected keys among "
                            f"{', '.join(TINY_ACTIONS)} or TinyAction objects")
    if not out:
        raise DataError("actions: the list is empty; expected at least one, e.g. ['thank']")
    for a in out.values():
        if not (0 < a.minutes <= 2):
            raise DataError(f"actions: {a.key!r} takes {a.minutes} minutes; a tiny action "
                            "takes more than 0 and at most 2 minutes")
    return out


def _uid(day: pd.Timestamp, contact_id: str, action: str, other_id: Any) -> str:
    other = "" if other_id is None or (isinstance(other_id, float) and math.isnan(other_id)) \
        else str(other_id)
    key = f"{day:%Y-%m-%d}|{contact_id}|{action}|{other}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:24] + "@thinksmall-kit"


# --------------------------------------------------------------------------- the plan


_PLAN_COLUMNS = ["date", "weekday", "order", "contact_id", "display_name", "role", "layer",
                 "days_since", "overdue", "action", "minutes", "other_id", "other_name",
                 "todo", "recipe", "uid"]


@dataclasses.dataclass
class HabitPlan:
    """A plan of tiny connection actions, one row per action: the result of :func:`plan_habits`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per action, in the order to do them: ``date`` (a calendar day),
        ``weekday``, ``order`` within the day, ``contact_id``, ``display_name``,
        ``role``, ``layer``, ``days_since`` (days since your last contact with
        them on that day), ``overdue`` (past their ideal cadence), ``action`` (a
        key of :data:`TINY_ACTIONS`), ``minutes``, ``other_id`` and
        ``other_name`` (the second person of an introduction), ``todo``, the
        ``recipe`` sentence, and ``uid`` (a stable id for the calendar).
    days : pandas.DataFrame
        One row per calendar day of the plan: ``date``, ``rest``, ``actions``,
        ``minutes``.
    params : dict
        Every setting used, after defaults were filled in.

    Introduced in lesson 06 (lessons/06-small-habits.ipynb).
    """

    table: pd.DataFrame
    days: pd.DataFrame
    params: dict[str, Any]

    def __repr__(self) -> str:
        t, d = self.table, self.days
        work = int((~d["rest"]).sum())
        return (f"HabitPlan: {len(t)} tiny actions for {t['contact_id'].nunique()} people "
                f"over {len(d)} days ({work} habit days, {len(d) - work} rest days), "
                f"at most {self.params['minutes_per_day']:g} min a day")

    def _repr_html_(self) -> str:
        shown = self.table[["date", "weekday", "display_name", "action", "minutes", "todo"]]
        return f"<p>{self!r}</p>" + shown.head(12)._repr_html_()

    def on(self, day: Any) -> pd.DataFrame:
        """The actions planned for one day (a date such as ``'2025-12-02'``)."""
        when = _day(day, "on(day)")
        return self.table[self.table["date"] == when]

    def figure(self, kind: str = "days") -> Any:
        """Draw the plan.

        Parameters
        ----------
        kind : {"days", "people"}
            ``"days"``: minutes planned per day, stacked by action, with the
            daily budget as a dashed line. ``"people"``: who is planned on which
            day, one row per person, coloured by action.

        Returns
        -------
        plotly.graph_objects.Figure

        Introduced in lesson 06 (lessons/06-small-habits.ipynb).
        """
        colours = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(TINY_ACTIONS)}
        t = self.table
        if t.empty:
            raise DataError("figure: the plan has no actions; widen it (a larger max_layer "
                            "or minutes_per_day)")
        budget = self.params["minutes_per_day"]
        if kind == "days":
            import plotly.graph_objects as go

            # One stacked bar trace per action (plotly.express would do the same, and
            # costs a tenth of a second to import: the take-home page draws this too).
            fig = go.Figure()
            for action in [a for a in TINY_ACTIONS if a in set(t["action"])] + sorted(
                    set(t["action"]) - set(TINY_ACTIONS)):
                part = t[t["action"] == action]
                fig.add_trace(go.Bar(
                    x=part["date"], y=part["minutes"], name=action,
                    marker_color=colours.get(action, "#999999"),
                    customdata=part[["display_name", "todo"]].to_numpy(),
                    hovertemplate="<b>%{customdata[0]}</b><br>%{x|%a %d %b}: "
                                  "%{customdata[1]} (%{y:g} min)<extra>%{fullData.name}"
                                  "</extra>"))
            fig.update_layout(barmode="stack", legend={"title": {"text": "action"}})
            fig.add_hline(y=budget, line_dash="dash", line_color="#555555",
                          annotation_text=f"budget {budget:g} min",
                          annotation_position="top left")
            fig.update_layout(bargap=0.15)
            return style(fig, f"Your plan: {len(t)} tiny actions, at most {budget:g} minutes "
                              "a day", x="day", y="minutes planned")
        if kind == "people":
            import plotly.express as px

            order = t.drop_duplicates("contact_id")["display_name"].tolist()
            fig = px.scatter(t, x="date", y="display_name", color="action",
                             hover_data=["todo"], color_discrete_map=colours,
                             category_orders={"display_name": order,
                                              "action": list(TINY_ACTIONS)})
            fig.update_traces(marker={"size": 11, "symbol": "square"})
            fig.update_yaxes(tickmode="linear", tickfont={"size": 12})
            # Dates on top: the chart is taller than a laptop screen, and the first
            # rows are the ones read first.
            fig.update_xaxes(side="top")
            fig = style(fig, f"Who you reach out to, and when ({t['contact_id'].nunique()} "
                             "people)", x="day", y="person",
                        height=max(420, 22 * len(order) + 180))
            return fig.update_layout(margin={"t": 120, "b": 30})
        raise ValueError(f"figure: kind {kind!r} is not known; expected 'days' or 'people'")

    def to_ics(self, path: str | os.PathLike[str], *, at: str = "09:00",
               reminder_minutes: int | None = 5, calendar_name: str = "Think small: habits",
               stamp: Any = None) -> Path:
        """Write the plan as an iCalendar (.ics) file that calendar apps import.

        One event per action, not per day: each event names one person and one
        thing to do, so it can be done, moved or deleted on its own, and a
        reminder shows the very action. A day's actions follow each other from
        ``at``, each as long as its minutes.

        Every event has a stable ``UID`` made from its date, person and action
        (a hash), so importing a re-exported plan updates the events it already
        has instead of adding copies; an action you changed gets a new UID.
        Times are "floating" (no time zone): 09:00 means nine in the morning
        wherever you are, which is what a habit wants.

        Parameters
        ----------
        path : str or path-like
            Where to write, e.g. ``"my-habits.ics"``.
        at : str, default "09:00"
            When the day's first action starts (HH:MM, 24-hour clock).
        reminder_minutes : int or None, default 5
            A reminder (VALARM) this many minutes before each action; None for none.
        calendar_name : str
            The name calendar apps show for it.
        stamp : datetime, optional
            The DTSTAMP written in every event (when the file was made); default now.
            Pass a fixed time for a byte-identical file.

        Returns
        -------
        pathlib.Path
            The file written.

        Introduced in lesson 06 (lessons/06-small-habits.ipynb).
        """
        from icalendar import Alarm, Calendar, Event

        from thinksmall_kit._files import kit_calendar, output_file

        # Never over a file the kit did not write (a workspace, a notebook ...).
        out = output_file(path, "to_ics", (".ics",), "a habit calendar", kit_calendar)
        try:
            first = dt.datetime.strptime(str(at), "%H:%M").time()
        except ValueError:
            raise DataError(f"to_ics: at={at!r} is not a time; expected HH:MM such as "
                            "'09:00' or '18:30'") from None
        if reminder_minutes is not None:
            reminder_minutes = _whole("to_ics(reminder_minutes)", reminder_minutes, 0, 1440)
        when = (pd.Timestamp.now(tz="UTC") if stamp is None
                else pd.Timestamp(stamp)).to_pydatetime()
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        cal = Calendar()
        cal.add("prodid", "-//Think Small Kit//habits//EN")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("x-wr-calname", calendar_name)
        t = self.table
        offsets = t.groupby("date")["minutes"].cumsum() - t["minutes"]  # minutes into the day
        starts = (t["date"] + pd.Timedelta(hours=first.hour, minutes=first.minute)
                  + pd.to_timedelta(offsets, unit="min"))
        anchor = self.params["anchor"]
        # One event per planned action: a loop over the plan's rows (a few dozen),
        # since each event is an object of its own.
        for row, start in zip(t.itertuples(index=False), starts, strict=True):
            event = Event()
            event.add("uid", row.uid)
            event.add("dtstamp", when)
            event.add("dtstart", start.to_pydatetime())
            event.add("duration", dt.timedelta(minutes=float(row.minutes)))
            event.add("summary", f"Tiny habit: {row.todo}")
            why = TINY_ACTIONS[row.action].why if row.action in TINY_ACTIONS else ""
            event.add("description",
                      f"{row.recipe}\n\nWhy: {why}.\nWho: {row.display_name} "
                      f"({row.role}, layer {row.layer}).\nAnchor: after I {anchor}.\n"
                      "Log it: tsk.check_in(ws, 'done', contact_id="
                      f"'{row.contact_id}', action='{row.action}')")
            event.add("categories", ["think small"])
            event.add("transp", "TRANSPARENT")
            if reminder_minutes is not None:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"Tiny habit: {row.todo}")
                alarm.add("trigger", dt.timedelta(minutes=-reminder_minutes))
                event.add_component(alarm)
            cal.add_component(event)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(cal.to_ical())
        return out


def _candidates(table: pd.DataFrame, max_layer: int, skip_roles: Sequence[str]) -> pd.DataFrame:
    layer = table["layer"].astype("Int64")
    keep = (layer.notna() & (layer <= max_layer)).fillna(False).astype(bool)
    keep &= table["ideal_days"].notna()
    keep &= ~table["role"].astype(str).isin(list(skip_roles))
    return table[keep]


def plan_habits(tribe: Tribe | Network, *, minutes_per_day: float = 5.0, weeks: int = 4,
                start: Any = None, rest_days: Any = ("sun",), max_per_day: int = 3,
                max_layer: int = 150, skip_roles: Sequence[str] = (),
                actions: Any = None, anchor: str = "pour my first coffee",
                seed: int = 0) -> HabitPlan:
    """Plan tiny connection actions over the coming weeks, each naming one person.

    Reach out to one, then the next, and repeat. For each habit day, in order:

    1. **Who is eligible**: the people in your layers up to ``max_layer`` (with
       a keep-in-touch cadence), except anyone already planned within their
       cadence (``ideal_days``): nobody is planned twice within their own cadence.
    2. **Who comes first**: ``urgency = days since your last contact / ideal_days``,
       counting a planned action as a contact. Above 1 the tie is overdue,
       so the losing-touch list comes first; a tie you just planned drops to 0,
       which spreads the plan over people. Ties in urgency go to the stronger
       tie, then to a random order fixed by ``seed``.
    3. **What to do**: an overdue tie gets a ``check_in``; anyone else gets an
       action that suits their role (:data:`TINY_ACTIONS` lists the roles),
       chosen at random with ``seed``. An ``introduce`` names a second eligible
       person, who then counts as contacted too.
    4. **How much**: actions are added while they fit into ``minutes_per_day``
       and ``max_per_day``. Rest days get none.

    The same tribe, settings and seed always give the same plan.

    Parameters
    ----------
    tribe : Tribe or Network
        The result of ``tsk.tribe(net)`` (its layers, cadences and last
        contacts are used); a Network is turned into one with the defaults.
    minutes_per_day : float, default 5
        Time budget per habit day. Five minutes is two to four tiny actions: small
        enough to keep doing on a busy day.
    weeks : int, default 4
        Length of the plan; four weeks matches the review in lesson 07.
    start : date, optional
        The first day; default the day after ``tribe.as_of``.
    rest_days : weekdays and/or dates, default ("sun",)
        Days without actions: weekday names, full or three letters, in any case
        ("sat", "Sunday", or several in one text: "sat, sun", "Saturday and
        Sunday"), numbers (0 = Monday) or dates ("2025-12-25"), alone or in a
        list. None for no rest days.
    max_per_day : int, default 3
        At most this many actions a day, however large the budget.
    max_layer : int, default 150
        The outermost Dunbar layer to plan for (5, 15, 50, 150, 500 or 1500).
    skip_roles : sequence of str, default ()
        Roles to leave out (e.g. ``("unknown",)``).
    actions : list, optional
        Keys of :data:`TINY_ACTIONS` (or :class:`TinyAction` objects) to use;
        default all six.
    anchor : str, default "pour my first coffee"
        Something you already do every day; each action's ``recipe`` reads
        "After I <anchor>, I will <action>".
    seed : int, default 0
        Fixes the random choices (action per person, order of equal ties).

    Returns
    -------
    HabitPlan
        ``.table`` (one row per action), ``.days``, ``.figure()``, ``.to_ics(path)``.

    Raises
    ------
    DataError
        No one in the tribe has a cadence within ``max_layer``, the budget is
        smaller than the quickest action, or a setting is out of range.

    Examples
    --------
    >>> import thinksmall_kit as tsk
    >>> tribe = tsk.tribe(tsk.load_persona("ceramics"))
    >>> plan = tsk.plan_habits(tribe, minutes_per_day=5, weeks=4, seed=1)
    >>> plan.params["start"]
    Timestamp('2025-12-01 00:00:00')
    >>> bool(plan.table.groupby("date")["minutes"].sum().max() <= 5)
    True
    >>> plan.table.iloc[0]["display_name"] in set(tribe.losing_touch(10)["display_name"])
    True

    Introduced in lesson 06 (lessons/06-small-habits.ipynb).
    """
    if isinstance(tribe, Network):
        tribe = make_tribe(tribe)
    if not isinstance(tribe, Tribe):
        raise TypeError(f"plan_habits: expected the result of tsk.tribe(net), got "
                        f"{type(tribe).__name__}.\n  fix: plan = tsk.plan_habits(tsk.tribe(net))")
    try:
        budget = float(minutes_per_day)
    except (TypeError, ValueError):
        raise TypeError(f"plan_habits: minutes_per_day must be a number, got "
                        f"{minutes_per_day!r}") from None
    weeks = _whole("plan_habits(weeks)", weeks, 1, 52)
    max_per_day = _whole("plan_habits(max_per_day)", max_per_day, 1, 20)
    seed = _whole("plan_habits(seed)", seed, 0)
    if max_layer not in LAYERS:
        raise DataError(f"plan_habits: max_layer={max_layer!r}; expected one of {LAYERS}")
    unknown_roles = [r for r in skip_roles if r not in ROLES]
    if isinstance(skip_roles, str) or unknown_roles:
        raise DataError(f"plan_habits: skip_roles must be a list of roles among "
                        f"{', '.join(ROLES)}; got {skip_roles!r}")
    library = _actions(actions)
    quickest = min(a.minutes for a in library.values())
    if not math.isfinite(budget) or budget < quickest:
        raise DataError(f"plan_habits: minutes_per_day={minutes_per_day!r} leaves no time for "
                        f"even the quickest action ({quickest:g} min)\n"
                        "  expected: a budget of a few minutes, e.g. minutes_per_day=5")
    recipe(anchor, "thank")  # checks the anchor
    anchor = anchor.strip().rstrip(",.")
    if anchor.lower().startswith("after i "):
        anchor = anchor[8:]
    weekday_rest, date_rest = _rest(rest_days)
    if start is None:
        as_of = tribe.as_of
        base = (as_of.tz_convert("UTC").tz_localize(None) if as_of is not None
                else pd.Timestamp.now())
        start = base.normalize() + pd.Timedelta(days=1)
    start = _day(start, "plan_habits(start)")

    cand = _candidates(tribe.table, max_layer, skip_roles)
    if cand.empty:
        raise DataError(
            f"plan_habits: nobody in layers up to {max_layer} has a keep-in-touch cadence "
            "(people with at least one interaction are in the layers)\n"
            "  expected: a tribe with people in it\n"
            "  fix: a larger max_layer, fewer skip_roles, or a network with interactions")

    ids = cand.index.to_numpy(dtype=object)
    names = cand["display_name"].astype(str).to_numpy(dtype=object)
    roles = cand["role"].astype(str).to_numpy(dtype=object)
    ideal = np.ceil(cand["ideal_days"].to_numpy(dtype=float))
    strength = cand["strength"].to_numpy(dtype=float)
    last_day = cand["last_contact"].dt.tz_convert(None).dt.normalize()
    # Day numbers relative to start (start = 0); the last contact is before it.
    last_num = ((last_day - start) / pd.Timedelta(days=1)).to_numpy(dtype=float)
    last_num = np.minimum(last_num, -1.0)
    next_ok = np.full(len(ids), -np.inf)  # the first day a planned person may come again
    rng = np.random.default_rng(seed)
    jitter = rng.permutation(len(ids))

    days = pd.date_range(start, periods=7 * weeks, freq="D")
    rest = _is_rest(days, weekday_rest, date_rest)
    keys = list(library)
    suits = {r: [k for k in keys if k != "check_in" and (not library[k].roles
                                                         or r in library[k].roles)]
             for r in ROLES}
    rows: list[dict[str, Any]] = []
    # A loop over the days of the plan (28 by default) and, inside, over the few
    # people picked each day; who comes first is computed for everyone at once.
    for i, day in enumerate(days):
        if rest[i]:
            continue
        since = i - last_num
        urgency = since / ideal
        eligible = i >= next_ok
        order = np.lexsort((jitter, -strength, -np.round(urgency, 9)))
        order = order[eligible[order]]
        remaining, picked, taken = budget, 0, set()
        for pos in order:
            if picked >= max_per_day or remaining < quickest:
                break
            if pos in taken:
                continue
            overdue = bool(urgency[pos] > 1)
            if overdue and "check_in" in library:
                options = ["check_in"]
            else:
                options = suits[roles[pos]] or [k for k in keys if k != "check_in"] or keys
            options = [k for k in options if library[k].minutes <= remaining]
            if not options:
                continue
            key = options[int(rng.integers(len(options)))]
            other = None
            if key == "introduce":
                others = [p for p in order if p != pos and p not in taken]
                if others:
                    other = int(others[0])
                else:
                    fallback = [k for k in options if k != "introduce"]
                    if not fallback:
                        continue
                    key = fallback[0]
            action = library[key]
            taken.add(pos)
            picked += 1
            remaining -= action.minutes
            for p in (pos,) if other is None else (pos, other):
                last_num[p] = i
                next_ok[p] = i + ideal[p]
            if other is not None:
                taken.add(other)
            other_name = None if other is None else names[other]
            todo = action.text(names[pos], other_name or "someone they should know")
            rows.append({
                "date": day, "weekday": day.strftime("%a"), "order": picked,
                "contact_id": ids[pos], "display_name": names[pos], "role": roles[pos],
                "layer": cand["layer"].iloc[pos], "days_since": float(since[pos]),
                "overdue": overdue, "action": key, "minutes": action.minutes,
                "other_id": None if other is None else ids[other], "other_name": other_name,
                "todo": todo, "recipe": recipe(anchor, todo),
                "uid": _uid(day, ids[pos], key, None if other is None else ids[other]),
            })
    table = pd.DataFrame(rows, columns=_PLAN_COLUMNS)
    table = table.astype({"weekday": "str", "order": "int64", "contact_id": "str",
                          "display_name": "str", "role": "str", "layer": "Int64",
                          "days_since": "float64", "overdue": "bool", "action": "str",
                          "minutes": "float64", "todo": "str", "recipe": "str", "uid": "str"})
    table["date"] = pd.to_datetime(table["date"]).astype("datetime64[ns]")
    per_day = table.groupby("date").agg(actions=("uid", "size"), minutes=("minutes", "sum"))
    day_table = pd.DataFrame({"date": days.astype("datetime64[ns]"), "rest": rest})
    day_table = day_table.join(per_day, on="date").fillna({"actions": 0, "minutes": 0.0})
    day_table["actions"] = day_table["actions"].astype("int64")
    params = {"minutes_per_day": budget, "weeks": weeks, "start": start,
              "end": days[-1], "rest_days": sorted(_WEEKDAYS[w] for w in weekday_rest)
              + [f"{d:%Y-%m-%d}" for d in sorted(date_rest)],
              "max_per_day": max_per_day, "max_layer": max_layer,
              "skip_roles": list(skip_roles), "actions": keys, "anchor": anchor,
              "seed": seed, "as_of": tribe.as_of}
    return HabitPlan(table=table, days=day_table, params=params)


# --------------------------------------------------------------------------- workspace


def _workspace(ws: Any, who: str) -> Any:
    from thinksmall_kit.workspace import Workspace

    if not isinstance(ws, Workspace):
        raise TypeError(f"{who}: ws must be your workspace (ws = tsk.open_workspace()), "
                        f"got {type(ws).__name__}")
    return ws


def save_plan(ws: Any, plan: HabitPlan) -> None:
    """Keep a plan in your workspace, replacing the one saved before, in one transaction.

    The tracker (:func:`habit_tracker`) shows the saved plan's actions for today.

    Parameters
    ----------
    ws : Workspace
    plan : HabitPlan

    Introduced in lesson 06 (lessons/06-small-habits.ipynb).
    """
    from thinksmall_kit.workspace import _now_text

    ws = _workspace(ws, "save_plan")
    if not isinstance(plan, HabitPlan):
        raise TypeError(f"save_plan: expected a HabitPlan from tsk.plan_habits, got "
                        f"{type(plan).__name__}")
    t = plan.table
    rows = list(zip(t["uid"], t["date"].dt.strftime("%Y-%m-%d"), range(len(t)),
                    t["contact_id"], t["display_name"], t["action"], t["minutes"].astype(float),
                    t["other_id"].astype(object).where(t["other_id"].notna(), None),
                    t["other_name"].astype(object).where(t["other_name"].notna(), None),
                    t["todo"], t["recipe"], strict=True))
    params = {k: (str(v) if isinstance(v, pd.Timestamp) else v) for k, v in plan.params.items()}
    with ws._write() as con:
        con.execute("DELETE FROM habit_plan_actions")
        con.execute("DELETE FROM habit_plan_info")
        con.executemany(
            "INSERT INTO habit_plan_actions (uid, day, position, contact_id, display_name, action, "
            "minutes, other_id, other_name, todo, recipe) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows)
        con.execute("INSERT INTO habit_plan_info (id, saved_at, params) VALUES (1, ?, ?)",
                    (_now_text(), json.dumps(params, default=str)))


def load_plan(ws: Any) -> pd.DataFrame:
    """The saved plan's actions (``day``, ``contact_id``, ``display_name``, ``action``,
    ``minutes``, ``other_id``, ``other_name``, ``todo``, ``recipe``, ``uid``); empty if none.

    A ``day`` or ``minutes`` edited by hand (with SQLite) into something the kit
    cannot read raises :class:`~thinksmall_kit.workspace.WorkspaceError` naming
    the table, the column, the value and its ``uid``; the file is left as it was.

    Introduced in lesson 06 (lessons/06-small-habits.ipynb).
    """
    ws = _workspace(ws, "load_plan")
    with ws._read() as con:
        rows = con.execute(
            "SELECT day, contact_id, display_name, action, minutes, other_id, other_name, "
            "todo, recipe, uid FROM habit_plan_actions ORDER BY position").fetchall()
    from thinksmall_kit.workspace import _checked_column, _sql_text

    cols = ["day", "contact_id", "display_name", "action", "minutes", "other_id",
            "other_name", "todo", "recipe", "uid"]
    t = pd.DataFrame(rows, columns=cols)
    uids = t["uid"].tolist()

    def locate(i: int) -> tuple[str, str, str]:
        return (f"the planned action with uid {uids[i]!r}", f"uid = {_sql_text(uids[i])}",
                "save a new plan over it with tsk.save_plan(ws, plan)")

    t["day"] = _stored_days(ws, "habit_plan_actions", t["day"].tolist(), locate)
    t["minutes"] = _checked_column("habit_plan_actions", "minutes", "float64",
                                   t["minutes"].tolist(), path=ws.path, locate=locate)
    return t


def _refuse_stored(ws: Any, table: str, name: str, raw: pd.Series, bad: Any, expected: str,
                   example: str, locate: Any) -> None:
    """Raise a WorkspaceError naming the first ``bad`` stored value, if any.

    Worded as workspace.py's ``_checked_column`` words its messages; ``locate(i)``
    gives the words naming row ``i``, the SQL condition selecting it and another fix.
    """
    from thinksmall_kit.workspace import WorkspaceError

    where = np.flatnonzero(np.asarray(bad, dtype=bool))
    if not len(where):
        return
    i = int(where[0])
    words, condition, fix = locate(i)
    raise WorkspaceError(
        f"{ws.path} holds a value the kit cannot read: {table}.{name} is {raw.iloc[i]!r} in "
        f"{words}.\n"
        f"  expected: {expected}\n"
        f"  fix: the file was left as it was; correct the value with SQLite, e.g. "
        f"UPDATE {table} SET \"{name}\" = {example} WHERE {condition}"
        + (f"; or {fix}" if fix else ""))


def _stored_days(ws: Any, table: str, values: list[Any], locate: Any) -> pd.Series:
    """The stored days (YYYY-MM-DD text) as dates; a day edited by hand into anything
    else raises WorkspaceError naming it."""
    raw = pd.Series(values, dtype=object)
    # Only YYYY-MM-DD: pandas reads 'today' and 'now' as dates even with a format.
    text = raw.where(raw.map(lambda v: isinstance(v, str)
                             and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) is not None), None)
    days = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    _refuse_stored(ws, table, "day", raw, days.isna(),
                   "a calendar day as text, year first, such as 2025-12-01", "'2025-12-01'",
                   locate)
    return days.astype("datetime64[ns]")


def _insert_interaction(con: Any, contact_id: str, kind: str, platform: str | None,
                        when: pd.Timestamp) -> str:
    """Add one outgoing interaction to the saved network, keeping the table oldest first."""
    from thinksmall_kit.workspace import _to_text_times

    if platform is None:
        row = con.execute("SELECT platform FROM interactions WHERE contact_id = ? "
                          "ORDER BY timestamp DESC LIMIT 1", (contact_id,)).fetchone()
        platform = row[0] if row else OFFLINE
    known = {r[0] for r in con.execute("SELECT platform FROM platforms")} | {OFFLINE}
    if platform not in known:
        raise DataError(f"check_in: platform {platform!r} is not in your saved network\n"
                        f"  expected one of {', '.join(sorted(known))}")
    if platform == OFFLINE and kind not in ("email", "call", "meeting"):
        kind = "email"  # offline contact is an e-mail, a call or a meeting
    stamp = _to_text_times(pd.Series([when]))[0]
    later = con.execute("SELECT min(position) FROM interactions WHERE timestamp > ?",
                        (stamp,)).fetchone()[0]
    if later is None:
        top = con.execute("SELECT max(position) FROM interactions").fetchone()[0]
        position = 0 if top is None else int(top) + 1
    else:  # back-dated: make room so the table stays oldest first
        position = int(later)
        con.execute("UPDATE interactions SET position = -(position + 1) WHERE position >= ?",
                    (position,))
        con.execute("UPDATE interactions SET position = -position WHERE position < 0")
    con.execute(
        'INSERT INTO interactions (position, "timestamp", platform, contact_id, direction, '
        'kind, thread_id, text, has_link, is_promotional) '
        "VALUES (?, ?, ?, ?, 'out', ?, NULL, NULL, 0, 0)",
        (position, stamp, platform, contact_id, kind))
    return stamp


def check_in(ws: Any, status: str = "done", *, contact_id: str | None = None,
             action: str | None = None, note: str | None = None, day: Any = None,
             plan_uid: str | None = None, platform: str | None = None,
             record_interaction: bool = True) -> int:
    """Record in your workspace whether you did a tiny action (or the habit) on a day.

    A ``done`` check-in that names a person also records an outgoing
    interaction with them in the network saved in the workspace, in the same
    transaction, so ``tsk.tribe(ws.load_network())`` shows the new
    ``last_contact`` and their keep-in-touch clock restarts. The interaction's
    kind comes from the action (``dm``, ``reply``, ``share`` ...; offline it
    is an e-mail) and its platform is the one where you last talked with them,
    unless you say ``platform=``.

    Parameters
    ----------
    ws : Workspace
    status : {"done", "not_done", "skipped"}, default "done"
        ``skipped`` is for a planned rest or a day you chose not to count (it
        does not weaken the habit); ``not_done`` for a day you meant to and did not.
    contact_id : str, optional
        Who the action was for (a ``contact_id`` of the saved network).
    action : str, optional
        Which tiny action (a key of :data:`TINY_ACTIONS`) or your own words.
    note : str, optional
        Anything worth remembering ("she asked about the spring workshop").
    day : date, optional
        The day it is about (a date or text such as ``"2025-12-01"``; a time
        with a zone counts on its UTC day); default today. A day in the past is fine.
    plan_uid : str, optional
        The ``uid`` of the planned action (the tracker fills it in).
    platform : str, optional
        Where you did it, for the recorded interaction.
    record_interaction : bool, default True
        Set False to record the check-in only.

    Returns
    -------
    int
        The new check-in's id.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import thinksmall_kit as tsk
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ws.sqlite"
    >>> ws = tsk.open_workspace(path)  # doctest: +ELLIPSIS
    Workspace: ...
    >>> ws.save_network(tsk.load_persona("ceramics"))
    >>> tsk.check_in(ws, "done", contact_id="kaia_thistlewood", action="check_in",
    ...              day="2025-12-01")
    1
    >>> tr = tsk.tribe(ws.load_network())
    >>> str(tr.table.loc["kaia_thistlewood", "last_contact"].date())
    '2025-12-01'
    >>> ws.close()

    Introduced in lesson 06 (lessons/06-small-habits.ipynb).
    """
    from thinksmall_kit.workspace import _now_text

    ws = _workspace(ws, "check_in")
    if status not in CHECKIN_STATUSES:
        raise DataError(f"check_in: status {status!r} is not known\n"
                        f"  expected one of {', '.join(CHECKIN_STATUSES)}")
    for name, value in (("action", action), ("note", note), ("plan_uid", plan_uid),
                        ("platform", platform)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"check_in: {name} must be text, got {type(value).__name__}")
    if not isinstance(record_interaction, bool | np.bool_):
        raise TypeError(f"check_in: record_interaction must be True or False, got "
                        f"{type(record_interaction).__name__} {record_interaction!r}")
    today = pd.Timestamp.now().normalize()
    when_day = today if day is None else _day(day, "check_in(day)")
    if when_day > today:
        raise DataError(f"check_in: day {when_day:%Y-%m-%d} is in the future; a check-in "
                        "records what already happened (expected today or earlier)")
    kind = TINY_ACTIONS[action].kind if action in TINY_ACTIONS else "dm"
    with ws._write() as con:
        interaction_at = None
        if contact_id is not None:
            ws._check_contact(con, contact_id)
            has_network = con.execute("SELECT 1 FROM network_info").fetchone() is not None
            if status == "done" and record_interaction and has_network:
                moment = (pd.Timestamp.now(tz="UTC") if when_day == today
                          else (when_day + pd.Timedelta(hours=12)).tz_localize("UTC"))
                interaction_at = _insert_interaction(con, contact_id, kind, platform, moment)
        cur = con.execute(
            "INSERT INTO habit_checkins (day, status, contact_id, action, note, plan_uid, "
            "interaction_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (f"{when_day:%Y-%m-%d}", status, contact_id, action, note, plan_uid,
             interaction_at, _now_text()))
        return int(cur.lastrowid or 0)


def undo_check_in(ws: Any, checkin_id: int) -> None:
    """Take back a check-in recorded by mistake, and the interaction it recorded.

    The check-in goes, and so does the outgoing interaction a ``done``
    check-in added to your saved network (that person's keep-in-touch clock
    goes back to where it was), in one transaction. Nothing else changes.
    The tracker calls it when you untick a box.

    Parameters
    ----------
    ws : Workspace
    checkin_id : int
        The ``checkin_id`` of the check-in (``tsk.checkins(ws)``; ``check_in``
        returns it).

    Raises
    ------
    DataError
        No check-in has that id.

    Introduced in lesson 06 (lessons/06-small-habits.ipynb).
    """
    ws = _workspace(ws, "undo_check_in")
    if isinstance(checkin_id, bool) or not isinstance(checkin_id, (int, np.integer)):
        raise TypeError(f"undo_check_in: checkin_id must be a whole number (a checkin_id of "
                        f"tsk.checkins(ws)), got {type(checkin_id).__name__}")
    # SQLite ids are 64-bit: a larger number is no check-in (and would overflow the query).
    fits = -(2**63) <= int(checkin_id) < 2**63
    with ws._write() as con:
        row = con.execute("SELECT contact_id, interaction_at FROM habit_checkins "
                          "WHERE checkin_id = ?", (int(checkin_id),)).fetchone() if fits else None
        if row is None:
            known = [r[0] for r in con.execute(
                "SELECT checkin_id FROM habit_checkins ORDER BY checkin_id DESC LIMIT 5")]
            raise DataError(f"undo_check_in: there is no check-in {int(checkin_id)} in this "
                            f"workspace\n  expected a checkin_id of tsk.checkins(ws)"
                            + (f", e.g. {', '.join(map(str, known))}" if known else
                               " (it holds none)"))
        contact_id, at = row
        if at is not None:
            # The one row check_in added: outgoing, at that moment, no thread and no text.
            con.execute(
                "DELETE FROM interactions WHERE position = (SELECT position FROM interactions "
                "WHERE contact_id = ? AND \"timestamp\" = ? AND direction = 'out' AND "
                "thread_id IS NULL AND text IS NULL ORDER BY position DESC LIMIT 1)",
                (contact_id, at))
        con.execute("DELETE FROM habit_checkins WHERE checkin_id = ?", (int(checkin_id),))


def checkins(ws: Any) -> pd.DataFrame:
    """Your check-ins, oldest first.

    Returns
    -------
    pandas.DataFrame
        ``checkin_id``, ``day`` (a date), ``status``, ``contact_id``, ``action``,
        ``note``, ``plan_uid``, ``interaction_at`` (when a done action was
        recorded as an interaction), ``created_at``.

    Raises
    ------
    WorkspaceError
        A value edited by hand (with SQLite) into something the kit cannot read,
        such as a ``day`` that is not YYYY-MM-DD: the message names the table,
        the column, the value and its ``checkin_id``; the file is left as it was.

    Introduced in lesson 06 (lessons/06-small-habits.ipynb).
    """
    from thinksmall_kit.workspace import _checked_column

    ws = _workspace(ws, "checkins")
    cols = ["checkin_id", "day", "status", "contact_id", "action", "note", "plan_uid",
            "interaction_at", "created_at"]
    with ws._read() as con:
        rows = con.execute(f"SELECT {', '.join(cols)} FROM habit_checkins ORDER BY day, "
                           "checkin_id").fetchall()
    t = pd.DataFrame(rows, columns=cols).astype({"checkin_id": "int64"})
    ids = t["checkin_id"].tolist()

    def locate(i: int) -> tuple[str, str, str]:
        return (f"the check-in with checkin_id {ids[i]}", f"checkin_id = {ids[i]}",
                f"take the check-in back with tsk.undo_check_in(ws, {ids[i]})")

    # A value edited by hand (with SQLite) is named, never a pandas error or a silent NaN.
    t["day"] = _stored_days(ws, "habit_checkins", t["day"].tolist(), locate)
    status = t["status"]
    bad = ~status.isin(CHECKIN_STATUSES)
    if bad.any():
        close = difflib.get_close_matches(str(status[bad].iloc[0]).strip().lower(),
                                          CHECKIN_STATUSES, n=1)
        _refuse_stored(ws, "habit_checkins", "status", status, bad,
                       f"one of {', '.join(CHECKIN_STATUSES)}"
                       + (f" (did you mean {close[0]!r}?)" if close else ""),
                       repr(close[0] if close else "done"), locate)
    t["status"] = pd.Categorical(status, categories=list(CHECKIN_STATUSES))
    for col in ("interaction_at", "created_at"):
        t[col] = _checked_column(
            "habit_checkins", col, "datetime64[ns, UTC]", t[col].tolist(), path=ws.path,
            # Undo would not find the interaction of a check-in whose time is unreadable.
            locate=locate if col == "created_at" else lambda i: (*locate(i)[:2], ""))
    return t


# --------------------------------------------------------------------------- progress


_SCORE_VALUES = ("one value per day: 1 (done), 0 (not done), NaN or None (skipped), "
                 "True/False, or a share between 0 and 1")


def _score_values(values: Any) -> pd.Series:
    """habit_score's values as a float Series; anything but numbers raises TypeError."""
    if isinstance(values, np.ndarray) and values.ndim != 1:
        raise TypeError(f"habit_score: values must be a flat list with {_SCORE_VALUES}; got "
                        f"an array of shape {values.shape}")
    if (isinstance(values, np.ndarray | pd.Series) and isinstance(values.dtype, np.dtype)
            and values.dtype.kind in "biuf"):
        return pd.Series(np.asarray(values, dtype=float))
    if isinstance(values, str | bytes | Mapping | pd.DataFrame) or not isinstance(values,
                                                                                Iterable):
        raise TypeError(f"habit_score: values must be a list with {_SCORE_VALUES}; got "
                        f"{type(values).__name__} {values!r}")
    items = []
    for x in values:
        if isinstance(x, str):
            raise TypeError(
                f"habit_score: values hold text ({x!r}); expected {_SCORE_VALUES}\n"
                "  fix: turn check-in statuses into numbers first, e.g. pd.Series(statuses)"
                ".map({'done': 1, 'not_done': 0, 'skipped': float('nan')}), or give the "
                "table of check-ins to tsk.habit_progress(log)")
        if x is None or x is pd.NA:
            x = math.nan
        elif not isinstance(x, numbers.Real | np.bool_):
            raise TypeError(f"habit_score: {x!r} ({type(x).__name__}) is not a day's value; "
                            f"expected {_SCORE_VALUES}")
        items.append(float(x))
    return pd.Series(items, dtype="float64")


def _score_number(name: str, value: Any, meaning: str) -> float:
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"habit_score: {name} must be a number, {meaning}; got "
                        f"{type(value).__name__} {value!r}")
    return float(value)


def habit_score(values: Any, frequency: float = 1.0, start: float = 0.0) -> np.ndarray:
    """The forgiving habit-strength score, day by day (Loop Habit Tracker's formula).

    Each day the score moves a little toward that day's value::

        score = score * m + value * (1 - m),   m = 0.5 ** (sqrt(frequency) / 13)

    ``value`` is 1 for a day done and 0 for a day missed; a skipped day (NaN)
    leaves the score as it was. ``frequency`` is repetitions per day (1 for a
    daily habit, 3/7 for three times a week), so the score's half-life is
    13 / sqrt(frequency) days: 13 days for a daily habit. A perfect daily
    habit reaches 1 - 0.5 ** (30 / 13) = 0.80 after 30 days, 0.96 after 60 and
    0.99 after 90; one missed day after a month costs about 0.04, not the whole
    streak. This is the formula Loop Habit Tracker publishes (reimplemented
    here; see REFERENCES.md). Loop also spreads the checks of a habit that is
    not daily over its period; the kit's habit is daily with rest days, which
    are skips.

    Computed without a loop: skipped days are dropped, the rest is exponential
    smoothing (``pandas.Series.ewm``), and the skipped days take the score of
    the day before.

    Parameters
    ----------
    values : sequence of float
        One value per day, oldest first: 1 done, 0 not done, NaN or None
        skipped (values between 0 and 1 count partly; True and False count as
        1 and 0). Text such as check-in statuses is refused: turn them into
        numbers first, or give the check-ins to :func:`habit_progress`.
    frequency : float, default 1
        Repetitions per day, a number above 0.
    start : float, default 0
        The score before the first day, between 0 and 1.

    Returns
    -------
    numpy.ndarray
        The score after each day, between 0 and 1.

    Raises
    ------
    TypeError
        ``values`` is not a list of numbers, or ``frequency`` or ``start`` is
        not a number.
    DataError
        A value, ``frequency`` or ``start`` is out of range.

    Examples
    --------
    >>> from thinksmall_kit import habit_score
    >>> round(float(habit_score([1] * 30)[-1]), 3)
    0.798
    >>> habit_score([1, float("nan"), 0]).round(4).tolist()
    [0.0519, 0.0519, 0.0492]

    Introduced in lesson 06 (lessons/06-small-habits.ipynb).
    """
    v = _score_values(values)
    if ((v < 0) | (v > 1)).any():
        raise DataError("habit_score: values must be 1 (done), 0 (not done), NaN (skipped) "
                        "or a share between 0 and 1")
    f = _score_number("frequency", frequency, "repetitions a day, e.g. 1 (daily) or 3 / 7")
    if not (math.isfinite(f) and f > 0):
        raise DataError(f"habit_score: frequency must be > 0 repetitions a day, got {frequency!r}")
    if not 0 <= _score_number("start", start, "the score before the first day, e.g. 0") <= 1:
        raise DataError(f"habit_score: start must be a score between 0 and 1, got {start!r}\n"
                        "  fix: leave it out to start from 0, or pass e.g. start=0.5")
    m = 0.5 ** (math.sqrt(f) / 13)
    kept = v.dropna()
    if kept.empty:
        return np.full(len(v), float(start))
    # ewm(adjust=False): y_t = (1 - alpha) * y_{t-1} + alpha * x_t, started from `start`.
    smoothed = pd.concat([pd.Series([float(start)]), kept], ignore_index=True).ewm(
        alpha=1 - m, adjust=False).mean().iloc[1:]
    out = pd.Series(np.nan, index=v.index)
    out.loc[kept.index] = smoothed.to_numpy()
    return out.ffill().fillna(float(start)).to_numpy()


@dataclasses.dataclass
class HabitProgress:
    """How the habit is going: the result of :func:`habit_progress`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per day: ``day``, ``done`` (actions done), ``status`` (done,
        not_done, skipped), ``value`` (1, 0 or NaN), ``score``, ``streak``.
    weekly : pandas.DataFrame
        One row per week (from Monday): ``week``, ``days_done``, ``days_missed``,
        ``days_skipped``, ``actions_done``, ``score`` at the week's end.
    streak : int
        Days done in a row up to the last day (skipped days neither break nor add).
    best_streak : int
    strength : float
        The score on the last day, 0..1.
    frequency : float

    Introduced in lesson 06 (lessons/06-small-habits.ipynb).
    """

    table: pd.DataFrame
    weekly: pd.DataFrame
    streak: int
    best_streak: int
    strength: float
    frequency: float

    def __repr__(self) -> str:
        t = self.table
        done = int((t["status"] == "done").sum())
        return (f"HabitProgress: {done} of {len(t)} days done; streak {self.streak} "
                f"(best {self.best_streak}); strength {self.strength:.0%}")

    def figure(self, kind: str = "calendar") -> Any:
        """Draw the habit.

        Parameters
        ----------
        kind : {"calendar", "score"}
            ``"calendar"``: a heat map with one square per day (weeks across,
            weekdays down), darker the more actions were done; rest days marked.
            ``"score"``: the strength score over time with the actions done each
            week as bars, so the raw counts sit next to the smoothed score.

        Returns
        -------
        plotly.graph_objects.Figure

        Introduced in lesson 06 (lessons/06-small-habits.ipynb).
        """
        import plotly.graph_objects as go

        t = self.table
        if kind == "calendar":
            week = t["day"] - pd.to_timedelta(t["day"].dt.day_of_week, unit="D")
            weeks = pd.DatetimeIndex(week.unique()).sort_values()
            grid = np.full((7, len(weeks)), np.nan)
            text = np.full((7, len(weeks)), "", dtype=object)
            col = weeks.searchsorted(week)
            row = t["day"].dt.day_of_week.to_numpy()
            grid[row, col] = t["done"].to_numpy(dtype=float)
            label = t["status"].map({"done": "done", "not_done": "missed",
                                     "skipped": "rest"}).astype(str)
            text[row, col] = (t["day"].dt.strftime("%a %d %b") + ": " + label + ", "
                              + t["done"].astype(str) + " action(s)").to_numpy()
            marks = np.full((7, len(weeks)), "", dtype=object)
            marks[row, col] = np.where(t["status"] == "skipped", "rest",
                                       np.where(t["status"] == "not_done", "missed", ""))
            top = max(1.0, float(np.nanmax(grid)) if np.isfinite(grid).any() else 1.0)
            fig = go.Figure(go.Heatmap(
                z=grid, x=list(weeks.strftime("%d %b")),
                y=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], text=marks,
                texttemplate="%{text}", customdata=text,
                hovertemplate="%{customdata}<extra></extra>",
                colorscale=[[0, "#F2F2F2"], [1 / (top + 1), "#CFEBDF"],
                            [1, STATUS_COLOURS["green"]]],
                zmin=0, zmax=top, xgap=3, ygap=3,
                colorbar={"title": {"text": "actions<br>done"}, "dtick": 1}))
            fig.update_yaxes(autorange="reversed")
            return style(fig, f"Your habit, day by day: streak {self.streak}, strength "
                              f"{self.strength:.0%}", x="week starting", y="",
                         height=360)
        if kind == "score":
            w = self.weekly
            fig = go.Figure()
            fig.add_bar(x=w["week"] + pd.Timedelta(days=3), y=w["actions_done"],
                        name="actions done that week", marker_color="#CFEBDF")
            # The score on a second axis drawn over the bars, so the bars never hide it.
            fig.add_scatter(x=t["day"], y=t["score"] * 100, name="strength (%)", yaxis="y2",
                            mode="lines", line={"color": STATUS_COLOURS["green"], "width": 3})
            style(fig, "Habit strength (forgiving score) and weekly actions", x="day",
                  y="actions done per week")
            # Five steps on both axes, so each gridline reads on either side.
            top = max(5, math.ceil(float(w["actions_done"].max() or 0) / 5) * 5)
            fig.update_layout(yaxis={"range": [0, top], "tickmode": "linear", "dtick": top / 5},
                              yaxis2={"overlaying": "y", "side": "right", "range": [0, 100],
                                      "tickmode": "linear", "dtick": 20,
                                      "title": {"text": "strength (%)"}, "showgrid": False},
                              legend={"orientation": "h", "y": -0.25})
            return fig
        raise ValueError(f"figure: kind {kind!r} is not known; expected 'calendar' or 'score'")


def habit_progress(source: Any, *, until: Any = None, start: Any = None,
                   rest_days: Any = None, frequency: float = 1.0) -> HabitProgress:
    """Streaks, weekly counts and habit strength from your check-ins.

    Each day gets one status: ``done`` if at least one action was done,
    else ``skipped`` if a check-in skipped it or it is a rest day, else
    ``not_done`` (a day without any check-in counts as not done: the habit is
    daily). The strength is :func:`habit_score` over those days (done 1, not
    done 0, skipped leaves it unchanged).

    Parameters
    ----------
    source : Workspace or DataFrame
        Your workspace (its :func:`checkins`) or a table with ``day`` (dates,
        or text such as ``"2025-12-01"``) and ``status`` columns (one row per check-in).
    until : date, optional
        The last day to count; default the last day with a check-in. Pass
        today's date to count the days since then as missed.
    start : date, optional
        The first day; default the first day with a check-in.
    rest_days : weekdays and/or dates, optional
        Days that count as skipped when nothing was checked in (as in
        :func:`plan_habits`), e.g. ``("sun",)``.
    frequency : float, default 1
        Repetitions per day for the score (1: a daily habit).

    Returns
    -------
    HabitProgress

    Examples
    --------
    >>> import pandas as pd
    >>> from thinksmall_kit import habit_progress
    >>> log = pd.DataFrame({"day": ["2025-12-01", "2025-12-02", "2025-12-04"],
    ...                     "status": ["done", "done", "done"]})
    >>> p = habit_progress(log)
    >>> p.table["status"].tolist()
    ['done', 'done', 'not_done', 'done']
    >>> p.streak, p.best_streak
    (1, 2)

    Introduced in lesson 06 (lessons/06-small-habits.ipynb).
    """
    from thinksmall_kit.workspace import Workspace

    if isinstance(source, Workspace):
        log = checkins(source)
    elif isinstance(source, pd.DataFrame):
        missing = {"day", "status"} - set(source.columns)
        if missing:
            raise DataError(f"habit_progress: the table lacks column(s) {sorted(missing)}; "
                            "expected one row per check-in with day and status")
        log = source
    else:
        raise TypeError("habit_progress: expected your workspace or a table of check-ins, "
                        f"got {type(source).__name__}")
    status = log["status"].astype(str)
    bad = ~status.isin(CHECKIN_STATUSES)
    if bad.any():
        raise DataError(f"habit_progress: status {status[bad].iloc[0]!r} is not known; "
                        f"expected one of {', '.join(CHECKIN_STATUSES)}")
    numbers = log["day"].map(lambda v: isinstance(v, int | float | np.number)
                             and not pd.isna(v), na_action="ignore").fillna(False).astype(bool)
    if numbers.any():
        raise DataError(f"habit_progress: the day column holds numbers, not dates (e.g. "
                        f"{log['day'][numbers].tolist()[0]!r})\n  expected: days as text such as "
                        "'2025-12-01', or dates\n  fix: write the days as text, year first")
    days = pd.to_datetime(log["day"]).dt.normalize()
    if getattr(days.dt, "tz", None) is not None:
        days = days.dt.tz_localize(None)
    first = _day(start, "habit_progress(start)") if start is not None else (
        days.min() if len(days) else None)
    last = _day(until, "habit_progress(until)") if until is not None else (
        days.max() if len(days) else None)
    if first is None or last is None:
        raise DataError("habit_progress: there are no check-ins yet, so nothing to count\n"
                        "  fix: record one with tsk.check_in(ws, 'done', ...) or use the "
                        "tracker, tsk.habit_tracker(ws)")
    if last < first:
        raise DataError(f"habit_progress: until {last:%Y-%m-%d} is before start "
                        f"{first:%Y-%m-%d}")
    calendar = pd.date_range(first, last, freq="D")
    per = pd.crosstab(days, status).reindex(index=calendar, columns=list(CHECKIN_STATUSES),
                                           fill_value=0)
    weekday_rest, date_rest = _rest(rest_days)
    rest = _is_rest(calendar, weekday_rest, date_rest)
    done = per["done"].to_numpy() > 0
    skipped = ~done & ((per["skipped"].to_numpy() > 0) | (rest & (per["not_done"].to_numpy() == 0)))
    label = np.where(done, "done", np.where(skipped, "skipped", "not_done"))
    value = np.where(done, 1.0, np.where(skipped, np.nan, 0.0))
    score = habit_score(value, frequency)
    # Streak: days done since the last missed day; skipped days carry it over.
    v = pd.Series(value)
    counted = v.dropna()
    runs = (counted == 0).cumsum()
    streak_counted = counted.groupby(runs).cumsum()
    streak = pd.Series(np.nan, index=v.index)
    streak.loc[streak_counted.index] = streak_counted.to_numpy()
    streak = streak.ffill().fillna(0).astype("int64")
    table = pd.DataFrame({"day": calendar.astype("datetime64[ns]"),
                          "done": per["done"].to_numpy().astype("int64"),
                          "status": label, "value": value, "score": score,
                          "streak": streak.to_numpy()})
    week = table["day"] - pd.to_timedelta(table["day"].dt.day_of_week, unit="D")
    weekly = table.groupby(week).agg(
        days_done=("status", lambda s: int((s == "done").sum())),
        days_missed=("status", lambda s: int((s == "not_done").sum())),
        days_skipped=("status", lambda s: int((s == "skipped").sum())),
        actions_done=("done", "sum"), score=("score", "last"))
    weekly = weekly.rename_axis("week").reset_index()
    return HabitProgress(table=table, weekly=weekly, streak=int(table["streak"].iloc[-1]),
                         best_streak=int(table["streak"].max()),
                         strength=float(table["score"].iloc[-1]), frequency=float(frequency))

