"""The app wheel as the page uses it, inside real Pyodide under Node: on Python's path as it is (zipimport), each
module with bytecode that Pyodide's Python takes, so the page never compiles the lesson from source and never
unpacks anything (bench/README.md, start-up)."""

import re
from pathlib import Path

import pytest

import build
from tests.pyodide.node import HERE, app_wheel, run_in_pyodide
from web.app import FACTORIES


def quoted_path(file: Path, pattern: str) -> str:
    found = re.search(pattern, file.read_text(encoding="utf-8"))
    assert found, f"{file.name} no longer says where the wheel goes"
    return found.group(1)


# Where boot.js writes the wheel, and where pyc.mjs says the modules' file names point: they must agree.
PAGE_PATH = quoted_path(build.STATIC / "boot.js", r'FS\.writeFile\("([^"]+)"')


def test_the_bytecode_names_the_file_the_page_imports_from():
    assert quoted_path(build.ROOT / "pyc.mjs", r'const PAGE_PATH = "([^"]+)"') == PAGE_PATH


@pytest.fixture(scope="module")
def report() -> dict:
    return run_in_pyodide("page_wheel.mjs", app_wheel(), PAGE_PATH, HERE / "bytecode_check.py")


def test_the_wheel_holds_exactly_the_packages_modules(report):
    in_tree = {path.relative_to(build.ROOT).as_posix()
               for package in ("engine", "web") for path in (build.ROOT / package).rglob("*.py")}
    assert set(report["modules"]) == in_tree  # no module left behind, and none that was deleted from the tree


def test_every_module_has_bytecode_that_pyodides_python_takes_for_its_source(report):
    bad = {name: checks for name, checks in report["modules"].items() if not all(checks.values())}
    assert report["modules"] and bad == {}


def test_the_page_imports_every_module_from_its_bytecode_and_every_widget_starts(report):
    assert report["widgets"] == list(FACTORIES)
    assert len(report["loaded_from"]) >= 30
    # zipimport names a module's file after what it ran: the .pyc, or the .py it had to compile
    assert {file for file in report["loaded_from"].values() if not file.endswith(".pyc")} == set()
    assert all(file.startswith(PAGE_PATH + "/") for file in report["loaded_from"].values())


def test_a_traceback_from_the_lessons_code_names_its_file_and_quotes_the_line(report):
    assert report["code_file_of_main"] == f"{PAGE_PATH}/web/app.py"
    assert f'File "{PAGE_PATH}/web/share.py"' in report["traceback"]
    assert "fragment.startswith" in report["traceback"]


def test_starting_the_page_imports_none_of_the_slow_standard_modules(report):
    assert report["stdlib_imported"] == []  # urllib.parse brings ipaddress: 0.1 s of every start in Pyodide
