"""The habit tracker widget: today's tiny actions as checkboxes, streak, strength, heat map.

Made by :func:`thinksmall_kit.habit_tracker`; ipywidgets and plotly are imported
when it is built, never when the kit is imported.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from thinksmall_kit.habits import (
    _day,
    _rest,
    _workspace,
    check_in,
    checkins,
    habit_progress,
    load_plan,
    undo_check_in,
)
from thinksmall_kit.network import DataError

__all__ = ["HabitTracker", "habit_tracker"]


class HabitTracker:
    """Today's planned actions as checkboxes, with the streak, strength and a heat map.

    Ticking a box records a ``done`` check-in for that action at once (and the
    interaction with that person, see :func:`~thinksmall_kit.check_in`);
    unticking it takes both back (:func:`~thinksmall_kit.undo_check_in`), for
    a box ticked by mistake. *Rest today* records the day as skipped, which
    does not weaken the habit.

    Attributes
    ----------
    widget : ipywidgets.VBox
        What is shown.
    checkboxes : dict of str to ipywidgets.Checkbox
        One per action planned for the day, keyed by the action's ``uid``.
    rest : ipywidgets.Button
        Marks the day as a rest day (skipped).
    summary : ipywidgets.HTML
        Streak, strength and this week's count.
    figure : plotly.graph_objects.Figure or None
        The latest calendar heat map (None before the first check-in).
    day : pandas.Timestamp
        The day shown.

    Introduced in lesson 06 (lessons/06-small-habits.ipynb).
    """

    def __init__(self, ws: Any, day: pd.Timestamp, rest_days: Any) -> None:
        import ipywidgets as widgets

        self._ws = ws
        self.day = day
        self._rest_days = rest_days
        plan = load_plan(ws)
        self.actions = plan[plan["day"] == day].reset_index(drop=True)
        log = checkins(ws)
        done_uids = set(log.loc[(log["day"] == day) & (log["status"] == "done"),
                                "plan_uid"].dropna())
        self.title = widgets.HTML(f"<h4 style='margin:4px 0'>Tiny actions for "
                                  f"{day:%A %d %B %Y}</h4>")
        self.checkboxes: dict[str, Any] = {}
        for row in self.actions.itertuples(index=False):  # a handful a day
            box = widgets.Checkbox(value=row.uid in done_uids,
                                   description=f"{row.todo} ({row.minutes:g} min)",
                                   indent=False, layout=widgets.Layout(width="auto"))
            box.observe(lambda change, uid=row.uid: self._ticked(uid, change), names="value")
            self.checkboxes[row.uid] = box
        empty = widgets.HTML("" if len(self.actions) else (
            "<p>Nothing planned for this day (a rest day, or no plan saved yet: "
            "<code>tsk.save_plan(ws, plan)</code>).</p>"))
        self.rest = widgets.Button(description="rest today", tooltip="record the day as "
                                   "skipped: it does not weaken the habit",
                                   layout=widgets.Layout(width="auto"))
        self.rest.on_click(lambda _b: self._rest())
        self.summary = widgets.HTML()
        self.output = widgets.Output()
        self.figure: Any = None
        self.widget = widgets.VBox([self.title, empty, *self.checkboxes.values(), self.rest,
                                    self.summary, self.output])
        self._refresh()

    def _ticked(self, uid: str, change: dict[str, Any]) -> None:
        if change["new"]:
            row = self.actions[self.actions["uid"] == uid].iloc[0]
            check_in(self._ws, "done", contact_id=row["contact_id"], action=row["action"],
                     day=self.day, plan_uid=uid)
        else:  # unticked: take back what the tick saved for this action on this day
            log = checkins(self._ws)
            mine = log[(log["plan_uid"] == uid) & (log["day"] == self.day)
                       & (log["status"] == "done")]
            for checkin_id in mine["checkin_id"]:
                undo_check_in(self._ws, int(checkin_id))
        self._refresh()

    def _rest(self) -> None:
        check_in(self._ws, "skipped", day=self.day, note="rest day")
        self.rest.disabled = True
        self._refresh()

    def _refresh(self) -> None:
        log = checkins(self._ws)
        if log.empty:
            self.summary.value = ("<p>No check-ins yet: tick an action when you have done "
                                  "it.</p>")
            return
        progress = habit_progress(log, until=max(self.day, log["day"].max()),
                                  rest_days=self._rest_days)
        self.progress = progress
        week = progress.weekly.iloc[-1]
        self.summary.value = (
            f"<p>Streak <b>{progress.streak}</b> day(s) (best {progress.best_streak}) · "
            f"strength <b>{progress.strength:.0%}</b> · this week "
            f"{int(week['actions_done'])} action(s) on {int(week['days_done'])} day(s)</p>"
            "<p style='color:#555'>Strength forgives: a missed day costs a little, "
            "a rest day nothing.</p>")
        self.figure = progress.figure("calendar")
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:  # pragma: no cover - IPython comes with ipywidgets
            return
        if get_ipython() is not None:  # only a kernel can show it
            self.output.clear_output(wait=True)
            with self.output:
                display(self.figure)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        ticked = sum(box.value for box in self.checkboxes.values())
        return f"<HabitTracker {self.day:%Y-%m-%d}: {ticked} of {len(self.checkboxes)} done>"


def habit_tracker(ws: Any, *, day: Any = None, rest_days: Any = ("sun",)) -> HabitTracker:
    """A small tracker: tick today's tiny actions; see your streak, strength and calendar.

    Shows the actions your saved plan (:func:`~thinksmall_kit.save_plan`) has
    for the day. Each tick is saved in your workspace at once.

    Parameters
    ----------
    ws : Workspace
        Your workspace, holding a saved plan.
    day : date, optional
        The day to show; default today.
    rest_days : weekdays and/or dates, default ("sun",)
        Days counted as skipped when nothing was checked in (use your plan's).

    Returns
    -------
    HabitTracker
        Displays as the widget; ``.checkboxes[uid].value = True`` ticks one from code.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import thinksmall_kit as tsk
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ws.sqlite"
    >>> ws = tsk.open_workspace(path)  # doctest: +ELLIPSIS
    Workspace: ...
    >>> net = tsk.load_persona("ceramics")
    >>> ws.save_network(net)
    >>> tsk.save_plan(ws, tsk.plan_habits(tsk.tribe(net)))
    >>> tracker = tsk.habit_tracker(ws, day="2025-12-01")
    >>> first = next(iter(tracker.checkboxes.values()))
    >>> first.value = True
    >>> tracker.progress.streak
    1
    >>> ws.close()

    Introduced in lesson 06 (lessons/06-small-habits.ipynb).
    """
    ws = _workspace(ws, "habit_tracker")
    when = pd.Timestamp.now().normalize() if day is None else _day(day, "habit_tracker(day)")
    if when > pd.Timestamp.now().normalize():
        raise DataError(f"habit_tracker: day {when:%Y-%m-%d} is in the future; check-ins "
                        "record what already happened")
    _rest(rest_days)  # a bad value is refused now, not at the first tick
    return HabitTracker(ws, when, rest_days)
