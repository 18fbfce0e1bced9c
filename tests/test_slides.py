"""Slides from the lessons (thinksmall_kit/slides.py, tools/slide_metadata.py)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT
from test_report import remote_loads

import thinksmall_kit as tsk
from thinksmall_kit.cli import main
from thinksmall_kit.slides import apply_slide_metadata, count_slides, find_reveal, slide_types

TOOL = ROOT / "tools" / "slide_metadata.py"
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]-*.ipynb"))


def md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def code(text):
    return {"cell_type": "code", "metadata": {}, "source": text, "outputs": [],
            "execution_count": None}


def sections_expected(nb) -> int:
    """nbconvert wraps each slide in an outer and a first inner <section>; each sub-slide
    adds one inner <section>."""
    n = count_slides(nb)
    return 2 * n["slide"] + n["subslide"]


def have_reveal() -> bool:
    try:
        find_reveal()
    except tsk.DataError:
        return False
    return True


needs_reveal = pytest.mark.skipif(not have_reveal(), reason="reveal.js not fetched: make reveal")


def test_slide_types_follow_the_lesson_structure():
    cells = [md("# 03 · Map your tribe\n\n**Questions**"), md("## Setup"),
             code("import pandas as pd\nimport thinksmall_kit as tsk"), md("Some words."),
             md("More words."), code("tribe = tsk.tribe(net)"), code("tribe.figure()"),
             md("### Try it (3 min)\n\nChange the weights."), code("# your code here\n\n"),
             md("## Key points"), code("")]
    assert slide_types(cells) == ["slide", "slide", "fragment", "subslide", "-", "fragment",
                                  "subslide", "subslide", "skip", "slide", "skip"]


def test_skipped_cells_do_not_count_as_before():
    cells = [md("# T"), code("# your answers here"), code("x = 1")]
    assert slide_types(cells) == ["slide", "skip", "fragment"]


def test_apply_is_idempotent_and_keeps_other_slideshow_keys():
    nb = {"cells": [md("# T"), md("## A"), code("1")]}
    nb["cells"][2]["metadata"]["slideshow"] = {"slide_type": "skip", "data": {"x": "1"}}
    assert apply_slide_metadata(nb) is True
    assert nb["cells"][2]["metadata"]["slideshow"] == {"slide_type": "fragment",
                                                       "data": {"x": "1"}}
    before = json.dumps(nb, sort_keys=True)
    assert apply_slide_metadata(nb) is False
    assert json.dumps(nb, sort_keys=True) == before


def test_tool_rewrites_only_slide_metadata_and_checks(tmp_path):
    for lesson in LESSONS:
        shutil.copy(lesson, tmp_path / lesson.name)
    run = [sys.executable, str(TOOL)]
    stripped = tmp_path / LESSONS[1].name
    nb = json.loads(stripped.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        cell["metadata"].pop("slideshow", None)
    stripped.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    assert subprocess.run([*run, "--check", str(tmp_path)], capture_output=True).returncode == 1
    assert subprocess.run([*run, str(tmp_path)]).returncode == 0
    first = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.ipynb")}
    assert subprocess.run([*run, "--check", str(tmp_path)]).returncode == 0
    assert subprocess.run([*run, str(tmp_path)]).returncode == 0  # a second run: no change
    assert first == {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.ipynb")}
    # nothing but slideshow metadata differs from the lesson
    for lesson in LESSONS:
        new = json.loads(first[lesson.name])
        old = json.loads(lesson.read_text(encoding="utf-8"))
        for cells in (new["cells"], old["cells"]):
            for cell in cells:
                cell["metadata"].pop("slideshow", None)
        assert new == old
        types = [c["metadata"]["slideshow"]["slide_type"]
                 for c in json.loads(first[lesson.name])["cells"]]
        assert types[0] == "slide"
        assert all(t in ("slide", "subslide", "fragment", "-", "skip") for t in types)


def test_lessons_slide_metadata_is_current():
    result = subprocess.run([sys.executable, str(TOOL), "--check"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_reveal_says_what_to_do(tmp_path):
    with pytest.raises(tsk.DataError, match="make slides"):
        find_reveal(tmp_path)
    with pytest.raises(SystemExit, match=r"reveal\.js was not found"):
        main(["slides", "--reveal", str(tmp_path), "--out", str(tmp_path / "o"),
              str(LESSONS[0])])


@needs_reveal
def test_cli_slides_without_execution(tmp_path, capsys):
    lesson = ROOT / "lessons" / "00-welcome.ipynb"
    assert main(["slides", "--no-execute", "--out", str(tmp_path), str(lesson)]) == 0
    page = (tmp_path / "00-welcome.slides.html").read_text(encoding="utf-8")
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    apply_slide_metadata(nb)
    assert page.count("<section") == sections_expected(nb)
    assert remote_loads(page) == []
    assert "Reveal.initialize" in page
    with pytest.raises(SystemExit, match="no such lesson"):
        main(["slides", "--no-execute", "--out", str(tmp_path), str(tmp_path / "nope.ipynb")])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    return tsk.build_slides(LESSONS, out)


@needs_reveal
@pytest.mark.slow
def test_slides_build_for_every_lesson_offline(built):
    assert [p.name for p in built] == [p.stem + ".slides.html" for p in LESSONS]
    for lesson, page_path in zip(LESSONS, built, strict=True):
        page = page_path.read_text(encoding="utf-8")
        nb = json.loads(lesson.read_text(encoding="utf-8"))
        apply_slide_metadata(nb)  # what the lesson's metadata says once it is current
        assert page.count("<section") == sections_expected(nb), lesson.name
        assert remote_loads(page) == [], lesson.name
        assert "Traceback" not in page and 'class="ansi-red-fg"' not in page, lesson.name
        if "figure(" in lesson.read_text(encoding="utf-8"):
            assert len(re.findall(r"\* plotly\.js v\d", page)) == 1, lesson.name
            assert "Plotly.newPlot(" in page, lesson.name


@needs_reveal
@pytest.mark.slow
def test_slides_show_in_chromium_offline(built):
    pytest.importorskip("playwright")
    from _lab import offline_page

    page_path = next(p for p in built if p.name.startswith("01-"))
    with offline_page(page_path) as (page, blocked, errors):
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
        total = page.evaluate("() => Reveal.getTotalSlides()")
        # go to the first slide holding a figure and show all its fragments
        page.evaluate("""() => { const s = Reveal.getSlides().find(
              x => x.querySelector('.js-plotly-plot'));
            const i = Reveal.getIndices(s); Reveal.slide(i.h, i.v, 99); }""")
        page.wait_for_function("""() => { const p = Reveal.getCurrentSlide()
              .querySelector('.js-plotly-plot');
            return p && p._fullData && p._fullData.length > 0 && p.querySelector('.main-svg')
                   && p.getBoundingClientRect().width > 300; }""", timeout=30_000)
    assert blocked == [], blocked[:3]
    assert errors == []
    nb = json.loads(LESSONS[1].read_text(encoding="utf-8"))
    apply_slide_metadata(nb)
    n = count_slides(nb)
    assert total == n["slide"] + n["subslide"]
