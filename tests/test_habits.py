"""Tests for thinksmall_kit.habits: recipes, the plan, the calendar, check-ins and the score."""

from __future__ import annotations

import math
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import thinksmall_kit as tsk
from thinksmall_kit.habits import TINY_ACTIONS, habit_score
from thinksmall_kit.network import DataError, Network
from thinksmall_kit.workspace import MIGRATIONS, Workspace, WorkspaceError

AS_OF = pd.Timestamp("2025-03-31T18:00:00Z")


def small_network(n_contacts: int = 12, seed: int = 0, days: int = 200) -> Network:
    """Contacts c00.. with a few interactions each, the last at different ages."""
    rng = np.random.default_rng(seed)
    ids = [f"c{i:02d}" for i in range(n_contacts)]
    rows = []
    for cid in ids:
        for _ in range(int(rng.integers(1, 6))):
            age = float(rng.uniform(0, days))
            rows.append({"timestamp": AS_OF - pd.Timedelta(days=age), "platform": "instagram",
                         "contact_id": cid, "direction": rng.choice(["in", "out"]),
                         "kind": rng.choice(["dm", "comment", "reply"])})
    rows.append({"timestamp": AS_OF, "platform": "instagram", "contact_id": None,
                 "direction": "out", "kind": "post"})
    return Network(
        platforms=pd.DataFrame({"platform": ["instagram"], "minutes_per_week": [60.0]}),
        contacts=pd.DataFrame({"contact_id": ids, "display_name": [f"Person {c}" for c in ids],
                               "role": rng.choice(["customer", "partner", "fan", "peer"],
                                                  n_contacts)}),
        interactions=pd.DataFrame(rows))


# --------------------------------------------------------------------------- recipes


def test_recipe_follows_the_tiny_habits_form():
    assert tsk.recipe("pour my first coffee", "ask", "Ana") == (
        "After I pour my first coffee, I will ask Ana one question about what they are "
        "working on.")
    assert tsk.recipe("After I lock the studio,", "text one customer") == (
        "After I lock the studio, I will text one customer.")
    assert tsk.recipe("sit down", "check_in", "Bo").endswith("how are things going?")


@pytest.mark.parametrize("anchor, action", [("", "thank"), (None, "thank"), ("sit", ""),
                                            ("sit", 3)])
def test_recipe_refuses_empty_parts(anchor, action):
    with pytest.raises(DataError):
        tsk.recipe(anchor, action)


def test_the_library_has_the_six_tiny_actions_under_two_minutes():
    assert set(TINY_ACTIONS) == {"reply", "thank", "introduce", "share", "ask", "check_in"}
    for action in TINY_ACTIONS.values():
        assert 0 < action.minutes <= 2, action
        assert "{name}" in action.does
        assert action.kind in tsk.KINDS
        assert set(action.roles) <= set(tsk.ROLES)
    assert "{other}" in TINY_ACTIONS["introduce"].does


# --------------------------------------------------------------------------- the score


def _by_hand(values, frequency=1.0, score=0.0):
    m = 0.5 ** (math.sqrt(frequency) / 13)
    out = []
    for v in values:
        if not (isinstance(v, float) and math.isnan(v)):
            score = score * m + v * (1 - m)
        out.append(score)
    return out


def test_a_perfect_daily_habit_reaches_about_80_percent_in_a_month():
    # REFERENCES.md (Loop Habit Tracker): ~80% after a month, 96% after two, 99% after three.
    s = habit_score([1.0] * 90)
    assert s[29] == pytest.approx(1 - 0.5 ** (30 / 13), abs=1e-12)
    assert round(s[29], 2) == 0.80
    assert round(s[59], 2) == 0.96
    assert round(s[89], 2) == 0.99


def test_score_matches_the_recurrence_computed_by_hand():
    nan = float("nan")
    values = [1, nan, 0, 1, 1, nan, nan, 0, 1]
    assert habit_score(values) == pytest.approx(_by_hand([float(v) for v in values]))
    # Worked example: m = 0.5 ** (1/13) = 0.948078
    m = 0.5 ** (1 / 13)
    assert habit_score([1, nan, 0, 1])[-1] == pytest.approx(
        (1 - m) * m * m + (1 - m), abs=1e-12)


def test_skipped_days_leave_the_score_unchanged():
    s = habit_score([1, 1, float("nan"), float("nan"), 1])
    assert s[1] == s[2] == s[3]
    assert s[4] > s[3]


def test_half_life_depends_on_frequency():
    # three times a week: f = 3/7, half-life 13 / sqrt(3/7) = 19.9 days
    f = 3 / 7
    half_life = 13 / math.sqrt(f)
    assert half_life == pytest.approx(19.86, abs=0.01)
    s = habit_score([0.0] * 20, frequency=f, start=1.0)
    assert s[0] == pytest.approx(0.5 ** (math.sqrt(f) / 13))
    assert s[19] == pytest.approx(0.5 ** (20 / half_life))
    assert habit_score([1, 0, 1], frequency=f) == pytest.approx(_by_hand([1, 0, 1], f))


def test_score_refuses_bad_values():
    with pytest.raises(DataError):
        habit_score([1, 2])
    with pytest.raises(DataError):
        habit_score([1], frequency=0)
    assert habit_score([float("nan")] * 3).tolist() == [0.0, 0.0, 0.0]


