"""The class dashboard (thinksmall_kit/classroom.py): pseudonymised summaries, one HTML page."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from test_report import open_offline, remote_loads

import thinksmall_kit as tsk
from thinksmall_kit.classroom import SUMMARY_VERSION
from thinksmall_kit.cli import main


def _log(done_days: list[str], until: str) -> tsk.HabitProgress:
    log = pd.DataFrame({"day": done_days, "status": "done"})
    return tsk.habit_progress(log, rest_days=("sun",), until=until)


def _private_strings(net: tsk.Network) -> set[str]:
    values = set(net.contacts["display_name"].dropna()) | set(net.contacts["contact_id"].dropna())
    values |= set(net.platforms["handle"].dropna())
    values |= set(net.interactions["text"].dropna())
    return {str(v) for v in values if str(v).strip()}


def _strings(obj) -> list[str]:
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in [str(k), *_strings(v)]]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return [obj] if isinstance(obj, str) else []


@pytest.mark.parametrize("persona", ["ceramics", "organiser"])
def test_summary_holds_no_names_handles_ids_or_messages(tmp_path, persona):
    net = tsk.load_persona(persona, later=True)
    ws = tsk.open_workspace(tmp_path / "ws.sqlite")
    ws.save_network(net)
    someone = tsk.tribe(net).table.index[0]
    tsk.check_in(ws, "done", contact_id=someone, action="thank", note="she loved the glaze",
                 day="2025-12-01")
    out = tmp_path / "summary.json"
    tsk.class_summary(ws, out)
    text = out.read_text(encoding="utf-8")
    lowered = text.lower()
    private = _private_strings(ws.load_network()) | {"she loved the glaze"}
    leaks = sorted(v for v in private if v.lower() in lowered)
    assert leaks == [], f"the summary leaks: {leaks[:5]}"
    # and every string in it is one of a small, generic vocabulary
    data = json.loads(text)
    allowed = {*tsk.ROLES, *(p.lower() for p in net.platforms["platform"]), "other",
               data["learner_id"], data["made_on"], data["kit_version"],
               "thinksmall-class-summary"}
    keys = {k for k in _strings(data) if k.isidentifier() or k.isdigit()}
    assert set(_strings(data)) - allowed - keys == set()


def test_summary_numbers_match_the_lessons(tmp_path):
    net = tsk.load_persona("ceramics")
    # two done days in week 1 (Mon 1 and Wed 3 Dec 2025), Sunday rest, the rest missed
    progress = _log(["2025-12-01", "2025-12-03"], until="2025-12-14")
    s = tsk.class_summary(net, tmp_path / "s.json", progress=progress, keep=4)
    assert json.loads((tmp_path / "s.json").read_text()) == s
    assert s["platforms"]["held"] == len(net.platforms)
    assert s["platforms"]["kept"] == tsk.audit(net, keep=4).keep
    layer = tsk.tribe(net).table["layer"]
    assert s["tribe"]["layers"]["15"] == int((layer == 15).sum())
    overall = tsk.conversation(net).table.loc["all"]
    assert s["conversation"]["reply_ratio"] == pytest.approx(overall["reply_ratio"], abs=1e-3)
    week1, week2 = s["habits"]["weeks"]
    # week 1: Mon-Sat are habit days, 2 done and 4 missed; Sunday rests
    assert (week1["days_done"], week1["days_missed"], week1["days_skipped"]) == (2, 4, 1)
    assert week1["completion"] == pytest.approx(2 / 6, abs=1e-3)
    assert week2["completion"] == 0


def test_summary_ids_are_random_unless_given():
    net = tsk.load_persona("organiser")
    a, b = tsk.class_summary(net), tsk.class_summary(net)
    assert a["learner_id"] != b["learner_id"]
    assert tsk.class_summary(net, learner_id="abc123")["learner_id"] == "abc123"


def test_summary_written_again_keeps_its_id(tmp_path):
    net = tsk.load_persona("organiser")
    first = tsk.class_summary(net, tmp_path / "s.json")
    assert tsk.class_summary(net, tmp_path / "s.json")["learner_id"] == first["learner_id"]
    assert tsk.class_summary(net, tmp_path / "t.json")["learner_id"] != first["learner_id"]


def test_summary_bad_inputs(tmp_path):
    with pytest.raises(tsk.DataError, match="holds no network"):
        tsk.class_summary(tsk.open_workspace(tmp_path / "e.sqlite"))
    with pytest.raises(TypeError):
        tsk.class_summary("organiser")
    with pytest.raises(tsk.DataError, match="no platforms"):
        tsk.class_summary(tsk.Network())
    net = tsk.load_persona("organiser")
    for weeks in (0, -1, "x", 2.5, True):
        with pytest.raises(tsk.DataError, match="weeks must be a whole number"):
            tsk.class_summary(net, weeks=weeks)
    with pytest.raises(TypeError, match="habit_progress"):
        tsk.class_summary(net, progress=pd.DataFrame({"day": []}))
    with pytest.raises(TypeError, match="learner_id must be text"):
        tsk.class_summary(net, learner_id=5)
    assert not list(tmp_path.glob("*.json"))  # nothing written


@pytest.fixture()
def class_folder(tmp_path):
    folder = tmp_path / "summaries"
    folder.mkdir()
    tsk.class_summary(tsk.load_persona("ceramics"), folder / "a.json", keep=3,
                      progress=_log(["2025-12-01", "2025-12-02", "2025-12-09"], "2025-12-28"))
    tsk.class_summary(tsk.load_persona("organiser"), folder / "b.json", keep=5,
                      progress=_log(["2025-12-01"], "2025-12-28"))
    tsk.class_summary(tsk.load_persona("organiser", later=True), folder / "c.json")
    (folder / "notes.txt").write_text("not a summary; ignored")
    return folder


def test_class_report(class_folder, tmp_path):
    report = tsk.class_report(class_folder, tmp_path / "class.html")
    assert len(report.table) == 3
    page = report.path.read_text(encoding="utf-8")
    assert remote_loads(page) == []
    assert page.count("Plotly.newPlot(") == 4
    kept = [p for f in ("a", "b", "c")
            for p in json.loads((class_folder / f"{f}.json").read_text())["platforms"]["kept"]]
    # the bar of each platform is the number of learners keeping it
    assert report.table["platforms_kept"].sum() == len(kept)
    a = json.loads((class_folder / "a.json").read_text())
    row = report.table.loc[a["learner_id"]]
    assert row["week_1"] == pytest.approx(2 / 6, abs=1e-3)
    assert row["week_2"] == pytest.approx(1 / 6, abs=1e-3)
    # a learner who hands in again (same id) counts once
    again = json.loads((class_folder / "a.json").read_text())
    (class_folder / "a-again.json").write_text(json.dumps(again))
    assert len(tsk.class_report(class_folder, tmp_path / "c2.html").table) == 3


@pytest.mark.slow
def test_class_report_renders_offline_in_chromium(class_folder, tmp_path):
    report = tsk.class_report(class_folder, tmp_path / "class.html")
    seen = open_offline(report.path, wait_plots=4)
    assert seen["blocked"] == [] and seen["errors"] == []
    assert len(seen["plots"]) == 4


def test_class_report_bad_inputs(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(tsk.DataError, match="no summaries"):
        tsk.class_report(empty, tmp_path / "c.html")
    with pytest.raises(tsk.DataError, match="not a folder"):
        tsk.class_report(tmp_path / "missing", tmp_path / "c.html")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "x.json").write_text("{not json")
    with pytest.raises(tsk.DataError, match=r"x\.json is not a JSON file"):
        tsk.class_report(broken, tmp_path / "c.html")
    other = tmp_path / "other"
    other.mkdir()
    (other / "y.json").write_text('{"hello": 1}')
    with pytest.raises(tsk.DataError, match="not a class summary"):
        tsk.class_report(other, tmp_path / "c.html")
    newer = tmp_path / "newer"
    newer.mkdir()
    summary = tsk.class_summary(tsk.load_persona("organiser"))
    summary["version"] = SUMMARY_VERSION + 1
    (newer / "z.json").write_text(json.dumps(summary))
    with pytest.raises(tsk.DataError, match="newer kit"):
        tsk.class_report(newer, tmp_path / "c.html")
    with pytest.raises(tsk.DataError, match=r"\.html"):
        tsk.class_report(newer, tmp_path / "c.pdf")


def test_cli_class_report(class_folder, tmp_path, capsys):
    assert main(["class-report", str(class_folder), "--out", str(tmp_path / "c.html")]) == 0
    assert "3 learners" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="no summaries"):
        main(["class-report", str(tmp_path), "--out", str(tmp_path / "c.html")])
