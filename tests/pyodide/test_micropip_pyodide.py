"""The lesson's wheel installs the standard way: micropip.install(<file URL>, deps=False) inside real Pyodide
under Node, as a JupyterLite or PyScript user would install it (the page itself unpacks the wheel; DESIGN.md §5)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import build
from engine import Value, backward_steps

HERE = Path(__file__).resolve().parent
PYODIDE = build.ROOT / "node_modules" / "pyodide"


@pytest.fixture(scope="module")
def report() -> dict:
    node = shutil.which("node")
    wheels = sorted((build.DIST / "wheels").glob("*/*.whl"))
    if node is None or not (PYODIDE / "pyodide.mjs").exists() or len(wheels) != 1:
        pytest.fail("needs node, node_modules/pyodide and one app wheel in dist/: run `python3 build.py` first")
    micropip = build.pinned_wheel(*build.MICROPIP, python=build.PYODIDE_PYTHON)
    out = subprocess.run([node, str(HERE / "install_wheel.mjs"), str(PYODIDE), str(micropip), str(wheels[0]),
                          str(HERE / "micropip_install.py")], capture_output=True, text=True, timeout=180)
    lines = [line for line in out.stdout.splitlines() if line.startswith("RESULT ")]
    assert out.returncode == 0 and lines, f"Pyodide run failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return json.loads(lines[-1].removeprefix("RESULT "))


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
