"""The audit: every measure on small hand-built networks, the score, the verdicts, the widgets.

The expected values below were worked out by hand from the tables in ``small()``,
not taken from the module's output.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import thinksmall_kit as tsk
from thinksmall_kit import DataError, Network
from thinksmall_kit.audit import DEFAULT_BUDGET_MINUTES, AuditWeights


def _events(rows: list[tuple]) -> pd.DataFrame:
    cols = ["timestamp", "platform", "contact_id", "direction", "kind", "is_promotional"]
    return pd.DataFrame(rows, columns=cols)


def small() -> Network:
    """Three platforms: 'a' talks, 'b' broadcasts to many, 'c' is dead; plus offline e-mail.

    Contacts: ann (customer), bob (peer), cat (fan), dan (unknown).
    """
    platforms = pd.DataFrame({
        "platform": ["a", "b", "c"],
        "followers": [100, 5000, 0],
        "minutes_per_week": [60.0, 300.0, 0.0],
        "audience_fit": [0.8, 0.1, np.nan],
    })
    contacts = pd.DataFrame({"contact_id": ["ann", "bob", "cat", "dan"],
                             "role": ["customer", "peer", "fan", "unknown"]})
    t = "2025-03-{:02d}T10:00:00+00:00".format
    events = _events([
        # a: two posts (one promotional), a comment from ann, a reply from bob,
        # a like from cat, a share from ann; you reply to ann and DM dan.
        (t(1), "a", None, "out", "post", True),
        (t(2), "a", None, "out", "post", False),
        (t(2), "a", "ann", "in", "comment", False),
        (t(2), "a", "bob", "in", "reply", False),
        (t(2), "a", "cat", "in", "like", False),
        (t(2), "a", "ann", "in", "share", False),
        (t(3), "a", "ann", "out", "reply", False),
        (t(3), "a", "dan", "out", "dm", False),
        # b: four promotional posts, three likes, one comment from bob (a peer).
        ("2025-01-20T10:00:00+00:00", "b", None, "out", "post", True),
        ("2025-01-21T10:00:00+00:00", "b", None, "out", "post", True),
        ("2025-01-22T10:00:00+00:00", "b", None, "out", "post", True),
        ("2025-01-23T10:00:00+00:00", "b", None, "out", "post", True),
        ("2025-01-25T10:00:00+00:00", "b", "bob", "in", "like", False),
        ("2025-01-25T10:00:00+00:00", "b", "cat", "in", "like", False),
        ("2025-01-25T10:00:00+00:00", "b", "dan", "in", "like", False),
        ("2025-02-01T10:00:00+00:00", "b", "bob", "in", "comment", False),
        # offline: not a platform, never audited
        (t(10), "offline", "ann", "out", "email", False),
    ])
    return Network(platforms=platforms, contacts=contacts, interactions=events)


# --------------------------------------------------------------------------- engagement


def test_engagement_measures_by_hand():
    t = tsk.engagement(small()).table
    assert list(t.index) == ["a", "b", "c"]
    a, b, c = t.loc["a"], t.loc["b"], t.loc["c"]
    assert (a["posts"], a["conversations"]) == (2, 2)
    assert a["conversation_rate"] == 1.0          # 2 comments/replies / 2 posts
    assert a["tribe_conversation_rate"] == 0.5    # only ann's comment is from the tribe
    assert a["amplification_rate"] == 0.5         # 1 share / 2 posts
    assert a["applause_rate"] == 0.5              # 1 like / 2 posts
    assert a["people"] == 4                       # ann, bob, cat, dan
    assert a["two_way_partners"] == 1             # ann: in and out; dan out only; bob in only
    assert a["latent_ties"] == 96                 # 100 followers - 4 people
    assert a["tribe_present"] == 2                # ann (customer), cat (fan)
    assert a["sent"] == 4 and a["promotional_share"] == 0.25
    assert (b["posts"], b["conversations"], b["people"], b["two_way_partners"]) == (4, 1, 3, 0)
    assert b["conversation_rate"] == 0.25 and b["tribe_conversation_rate"] == 0.0
    assert b["applause_rate"] == 0.75 and b["amplification_rate"] == 0.0
    assert b["latent_ties"] == 4997 and b["tribe_present"] == 1
    assert b["promotional_share"] == 1.0
    # c: nothing at all gives zeros, never NaN or a division by zero
    assert c[["posts", "conversation_rate", "applause_rate", "people", "latent_ties",
              "promotional_share"]].tolist() == [0, 0.0, 0.0, 0, 0, 0.0]
    assert pd.isna(c["last_activity"])
    assert "offline" not in t.index


def test_no_posts_counts_as_one_post_and_latent_ties_never_negative():
    net = Network(
        platforms=pd.DataFrame({"platform": ["d"], "followers": [1]}),
        contacts=pd.DataFrame({"contact_id": ["x", "y"]}),
        interactions=_events([
            ("2025-01-01T00:00:00+00:00", "d", "x", "in", "reply", False),
            ("2025-01-02T00:00:00+00:00", "d", "y", "in", "reply", False),
        ]))
    row = tsk.engagement(net).table.loc["d"]
    assert row["posts"] == 0
    assert row["conversation_rate"] == 2.0  # 2 replies, no posts: counted per one post
    assert row["latent_ties"] == 0          # 2 people talked, 1 follower: floored at 0
    assert row["promotional_share"] == 0.0  # nothing sent


def test_engagement_respects_between():
    t = tsk.engagement(small().between("2025-03-01", "2025-04-01")).table
    assert t.loc["b", "posts"] == 0 and t.loc["a", "posts"] == 2


def test_engagement_rejects_a_table():
    with pytest.raises(TypeError, match="pass the whole network"):
        tsk.engagement(small().platforms)


def test_engagement_figures():
    e = tsk.engagement(small())
    fig = e.figure()
    assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert fig.layout.xaxis.type == "log"
    assert list(fig.data[0].text) == ["a", "b", "c"]
    latent = e.figure("latent")
    assert latent.layout.title.text and latent.layout.xaxis.title.text
    assert sorted(latent.data[1].x) == [0, 96, 4997]
    with pytest.raises(ValueError, match="scatter"):
        e.figure("pie")


# --------------------------------------------------------------------------- the score


def _expected_scores(w: AuditWeights) -> dict[str, float]:
    """The score of small()'s platforms, from the documented formula, worked by hand."""
    gains = w.conversation + w.two_way + w.tribe + w.fit + w.recency
    # as_of = the last interaction (offline e-mail, 10 March): a quiet 7 days, b 37 days.
    a_gain = (w.conversation * 1 + w.two_way * 1 + w.tribe * 1 + w.fit * 0.8
              + w.recency * math.exp(-7 / w.recency_days))
    b_gain = (w.conversation * 0 + w.two_way * 0 + w.tribe * 0.5 + w.fit * 0.1
              + w.recency * math.exp(-37 / w.recency_days))
    return {
        "a": a_gain / gains - (w.promotion * 0.25 + w.effort * 60 / 300),
        "b": b_gain / gains - (w.promotion * 1.0 + w.effort * 1.0),
        "c": 0.0,
    }


