"""A real JupyterLab on loopback, driven by Debian's Chromium through Playwright.

Used by the browser tests (tests/test_browser.py) and by tools/screenshot.py, so
there is one way to start the server and one way to run a notebook in it.

Waits are on JupyterLab's own state (``window.jupyterapp``, exposed with
``--LabApp.expose_app_in_browser``): the kernel is connected and idle and every
code cell has an execution count. No fixed sleeps.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
TOKEN = "thinksmall-e2e"

KERNEL_IDLE = """() => {
  const app = window.jupyterapp;
  const w = app && app.shell.currentWidget;
  const s = w && w.sessionContext && w.sessionContext.session;
  const k = s && s.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}"""

ALL_CELLS_RAN = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  if (!w || !w.content) { return false; }
  return w.content.widgets.every(c => c.model.type !== 'code'
      || (c.model.executionCount !== null && c.promptNode
          && !c.promptNode.textContent.includes('*')));
}"""

# What the kernel sent (by MIME type) against what the page shows.
OUTPUT_REPORT = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const report = {errors: [], stderr: [], plotly: 0, widgets: 0, cells: 0};
  w.content.widgets.forEach((c, i) => {
    if (c.model.type !== 'code') { return; }
    report.cells += 1;
    const outs = c.model.outputs.toJSON();
    outs.forEach(o => {
      if (o.output_type === 'error') { report.errors.push([i, o.ename, o.evalue]); }
      if (o.output_type === 'stream' && o.name === 'stderr') { report.stderr.push([i, o.text]); }
      const data = o.data || {};
      if (data['application/vnd.plotly.v1+json']) { report.plotly += 1; }
      if (data['application/vnd.jupyter.widget-view+json']) { report.widgets += 1; }
    });
  });
  const node = w.content.node;
  report.plotsShown = Array.from(node.querySelectorAll('.js-plotly-plot')).filter(
      p => p._fullData && p._fullData.length > 0
           && p.querySelector('.main-svg, canvas')).length;
  report.widgetsShown = node.querySelectorAll(
      '.jp-OutputArea-output .jupyter-widgets:not(.jupyter-widgets .jupyter-widgets)').length;
  report.widgetErrors = (node.innerText.match(/Error displaying widget/g) || []).length;
  return report;
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def course_copy(dest: Path) -> Path:
    """Copy lessons/ and exercises/ to ``dest`` so the browser never saves into the repo."""
    for folder in ("lessons", "exercises"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, dest / folder, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "gradebook.db"))
    return dest


@contextmanager
def lab_server(root: Path, scratch: Path) -> Iterator[str]:
    """Run ``thinksmall lab`` on ``root``; yield its base URL; stop it afterwards."""
    port = free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(scratch / "config"),
               JUPYTER_RUNTIME_DIR=str(scratch / "runtime"),
               JUPYTER_DATA_DIR=str(scratch / "data"),
               THINKSMALL_WORKSPACE=str(scratch / "workspace.sqlite"))
    log = open(scratch / "lab.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "thinksmall"), "lab", "--root", str(root),
         "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={TOKEN}", "--LabApp.expose_app_in_browser=True",
         "--ServerApp.disable_check_xsrf=False"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=5)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start:\n"
                                       + (scratch / "lab.log").read_text()) from None
                time.sleep(0.25)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@contextmanager
def chromium(width: int = 1280, height: int = 860) -> Iterator[object]:
    """A Playwright browser context on Debian's Chromium (Playwright cannot download one here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": width, "height": height})
        try:
            yield context
        finally:
            context.close()
            browser.close()


def open_notebook(page, base: str, relpath: str, timeout_ms: int = 120_000) -> None:
    """Open a notebook in a fresh JupyterLab workspace and wait until its kernel is idle.

    Each notebook gets its own named workspace, so JupyterLab does not restore the
    tabs of an earlier page and "the current notebook" is the one asked for.
    """
    workspace = "e2e-" + "".join(ch if ch.isalnum() else "-" for ch in relpath)
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{relpath}?reset&token={TOKEN}")
    page.wait_for_function(
        "(path) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " return !!w && !!w.context && w.context.path === path; }",
        arg=relpath, timeout=timeout_ms)
    page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms)
    # Give the notebook the whole width, as a learner reading a lesson would.
    page.evaluate("""() => { const app = window.jupyterapp;
      if (!app.shell.leftCollapsed) { app.commands.execute('application:toggle-left-area'); } }""")


def run_all(page, timeout_ms: int = 300_000) -> dict:
    """Run every cell of the open notebook, wait for the kernel, return the output report."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(ALL_CELLS_RAN, timeout=timeout_ms)
    page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms)
    return page.evaluate(OUTPUT_REPORT)


def shut_down_kernel(page) -> None:
    """Stop the open notebook's kernel, so finished notebooks do not hold CPU and memory."""
    page.evaluate("""async () => { const w = window.jupyterapp.shell.currentWidget;
      if (w && w.sessionContext) { await w.sessionContext.shutdown(); } }""")


# The first cell a learner answers: an nbgrader solution cell that is code.
FIRST_ANSWER_CELL = """() => window.jupyterapp.shell.currentWidget.content.widgets.findIndex(
    c => c.model.type === 'code'
         && ((c.model.getMetadata('nbgrader') || {}).solution === true))"""

CELLS_RAN_UP_TO = """(last) => {
  const cells = window.jupyterapp.shell.currentWidget.content.widgets.slice(0, last + 1);
  return cells.every(c => c.model.type !== 'code'
      || (c.model.executionCount !== null && c.promptNode
          && !c.promptNode.textContent.includes('*')));
}"""


def type_into_cell(page, index: int, text: str) -> None:
    """Replace cell ``index``'s source as a learner would: click in it, select all, type.

    The text goes in through CodeMirror as one input (no key-by-key auto-indent or
    bracket closing), then the test waits until the cell's model holds exactly it.
    """
    page.evaluate("(i) => { const nb = window.jupyterapp.shell.currentWidget.content;"
                  " nb.activeCellIndex = i; nb.mode = 'edit'; }", index)
    editor = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(text)
    page.wait_for_function(
        "([i, text]) => window.jupyterapp.shell.currentWidget.content.widgets[i]"
        ".model.sharedModel.getSource() === text", arg=[index, text], timeout=30_000)


def run_cells_up_to(page, index: int, timeout_ms: int = 120_000) -> list[dict]:
    """Run every cell from the top to ``index``; return the outputs of each (as JSON)."""
    page.evaluate("""async (i) => { const app = window.jupyterapp;
      const nb = app.shell.currentWidget.content;
      nb.mode = 'command'; nb.activeCellIndex = i;
      await app.commands.execute('notebook:run-all-above');
      nb.activeCellIndex = i;
      await app.commands.execute('notebook:run-cell'); }""", index)
    page.wait_for_function(CELLS_RAN_UP_TO, arg=index, timeout=timeout_ms)
    page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms)
    return page.evaluate("(i) => window.jupyterapp.shell.currentWidget.content.widgets"
                         ".slice(0, i + 1).map(c => c.model.type === 'code'"
                         " ? c.model.outputs.toJSON() : [])", index)


@contextmanager
def offline_page(path: Path) -> Iterator[tuple[object, list[str], list[str]]]:
    """Open a local HTML file in Chromium with every request but ``file:`` aborted.

    Yields the page, the URLs that were blocked and the page's JavaScript errors, so
    a test can prove a page works offline and asks the network for nothing.
    """
    blocked: list[str] = []
    errors: list[str] = []
    with chromium() as context:
        def route(r) -> None:
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(Path(path).resolve().as_uri())
        yield page, blocked, errors
