"""The sample personas: reproducible files, sizes, the patterns lessons rely on, loading."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from thinksmall_kit import OFFLINE, ROLES, Network, list_personas, load_persona
from thinksmall_kit.personas import persona_info

SHIPPED = ROOT / "data" / "personas"
NAMES = ["ceramics", "organiser"]
CONVERSATION = ["comment", "reply", "dm", "email", "call", "meeting"]
INTIMATE = ["dm", "email", "call", "meeting"]


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def in_conversation(i: pd.DataFrame) -> pd.Series:
    """Comments and replies received: someone answered."""
    return (i["direction"] == "in") & i["kind"].isin(["comment", "reply"])


def weeks(i: pd.DataFrame) -> float:
    return (i["timestamp"].max() - i["timestamp"].min()) / pd.Timedelta(weeks=1)


# --------------------------------------------------------------------------- files


def test_generator_reproduces_every_shipped_file(tmp_path):
    out = tmp_path / "personas"
    subprocess.run([sys.executable, str(ROOT / "data" / "make_personas.py"), "--out", str(out)],
                   check=True, capture_output=True, cwd=tmp_path)
    made, shipped = files(out), files(SHIPPED)
    assert sorted(made) == sorted(shipped), "the generator makes other files than are shipped"
    differ = [name for name in made if made[name] != shipped[name]]
    assert not differ, f"regenerated files differ from the shipped ones: {differ}"


def test_shipped_folder_is_small_and_complete():
    total = sum(len(b) for b in files(SHIPPED).values())
    assert total < 6_000_000, f"data/personas is {total / 1e6:.1f} MB"
    for name in list_personas():
        have = set(files(SHIPPED / name))
        assert {"platforms.csv", "contacts.csv", "interactions.csv.gz", "persona.json",
                "later/platforms.csv", "later/interactions.csv.gz"} == have, name


def test_list_personas():
    names = list_personas()
    assert names == sorted(names)
    assert set(NAMES) <= set(names)
    assert names == sorted(p.name for p in SHIPPED.iterdir() if (p / "persona.json").is_file())


@pytest.mark.parametrize("name", NAMES)
def test_persona_json(name):
    info = persona_info(name)
    text = (SHIPPED / name / "persona.json").read_text(encoding="utf-8")
    assert text == json.dumps(info, sort_keys=True, indent=2) + "\n"
    assert {"name", "title", "description", "as_of", "later_start", "later_end",
            "seed"} <= set(info)
    assert info["name"] == name and isinstance(info["seed"], int)
    net = load_persona(name)
    assert f"{net.period[1]:%Y-%m-%d}" == info["as_of"]
    as_of = pd.Timestamp(info["as_of"])
    assert pd.Timestamp(info["later_start"]) == as_of + pd.Timedelta(days=1)
    assert pd.Timestamp(info["later_end"]) == as_of + pd.Timedelta(days=28)


# --------------------------------------------------------------------------- shape


@pytest.mark.parametrize("name", NAMES)
def test_sizes_in_range(name):
    net = load_persona(name)
    months = (net.period[1] - net.period[0]) / pd.Timedelta(days=30.44)
    assert 12 <= len(net.platforms) <= 20
    assert 300 <= len(net.contacts) <= 1500
    assert 10_000 <= len(net.interactions) <= 60_000
    assert 12 <= months <= 18, months


def test_personas_differ_in_shape():
    ceramics, organiser = load_persona("ceramics"), load_persona("organiser")
    assert len(ceramics.platforms) > len(organiser.platforms)
    assert len(ceramics.contacts) > len(organiser.contacts)
    share = {n: net.interactions["kind"].isin(INTIMATE).mean()
             for n, net in (("ceramics", ceramics), ("organiser", organiser))}
    assert share["organiser"] > 2 * share["ceramics"], share


def test_every_role_and_kind_is_used():
    nets = [load_persona(n) for n in NAMES]
    roles = set().union(*(set(n.contacts["role"]) for n in nets))
    assert roles == set(ROLES)
    kinds = set().union(*(set(n.interactions["kind"]) for n in nets))
    assert {"post", "reply", "comment", "mention", "dm", "like", "share", "recommend",
            "email", "call", "meeting"} == kinds
    offline = nets[1].interactions
    assert set(offline.loc[offline["platform"] == OFFLINE, "kind"]) == {"email", "call",
                                                                        "meeting"}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("later", [False, True])
def test_contacts_seen_before_they_interact(name, later):
    net = load_persona(name, later=later)
    first = net.interactions.groupby("contact_id")["timestamp"].min()
    seen = net.contacts.set_index("contact_id")["first_seen"].reindex(first.index)
    assert seen.notna().all()
    assert (seen <= first).all(), first[seen > first].head()


@pytest.mark.parametrize("name", NAMES)
def test_daily_rhythm_and_texts(name):
    i = load_persona(name).interactions
    assert str(i["timestamp"].dt.tz) == "UTC"
    per_hour = np.bincount(i["timestamp"].dt.hour, minlength=24)
    night, day = per_hour[1:6].mean(), per_hour[9:21].mean()
    assert night < day / 3, per_hour
    likes = i["kind"] == "like"
    assert i.loc[likes, "text"].isna().all()
    spoken = i["kind"].isin(["post", "reply", "dm"])
    assert i.loc[spoken, "text"].notna().all()
    links = i["text"].fillna("").str.contains("https://", regex=False)
    assert (links == i["has_link"]).all()
    posts = i[i["kind"] == "post"]
    assert posts["contact_id"].isna().all() and (posts["direction"] == "out").all()
    assert i.loc[i["kind"] != "post", "contact_id"].notna().all()


# --------------------------------------------------------------------------- patterns


def test_ceramics_broadcasts_mostly_get_no_reply():
    i = load_persona("ceramics").interactions
    posts = i[i["kind"] == "post"]
    answered = posts["thread_id"].isin(i.loc[in_conversation(i), "thread_id"])
    assert (~answered).mean() > 0.6, f"only {(~answered).mean():.0%} of posts go unanswered"
    assert posts["is_promotional"].mean() > 0.5
    assert (posts["has_link"] & posts["is_promotional"]).mean() > 0.4


def first_out_messages(i: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """First messages (DM, e-mail) to people the persona wrote to first; all other out messages."""
    talk = i[i["kind"].isin(["dm", "email"])]
    first = talk.groupby("contact_id").head(1)
    opened = first[first["direction"] == "out"]
    rest = talk[(talk["direction"] == "out") & ~talk.index.isin(opened.index)]
    return opened, rest


def test_ceramics_first_messages_are_pitches():
    opened, rest = first_out_messages(load_persona("ceramics").interactions)
    assert len(opened) >= 50
    pitch = (opened["is_promotional"] & opened["has_link"]).mean()
    usual = (rest["is_promotional"] & rest["has_link"]).mean()
    assert pitch > 0.5 and pitch > 2 * usual, (pitch, usual)
    organiser, _ = first_out_messages(load_persona("organiser").interactions)
    assert (organiser["is_promotional"] & organiser["has_link"]).mean() < pitch / 2


@pytest.mark.parametrize("name", NAMES)
def test_strong_ties_going_quiet(name):
    i = load_persona(name).interactions
    start, end = i["timestamp"].min(), i["timestamp"].max()
    early = i[(i["timestamp"] < start + pd.DateOffset(months=9)) & i["kind"].isin(INTIMATE)]
    strongest = early["contact_id"].value_counts().head(20).index
    recent = set(i.loc[i["timestamp"] >= end - pd.Timedelta(days=60), "contact_id"].dropna())
    quiet = [c for c in strongest if c not in recent]
    assert len(quiet) >= 3, f"only {quiet} of the 20 strongest ties went quiet"
    # ... and the persona reaches out to some of them in the four weeks later.
    later = load_persona(name, later=True).interactions
    after = later[later["timestamp"] > end]
    assert after.loc[after["direction"] == "out", "contact_id"].isin(quiet).any()


def test_ceramics_echo_chamber_of_peers():
    net = load_persona("ceramics")
    i = net.interactions
    talk = i[i["thread_id"].notna() & i["kind"].isin(["comment", "reply", "mention"])]
    pairs = talk[["thread_id", "contact_id"]].drop_duplicates()
    incidence = pd.crosstab(pairs["thread_id"], pairs["contact_id"]).to_numpy()
    together = incidence.T @ incidence
    np.fill_diagonal(together, 0)
    people = pd.crosstab(pairs["thread_id"], pairs["contact_id"]).columns
    top = np.argsort(-together.sum(axis=1), kind="stable")[:15]
    roles = net.contacts.set_index("contact_id")["role"]
    assert (roles[people[top]] == "peer").mean() >= 0.8
    inside = together[np.ix_(top, top)].sum() / (len(top) * (len(top) - 1))
    overall = together.sum() / (len(people) * (len(people) - 1))
    assert inside > 20 * overall, (inside, overall)


def platform_returns(net: Network) -> pd.DataFrame:
    i = net.interactions
    span = weeks(i)
    table = net.platforms.set_index("platform")[["followers", "minutes_per_week"]].copy()
    table["posts"] = i[i["kind"] == "post"].groupby("platform").size()
    table["answers"] = i[in_conversation(i)].groupby("platform").size()
    table["talk"] = i[i["contact_id"].notna() & i["kind"].isin(CONVERSATION)].groupby(
        "platform").size()
    table = table.fillna(0)
    table["answers_per_post"] = table["answers"] / table["posts"].where(table["posts"] > 0)
    hours = table["minutes_per_week"] * span / 60
    table["talk_per_hour"] = table["talk"] / hours.where(hours > 0)
    return table


@pytest.mark.parametrize("name", NAMES)
def test_many_followers_almost_no_replies(name):
    table = platform_returns(load_persona(name))
    biggest = table["followers"].idxmax()
    assert table.loc[biggest, "posts"] >= 50
    assert table.loc[biggest, "answers_per_post"] < 0.1 * table["answers_per_post"].max()


@pytest.mark.parametrize("name", NAMES)
def test_time_sinks(name):
    table = platform_returns(load_persona(name))
    heavy = table.nlargest(3, "minutes_per_week")
    median = table["talk_per_hour"].median()
    sinks = heavy[heavy["talk_per_hour"] < median / 5]
    assert len(sinks) >= 1, table[["minutes_per_week", "talk_per_hour"]]


def test_organiser_talks_both_ways():
    def two_way(name):
        i = load_persona(name).interactions
        threads = i[i["kind"].isin(["dm", "email"])].groupby("thread_id")["direction"].nunique()
        return (threads == 2).mean()

    assert two_way("organiser") > 0.6
    assert two_way("organiser") > two_way("ceramics") + 0.1


# --------------------------------------------------------------------------- four weeks later


def two_way_per_week(i: pd.DataFrame) -> float:
    """Contacts a week with whom the persona both spoke and listened."""
    talk = i[i["contact_id"].notna() & i["kind"].isin(CONVERSATION)]
    week = (talk["timestamp"] - talk["timestamp"].min()) // pd.Timedelta(weeks=1)
    both = talk.groupby([week, talk["contact_id"]])["direction"].nunique() == 2
    return both.groupby(level=0).sum().mean()


@pytest.mark.parametrize("name", NAMES)
def test_four_weeks_later(name):
    info = persona_info(name)
    before, later = load_persona(name), load_persona(name, later=True)
    end = before.period[1]
    assert later.contacts.equals(before.contacts)
    old = later.interactions[later.interactions["timestamp"] <= end]
    assert old.reset_index(drop=True).equals(before.interactions)
    new = later.interactions[later.interactions["timestamp"] > end]
    lo = pd.Timestamp(info["later_start"], tz="UTC")
    hi = pd.Timestamp(info["later_end"], tz="UTC") + pd.Timedelta(days=1)
    assert new["timestamp"].min() >= lo and new["timestamp"].max() < hi
    assert (new["timestamp"].max() - new["timestamp"].min()) > pd.Timedelta(days=25)

    # Same accounts, new weekly minutes; nothing done on a cut platform.
    cols = ["platform", "handle", "followers"]
    assert later.platforms[cols].equals(before.platforms[cols])
    cut = set(later.platforms.loc[later.platforms["minutes_per_week"] == 0, "platform"])
    assert cut and not new["platform"].isin(cut).any()
    assert later.platforms["minutes_per_week"].sum() < before.platforms["minutes_per_week"].sum()

    # More two-way conversation a week, on fewer platforms, than the four weeks before.
    recent = before.interactions[before.interactions["timestamp"] > end - pd.Timedelta(weeks=4)]
    assert two_way_per_week(new) > 1.3 * two_way_per_week(recent)

    def active(i):
        return i.loc[(i["direction"] == "out") & (i["platform"] != OFFLINE), "platform"].nunique()

    assert active(new) < active(recent)


# --------------------------------------------------------------------------- loading


def test_unknown_name_lists_the_choices():
    with pytest.raises(ValueError, match="choose one of") as err:
        load_persona("ceramic")
    assert str(err.value) == ("no persona named 'ceramic'; choose one of: "
                              + ", ".join(list_personas()))


@pytest.mark.parametrize("wrong", [pd.DataFrame({"a": [1]}), 3])
def test_wrong_type_says_it_takes_a_name(wrong):
    with pytest.raises(TypeError, match="load_persona takes a name such as 'ceramics'"):
        load_persona(wrong)


def test_network_instead_of_name():
    with pytest.raises(TypeError, match="not a Network"):
        load_persona(load_persona("organiser"))


def test_learner_cannot_corrupt_the_cache():
    fresh = Network.from_folder(SHIPPED / "ceramics")
    net = load_persona("ceramics")
    net.interactions.loc[0, "text"] = "changed"
    net.interactions["kind"] = "like"
    net.contacts.loc[0, "role"] = "fan"
    net.contacts["display_name"] = net.contacts["display_name"].str.upper()
    del net.platforms["purpose"]
    net.platforms.loc[0, "followers"] = 0
    net.contacts["role"].array[1] = "vendor"
    net.interactions.pop("has_link")
    again = load_persona("ceramics")
    assert again == fresh
    assert again.interactions is not load_persona("ceramics").interactions


# --------------------------------------------------------------------------- installed wheel


@pytest.mark.slow
def test_personas_load_from_an_installed_wheel(tmp_path):
    # hatchling comes with the [test] extra, so the build needs no network
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
             "-w", str(tmp_path / "dist"), str(ROOT)]
    made = subprocess.run(build, capture_output=True, text=True, cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    (wheel,) = (tmp_path / "dist").glob("thinksmall_kit-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    for shipped in ("thinksmall_kit/_personas/ceramics/interactions.csv.gz",
                    "thinksmall_kit/_personas/organiser/later/platforms.csv",
                    "thinksmall_kit/py.typed", "thinksmall_kit/_lab/overrides.json",
                    "thinksmall_kit/_samples/x-archive.zip"):
        assert shipped in names
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(site),
                    str(wheel)], check=True, capture_output=True, cwd=tmp_path)
    code = ("import thinksmall_kit; from thinksmall_kit import personas; "
            "print(thinksmall_kit.__file__); print(personas._root()); "
            "print(thinksmall_kit.load_persona('ceramics'))")
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    module, root, shown = out.stdout.splitlines()
    assert Path(module).resolve().is_relative_to(site.resolve())
    assert Path(root).resolve() == (site / "thinksmall_kit" / "_personas").resolve()
    assert shown == repr(load_persona("ceramics"))