def test_audit_score_follows_the_documented_formula():
    r = tsk.audit(small())
    expected = _expected_scores(AuditWeights())
    for name, value in expected.items():
        assert r.table.loc[name, "score"] == pytest.approx(value), name
    assert r.table.loc["a", "days_since_last"] == 7
    assert r.table.loc["b", "days_since_last"] == 37
    assert pd.isna(r.table.loc["c", "days_since_last"])
    assert r.parts.loc["b", "tribe"] == 0.5 and r.parts.loc["c", "fit"] == 0.0
    assert list(r.table.index) == ["a", "c", "b"]  # best score first (b is below 0)


def test_parts_are_each_between_0_and_1():
    r = tsk.audit(tsk.load_persona("ceramics"))
    assert ((r.parts >= 0) & (r.parts <= 1)).all().all()
    assert r.table["return_score"].between(0, 1).all()


def test_verdicts_keep_and_reasons():
    r = tsk.audit(small(), keep=5)
    # c has no return at all: cut though there is room; b returns a little: kept.
    assert r.keep == ["a", "b"] and r.cut == ["c"]
    assert r.table.loc["c", "reason"].startswith("no activity in this period")
    assert "5,000 followers" not in r.table.loc["b", "reason"]  # kept: no vanity complaint
    assert tsk.audit(small(), keep=2).keep == ["a", "b"]  # dead c takes no place
    r1 = tsk.audit(small(), keep=1)
    assert r1.keep == ["a"]
    assert r1.table.loc["b", "reason"] == (
        "5,000 followers but 0.25 comments and replies per post; 1 tribe member, "
        "0 two-way partners; 100% of what you send is promotion; 5 h a week")
    assert r1.table.loc["a", "reason"] == (
        "2 tribe members, 1 two-way partner, 1.0 comments and replies per post; "
        "25% of what you send is promotion; 1 h a week")


