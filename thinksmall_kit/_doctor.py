"""``thinksmall doctor``: is everything the lessons need installed and switched on?

Each check gives one row: what was looked at, what was found, and, when it is
broken, the command that fixes it. The versions are checked against the
ranges the kit itself declares (its package metadata), so there is one list of
requirements, in ``pyproject.toml``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

#: JupyterLab front-end extensions the lessons need, by what they do.
LAB_EXTENSIONS = {
    "widgets": ("@jupyter-widgets/jupyterlab-manager", "ipywidgets"),
    "plotly": ("jupyterlab-plotly", "plotly"),
    "nbgrader": ("@jupyter/nbgrader", "nbgrader"),
}
#: Server extensions: JupyterLab itself and nbgrader's Validate button.
SERVER_EXTENSIONS = {
    "jupyterlab": "jupyterlab",
    "nbgrader validate": "nbgrader.server_extensions.validate_assignment",
}
REINSTALL = "run `make lab` again, or `.venv/bin/pip install -e .` in the kit's folder"


@dataclass
class Check:
    name: str
    found: str
    ok: bool
    fix: str = ""


def _requirements() -> list[tuple[str, str]]:
    from packaging.requirements import Requirement

    reqs = []
    for text in metadata.requires("thinksmall-kit") or []:
        req = Requirement(text)
        if req.marker is None:  # skip extras such as [test]
            reqs.append((req.name, str(req.specifier)))
    return reqs


def check_packages() -> list[Check]:
    from packaging.specifiers import SpecifierSet

    checks = [Check("python", sys.version.split()[0], sys.version_info >= (3, 11),
                    "the kit needs Python 3.11 or newer")]
    for name, spec in _requirements():
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            checks.append(Check(name, "not installed", False, REINSTALL))
            continue
        ok = SpecifierSet(spec).contains(version, prereleases=True)
        checks.append(Check(name, version, ok,
                            "" if ok else f"needs {name}{spec}: {REINSTALL}"))
    return checks


def _disabled_lab_extensions(paths: list[str]) -> set[str]:
    from jupyterlab_server.config import get_page_config

    disabled = get_page_config(paths, logger=None).get("disabledExtensions", [])
    if isinstance(disabled, dict):  # older JupyterLab kept {name: true}
        disabled = [name for name, off in disabled.items() if off]
    return set(disabled)


def check_lab_extensions() -> list[Check]:
    from jupyter_core.paths import jupyter_path
    from jupyterlab_server.config import get_federated_extensions

    paths = jupyter_path("labextensions")
    installed = get_federated_extensions(paths)
    disabled = _disabled_lab_extensions(paths)
    checks = []
    for role, (ext, package) in LAB_EXTENSIONS.items():
        label = f"lab extension: {role}"
        if ext not in installed:
            checks.append(Check(label, f"{ext} not installed", False,
                                f"install {package}: {REINSTALL}"))
        elif ext in disabled or any(d.startswith(ext + ":") for d in disabled):
            checks.append(Check(label, f"{ext} disabled", False,
                                f"jupyter labextension enable {ext}"))
        else:
            version = installed[ext].get("version", "?")
            checks.append(Check(label, f"{ext} {version} enabled", True))
    return checks


def _server_extensions() -> dict[str, bool]:
    """Merge ``ServerApp.jpserver_extensions`` from every config folder, as the server does."""
    from jupyter_core.paths import jupyter_config_path

    enabled: dict[str, bool] = {}
    for folder in reversed(jupyter_config_path()):  # later (user) folders win
        base = Path(folder)
        files = sorted((base / "jupyter_server_config.d").glob("*.json"))
        files.append(base / "jupyter_server_config.json")
        for path in files:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            enabled.update(data.get("ServerApp", {}).get("jpserver_extensions", {}))
    return enabled


def check_server_extensions() -> list[Check]:
    enabled = _server_extensions()
    checks = []
    for label, name in SERVER_EXTENSIONS.items():
        state = enabled.get(name)
        if state:
            checks.append(Check(f"server extension: {label}", f"{name} enabled", True))
        else:
            found = "disabled" if state is False else "not configured"
            checks.append(Check(f"server extension: {label}", f"{name} {found}", False,
                                f"jupyter server extension enable {name}"))
    return checks


def check_kernel() -> list[Check]:
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    if "python3" in specs:
        return [Check("python kernel", specs["python3"], True)]
    return [Check("python kernel", "not found", False,
                  f"{sys.executable} -m ipykernel install --sys-prefix")]


def run_doctor(out=None) -> int:
    """Print the checks as a table; return 0 when all pass, else 1."""
    out = out or sys.stdout
    checks = (check_packages() + check_lab_extensions() + check_server_extensions()
              + check_kernel())
    width = max(len(c.name) for c in checks)
    found_width = max(len(c.found) for c in checks)
    print(f"{'check':<{width}}  {'found':<{found_width}}  status", file=out)
    for c in checks:
        print(f"{c.name:<{width}}  {c.found:<{found_width}}  {'ok' if c.ok else 'BROKEN'}",
              file=out)
    broken = [c for c in checks if not c.ok]
    if broken:
        print(f"\n{len(broken)} problem(s). To fix:", file=out)
        for c in broken:
            print(f"  - {c.name}: {c.fix}", file=out)
        return 1
    print("\nEverything the lessons need is installed and enabled.", file=out)
    return 0
