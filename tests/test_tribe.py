"""Tie strength, layers, cadence, concentration, figures and the role-tagging widget.

Expected values are computed here from the formulas in the docstring of
``tribe`` on small hand-built networks, never copied from the function's output.
"""

from __future__ import annotations

import cProfile
import math
import pstats
import time

import numpy as np
import pandas as pd
import pytest

from thinksmall_kit import DataError, Network, WorkspaceError, load_persona, open_workspace
from thinksmall_kit.tribe import DEFAULT_CADENCE, DEFAULT_WEIGHTS, LAYERS, tag_roles, tribe

T0 = pd.Timestamp("2025-01-01", tz="UTC")


def ev(day, contact, direction="in", kind="comment", thread=None, platform="instagram"):
    """One interaction ``day`` days after T0."""
    if kind in ("email", "call", "meeting"):
        platform = "offline"
    return {"timestamp": T0 + pd.Timedelta(days=day), "platform": platform,
            "contact_id": contact, "direction": direction, "kind": kind, "thread_id": thread}


def make(events, contacts, roles=None, first_seen=None):
    cdf = pd.DataFrame({"contact_id": contacts})
    if roles is not None:
        cdf["role"] = roles
    if first_seen is not None:
        cdf["first_seen"] = first_seen
    inter = pd.DataFrame(events) if events else None
    return Network(platforms=pd.DataFrame({"platform": ["instagram"]}), contacts=cdf,
                   interactions=inter)


# --------------------------------------------------------------------------- each part


def test_each_part_matches_its_formula():
    events = [ev(0, "ana", "out", "dm", "d1"), ev(1, "ana", "in", "dm", "d1"),
              ev(2, "ana", "in", "like"), ev(3, "ana", "in", "like"),
              ev(10, "ben", "out", "comment"), ev(40, "ben", "in", "call"),
              ev(50, None, "out", "post", "p1")]  # a broadcast: nobody's tie
    net = make(events, ["ana", "ben", "cat"])
    t = tribe(net, tau_days=30, frequency_scale=4, duration_days=100).table
    as_of = T0 + pd.Timedelta(days=50)  # the last interaction, the broadcast
    a, b = t.loc["ana"], t.loc["ben"]
    assert (a["n_in"], a["n_out"], b["n_in"], b["n_out"]) == (3, 1, 1, 1)
    assert a["last_contact"] == T0 + pd.Timedelta(days=3)
    assert a["days_since"] == pytest.approx(47)
    assert a["recency"] == pytest.approx(math.exp(-47 / 30))
    # ana: 2 DMs (weight 1) + 2 likes (weight 0.25) = 2.5 weighted interactions
    assert a["frequency"] == pytest.approx(1 - math.exp(-2.5 / 4))
    assert a["reciprocity"] == pytest.approx(1 / 3)
    assert a["intimacy"] == pytest.approx(2 / 2.5)
    assert a["duration"] == pytest.approx(1 - math.exp(-50 / 100))  # known since day 0
    assert b["reciprocity"] == 1.0
    assert b["intimacy"] == pytest.approx(0.5)
    assert b["duration"] == pytest.approx(1 - math.exp(-40 / 100))
    w = DEFAULT_WEIGHTS
    expect = sum(w[k] * a[k] for k in w) / sum(w.values())
    assert a["strength"] == pytest.approx(expect)
    assert tribe(net).as_of == as_of


def test_one_way_ties_have_no_reciprocity():
    net = make([ev(0, "inbound", "in"), ev(1, "inbound", "in"), ev(2, "outbound", "out")],
               ["inbound", "outbound"])
    t = tribe(net).table
    assert t.loc["inbound", "reciprocity"] == 0.0
    assert t.loc["outbound", "reciprocity"] == 0.0
    assert (t.loc["inbound", "n_in"], t.loc["inbound", "n_out"]) == (2, 0)
    assert (t.loc["outbound", "n_in"], t.loc["outbound", "n_out"]) == (0, 1)


