"""Conversation measures, the promotion heuristic, the post checklist and the give-first plan.

Every expected value is worked out by hand from the small networks built here.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

import thinksmall_kit as tsk
from thinksmall_kit import PromotionRules
from thinksmall_kit.conversation import conversation, give_first_plan
from thinksmall_kit.tribe import tribe

T0 = pd.Timestamp("2025-03-03 09:00", tz="UTC")


def hours(h: float) -> str:
    return (T0 + pd.Timedelta(hours=h)).isoformat()


def make_net(rows, contacts=("alice", "bob", "cara"), roles=None,
             platforms=("instagram", "linkedin")) -> tsk.Network:
    """rows: (hour, platform, contact or None, direction, kind, thread or None, text, has_link)."""
    cols = ["h", "platform", "contact_id", "direction", "kind", "thread_id", "text", "has_link"]
    df = pd.DataFrame([list(r) + [None] * (len(cols) - len(r)) for r in rows], columns=cols)
    df["timestamp"] = [hours(h) for h in df.pop("h")]
    df["has_link"] = df["has_link"].fillna(False).astype(bool)
    roles = roles or {}
    return tsk.Network(
        platforms=pd.DataFrame({"platform": list(platforms)}),
        contacts=pd.DataFrame({"contact_id": list(contacts),
                               "role": [roles.get(c, "customer") for c in contacts]}),
        interactions=df)


def row(result, name="all"):
    return result.table.loc[name]


# --------------------------------------------------------------------------- response times


def test_response_times_reply_ratio_and_depth_in_one_dm_thread():
    net = make_net([
        (0, "instagram", "alice", "out", "dm", "t1", "Hi Alice, how was the fair?"),
        (2, "instagram", "alice", "in", "dm", "t1", "Busy! Sold out."),
        (3, "instagram", "alice", "in", "dm", "t1", "You?"),
        (7, "instagram", "alice", "out", "dm", "t1", "Quiet, but good."),
    ])
    r = row(conversation(net))
    # Them: 0h -> 2h = 2 h (the 7h message is never answered). You: 2h->7h = 5, 3h->7h = 4.
    assert r["their_response_hours"] == pytest.approx(2.0)
    assert r["your_response_hours"] == pytest.approx(4.5)
    assert r["reply_ratio"] == pytest.approx(1.0)
    assert r["two_way_rate"] == pytest.approx(1.0)
    assert r["thread_depth"] == pytest.approx(3.0)  # out | in in | out
    assert r["broadcast_share"] == 0
    assert (r["messages_out"], r["messages_in"]) == (2, 2)


def test_likes_are_not_messages_and_a_thread_of_only_likes_is_empty():
    net = make_net([
        (0, "instagram", None, "out", "post", "p1", "Kiln day"),
        (1, "instagram", "alice", "in", "like", "p1"),
        (2, "instagram", "bob", "in", "like", "p2"),  # a thread with nothing but a like
        (3, "instagram", "cara", "in", "comment", "p1", "Lovely"),
    ])
    result = conversation(net)
    r = row(result)
    assert (r["messages_out"], r["messages_in"]) == (1, 1)
    assert r["broadcast_share"] == 1.0
    assert r["broadcasts_answered"] == 1.0
    assert r["their_response_hours"] == pytest.approx(3.0)  # the like at 1h does not answer
    assert r["partners_contacted"] == 0 and math.isnan(r["two_way_rate"])
    assert "bob" not in result.contacts.index and "alice" not in result.contacts.index
    assert result.contacts.loc["cara", "received"] == 1


def test_a_contact_who_never_answers():
    net = make_net([
        (0, "instagram", "alice", "out", "dm", "a", "Hello Alice"),
        (1, "instagram", "alice", "in", "dm", "a", "Hello!"),
        (0, "instagram", "bob", "out", "dm", "b", "Hello Bob"),
        (48, "instagram", "bob", "out", "dm", "b", "Still there, Bob?"),
    ])
    result = conversation(net)
    r = row(result)
    assert (r["partners_contacted"], r["partners_answered"]) == (2, 1)
    assert r["two_way_rate"] == pytest.approx(0.5)
    assert r["their_response_hours"] == pytest.approx(1.0)  # Bob's silence has no time
    assert result.contacts.loc["bob", ["given", "received"]].tolist() == [2, 0]
    bob = result.messages[result.messages["contact_id"] == "bob"]
    assert not bob["answered"].any()


def test_missing_thread_links_by_contact_and_platform_only():
    net = make_net([
        (0, "instagram", "alice", "out", "dm", None, "Hi"),
        (1, "linkedin", "alice", "in", "dm", None, "Hi back, on LinkedIn"),
        (2, "instagram", "alice", "in", "dm", None, "And here"),
    ])
    m = conversation(net).messages.set_index("text")
    assert m.loc["Hi", "response_time"] == pd.Timedelta(hours=2)  # the linkedin one is apart
    assert m.loc["Hi back, on LinkedIn", "conversation"] != m.loc["Hi", "conversation"]


def test_a_conversation_spanning_platforms_belongs_where_it_started():
    net = make_net([
        (0, "instagram", "alice", "out", "dm", "order-17", "Your mug is ready"),
        (5, "offline", "alice", "in", "email", "order-17", "Great, I'll collect Friday"),
        (6, "offline", "alice", "out", "email", "order-17", "See you then"),
    ])
    result = conversation(net)
    assert set(result.messages["home"]) == {"instagram"}
    ig = row(result, "instagram")
    assert ig["their_response_hours"] == pytest.approx(5.0)
    assert ig["your_response_hours"] == pytest.approx(1.0)
    assert ig["thread_depth"] == pytest.approx(3.0)
    assert "offline" not in result.table.index


def test_a_group_thread_pairs_answers_with_the_person_answered():
    net = make_net([
        (0, "instagram", None, "out", "post", "p", "New glaze"),
        (1, "instagram", "alice", "in", "comment", "p", "Gorgeous"),
        (2, "instagram", "bob", "in", "comment", "p", "What cone?"),
        (4, "instagram", "bob", "out", "reply", "p", "Cone 6, Bob"),
    ])
    m = conversation(net).messages.set_index("text")
    assert pd.isna(m.loc["Gorgeous", "response_time"])  # your reply went to Bob, not Alice
    assert m.loc["What cone?", "response_time"] == pd.Timedelta(hours=2)
    assert m.loc["New glaze", "response_time"] == pd.Timedelta(hours=1)
    assert row(conversation(net))["reply_ratio"] == pytest.approx(0.5)


# --------------------------------------------------------------------------- promotion


def test_promotion_first_counts_only_each_persons_first_message():
    net = make_net([
        (0, "instagram", "alice", "out", "dm", "a", "New mugs https://shop.example", True),
        (1, "instagram", "bob", "out", "dm", "b", "How did the fair go?"),
        (2, "instagram", "bob", "out", "dm", "b", "20% off this weekend"),
        (3, "linkedin", "cara", "out", "dm", "c", "Sale on now"),
    ])
    result = conversation(net)
    assert (row(result)["first_messages"], row(result)["promotion_first"]) == (3, 2)
    assert row(result, "instagram")["promotion_first"] == 1
    assert row(result, "linkedin")["promotion_first"] == 1


def test_give_ask_balance():
    net = make_net([
        (0, "instagram", "alice", "in", "comment", "p", "Love it"),
        (1, "instagram", "alice", "out", "reply", "p", "Thank you Alice"),  # give: answers
        (2, "instagram", "bob", "out", "share", None, "Go and see Bob's show"),  # give: share
        (3, "instagram", None, "out", "post", "q", "Quiet day in the studio"),  # other
        (4, "instagram", None, "out", "post", "r", "Sale: bowls https://x.example", True),
        (5, "instagram", "cara", "out", "dm", "c", "Hi Cara"),  # other: starts a chat
    ])
    result = conversation(net)
    cats = result.messages.set_index("text")["category"]
    assert cats["Thank you Alice"] == "give" and cats["Go and see Bob's show"] == "give"
    assert cats["Quiet day in the studio"] == "other" and cats["Hi Cara"] == "other"
    assert cats["Sale: bowls https://x.example"] == "ask"
    r = row(result)
    assert (r["gives"], r["asks"]) == (2, 1)
    assert r["give_share"] == pytest.approx(2 / 3)


def test_promotion_rules_signals_and_changes():
    rules = PromotionRules()
    verdict = rules.check(["Weekend SALE: 20% off https://x.example", "Link in bio!",
                           "How did the kiln opening go?", "Read this www.friend.example"])
    assert verdict["signals"].tolist() == [2, 1, 0, 1]
    assert verdict.loc[0, "sales_word"] in {"sale", "% off"}
    assert verdict.loc[1, "call_to_action"] == "link in bio"
    assert verdict["promotional"].tolist() == [True, True, False, True]
    assert not PromotionRules(count_links=False).is_promotional("Read this www.friend.example")
    assert not PromotionRules(threshold=2).is_promotional("Link in bio!")
    # whole words only: "sale" does not fire inside "wholesaler"
    assert not rules.is_promotional("Our wholesaler delivered clay")
    rules.sales_words.append("commission")
    assert rules.is_promotional("Commission slots open")
    assert not PromotionRules().is_promotional("Commission slots open")  # own copies


def test_missing_text_falls_back_on_has_link():
    verdict = PromotionRules().check(pd.Series([None, None, "Hello"]),
                                     has_link=pd.Series([True, False, False]))
    assert verdict["promotional"].tolist() == [True, False, False]
    assert verdict["text_missing"].tolist() == [True, True, False]


def test_promotion_rules_reject_bad_settings():
    with pytest.raises(TypeError, match="list of words"):
        PromotionRules(sales_words="sale")
    with pytest.raises(ValueError, match="1, 2 or 3"):
        PromotionRules(threshold=0)
    with pytest.raises(TypeError, match="one message"):
        PromotionRules().is_promotional(None)
    with pytest.raises(TypeError, match="PromotionRules"):
        conversation(make_net([]), rules={"sales_words": []})


def test_promotion_agreement_counts_by_hand():
    df = pd.DataFrame({
        "timestamp": [hours(h) for h in range(4)],
        "platform": "instagram", "direction": "out", "kind": "post",
        "text": ["Sale now", "Kiln day", "Congrats on the new collection!", None],
        "is_promotional": [True, False, False, True],
    })
    net = tsk.Network(platforms=pd.DataFrame({"platform": ["instagram"]}), interactions=df)
    check = tsk.promotion_agreement(net)
    # 3 texts: sale (agree), kiln (agree), congrats (heuristic says pitch: disagree)
    assert check.agreement == pytest.approx(2 / 3)
    assert int(check.table.loc[True, False]) == 1 and int(check.table.loc[True, True]) == 1
    assert check.disagreements["text"].tolist() == ["Congrats on the new collection!"]
    relaxed = PromotionRules(sales_words=[w for w in PromotionRules().sales_words
                                          if w != "new collection"])
    assert tsk.promotion_agreement(net, rules=relaxed).agreement == 1.0


# --------------------------------------------------------------------------- one post


@pytest.mark.parametrize(("text", "failing"), [
    ("New mugs today.", {"asks_a_question", "mentions_someone", "about_others"}),
    ("https://shop.example new mugs, what do you think?",
     {"mentions_someone", "link_not_first", "not_a_pitch"}),
    ("What would you make, @ana? #clay #mugs #pottery #handmade",
     {"few_hashtags"}),
    ("I made my best mugs, I think. What do you reckon, @ana?", {"about_others"}),
    ("@ana your glaze notes changed how I fire. What should I try next?", set()),
])
def test_make_it_a_conversation_flags(text, failing):
    check = tsk.make_it_a_conversation(text)
    assert set(check.table.index[~check.table["ok"]]) == failing
    assert check.passed == 6 - len(failing)
    assert len(check.problems) == len(failing)
    assert "checks passed" in repr(check) and "checks passed" in check._repr_markdown_()


def test_one_way_flags_is_vectorised_and_handles_missing_text():
    flags = tsk.one_way_flags(pd.Series(["Hi @ana, what do you think?", None, ""]))
    assert flags["passed"].tolist() == [6, 0, 0]
    assert tsk.one_way_flags("Read this first, then tell me https://x.example")[
        "link_not_first"].iloc[0]
    assert not tsk.one_way_flags("Look https://x.example")["link_not_first"].iloc[0]


@pytest.mark.parametrize("wrong, hint", [
    (None, "got NoneType$"), (123, "got int$"), (b"Hi @ana?", "got bytes$"),
    (pd.DataFrame({"text": ["Hi @ana?"]}), r"got DataFrame \(.*df\['text'\]")])
def test_one_way_flags_names_the_argument_when_it_is_not_texts(wrong, hint):
    with pytest.raises(TypeError, match=r"^one_way_flags\(texts=\.\.\.\) takes a list or "
                                        rf"column of post texts.*{hint}"):
        tsk.one_way_flags(wrong)


def test_make_it_a_conversation_refuses_non_text():
    with pytest.raises(TypeError, match="one_way_flags"):
        tsk.make_it_a_conversation(pd.Series(["a"]))
    with pytest.raises(ValueError, match="empty"):
        tsk.make_it_a_conversation("   ")


# --------------------------------------------------------------------------- empty and bad


def test_empty_network():
    result = conversation(tsk.Network())
    assert result.table.index.tolist() == ["all"]
    r = row(result)
    assert r["messages_out"] == 0 and math.isnan(r["reply_ratio"])
    assert result.table["messages_out"].dtype == "int64"
    assert result.contacts.empty
    with pytest.raises(tsk.DataError, match="no messages"):
        result.figure("over_time")
    with pytest.raises(tsk.DataError, match="nothing to draw"):
        result.figure("reciprocity")
    with pytest.raises(tsk.DataError, match="no interactions"):
        give_first_plan(tsk.Network())


def test_wrong_inputs():
    with pytest.raises(TypeError, match="Network"):
        conversation(pd.DataFrame())
    with pytest.raises(ValueError, match="over_time"):
        conversation(make_net([(0, "instagram", None, "out", "post", "p", "x")])).figure("pie")
    net = make_net([(0, "instagram", "alice", "in", "dm", "a", "hi")])
    with pytest.raises(ValueError, match="max_layer"):
        give_first_plan(net, max_layer=40)
    with pytest.raises(ValueError, match="n="):
        give_first_plan(net, n=0)
    with pytest.raises(TypeError, match="tribe"):
        give_first_plan(net, tribe=pd.DataFrame())


def test_per_platform_rows_add_up_to_all():
    result = conversation(tsk.load_persona("organiser"))
    per = result.table.drop(index="all")
    for column in ("messages_out", "messages_in", "gives", "asks", "promotion_first"):
        assert per[column].sum() == result.table.loc["all", column], column


# --------------------------------------------------------------------------- give first


def plan_net():
    return make_net([
        (0, "instagram", "alice", "in", "comment", "a", "Alice's new tiles"),
        (10, "instagram", "bob", "in", "dm", "b", "Bob's kiln build"),
        (20, "linkedin", "cara", "in", "dm", "c", "Cara's show opens"),
        (30, "instagram", "dan", "in", "dm", "d", "Dan's mugs"),
        (40, "instagram", "dan", "out", "reply", "d", "Lovely, Dan"),  # gave to Dan just now
        (50, "offline", "eve", "in", "call", None, "Call with Eve"),
    ], contacts=("alice", "bob", "cara", "dan", "eve", "zed"),
        roles={"eve": "unknown"})


def with_layers(net, layers):
    tr = tribe(net)
    table = tr.table.copy()
    table["layer"] = pd.array([layers.get(c) for c in table.index], dtype="Int64")
    return dataclasses.replace(tr, table=table)


def test_give_first_plan_orders_by_layer_then_recency_and_skips():
    net = plan_net()
    tr = with_layers(net, {"alice": 5, "bob": 15, "cara": 5, "dan": 5, "eve": 5, "zed": 5})
    plan = give_first_plan(net, tribe=tr, n=5)
    # dan: given to within 14 days; eve: role unknown; zed: never wrote. Cara is fresher
    # than Alice in layer 5, then Bob from layer 15.
    assert plan.table.index.tolist() == ["cara", "alice", "bob"]
    assert plan.table.loc["cara", "their_latest"] == "Cara's show opens"
    assert plan.table.loc["cara", "where"] == "linkedin"
    assert plan.table.loc["alice", "days_since"] == pytest.approx(50 / 24, abs=0.05)
    assert give_first_plan(net, tribe=tr, n=1).table.index.tolist() == ["cara"]
    assert "dan" in give_first_plan(net, tribe=tr, skip_days=0).table.index
    assert "eve" in give_first_plan(net, tribe=tr, skip_roles=()).table.index
    assert give_first_plan(net, tribe=tr, max_layer=5).table.index.tolist() == ["cara", "alice"]
    eve = give_first_plan(net, tribe=tr, skip_roles=()).table.loc["eve", "suggestion"]
    assert "recommend" in eve  # offline: no feed to share from
    assert plan.table["suggestion"].str.startswith("share or comment").all()


def test_a_question_gets_an_answer_and_an_empty_plan_says_why():
    net = make_net([
        (0, "instagram", "alice", "in", "comment", "a", "Alice's new tiles"),
        (10, "linkedin", "bob", "in", "dm", "b", "Do you do commissions? "),
        (20, "instagram", "cara", "in", "dm", "c", "Cara's show opens"),
    ], contacts=("alice", "bob", "cara"), roles={"cara": "unknown"})
    tr = with_layers(net, {"alice": 5, "bob": 5, "cara": 5})
    plan = give_first_plan(net, tribe=tr)
    assert plan.reason == ""
    assert plan.table.loc["bob", "suggestion"].startswith("answer their question on linkedin")
    assert plan.table.loc["alice", "suggestion"].startswith("share or comment")
    # No one left: each empty plan says which filter emptied it, and still draws.
    untagged = give_first_plan(net, tribe=tr, skip_roles=("unknown", "customer", "fan",
                                                         "peer", "supporter"))
    assert untagged.table.empty and "tag your people" in untagged.reason
    assert "skip_roles=()" in repr(untagged) and "tag your people" in untagged._repr_html_()
    fig = untagged.figure()
    assert "tag your people" in fig.layout.annotations[0].text and not fig.data
    far = give_first_plan(net, tribe=with_layers(net, {"alice": 150, "bob": 150,
                                                       "cara": 150}))
    assert "max_layer=150" in far.reason
    given = make_net([(0, "instagram", "alice", "in", "dm", "a", "Alice's tiles"),
                      (1, "instagram", "alice", "out", "reply", "a", "Lovely tiles")],
                     contacts=("alice",))
    recent = give_first_plan(given, tribe=with_layers(given, {"alice": 5}))
    assert "smaller skip_days" in recent.reason
    with pytest.raises(tsk.DataError, match="not a date"):
        give_first_plan(net, tribe=tr, as_of="next tuesday")
    early = give_first_plan(net, tribe=tr, as_of="2020-01-01")
    assert early.table.empty and "choose a later as_of" in early.reason


def test_give_first_plan_uses_tribe_by_default():
    net = plan_net()
    default = give_first_plan(net, n=10).table
    layers = tribe(net).table["layer"]
    assert (default["layer"] == layers.reindex(default.index)).all()


# --------------------------------------------------------------------------- figures


def test_figures_have_titles_and_labelled_axes():
    result = conversation(tsk.load_persona("ceramics"))
    over = result.figure("over_time", platforms=4)
    assert over.layout.title.text and len({t.name for t in over.data}) == 2
    assert len(over.layout.annotations) >= 4
    recip = result.figure("reciprocity")
    assert recip.layout.title.text
    assert recip.layout.xaxis.title.text and recip.layout.yaxis.title.text
    dots = [t for t in recip.data if t.mode == "markers"]
    xs = np.concatenate([np.asarray(t.x, dtype=float) for t in dots])
    given = np.concatenate([np.asarray(t.customdata, dtype=float)[:, 0] for t in dots])
    # Each dot sits near its real count + 1 (nudged by at most 20%, so a crowd shows) ...
    assert np.all(np.abs(np.log(xs / (given + 1))) <= 0.18 + 1e-9)
    assert len(np.unique(xs.round(6))) > len(np.unique(given))
    assert (given == 0).any()  # ... and people you never wrote to (0 + 1) are shown
    plan = give_first_plan(tsk.load_persona("ceramics")).figure()
    assert plan.layout.title.text and plan.layout.xaxis.title.text


# --------------------------------------------------------------------------- widgets


def test_post_checker_updates_as_the_text_changes():
    w = tsk.post_checker()
    assert w.result is None and "Type a post" in w.output.value
    w.text.value = "Buy my mugs https://shop.example #a #b #c #d"
    # no question, no mention, link after 3 words, 4 hashtags, no "you", a pitch
    assert w.result.passed == 0 and "0/6 checks passed" in w.output.value
    w.text.value = "@ana, what glaze would you try next?"
    assert w.result.passed == 6 and "6/6 checks passed" in w.output.value
    assert tsk.post_checker("#a #b", max_hashtags=1).result.table.loc["few_hashtags", "ok"] == False  # noqa: E712
    with pytest.raises(TypeError):
        tsk.post_checker(42)


def test_give_first_what_if_sliders_change_the_plan():
    net = plan_net()
    w = tsk.give_first_what_if(net, n=1)
    # as in test_give_first_plan_uses_tribe_by_default: the tribe's own layers decide
    expect = give_first_plan(net, n=10, max_layer=1500).table.index.tolist()
    assert w.result.table.index.tolist() == give_first_plan(net, n=1).table.index.tolist()
    w.layer_slider.value = 1500
    w.n_slider.value = 10
    assert w.result.table.index.tolist() == expect
    assert all(name in w.output.value for name in w.result.table["display_name"])
    assert f"{len(expect)} of 10 people" in w.output.value
    with pytest.raises(ValueError):
        tsk.give_first_what_if(net, max_layer=7)