def test_changing_a_weight_changes_a_verdict():
    # 'talk' has conversation with the tribe but a low fit; 'fit' has none but a high fit.
    net = Network(
        platforms=pd.DataFrame({"platform": ["talk", "fit"], "followers": [10, 10],
                                "minutes_per_week": [30.0, 30.0],
                                "audience_fit": [0.1, 0.9]}),
        contacts=pd.DataFrame({"contact_id": ["ann"], "role": ["customer"]}),
        interactions=_events([
            ("2025-01-01T00:00:00+00:00", "talk", None, "out", "post", False),
            ("2025-01-01T01:00:00+00:00", "talk", "ann", "in", "reply", False),
            ("2025-01-01T02:00:00+00:00", "fit", None, "out", "post", False),
        ]))
    # Defaults: talk gains conversation 1 + tribe 3 + fit 0.2 + recency 0.5*e^0; fit gains
    # fit 1.8 + recency 0.5 (its post is 1 h before the end: 0 whole days) -> talk wins.
    assert tsk.audit(net, keep=1).keep == ["talk"]
    # Nothing but fit counts -> fit wins.
    only_fit = {"conversation": 0, "two_way": 0, "tribe": 0, "recency": 0}
    assert tsk.audit(net, keep=1, weights=only_fit).keep == ["fit"]
    # On the persona: weighing the tribe less lets the potters' echo chamber in.
    net = tsk.load_persona("ceramics")
    assert "reddit" not in tsk.audit(net).keep
    assert "reddit" in tsk.audit(net, weights={"tribe": 2, "fit": 1}).keep


def test_ties_go_to_fewer_minutes_then_name():
    net = Network(platforms=pd.DataFrame({"platform": ["zz", "yy", "xx"],
                                          "minutes_per_week": [0.0, 0.0, 0.0],
                                          "audience_fit": [0.5, 0.5, 0.5]}))
    r = tsk.audit(net, keep=2)
    assert list(r.table.index) == ["xx", "yy", "zz"] and r.keep == ["xx", "yy"]


def test_tribe_unknown_counts_every_conversation():
    net = small()
    untagged = Network(platforms=net.platforms,
                       contacts=net.contacts.assign(role="unknown"),
                       interactions=net.interactions)
    r = tsk.audit(untagged)
    assert not r.tribe_known and "tag roles" in r.summary()
    # a's conversation rate 1.0 vs b's 0.25: conversation parts 1 and 0.25
    assert r.parts.loc["b", "conversation"] == 0.25
    assert (r.table["tribe_present"] == 0).all()
    assert tsk.audit(net).tribe_known


def test_budget_warning_and_freed_time():
    r = tsk.audit(small(), keep=1)
    assert r.budget_minutes == DEFAULT_BUDGET_MINUTES == 210
    assert (r.total_minutes, r.kept_minutes, r.freed_minutes) == (360.0, 60.0, 300.0)
    assert r.over_budget and r.warning.startswith("Burnout warning")
    assert "2.5 h over" in r.warning
    assert "Cutting brings you within budget" in r.summary()
    calm = tsk.audit(small(), keep=1, budget_minutes=400)
    assert not calm.over_budget and calm.warning is None
    tight = tsk.audit(small(), keep=2, budget_minutes=100)
    assert "Even the platforms you keep" in tight.summary()


