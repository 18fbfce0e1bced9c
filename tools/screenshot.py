"""Take the README's screenshot of a lesson in a real JupyterLab, in Debian's Chromium.

    .venv/bin/python tools/screenshot.py [lessons/00-welcome.ipynb] [--out docs/welcome-lesson.png]

Starts ``thinksmall lab`` on a free loopback port with a private workspace and
Jupyter config, opens the lesson, runs every cell, waits for the kernel to go
idle (no fixed sleeps), scrolls to the first table and saves a PNG. ``make
screenshots`` installs Chromium first when it is missing.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
KERNEL_IDLE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(tmp: Path, token: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               THINKSMALL_WORKSPACE=str(tmp / "workspace.sqlite"))
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "thinksmall"), "lab", "--no-browser",
         "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
         "--LabApp.expose_app_in_browser=True"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5)
            return server, base
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise SystemExit("JupyterLab did not start") from None
            time.sleep(0.25)


def screenshot(lesson: str, out: Path, width: int = 1280, height: int = 860) -> None:
    from playwright.sync_api import sync_playwright

    token = "thinksmall-screenshot"
    with tempfile.TemporaryDirectory() as tmp:
        server, base = start_lab(Path(tmp), token)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                            args=CHROMIUM_FLAGS)
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"{base}/lab/tree/{lesson}?token={token}")
                page.wait_for_function(KERNEL_IDLE, timeout=120_000)
                page.evaluate("() => window.jupyterapp.commands.execute("
                              "'notebook:run-all-cells')")
                page.wait_for_function("""() => {
                  const w = window.jupyterapp.shell.currentWidget;
                  return w.content.widgets.every(c => c.model.type !== 'code'
                    || (c.model.executionCount !== null && c.promptNode.textContent !== '[*]:'));
                }""", timeout=300_000)
                page.wait_for_function(KERNEL_IDLE, timeout=120_000)
                page.evaluate("() => window.jupyterapp.commands.execute("
                              "'application:toggle-left-area')")
                target = page.locator(".jp-OutputArea-output table").first
                target.scroll_into_view_if_needed()
                page.mouse.wheel(0, -220)
                page.wait_for_timeout(300)  # let the scroll settle before the picture
                out.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(out))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lesson", nargs="?", default="lessons/00-welcome.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "welcome-lesson.png")
    args = parser.parse_args()
    screenshot(args.lesson, args.out)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
