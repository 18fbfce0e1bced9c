"""read_export: recognition, the samples, safety, bad input, combining, the CSV template."""

from __future__ import annotations

import contextlib
import io
import random
import re
import tarfile
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from _exports import make_samples_module, read_members, write_folder, write_tar_gz, write_zip
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import thinksmall_kit as tsk
from thinksmall_kit import SCHEMA, DataError, Network
from thinksmall_kit.importers import FORMATS, detect_format, sample_path
from thinksmall_kit.importers._common import Progress

SAMPLES = {"x": "x", "linkedin": "linkedin", "mastodon": "mastodon", "bluesky": "bluesky",
           "bluesky-json": "bluesky", "instagram": "instagram", "facebook": "facebook",
           "csv": "csv"}


# --------------------------------------------------------------------------- the samples


@pytest.mark.parametrize(("sample", "fmt"), SAMPLES.items())
def test_every_sample_is_recognised_and_read(sample, fmt):
    path = sample_path(sample)
    assert detect_format(path) == fmt
    net = tsk.read_export(path, progress=False)
    assert isinstance(net, Network) and len(net) > 0
    platform = net.platforms.loc[0, "platform"]
    if fmt != "csv":
        assert platform == fmt
        assert net.contacts["contact_id"].str.startswith(f"{fmt}:").all()
        assert (net.interactions["platform"] == fmt).all()


def test_samples_are_reproducible_and_small(tmp_path):
    ms = make_samples_module()
    ms.main(tmp_path / "samples")
    ours = sorted(p.relative_to(tmp_path / "samples") for p in (tmp_path / "samples").rglob("*")
                  if p.is_file())
    committed = ROOT / "data" / "samples"
    for rel in ours:
        assert (tmp_path / "samples" / rel).read_bytes() == (committed / rel).read_bytes(), (
            f"data/samples/{rel} differs from what data/make_samples.py makes: run it again")
    total = sum((committed / rel).stat().st_size for rel in ours)
    assert total < 1_000_000


def test_samples_hold_only_invented_people():
    # The X sample's users are the invented ones of the generator, nobody else.
    ms = make_samples_module()
    invented = {f"x:{p[0]}" for p in ms.PEOPLE}
    net = tsk.read_export(sample_path("x"), progress=False)
    assert set(net.contacts["contact_id"]) <= invented


def test_blank_template_matches_the_schema():
    folder = ROOT / "data" / "template"
    for table, columns in SCHEMA.items():
        header = (folder / f"{table}.csv").read_text(encoding="utf-8").strip()
        assert header.split(",") == list(columns)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for columns in SCHEMA.values():
        for name in columns:
            assert f"`{name}`" in readme
    from thinksmall_kit.importers.csv_template import template_readme

    assert readme == template_readme(), "data/template is stale: run data/make_samples.py"


# --------------------------------------------------------------------------- the CSV template


def test_template_with_only_interactions(tmp_path):
    path = tmp_path / "interactions.csv"
    path.write_text("timestamp,platform,contact_id,direction,kind\n"
                    "2025-03-01T10:00:00+01:00,newsletter,ana,in,reply\n"
                    "2025-03-02T10:00:00+00:00,offline,ana,out,call\n", encoding="utf-8")
    net = tsk.read_export(path, progress=False)
    assert net.platforms["platform"].tolist() == ["newsletter"]
    assert net.contacts["contact_id"].tolist() == ["ana"]
    assert net.interactions["timestamp"].iloc[0] == pd.Timestamp("2025-03-01 09:00", tz="UTC")


def test_template_reads_a_date_alone_as_midday_utc(tmp_path):
    """By hand, people write dates: 2025-03-01 is that day; a time without a zone is not."""
    path = tmp_path / "interactions.csv"
    path.write_text("timestamp,platform,contact_id,direction,kind\n"
                    "2025-03-01,offline,ana,out,call\n"
                    " 2025-03-02 ,offline,ana,in,email\n", encoding="utf-8")
    (tmp_path / "contacts.csv").write_text("contact_id,role,first_seen\nana,customer,2024-06-01\n")
    net = tsk.read_export(tmp_path, progress=False)
    assert net.interactions["timestamp"].tolist() == [
        pd.Timestamp("2025-03-01 12:00", tz="UTC"), pd.Timestamp("2025-03-02 12:00", tz="UTC")]
    assert net.contacts.loc[0, "first_seen"] == pd.Timestamp("2024-06-01 12:00", tz="UTC")
    path.write_text("timestamp,platform,contact_id,direction,kind\n"
                    "2025-03-01 10:00,offline,ana,out,call\n", encoding="utf-8")
    with pytest.raises(DataError, match="without a time zone"):
        tsk.read_export(tmp_path, progress=False)


