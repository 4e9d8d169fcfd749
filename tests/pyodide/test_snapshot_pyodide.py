"""The private Pyodide API behind the page's snapshots (makeMemorySnapshot, loadPyodide's _makeSnapshot and
_loadSnapshot; pyodide.d.ts marks them @private or @ignore), pinned in Pyodide under Node with the built wheel and the
page's own boot steps, read from static/boot.js: an upgrade that changes them fails here, not silently in browsers."""

import json
import re

import pytest

import build
from engine.rules import RULES
from tests.pyodide.node import HERE, app_wheel, run_in_pyodide
from web.app import FACTORIES

BOOT = (build.STATIC / "boot.js").read_text(encoding="utf-8")
WHEEL_PATH = "/lib/lesson.whl"


def boot_steps() -> tuple[str, str]:
    """The Python boot.js runs after a restore, and what it sends the snapshot worker to run before the snapshot."""
    steps = re.search(r"const STEPS = \[([^\]]+)\];", BOOT)
    assert steps and "steps: STEPS.join(" in BOOT, "boot.js no longer says which Python runs before a snapshot"
    lines = [json.loads(line) for line in re.findall(r'"[^"]*"', steps.group(1))]
    assert re.search(r'STEPS\.slice\(0, body\.dataset\.snapshot === "restored" \? 1 : 2\)', BOOT)
    return lines[0], "\n".join(lines)


@pytest.fixture(scope="module")
def report() -> dict:
    page, worker = boot_steps()
    checks = build.ROOT / "tests" / "engine" / "engine_checks.py"
    return run_in_pyodide("snapshot.mjs", app_wheel(), page, worker, checks, HERE / "snapshot_check.py")


def test_the_worker_makes_a_snapshot_only_with_the_recorder_on(report):
    assert "_makeSnapshot" in report["api"]["without_recorder"]
    assert report["api"]["is_bytes"] and report["api"]["size"] > 10_000_000  # 31 MB with Pyodide 314.0.7


def test_the_snapshot_holds_the_apps_imports_but_not_the_wheel_itself(report):
    python = report["python"]
    assert "web.app" in python["kept"] and "engine.graph" in python["kept"] and "web.dom" not in python["kept"]
    assert "No such file or directory" in report["api"]["before_the_wheel"]
    assert python["dom_from"] == f"{WHEEL_PATH}/web/dom.pyc"  # imported from the wheel written back
    assert python["path"].count(WHEEL_PATH) == 1  # the page's steps after a restore do not add it twice


def test_a_restored_instance_runs_the_lesson_and_the_engine_checks(report):
    python = report["python"]
    assert python["widgets"] == list(FACTORIES)
    assert python["failures"] == [] and python["rules"] == len(RULES)


def test_random_repeats_after_every_restore_unless_the_page_seeds_it(report):
    first, second = report["api"]["unseeded_draws"]
    assert first == second
    assert report["python"]["draw"] != first


def test_a_snapshot_that_is_not_pyodides_is_refused_not_restored(report):
    assert "invalid magic number" in report["api"]["bad_magic"]