def test_score_takes_booleans_none_and_numbers_of_any_kind():
    nan = float("nan")
    expected = habit_score([1.0, 0.0, nan, 1.0])
    assert habit_score([True, False, None, 1]) == pytest.approx(expected, nan_ok=True)
    assert habit_score(np.array([True, False, True, True])) == pytest.approx(
        habit_score([1, 0, 1, 1]))
    assert habit_score(pd.Series([1, 0, pd.NA, 1], dtype="Int64")) == pytest.approx(expected)
    assert habit_score([1], start=np.float32(0.5))[0] == pytest.approx(_by_hand([1], 1, 0.5)[0])


@pytest.mark.parametrize("call, error, message", [
    (lambda: habit_score(["done", "not_done"]), TypeError,
     r"(?s)habit_score: values hold text \('done'\).*fix: turn check-in statuses into "
     r"numbers first, e\.g\. pd\.Series\(statuses\)\.map\(\{'done': 1, 'not_done': 0.*"
     r"tsk\.habit_progress"),
    (lambda: habit_score(None), TypeError, "habit_score: values must be a list.*got NoneType"),
    (lambda: habit_score(1), TypeError, "habit_score: values must be a list.*got int 1"),
    (lambda: habit_score("1101"), TypeError, "values must be a list.*got str '1101'"),
    (lambda: habit_score(np.ones((2, 3))), TypeError, r"flat list.*shape \(2, 3\)"),
    (lambda: habit_score([1, pd.Timestamp("2025-01-01")]), TypeError,
     "Timestamp.*is not a day's value"),
    (lambda: habit_score([1], start=5), DataError,
     r"(?s)habit_score: start must be a score between 0 and 1, got 5\b.*fix: "),
    (lambda: habit_score([1], start=-0.1), DataError, "start must be a score between 0 and 1"),
    (lambda: habit_score([1], start=float("nan")), DataError, "start must be a score"),
    (lambda: habit_score([1], start="0"), TypeError, "habit_score: start must be a number"),
    (lambda: habit_score([1], frequency="daily"), TypeError,
     "habit_score: frequency must be a number, repetitions a day.*got str 'daily'"),
    (lambda: habit_score([1], frequency=True), TypeError, "frequency must be a number"),
    (lambda: habit_score([1], frequency=-1), DataError, "frequency must be > 0"),
])
def test_score_names_what_is_wrong_with_its_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --------------------------------------------------------------------------- progress


def test_progress_counts_streaks_weeks_and_rest_days():
    # Mon 1 Dec .. Sun 14 Dec 2025; Sundays are rest days.
    log = pd.DataFrame({
        "day": ["2025-12-01", "2025-12-01", "2025-12-02", "2025-12-04", "2025-12-05",
                "2025-12-06", "2025-12-08", "2025-12-09", "2025-12-10"],
        "status": ["done", "done", "done", "done", "done", "done", "done", "skipped",
                   "done"],
    })
    p = tsk.habit_progress(log, rest_days=("sun",), until="2025-12-11")
    status = dict(zip(p.table["day"].dt.strftime("%d"), p.table["status"], strict=True))
    assert status["03"] == "not_done"  # no check-in: missed
    assert status["07"] == "skipped"  # a Sunday: rest
    assert status["09"] == "skipped"
    assert status["11"] == "not_done"  # until counts days without check-ins as missed
    # Streak: 4,5,6 done, 7 rest, 8 done, 9 skipped, 10 done -> 5; then 11 missed -> 0.
    assert p.table.set_index(p.table["day"].dt.day)["streak"].loc[10] == 5
    assert p.streak == 0 and p.best_streak == 5
    assert p.weekly["days_done"].tolist() == [5, 2]
    assert p.weekly["actions_done"].tolist() == [6, 2]
    assert p.weekly["days_missed"].tolist() == [1, 1]
    assert p.weekly["days_skipped"].tolist() == [1, 1]
    values = [1, 1, 0, 1, 1, 1, math.nan, 1, math.nan, 1, 0]
    assert p.table["score"].tolist() == pytest.approx(_by_hand(values))
    assert p.strength == pytest.approx(_by_hand(values)[-1])


def test_progress_errors():
    with pytest.raises(DataError, match="no check-ins"):
        tsk.habit_progress(pd.DataFrame({"day": [], "status": []}))
    with pytest.raises(DataError, match="status"):
        tsk.habit_progress(pd.DataFrame({"day": ["2025-01-01"], "status": ["yes"]}))
    with pytest.raises(TypeError):
        tsk.habit_progress([1, 2])


def test_progress_figures_have_titles_and_axes():
    log = pd.DataFrame({"day": pd.date_range("2025-12-01", periods=20).astype(str),
                        "status": ["done"] * 20})
    p = tsk.habit_progress(log)
    for kind in ("calendar", "score"):
        fig = p.figure(kind)
        assert fig.layout.title.text
        assert fig.layout.xaxis.title.text
    assert p.figure("calendar").data[0].z.shape == (7, 3)  # weeks of 1, 8 and 15 Dec


# --------------------------------------------------------------------------- the plan


