"""The take-home plan (thinksmall_kit/report.py): one offline HTML page and an .ics beside it."""

from __future__ import annotations

import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import thinksmall_kit as tsk
from thinksmall_kit.cli import main

REMOTE = re.compile(r"^\s*(https?:)?//", re.I)


class _Loads(HTMLParser):
    """Every URL the page would *load*: src/href of tags (not <a> links), CSS url()/@import."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("src", "href", "data", "poster", "srcset") and tag != "a":
                self.urls.append(value)
            if name == "style":
                self._css(value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self._css(data)

    def _css(self, text):
        self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", text)
        self.urls += re.findall(r"@import\s+['\"]([^'\"]+)", text)


def remote_loads(page: str) -> list[str]:
    """Remote URLs a page would fetch. Script *contents* are not parsed as HTML (plotly.js
    mentions web addresses in strings it never loads); ES-module imports from a host are."""
    parser = _Loads()
    parser.feed(page)
    found = [u for u in parser.urls if REMOTE.match(u)]
    found += re.findall(r"""\bimport\s[^;]*?from\s*['"](https?://[^'"]+)""", page)
    found += re.findall(r"""\bimport\(\s*['"](https?://[^'"]+)""", page)
    return found


def open_offline(path, wait_plots: int) -> dict:
    """Open a local HTML file in Debian's Chromium with every non-file request aborted."""
    pytest.importorskip("playwright")
    from _lab import offline_page

    if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed (make browser)")
    with offline_page(path) as (page, blocked, errors):
        page.wait_for_function(
            """(n) => Array.from(document.querySelectorAll('.js-plotly-plot')).filter(
                 p => p._fullData && p._fullData.length > 0 && p.querySelector('.main-svg')
               ).length >= n""", arg=wait_plots, timeout=60_000)
        drawn = page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
            .map(p => ({traces: p._fullData.length,
                        width: p.getBoundingClientRect().width}))""")
    return {"blocked": blocked, "errors": errors, "plots": drawn}


def test_remote_loads_finds_what_a_page_would_fetch():
    page = ('<script src="https://cdn.example/x.js"></script><a href="https://ok.example">a</a>'
            '<link rel="stylesheet" href="//cdn.example/x.css"><style>@import "http://f.example/'
            'f.css"; b{background:url(https://i.example/i.png)}</style>'
            "<script>var s = '<img src=\"https://inside.example/string\">';</script>"
            '<script type="module">import m from "https://m.example/m.mjs";</script>')
    assert sorted(remote_loads(page)) == sorted([
        "https://cdn.example/x.js", "//cdn.example/x.css", "http://f.example/f.css",
        "https://i.example/i.png", "https://m.example/m.mjs"])
    assert remote_loads('<img src="plan.png"><a href="https://x.example">x</a>') == []


@pytest.fixture(scope="module")
def organiser_report(tmp_path_factory):
    net = tsk.load_persona("organiser")
    out = tmp_path_factory.mktemp("report") / "plan.html"
    return net, tsk.take_home_report(net, out)


def test_report_holds_the_kept_platforms_tribe_late_ties_and_plan(organiser_report):
    net, done = organiser_report
    page = done.path.read_text(encoding="utf-8")
    kept = tsk.audit(net).keep  # computed again, independently of the report
    assert done.audit.keep == kept
    for platform in kept:
        assert f"<td>{platform}</td>" in page
    late = tsk.tribe(net).losing_touch(10)
    for name in late["display_name"]:
        assert html.escape(name) in page
    assert "Your tribe in Dunbar" in page  # the rings figure's title
    # the plan: every action of it is on the page, and the calendar holds one event per action
    plan = tsk.plan_habits(tsk.tribe(net))
    assert len(done.plan.table) == len(plan.table) > 0
    for todo in plan.table["todo"].head(5):
        assert html.escape(todo) in page
    assert done.ics == done.path.with_suffix(".ics")
    assert done.ics.read_text(encoding="utf-8").count("BEGIN:VEVENT") == len(plan.table)
    assert 'href="plan.ics"' in page


def test_report_bundles_plotly_once_and_loads_nothing_remote(organiser_report):
    _, done = organiser_report
    page = done.path.read_text(encoding="utf-8")
    assert remote_loads(page) == []
    assert page.count("Plotly.newPlot(") == 3  # audit, tribe rings, plan
    # plotly.js itself (its licence banner) is written exactly once
    assert len(re.findall(r"\* plotly\.js v\d", page)) == 1


@pytest.mark.slow
def test_report_renders_offline_in_chromium(organiser_report):
    _, done = organiser_report
    seen = open_offline(done.path, wait_plots=3)
    assert seen["blocked"] == [], f"the page tried the network: {seen['blocked'][:3]}"
    assert seen["errors"] == []
    assert len(seen["plots"]) == 3
    assert all(p["traces"] > 0 and p["width"] > 300 for p in seen["plots"])


def test_report_from_a_workspace_plans_from_today(tmp_path):
    ws = tsk.open_workspace(tmp_path / "ws.sqlite")
    ws.save_network(tsk.load_persona("organiser"))
    done = tsk.take_home_report(ws, tmp_path / "mine.html", weeks=1)
    today = pd.Timestamp.now().normalize()
    assert done.plan.table["date"].min() >= today
    assert done.plan.table["date"].max() < today + pd.Timedelta(days=7)


def test_report_escapes_names(tmp_path):
    net = tsk.load_persona("organiser")
    contacts = net.contacts.copy()
    first = tsk.tribe(net).losing_touch(1).index[0]  # listed on the page
    contacts.loc[contacts["contact_id"] == first, "display_name"] = "<b>Ana & Bo</b>"
    odd = tsk.Network(platforms=net.platforms, contacts=contacts, interactions=net.interactions)
    page = tsk.take_home_report(odd, tmp_path / "p.html").path.read_text(encoding="utf-8")
    assert "<b>Ana & Bo</b>" not in page
    assert "&lt;b&gt;Ana &amp; Bo&lt;/b&gt;" in page


def test_report_bad_inputs(tmp_path):
    with pytest.raises(tsk.DataError, match="holds no network"):
        tsk.take_home_report(tsk.open_workspace(tmp_path / "empty.sqlite"), tmp_path / "a.html")
    with pytest.raises(TypeError, match="load_persona"):
        tsk.take_home_report("ceramics", tmp_path / "a.html")
    with pytest.raises(TypeError, match="Network or a Workspace"):
        tsk.take_home_report(42, tmp_path / "a.html")
    net = tsk.load_persona("organiser")
    with pytest.raises(tsk.DataError, match=r"\.html"):
        tsk.take_home_report(net, tmp_path / "plan.pdf")
    quiet = tsk.Network(platforms=net.platforms)
    with pytest.raises(tsk.DataError, match="no interactions"):
        tsk.take_home_report(quiet, tmp_path / "a.html")


def test_cli_report(tmp_path, capsys):
    assert main(["report", "--persona", "organiser", "--out", str(tmp_path / "p.html"),
                 "--weeks", "2"]) == 0
    assert (tmp_path / "p.html").is_file() and (tmp_path / "p.ics").is_file()
    assert "Wrote" in capsys.readouterr().out
    ws = tsk.open_workspace(tmp_path / "ws.sqlite")
    ws.save_network(tsk.load_persona("organiser"))
    assert main(["report", "--workspace", str(ws.path), "--out", str(tmp_path / "w.html")]) == 0
    with pytest.raises(SystemExit, match="either --persona"):
        main(["report", "--out", str(tmp_path / "x.html")])
    with pytest.raises(SystemExit, match="no persona named"):
        main(["report", "--persona", "nobody", "--out", str(tmp_path / "x.html")])


def test_files_the_kit_did_not_write_are_never_replaced(tmp_path):
    """A mistyped out= must not replace a workspace, a notebook or another program's page."""
    import hashlib

    net = tsk.load_persona("organiser")
    ws_path = tmp_path / "workspace.sqlite"
    with tsk.open_workspace(ws_path) as ws:
        ws.save_network(net)
    others = {
        ws_path: None,
        tmp_path / "lesson.ipynb": b'{"cells": []}',
        tmp_path / "homepage.html": b"<html><body>My shop</body></html>",
        tmp_path / "calendar.ics": b"BEGIN:VCALENDAR\r\nPRODID:-//Other//EN\r\nEND:VCALENDAR\r\n",
        tmp_path / "data.json": b'{"orders": [1, 2, 3]}',
    }
    for path, content in others.items():
        if content is not None:
            path.write_bytes(content)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in others}
    attempts = [
        (lambda: tsk.class_summary(net, ws_path), r"\.json"),
        (lambda: tsk.class_summary(net, tmp_path / "data.json"), "not a class summary"),
        (lambda: tsk.take_home_report(net, tmp_path / "homepage.html"), "not a take-home page"),
        (lambda: tsk.take_home_report(net, tmp_path / "lesson.ipynb"), r"\.html"),
        (lambda: tsk.take_home_report(net, tmp_path / "calendar.html"), "habit calendar"),
        (lambda: tsk.class_report(tmp_path, tmp_path / "homepage.html"), "not a class dashboard"),
    ]
    for attempt, message in attempts:
        with pytest.raises(tsk.DataError, match=message):
            attempt()
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in others} == before
    assert not (tmp_path / "calendar.html").exists()  # nothing half written
    with tsk.open_workspace(ws_path) as ws:
        assert ws.load_network() == net
    # The kit's own files are replaced when a lesson runs again, old pages included.
    done = tsk.take_home_report(net, tmp_path / "plan.html", weeks=1)
    again = tsk.take_home_report(net, tmp_path / "plan.html", weeks=1)
    assert again.path == done.path and again.ics == done.ics
    old_style = done.path.read_text().replace(
        '<meta name="generator" content="Think Small Kit">\n', "")
    done.path.write_text(old_style)  # a page from before the generator mark
    tsk.take_home_report(net, tmp_path / "plan.html", weeks=1)
    tsk.class_summary(net, tmp_path / "mine.json")
    tsk.class_summary(net, tmp_path / "mine.json")
    with pytest.raises(TypeError, match="out must be a file name"):
        tsk.take_home_report(net, None)
    with pytest.raises(tsk.DataError, match="letters, digits"):
        tsk.class_summary(net, tmp_path, learner_id="../../evil")
    assert not list(tmp_path.parent.glob("evil*")) and not list(tmp_path.glob("class-*"))
