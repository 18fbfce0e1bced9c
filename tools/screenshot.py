"""Take the README's screenshot of a lesson in a real JupyterLab, in Debian's Chromium.

    .venv/bin/python tools/screenshot.py [lessons/00-welcome.ipynb] [--out docs/welcome-lesson.png]

Uses the same server and browser helpers as the browser tests (tests/_lab.py):
``thinksmall lab`` on a free loopback port with a private workspace, on a copy
of the course so nothing is saved into the repository. ``make screenshots``
installs Chromium first when it is missing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from _lab import chromium, course_copy, lab_server, open_notebook, run_all  # noqa: E402


def screenshot(lesson: str, out: Path, scroll_to: str = ".jp-OutputArea-output table") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        root = course_copy(scratch / "course")
        with lab_server(root, scratch) as base, chromium() as browser:
            page = browser.new_page()
            open_notebook(page, base, lesson)
            run_all(page)
            target = page.locator(scroll_to).first
            target.scroll_into_view_if_needed()
            page.mouse.wheel(0, -220)
            page.wait_for_timeout(300)  # let the scroll settle before the picture
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lesson", nargs="?", default="lessons/00-welcome.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "welcome-lesson.png")
    args = parser.parse_args()
    screenshot(args.lesson, args.out)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
