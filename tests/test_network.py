"""The canonical Network: every validation rule (each with a failing case), coercions, helpers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from thinksmall_kit import DataError, Network
from thinksmall_kit.network import SCHEMA


def platforms(**extra):
    data = {"platform": ["instagram", "linkedin"], "followers": [1500, 300],
            "minutes_per_week": [120, 45], "audience_fit": [0.2, 0.6]}
    data.update(extra)
    return pd.DataFrame(data)


def contacts(**extra):
    data = {"contact_id": ["ana", "ben", "cal"], "role": ["customer", "partner", "fan"]}
    data.update(extra)
    return pd.DataFrame(data)


def interactions(**extra):
    data = {
        "timestamp": ["2025-03-02T09:00:00+00:00", "2025-03-01T10:00:00+00:00",
                      "2025-03-05T18:30:00-05:00"],
        "platform": ["instagram", "linkedin", "offline"],
        "contact_id": ["ana", None, "ben"],
        "direction": ["in", "out", "out"],
        "kind": ["reply", "post", "call"],
    }
    data.update(extra)
    return pd.DataFrame(data)


def make(p=None, c=None, i=None):
    return Network(platforms=platforms() if p is None else p,
                   contacts=contacts() if c is None else c,
                   interactions=interactions() if i is None else i)


# --------------------------------------------------------------------------- good input


def test_dtypes_match_the_documented_schema():
    net = make()
    for name, table in net.tables().items():
        assert list(table.columns) == list(SCHEMA[name]), name
        for col, spec in SCHEMA[name].items():
            got = str(table[col].dtype)
            assert got == spec.dtype, f"{name}.{col}: {got} != {spec.dtype}"


def test_timestamps_are_utc_and_sorted_with_offsets_honoured():
    net = make()
    ts = net.interactions["timestamp"]
    assert str(ts.dt.tz) == "UTC"
    assert ts.is_monotonic_increasing
    # 18:30 at UTC-5 is 23:30 UTC
    assert ts.iloc[-1] == pd.Timestamp("2025-03-05 23:30", tz="UTC")


def test_aware_timestamps_in_other_zones_are_converted():
    stamps = pd.to_datetime(["2025-03-01 10:00"] * 3).tz_localize("Europe/Berlin")
    net = make(i=interactions(timestamp=stamps))
    assert (net.interactions["timestamp"].dt.hour == 9).all()


def test_defaults_fill_optional_columns():
    net = make()
    p, c, i = net.platforms, net.contacts, net.interactions
    assert p["handle"].tolist() == ["", ""]
    assert c["display_name"].tolist() == ["ana", "ben", "cal"]
    assert c["first_seen"].isna().all()
    assert not i["has_link"].any() and not i["is_promotional"].any()
    assert i["text"].isna().all() and i["thread_id"].isna().all()
    assert i["contact_id"].isna().sum() == 1


def test_lenient_but_lossless_coercions():
    net = make(p=platforms(followers=["1500", 300.0], audience_fit=[None, "0.5"]),
               c=contacts(role=[" Customer", "PARTNER", None], contact_id=[1, 2, 3]),
               i=interactions(contact_id=[1, None, 2], has_link=["yes", "no", 1],
                              kind=["Reply", "post", "call"]))
    assert net.platforms["followers"].tolist() == [1500, 300]
    assert np.isnan(net.platforms["audience_fit"].iloc[0])
    assert net.contacts["role"].tolist() == ["customer", "partner", "unknown"]
    assert net.contacts["contact_id"].tolist() == ["1", "2", "3"]
    # rows are sorted by time: the linkedin post (has_link="no") comes first
    assert net.interactions["has_link"].tolist() == [False, True, True]
    assert net.interactions["contact_id"].tolist()[1:] == ["1", "2"]


def test_empty_network_and_missing_tables():
    net = Network()
    assert len(net) == 0 and net.period is None
    assert repr(net) == "Network: 0 platforms, 0 contacts, 0 interactions"
    for name, table in net.tables().items():
        assert list(table.columns) == list(SCHEMA[name])


def test_empty_strings_in_optional_text_become_missing():
    net = make(i=interactions(text=["hi", "", None], thread_id=["t1", "", "t2"]))
    assert net.interactions["text"].isna().sum() == 2
    assert net.interactions["thread_id"].isna().sum() == 1


def test_input_frames_are_not_modified():
    raw = interactions()
    before = raw.copy()
    make(i=raw)
    pd.testing.assert_frame_equal(raw, before)


# --------------------------------------------------------------------------- every rule fails


BAD = {
    "not a DataFrame": (dict(c=[{"contact_id": "a"}]), ["contacts", "DataFrame"]),
    "duplicate column names": (
        dict(c=pd.DataFrame([["a", "b"]], columns=["contact_id", "contact_id"])),
        ["contacts", "duplicate column"]),
    "unexpected column": (dict(c=contacts(email=["a@x", "b@x", "c@x"])),
                          ["contacts", "unexpected column", "email", "drop"]),
    "missing required column": (dict(i=interactions().drop(columns="kind")),
                                ["interactions", "missing required", "kind"]),
    "text column with numbers": (dict(c=contacts(display_name=[1.5, "b", "c"])),
                                 ["contacts.display_name", "not text", "1.5"]),
    "whole numbers": (dict(p=platforms(followers=["1.2k", 10])),
                      ["platforms.followers", "whole numbers", "1.2k"]),
    "fractional whole numbers": (dict(p=platforms(followers=[10.5, 10])),
                                 ["platforms.followers", "10.5"]),
    "numbers": (dict(p=platforms(minutes_per_week=["lots", 3])),
                ["platforms.minutes_per_week", "not numbers", "lots"]),
    "booleans": (dict(i=interactions(is_promotional=["maybe", True, False])),
                 ["interactions.is_promotional", "True or False", "maybe"]),
    "naive datetimes": (dict(i=interactions(timestamp=pd.to_datetime(["2025-01-01"] * 3))),
                        ["interactions.timestamp", "without a time zone", "tz_localize"]),
    "naive strings": (dict(i=interactions(timestamp=["2025-01-01 10:00"] * 3)),
                      ["interactions.timestamp", "without a time zone"]),
    "unparseable dates": (dict(i=interactions(timestamp=["yesterday", "2025-01-01Z", "x"])),
                          ["interactions.timestamp", "not dates", "yesterday"]),
    "empty timestamps": (dict(i=interactions(timestamp=["2025-01-01T00:00:00Z", None, None])),
                         ["interactions.timestamp", "empty timestamps", "row 1"]),
    "direction outside set": (dict(i=interactions(direction=["in", "sideways", "out"])),
                              ["interactions.direction", "'in'", "'out'", "sideways"]),
    "kind outside set": (dict(i=interactions(kind=["tweet", "post", "call"])),
                         ["interactions.kind", "tweet", "'reply'"]),
    "role outside set": (dict(c=contacts(role=["boss", "fan", "fan"])),
                         ["contacts.role", "boss", "'customer'"]),
    "empty required text": (dict(c=contacts(contact_id=["a", None, "c"])),
                            ["contacts.contact_id", "empty"]),
    "blank platform": (dict(p=platforms(platform=["  ", "linkedin"])),
                       ["platforms.platform", "empty names"]),
    "upper-case platform": (dict(p=platforms(platform=["Instagram", "linkedin"])),
                            ["platforms.platform", "lower case", "Instagram"]),
    "platform with spaces": (dict(p=platforms(platform=["blue sky", "linkedin"])),
                             ["platforms.platform", "'blue sky'"]),
    "reserved platform": (dict(p=platforms(platform=["offline", "linkedin"])),
                          ["platforms.platform", "reserved"]),
    "duplicate platform": (dict(p=platforms(platform=["linkedin", "linkedin"])),
                           ["platforms.platform", "repeated"]),
    "infinite minutes": (dict(p=platforms(minutes_per_week=[np.inf, 60])),
                         ["platforms.minutes_per_week", "infinite", "row 0"]),
    "infinite text in an optional column": (dict(p=platforms(audience_fit=[None, "-inf"])),
                                            ["platforms.audience_fit", "infinite", "row 1"]),
    "infinite followers": (dict(p=platforms(followers=[10, np.inf])),
                           ["platforms.followers", "infinite", "row 1"]),
    "followers too large": (dict(p=platforms(followers=[1e20, 3])),
                            ["platforms.followers", "too large", "row 0", "1e+20"]),
    "followers beyond int64": (dict(p=platforms(followers=[2**63, 3])),
                               ["platforms.followers", "too large", "9223372036854775808"]),
    "day/month/year dates": (dict(i=interactions(timestamp=[
        "03/04/2025 10:00 +00:00", "13/04/2025 10:00 +00:00", "2025-04-14T10:00:00+00:00"])),
        ["interactions.timestamp", "day/month/year or month/day/year", "row 0", "row 1",
         "2025-04-03T10:00:00+00:00"]),
    "dotted dates": (dict(i=interactions(timestamp=["3.4.25 10:00 +0100"] * 3)),
                     ["interactions.timestamp", "day/month/year"]),
    "epoch seconds": (dict(i=interactions(timestamp=[1700000000, 1700000100, 1700000200])),
                      ["interactions.timestamp", "numbers, not dates", "1700000000",
                       "pd.to_datetime(df['timestamp'], unit='s', utc=True)"]),
    "epoch seconds as text": (dict(i=interactions(timestamp=["1700000000", "1700000100",
                                                             "1700000200"])),
                              ["interactions.timestamp", "numbers, not dates", "unit='s'"]),
    "a number among dates": (dict(i=interactions(timestamp=pd.Series(
        ["2025-03-01T10:00:00+00:00", 1700000000, "2025-03-02T10:00:00+00:00"],
        dtype=object))), ["interactions.timestamp", "numbers, not dates", "row 1"]),
    "negative followers": (dict(p=platforms(followers=[-1, 3])),
                           ["platforms.followers", "negative"]),
    "negative minutes": (dict(p=platforms(minutes_per_week=[-5, 3])),
                         ["platforms.minutes_per_week", "negative"]),
    "audience fit above one": (dict(p=platforms(audience_fit=[1.5, 0.2])),
                               ["platforms.audience_fit", "0..1", "1.5"]),
    "blank contact id": (dict(c=contacts(contact_id=["a", " ", "c"])),
                         ["contacts.contact_id", "empty ids"]),
    "duplicate contact id": (dict(c=contacts(contact_id=["a", "a", "c"])),
                             ["contacts.contact_id", "repeated", "'a'"]),
    "unknown platform": (dict(i=interactions(platform=["tiktok", "linkedin", "offline"])),
                         ["interactions.platform", "tiktok", "add a row"]),
    "unknown contact": (dict(i=interactions(contact_id=["zed", None, "ben"])),
                        ["interactions.contact_id", "zed", "contacts table"]),
    "online kind offline": (dict(i=interactions(kind=["reply", "post", "like"])),
                            ["interactions.kind", "offline", "like"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_each_rule_names_table_column_and_rows(case):
    kwargs, fragments = BAD[case]
    with pytest.raises(DataError) as err:
        make(**kwargs)
    message = str(err.value)
    for fragment in fragments:
        assert fragment in message, f"{case}: {fragment!r} missing from:\n{message}"
    assert "expected" in message or "fix" in message


def test_data_error_is_a_value_error():
    assert issubclass(DataError, ValueError)


def test_at_most_five_rows_are_listed():
    bad = interactions(direction=["up"] * 3)
    bad = pd.concat([bad] * 4, ignore_index=True)  # 12 bad rows
    with pytest.raises(DataError) as err:
        make(i=bad)
    text = str(err.value)
    assert "12 offending row(s)" in text
    assert text.count("\n    row ") == 5
    assert "and 7 more" in text


# --------------------------------------------------------------------------- conveniences


def test_between_is_half_open_and_reads_naive_dates_as_utc():
    net = make()
    part = net.between("2025-03-01", "2025-03-02 09:00")
    assert part.interactions["timestamp"].tolist() == [pd.Timestamp("2025-03-01 10:00", tz="UTC")]
    assert len(net.between(start="2025-03-02")) == 2
    assert len(net.between(end=dt.datetime(2025, 3, 2, 9, 0, 1, tzinfo=dt.UTC))) == 2
    part.contacts.loc[0, "display_name"] = "changed in the part"
    assert net.contacts.loc[0, "display_name"] == "ana"  # the whole is untouched


def test_between_errors():
    net = make()
    with pytest.raises(DataError, match="before start"):
        net.between("2025-04-01", "2025-03-01")
    with pytest.raises(DataError, match="not a date"):
        net.between("the spring")


@pytest.mark.parametrize("number", [2025, 20250301, 2025.0, np.int64(2025), np.float64(2025)])
def test_between_refuses_numbers_as_dates(number):
    """pd.Timestamp(2025) is 2025 nanoseconds after 1970: a number is refused, not read so."""
    with pytest.raises(TypeError, match=r"is a number, not a date; write it as text such as "
                                        r"'2025-03-01'"):
        make().between(number)
    with pytest.raises(TypeError, match="not a date"):
        make().between(end=True)


def test_between_refuses_dates_that_could_be_day_or_month_first():
    with pytest.raises(DataError, match="day first or month first"):
        make().between("03/04/2025")
    assert make().between("2025/03/04").interactions.equals(make().between("2025-03-04")
                                                             .interactions)


def test_an_empty_first_seen_column_read_as_numbers_is_fine():
    # pd.read_csv gives float64 NaN for an empty column; that is missing, not a number
    net = make(c=contacts(first_seen=[np.nan] * 3))
    assert net.contacts["first_seen"].isna().all()
    assert str(net.contacts["first_seen"].dtype) == "datetime64[ns, UTC]"


def test_on_filters_platforms_and_interactions():
    net = make()
    ig = net.on("instagram")
    assert ig.platforms["platform"].tolist() == ["instagram"]
    assert set(ig.interactions["platform"]) == {"instagram"}
    both = net.on(["instagram", "offline"])
    assert len(both) == 2
    with pytest.raises(DataError, match=r"no platform named.*tiktok.*instagram"):
        net.on("tiktok")


@pytest.mark.parametrize("wrong, shown", [
    (None, "NoneType None"), (123, "int 123"), (b"instagram", "bytes b'instagram'"),
    (["instagram", 5], "int 5"), ([None], "NoneType None")])
def test_on_names_the_argument_when_it_is_not_platform_names(wrong, shown):
    with pytest.raises(TypeError, match=rf"^on: platform.*text such as 'instagram'.*{shown}"):
        make().on(wrong)


def test_repr_counts_and_dates():
    assert repr(make()) == ("Network: 2 platforms, 3 contacts, 3 interactions "
                            "from 2025-03-01 to 2025-03-05")


def test_folder_round_trip_is_equal_and_byte_stable(tmp_path):
    net = make(i=interactions(text=["hi, there", None, 'say "hello"\nbye'], has_link=[1, 0, 0]))
    net.to_folder(tmp_path / "a")
    again = Network.from_folder(tmp_path / "a")
    assert again == net
    again.to_folder(tmp_path / "b")
    for name in ("platforms.csv", "contacts.csv", "interactions.csv.gz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_folder_round_trip_keeps_fractions_of_a_second(tmp_path):
    stamps = ["2025-03-01T10:00:00.123456789+00:00", "2025-03-01T10:00:00.5+00:00",
              "2025-03-02T10:00:00+00:00"]
    net = make(i=interactions(timestamp=stamps))
    net.to_folder(tmp_path)
    assert Network.from_folder(tmp_path) == net


def test_from_folder_errors(tmp_path):
    with pytest.raises(DataError, match="not a folder"):
        Network.from_folder(tmp_path / "nowhere")
    make().to_folder(tmp_path)
    (tmp_path / "contacts.csv").unlink()
    with pytest.raises(DataError, match=r"no contacts\.csv"):
        Network.from_folder(tmp_path)


def test_timestamps_in_several_zones_in_one_column():
    berlin = pd.Series(pd.to_datetime(["2025-03-01 10:00"]).tz_localize("Europe/Berlin"))
    utc = pd.Series(pd.to_datetime(["2025-03-01 12:00", "2025-03-02 08:00"]).tz_localize("UTC"))
    mixed = pd.concat([berlin.astype(object), utc.astype(object)], ignore_index=True)
    net = make(i=interactions(timestamp=mixed))
    assert net.interactions["timestamp"].dt.hour.tolist() == [9, 12, 8]  # sorted by time


@pytest.mark.parametrize("text", [
    ["2025-03-01T10:00:00+01:00", "2025-03-01T10:00:00.5-05:30", "2025-03-02T10:00:00Z"],
    ["2025-03-01T10:00:00.123456789+00:00", "2025-03-01T10:00:00.000000001+00:00",
     "2025-03-01T09:00:00-00:00"],
    ["1 March 2025 10:00 +0100", "2025-03-01T10:00:00+00:00", "Sat, 01 Mar 2025 11:00:00 GMT"],
    ["2025-03-01T10:00:00+00:00", "2025-03-01T10:00:00+0000", "20250301T100000Z"],
])
def test_iso_and_other_text_times_read_as_pandas_mixed_parser_reads_them(text):
    """ISO 8601 text takes a faster parser; every other form still reads; both agree."""
    net = make(i=interactions(timestamp=text))
    expected = pd.to_datetime(pd.Series(text), utc=True, format="mixed").astype(
        "datetime64[ns, UTC]").sort_values(ignore_index=True, kind="stable")
    pd.testing.assert_series_equal(net.interactions["timestamp"], expected, check_names=False)


def test_naive_and_aware_mixed_are_refused():
    with pytest.raises(DataError, match="without a time zone") as err:
        make(i=interactions(timestamp=["2025-03-01T10:00:00+01:00", "2025-03-01 10:00",
                                       "2025-03-02T10:00:00Z"]))
    assert "row 1" in str(err.value) and "row 0" not in str(err.value)


def test_out_of_range_dates_name_the_row():
    with pytest.raises(DataError, match="not dates") as err:
        make(i=interactions(timestamp=["2025-03-01T10:00:00Z", "202-06-01T00:00:00+00:00",
                                       "2025-03-02T10:00:00Z"]))
    assert "row 1" in str(err.value)


def test_text_columns_of_only_missing_values_are_fine():
    missing = pd.Series([None, np.nan, None], dtype=object)
    net = make(i=interactions(text=missing, thread_id=missing))
    assert net.interactions["text"].isna().all()
