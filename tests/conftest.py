"""Shared fixtures. Every test gets its own workspace file, never the learner's real one."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


@pytest.fixture(autouse=True)
def _private_workspace(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("THINKSMALL_WORKSPACE", str(home / "workspace.sqlite"))
    yield


def tool(name: str) -> str:
    """A command installed in the same environment as the running Python."""
    path = VENV_BIN / name
    return str(path) if path.exists() else name


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env