def test_contact_without_interactions_is_outside_every_layer():
    net = make([ev(0, "ana", "out", "dm")], ["ana", "zed"])
    t = tribe(net).table
    z = t.loc["zed"]
    assert pd.isna(z["layer"]) and z["status"] == "none"
    assert z["strength"] == 0 and math.isnan(z["days_since"]) and pd.isna(z["last_contact"])
    assert pd.isna(z["first_contact"]) and pd.isna(z["due"])
    assert t.index.tolist() == ["ana", "zed"] and t["rank"].tolist() == [1, 2]
    assert str(t["layer"].dtype) == "Int64"


def test_first_seen_lengthens_duration():
    net = make([ev(0, "ana", "in")], ["ana"], first_seen=[T0 - pd.Timedelta(days=200)])
    assert tribe(net, duration_days=100).table.loc["ana", "duration"] == pytest.approx(
        1 - math.exp(-200 / 100))


def test_likes_weigh_little_and_kind_weights_can_change():
    net = make([ev(0, "ana", "out", "dm")] + [ev(1, "ana", "in", "like")] * 4, ["ana"])
    assert tribe(net).table.loc["ana", "intimacy"] == pytest.approx(1 / (1 + 4 * 0.25))
    assert tribe(net, kind_weights={"like": 1}).table.loc["ana", "intimacy"] == \
        pytest.approx(1 / 5)


def test_weights_are_merged_and_normalised():
    net = make([ev(0, "ana", "out", "dm"), ev(5, "ben", "in", "like")], ["ana", "ben"])
    t = tribe(net, weights={"recency": 0, "frequency": 0, "reciprocity": 0,
                            "duration": 0, "intimacy": 2}).table
    assert t.loc["ana", "strength"] == pytest.approx(1.0)
    assert t.loc["ben", "strength"] == 0.0
    only_recency = tribe(net, weights=dict.fromkeys(
        ["frequency", "reciprocity", "duration", "intimacy"], 0)).table
    assert only_recency.loc["ben", "strength"] == pytest.approx(1.0)  # ben is the latest


# --------------------------------------------------------------------------- rank and layers


def test_ties_broken_by_last_contact_then_contact_id():
    # Only frequency counts: everyone with one comment has the same strength.
    events = [ev(1, "bo", "in"), ev(3, "al", "in"), ev(3, "cy", "in"), ev(2, "di", "in")]
    net = make(events, ["di", "cy", "bo", "al"])
    w = {"recency": 0, "reciprocity": 0, "duration": 0, "intimacy": 0, "frequency": 1}
    t = tribe(net, weights=w).table
    assert t["strength"].nunique() == 1
    assert t.index.tolist() == ["al", "cy", "di", "bo"]  # latest first, then by id
    assert t["rank"].tolist() == [1, 2, 3, 4]
    # The same answer whatever the order of the contacts table.
    net2 = make(events, ["al", "bo", "cy", "di"])
    assert tribe(net2, weights=w).table.index.tolist() == t.index.tolist()


def test_layers_are_cut_on_the_rank():
    # Contact k has k comments: more comments, stronger tie; all on the same day.
    n = 60
    events = [ev(0, f"c{k:02d}", "in") for k in range(1, n + 1) for _ in range(k)]
    net = make(events, [f"c{k:02d}" for k in range(1, n + 1)])
    t = tribe(net).table
    assert t.index[0] == f"c{n:02d}"
    expected = [5] * 5 + [15] * 10 + [50] * 35 + [150] * 10
    assert t["layer"].tolist() == expected
    layers = tribe(net).layers
    assert layers["layer"].tolist() == [5, 15, 50, 150]
    assert layers["size"].tolist() == [5, 10, 35, 10]
    assert layers["cumulative"].tolist() == [5, 15, 50, 60]
    assert layers["unknown"].sum() == n


# --------------------------------------------------------------------------- cadence