def test_as_of_moves_days_since_last():
    r = tsk.audit(small(), as_of="2025-03-13T10:00:00+00:00")
    assert r.table.loc["a", "days_since_last"] == 10
    # whole days: 9 days and 14 hours is 9
    assert tsk.audit(small(), as_of="2025-03-13").table.loc["a", "days_since_last"] == 9


def test_platforms_without_interactions():
    net = Network(platforms=pd.DataFrame({"platform": ["p", "q"], "followers": [10, 0],
                                          "minutes_per_week": [30.0, 0.0],
                                          "audience_fit": [0.7, np.nan]}))
    r = tsk.audit(net)
    assert r.keep == ["p"] and r.period is None
    rates = ["conversation_rate", "applause_rate", "promotional_share", "return_score", "score"]
    assert not r.table[rates].isna().any().any()
    assert r.table.loc["p", "latent_ties"] == 10
    assert r.table.loc["p", "reason"] == (
        "no activity recorded, audience fit 0.7 (your estimate); 30 min a week")
    assert r.table.loc["q", "reason"].startswith("no activity in this period")
    assert "tag roles" not in r.summary()  # no contacts at all: nothing to tag
    assert repr(r).startswith("Audit of 2 platforms")


@pytest.mark.parametrize("kwargs, error, words", [
    ({"keep": 0}, DataError, "at least 1"),
    ({"keep": 2.5}, TypeError, "whole number"),
    ({"keep": True}, TypeError, "whole number"),
    ({"budget_minutes": -1}, DataError, "at least 0"),
    ({"budget_minutes": float("nan")}, DataError, "budget"),
    ({"budget_minutes": "210"}, TypeError, "number"),
    ({"weights": {"tribes": 2}}, DataError, "no weight named"),
    ({"weights": {"tribe": -1}}, DataError, "tribe"),
    ({"weights": {"recency_days": 0}}, DataError, "recency_days"),
    ({"weights": [1, 2]}, TypeError, "dict"),
    ({"as_of": "not a date"}, DataError, "not a date"),
])
def test_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        tsk.audit(small(), **kwargs)


def test_empty_network_is_a_clear_error():
    with pytest.raises(DataError, match="no platforms"):
        tsk.audit(Network())


def test_audit_figures():
    r = tsk.audit(small(), keep=1)
    fig = r.figure()
    assert fig.layout.title.text.startswith("Effort against return")
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    by_name = {trace.name: list(trace.text) for trace in fig.data}
    assert by_name == {"keep": ["a"], "cut": ["c", "b"]}
    budget = r.figure("budget")
    assert budget.layout.title.text and budget.layout.yaxis.title.text
    assert list(budget.data[1].y) == [300.0, 0]  # cut minutes: now, after cutting
    with pytest.raises(ValueError, match="effort"):
        r.figure("pie")
    assert "Keep 1 of 3" in r._repr_html_()


# --------------------------------------------------------------------------- what if


def test_what_if_sliders_change_the_verdicts():
    w = tsk.audit_what_if(small(), keep=1)
    assert w.result.keep == ["a"] and "Keep 1 of 3" in w.output.value
    w.keep_slider.value = 3
    assert w.result.keep == ["a", "b"]
    assert "Keep 2 of 3" in w.output.value
    assert "Burnout warning" in w.output.value
    w.budget_slider.value = 600
    assert not w.result.over_budget and "Burnout warning" not in w.output.value
    assert w._repr_mimebundle_()  # displays as its box


# --------------------------------------------------------------------------- by hand


@pytest.fixture
def ws(tmp_path):
    workspace = tsk.Workspace(tmp_path / "w.sqlite")
    yield workspace
    workspace.close()


def test_save_platform_into_an_empty_workspace(ws):
    assert tsk.save_platform(ws, " Instagram ", handle="me", minutes_per_week=90,
                             followers=800, audience_fit=0.6, purpose="customers") == "added"
    assert tsk.save_platform(ws, "newsletter", minutes_per_week=30) == "added"
    assert tsk.save_platform(ws, "instagram", minutes_per_week=45, followers=800) == "updated"
    p = ws.load_network().platforms
    assert p["platform"].tolist() == ["instagram", "newsletter"]
    assert p["minutes_per_week"].tolist() == [45.0, 30.0]
    assert pd.isna(p.loc[0, "audience_fit"])  # the update left fit out: not assessed
    r = tsk.audit(ws.load_network())
    assert r.total_minutes == 75.0