def _eligible_urgency(tr, start):
    t = tr.table[tr.table["layer"].notna() & tr.table["ideal_days"].notna()]
    since = (start - t["last_contact"].dt.tz_convert(None).dt.normalize()).dt.days.clip(lower=1)
    return since / np.ceil(t["ideal_days"])


def _check_invariants(tr, plan, budget, max_per_day, rest_weekdays):
    t = plan.table
    cand = tr.table[(tr.table["layer"] <= 150).fillna(False) & tr.table["ideal_days"].notna()]
    # Budget and count per day.
    per_day = t.groupby("date")["minutes"].sum()
    assert (per_day <= budget + 1e-9).all()
    assert (t.groupby("date").size() <= max_per_day).all()
    # Rest days get nothing; every action is on a day of the plan.
    assert not t["date"].dt.day_of_week.isin(rest_weekdays).any()
    assert t["date"].between(plan.params["start"], plan.params["end"]).all()
    # Everyone named is in the tribe's layers; an introduction names two different people.
    assert set(t["contact_id"]) <= set(cand.index)
    intro = t[t["action"] == "introduce"]
    assert intro["other_id"].notna().all()
    assert (intro["other_id"] != intro["contact_id"]).all()
    # Nobody again within their cadence (as the person or the one introduced).
    people = pd.concat([t[["date", "contact_id"]],
                        intro[["date", "other_id"]].rename(columns={"other_id": "contact_id"})])
    people = people.sort_values(["contact_id", "date"])
    gaps = people.groupby("contact_id")["date"].diff().dt.days
    need = np.ceil(cand["ideal_days"]).reindex(people["contact_id"]).to_numpy()
    ok = gaps.isna().to_numpy() | (gaps.to_numpy() >= need)
    assert ok.all(), people[~ok]
    # One action per person per day at most.
    assert not people.duplicated().any()
    # Every action's minutes are the library's.
    assert (t["minutes"] == t["action"].map(lambda k: TINY_ACTIONS[k].minutes)).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 25), net_seed=st.integers(0, 50), seed=st.integers(0, 1000),
       budget=st.sampled_from([1.0, 2.5, 5.0, 8.0, 20.0]), weeks=st.integers(1, 5),
       max_per_day=st.integers(1, 5),
       rest=st.sets(st.integers(0, 6), max_size=3))
def test_plan_invariants(n, net_seed, seed, budget, weeks, max_per_day, rest):
    tr = tsk.tribe(small_network(n, net_seed))
    plan = tsk.plan_habits(tr, minutes_per_day=budget, weeks=weeks, rest_days=sorted(rest),
                           max_per_day=max_per_day, seed=seed)
    _check_invariants(tr, plan, budget, max_per_day, sorted(rest))
    # Deterministic for a seed.
    again = tsk.plan_habits(tr, minutes_per_day=budget, weeks=weeks, rest_days=sorted(rest),
                            max_per_day=max_per_day, seed=seed)
    pd.testing.assert_frame_equal(plan.table, again.table)
    # Favouring the most neglected: on the first habit day, nobody left out was more overdue
    # than anyone picked (when the budget fits every action of the day).
    if budget >= 2 * max_per_day and len(plan.table):
        first_day = plan.days.loc[~plan.days["rest"], "date"].iloc[0]
        urgency = _eligible_urgency(tr, first_day)
        day = plan.table[plan.table["date"] == first_day]
        picked = set(day["contact_id"]) | set(day["other_id"].dropna())
        left_out = urgency.drop(list(picked))
        if picked and len(left_out):
            assert urgency[list(picked)].min() >= left_out.max() - 1e-9
    # Coverage: days with room for an action are not left empty while someone is eligible,
    # and with a small tribe every member is reached before the plan ends if time allows.
    habit_days = int((~plan.days["rest"]).sum())
    if habit_days * max_per_day >= len(tr.table) * 2 and budget >= 2 * max_per_day:
        assert set(plan.table["contact_id"]) | set(plan.table["other_id"].dropna()) == set(
            tr.table.index[tr.table["layer"].notna()])


def test_persona_plan_starts_with_the_losing_touch_list():
    net = tsk.load_persona("ceramics")
    tr = tsk.tribe(net)
    plan = tsk.plan_habits(tr, seed=3)
    _check_invariants(tr, plan, 5.0, 3, [6])
    late = tr.losing_touch(10)
    late = late[late["layer"] <= 150]
    first_week = plan.table[plan.table["date"] < plan.params["start"] + pd.Timedelta(days=7)]
    assert set(late.index) <= set(first_week["contact_id"])
    assert (first_week.loc[first_week["contact_id"].isin(late.index), "action"]
            == "check_in").all()
    # Spread: many different people, and inner layers more often than outer ones.
    assert plan.table["contact_id"].nunique() >= 30
    assert plan.params["start"] == pd.Timestamp("2025-12-01")
    assert plan.table["recipe"].str.startswith("After I pour my first coffee, I will ").all()


def test_seed_changes_choices_but_not_the_rules():
    tr = tsk.tribe(tsk.load_persona("organiser"))
    a = tsk.plan_habits(tr, seed=1)
    b = tsk.plan_habits(tr, seed=2)
    assert not a.table["action"].equals(b.table["action"])
    _check_invariants(tr, b, 5.0, 3, [6])


