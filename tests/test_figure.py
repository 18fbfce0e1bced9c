"""The kit's figures show in a real kernel exactly as plotly would show them, only sooner."""

from __future__ import annotations

import copy
import json
import pickle
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from thinksmall_kit._figure import MIMETYPE, OTHER_RENDERER_HINTS, Figure, kit_figure


def run_cells(*sources: str) -> list[list[dict]]:
    """Run ``sources`` as the cells of a notebook in a fresh python3 kernel; their outputs."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   extra_arguments=["--IPKernelApp.log_level=ERROR"]).execute()
    return [cell.outputs for cell in nb.cells]


def stream(outputs: list[dict]) -> str:
    return "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")


def test_a_kit_figure_sends_what_plotly_sends_without_loading_its_renderers() -> None:
    setup = ("import sys\n"
             "import thinksmall_kit as tsk\n"
             "fig = tsk.audit(tsk.load_persona('organiser')).figure('effort')\n"
             "type(fig).__name__")
    kit, loaded, plotly_own, after = run_cells(
        setup + "\nfig",
        "print(sorted(m for m in ('nbformat', 'jsonschema', 'plotly.io._renderers') "
        "if m in sys.modules))",
        "import plotly.io as pio\npio.show(fig)",
        "fig")
    assert [o["output_type"] for o in kit] == ["display_data"], kit
    sent = [o for o in kit if MIMETYPE in o.get("data", {})]
    assert len(sent) == 1, kit
    figure = sent[0]["data"][MIMETYPE]
    assert figure["data"] and figure["layout"]["title"]["text"].startswith("Effort against")
    # The slow imports never happened ...
    assert stream(loaded).strip() == "[]"
    # ... and plotly's own renderer sends the very same figure.
    theirs = [o for o in plotly_own if MIMETYPE in o.get("data", {})]
    assert len(theirs) == 1 and theirs[0]["data"] == sent[0]["data"]
    # Once plotly is set up, the figure goes through plotly (same message).
    again = [o for o in after if MIMETYPE in o.get("data", {})]
    assert len(again) == 1 and again[0]["data"] == sent[0]["data"]


def plotly_hints() -> set[str]:
    """The environment variables plotly's renderer module reads, from its own source."""
    import plotly.io

    source = (Path(plotly.io.__file__).parent / "_renderers.py").read_text()
    return set(re.findall(r"""os\.environ(?:\.get\(|\[)?\s*["']([A-Z_]+)["']""", source)
               + re.findall(r"""["']([A-Z_]+)["']\s+in\s+os\.environ""", source))


HINTS = [None, *[(name, "browser" if name == "PLOTLY_RENDERER" else "1")
                 for name in sorted(plotly_hints() | set(OTHER_RENDERER_HINTS))]]


def test_the_hints_are_read_from_plotlys_source() -> None:
    assert {"PLOTLY_RENDERER", "VSCODE_PID", "COLAB_NOTEBOOK_ID"} <= plotly_hints()


def test_the_kit_agrees_with_plotly_on_when_it_may_send_the_mimetype() -> None:
    """For each environment hint plotly reads, the kit's choice matches plotly's own.

    If a plotly upgrade changes how it picks its renderer, this fails here rather
    than leaving a learner with charts that do not show.
    """
    check = (
        "import importlib, json, os\n"
        "import plotly.io._renderers as r\n"
        "from thinksmall_kit._figure import plotly_would_pick_mimetype\n"
        "HINTS = {hints!s}\n"
        "seen = []\n"
        "for hint in HINTS:\n"
        "    saved = dict(os.environ)\n"
        "    if hint: os.environ[hint[0]] = hint[1]\n"
        "    try:\n"
        "        importlib.reload(r)\n"
        "        seen.append([hint, plotly_would_pick_mimetype(),"
        " r.renderers.default == 'plotly_mimetype', r.renderers.default])\n"
        "    finally:\n"
        "        os.environ.clear(); os.environ.update(saved)\n"
        "print(json.dumps(seen))")
    (out,) = run_cells(check.format(hints=json.dumps(HINTS).replace("null", "None")))
    seen = json.loads(stream(out))
    assert len(seen) == len(HINTS)
    for hint, kit, plotly, renderer in seen:
        assert kit == plotly, f"with {hint}: plotly picks {renderer!r}, the kit says {kit}"
    assert seen[0][1] is True  # a plain kernel: the fast path is taken


def test_outside_a_kernel_the_figure_is_plotlys() -> None:
    """No kernel, no fast path: the figure is a plotly figure in every other respect."""
    import plotly.graph_objects as go

    fig = kit_figure(go.Figure(go.Bar(x=[1, 2], y=[3, 4])))
    assert isinstance(fig, Figure) and isinstance(fig, go.Figure)
    assert kit_figure(fig) is fig
    assert go.Figure(fig).to_dict() == fig.to_dict()
    twin = copy.deepcopy(fig)
    assert type(twin) is Figure and twin.to_dict() == fig.to_dict()
    assert pickle.loads(pickle.dumps(fig)).to_dict() == fig.to_dict()
    with pytest.raises(TypeError, match=r"plotly\.graph_objects\.Figure"):
        kit_figure(object())  # type: ignore[arg-type]