def test_save_platform_keeps_what_was_saved(ws):
    net = small()
    ws.save_network(net)
    ws.tag_role("dan", "partner")
    ws.add_note("ann", "bought a bowl")
    tsk.save_platform(ws, "etsy", minutes_per_week=120, followers=50, audience_fit=0.5)
    back = ws.load_network(apply_tags=False)
    assert back.platforms["platform"].tolist() == ["a", "b", "c", "etsy"]
    assert back.interactions.equals(net.interactions)
    assert back.contacts.equals(net.contacts)
    assert ws.role_tags()["contact_id"].tolist() == ["dan"]
    assert len(ws.notes()) == 1


@pytest.mark.parametrize("kwargs, words", [
    ({"platform": ""}, "give the platform's name"),
    ({"platform": "local market"}, "local-market"),
    ({"platform": "offline"}, "e-mail, calls"),
    ({"platform": "x", "minutes_per_week": -5}, "minutes_per_week"),
    ({"platform": "x", "minutes_per_week": 20000}, "at most 10080"),
    ({"platform": "x", "followers": 1.5}, "whole number"),
    ({"platform": "x", "followers": "1.2k"}, "not text"),
    ({"platform": "x", "audience_fit": 3}, "audience_fit"),
    ({"platform": "x", "minutes_per_week": float("nan")}, "minutes_per_week"),
])
def test_save_platform_rejects_bad_values_and_writes_nothing(ws, kwargs, words):
    ws.save_network(small())
    with pytest.raises(DataError, match=words):
        tsk.save_platform(ws, **kwargs)
    assert ws.load_network().platforms["platform"].tolist() == ["a", "b", "c"]


def test_save_platform_needs_a_workspace():
    with pytest.raises(TypeError, match="open_workspace"):
        tsk.save_platform("workspace.sqlite", "x")


def test_inventory_form_saves_and_shows_problems_in_the_form(ws):
    form = tsk.inventory_form(ws)
    assert "No platforms saved yet" in form.saved.value
    form.platform.value = "Mastodon"
    form.minutes.value = 40
    form.followers.value = 120
    form.fit.value = 0.3
    form.save_button.click()  # what a learner does
    assert "Added mastodon" in form.message.value
    assert "mastodon" in form.saved.value and form.platform.value == ""
    assert ws.load_network().platforms.loc[0, "audience_fit"] == pytest.approx(0.3)
    # A bad value: a message in the form, nothing saved, no exception.
    form.platform.value = "my blog"
    assert form.save() is False
    assert "Not saved" in form.message.value and "my-blog" in form.message.value
    form.platform.value = "blog"
    form.minutes.value = -10
    assert form.save() is False and "minutes_per_week" in form.message.value
    assert ws.load_network().platforms["platform"].tolist() == ["mastodon"]
    # A closed workspace: also a message, not a traceback.
    ws.close()
    form.minutes.value = 10
    assert form.save() is False and "could not be written" in form.message.value
    assert form._repr_mimebundle_()


def test_inventory_form_uses_the_default_workspace():
    form = tsk.inventory_form()
    assert form.ws.path.name == "workspace.sqlite"
    form.ws.close()
    with pytest.raises(TypeError, match="Workspace"):
        tsk.inventory_form("w.sqlite")


def test_engagement_explorer_shows_the_chosen_platform():
    w = tsk.engagement_explorer(small())
    assert w.platform.value == "b"  # most followers first
    # b: 4 posts, 1 comment -> 0.25 per post; 5000 followers, 3 people -> 4997 latent
    assert "0.25 per post" in w.output.value and "4,997 followers" in w.output.value
    w.platform.value = "a"
    # a: 2 posts, comment + reply -> 1.00 per post; 4 people, 100 followers -> 96 latent
    assert "1.00 per post" in w.output.value and "96 followers" in w.output.value
    assert w.row["followers"] == 100
    with pytest.raises(DataError):
        tsk.engagement_explorer(small(), platform="nope")
