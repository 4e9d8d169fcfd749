"""Running a Python file inside real Pyodide under Node, for the tests in this folder: each runner (*.mjs) prints
the file's last value, a JSON string, on a line starting with RESULT."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import build

HERE = Path(__file__).resolve().parent
PYODIDE = build.ROOT / "node_modules" / "pyodide"


def app_wheel() -> Path:
    """The one app wheel in dist/ (fails, saying how to build it, when there is none or more than one)."""
    wheels = sorted((build.DIST / "wheels").glob("*/*.whl"))
    if len(wheels) != 1:
        pytest.fail(f"needs one app wheel in {build.DIST}/wheels, found {len(wheels)}: run `python3 build.py` first")
    return wheels[0]


def run_in_pyodide(runner: str, *args: str | Path) -> dict:
    """`node <runner> <Pyodide's folder> <args...>` from this folder; the JSON its Python file ended with."""
    node = shutil.which("node")
    if node is None or not (PYODIDE / "pyodide.mjs").exists():
        pytest.fail(f"needs node and {PYODIDE}/pyodide.mjs: run `python3 build.py` (which runs npm ci) first")
    out = subprocess.run([node, str(HERE / runner), str(PYODIDE), *map(str, args)],
                         capture_output=True, text=True, timeout=180)
    lines = [line for line in out.stdout.splitlines() if line.startswith("RESULT ")]
    assert out.returncode == 0 and lines, f"Pyodide run failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return json.loads(lines[-1].removeprefix("RESULT "))