def test_status_follows_the_layer_cadence_and_any_interaction_resets_it():
    # Five contacts last seen 3, 10, 20 days before as_of (layer 5: 7 ideal, 14 max).
    events = [ev(30 - d, c, "in", "like") for c, d in (("a", 3), ("b", 10), ("c", 20))]
    events.append(ev(30, "a", "out", "comment"))  # sets as_of at day 30
    net = make(events, ["a", "b", "c"])
    t = tribe(net).table
    assert t["layer"].tolist() == [5, 5, 5]
    assert t.loc[["a", "b", "c"], "status"].tolist() == ["green", "yellow", "red"]
    assert t.loc["b", "ideal_days"] == DEFAULT_CADENCE[5][0]
    assert t.loc["b", "due"] == T0 + pd.Timedelta(days=20 + 7)


def test_cadence_overrides_contact_beats_role_beats_layer():
    events = [ev(0, "a", "in"), ev(0, "b", "in"), ev(0, "c", "in"), ev(20, "d", "in")]
    net = make(events, ["a", "b", "c", "d"], roles=["customer", "customer", "fan", "fan"])
    t = tribe(net, cadence={5: (10, 15)}, role_cadence={"customer": (25, 40)},
              contact_cadence={"b": (1, 2)}).table
    assert (t.loc["a", "ideal_days"], t.loc["a", "max_days"]) == (25, 40)
    assert t.loc["a", "status"] == "green"
    assert (t.loc["b", "ideal_days"], t.loc["b", "status"]) == (1, "red")
    assert (t.loc["c", "ideal_days"], t.loc["c", "status"]) == (10, "red")
    assert t.loc["d", "status"] == "green"
    table = pd.DataFrame({"contact_id": ["c"], "ideal_days": [30], "max_days": [60]})
    assert tribe(net, contact_cadence=table).table.loc["c", "status"] == "green"


def test_as_of_ignores_later_interactions():
    net = make([ev(0, "a", "out", "dm"), ev(10, "a", "in", "dm"), ev(20, "b", "in")],
               ["a", "b"])
    t = tribe(net, as_of=T0 + pd.Timedelta(days=5)).table
    assert t.loc["a", "n_in"] == 0 and t.loc["a", "days_since"] == pytest.approx(5)
    assert pd.isna(t.loc["b", "layer"])
    assert tribe(net, as_of="2025-01-06").as_of == T0 + pd.Timedelta(days=5)


def test_losing_touch_lists_red_before_yellow_strongest_first():
    events = []
    for name, days_ago, count in (("red_strong", 40, 6), ("red_weak", 40, 2),
                                  ("yellow", 10, 8), ("green", 1, 1)):
        events += [ev(100 - days_ago, name, "in", "dm")] * count
    events.append(ev(100, None, "out", "post", "p"))
    net = make(events, ["red_strong", "red_weak", "yellow", "green"])
    late = tribe(net).losing_touch()
    assert late.index.tolist() == ["red_strong", "red_weak", "yellow"]
    assert late.loc["yellow", "days_overdue"] == pytest.approx(10 - 7)
    assert tribe(net).losing_touch(1).index.tolist() == ["red_strong"]


# --------------------------------------------------------------------------- concentration


def test_concentration_measures_by_hand():
    # ana 6 interactions, ben 3, cat 1: shares .6, .3, .1
    events = ([ev(0, "ana", "in")] * 6 + [ev(0, "ben", "in")] * 3 + [ev(0, "cat", "out")])
    net = make(events, ["ana", "ben", "cat", "dan"], roles=["customer", "customer", "peer",
                                                            "unknown"])
    c = tribe(net).concentration
    hhi = 0.6**2 + 0.3**2 + 0.1**2
    assert c.partners == 3
    assert c.hhi == pytest.approx(hhi)
    assert c.hhi_normalised == pytest.approx((hhi - 1 / 3) / (1 - 1 / 3))
    assert c.effective_partners == pytest.approx(1 / hhi)
    assert c.role_entropy == pytest.approx(-(0.9 * math.log2(0.9) + 0.1 * math.log2(0.1)))
    assert c.untagged_share == 0
    assert c.cluster_size == 0 and "no closed circle" in c.reading
    assert "3 people" in c.reading
    # The table: every number once, and every share says what it is a share of.
    table = c.table
    assert table.loc["hhi", "value"] == pytest.approx(hhi)
    assert table.loc["partners", "value"] == 3
    assert table["value"].drop(["role_entropy", "role_entropy_normalised"]).notna().all()
    assert "tagged contacts only" in table.loc["role_entropy", "what it is"]
    for share in ("untagged_share", "cluster_share"):
        assert "share of all your interactions" in table.loc[share, "what it is"]


