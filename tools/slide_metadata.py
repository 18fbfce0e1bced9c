"""Write reveal.js slide metadata into the lessons, derived from their structure.

The slides are the lessons themselves: every cell gets
``metadata.slideshow.slide_type`` from ``thinksmall_kit.slides.slide_types``
(the title and each ``## `` section start a slide, ``### `` boxes a sub-slide,
code after its explanation is a fragment, empty "your answers here" cells are
skipped). JupyterLab (jupyterlab-rise) and ``thinksmall slides`` read it. Run it
after editing a lesson::

    .venv/bin/python tools/slide_metadata.py          # rewrite lessons/*.ipynb
    .venv/bin/python tools/slide_metadata.py --check  # exit 1 if any lesson is stale
    .venv/bin/python tools/slide_metadata.py DIR_OR_NOTEBOOK ...  # other notebooks

Only ``slideshow.slide_type`` changes; running it twice changes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from thinksmall_kit.slides import apply_slide_metadata  # noqa: E402


def notebooks(targets: list[str]) -> list[Path]:
    paths = [Path(t) for t in targets] or [ROOT / "lessons"]
    found: list[Path] = []
    for path in paths:
        found += sorted(path.glob("[0-9][0-9]-*.ipynb")) if path.is_dir() else [path]
    return found


def render(text: str) -> str:
    nb = json.loads(text)
    apply_slide_metadata(nb)
    # The layout nbformat writes (and tools/navigation.py keeps): no spurious diffs.
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help="notebooks or folders (default: lessons/)")
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    args = parser.parse_args(argv)
    stale = []
    for path in notebooks(args.targets):
        old = path.read_text(encoding="utf-8")
        new = render(old)
        if new != old:
            stale.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    if args.check and stale:
        print("stale slide metadata in:", *(str(p) for p in stale),
              "- run .venv/bin/python tools/slide_metadata.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
