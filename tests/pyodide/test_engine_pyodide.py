"""The engine's checks inside real Pyodide 314.0.7 under Node (tests/pyodide/run_engine.mjs)."""

import math
from pathlib import Path

import pytest

from engine.data import moons
from engine.rules import RULES
from tests.pyodide.node import run_in_pyodide

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
@pytest.fixture(scope="module")
def report():
    return run_in_pyodide("run_engine.mjs", ROOT, HERE / "engine_suite.py")


def test_runs_in_pyodide_python(report):
    assert report["platform"] == "emscripten" and report["python"].startswith("3.14")


def test_all_engine_checks_pass_in_pyodide(report):
    assert report["failures"] == []
    assert report["rules"] == len(RULES) and report["rule_points"] > 400 and report["programs"] >= 60


def test_100k_chain_backward_and_release_in_pyodide(report):
    assert report["chain"]["nodes"] == 100_001


def test_100k_chain_jvp_in_pyodide(report):
    assert report["jvp_chain"] == {"equal_to_grad": True, "rules": 200_000}


def test_jvp_suite_in_pyodide(report):
    assert report["jvp"] == {"programs": 200, "failures": []}


def test_data_is_identical_to_cpython(report):
    X, _ = moons(200, 0.1, seed=0)
    assert report["moons_checksum"] == repr(math.fsum(a + 2 * b for a, b in X))


def test_trainer_learns_in_pyodide(report):
    train = report["train"]
    assert train["epochs"] == 300 and not train["diverged"]
    assert train["last"] < 0.5 * train["first"]