def test_cluster_from_shared_threads_leaves_own_posts_out():
    events = []
    # my post p1: everyone comments under it (an audience, not a circle)
    events += [ev(0, None, "out", "post", "p1")]
    events += [ev(1, c, "in", "comment", "p1") for c in ("a", "b", "c", "d", "e")]
    # a, b, c meet in two threads of someone else's
    for thread in ("x1", "x2"):
        events += [ev(2, c, "in", "comment", thread) for c in ("a", "b", "c")]
    events += [ev(3, "d", "in", "comment", "x3"), ev(3, "e", "in", "comment", "x3")]  # once
    net = make(events, list("abcde"), roles=["peer", "peer", "fan", "customer", "customer"])
    c = tribe(net).concentration
    assert sorted(c.cluster_members) == ["a", "b", "c"]
    # a, b, c: 3 interactions each; d, e: 2 each; 13 in all
    assert c.cluster_share == pytest.approx(9 / 13)
    assert c.cluster_roles == {"peer": 2, "fan": 1}
    with_own = tribe(net, include_own_threads=True, min_shared_threads=1).concentration
    assert with_own.cluster_size == 5
    edges = tribe(net).edges
    assert set(map(tuple, edges[["a", "b"]].to_numpy())) == {("a", "b"), ("a", "c"),
                                                             ("b", "c")}
    assert (edges["shared_threads"] == 2).all()


def test_ceramics_echo_chamber_is_its_peer_circle():
    net = load_persona("ceramics")
    tr = tribe(net)
    peers = set(net.contacts.loc[net.contacts["role"] == "peer", "contact_id"])
    members = set(tr.concentration.cluster_members)
    assert len(members) >= 15 and members <= peers
    counts = tr.table["n_in"] + tr.table["n_out"]
    assert tr.concentration.cluster_share == pytest.approx(
        counts.loc[list(members)].sum() / counts.sum())
    assert "peer" in tr.concentration.reading
    assert tribe(load_persona("organiser")).concentration.cluster_size == 0


