"""A real JupyterHub for a room of learners (instructors/jupyterhub/), on loopback.

Starts the hub with the committed configuration, the proxy from npm (``make
hub-deps``) and its local spawner, logs two learners in through the login form
as a browser would, opens a lesson as each and runs code in each one's kernel to
show that every learner has a workspace of their own. Then stops the hub and
checks that nothing it started is still running.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

from tests.conftest import ROOT, tool

pytestmark = pytest.mark.slow

HUB_DIR = ROOT / "instructors" / "jupyterhub"
CONFIG = HUB_DIR / "jupyterhub_config.py"
PROXY = HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "think-small-together"
LEARNERS = ("ada", "grace")
CODE = ("import os, thinksmall_kit as tsk\n"
        "ws = tsk.open_workspace()\n"
        "print('path=' + str(ws.path))\n"
        "print('env=' + os.environ['THINKSMALL_WORKSPACE'])\n")

requests = pytest.importorskip("requests")
websocket = pytest.importorskip("websocket", reason="needs websocket-client")
pytest.importorskip("jupyterhub", reason="needs jupyterhub (pip install -e '.[test]')")
if not PROXY.exists():
    pytest.skip("configurable-http-proxy is not installed: run `make hub-deps`",
                allow_module_level=True)


def free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def wait_for(check, what: str, timeout: float, hub: subprocess.Popen, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if hub.poll() is not None:
            pytest.fail(f"JupyterHub exited ({hub.returncode}) while waiting for {what}:\n"
                        + log.read_text()[-4000:])
        result = check()
        if result:
            return result
        time.sleep(0.25)
    pytest.fail(f"timed out after {timeout} s waiting for {what}:\n" + log.read_text()[-4000:])


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def login(base: str, name: str) -> requests.Session:
    """Log in through the hub's login form, as a browser does (with the _xsrf token)."""
    s = requests.Session()
    page = s.get(f"{base}/hub/login", timeout=30)
    page.raise_for_status()
    xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', page.text)
    assert xsrf, "the login page has no _xsrf field"
    r = s.post(f"{base}/hub/login", data={"username": name, "password": PASSWORD,
                                          "_xsrf": xsrf.group(1)},
               allow_redirects=False, timeout=30)
    assert r.status_code == 302, f"login as {name} failed: {r.status_code} {r.text[:300]}"
    return s


def start_server(s: requests.Session, base: str, name: str) -> None:
    """Ask the hub for the learner's server (what the "Start my server" button does)."""
    xsrf = s.cookies.get("_xsrf", path="/hub/")
    r = s.post(f"{base}/hub/api/users/{name}/server", headers={"X-XSRFToken": xsrf},
               timeout=60)
    assert r.status_code in (201, 202), f"starting {name}'s server: {r.status_code} {r.text}"


def run_in_kernel(s: requests.Session, base: str, name: str, code: str) -> str:
    """Start a kernel on the learner's server, run ``code`` and return what it printed."""
    api = f"{base}/user/{name}/api"
    xsrf = s.cookies.get("_xsrf", path=f"/user/{name}/")
    kernel = s.post(f"{api}/kernels", json={"name": "python3"},
                    headers={"X-XSRFToken": xsrf}, timeout=60)
    assert kernel.status_code == 201, kernel.text
    kid = kernel.json()["id"]
    cookies = "; ".join(f"{c.name}={c.value}" for c in s.cookies)
    ws_url = base.replace("http://", "ws://") + f"/user/{name}/api/kernels/{kid}/channels"
    ws = websocket.create_connection(ws_url, header=[f"Cookie: {cookies}",
                                                     f"X-XSRFToken: {xsrf}"], timeout=60)
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": name,
                       "session": uuid.uuid4().hex, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False},
        }))
        out = []
        while True:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                pytest.fail(f"{name}'s kernel raised {msg['content']['ename']}: "
                            f"{msg['content']['evalue']}")
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                return "".join(out)
    finally:
        ws.close()


def test_two_learners_each_get_a_server_a_lesson_and_a_workspace(tmp_path):
    port, hub_port, proxy_api = free_ports(3)
    base = f"http://127.0.0.1:{port}"
    root = tmp_path / "hub"
    log = tmp_path / "jupyterhub.log"
    env = dict(os.environ, THINKSMALL_HUB_ROOT=str(root), THINKSMALL_HUB_PASSWORD=PASSWORD,
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    # The learners' workspaces come from the hub's configuration, not from this test's.
    env.pop("THINKSMALL_WORKSPACE", None)
    if os.geteuid() == 0:  # CI containers run as root; the config refuses root otherwise
        env["THINKSMALL_HUB_ALLOW_ROOT"] = "1"
    cmd = [tool("jupyterhub"), "-f", str(CONFIG), f"--port={port}", "--ip=127.0.0.1",
           f"--JupyterHub.hub_port={hub_port}",
           f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{proxy_api}"]
    with log.open("w") as out:
        hub = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
    started: dict[int, psutil.Process] = {}
    try:
        wait_for(lambda: _up(f"{base}/hub/api/"), "the hub", 90, hub, log)
        sessions = {}
        for name in LEARNERS:
            sessions[name] = login(base, name)
            start_server(sessions[name], base, name)
        for name, s in sessions.items():
            wait_for(lambda s=s, name=name: _ready(s, base, name), f"{name}'s server", 120,
                     hub, log)
            # Opening the server's pages hands the learner a cookie for it (OAuth with the hub).
            s.get(f"{base}/user/{name}/lab", timeout=60).raise_for_status()

        paths = {}
        for name, s in sessions.items():
            lesson = s.get(f"{base}/user/{name}/api/contents/lessons/00-welcome.ipynb",
                           timeout=30)
            assert lesson.status_code == 200, f"{name} cannot open lesson 00: {lesson.text}"
            nb = lesson.json()
            assert nb["type"] == "notebook"
            assert nb["content"]["cells"], "lesson 00 arrived empty"
            # The copy sits in the learner's own home, identical to the kit's lesson.
            mine = root / "homes" / name / "lessons" / "00-welcome.ipynb"
            assert mine.read_bytes() == (ROOT / "lessons" / "00-welcome.ipynb").read_bytes()

            printed = dict(line.split("=", 1) for line in
                           run_in_kernel(s, base, name, CODE).splitlines() if "=" in line)
            expected = root / "homes" / name / "thinksmall" / "workspace.sqlite"
            assert Path(printed["path"]) == expected, printed
            assert Path(printed["env"]) == expected, printed
            assert expected.exists(), "open_workspace() did not create the learner's file"
            paths[name] = printed["path"]
        assert len(set(paths.values())) == len(LEARNERS), f"learners share a workspace: {paths}"

        # Exercises through nbgrader's exchange: the instructor releases one, each learner
        # fetches and submits it from their own server (the Assignments tab does these
        # calls), and the instructor collects the submissions for `thinksmall course grade`.
        course = tmp_path / "course"
        shutil.copytree(ROOT / "exercises", course, ignore=shutil.ignore_patterns(
            "submitted", "autograded", "feedback", "gradebook.db"))
        assignment = sorted(p.name for p in (course / "release").iterdir() if p.is_dir())[0]
        exchange = f"--Exchange.root={root / 'exchange'}"
        nbgrader(course, "release_assignment", assignment, exchange)
        for name, s in sessions.items():
            xsrf = s.cookies.get("_xsrf", path=f"/user/{name}/")
            for action in ("fetch", "submit"):
                r = s.post(f"{base}/user/{name}/assignments/{action}", headers={
                    "X-XSRFToken": xsrf}, data={"course_id": "thinksmall",
                                                "assignment_id": assignment}, timeout=60)
                assert r.status_code == 200 and "success\": false" not in r.text, r.text
            assert (root / "homes" / name / assignment / f"{assignment}.ipynb").exists()
        nbgrader(course, "collect", assignment, exchange)
        for name in LEARNERS:
            mine = course / "submitted" / name / assignment / f"{assignment}.ipynb"
            assert mine.exists(), f"{name}'s submission was not collected"

        # A learner cannot reach another learner's server.
        other = sessions["ada"].get(f"{base}/user/grace/api/contents", timeout=30)
        assert other.status_code == 403, f"ada reached grace's server: {other.status_code}"

        # Everything the hub started: the proxy, two servers, their kernels.
        started = {p.pid: p for p in descendants(hub.pid)}
        names = " ".join(" ".join(p.cmdline()) for p in started.values())
        assert "configurable-http-proxy" in names
        assert names.count("jupyterhub-singleuser") >= len(LEARNERS)
        assert names.count("ipykernel") >= len(LEARNERS)
    finally:
        hub.send_signal(signal.SIGTERM)
        try:
            hub.wait(timeout=60)
        except subprocess.TimeoutExpired:
            hub.kill()
            hub.wait()
        started.update({p.pid: p for p in descendants(hub.pid)})
        _, alive = psutil.wait_procs(list(started.values()), timeout=30)
        for p in alive:  # clean up before failing, so the machine is left as found
            p.kill()
    assert not alive, f"still running after the hub stopped: {[p.pid for p in alive]}"
    text = log.read_text()
    assert "Traceback" not in text, text[-4000:]


def _up(url: str, session: requests.Session | None = None) -> bool:
    try:
        r = (session or requests).get(url, timeout=5, allow_redirects=False)
    except requests.RequestException:
        return False
    return r.status_code == 200


def nbgrader(course: Path, *args: str) -> None:
    """Run an instructor's nbgrader command in the course folder."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    done = subprocess.run([tool("nbgrader"), *args], cwd=course, capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, PATH=path))
    assert done.returncode == 0, f"nbgrader {args[0]} failed:\n{done.stdout}\n{done.stderr}"


def _ready(s: requests.Session, base: str, name: str) -> bool:
    """The hub says the learner's server is up (the learner may ask about themselves)."""
    r = s.get(f"{base}/hub/api/users/{name}", timeout=5)
    r.raise_for_status()
    server = r.json().get("servers", {}).get("")
    return bool(server and server.get("ready"))
