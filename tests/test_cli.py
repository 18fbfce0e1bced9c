"""The ``thinksmall`` command: --version, doctor (healthy and broken), and a real lab server."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import ROOT, subprocess_env, tool

import thinksmall_kit


def run(*args, env=None, cwd=ROOT, timeout=120):
    return subprocess.run([tool("thinksmall"), *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=timeout)


def test_version_from_command_and_module():
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"thinksmall-kit {thinksmall_kit.__version__}"
    mod = subprocess.run([sys.executable, "-m", "thinksmall_kit", "--version"],
                         capture_output=True, text=True, cwd=ROOT)
    assert mod.stdout == out.stdout


def test_no_command_prints_help_and_fails():
    out = run()
    assert out.returncode == 2 and "lab" in out.stdout and "doctor" in out.stdout


def test_doctor_passes_on_this_install():
    out = run("doctor")
    assert out.returncode == 0, out.stdout + out.stderr
    for name in ("pandas", "nbgrader", "jupyterlab-plotly", "@jupyter-widgets/jupyterlab-manager",
                 "@jupyter/nbgrader", "validate_assignment"):
        assert name in out.stdout
    assert "BROKEN" not in out.stdout


def test_doctor_reports_a_disabled_extension_with_its_fix(tmp_path):
    config = tmp_path / "config"
    # In a venv, Jupyter ranks the environment's config above the user's unless told not to.
    env = subprocess_env(JUPYTER_CONFIG_DIR=str(config), JUPYTER_PREFER_ENV_PATH="0")
    subprocess.run([tool("jupyter"), "labextension", "disable", "--level=user",
                    "@jupyter-widgets/jupyterlab-manager"], env=env, check=True,
                   capture_output=True)
    # what `jupyter server extension disable --user NAME` writes for an extension
    (config / "jupyter_server_config.d").mkdir(parents=True)
    (config / "jupyter_server_config.d" / "off.json").write_text(json.dumps(
        {"ServerApp": {"jpserver_extensions": {
            "nbgrader.server_extensions.validate_assignment": False}}}))
    out = run("doctor", env=env)
    assert out.returncode == 1
    assert "jupyter labextension enable @jupyter-widgets/jupyterlab-manager" in out.stdout
    assert ("jupyter server extension enable nbgrader.server_extensions.validate_assignment"
            in out.stdout)
    assert out.stdout.count("BROKEN") == 2
    healthy = run("doctor", env=subprocess_env(JUPYTER_CONFIG_DIR=str(tmp_path / "empty")))
    assert healthy.returncode == 0


def test_lab_without_lessons_says_where_it_looked(tmp_path):
    out = run("lab", "--root", str(tmp_path), "--no-browser")
    assert out.returncode != 0
    assert "no lessons/ folder" in out.stderr and str(tmp_path) in out.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


@pytest.mark.slow
def test_lab_serves_the_welcome_lesson(tmp_path):
    port, token = _free_port(), "thinksmall-test"
    env = subprocess_env(JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
                         JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    server = subprocess.Popen(
        [tool("thinksmall"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _ = _get(f"{base}/api/status?token={token}")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{server.stdout.read()}")
                time.sleep(0.25)
        status, body = _get(f"{base}/api/contents/lessons/00-welcome.ipynb?token={token}")
        assert status == 200
        model = json.loads(body)
        assert model["type"] == "notebook"
        assert any("load_persona" in "".join(c["source"]) for c in model["content"]["cells"])
        status, page = _get(f"{base}/lab/tree/lessons/00-welcome.ipynb?token={token}")
        assert status == 200 and b"JupyterLab" in page
        # the kit's quiet settings: JupyterLab's news feed (an internet fetch) is off
        assert b'"news": {"disabled": true}' in page
        request = urllib.request.Request(
            f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification",
            headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            schema = json.loads(response.read())["schema"]["properties"]
        # the kit's overrides change the defaults: no news question, no update check
        assert schema["fetchNews"]["default"] == "false"
        assert schema["checkForUpdates"]["default"] is False
    finally:
        server.terminate()
        server.wait(timeout=30)