def test_empty_network_and_network_without_contacts():
    t = tribe(Network())
    assert len(t.table) == 0 and t.as_of is None and t.concentration.partners == 0
    assert t.losing_touch().empty
    quiet = tribe(make([], ["ana"]))
    assert quiet.table.loc["ana", "status"] == "none"
    assert "nothing to measure" in quiet.concentration.reading
    for kind in ("rings", "roles", "network"):
        assert quiet.figure(kind).layout.title.text


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("kwargs", "error", "words"), [
    ({"weights": {"recencey": 1}}, DataError, "did you mean 'recency'"),
    ({"weights": {"recency": -1}}, DataError, ">= 0"),
    ({"weights": dict.fromkeys(["recency", "frequency", "reciprocity", "duration",
                                "intimacy"], 0)}, DataError, "all five are 0"),
    ({"weights": [0.3]}, TypeError, "dict"),
    ({"tau_days": 0}, DataError, "> 0"),
    ({"tau_days": float("nan")}, DataError, "finite"),
    ({"tau_days": "ninety"}, TypeError, "number"),
    ({"cadence": {7: (1, 2)}}, DataError, "not a layer"),
    ({"cadence": {5: (30, 10)}}, DataError, "shorter than the ideal"),
    ({"cadence": {5: 7}}, TypeError, "(ideal_days, max_days)"),
    ({"role_cadence": {"clients": (7, 14)}}, DataError, "not a role"),
    ({"contact_cadence": {"anna": (7, 14)}}, DataError, "did you mean 'ana'"),
    ({"contact_cadence": pd.DataFrame({"contact_id": ["ana"]})}, DataError, "lacks"),
    ({"kind_weights": {"likes": 0.1}}, DataError, "did you mean 'like'"),
    ({"as_of": "yesterday-ish"}, DataError, "not a date"),
    ({"min_shared_threads": 0}, TypeError, ">= 1"),
    # lists where a dict is expected name the argument and show the form
    ({"cadence": [(7, 14)]}, TypeError, "cadence: expected a dict such as {5: (7, 14)}"),
    ({"role_cadence": [("customer", (7, 14))]}, TypeError,
     "role_cadence: expected a dict such as {'customer': (30, 60)}"),
    ({"kind_weights": [1]}, TypeError, "kind_weights: expected a dict such as {'like': 0.5}"),
    ({"include_own_threads": "no"}, TypeError, "include_own_threads: expected True or False"),
    # a number is not a date (pandas would read 2025 as nanoseconds after 1970)
    ({"as_of": 2025}, TypeError, "2025 is a number, not a date"),
    ({"as_of": np.int64(20251201)}, TypeError, "20251201 is a number, not a date"),
    ({"as_of": 2025.0}, TypeError, "is a number, not a date"),
    ({"as_of": True}, TypeError, "not a date"),
])
def test_bad_arguments_say_what_to_do(kwargs, error, words):
    net = make([ev(0, "ana", "in")], ["ana"])
    with pytest.raises(error, match=None) as info:
        tribe(net, **kwargs)
    assert words in str(info.value)


def test_wrong_types():
    with pytest.raises(TypeError, match="expected a Network"):
        tribe(load_persona("ceramics").interactions)
    tr = tribe(make([ev(0, "ana", "in")], ["ana"]))
    with pytest.raises(ValueError, match="did you mean 'rings'"):
        tr.figure("ring")
    with pytest.raises(TypeError, match="n must be"):
        tr.losing_touch(-1)


# --------------------------------------------------------------------------- figures


def test_figures_have_titles_axes_and_webgl():
    tr = tribe(load_persona("organiser"))
    rings = tr.figure("rings")
    # The rings are explained in the title (an axis title would sit on the ring labels).
    assert rings.layout.title.text and "ring labels: people within" in rings.layout.title.text
    assert {t.type for t in rings.data} == {"scatterpolargl"}
    roles = tr.figure("roles")
    assert roles.layout.xaxis.title.text and roles.layout.yaxis.title.text
    assert sum(sum(t.y) for t in roles.data) == tr.table["layer"].notna().sum()
    assert roles.layout.barnorm == "percent"
    network = tr.figure("network")
    assert {t.type for t in network.data} == {"scattergl"}
    assert network.layout.title.text


