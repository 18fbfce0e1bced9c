"""Slides from the lessons themselves: reveal.js metadata and an offline slide build.

There is no second copy of the course for the slides. Each lesson cell carries
``metadata.slideshow.slide_type``, derived from the lesson's structure by
:func:`slide_types` (``tools/slide_metadata.py`` writes it into lessons/ and
checks it is current). JupyterLab shows the same metadata as live slides with
jupyterlab-rise; :func:`build_slides` (``thinksmall slides``, ``make slides``)
executes a copy of each lesson and turns it into one reveal.js HTML file with
nbconvert.

The slides open offline: reveal.js, its theme and plotly.js are written into
each file, and nothing is loaded from the network. reveal.js itself is not on
PyPI: ``make slides`` fetches it once from the npm registry into
``.venv/share/thinksmall/reveal.js`` (or set ``THINKSMALL_REVEAL_JS`` to an
unpacked reveal.js package, or pass ``--reveal DIR``).
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from thinksmall_kit.network import DataError

#: The reveal.js version ``make slides`` fetches (any 4.x or 5.x unpacked package works).
REVEAL_VERSION = "5.2.1"
REVEAL_FILES = {"reveal_css": "dist/reveal.css", "theme_css": "dist/theme/white.css",
                "reveal_js": "dist/reveal.js", "notes_js": "plugin/notes/notes.js"}
SLIDE_TYPES = ("slide", "subslide", "fragment", "-", "skip", "notes")
_TEMPLATE_DIR = Path(__file__).resolve().parent / "_slides"
_WIDGET_NOTE = ("*An interactive widget is here in the lesson: open the notebook in "
                "JupyterLab to use it.*")


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _is_placeholder(cell: dict[str, Any]) -> bool:
    """A code cell with nothing but comments and blank lines ("# your answers here")."""
    lines = [line.strip() for line in _source(cell).splitlines()]
    return all(not line or line.startswith("#") for line in lines)


def slide_types(cells: Sequence[dict[str, Any]]) -> list[str]:
    """The reveal.js slide type of every cell, from the lesson's structure alone.

    The rules, in order (a cell takes the first that applies):

    1. the first cell (the title) and every markdown cell starting with ``## `` → ``"slide"``;
    2. a markdown cell starting with ``### `` (a "Try it" box, a sub-section) → ``"subslide"``;
    3. a code cell holding only comments or nothing (``# your answers here``) → ``"skip"``;
    4. a code cell right after markdown → ``"fragment"`` (the explanation first, then the
       code and its output on the same slide);
    5. a code cell after another code cell, or markdown after code → ``"subslide"``
       (a new step below the same section);
    6. anything else (markdown after markdown) → ``"-"`` (same slide).

    Cells marked ``"skip"`` do not count as "before" for rules 4 and 5.

    Examples
    --------
    >>> cells = [{"cell_type": "markdown", "source": "# 01 · Title"},
    ...          {"cell_type": "markdown", "source": "## Setup"},
    ...          {"cell_type": "code", "source": "import thinksmall_kit as tsk"},
    ...          {"cell_type": "code", "source": "net = tsk.load_persona('ceramics')"},
    ...          {"cell_type": "markdown", "source": "Read it."},
    ...          {"cell_type": "markdown", "source": "### Try it"},
    ...          {"cell_type": "code", "source": "# your answers here"}]
    >>> slide_types(cells)
    ['slide', 'slide', 'fragment', 'subslide', 'subslide', 'subslide', 'skip']

    Introduced in the instructors' guide (instructors/facilitator-guide.md).
    """
    types: list[str] = []
    previous: str | None = None  # cell type of the last cell shown
    for i, cell in enumerate(cells):
        kind = cell.get("cell_type")
        text = _source(cell).lstrip()
        if kind == "markdown" and (i == 0 or text.startswith("## ")):
            slide = "slide"
        elif kind == "markdown" and text.startswith("### "):
            slide = "subslide"
        elif kind == "code" and _is_placeholder(cell):
            slide = "skip"
        elif kind == "code":
            slide = "fragment" if previous == "markdown" else "subslide"
        elif previous == "code":
            slide = "subslide"
        else:
            slide = "-"
        if slide != "skip":
            previous = kind
        types.append(slide)
    return types


def apply_slide_metadata(nb: dict[str, Any]) -> bool:
    """Write :func:`slide_types` into ``cell.metadata.slideshow``; True if anything changed.

    Only ``slideshow.slide_type`` is touched; running it twice changes nothing
    the second time.

    Introduced in the instructors' guide (instructors/facilitator-guide.md).
    """
    changed = False
    for cell, slide in zip(nb["cells"], slide_types(nb["cells"]), strict=True):
        meta = cell.setdefault("metadata", {})
        show = meta.get("slideshow")
        if not isinstance(show, dict) or show.get("slide_type") != slide:
            meta["slideshow"] = {**(show if isinstance(show, dict) else {}),
                                 "slide_type": slide}
            changed = True
    return changed


def count_slides(nb: dict[str, Any]) -> dict[str, int]:
    """How many slides and sub-slides the metadata asks for (cells without it count as "-")."""
    types = [c.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")
             for c in nb["cells"]]
    return {"slide": types.count("slide"), "subslide": types.count("subslide")}


def find_reveal(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The folder of an unpacked reveal.js package (it holds ``dist/reveal.js``)."""
    if explicit:  # asked for one folder: only that one
        candidates = [Path(explicit)]
    elif os.environ.get("THINKSMALL_REVEAL_JS"):
        candidates = [Path(os.environ["THINKSMALL_REVEAL_JS"])]
    else:
        candidates = [Path(sys.prefix) / "share" / "thinksmall" / "reveal.js"]
    for folder in candidates:
        folder = folder.expanduser()
        if all((folder / rel).is_file() for rel in REVEAL_FILES.values()):
            return folder
    tried = ", ".join(str(c) for c in candidates)
    raise DataError(f"slides: reveal.js was not found (looked in {tried}). Run `make slides` "
                    f"once (it fetches reveal.js {REVEAL_VERSION} from the npm registry), or "
                    "pass --reveal DIR pointing at an unpacked reveal.js package")


def _reveal_resources(folder: Path) -> dict[str, str]:
    files = {key: (folder / rel).read_text(encoding="utf-8") for key, rel in
             REVEAL_FILES.items()}
    # The theme imports its web fonts from files next to it: use the system's fonts instead.
    files["theme_css"] = re.sub(r"@import url\([^)]*\);", "", files["theme_css"])
    files["reveal_js"] = files["reveal_js"].replace("</script", "<\\/script")
    files["notes_js"] = files["notes_js"].replace("</script", "<\\/script")
    return files


@contextlib.contextmanager
def _private_workspace(folder: Path) -> Iterator[None]:
    """Run the lessons against a scratch workspace, never the instructor's own."""
    old = os.environ.get("THINKSMALL_WORKSPACE")
    os.environ["THINKSMALL_WORKSPACE"] = str(folder / "workspace.sqlite")
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("THINKSMALL_WORKSPACE", None)
        else:
            os.environ["THINKSMALL_WORKSPACE"] = old


def _static_outputs(nb: Any) -> None:
    """Turn kernel outputs that need a live frontend into plain HTML.

    plotly figures (``application/vnd.plotly.v1+json``, which nbconvert cannot
    show) become HTML with plotly.js written once, in the first figure; widgets
    (which would need a widget manager from a CDN) become a short note.
    """
    import plotly.io as pio

    first = True
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "application/vnd.plotly.v1+json" in data:
                fig = pio.from_json(json.dumps(data["application/vnd.plotly.v1+json"]),
                                    skip_invalid=True)
                html = fig.to_html(full_html=False, include_plotlyjs=first,
                                   include_mathjax=False, default_width="100%",
                                   config={"displaylogo": False, "responsive": True})
                first = False
                output["data"] = {"text/html": html}
            elif "application/vnd.jupyter.widget-view+json" in data:
                output["data"] = {"text/markdown": _WIDGET_NOTE}
    nb.metadata.pop("widgets", None)


def build_slides(lessons: Sequence[str | os.PathLike[str]], out: str | os.PathLike[str], *,
                 reveal: str | os.PathLike[str] | None = None, execute: bool = True,
                 timeout: int = 300, transition: str = "none") -> list[Path]:
    """Build one offline reveal.js HTML file per lesson, with its outputs.

    Each lesson is copied, executed in its own kernel (against a scratch
    workspace, so your own is never touched), and converted with nbconvert's
    slides exporter and the kit's template, which inlines reveal.js and
    plotly.js instead of loading them from a CDN. The lesson files themselves
    are never written to. A lesson without slide metadata gets
    :func:`slide_types` on the copy.

    Parameters
    ----------
    lessons : list of paths
        Lesson notebooks.
    out : path
        Folder for the ``NN-topic.slides.html`` files (created if needed).
    reveal : path, optional
        An unpacked reveal.js package; default :func:`find_reveal`.
    execute : bool, default True
        Run the lessons first so the slides show tables and figures.
    timeout : int, default 300
        Seconds one cell may take.
    transition : str, default "none"
        reveal.js transition between slides ("none", "fade", "slide").

    Returns
    -------
    list of pathlib.Path
        The HTML files written.

    Introduced in the instructors' guide (instructors/facilitator-guide.md).
    """
    import nbformat
    from nbconvert import SlidesExporter

    folder = find_reveal(reveal)
    files = _reveal_resources(folder)
    files["transition"] = transition
    out = Path(os.path.expanduser(os.fspath(out)))
    paths = [Path(p) for p in lessons]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise DataError(f"slides: no such lesson: {', '.join(missing)}")
    out.mkdir(parents=True, exist_ok=True)
    exporter = SlidesExporter(template_file=str(_TEMPLATE_DIR / "thinksmall.html.j2"))
    written = []
    with tempfile.TemporaryDirectory(prefix="thinksmall-slides-") as scratch:
        for path in paths:
            nb = nbformat.read(path, as_version=4)
            nb = copy.deepcopy(nb)
            if any("slideshow" not in c.get("metadata", {}) for c in nb.cells):
                apply_slide_metadata(nb)
            for cell in nb.cells:
                if cell.get("cell_type") == "code":
                    cell["outputs"], cell["execution_count"] = [], None
            if execute:
                from nbclient import NotebookClient

                work = Path(scratch) / path.stem
                work.mkdir()
                with _private_workspace(work):
                    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                   resources={"metadata": {"path": str(work)}}).execute()
            _static_outputs(nb)
            body, _ = exporter.from_notebook_node(
                nb, resources={"metadata": {"name": path.stem}, "thinksmall": files})
            target = out / f"{path.stem}.slides.html"
            target.write_text(body, encoding="utf-8")
            written.append(target)
    return written
