"""The kit's figures: plotly figures that show without loading plotly's renderer registry.

Every chart the kit draws is a :class:`Figure`, a ``plotly.graph_objects.Figure``
in every respect (update it, save it, ``show()`` it) except one: in a plain
Jupyter kernel, showing it as a cell's result sends the same message plotly's
own ``plotly_mimetype`` renderer sends, without importing ``plotly.io._renderers``.

Why not let plotly do it: that module imports nbformat at import to check its
version, nbformat imports jsonschema, and jsonschema imports rfc3987-syntax
(installed with Jupyter), which compiles its IRI grammars with Lark at import.
Together that is about 0.8 s on this 2-core machine, paid by the first chart of
every lesson (issue 11; ``bench/bench_notebooks.py`` prints it). The message
itself needs none of it.

Where plotly would pick another renderer (``PLOTLY_RENDERER`` set, VS Code,
Colab, a terminal...) or has already been set up in this kernel (someone used
``plotly.io`` or ``fig.show()``), the figure defers to plotly. The conditions
mirror plotly's own choice in ``plotly/io/_renderers.py``; a test starts real
kernels with each hint set and checks the two agree, so a plotly upgrade that
changes the choice fails the test rather than the learner.
"""

from __future__ import annotations

import json
import os
import sys

import plotly.graph_objects as go

#: The mimetype JupyterLab's plotly extension renders (what ``plotly_mimetype`` sends).
MIMETYPE = "application/vnd.plotly.v1+json"
#: Environment variables with which plotly picks a renderer other than ``plotly_mimetype``.
OTHER_RENDERER_HINTS = ("PLOTLY_RENDERER", "COLAB_NOTEBOOK_ID", "AZURE_NOTEBOOKS_HOST",
                        "VSCODE_PID", "NTERACT_EXE", "COCALC_PROJECT_ID",
                        "DATABRICKS_RUNTIME_VERSION")


def sends_mimetype_itself() -> bool:
    """True when the kit shows its figures itself: plotly is not set up yet, and would pick
    ``plotly_mimetype`` alone when it is."""
    # Once plotly is set up in this kernel, its renderer (maybe chosen by the learner) stands.
    return "plotly.io._renderers" not in sys.modules and plotly_would_pick_mimetype()


def plotly_would_pick_mimetype() -> bool:
    """Whether plotly's default renderer, chosen now, would be ``plotly_mimetype``."""
    if any(hint in os.environ for hint in OTHER_RENDERER_HINTS) or os.path.exists(
            "/kaggle/input"):
        return False
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return (shell is not None and type(shell).__name__ == "ZMQInteractiveShell"
            and type(shell).__module__.startswith("ipykernel."))


class Figure(go.Figure):
    """A plotly figure that shows itself quickly in a Jupyter kernel (see the module)."""

    def _ipython_display_(self) -> None:
        if not sends_mimetype_itself():
            super()._ipython_display_()
            return
        import plotly.io as pio
        from IPython.display import display

        # What plotly_mimetype sends: the validated figure as JSON-compatible data.
        data = json.loads(pio.to_json(self.to_dict(), validate=False, remove_uids=False))
        display({MIMETYPE: data}, raw=True)


def kit_figure(fig: go.Figure) -> Figure:
    """``fig`` as a :class:`Figure` (the same object: only its class changes)."""
    if not isinstance(fig, Figure):
        if type(fig) is not go.Figure:
            raise TypeError(f"expected a plotly.graph_objects.Figure, got {type(fig).__name__}")
        fig.__class__ = Figure
    return fig