def synthetic(n_contacts: int, n_events: int, seed: int = 0) -> Network:
    """A large random network, made vectorised (no loop over rows)."""
    rng = np.random.default_rng(seed)
    ids = np.char.add("c", np.arange(n_contacts).astype(str)).astype(object)
    roles = np.asarray(["customer", "fan", "peer", "unknown", "partner"],
                       dtype=object)[rng.integers(0, 5, n_contacts)]
    who = (rng.zipf(1.3, n_events) - 1) % n_contacts
    who[:n_contacts] = np.arange(n_contacts)  # everyone at least once
    seconds = rng.integers(0, 365 * 86_400, n_events)
    kinds = np.asarray(["like", "comment", "dm", "reply", "email", "post"],
                       dtype=object)[rng.integers(0, 6, n_events)]
    contact = ids[who].copy()
    contact[kinds == "post"] = None
    thread = np.char.add("t", rng.integers(0, n_events // 8, n_events).astype(str))
    inter = pd.DataFrame({
        "timestamp": T0 + pd.to_timedelta(seconds, unit="s"),
        "platform": np.where(kinds == "email", "offline", "instagram"),
        "contact_id": contact, "direction": np.where(rng.random(n_events) < 0.5, "in", "out"),
        "kind": kinds, "thread_id": thread.astype(object)})
    return Network(platforms=pd.DataFrame({"platform": ["instagram"]}),
                   contacts=pd.DataFrame({"contact_id": ids, "role": roles}),
                   interactions=inter)


def test_network_figure_stays_small_at_5000_contacts():
    tr = tribe(synthetic(5_000, 40_000))
    assert (tr.table["n_in"] + tr.table["n_out"] > 0).sum() > 4_500
    fig = tr.figure("network")
    size = len(fig.to_json())
    assert size <= 1_500_000, f"network figure JSON is {size:,} bytes"
    lines = [t for t in fig.data if t.mode == "lines"]
    assert len(lines) <= 1  # all edges in one trace, None-separated
    assert sum(len(t.x) for t in fig.data if t.mode == "markers") >= 4_000


# --------------------------------------------------------------------------- the widget


def test_tag_roles_saves_each_click_at_once():
    net = load_persona("organiser")
    with open_workspace() as ws:
        ws.save_network(net)
        tr = tribe(net)
        tagger = tag_roles(tr, ws, limit=3)
        first, second, third = tr.table.index[:3]
        assert tagger.current == first and "rank 1" in tagger.card.value
        tagger.buttons["partner"].click()
        assert ws.role_tags().set_index("contact_id")["role"].to_dict() == {first: "partner"}
        tagger.skip.click()
        tagger.buttons["vendor"].click()
        tags = ws.role_tags().set_index("contact_id")["role"].to_dict()
        assert tags == {first: "partner", third: "vendor"} and second not in tags
        assert tagger.current is None and "All done" in tagger.card.value
        assert all(b.disabled for b in tagger.buttons.values())
        assert "unknown" not in tagger.buttons
        # Already tagged contacts are not asked again; the next untagged come first.
        again = tag_roles(net, ws, limit=2)
        assert again.queue == [second, tr.table.index[3]]
        # The tags reach the network every later lesson loads.
        assert ws.load_network().contacts.set_index("contact_id").loc[third, "role"] == "vendor"


def test_tag_roles_only_unknown_and_bad_input():
    net = load_persona("ceramics")
    with open_workspace() as ws:
        with pytest.raises(WorkspaceError, match="save_network"):
            tag_roles(net, ws)
        ws.save_network(make([ev(0, "ana", "in")], ["ana"]))
        with pytest.raises(DataError, match="not in the network saved"):
            tag_roles(net, ws)
        ws.save_network(net)
        tagger = tag_roles(net, ws, limit=5, only_unknown=True)
        roles = net.contacts.set_index("contact_id").loc[tagger.queue, "role"]
        assert len(tagger.queue) == 5 and (roles == "unknown").all()
        with pytest.raises(TypeError, match="Workspace"):
            tag_roles(net, "workspace.sqlite")
        with pytest.raises(TypeError, match="Network or a Tribe"):
            tag_roles(net.contacts, ws)


# --------------------------------------------------------------------------- scale


@pytest.mark.slow
def test_a_million_interactions_without_a_loop_over_rows():
    n_events = 1_000_000
    net = synthetic(50_000, n_events)
    start = time.perf_counter()
    profiler = cProfile.Profile()
    profiler.enable()
    tr = tribe(net)
    profiler.disable()
    seconds = time.perf_counter() - start
    calls = pstats.Stats(profiler).total_calls
    print(f"\ntribe on 50,000 contacts and 1,000,000 interactions: {seconds:.2f} s "
          f"(profiled), {calls:,} Python calls")
    # A Python loop over the rows would make at least one call per row.
    assert calls < n_events // 2
    assert len(tr.table) == 50_000 and tr.table["layer"].notna().sum() == LAYERS[-1]
    expected = pd.Series(net.interactions["contact_id"]).value_counts()
    counts = (tr.table["n_in"] + tr.table["n_out"])
    assert counts.loc[expected.index[:50]].tolist() == expected.iloc[:50].tolist()
