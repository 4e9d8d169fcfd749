"""The app wheel as the page unpacks it, inside real Pyodide under Node: each module comes with bytecode that
Pyodide's Python accepts, so the page never compiles the lesson from source (bench/README.md, start-up)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import build

HERE = Path(__file__).resolve().parent
PYODIDE = build.ROOT / "node_modules" / "pyodide"


@pytest.fixture(scope="module")
def report() -> dict:
    node = shutil.which("node")
    wheels = sorted((build.DIST / "wheels").glob("*/*.whl"))
    if node is None or not (PYODIDE / "pyodide.mjs").exists() or len(wheels) != 1:
        pytest.fail("needs node, node_modules/pyodide and one app wheel in dist/: run `python3 build.py` first")
    out = subprocess.run([node, str(HERE / "unpack_wheel.mjs"), str(PYODIDE), str(wheels[0]),
                          str(HERE / "bytecode_check.py")], capture_output=True, text=True, timeout=180)
    lines = [line for line in out.stdout.splitlines() if line.startswith("RESULT ")]
    assert out.returncode == 0 and lines, f"Pyodide run failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return json.loads(lines[-1].removeprefix("RESULT "))


def test_the_wheel_holds_exactly_the_packages_modules(report):
    shipped = set(report["modules"])
    in_tree = {path.relative_to(build.ROOT).as_posix()
               for package in ("engine", "web") for path in (build.ROOT / package).rglob("*.py")}
    assert shipped == in_tree  # no module left behind, and none that was deleted from the tree


def test_every_module_has_bytecode_that_pyodides_python_accepts_for_its_source(report):
    bad = {name: checks for name, checks in report["modules"].items() if not all(checks.values())}
    assert report["modules"] and bad == {}


def test_every_module_the_page_imports_is_one_with_good_bytecode_and_every_widget_starts(report):
    assert report["widgets"] == ["chain", "graph", "trainer", "cost"]
    assert len(report["loaded"]) >= 30
    assert {file: all(report["modules"][file].values()) for file in report["loaded"].values()} == {
        file: True for file in report["loaded"].values()}


def test_starting_the_page_imports_none_of_the_slow_standard_modules(report):
    assert report["stdlib_imported"] == []  # urllib.parse brings ipaddress: 0.1 s of every start in Pyodide