def test_plan_options_rest_dates_actions_and_start():
    tr = tsk.tribe(small_network(20, 3))
    plan = tsk.plan_habits(tr, start="2025-04-07", rest_days=["saturday", "sun", "2025-04-09"],
                           actions=["thank", "ask"], weeks=2, minutes_per_day=3,
                           anchor="After I open the shop")
    assert plan.params["start"] == pd.Timestamp("2025-04-07")
    assert not (plan.table["date"] == pd.Timestamp("2025-04-09")).any()
    assert set(plan.table["action"]) <= {"thank", "ask"}
    assert plan.days["rest"].sum() == 5  # two weekends and one date
    assert plan.table["recipe"].str.startswith("After I open the shop, I will ").all()
    assert len(plan.on("2025-04-08")) >= 1


@pytest.mark.parametrize("kwargs, error", [
    ({"minutes_per_day": 0.5}, DataError),
    ({"minutes_per_day": "five"}, TypeError),
    ({"weeks": 0}, DataError),
    ({"weeks": 2.5}, TypeError),
    ({"rest_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}, DataError),
    ({"rest_days": [9]}, DataError),
    ({"max_layer": 100}, DataError),
    ({"skip_roles": ["boss"]}, DataError),
    ({"actions": ["dance"]}, DataError),
    ({"anchor": ""}, DataError),
    ({"start": "not a date"}, DataError),
    ({"start": 20251201}, TypeError),  # not 1970-01-01 (nanoseconds after 1970)
    ({"start": np.int64(20251201)}, TypeError),
    ({"rest_days": 1.5}, TypeError),
    ({"rest_days": ["sat", 6.0]}, TypeError),
    ({"rest_days": "sat, funday"}, DataError),
    ({"rest_days": {"sat": 1}}, TypeError),
])
def test_plan_refuses_bad_settings(kwargs, error):
    with pytest.raises(error):
        tsk.plan_habits(tsk.tribe(small_network()), **kwargs)


@pytest.mark.parametrize("rest", [
    "sat,sun", "sat, sun", "Saturday and Sunday", "SATURDAY SUNDAY", "Sat. & Sun.",
    ["Sat", "sunday"], ("saturday and sunday",), "saturdays, sundays", [5, "sun"],
])
def test_rest_days_as_text_name_every_day_in_it(rest):
    tr = tsk.tribe(small_network(20, 3))
    plan = tsk.plan_habits(tr, start="2025-04-07", weeks=2, rest_days=rest)  # a Monday
    assert plan.params["rest_days"] == ["sat", "sun"]
    rest_days = plan.days.loc[plan.days["rest"], "date"]
    assert rest_days.dt.strftime("%a").tolist() == ["Sat", "Sun", "Sat", "Sun"]
    log = pd.DataFrame({"day": ["2025-04-11", "2025-04-14"], "status": ["done", "done"]})
    progress = tsk.habit_progress(log, rest_days=rest)
    assert progress.table["status"].tolist() == ["done", "skipped", "skipped", "done"]


def test_the_tracker_reads_rest_days_as_text(ws):
    tsk.check_in(ws, "done", day="2025-04-11")  # a Friday
    tracker = tsk.habit_tracker(ws, day="2025-04-14", rest_days="Saturday and Sunday")
    assert tracker.progress.table["status"].tolist() == ["done", "skipped", "skipped",
                                                         "not_done"]


def test_rest_days_errors_list_what_is_accepted():
    log = pd.DataFrame({"day": ["2025-04-11"], "status": ["done"]})
    with pytest.raises(TypeError, match=r"rest_days: 1\.5 is not a day; expected weekday "
                                        r"names as text \('sun', 'Saturday', 'sat, sun'"):
        tsk.habit_progress(log, rest_days=1.5)
    with pytest.raises(DataError, match=r"'someday' is neither a weekday nor a date; "
                                        r"expected weekday names"):
        tsk.habit_progress(log, rest_days="someday")
    # a single date and a date as text are still dates
    assert tsk.habit_progress(log, rest_days="2025-04-11").table["status"].tolist() == ["done"]
    plan = tsk.plan_habits(tsk.tribe(small_network(20, 3)), start="2025-04-07", weeks=1,
                           rest_days=pd.Timestamp("2025-04-09"))
    assert plan.params["rest_days"] == ["2025-04-09"]


def test_times_with_a_zone_count_on_their_utc_day_as_text_too():
    tr = tsk.tribe(small_network(20, 3))
    for text in ("2025-12-01T00:00+02:00", "2025-11-30T23:30-05:00"):
        # midnight in Berlin is 22:00 UTC the day before; 23:30 in New York 04:30 UTC the next
        plan = tsk.plan_habits(tr, start=text, weeks=1)
        assert plan.params["start"] == pd.Timestamp(text).tz_convert(None).normalize()
        assert plan.params["start"] == tsk.plan_habits(tr, start=pd.Timestamp(text),
                                                       weeks=1).params["start"]
    log = pd.DataFrame({"day": ["2025-12-01"], "status": ["done"]})
    p = tsk.habit_progress(log, until="2025-12-03T01:00+02:00")  # 2 Dec, 23:00 UTC
    assert p.table["day"].dt.strftime("%d").tolist() == ["01", "02"]


def test_progress_refuses_numbers_as_days():
    with pytest.raises(DataError, match=r"day column holds numbers, not dates \(e\.g\. "
                                        r"20251201\)"):
        tsk.habit_progress(pd.DataFrame({"day": [20251201], "status": ["done"]}))
    log = pd.DataFrame({"day": ["2025-12-01"], "status": ["done"]})
    with pytest.raises(TypeError, match="20251202 is a number, not a date"):
        tsk.habit_progress(log, until=20251202)


def test_plan_needs_people():
    with pytest.raises(DataError, match="nobody"):
        tsk.plan_habits(tsk.tribe(Network()))
    lonely = Network(contacts=pd.DataFrame({"contact_id": ["ana"]}))
    with pytest.raises(DataError, match="nobody"):
        tsk.plan_habits(tsk.tribe(lonely))
    with pytest.raises(TypeError, match="tribe"):
        tsk.plan_habits(pd.DataFrame())


def test_plan_accepts_a_network_and_draws_itself():
    plan = tsk.plan_habits(small_network(), weeks=1)
    for kind in ("days", "people"):
        fig = plan.figure(kind)
        assert fig.layout.title.text and fig.layout.xaxis.title.text
    assert "tiny actions" in repr(plan)
    with pytest.raises(ValueError):
        plan.figure("pie")


# --------------------------------------------------------------------------- the calendar


def _events(path: Path):
    from icalendar import Calendar

    cal = Calendar.from_ical(path.read_bytes())
    return [c for c in cal.walk() if c.name == "VEVENT"]


def test_ics_round_trip(tmp_path):
    tr = tsk.tribe(tsk.load_persona("ceramics"))
    plan = tsk.plan_habits(tr, seed=5)
    path = plan.to_ics(tmp_path / "cal" / "habits.ics", at="08:30", reminder_minutes=10,
                       stamp="2025-11-30T12:00:00Z")
    events = _events(path)
    t = plan.table
    assert len(events) == len(t)
    assert [str(e["uid"]) for e in events] == t["uid"].tolist()
    assert len(set(t["uid"])) == len(t)
    for event, row in zip(events, t.itertuples(), strict=True):
        assert row.display_name in str(event["summary"])
        assert row.recipe in str(event["description"])
        start = event.decoded("dtstart")
        assert start.date() == row.date.date()
        assert start.tzinfo is None  # floating local time
        assert event.decoded("duration") == pd.Timedelta(minutes=row.minutes).to_pytimedelta()
        assert event.decoded("dtstamp").year == 2025
        alarms = [c for c in event.walk() if c.name == "VALARM"]
        assert len(alarms) == 1
        assert alarms[0].decoded("trigger") == pd.Timedelta(minutes=-10).to_pytimedelta()
    # The first action of a day starts at 08:30, the next after it.
    first_day = t["date"].iloc[0]
    starts = [e.decoded("dtstart") for e, d in zip(events, t["date"], strict=True)
              if d == first_day]
    assert starts[0].strftime("%H:%M") == "08:30"
    assert starts == sorted(starts)


def test_ics_reexport_keeps_uids_and_reminders_are_optional(tmp_path):
    tr = tsk.tribe(small_network(15, 2))
    plan = tsk.plan_habits(tr, weeks=2)
    a = _events(plan.to_ics(tmp_path / "a.ics", stamp="2025-04-01T00:00:00Z"))
    b = _events(plan.to_ics(tmp_path / "b.ics", reminder_minutes=None))
    assert [e["uid"] for e in a] == [e["uid"] for e in b]
    assert a[0].decoded("dtstamp") != b[0].decoded("dtstamp")
    assert not [c for e in b for c in e.walk() if c.name == "VALARM"]
    # A UID depends on the day, the person and the action only.
    row = plan.table.iloc[0]
    other = tsk.plan_habits(tr, weeks=2, seed=99).table
    same = other[(other["date"] == row["date"]) & (other["contact_id"] == row["contact_id"])
                 & (other["action"] == row["action"]) & other["other_id"].isna()]
    if len(same) and pd.isna(row["other_id"]):
        assert same["uid"].iloc[0] == row["uid"]
    with pytest.raises(DataError):
        plan.to_ics(tmp_path / "c.ics", at="9 o'clock")
    # The kit's own calendar is replaced; anything else is never written over.
    assert plan.to_ics(tmp_path / "a.ics") == tmp_path / "a.ics"
    theirs = b"BEGIN:VCALENDAR\r\nPRODID:-//Other//EN\r\nEND:VCALENDAR\r\n"
    (tmp_path / "work.ics").write_bytes(theirs)
    for path, message in ((tmp_path / "work.ics", "not a habit calendar"),
                          (tmp_path / "plan.html", r"should end in \.ics")):
        with pytest.raises(DataError, match=message):
            plan.to_ics(path)
    assert (tmp_path / "work.ics").read_bytes() == theirs
    assert not (tmp_path / "plan.html").exists()


# --------------------------------------------------------------------------- check-ins


@pytest.fixture
def ws(tmp_path):
    with Workspace(tmp_path / "ws.sqlite") as w:
        yield w


def test_migration_adds_the_habit_tables(ws):
    assert ws.schema_version == MIGRATIONS[-1].version
    con = sqlite3.connect(ws.path)
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    con.close()
    assert {"habit_checkins", "habit_plan_actions", "habit_plan_info"} <= names


def test_a_done_check_in_resets_the_tribe_cadence(ws):
    net = small_network(10, 1)
    ws.save_network(net)
    before = tsk.tribe(net)
    cid = before.table.index[before.table["days_since"].argmax()]
    assert before.table.loc[cid, "last_contact"] < pd.Timestamp("2025-04-01", tz="UTC")
    checkin_id = tsk.check_in(ws, "done", contact_id=cid, action="thank",
                              note="thanked for the referral", day="2025-04-02")
    after_net = ws.load_network()
    assert len(after_net.interactions) == len(net.interactions) + 1
    new = after_net.interactions[after_net.interactions["timestamp"]
                                 == pd.Timestamp("2025-04-02T12:00:00Z")]
    assert new[["contact_id", "direction", "kind", "platform"]].values.tolist() == [
        [cid, "out", "dm", "instagram"]]
    after = tsk.tribe(after_net)
    assert after.table.loc[cid, "last_contact"] == pd.Timestamp("2025-04-02T12:00:00Z")
    assert after.table.loc[cid, "status"] == "green"
    log = tsk.checkins(ws)
    assert log["checkin_id"].tolist() == [checkin_id]
    assert log["note"].iloc[0] == "thanked for the referral"
    assert log["interaction_at"].iloc[0] == pd.Timestamp("2025-04-02T12:00:00Z")
    # The saved network is still a valid Network (validation re-run from scratch).
    Network(*after_net.tables().values())


def test_a_back_dated_check_in_keeps_interactions_oldest_first(ws):
    net = small_network(10, 1)
    ws.save_network(net)
    tsk.check_in(ws, "done", contact_id="c03", action="share", day="2025-01-15",
                 platform="offline")
    back = ws.load_network()
    assert back.interactions["timestamp"].is_monotonic_increasing
    row = back.interactions[back.interactions["timestamp"]
                            == pd.Timestamp("2025-01-15T12:00:00Z")]
    assert row[["platform", "kind"]].values.tolist() == [["offline", "email"]]
    assert len(back.interactions) == len(net.interactions) + 1


def test_other_check_ins_record_no_interaction(ws):
    net = small_network(5)
    ws.save_network(net)
    tsk.check_in(ws, "skipped", day="2025-04-01")
    tsk.check_in(ws, "not_done", contact_id="c01", day="2025-04-02")
    tsk.check_in(ws, "done", contact_id="c02", day="2025-04-03", record_interaction=False)
    assert len(ws.load_network().interactions) == len(net.interactions)
    assert tsk.checkins(ws)["status"].tolist() == ["skipped", "not_done", "done"]


def test_check_in_errors(ws):
    ws.save_network(small_network(5))
    with pytest.raises(DataError, match="status"):
        tsk.check_in(ws, "yes")
    with pytest.raises(DataError, match="not a contact"):
        tsk.check_in(ws, "done", contact_id="c99")
    with pytest.raises(DataError, match="future"):
        tsk.check_in(ws, "done", day=pd.Timestamp.now() + pd.Timedelta(days=3))
    with pytest.raises(DataError, match="platform"):
        tsk.check_in(ws, "done", contact_id="c01", platform="myspace", day="2025-04-01")
    with pytest.raises(TypeError):
        tsk.check_in("workspace.sqlite", "done")
    assert tsk.checkins(ws).empty


def test_check_in_refuses_numbers_as_days_saving_nothing(ws):
    net = small_network(5)
    ws.save_network(net)
    for number in (20251201, np.int64(20251201), 2025.0):
        # pandas would read the number as nanoseconds after 1970: a 1970 interaction
        with pytest.raises(TypeError, match=r"check_in\(day\): .* is a number, not a date; "
                                            r"write it as text such as '2025-12-01'"):
            tsk.check_in(ws, "done", contact_id="c01", day=number)
    # 03/04/2025 is 3 April or 4 March depending on where you live: refused, not guessed.
    for text in ("03/04/2025", "3.4.2025"):
        with pytest.raises(DataError, match="day first or month first"):
            tsk.check_in(ws, "done", contact_id="c01", day=text)
    assert tsk.checkins(ws).empty
    assert ws.load_network() == net


def test_check_in_record_interaction_must_be_a_bool_saving_nothing(ws):
    net = small_network(5)
    ws.save_network(net)
    with pytest.raises(TypeError, match="record_interaction must be True or False, got str"):
        tsk.check_in(ws, "done", contact_id="c01", day="2025-04-01", record_interaction="no")
    assert tsk.checkins(ws).empty
    assert ws.load_network() == net


def test_check_in_day_with_a_zone_as_text(ws):
    ws.save_network(small_network(5))
    # 23:00 at UTC-5 is 04:00 UTC the next day: the day a Timestamp with that zone gives
    text = "2025-04-01T23:00-05:00"
    tsk.check_in(ws, "done", contact_id="c01", day=text)
    tsk.check_in(ws, "done", contact_id="c02", day=pd.Timestamp(text))
    assert tsk.checkins(ws)["day"].dt.strftime("%Y-%m-%d").tolist() == ["2025-04-02"] * 2


def test_check_in_without_a_network_keeps_the_check_in_only(ws):
    tsk.check_in(ws, "done", contact_id="anyone", day="2025-04-01")
    assert tsk.checkins(ws)["contact_id"].tolist() == ["anyone"]
    assert not ws.has_network()


def test_save_and_load_plan(ws):
    plan = tsk.plan_habits(small_network(12), weeks=1)
    tsk.save_plan(ws, plan)
    tsk.save_plan(ws, plan)  # replaces, no duplicates
    back = tsk.load_plan(ws)
    assert back["uid"].tolist() == plan.table["uid"].tolist()
    assert back["day"].tolist() == plan.table["date"].tolist()
    with pytest.raises(TypeError):
        tsk.save_plan(ws, plan.table)


_KILL_CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    import thinksmall_kit as tsk
    from test_habits import small_network
    from thinksmall_kit.workspace import Workspace
    ws = Workspace({path!r})
    ws.save_network(small_network(30, 4))
    print("saved", flush=True)
    i = 0
    while True:
        day = "2025-{{:02d}}-{{:02d}}".format(1 + (i // 28) % 12, 1 + i % 28)
        tsk.check_in(ws, "done", contact_id="c{{:02d}}".format(i % 30), action="thank",
                     note="n" + str(i), day=day)
        i += 1
        print("committed", i, flush=True)
""")


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.05, 0.3, 0.9])
def test_check_ins_survive_a_killed_process(tmp_path, delay):
    """SIGKILL mid-write: the file is intact; every check-in has exactly its interaction."""
    path = tmp_path / "ws.sqlite"
    code = _KILL_CHILD.format(tests=str(ROOT / "tests"), path=str(path))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    watchdog = threading.Timer(120, child.kill)
    watchdog.start()
    try:
        assert child.stdout.readline() == "saved\n", child.stderr.read()
        assert child.stdout.readline() == "committed 1\n"  # writing has begun
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate()
    finally:
        watchdog.cancel()
    assert child.returncode == -signal.SIGKILL, (child.returncode, err[-2000:])
    committed = 1 + out.count("committed")
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    with Workspace(path) as ws:
        log = tsk.checkins(ws)
        net = ws.load_network()
    # Everything reported committed is there (at most one more landed before the kill).
    seen = f"child said {out[-200:]!r}; stderr {err[-500:]!r}"
    assert committed <= len(log) <= committed + 1, (len(log), seen)
    assert sorted(log["note"]) == sorted(f"n{i}" for i in range(len(log))), seen
    # Check-in and interaction are one transaction: never one without the other.
    base = small_network(30, 4)
    assert len(net.interactions) - len(base.interactions) == len(log), seen
    assert net.interactions["timestamp"].is_monotonic_increasing, seen


# --------------------------------------------------------------------------- the tracker


def test_tracker_ticks_record_check_ins(ws):
    net = small_network(15, 6)
    ws.save_network(net)
    plan = tsk.plan_habits(net, weeks=1, start="2025-04-01")
    tsk.save_plan(ws, plan)
    tracker = tsk.habit_tracker(ws, day="2025-04-01")
    planned = plan.on("2025-04-01")
    assert list(tracker.checkboxes) == planned["uid"].tolist()
    assert "No check-ins yet" in tracker.summary.value
    uid = planned["uid"].iloc[0]
    tracker.checkboxes[uid].value = True
    log = tsk.checkins(ws)
    assert log[["status", "plan_uid", "contact_id"]].values.tolist() == [
        ["done", uid, planned["contact_id"].iloc[0]]]
    assert "Streak <b>1</b>" in tracker.summary.value
    assert tracker.figure is not None and tracker.figure.layout.title.text
    # A new tracker for the same day shows the tick; rest marks a skip.
    again = tsk.habit_tracker(ws, day="2025-04-01")
    assert again.checkboxes[uid].value
    # Unticking (a box ticked by mistake) takes back the check-in and its interaction.
    other = planned["uid"].iloc[1]
    before = ws.load_network()
    again.checkboxes[other].value = True
    assert len(ws.load_network().interactions) == len(before.interactions) + 1
    again.checkboxes[other].value = False
    assert tsk.checkins(ws)["plan_uid"].tolist() == [uid]
    assert ws.load_network() == before
    assert "Streak <b>1</b>" in again.summary.value
    later = tsk.habit_tracker(ws, day="2025-04-02")
    later.rest.click()
    assert tsk.checkins(ws)["status"].tolist() == ["done", "skipped"]
    assert later.progress.streak == 1  # a rest day neither breaks nor adds
    assert "HabitTracker" in repr(later)


def test_undo_check_in_takes_back_exactly_what_check_in_added(ws):
    """The check-in and its one interaction go; the clock is back; a bad id is refused."""
    net = small_network(12, 5)
    ws.save_network(net)
    who = net.contacts["contact_id"].iloc[0]
    first = tsk.check_in(ws, "done", contact_id=who, action="thank", day="2025-03-01")
    second = tsk.check_in(ws, "done", contact_id=who, action="thank", day="2025-03-01")
    note = tsk.check_in(ws, "not_done", day="2025-03-02", note="busy week")
    after_two = ws.load_network()
    assert len(after_two.interactions) == len(net.interactions) + 2
    tsk.undo_check_in(ws, second)
    assert tsk.checkins(ws)["checkin_id"].tolist() == [first, note]
    assert len(ws.load_network().interactions) == len(net.interactions) + 1
    tsk.undo_check_in(ws, first)
    tsk.undo_check_in(ws, note)  # a check-in without an interaction
    assert ws.load_network() == net and tsk.checkins(ws).empty
    with pytest.raises(DataError, match="no check-in 99"):
        tsk.undo_check_in(ws, 99)
    with pytest.raises(TypeError, match="whole number"):
        tsk.undo_check_in(ws, "1")
    assert ws.load_network() == net  # nothing lost by the refused calls


def test_undo_check_in_refuses_ids_sqlite_cannot_hold_changing_nothing(ws):
    ws.save_network(small_network(5))
    kept = tsk.check_in(ws, "done", contact_id="c01", day="2025-04-01")
    before = (ws.load_network(), tsk.checkins(ws))
    for huge in (2**63, 2**70, -(2**63) - 1, np.uint64(2**64 - 1)):
        with pytest.raises(DataError, match=rf"(?s)undo_check_in: there is no check-in {huge} "
                                            rf"in this workspace.*e\.g\. {kept}"):
            tsk.undo_check_in(ws, huge)
    assert ws.load_network() == before[0]
    pd.testing.assert_frame_equal(tsk.checkins(ws), before[1])


def test_tracker_without_a_plan_and_bad_days(ws):
    tracker = tsk.habit_tracker(ws, day="2025-04-01")
    assert tracker.checkboxes == {}
    with pytest.raises(DataError):
        tsk.habit_tracker(ws, day=pd.Timestamp.now() + pd.Timedelta(days=2))
    with pytest.raises(TypeError):
        tsk.habit_tracker(None)


def _hand_edited_workspace(path: Path, statement: str) -> None:
    """A workspace with a network, a plan and a check-in, then one SQLite UPDATE by hand."""
    net = small_network(12)
    with Workspace(path) as w:
        w.save_network(net)
        tsk.save_plan(w, tsk.plan_habits(net, weeks=1))
        tsk.check_in(w, "done", contact_id="c01", action="thank", day="2025-04-01")
    con = sqlite3.connect(path)
    con.execute("PRAGMA ignore_check_constraints = ON")  # as a careless edit could
    con.execute(statement)
    con.commit()
    con.close()


@pytest.mark.parametrize("statement, read, message", [
    ("UPDATE habit_checkins SET day = 'tomorrow'", "checkins",
     r"habit_checkins\.day is 'tomorrow' in the check-in with checkin_id 1\.\n"
     r"  expected: a calendar day as text, year first, such as 2025-12-01\n"
     r"  fix: the file was left as it was; correct the value with SQLite, e\.g\. "
     r"UPDATE habit_checkins SET \"day\" = '2025-12-01' WHERE checkin_id = 1; "
     r"or take the check-in back with tsk\.undo_check_in\(ws, 1\)"),
    ("UPDATE habit_checkins SET day = '2025-02-30'", "habit_progress",
     r"habit_checkins\.day is '2025-02-30' in the check-in with checkin_id 1"),
    ("UPDATE habit_checkins SET status = 'Done'", "checkins",
     r"(?s)habit_checkins\.status is 'Done' in the check-in with checkin_id 1.*"
     r"did you mean 'done'\?.*SET \"status\" = 'done' WHERE checkin_id = 1"),
    ("UPDATE habit_checkins SET created_at = 'soon'", "checkins",
     r"habit_checkins\.created_at is 'soon' in the check-in with checkin_id 1"),
    ("UPDATE habit_checkins SET interaction_at = 'at noon'", "checkins",
     r"(?s)habit_checkins\.interaction_at is 'at noon' in the check-in with checkin_id 1"
     r".*WHERE checkin_id = 1$"),
    ("UPDATE habit_plan_actions SET day = 'today' WHERE position = 0", "load_plan",
     r"(?s)habit_plan_actions\.day is 'today' in the planned action with uid '\w+@"
     r"thinksmall-kit'.*WHERE uid = '\w+@thinksmall-kit'; or save a new plan"),
    ("UPDATE habit_plan_actions SET minutes = 'two' WHERE position = 1", "load_plan",
     r"habit_plan_actions\.minutes is 'two' in the planned action with uid"),
])
def test_a_hand_edited_habit_value_is_named_with_its_table_column_and_row(
        tmp_path, statement, read, message):
    """Not a pandas error, and never a value silently read as today or NaN."""
    path = tmp_path / "ws.sqlite"
    _hand_edited_workspace(path, statement)
    before = path.read_bytes()
    call = {"checkins": tsk.checkins, "load_plan": tsk.load_plan,
            "habit_progress": tsk.habit_progress}[read]
    with Workspace(path) as w:
        with pytest.raises(WorkspaceError, match=message) as err:
            call(w)
        assert str(err.value).startswith(f"{path} holds a value the kit cannot read: ")
    assert path.read_bytes() == before  # the file was left as it was
