"""Tests for thinksmall_kit.review: the four-week comparison, computed, never written in advance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import thinksmall_kit as tsk
from thinksmall_kit.habits import HabitPlan
from thinksmall_kit.network import DataError, Network

SPLIT = "2025-03-01"


def _net(minutes: dict[str, float], rows: list[tuple]) -> Network:
    return Network(
        platforms=pd.DataFrame({"platform": list(minutes),
                                "minutes_per_week": list(minutes.values())}),
        contacts=pd.DataFrame({"contact_id": ["ana", "bo"], "role": ["customer", "partner"]}),
        interactions=pd.DataFrame(rows, columns=["timestamp", "platform", "contact_id",
                                                 "direction", "kind", "thread_id"]))


BEFORE_ROWS = [
    ("2025-02-23T10:00Z", "a", None, "out", "post", "p1"),
    ("2025-02-24T10:00Z", "a", "ana", "in", "comment", "p1"),
    ("2025-02-24T11:00Z", "a", "ana", "out", "reply", "p1"),
    ("2025-02-25T10:00Z", "b", "bo", "out", "dm", "d1"),
]
AFTER_ROWS = [
    *BEFORE_ROWS,
    ("2025-03-02T09:00Z", "a", "ana", "out", "dm", "d2"),
    ("2025-03-02T10:00Z", "a", "ana", "in", "dm", "d2"),
    ("2025-03-02T11:00Z", "a", "ana", "out", "dm", "d2"),
    ("2025-03-03T09:00Z", "a", "bo", "out", "dm", "d3"),
    ("2025-03-03T10:00Z", "a", "bo", "in", "dm", "d3"),
]


@pytest.fixture
def pair():
    return _net({"a": 60, "b": 30}, BEFORE_ROWS), _net({"a": 30, "b": 0}, AFTER_ROWS)


def test_default_split_is_the_day_after_the_data(pair):
    before, after = pair
    assert tsk.review(before, after, weeks=1).after[0] == pd.Timestamp("2025-02-26", tz="UTC")


def test_measures_by_hand(pair):
    before, after = pair
    r = tsk.review(before, after, weeks=1, split=SPLIT)
    t = r.table
    assert r.before == (pd.Timestamp("2025-02-22", tz="UTC"), pd.Timestamp(SPLIT, tz="UTC"))
    assert r.after == (pd.Timestamp(SPLIT, tz="UTC"), pd.Timestamp("2025-03-08", tz="UTC"))
    expect = {
        "platforms with time in your week": (2, 1, "better"),
        "minutes a week on social media": (90, 30, "better"),
        "platforms you were active on": (2, 1, "changed"),
        "messages you sent per week": (3, 3, "no real change"),
        "broadcast share": (1 / 3, 0, "better"),
        # ana's comment was answered; after, ana's DM was, bo's was not
        "reply ratio": (1, 0.5, "worse"),
        "people you interacted with": (2, 2, "no real change"),
        # ana 1 in / 1 out, bo 0 / 1 -> (1 + 0) / (1 + 1); after ana 1 / 2, bo 1 / 1 -> 2 / 3
        "reciprocity (weighted)": (0.5, 2 / 3, "better"),
        "inner ties overdue (layers up to 50)": (0, 0, "no real change"),
    }
    for name, (b, a, verdict) in expect.items():
        assert t.loc[name, "before"] == pytest.approx(b), name
        assert t.loc[name, "after"] == pytest.approx(a), name
        assert t.loc[name, "verdict"] == verdict, name
    assert (t["change"] == t["after"] - t["before"]).all() or t["change"].isna().any()
    assert r.platforms.loc["b", ["minutes_before", "minutes_after", "sent_before",
                                 "sent_after"]].tolist() == [30, 0, 1, 0]


def test_tolerance_decides_what_counts_as_real(pair):
    before, after = pair
    loose = tsk.review(before, after, weeks=1, tolerance=0.5, split=SPLIT)
    # 0.5 -> 0.667 is a change of 0.167, under half of 0.667
    assert loose.table.loc["reciprocity (weighted)", "verdict"] == "no real change"
    assert loose.table.loc["minutes a week on social media", "verdict"] == "better"
    # Redrawing the verdicts of a finished review gives what a fresh review gives.
    strict = tsk.review(before, after, weeks=1, tolerance=0.1, split=SPLIT)
    pd.testing.assert_frame_equal(strict.with_tolerance(0.5).table, loose.table)
    assert strict.table.loc["reciprocity (weighted)", "verdict"] == "better"  # unchanged
    with pytest.raises(DataError, match="between 0 and 1"):
        strict.with_tolerance(1.5)


def test_summary_says_what_the_table_says(pair):
    r = tsk.review(*pair, weeks=1, split=SPLIT)
    text = r.summary()
    for verdict, heading in (("better", "Better:"), ("no real change", "No real change:"),
                             ("worse", "Worse:")):
        line = next(s for s in text.splitlines() if s.startswith(heading))
        for name in r.verdicts(verdict):
            assert name in line
    assert "Worse: reply ratio (1 → 0.50)" in text
    assert str(r) == text
    assert "better" in repr(r)


def test_worse_is_reported_too(pair):
    before, _ = pair
    # Swap the roles: spending more time and broadcasting more is worse.
    more = _net({"a": 60, "b": 120}, [
        *AFTER_ROWS, ("2025-03-04T10:00Z", "b", None, "out", "post", "p2"),
        ("2025-03-05T10:00Z", "b", None, "out", "post", "p3")])
    r = tsk.review(before, more, weeks=1, split=SPLIT)
    assert "minutes a week on social media" in r.verdicts("worse")
    assert "Worse: " in r.summary()


def test_habit_rows_are_after_only(pair):
    before, after = pair
    plan_table = pd.DataFrame({
        "date": pd.to_datetime(["2025-03-02", "2025-03-02", "2025-03-05"]),
        "contact_id": ["ana", "bo", "ana"],
    })
    plan = HabitPlan(table=plan_table, days=pd.DataFrame(), params={})
    followed = tsk.plan_followed(plan, after)
    # ana was written to on 2 Mar; bo on 3 Mar (one day late, within 2); nobody after 5 Mar.
    assert followed["followed"].tolist() == [True, True, False]
    assert followed["reached_at"].iloc[1] == pd.Timestamp("2025-03-03T09:00")
    assert tsk.plan_followed(plan, after, slack_days=0)["followed"].tolist() == [
        True, False, False]
    log = pd.DataFrame({"day": ["2025-03-02", "2025-03-03", "2025-03-05"],
                        "status": ["done", "skipped", "done"]})
    progress = tsk.habit_progress(log)  # 2, 3 skipped, 4 missed, 5 done
    r = tsk.review(before, after, weeks=1, plan=plan, progress=progress, split=SPLIT)
    assert r.table.loc["planned actions followed", "after"] == pytest.approx(2 / 3)
    assert r.table.loc["habit days done", "after"] == pytest.approx(2 / 3)
    assert set(r.verdicts("after only")) == {"planned actions followed", "habit days done"}
    assert "Measured only after" in r.summary()


def test_a_plan_nobody_was_written_to_for_is_all_not_followed(pair):
    before, after = pair
    plan = HabitPlan(table=pd.DataFrame({"date": pd.to_datetime(["2025-03-10", "2025-03-11"]),
                                         "contact_id": ["ana", "bo"]}),
                     days=pd.DataFrame(), params={})
    followed = tsk.plan_followed(plan, before)  # pandas failed mapping through no matches
    assert followed["followed"].tolist() == [False, False]
    assert followed["reached_at"].isna().all()
    assert str(followed["reached_at"].dtype) == "datetime64[ns]"
    r = tsk.review(before, after, weeks=1, plan=plan, split=SPLIT)
    assert r.table.loc["planned actions followed", "after"] == 0


@pytest.mark.parametrize("slack, error, message", [
    (-1, DataError, r"plan_followed\(slack_days\): got -1; expected a whole number between "
                    r"0 and 365"),
    (10**20, DataError, "between 0 and 365"),
    (1.5, TypeError, r"plan_followed\(slack_days\): expected a whole number, got float 1.5"),
    ("2", TypeError, "expected a whole number, got str '2'"),
])
def test_plan_followed_checks_slack_days(pair, slack, error, message):
    plan = HabitPlan(table=pd.DataFrame({"date": pd.to_datetime(["2025-03-02"]),
                                         "contact_id": ["ana"]}), days=pd.DataFrame(), params={})
    with pytest.raises(error, match=message):
        tsk.plan_followed(plan, pair[1], slack_days=slack)


def test_verdicts_accept_any_case_and_refuse_unknown_names(pair):
    r = tsk.review(*pair, weeks=1, split=SPLIT)
    assert r.verdicts("better")  # the pair has measures that got better
    assert r.verdicts("Better") == r.verdicts(" BETTER ") == r.verdicts("better")
    assert r.verdicts("No Real Change") == r.verdicts("no real change")
    assert r.verdicts("after only") == []  # a known verdict no measure has
    with pytest.raises(DataError, match=r"(?s)verdicts: 'improved' is not a verdict.*"
                                        r"expected: one of better, worse, no real change, "
                                        r"changed, not measured, after only"):
        r.verdicts("improved")
    with pytest.raises(DataError, match=r"fix: e.g. review.verdicts\('not measured'\)"):
        r.verdicts("not_measured")
    with pytest.raises(TypeError, match=r"verdicts: verdict must be text.*got NoneType"):
        r.verdicts(None)


def test_review_without_a_second_network_compares_the_last_weeks(pair):
    _, after = pair
    r = tsk.review(after, weeks=1)
    assert r.after[1] == pd.Timestamp("2025-03-04", tz="UTC")
    assert r.table.loc["minutes a week on social media", "verdict"] == "not measured"
    assert "Not measured: platforms with time in your week" in r.summary()


def test_review_errors(pair):
    before, after = pair
    with pytest.raises(TypeError):
        tsk.review(before.interactions)
    with pytest.raises(DataError, match="no interactions from"):
        tsk.review(before, before, split="2025-04-01", weeks=1)
    with pytest.raises(DataError):
        tsk.review(Network())
    with pytest.raises(DataError):
        tsk.review(before, after, weeks=0)
    with pytest.raises(DataError):
        tsk.review(before, after, tolerance=2)


def test_review_refuses_weeks_the_data_does_not_cover():
    net = tsk.load_persona("ceramics")
    later = tsk.load_persona("ceramics", later=True)
    first, last = net.period[0], later.period[1]
    # a year after the split, though the later data reaches four weeks past it
    with pytest.raises(DataError) as err:
        tsk.review(net, later, weeks=52)
    text = str(err.value)
    assert "after: 2025-12-01 to 2026-11-29, NOT covered" in text
    assert "before: 2024-12-02 to 2025-11-30, covered" in text
    assert f"interactions from {first:%Y-%m-%d} to {last:%Y-%m-%d}" in text
    assert "fix: a smaller weeks, e.g. weeks=4" in text
    # two empty periods, years before any data
    with pytest.raises(DataError) as err:
        tsk.review(net, later, split="2010-01-01")
    text = str(err.value)
    assert text.count("NOT covered") == 2
    assert "a split between 2024-09-29 and 2025-12-01" in text
    # one network: the suggested weeks fit in its data, and the review then runs
    with pytest.raises(DataError, match=r"e\.g\. weeks=34") as err:
        tsk.review(later, weeks=52)
    assert "the network has interactions from" in str(err.value)
    assert tsk.review(later, weeks=34).after[1] == last.normalize() + pd.Timedelta(days=1)
    # the window the suggestion names is accepted
    assert tsk.review(net, later, weeks=4).after == (pd.Timestamp("2025-12-01", tz="UTC"),
                                                     pd.Timestamp("2025-12-29", tz="UTC"))


def test_a_quiet_week_at_either_end_is_covered_a_longer_gap_is_not():
    # one message a day from 1 January to 31 March 2025
    days = pd.date_range("2025-01-01T10:00Z", "2025-03-31T10:00Z", freq="D")
    net = _net({"a": 60}, [(f"{d:%Y-%m-%dT%H:%MZ}", "a", "ana", "out", "dm", "d")
                           for d in days])
    # after 11 March: 4 weeks to 7 April, the last 7 days without data
    assert tsk.review(net, split="2025-03-11", weeks=4).after[1] == pd.Timestamp(
        "2025-04-08", tz="UTC")
    with pytest.raises(DataError, match=r"after: 2025-03-12 to 2025-04-08, NOT covered: "
                                        r"the network has interactions from 2025-01-01 to "
                                        r"2025-03-31"):
        tsk.review(net, split="2025-03-12", weeks=4)  # 8 days without data
    # before 22 January: 4 weeks from 25 December, the first 7 days without data
    assert tsk.review(net, split="2025-01-22", weeks=4).before[0] == pd.Timestamp(
        "2024-12-25", tz="UTC")
    with pytest.raises(DataError, match=r"before: 2024-12-24 to 2025-01-20, NOT covered"):
        tsk.review(net, split="2025-01-21", weeks=4)


def test_review_argument_types(pair):
    before, after = pair
    with pytest.raises(TypeError, match=r"inner_layer must be a Dunbar layer, one of 5, 15, "
                                        r"50, 150, 500, 1500; got str '50'"):
        tsk.review(before, after, inner_layer="50")
    with pytest.raises(DataError, match="inner_layer=7 is not a Dunbar layer"):
        tsk.review(before, after, inner_layer=7)
    log = pd.DataFrame({"day": ["2025-03-02"], "status": ["done"]})
    with pytest.raises(TypeError, match=r"progress must be the result of "
                                        r"tsk\.habit_progress\(\.\.\.\), got DataFrame"):
        tsk.review(before, after, progress=log)
    with pytest.raises(TypeError, match=r"plan must be the result of tsk\.plan_habits"):
        tsk.review(before, after, plan=log)
    with pytest.raises(TypeError, match="whole number"):
        tsk.review(before, after, weeks="4")
    with pytest.raises(TypeError, match="2025 is a number, not a date"):
        tsk.review(before, after, split=2025)
    numpy = tsk.review(before, after, weeks=np.int64(1), inner_layer=np.int64(15), split=SPLIT)
    plain = tsk.review(before, after, weeks=1, inner_layer=15, split=SPLIT)
    pd.testing.assert_frame_equal(numpy.table, plain.table)
    assert "inner ties overdue (layers up to 15)" in numpy.table.index


def test_persona_review_matches_independent_counts():
    before = tsk.load_persona("ceramics")
    after = tsk.load_persona("ceramics", later=True)
    info = tsk.persona_info("ceramics")
    r = tsk.review(before, after)
    assert r.after[0] == pd.Timestamp(info["later_start"], tz="UTC")
    assert r.after[1] - pd.Timedelta(days=1) == pd.Timestamp(info["later_end"], tz="UTC")
    t = r.table
    assert t.loc["minutes a week on social media", "before"] == before.platforms[
        "minutes_per_week"].sum()
    assert t.loc["minutes a week on social media", "after"] == after.platforms[
        "minutes_per_week"].sum()
    window = after.between(r.after[0], r.after[1]).interactions
    assert t.loc["people you interacted with", "after"] == window[
        "contact_id"].nunique()
    # Every verdict agrees with its numbers and the tolerance.
    for name, row in t.iterrows():
        if row["verdict"] in ("better", "worse"):
            assert abs(row["change"]) > 0.1 * max(abs(row["before"]), abs(row["after"])), name
            up = row["change"] > 0
            assert (row["verdict"] == "better") == (up == (row["better_when"] == "higher")), name
        if row["verdict"] == "no real change":
            assert abs(row["change"]) <= 0.1 * max(abs(row["before"]), abs(row["after"])), name


def test_review_figures(pair):
    r = tsk.review(*pair, weeks=1, split=SPLIT)
    for kind in ("change", "platforms"):
        fig = r.figure(kind)
        assert fig.layout.title.text and fig.layout.xaxis.title.text
    with pytest.raises(ValueError):
        r.figure("pie")


def test_review_what_if_slider_changes_the_verdicts(pair):
    before, after = pair
    w = tsk.review_what_if(before, after, weeks=1, split=SPLIT)
    # reciprocity 0.5 -> 0.667: a change of 0.167, a quarter of 0.667: real at 10%
    assert w.result.table.loc["reciprocity (weighted)", "verdict"] == "better"
    assert "10%" in w.output.value
    w.tolerance_slider.value = 0.5
    assert w.result.tolerance == 0.5
    assert w.result.table.loc["reciprocity (weighted)", "verdict"] == "no real change"
    assert "50%" in w.output.value
    assert w._repr_mimebundle_()  # displays as its box
    with pytest.raises(DataError):
        tsk.review_what_if(before, after, tolerance=2)
