"""Write the map of the course into the places that show it, from one list.

The list of lessons lives here and nowhere else. This script writes it into
the welcome lesson (the markdown cell that starts with ``<!-- lesson-map -->``)
and into README.md (between ``<!-- lesson-map:start -->`` and
``<!-- lesson-map:end -->``). Run it after adding a lesson::

    .venv/bin/python tools/navigation.py          # rewrite
    .venv/bin/python tools/navigation.py --check  # exit 1 if anything is stale

A lesson listed here whose file does not exist yet shows as "coming".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: (file in lessons/, title, what the learner leaves able to do)
LESSONS = [
    ("00-welcome.ipynb", "Welcome: think small",
     "load a network and read its three tables"),
    ("01-numbers-vs-relationships.ipynb", "Numbers versus relationships",
     "tell vanity numbers from signs of real conversation"),
    ("02-audit-your-networks.ipynb", "Audit your networks: cut twenty to five",
     "audit every platform and keep the few worth your time"),
    ("03-map-your-tribe.ipynb", "Map your tribe",
     "find the people who matter and how strong each tie is"),
    ("04-converse-dont-post.ipynb", "Converse, don't post",
     "turn broadcasts into two-way conversations"),
    ("05-give-first.ipynb", "Give first",
     "put other people's work forward before asking for anything"),
    ("06-small-habits.ipynb", "Small habits",
     "plan small daily reach-outs and put them in your calendar"),
    ("07-review-and-grow.ipynb", "Review and grow",
     "look back after four weeks and see what changed"),
]

MAP_MARK = "<!-- lesson-map -->"
README_START, README_END = "<!-- lesson-map:start -->", "<!-- lesson-map:end -->"


def lesson_table(link_prefix: str) -> str:
    rows = ["| # | lesson | you leave able to |", "|---|---|---|"]
    for name, title, outcome in LESSONS:
        number = name[:2]
        if (ROOT / "lessons" / name).is_file():
            rows.append(f"| {number} | [{title}]({link_prefix}{name}) | {outcome} |")
        else:
            rows.append(f"| {number} | {title} *(coming)* | {outcome} |")
    return "\n".join(rows)


def render_welcome(text: str) -> str:
    nb = json.loads(text)
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and source.startswith(MAP_MARK):
            new = f"{MAP_MARK}\n## The map of the course\n\n{lesson_table('')}"
            cell["source"] = new.splitlines(keepends=True)
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def render_readme(text: str) -> str:
    pattern = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.S)
    block = f"{README_START}\n{lesson_table('lessons/')}\n{README_END}"
    return pattern.sub(lambda _: block, text)


TARGETS = {ROOT / "lessons" / "00-welcome.ipynb": render_welcome,
           ROOT / "README.md": render_readme}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    stale = []
    for path, render in TARGETS.items():
        old = path.read_text(encoding="utf-8")
        new = render(old)
        if new != old:
            stale.append(path.relative_to(ROOT))
            if not args.check:
                path.write_text(new, encoding="utf-8")
    if args.check and stale:
        print("stale lesson map in:", *stale, "- run .venv/bin/python tools/navigation.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