def test_template_errors_name_the_file(tmp_path):
    folder = write_folder(tmp_path / "mine", {
        "interactions.csv": "timestamp,platform,contact_id,direction,kind\n"
                            "2025-03-01T10:00:00+00:00,blog,ana,sideways,reply\n"})
    with pytest.raises(DataError, match=r"interactions\.csv: interactions\.direction"):
        tsk.read_csv_template(folder, progress=False)
    (folder / "interactions.csv").write_text("when,who\n1,2\n")
    with pytest.raises(DataError, match=r"interactions\.csv, line 1 \(the header\)"):
        tsk.read_csv_template(folder, progress=False)


# --------------------------------------------------------------------------- recognition


def test_unknown_empty_and_missing_inputs(tmp_path):
    odd = tmp_path / "notes.txt"
    odd.write_text("hello")
    with pytest.raises(DataError, match="not an export the kit recognises"):
        tsk.read_export(odd, progress=False)
    empty = write_zip(tmp_path / "empty.zip", {})
    with pytest.raises(DataError, match=r"empty\.zip.*no files"):
        tsk.read_export(empty, progress=False)
    (tmp_path / "nothing").mkdir()
    with pytest.raises(DataError, match="not an export"):
        tsk.read_export(tmp_path / "nothing", progress=False)
    with pytest.raises(DataError, match="no such file"):
        tsk.read_export(tmp_path / "missing.zip", progress=False)
    with pytest.raises(TypeError, match="path of your export"):
        tsk.read_export(42, progress=False)
    with pytest.raises(DataError, match="no format called 'tiktok'"):
        tsk.read_export(odd, platform="tiktok")


def test_a_file_from_another_platform(tmp_path):
    with pytest.raises(DataError, match=r"holds no outbox\.json"):
        tsk.read_mastodon(sample_path("linkedin"), progress=False)
    with pytest.raises(DataError, match="holds none of the Facebook files"):
        tsk.read_facebook(sample_path("x"), progress=False)


def test_effort_and_fit_are_filled_in(tmp_path):
    net = tsk.read_export(sample_path("linkedin"), minutes_per_week={"linkedin": 30},
                          audience_fit=0.4, progress=False)
    assert net.platforms.loc[0, ["minutes_per_week", "audience_fit"]].tolist() == [30.0, 0.4]
    bare = tsk.read_export(sample_path("linkedin"), progress=False)
    assert bare.platforms.loc[0, "minutes_per_week"] == 0.0
    assert pd.isna(bare.platforms.loc[0, "audience_fit"])
    with pytest.raises(DataError, match="no platform named"):
        tsk.read_export(sample_path("linkedin"), minutes_per_week={"x": 3}, progress=False)
    with pytest.raises(TypeError, match="minutes_per_week must be a number"):
        tsk.read_export(sample_path("linkedin"), minutes_per_week="lots", progress=False)


# --------------------------------------------------------------------------- safety


def test_zip_bomb_is_refused(tmp_path):
    bomb = write_zip(tmp_path / "bomb.zip", {"data/tweets.js": b"window.YTD.tweets.part0 = ["
                                             + b" " * 30_000_000 + b"]"})
    assert bomb.stat().st_size < 100_000
    with pytest.raises(DataError, match=r"bomb\.zip › data/tweets\.js.*over the limit"):
        tsk.read_export(bomb, max_bytes=1_000_000, progress=False)


@pytest.mark.parametrize("read", [
    tsk.read_export, tsk.read_x, detect_format,
    lambda path, **kw: tsk.read_export(path, platform="x", **kw)])
@pytest.mark.parametrize("max_bytes, error, message", [
    ("2GB", TypeError, r"max_bytes: expected a whole number of bytes.*got str '2GB'"),
    (2.5e9, TypeError, "got float 2500000000.0"),
    (True, TypeError, "got bool True"),
    (None, TypeError, "got NoneType None"),
    (0, DataError, r"(?s)max_bytes: got 0;.*must be above 0 bytes.*expected: .*fix: "),
    (-5, DataError, "max_bytes: got -5"),
])
def test_max_bytes_must_be_a_positive_whole_number_for_every_reader(read, max_bytes, error,
                                                                      message):
    with pytest.raises(error, match=message):
        read(sample_path("x"), max_bytes=max_bytes)


