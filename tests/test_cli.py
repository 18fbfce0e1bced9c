"""The ``thinksmall`` command: --version, doctor (healthy and broken), and a real lab server."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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


# --------------------------------------------------------------------------- bad input


def refused(out: subprocess.CompletedProcess, *words: str) -> str:
    """A refusal: non-zero exit, a message saying ``words``, and no traceback."""
    assert out.returncode != 0, out.stdout
    assert "Traceback" not in out.stderr, out.stderr
    for word in words:
        assert word in out.stderr, out.stderr
    return out.stderr


def test_report_from_a_mistyped_workspace_creates_nothing(tmp_path):
    missing = tmp_path / "typo" / "dir" / "myws.sqlite"
    refused(run("report", "--workspace", str(missing), "--out", str(tmp_path / "a.html")),
            f"no workspace at {missing}", "nothing was created")
    (tmp_path / "empty.sqlite").touch()
    refused(run("report", "--workspace", str(tmp_path / "empty.sqlite"),
                "--out", str(tmp_path / "a.html")), "is an empty file, not a workspace")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["empty.sqlite"]
    assert (tmp_path / "empty.sqlite").stat().st_size == 0


@pytest.mark.parametrize("command", [
    ["report", "--persona", "ceramics"],
    ["class-report", "summaries"],
])
def test_an_out_that_cannot_be_written_names_its_folder(tmp_path, command):
    (tmp_path / "summaries").mkdir()
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file where a folder should be")
    text = refused(run(*command, "--out", str(blocker / "a.html"), cwd=tmp_path),
                   f"{blocker} is a file, not a folder", "expected: --out in a folder")
    if Path("/proc/self").is_dir():  # Linux: a folder no one can create files in
        text = refused(run(*command, "--out", "/proc/a.html", cwd=tmp_path),
                       "cannot write --out /proc/a.html: the folder /proc cannot be written")
        assert "a.ics" not in text  # it names what the user gave, not a file made from it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "summaries"]


@pytest.mark.parametrize("minutes", ["inf", "-inf", "nan"])
def test_report_refuses_a_budget_that_is_not_a_number(tmp_path, minutes):
    text = refused(run("report", "--persona", "ceramics", "--out", str(tmp_path / "a.html"),
                       f"--minutes-per-day={minutes}"),
                   "--minutes-per-day must be a number of minutes", "--minutes-per-day 5")
    assert "quickest action" not in text
    assert list(tmp_path.iterdir()) == []


def test_slides_refuse_a_file_for_out_and_a_file_that_is_not_a_notebook(tmp_path):
    lesson = str(ROOT / "lessons" / "00-welcome.ipynb")
    (tmp_path / "taken").write_text("x")
    refused(run("slides", lesson, "--no-execute", "--out", str(tmp_path / "taken")),
            "is a file, not a folder")
    (tmp_path / "notes.ipynb").write_text('{"cells": 3}')
    refused(run("slides", str(tmp_path / "notes.ipynb"), "--no-execute",
                "--out", str(tmp_path / "slides")), "is not a notebook", "has no cells")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.ipynb", "taken"]


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
