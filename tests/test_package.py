"""The package's public face: its API list, lazy imports, typing marker."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

import thinksmall_kit

HEAVY = ["plotly", "networkx", "nbgrader", "ipywidgets", "icalendar"]


def test_every_public_name_exists_and_is_documented():
    for name in thinksmall_kit.__all__:
        obj = getattr(thinksmall_kit, name)
        if callable(obj):
            assert obj.__doc__, f"{name} has no docstring"


def test_import_loads_no_heavy_library():
    code = ("import sys, json, thinksmall_kit; "
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    assert json.loads(out) == [], f"import thinksmall_kit pulled in {out}"


def test_import_sets_no_global_state():
    code = ("import pandas as pd, warnings; before = pd.get_option('display.max_rows'); "
            "filters = list(warnings.filters); import thinksmall_kit; "
            "assert pd.get_option('display.max_rows') == before; "
            "assert warnings.filters == filters")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_typed_marker_and_version():
    assert (ROOT / "thinksmall_kit" / "py.typed").is_file()
    from importlib.metadata import version

    assert version("thinksmall-kit") == thinksmall_kit.__version__


def test_exports_map_and_type_checking_imports_agree():
    """One list of public names: the lazy map, __all__ and the editors' imports match."""
    import ast
    import inspect

    from thinksmall_kit import _HOME

    assert set(thinksmall_kit.__all__) == set(_HOME) | {"__version__"}
    tree = ast.parse(inspect.getsource(thinksmall_kit))
    block = next(node for node in tree.body if isinstance(node, ast.If))  # if TYPE_CHECKING:
    imported = {alias.name for node in block.body for alias in node.names}
    assert imported == set(_HOME)


def test_functions_stay_functions_after_their_submodule_is_imported():
    code = ("import thinksmall_kit as tsk, thinksmall_kit.audit, thinksmall_kit.tribe, "
            "thinksmall_kit.review, thinksmall_kit.conversation; "
            "assert all(callable(f) and not isinstance(f, type(tsk)) for f in "
            "(tsk.audit, tsk.tribe, tsk.review, tsk.conversation)); "
            "import thinksmall_kit.habits; print(tsk.tribe.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip() == "thinksmall_kit.tribe"
