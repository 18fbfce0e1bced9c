"""Helpers for the importer tests: write small hand-built exports."""

from __future__ import annotations

import importlib.util
import io
import json
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_samples_module():
    """data/make_samples.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "data" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_zip(path: Path, files: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data.encode() if isinstance(data, str) else data)
    return path


def write_folder(path: Path, files: dict[str, bytes | str]) -> Path:
    for name, data in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def write_tar_gz(path: Path, files: dict[str, bytes | str]) -> Path:
    with tarfile.open(path, "w:gz") as tf:
        for name, data in files.items():
            raw = data.encode() if isinstance(data, str) else data
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            tf.addfile(info, io.BytesIO(raw))
    return path


def ytd(name: str, rows: list, part: int = 0) -> str:
    """An X archive .js file."""
    return f"window.YTD.{name}.part{part} = " + json.dumps(rows, indent=2)


def read_members(path: Path) -> dict[str, bytes]:
    """Every file of a zip, tar.gz or folder, by name."""
    if path.is_dir():
        return {p.relative_to(path).as_posix(): p.read_bytes()
                for p in sorted(path.rglob("*")) if p.is_file()}
    if path.name.endswith(".zip"):
        with zipfile.ZipFile(path) as zf:
            return {n: zf.read(n) for n in zf.namelist()}
    if path.name.endswith(".tar.gz"):
        with tarfile.open(path) as tf:
            return {m.name: tf.extractfile(m).read() for m in tf if m.isfile()}
    return {path.name: path.read_bytes()}
