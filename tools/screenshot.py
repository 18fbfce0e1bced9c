"""Take the README's screenshots of the lessons in a real JupyterLab, in Debian's Chromium.

    .venv/bin/python tools/screenshot.py                  # every screenshot in SHOTS
    .venv/bin/python tools/screenshot.py LESSON --out docs/x.png [--scroll-to SELECTOR]
                                         [--size 1280x800]

Uses the same server and browser helpers as the browser tests (tests/_lab.py):
``thinksmall lab`` on a free loopback port with a private workspace, on a copy
of the course so nothing is saved into the repository. The lesson is run top to
bottom, then scrolled so that the first element matching ``--scroll-to`` (a
Playwright selector) is in the middle of the window. ``make screenshots``
installs Chromium first when it is missing and takes every shot in SHOTS.
When ImageMagick's ``convert`` works, the PNGs are also stripped of metadata and
reduced to 256 colours; without it they stay as Chromium wrote them (about
100-150 KB at 1280x800).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from _lab import (  # noqa: E402
    chromium,
    course_copy,
    lab_server,
    open_notebook,
    run_all,
    shut_down_kernel,
)

DOCS = ROOT / "docs"


@dataclass(frozen=True)
class Shot:
    lesson: str
    out: Path
    scroll_to: str = ".jp-OutputArea-output table"


#: The screenshots README.md shows.
SHOTS = [
    Shot("lessons/00-welcome.ipynb", DOCS / "welcome-lesson.png"),
    Shot("lessons/02-audit-your-networks.ipynb", DOCS / "audit-effort-return.png",
         ".js-plotly-plot >> nth=0"),
    Shot("lessons/03-map-your-tribe.ipynb", DOCS / "tribe-rings.png",
         ".js-plotly-plot >> nth=0"),
    Shot("lessons/06-small-habits.ipynb", DOCS / "habit-calendar.png",
         ".js-plotly-plot >> nth=2"),
]

# Scroll the node towards the middle of the window; true once its middle is there.
CENTRED = """(node) => {
  const r = node.getBoundingClientRect(), mid = (r.top + r.bottom) / 2;
  const ok = r.height > 0 && Math.abs(mid - window.innerHeight / 2) < window.innerHeight / 4;
  if (!ok) { node.scrollIntoView({block: 'center'}); }
  return ok;
}"""

# True once the notebook has stopped scrolling (same position for 300 ms).
SCROLL_SETTLED = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content.node;
  const pos = nb.scrollTop, now = performance.now();
  if (window.__shotPos !== pos) { window.__shotPos = pos; window.__shotSince = now; return false; }
  return now - window.__shotSince > 300;
}"""


def _shrink(path: Path) -> None:
    convert = shutil.which("convert")
    if convert:  # optional: without ImageMagick the PNG stays as Chromium wrote it
        subprocess.run([convert, str(path), "-strip", "-colors", "256", f"PNG8:{path}"],
                       check=False, capture_output=True)


def take(page, base: str, shot: Shot) -> None:
    """Open ``shot.lesson``, run it, centre ``shot.scroll_to``, save the window to ``shot.out``."""
    open_notebook(page, base, shot.lesson)
    try:
        run_all(page)
        target = page.locator(shot.scroll_to).first
        target.wait_for(timeout=60_000)
        # Cells off screen are laid out lazily, so one scroll can land short: scroll
        # until the target's middle is in the window, then until nothing moves.
        page.wait_for_function(CENTRED, arg=target.element_handle(), polling=200,
                               timeout=30_000)
        page.wait_for_function(SCROLL_SETTLED, polling=100, timeout=30_000)
        shot.out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot.out))
        _shrink(shot.out)
    finally:
        shut_down_kernel(page)


def screenshot(shots: list[Shot], size: tuple[int, int] = (1280, 800)) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        root = course_copy(scratch / "course")
        with lab_server(root, scratch) as base, chromium(*size) as browser:
            for shot in shots:
                page = browser.new_page()
                try:
                    take(page, base, shot)
                finally:
                    page.close()
                print(f"wrote {shot.out} ({shot.out.stat().st_size // 1024} KB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lesson", nargs="?",
                        help="one lesson to shoot (default: every shot README.md uses)")
    parser.add_argument("--out", type=Path, help="where to write the PNG (with a lesson)")
    parser.add_argument("--scroll-to", default=Shot.scroll_to,
                        help="Playwright selector to centre, e.g. '.js-plotly-plot >> nth=1'")
    parser.add_argument("--size", default="1280x800", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    if args.lesson:
        out = args.out or DOCS / (Path(args.lesson).stem + ".png")
        shots = [Shot(args.lesson, out, args.scroll_to)]
    else:
        shots = SHOTS
    screenshot(shots, (width, height))


if __name__ == "__main__":
    main()
