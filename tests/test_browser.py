"""The lessons in a real JupyterLab, in Debian's Chromium: what a learner actually sees.

For every lesson: open it, run all cells, wait for the kernel to go idle, then
check that no cell failed or wrote to stderr, that every plotly figure the
kernel sent is drawn with data in it, that every widget is displayed (no "Error
displaying widget"), and that changing one widget changes what is shown. One
PNG per lesson goes to test-artifacts/e2e/.

Marked ``e2e``: ``make test PYTEST_ARGS='-m "not e2e"'`` runs everything else.
"""

from __future__ import annotations

import pytest
from _lab import ROOT, chromium, course_copy, lab_server, open_notebook, run_all

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

LESSONS = sorted(p.name for p in (ROOT / "lessons").glob("*.ipynb"))
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
# Lessons that show no widget on purpose; any other lesson must have one to try.
WITHOUT_WIDGETS = {"00-welcome.ipynb", "01-numbers-vs-relationships.ipynb",
                   "04-converse-dont-post.ipynb", "05-give-first.ipynb",
                   "07-review-and-grow.ipynb"}

# Change the first widget that can be changed, and report what was done.
INTERACT = """(outputNode) => {
  const select = outputNode.querySelector('.widget-dropdown select');
  if (select && select.options.length > 1) {
    select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
    select.dispatchEvent(new Event('change', {bubbles: true}));
    return 'dropdown';
  }
  return null;
}"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("lab")
    root = course_copy(scratch / "course")
    with lab_server(root, scratch) as base, chromium() as browser:
        yield base, browser


def _widget_output(page):
    """The output area of the first cell that displays a widget."""
    return page.locator(".jp-Cell-outputArea:has(.jupyter-widgets)").first


def _interact(page) -> str:
    area = _widget_output(page)
    area.scroll_into_view_if_needed()
    before = area.inner_text()
    done = area.evaluate(INTERACT)
    if done is None:
        slider = area.locator(".widget-slider .noUi-handle, .widget-slider input[type=range]")
        if slider.count():
            slider.first.focus()
            for _ in range(3):
                slider.first.press("ArrowRight")
            done = "slider"
    if done is None:
        button = area.locator("button.jupyter-button:not([disabled])")
        if button.count():
            button.first.click()
            done = "button"
    assert done, "the lesson's first widget has no dropdown, slider or button to try"
    page.wait_for_function("([node, before]) => node.innerText !== before",
                           arg=[area.element_handle(), before], timeout=30_000)
    return done


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_renders_and_responds(lab, lesson):
    base, browser = lab
    page = browser.new_page()
    try:
        open_notebook(page, base, f"lessons/{lesson}")
        report = run_all(page)
        assert not report["errors"], f"cells failed: {report['errors']}"
        assert not report["stderr"], f"cells wrote to stderr: {report['stderr'][:3]}"
        assert report["plotsShown"] == report["plotly"], (
            f"{report['plotly']} figures sent, {report['plotsShown']} drawn with data")
        assert report["widgetErrors"] == 0, "a widget failed to display"
        assert report["widgetsShown"] >= report["widgets"], (
            f"{report['widgets']} widgets sent, {report['widgetsShown']} shown")
        if lesson in WITHOUT_WIDGETS:
            assert report["widgets"] == 0
        else:
            assert report["widgets"] > 0, f"{lesson} shows no widget to explore"
            _interact(page)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{lesson.removesuffix('.ipynb')}.png"),
                        full_page=False)
    finally:
        page.close()