def test_tar_gz_bomb_in_skipped_members_is_refused(tmp_path):
    bomb = write_tar_gz(tmp_path / "bomb.tar.gz", {"media/big.bin": b"\0" * 20_000_000,
                                                   "outbox.json": "{}"})
    with pytest.raises(DataError, match="over the limit"):
        tsk.read_mastodon(bomb, max_bytes=1_000_000, progress=False)


def test_path_traversal_members_are_ignored(tmp_path):
    inside = tmp_path / "inside"
    inside.mkdir()
    evil = write_zip(inside / "evil.zip", {"../../tweets.js": "window.YTD.tweets.part0 = []",
                                           "/etc/tweets.js": "window.YTD.tweets.part0 = []"})
    with pytest.raises(DataError, match=r"holds no tweets\.js"):
        tsk.read_x(evil, progress=False)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as tf:
        link = tarfile.TarInfo("outbox.json")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tf.addfile(link)
    (inside / "link.tar.gz").write_bytes(raw.getvalue())
    with pytest.raises(DataError, match=r"holds no outbox\.json"):
        tsk.read_mastodon(inside / "link.tar.gz", progress=False)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["evil.zip", "inside", "link.tar.gz"]


def test_damaged_archives(tmp_path):
    data = sample_path("x").read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match=r"cut\.zip"):
        tsk.read_export(cut, progress=False)
    gz = sample_path("mastodon").read_bytes()
    (tmp_path / "cut.tar.gz").write_bytes(gz[: len(gz) // 2])
    with pytest.raises(DataError, match=r"cut\.tar\.gz"):
        tsk.read_export(tmp_path / "cut.tar.gz", progress=False)


def test_progress_line_goes_to_stdout_only_after_a_delay():
    out = io.StringIO()
    quiet = Progress("reading", total=100, delay=60, out=out)
    quiet.advance(50)
    quiet.finish()
    assert out.getvalue() == ""
    bar = Progress("reading", total=2_000_000, delay=0, out=out)
    bar._last = -1.0
    bar.advance(1_000_000)
    bar.finish()
    assert "\rreading: [##########          ]  50%" in out.getvalue()
    assert out.getvalue().endswith("s\n")


# --------------------------------------------------------------------------- combining


def _net(platform, people, roles=None, first=None):
    roles = roles or ["unknown"] * len(people)
    first = first or [None] * len(people)
    return Network(
        pd.DataFrame({"platform": [platform]}),
        pd.DataFrame({"contact_id": people, "display_name": [p.split(":")[1] for p in people],
                      "role": roles, "first_seen": first}),
        pd.DataFrame({"timestamp": ["2025-01-0%d T10:00:00+00:00".replace(" ", "") % (k + 1)
                                    for k in range(len(people))],
                      "platform": platform, "contact_id": people, "direction": "out",
                      "kind": "dm"}))


def test_combine_merges_only_what_you_list():
    x = _net("x", ["x:ana", "x:bo"], first=["2024-05-01T00:00:00+00:00", None])
    li = _net("linkedin", ["linkedin:ana-s", "linkedin:cy"], roles=["customer", "unknown"],
              first=["2023-01-01T00:00:00+00:00", None])
    both = tsk.combine(x, li, same_person={"x:ana": "linkedin:ana-s"})
    c = both.contacts.set_index("contact_id")
    assert sorted(c.index) == ["linkedin:ana-s", "linkedin:cy", "x:bo"]
    assert c.loc["linkedin:ana-s", "role"] == "customer"
    assert c.loc["linkedin:ana-s", "display_name"] == "ana-s"
    assert c.loc["linkedin:ana-s", "first_seen"] == pd.Timestamp("2023-01-01", tz="UTC")
    ana = both.interactions[both.interactions["contact_id"] == "linkedin:ana-s"]
    assert sorted(ana["platform"]) == ["linkedin", "x"]
    assert len(both) == len(x) + len(li)


def test_combine_refuses_mistakes():
    x, li = _net("x", ["x:ana"]), _net("linkedin", ["linkedin:ana"])
    with pytest.raises(DataError, match=r"did you mean one of \['linkedin:ana', 'x:ana'\]"):
        tsk.combine(x, li, same_person={"ana": "linkedin:ana"})
    with pytest.raises(DataError, match="more than one network"):
        tsk.combine(x, x)
    with pytest.raises(DataError, match="circle"):
        tsk.combine(x, li, same_person={"x:ana": "linkedin:ana", "linkedin:ana": "x:ana"})
    with pytest.raises(TypeError, match="read each export"):
        tsk.combine(x, "linkedin.zip")
    chained = tsk.combine(x, li, _net("mastodon", ["mastodon:ana"]),
                          same_person={"x:ana": "linkedin:ana",
                                       "linkedin:ana": "mastodon:ana"})
    assert chained.contacts["contact_id"].tolist() == ["mastodon:ana"]


def test_same_person_candidates_on_the_samples():
    x = tsk.read_export(sample_path("x"), progress=False)
    li = tsk.read_export(sample_path("linkedin"), progress=False)
    pairs = tsk.same_person_candidates(x, li)
    found = set(zip(pairs["contact_id"], pairs["same_as"], strict=True))
    assert ("linkedin:rosa-okafor", "x:rosa_weaves") in found
    merged = tsk.combine(x, li, same_person=dict(found))
    assert len(merged.contacts) == len(x.contacts) + len(li.contacts) - len(found)


# --------------------------------------------------------------------------- mutations


def _mutate(data: bytes, how: str, where: float, byte: int) -> bytes:
    if how == "truncate":
        return data[: int(len(data) * where)]
    if how == "flip":
        i = min(int(len(data) * where), len(data) - 1)
        return data[:i] + bytes([byte]) + data[i + 1:] if data else data
    if how == "drop-key":
        text = data.decode("utf-8", "replace")
        keys = sorted(set(re.findall(r'"([\w$ .]+)"\s*:', text)))
        if not keys:
            return data
        key = keys[int(where * len(keys)) % len(keys)]
        return text.replace(f'"{key}"', f'"{key}_gone"').encode()
    # "retype": a value of the wrong type in place of the first string value after `where`.
    text = data.decode("utf-8", "replace")
    start = int(len(text) * where)
    m = re.compile(r'(:\s*)"[^"\\]*"').search(text, start)
    if not m:
        return data
    value = ["12", "null", "[]", "{}", "true", "-1"][byte % 6]
    return (text[: m.start()] + m.group(1) + value + text[m.end():]).encode()


def _rebuild(original: Path, members: dict[str, bytes], folder: Path) -> Path:
    if original.is_dir():
        return write_folder(folder / original.name, members)
    if original.name.endswith(".zip"):
        return write_zip(folder / original.name, members)
    if original.name.endswith(".tar.gz"):
        return write_tar_gz(folder / original.name, members)
    (folder / original.name).write_bytes(next(iter(members.values())))
    return folder / original.name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sample=st.sampled_from(sorted(SAMPLES)), pick=st.integers(0, 1000),
       how=st.sampled_from(["truncate", "flip", "drop-key", "retype"]),
       where=st.floats(0, 1), byte=st.integers(0, 255))
def test_mutated_samples_raise_only_data_error(sample, pick, how, where, byte):
    original = sample_path(sample)
    members = read_members(original)
    readable = sorted(n for n in members if re.search(r"\.(js|json|csv|car)$", n))
    name = readable[pick % len(readable)]
    members[name] = _mutate(members[name], how, where, byte)
    with tempfile.TemporaryDirectory() as tmp:
        path = _rebuild(original, members, Path(tmp))
        try:
            net = FORMATS[SAMPLES[sample]](path, progress=False)
        except DataError as exc:
            assert str(exc).strip(), "a DataError must say what is wrong"
        else:
            assert isinstance(net, Network)


def test_a_few_fixed_mutations_quickly(tmp_path):
    # The same property on a handful of seeded cases, so the fast suite checks it too.
    rng = random.Random(11)
    for sample in sorted(SAMPLES):
        original = sample_path(sample)
        members = read_members(original)
        readable = sorted(n for n in members if re.search(r"\.(js|json|csv|car)$", n))
        for k, how in enumerate(["truncate", "flip", "drop-key", "retype"]):
            changed = dict(members)
            name = rng.choice(readable)
            changed[name] = _mutate(changed[name], how, rng.random(), rng.randrange(256))
            folder = tmp_path / f"{sample}-{k}"
            folder.mkdir()
            with contextlib.suppress(DataError):
                FORMATS[SAMPLES[sample]](_rebuild(original, changed, folder), progress=False)



