"""The lesson's wheel installs the standard way: micropip.install(<file URL>, deps=False) inside real Pyodide
under Node, as a JupyterLite or PyScript user would install it (the page itself imports from the wheel as it is;
bench/README.md)."""

import json

import pytest

import build
from engine import Value, backward_steps
from tests.pyodide.node import HERE, PYODIDE, app_wheel, run_in_pyodide


@pytest.fixture(scope="module")
def report() -> dict:
    micropip = build.pinned_wheel(*build.MICROPIP, python=build.PYODIDE_PYTHON)
    return run_in_pyodide("install_wheel.mjs", micropip, app_wheel(), HERE / "micropip_install.py")


def test_micropip_is_the_version_pyodide_names_and_installs_the_lesson_into_site_packages(report):
    lock = json.loads((PYODIDE / "pyodide-lock.json").read_text())
    assert report["micropip"] == lock["packages"]["micropip"]["version"] == build.MICROPIP[1]
    assert report["python"].startswith(build.PYODIDE_PYTHON)
    assert report["installed"]["backprop-lesson"] == report["lesson_version"] == "0.1.0"
    assert report["engine_file"].startswith(f"/lib/python{build.PYODIDE_PYTHON}/site-packages/engine/")
    assert {"chain", "graph", "trainer"} <= set(report["widgets"])


def test_the_installed_engine_computes_what_cpython_computes(report):
    w, x, b, y = Value(0.5), Value(1.0), Value(0.1), Value(1.0)
    L = ((w * x + b).sigmoid() - y) ** 2
    L.backward()
    # the lesson's documented defaults (DESIGN.md §4), then CPython's own digits (Pyodide's libm may differ in the
    # last bit, hence rel=1e-12)
    assert float(report["L"]) == pytest.approx(0.1256, abs=5e-5)
    assert float(report["dL_dw"]) == pytest.approx(-0.1621, abs=5e-5)
    assert float(report["L"]) == pytest.approx(L.data, rel=1e-12)
    assert float(report["dL_dw"]) == pytest.approx(w.grad, rel=1e-12)
    replayed = sum(s.contribution for s in backward_steps(L) if s.parent is w)
    assert float(report["replayed"]) == pytest.approx(replayed, rel=1e-12)


def test_micropip_stays_out_of_the_page():
    assert not [p for p in build.DIST.rglob("*") if "micropip" in p.name]
    assert "micropip" not in (build.DIST / "boot.js").read_text()
