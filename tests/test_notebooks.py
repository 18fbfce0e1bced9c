"""Every lesson and exercise source runs top to bottom headless, and is committed clean."""

from __future__ import annotations

import json
import subprocess

import nbformat
import pytest
from conftest import ROOT

LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises" / "source").glob("*/*.ipynb"))
NOTEBOOKS = LESSONS + EXERCISES


def _tracked_notebooks() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (an sdist)
        return [str(p.relative_to(ROOT)) for p in NOTEBOOKS]
    return out.split()


def test_there_are_lessons():
    assert (ROOT / "lessons" / "00-welcome.ipynb") in LESSONS


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path, tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    stderr = [(i, "".join(o.get("text", ""))) for i, c in enumerate(nb.cells)
              if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert not stderr, f"{path.name}: cells wrote warnings to stderr: {stderr[:3]}"


@pytest.mark.parametrize("relpath", _tracked_notebooks())
def test_committed_without_outputs(relpath):
    nb = json.loads((ROOT / relpath).read_text(encoding="utf-8"))
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, (f"{relpath}: cells {dirty} carry outputs; clear them with "
                       f"`jupyter nbconvert --clear-output --inplace {relpath}`")
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3"


def test_lesson_map_is_current():
    import sys

    out = subprocess.run([sys.executable, str(ROOT / "tools" / "navigation.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout
