"""JupyterHub for a room of Think Small Kit learners, on one machine.

Start it from a checkout of the kit (after ``make hub-deps``)::

    export THINKSMALL_HUB_PASSWORD='a workshop password'   # 8 characters or more
    .venv/bin/jupyterhub -f instructors/jupyterhub/jupyterhub_config.py

Every learner logs in with any user name and the workshop password and gets
their own Jupyter server, their own home folder and their own workspace file
(``THINKSMALL_WORKSPACE``). See README.md in this folder for the whole set-up:
nbgitpuller links, the nbgrader exchange, and the step up to Kubernetes.

Settings come from environment variables so this file needs no editing:

THINKSMALL_HUB_PASSWORD        the workshop password (required, 8 characters or more)
THINKSMALL_HUB_ADMINS          comma-separated instructor names (optional)
THINKSMALL_HUB_ADMIN_PASSWORD  the instructors' password (needed with THINKSMALL_HUB_ADMINS)
THINKSMALL_HUB_ROOT            where the hub keeps its state, the learners' homes and the
                               nbgrader exchange (default ~/thinksmall-hub)
THINKSMALL_HUB_LESSONS         the lessons copied into each new home (default: this
                               checkout's lessons/ folder); "" copies nothing
THINKSMALL_HUB_IP, _PORT       where learners connect (default 127.0.0.1:8000)
THINKSMALL_HUB_ALLOW_ROOT=1    let a hub started as root run (throwaway containers only)

Command-line flags override anything here (``--port 8080``, ``--JupyterHub.hub_port=8082``).
"""

import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it reads this file

HERE = Path(__file__).resolve().parent
KIT = HERE.parent.parent
ROOT = Path(os.environ.get("THINKSMALL_HUB_ROOT", "~/thinksmall-hub")).expanduser().resolve()
HOMES = ROOT / "homes"
EXCHANGE = ROOT / "exchange"
LESSONS = os.environ.get("THINKSMALL_HUB_LESSONS", str(KIT / "lessons"))

for folder in (ROOT, HOMES):
    folder.mkdir(parents=True, exist_ok=True)
# nbgrader's exchange: one folder every learner's server can write to.
# The sticky bit (like /tmp) stops learners deleting each other's submissions.
EXCHANGE.mkdir(exist_ok=True)
EXCHANGE.chmod(0o1777)

# --- where learners connect; the hub's own state --------------------------------------------
c.JupyterHub.ip = os.environ.get("THINKSMALL_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("THINKSMALL_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.db_url = f"sqlite:///{ROOT / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(ROOT / "jupyterhub_cookie_secret")
# Stopping the hub stops the proxy and every learner's server: nothing is left running.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# The proxy comes from npm (`make hub-deps` installs it into node_modules/ here).
proxy = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
if proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(proxy)]
c.ConfigurableHTTPProxy.pid_file = str(ROOT / "jupyterhub-proxy.pid")

# --- who may log in ---------------------------------------------------------------------------
# A workshop: any user name with the shared password. (DummyAuthenticator's password
# is deprecated since JupyterHub 5.3; SharedPasswordAuthenticator replaces it.)
c.JupyterHub.authenticator_class = "shared-password"
password = os.environ.get("THINKSMALL_HUB_PASSWORD", "")
if len(password) < 8:
    sys.exit("Set THINKSMALL_HUB_PASSWORD to a workshop password of 8 characters or more, "
             "then start JupyterHub again.")
c.SharedPasswordAuthenticator.user_password = password
c.Authenticator.allow_all = True
admins = {n.strip() for n in os.environ.get("THINKSMALL_HUB_ADMINS", "").split(",") if n.strip()}
if admins:
    c.Authenticator.admin_users = admins
    c.SharedPasswordAuthenticator.admin_password = os.environ.get(
        "THINKSMALL_HUB_ADMIN_PASSWORD", "")

# --- each learner's own server, home and workspace -------------------------------------------
# SimpleLocalProcessSpawner runs every server as the Unix user running the hub, with
# HOME set to a folder of its own: learners need no system accounts, but a learner
# with a terminal can read the other homes. Fine for sample personas; read the README
# ("Privacy") before learners load their own exports.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
c.Spawner.ip = "127.0.0.1"
# The single-user server from the same environment as the hub (the kit is installed there).
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.default_url = "/lab/tree/lessons/00-welcome.ipynb"
# Every server runs as the hub's user, so a hub run as root would give learners root.
if os.geteuid() == 0:
    if os.environ.get("THINKSMALL_HUB_ALLOW_ROOT") != "1":
        sys.exit("This hub runs every learner's server as its own Unix user: do not run it as "
                 "root. Start it as an ordinary user (or, in a throwaway container, set "
                 "THINKSMALL_HUB_ALLOW_ROOT=1).")
    c.Spawner.args = ["--allow-root"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120


def _workspace(spawner):
    """The learner's own workspace file, in their own home."""
    return str(Path(spawner.home_dir) / "thinksmall" / "workspace.sqlite")


c.Spawner.environment = {
    "THINKSMALL_WORKSPACE": _workspace,
    # nbgrader's settings for learners (course id, exchange) and the server extensions
    # they get live in learner-config/; it reads the exchange folder from here.
    "JUPYTER_CONFIG_PATH": str(HERE / "learner-config"),
    "THINKSMALL_EXCHANGE": str(EXCHANGE),
}


def _seed_lessons(spawner):
    """Copy the lessons into a learner's home, never over a file they already have.

    The offline way to hand out lessons (nothing is downloaded); nbgitpuller links
    (README.md) do the same from the kit's git repository and merge later changes.
    """
    home = Path(spawner.home_dir)
    home.mkdir(parents=True, exist_ok=True)
    if not LESSONS or not Path(LESSONS).is_dir():
        return
    target = home / "lessons"
    target.mkdir(exist_ok=True)
    for notebook in sorted(Path(LESSONS).glob("*.ipynb")):
        if not (target / notebook.name).exists():
            shutil.copy2(notebook, target / notebook.name)


c.Spawner.pre_spawn_hook = _seed_lessons

# nbgitpuller is a server extension of the learners' servers, so it is switched on in
# learner-config/jupyter_server_config.py, where the learner's environment is checked.
